/**
 * Turns cell values from either engine (Redshift Data API / pg values, MaxCompute result text) into a form that
 * can be compared: numbers as exact decimals, booleans, timestamps as UTC instants with their precision and
 * zone made explicit, strings as they are. NULL stays distinct from the empty string throughout.
 */
import {type Decimal, decimalFromBigInt, decimalFromNumber, formatDecimal, parseDecimal} from './decimal.js';

/** Whose type names a result's columns carry. Log Service returns every value as text, so its columns carry none. */
export type EngineDialect = 'redshift' | 'maxcompute' | 'datahub' | 'log-service';

/** How a column's values are compared. `float32` is single precision (Redshift REAL, MaxCompute FLOAT). */
export type ColumnKind = 'exact-number' | 'float' | 'float32' | 'boolean' | 'timestamp' | 'char' | 'string';

const kindByTypeName: Record<EngineDialect, Record<string, ColumnKind>> = {
	redshift: {
		smallint: 'exact-number', int2: 'exact-number', integer: 'exact-number', int: 'exact-number', int4: 'exact-number',
		bigint: 'exact-number', int8: 'exact-number', numeric: 'exact-number', decimal: 'exact-number',
		real: 'float32', float4: 'float32', 'double precision': 'float', float8: 'float', float: 'float',
		boolean: 'boolean', bool: 'boolean',
		date: 'timestamp', timestamp: 'timestamp', 'timestamp without time zone': 'timestamp',
		'timestamp with time zone': 'timestamp', timestamptz: 'timestamp',
		character: 'char', char: 'char', bpchar: 'char', nchar: 'char',
		'character varying': 'string', varchar: 'string', nvarchar: 'string', text: 'string', name: 'string',
	},
	maxcompute: {
		tinyint: 'exact-number', smallint: 'exact-number', int: 'exact-number', integer: 'exact-number', bigint: 'exact-number',
		decimal: 'exact-number', float: 'float32', double: 'float',
		boolean: 'boolean',
		date: 'timestamp', datetime: 'timestamp', timestamp: 'timestamp', timestamp_ntz: 'timestamp',
		char: 'char', varchar: 'string', string: 'string',
	},
	datahub: {
		tinyint: 'exact-number', smallint: 'exact-number', integer: 'exact-number', bigint: 'exact-number', decimal: 'exact-number',
		float: 'float32', double: 'float', boolean: 'boolean', timestamp: 'timestamp', string: 'string',
	},
	'log-service': {},
};

/** The kind a declared column type implies in that engine; undefined when the type is absent or unknown. */
export function kindOfType(type: string | undefined, dialect: EngineDialect): ColumnKind | undefined {
	if (type === undefined) {
		return undefined;
	}

	const base = type.trim().toLowerCase().replace(/\s*\(.*?\)/g, '').replace(/\s+/g, ' ');
	return kindByTypeName[dialect][base];
}

export type NormalTimestamp = {
	kind: 'timestamp';
	/** Nanoseconds since 1970-01-01T00:00:00 UTC. */
	epochNanos: bigint;
	/** Fractional second digits as written (0–9); a date alone has precision 0 and `dateOnly`. */
	precision: number;
	dateOnly: boolean;
	/** The zone as written (`Z`, `+08:00`); undefined means none was written and UTC is assumed. */
	zone: string | undefined;
	/** `YYYY-MM-DD HH:MM:SS[.f…] UTC`, with the value's own precision. */
	text: string;
};

export type NormalValue =
	| {kind: 'null'}
	| {kind: 'number'; value: Decimal; text: string}
	| {kind: 'special-float'; text: 'NaN' | 'Infinity' | '-Infinity'}
	| {kind: 'boolean'; value: boolean}
	| NormalTimestamp
	| {kind: 'string'; value: string};

const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;
const nanosPerSecond = 1_000_000_000n;
const trueWords = new Set(['t', 'true', 'y', 'yes', '1']);
const falseWords = new Set(['f', 'false', 'n', 'no', '0']);
const strictBooleanWords = new Set(['t', 'true', 'f', 'false']);

function zoneOffsetMinutes(zone: string): number {
	if (/^(z|utc)$/i.test(zone)) {
		return 0;
	}

	const digits = zone.slice(1).replace(':', '');
	const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
	return zone.startsWith('-') ? -minutes : minutes;
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

export function formatEpochNanos(epochNanos: bigint, precision: number): string {
	const seconds = epochNanos / nanosPerSecond - (epochNanos % nanosPerSecond < 0n ? 1n : 0n);
	const nanos = epochNanos - seconds * nanosPerSecond;
	const date = new Date(Number(seconds) * 1000);
	const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
	const fraction = precision > 0 ? `.${nanos.toString().padStart(9, '0').slice(0, precision)}` : '';
	return `${base}${fraction} UTC`;
}

export function parseTimestamp(text: string): NormalTimestamp | undefined {
	const match = timestampPattern.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
	const milliseconds = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0));
	const check = new Date(milliseconds);
	if (Number.isNaN(milliseconds) || check.getUTCDate() !== Number(day) || check.getUTCMonth() !== Number(month) - 1) {
		return undefined;
	}

	// Date.UTC maps years 0–99 to 1900–1999; set the year explicitly.
	check.setUTCFullYear(Number(year));
	const offsetNanos = BigInt(zone === undefined ? 0 : zoneOffsetMinutes(zone)) * 60n * nanosPerSecond;
	const epochNanos = BigInt(check.getTime()) * 1_000_000n + BigInt(fraction.padEnd(9, '0') || '0') - offsetNanos;
	const precision = fraction.length;
	return {kind: 'timestamp', epochNanos, precision, dateOnly: hour === undefined, zone, text: formatEpochNanos(epochNanos, precision)};
}

function timestampFromDate(value: Date): NormalTimestamp | undefined {
	return Number.isNaN(value.getTime()) ? undefined : parseTimestamp(value.toISOString());
}

function numberFrom(value: unknown): NormalValue | undefined {
	if (typeof value === 'bigint') {
		return {kind: 'number', value: decimalFromBigInt(value), text: value.toString()};
	}

	if (typeof value === 'number') {
		if (Number.isNaN(value)) {
			return {kind: 'special-float', text: 'NaN'};
		}

		if (!Number.isFinite(value)) {
			return {kind: 'special-float', text: value > 0 ? 'Infinity' : '-Infinity'};
		}

		const decimal = decimalFromNumber(value)!;
		return {kind: 'number', value: decimal, text: formatDecimal(decimal)};
	}

	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (/^(nan)$/i.test(trimmed)) {
			return {kind: 'special-float', text: 'NaN'};
		}

		if (/^[+-]?(inf|infinity)$/i.test(trimmed)) {
			return {kind: 'special-float', text: trimmed.startsWith('-') ? '-Infinity' : 'Infinity'};
		}

		const decimal = parseDecimal(trimmed);
		return decimal ? {kind: 'number', value: decimal, text: trimmed} : undefined;
	}

	return undefined;
}

function booleanFrom(value: unknown, strict: boolean): NormalValue | undefined {
	if (typeof value === 'boolean') {
		return {kind: 'boolean', value};
	}

	const word = typeof value === 'number' || typeof value === 'bigint' ? String(value) : (typeof value === 'string' ? value.trim().toLowerCase() : undefined);
	if (word === undefined || (strict && !strictBooleanWords.has(word))) {
		return undefined;
	}

	if (trueWords.has(word)) {
		return {kind: 'boolean', value: true};
	}

	return falseWords.has(word) ? {kind: 'boolean', value: false} : undefined;
}

function timestampFrom(value: unknown): NormalValue | undefined {
	if (value instanceof Date) {
		return timestampFromDate(value);
	}

	return typeof value === 'string' ? parseTimestamp(value) : undefined;
}

export function displayValue(value: unknown): string {
	if (value === null || value === undefined) {
		return 'NULL';
	}

	if (value instanceof Date) {
		return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
	}

	if (value instanceof Uint8Array) {
		return `0x${Buffer.from(value).toString('hex')}`;
	}

	if (typeof value === 'object') {
		return JSON.stringify(value);
	}

	return String(value);
}

/** Normalises one value as the given kind; a value that does not fit the kind stays a string. */
export function normaliseValue(value: unknown, kind: ColumnKind | undefined): NormalValue {
	if (value === null || value === undefined) {
		return {kind: 'null'};
	}

	const converted = kind === 'exact-number' || kind === 'float' || kind === 'float32'
		? numberFrom(value)
		: kind === 'boolean'
			? booleanFrom(value, false)
			: kind === 'timestamp'
				? timestampFrom(value)
				: kind === undefined ? inferred(value) : undefined;
	return converted ?? {kind: 'string', value: displayValue(value)};
}

function inferred(value: unknown): NormalValue | undefined {
	if (typeof value === 'boolean') {
		return {kind: 'boolean', value};
	}

	if (value instanceof Date) {
		return timestampFromDate(value);
	}

	if (typeof value === 'number' || typeof value === 'bigint') {
		return numberFrom(value);
	}

	return undefined;
}

/**
 * Without declared types, the kind of a column is inferred from the pair of values: JS booleans, numbers and
 * Dates say what they are; two strings are numbers only if both parse as numbers, timestamps only if both parse
 * as timestamps, booleans only if both are t/f/true/false.
 */
export function inferKind(source: unknown, target: unknown): ColumnKind {
	const present = [source, target].filter(value => value !== null && value !== undefined);
	if (present.some(value => typeof value === 'boolean')) {
		return 'boolean';
	}

	if (present.some(value => value instanceof Date)) {
		return 'timestamp';
	}

	if (present.length > 0 && present.every(value => numberFrom(value) !== undefined)) {
		return 'exact-number';
	}

	if (present.length > 0 && present.every(value => typeof value === 'string' && parseTimestamp(value) !== undefined)) {
		return 'timestamp';
	}

	if (present.length > 0 && present.every(value => booleanFrom(value, true) !== undefined)) {
		return 'boolean';
	}

	return 'string';
}
