/**
 * Partition values and DATETIME text for the sink_odps connector: times are read as wall-clock time in the
 * connector's TimeZone, rounded down to TimeRange minutes, then formatted with the PartitionConfig strftime pattern
 * (e.g. `{"ds":"%Y%m%d","hh":"%H","mm":"%M"}`, aliyun-datahub-sdk-go `datahub/api_test.go` TestCreateOdpsConnector).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export type WallClock = {year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number};

export function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', {timeZone});
		return true;
	} catch {
		return false;
	}
}

export function wallClock(ms: number, timeZone: string): WallClock {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'});
		formatters.set(timeZone, formatter);
	}

	const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map(part => [part.type, part.value]));
	return {
		year: Number(parts.year),
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour),
		minute: Number(parts.minute),
		second: Number(parts.second),
		millisecond: ((ms % 1000) + 1000) % 1000,
	};
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

export const supportedDirectives = new Set(['Y', 'm', 'd', 'H', 'M', 'S', '%']);

/** A pattern's directives outside %Y %m %d %H %M %S %%, for validation. */
export function unsupportedDirectives(pattern: string): string[] {
	return [...pattern.matchAll(/%(.)/g)].map(match => match[1]!).filter(directive => !supportedDirectives.has(directive));
}

export function strftime(pattern: string, clock: WallClock): string {
	return pattern.replaceAll(/%(.)/g, (whole, directive: string) => {
		switch (directive) {
			case 'Y':
				return pad(clock.year, 4);
			case 'm':
				return pad(clock.month);
			case 'd':
				return pad(clock.day);
			case 'H':
				return pad(clock.hour);
			case 'M':
				return pad(clock.minute);
			case 'S':
				return pad(clock.second);
			case '%':
				return '%';
			default:
				return whole;
		}
	});
}

/** The wall-clock time rounded down to the start of its TimeRange window (minutes counted from local midnight). */
export function windowStart(ms: number, timeZone: string, timeRangeMinutes: number): WallClock {
	const clock = wallClock(ms, timeZone);
	const minuteOfDay = clock.hour * 60 + clock.minute;
	const start = Math.floor(minuteOfDay / timeRangeMinutes) * timeRangeMinutes;
	return {...clock, hour: Math.floor(start / 60), minute: start % 60, second: 0, millisecond: 0};
}

export function timePartition(partitionConfig: [string, string][], ms: number, timeZone: string, timeRangeMinutes: number): [string, string][] {
	const clock = windowStart(ms, timeZone, timeRangeMinutes);
	return partitionConfig.map(([column, pattern]) => [column, strftime(pattern, clock)]);
}

/** DATETIME text (`yyyy-mm-dd hh:mi:ss.fff`) of an epoch time, in the connector's time zone. */
export function datetimeText(ms: number, timeZone: string): string {
	const clock = wallClock(ms, timeZone);
	return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)} ${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}.${pad(clock.millisecond, 3)}`;
}
