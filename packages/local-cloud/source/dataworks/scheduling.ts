/**
 * The scheduler's arithmetic: DataWorks cron expressions (`ss mm HH dd MM ?`, UpdateFile/CreateFile `CronExpress`),
 * the cycle slots of a calendar day in China Standard Time, and scheduling parameters (`ParaValue`, e.g.
 * `bizdate=$bizdate hour=$[yyyymmddhh24-1/24]`) resolved for an instance. Facts: the CreateFile/UpdateFile request
 * models of aliyun/alibabacloud-typescript-sdk dataworks-public-20200518 (cron examples, the 5-minute minimum interval
 * and the 00:05 earliest daily time) and DataWorks "Supported formats of scheduling parameters" (doc-detail/137548):
 * `$bizdate`/`${…}` are the business date (the day before the scheduled time), `$cyctime`/`$[…]` the scheduled time,
 * `${yyyymmdd-N}` shifts days, `$[hh24-N/24]` hours.
 */
const hour = 3_600_000;
const day = 24 * hour;
/** DataWorks' calendar is China Standard Time. */
export const cstOffsetMs = 8 * hour;

export type CronSlots = {seconds: number[]; minutes: number[]; hours: number[]};

function field(text: string, min: number, max: number, name: string): number[] {
	const values = new Set<number>();
	for (const part of text.split(',')) {
		const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
		if (!match) {
			throw new Error(`the ${name} field "${text}" is not a number, range, list or step`);
		}

		const from = match[1] === '*' ? min : Number(match[1]);
		const to = match[2] === undefined ? (match[1] === '*' || match[3] !== undefined ? max : from) : Number(match[2]);
		const step = match[3] === undefined ? 1 : Number(match[3]);
		if (from < min || to > max || from > to || step < 1) {
			throw new Error(`the ${name} field "${text}" is outside ${min}-${max}`);
		}

		for (let value = from; value <= to; value += step) {
			values.add(value);
		}
	}

	return [...values].sort((left, right) => left - right);
}

/** Daily and hourly/minutely cycles: day-of-month and month `*`, day-of-week `?` (weekly and monthly are not kept). */
export function parseCron(expression: string, cycleType: 'DAY' | 'NOT_DAY'): CronSlots {
	const parts = expression.trim().split(/\s+/);
	if (parts.length !== 6) {
		throw new Error(`"${expression}" has ${parts.length} fields; DataWorks cron has 6 (ss mm HH dd MM ?)`);
	}

	const [second = '', minute = '', hourField = '', dayOfMonth = '', month = '', dayOfWeek = ''] = parts;
	if (dayOfMonth !== '*' || month !== '*' || dayOfWeek !== '?') {
		throw new Error(`"${expression}": the local DataWorks keeps daily, hourly and minute cycles (dd MM ? = * * ?)`);
	}

	const slots = {seconds: field(second, 0, 59, 'second'), minutes: field(minute, 0, 59, 'minute'), hours: field(hourField, 0, 23, 'hour')};
	const times = slotTimes(slots);
	if (cycleType === 'DAY' && times.length !== 1) {
		throw new Error(`"${expression}" runs ${times.length} times a day; CycleType DAY runs once (use NOT_DAY)`);
	}

	// The earliest-00:05 rule is read as applying to daily nodes: the same model's own examples schedule minute cycles from 00:00.
	if (cycleType === 'DAY' && times[0]! < 5 * 60_000) {
		throw new Error(`"${expression}" runs before 00:05, the earliest time DataWorks schedules`);
	}

	for (let index = 1; index < times.length; index++) {
		if (times[index]! - times[index - 1]! < 5 * 60_000) {
			throw new Error(`"${expression}" runs less than 5 minutes apart, DataWorks' minimum interval`);
		}
	}

	return slots;
}

/** Offsets from midnight (ms) of every slot, in order. */
export function slotTimes(slots: CronSlots): number[] {
	return slots.hours.flatMap(h => slots.minutes.flatMap(m => slots.seconds.map(s => (((h * 60) + m) * 60 + s) * 1000)));
}

/** Midnight (CST) of the calendar day holding `epochMs`, as an epoch. */
export function cstDayStart(epochMs: number): number {
	return Math.floor((epochMs + cstOffsetMs) / day) * day - cstOffsetMs;
}

/** An instance's cycle time and business date (midnight CST of the day before). */
export function slotsOfDay(slots: CronSlots, dayStart: number): Array<{cycTime: number; bizdate: number}> {
	return slotTimes(slots).map(offset => ({cycTime: dayStart + offset, bizdate: dayStart - day}));
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `yyyy`, `yy`, `mm`, `dd`, `hh24`, `hh`, `mi`, `ss` in a CST wall-clock time, other characters kept. */
function format(pattern: string, epochMs: number): string {
	const time = new Date(epochMs + cstOffsetMs);
	const parts: Record<string, string> = {
		yyyy: String(time.getUTCFullYear()), yy: pad(time.getUTCFullYear() % 100), mm: pad(time.getUTCMonth() + 1), dd: pad(time.getUTCDate()),
		hh24: pad(time.getUTCHours()), hh: pad(time.getUTCHours() % 12 || 12), mi: pad(time.getUTCMinutes()), ss: pad(time.getUTCSeconds()),
	};
	return pattern.replaceAll(/yyyy|yy|mm|dd|hh24|hh|mi|ss/g, token => parts[token]!);
}

/** One value: `$bizdate`, `$cyctime`, `${pattern[±N]}` (days from the business date), `$[pattern[±N[/24]]]` (from the cycle time), or a constant. */
export function resolveValue(value: string, at: {bizdate: number; cycTime: number}): string {
	if (value === '$bizdate') {
		return format('yyyymmdd', at.bizdate);
	}

	if (value === '$cyctime') {
		return format('yyyymmddhh24miss', at.cycTime);
	}

	const custom = /^\$(\{|\[)([a-z0-9_:/ -]*?)(?:([+-])(\d+)(\/24|\/24\/60)?)?(\}|\])$/.exec(value);
	if (!custom) {
		return value.replace(/^'(.*)'$/s, '$1');
	}

	const [, open, pattern = '', sign, amount, unit] = custom;
	const base = open === '{' ? at.bizdate : at.cycTime;
	const size = unit === '/24' ? hour : unit === '/24/60' ? 60_000 : day;
	const shift = sign ? (sign === '-' ? -1 : 1) * Number(amount) * size : 0;
	return format(pattern, base + shift);
}

/** `a=$bizdate b=$[hh24]` → {a: '20261120', b: '00'}. */
export function resolveParaValue(paraValue: string, at: {bizdate: number; cycTime: number}): Record<string, string> {
	return Object.fromEntries(paraValue.split(/\s+/).filter(Boolean).map(pair => {
		const index = pair.indexOf('=');
		return index === -1 ? [pair, ''] : [pair.slice(0, index), resolveValue(pair.slice(index + 1), at)];
	}));
}
