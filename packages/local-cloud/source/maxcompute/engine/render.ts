import {
	DuckDBBlobValue,
	DuckDBDateValue,
	DuckDBDecimalValue,
	DuckDBTimestampMillisecondsValue,
	DuckDBTimestampNanosecondsValue,
	DuckDBTimestampSecondsValue,
	DuckDBTimestampTZValue,
	DuckDBTimestampValue,
	type DuckDBValue,
} from '@duckdb/node-api';
import type {EngineResult} from './result.js';

const nullToken = '\\N';

/** Renders a DuckDB value the way MaxCompute prints it in a result; `null` stays null (printed as \N in CSV). */
export function renderValue(value: DuckDBValue, maxComputeType: string): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'number') {
		if (maxComputeType === 'float') return renderFloat(value);
		if (maxComputeType === 'double') return renderDouble(value);
		return String(value);
	}

	if (typeof value === 'string') return value;
	if (value instanceof DuckDBDecimalValue) return renderDecimal(value.value, value.scale);
	if (value instanceof DuckDBDateValue) return value.toString();
	if (value instanceof DuckDBTimestampNanosecondsValue) return renderTimestamp(value.nanos, 9);
	if (value instanceof DuckDBTimestampValue) return renderTimestamp(value.micros * 1000n, 9);
	if (value instanceof DuckDBTimestampMillisecondsValue) return renderTimestamp(value.millis * 1_000_000n, 3);
	if (value instanceof DuckDBTimestampSecondsValue) return renderTimestamp(value.seconds * 1_000_000_000n, 0);
	if (value instanceof DuckDBTimestampTZValue) return renderTimestamp(value.micros * 1000n, 9);
	if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('utf8');
	return String(value);
}

/** Exact: the unscaled integer with the point put back, always `scale` fraction digits (as MaxCompute DECIMAL 2.0 prints). */
export function renderDecimal(unscaled: bigint, scale: number): string {
	const negative = unscaled < 0n;
	const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
	const integer = digits.slice(0, digits.length - scale);
	const fraction = digits.slice(digits.length - scale);
	return `${negative ? '-' : ''}${integer}${scale > 0 ? `.${fraction}` : ''}`;
}

/**
 * `yyyy-mm-dd hh:mi:ss` plus the fraction without trailing zeros when it is not zero (TIMESTAMP keeps up to 9 digits,
 * DATETIME 3). Whether the service pads the fraction to a fixed width is not documented in what we read (verify).
 */
export function renderTimestamp(nanos: bigint, maxFractionDigits: number): string {
	const perSecond = 1_000_000_000n;
	let seconds = nanos / perSecond;
	let fraction = nanos % perSecond;
	if (fraction < 0n) {
		fraction += perSecond;
		seconds -= 1n;
	}

	const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
	if (fraction === 0n || maxFractionDigits === 0) return base;
	const fractionText = fraction.toString().padStart(9, '0').slice(0, maxFractionDigits).replace(/0+$/, '');
	return fractionText === '' ? base : `${base}.${fractionText}`;
}

/** Java's Float.toString: the shortest decimal that reads back as the same 32-bit float. */
export function renderFloat(value: number): string {
	if (!Number.isFinite(value)) return renderNonFinite(value);
	for (let digits = 1; digits <= 9; digits++) {
		const candidate = Number(value.toPrecision(digits));
		if (Math.fround(candidate) === value) return javaStyle(candidate);
	}

	return javaStyle(value);
}

/** Java's Double.toString, which MaxCompute (a Java service) uses for DOUBLE text results (verify exponent form). */
export function renderDouble(value: number): string {
	return Number.isFinite(value) ? javaStyle(value) : renderNonFinite(value);
}

function renderNonFinite(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	return value > 0 ? 'Infinity' : '-Infinity';
}

function javaStyle(value: number): string {
	if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
	const magnitude = Math.abs(value);
	if (magnitude >= 1e-3 && magnitude < 1e7) {
		const text = String(value);
		return text.includes('.') ? text : `${text}.0`;
	}

	const [mantissa = '', exponent = ''] = value.toExponential().split('e');
	const mantissaText = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
	return `${mantissaText}E${exponent.replace('+', '')}`;
}

/**
 * The `?result` text of a SELECT: CSV (RFC 4180 quoting, as Python's csv module reads it) with a header row, NULL as
 * the bare token \N. pyodps' CsvRecordReader passes the text through `unicode_escape` and back, so raw newlines,
 * quotes and non-ASCII characters survive; a backslash is literal. A string that is literally `\N` is quoted so that a
 * quoting-aware reader can tell it from NULL (pyodps still reads it as None; what the service does there is unknown).
 */
export function renderResultCsv(result: EngineResult): string {
	if (result.kind === 'message') return result.text;
	const lines = [result.columns.map(column => csvField(column.name)).join(',')];
	for (const row of result.rows) {
		lines.push(row.map(value => (value === null ? nullToken : csvField(value, true))).join(','));
	}

	return `${lines.join('\n')}\n`;
}

function csvField(value: string, quoteNullLookalike = false): string {
	if (/[",\r\n]/.test(value) || (quoteNullLookalike && value === nullToken)) return `"${value.replaceAll('"', '""')}"`;
	return value;
}
