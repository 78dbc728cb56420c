/**
 * Wall-clock time in a named zone, as the DataConnector uses it: partitions are the record's time rounded down to
 * `TimeRange` minutes and formatted by the `PartitionConfig` strftime pattern in the connector's `TimeZone`, and a
 * TIMESTAMP lands in a DATETIME column as that zone's wall-clock time.
 */
type WallClock = {year: number; month: number; day: number; hour: number; minute: number; second: number};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'});
		formatters.set(timeZone, formatter);
	}

	return formatter;
}

/** Throws a RangeError naming the zone when it is not an IANA zone. */
export function checkTimeZone(timeZone: string): void {
	formatterFor(timeZone);
}

export function wallClock(epochMs: number, timeZone: string): WallClock {
	const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(epochMs)).map(part => [part.type, part.value]));
	return {year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']), hour: Number(parts['hour']), minute: Number(parts['minute']), second: Number(parts['second'])};
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS[.mmm]` in the zone, the way a DATETIME column (millisecond precision) shows an instant. */
export function formatDateTime(epochMs: number, timeZone: string): string {
	const time = wallClock(epochMs, timeZone);
	const millis = ((epochMs % 1000) + 1000) % 1000;
	return `${time.year}-${pad(time.month)}-${pad(time.day)} ${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}${millis === 0 ? '' : `.${pad(millis, 3)}`}`;
}

/** The instant of a wall-clock time in the zone (the zone's offset at that moment, found by one correction). */
export function instantOf(time: WallClock, timeZone: string): number {
	const asUtc = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
	const shown = wallClock(asUtc, timeZone);
	const offset = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second) - asUtc;
	return asUtc - offset;
}

const supportedDirectives = new Set(['Y', 'm', 'd', 'H', 'M', '%']);

/** The strftime directives a PartitionConfig pattern may use here; others are named so the answer can be fixed. */
export function unsupportedDirectives(pattern: string): string[] {
	return [...pattern.matchAll(/%(.)/g)].map(match => match[1]!).filter(directive => !supportedDirectives.has(directive)).map(directive => `%${directive}`);
}

/** The partition value of a record written at `epochMs`: rounded down to `timeRangeMinutes`, then formatted. */
export function partitionValue(epochMs: number, pattern: string, timeRangeMinutes: number, timeZone: string): string {
	const time = wallClock(epochMs, timeZone);
	const minuteOfDay = time.hour * 60 + time.minute;
	const rounded = minuteOfDay - (minuteOfDay % timeRangeMinutes);
	const values: Record<string, string> = {Y: String(time.year), m: pad(time.month), d: pad(time.day), H: pad(Math.floor(rounded / 60)), M: pad(rounded % 60), '%': '%'};
	return pattern.replaceAll(/%(.)/g, (whole, directive: string) => values[directive] ?? whole);
}
