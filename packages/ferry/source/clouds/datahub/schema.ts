/**
 * TUPLE topic schemas and the text form of record values. The API carries `RecordSchema` as a JSON-encoded string and
 * every record value as a string (or null); the renderings follow the vendor SDKs (aliyun-datahub-sdk-python
 * `datahub/models/record.py` TupleRecord.encode_values, `datahub/models/types.py`, `datahub/models/schema.py`).
 */
export const fieldTypes = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'STRING', 'BOOLEAN', 'TIMESTAMP'] as const;
export type FieldType = (typeof fieldTypes)[number];

export type SchemaField = {name: string; type: FieldType; notNull?: boolean; comment?: string};
export type RecordSchema = {fields: SchemaField[]};

export type RecordValue = string | number | bigint | boolean | Date | null | undefined;
export type DecodedValue = string | number | bigint | boolean | null;

export function isFieldType(value: string): value is FieldType {
	return (fieldTypes as readonly string[]).includes(value);
}

/** The JSON string the API expects, in the Go SDK's key order: `{"fields":[{"name","type","notnull"?,"comment"?}]}`. */
export function encodeRecordSchema(schema: RecordSchema | SchemaField[]): string {
	const fields = Array.isArray(schema) ? schema : schema.fields;
	if (fields.length === 0) {
		throw new TypeError('A TUPLE schema needs at least one field');
	}

	const seen = new Set<string>();
	return JSON.stringify({
		fields: fields.map(field => {
			if (!isFieldType(field.type)) {
				throw new TypeError(`Field "${field.name}" has the unknown DataHub type "${String(field.type)}"`);
			}

			if (field.name === '' || seen.has(field.name.toLowerCase())) {
				throw new TypeError(`Field name "${field.name}" is empty or repeated`);
			}

			seen.add(field.name.toLowerCase());
			return {
				name: field.name,
				type: field.type,
				...(field.notNull ? {notnull: true} : {}),
				...(field.comment ? {comment: field.comment} : {}),
			};
		}),
	});
}

/** Parses the service's schema string; type names come in either case, `comment` sometimes capitalised. */
export function parseRecordSchema(text: string): RecordSchema {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new TypeError('The topic schema is not valid JSON');
	}

	const fields = (parsed as {fields?: unknown}).fields;
	if (!Array.isArray(fields)) {
		throw new TypeError('The topic schema has no "fields" list');
	}

	return {
		fields: fields.map((raw: Record<string, unknown>) => {
			const type = String(raw.type ?? '').toUpperCase();
			if (!isFieldType(type) || typeof raw.name !== 'string') {
				throw new TypeError(`The topic schema has a field with an unknown name or type (${JSON.stringify(raw)})`);
			}

			const comment = raw.comment ?? raw.Comment;
			return {
				name: raw.name,
				type,
				notNull: raw.notnull === true,
				...(typeof comment === 'string' && comment !== '' ? {comment} : {}),
			};
		}),
	};
}

const integerBounds: Record<'TINYINT' | 'SMALLINT' | 'INTEGER' | 'BIGINT' | 'TIMESTAMP', [bigint, bigint]> = {
	TINYINT: [-128n, 127n],
	SMALLINT: [-32_768n, 32_767n],
	INTEGER: [-2_147_483_648n, 2_147_483_647n],
	BIGINT: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
	// Microseconds, the range the Python SDK accepts (`types.py` Timestamp._ticks_bound).
	TIMESTAMP: [-62_135_798_400_000_000n, 253_402_271_999_000_000n],
};

function describe(value: unknown): string {
	return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value === 'bigint' ? `${value}n` : String(value);
}

function toInteger(type: keyof typeof integerBounds, value: Exclude<RecordValue, null | undefined>): bigint {
	let integer: bigint;
	if (typeof value === 'bigint') {
		integer = value;
	} else if (typeof value === 'number' && Number.isSafeInteger(value)) {
		integer = BigInt(value);
	} else if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) {
		integer = BigInt(value.trim());
	} else if (type === 'TIMESTAMP' && value instanceof Date && !Number.isNaN(value.getTime())) {
		integer = BigInt(value.getTime()) * 1000n;
	} else {
		throw new TypeError(`${describe(value)} is not a valid ${type} value`);
	}

	const [low, high] = integerBounds[type];
	if (integer < low || integer > high) {
		throw new RangeError(`${describe(value)} is out of the ${type} range`);
	}

	return integer;
}

/** Exact decimal expansion of a finite double: its digits and the power of ten of the first digit. */
function exactDecimal(value: number): {digits: string; exponent: number} {
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, Math.abs(value));
	const bits = view.getBigUint64(0);
	const biased = Number((bits >> 52n) & 0x7ffn);
	let mantissa = bits & ((1n << 52n) - 1n);
	let binaryExponent: number;
	if (biased === 0) {
		binaryExponent = -1074;
	} else {
		mantissa |= 1n << 52n;
		binaryExponent = biased - 1075;
	}

	if (binaryExponent >= 0) {
		const digits = (mantissa << BigInt(binaryExponent)).toString();
		return {digits, exponent: digits.length - 1};
	}

	// m / 2^k = m·5^k / 10^k
	const k = -binaryExponent;
	const digits = (mantissa * 5n ** BigInt(k)).toString();
	return {digits, exponent: digits.length - 1 - k};
}

/** `%.Ne` with round-half-even on the exact value, as C's printf (and so Python) does. */
function formatExponential(value: number, fractionDigits: number): string {
	const sign = value < 0 || Object.is(value, -0) ? '-' : '';
	if (value === 0) {
		return `${sign}0.${'0'.repeat(fractionDigits)}e+00`;
	}

	const significant = fractionDigits + 1;
	const {digits, exponent: exactExponent} = exactDecimal(value);
	let exponent = exactExponent;
	let head = digits.slice(0, significant).padEnd(significant, '0');
	const rest = digits.slice(significant).replace(/0+$/, '');
	if (rest !== '') {
		const half = rest[0] === '5' && rest.length === 1;
		const roundUp = rest[0] !== undefined && (rest[0] > '5' || (rest[0] === '5' && !half) || (half && Number(head.at(-1)) % 2 === 1));
		if (roundUp) {
			head = (BigInt(head) + 1n).toString();
			if (head.length > significant) {
				head = head.slice(0, significant);
				exponent += 1;
			}
		}
	}

	const exponentText = String(Math.abs(exponent)).padStart(2, '0');
	return `${sign}${head[0]}.${head.slice(1)}e${exponent < 0 ? '-' : '+'}${exponentText}`;
}

/** Python's `repr(float)`: shortest round-trip digits, fixed notation unless the exponent is < -4 or >= 16. */
function pythonFloatRepr(value: number): string {
	const sign = value < 0 || Object.is(value, -0) ? '-' : '';
	if (value === 0) {
		return `${sign}0.0`;
	}

	const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(Math.abs(value).toExponential());
	if (!match) {
		throw new RangeError(`Cannot render ${value}`);
	}

	const digits = `${match[1] ?? ''}${match[2] ?? ''}`.replace(/0+$/, '') || '0';
	const exponent = Number(match[3]);
	const point = exponent + 1;
	if (point > 16 || point < -3) {
		const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
		return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
	}

	if (point <= 0) {
		return `${sign}0.${'0'.repeat(-point)}${digits}`;
	}

	if (point >= digits.length) {
		return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
	}

	return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function toFiniteNumber(type: 'FLOAT' | 'DOUBLE', value: Exclude<RecordValue, null | undefined>): number {
	const number = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
	if (!Number.isFinite(number)) {
		throw new TypeError(`${describe(value)} is not a finite ${type} value`);
	}

	return number;
}

const decimalPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The wire text of one value: DOUBLE as Python's `'%.16e'` with the zeros before `e` removed, FLOAT as Python's `str()`,
 * BOOLEAN `true`/`false`, TIMESTAMP integer microseconds (a Date is converted), DECIMAL its exact text, integers in
 * decimal. null and undefined stay null, and so does `''` for a non-STRING field (the Python SDK's `validate_value`).
 */
export function encodeRecordValue(type: FieldType, value: RecordValue): string | null {
	if (value === null || value === undefined || (value === '' && type !== 'STRING')) {
		return null;
	}

	switch (type) {
		case 'STRING': {
			if (value instanceof Date || typeof value === 'boolean') {
				throw new TypeError(`${describe(value)} is not a STRING value; convert it to text first`);
			}

			return String(value);
		}

		case 'BOOLEAN': {
			if (typeof value === 'boolean') {
				return value ? 'true' : 'false';
			}

			if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
				return value.trim().toLowerCase();
			}

			throw new TypeError(`${describe(value)} is not a BOOLEAN value`);
		}

		case 'DOUBLE': {
			return formatExponential(toFiniteNumber(type, value), 16).replace(/0+e/, 'e');
		}

		case 'FLOAT': {
			return pythonFloatRepr(toFiniteNumber(type, value));
		}

		case 'DECIMAL': {
			if (typeof value === 'bigint') {
				return value.toString();
			}

			if (typeof value === 'number' && Number.isFinite(value)) {
				return String(value);
			}

			if (typeof value === 'string' && decimalPattern.test(value.trim())) {
				return value.trim();
			}

			throw new TypeError(`${describe(value)} is not a DECIMAL value`);
		}

		case 'TINYINT':
		case 'SMALLINT':
		case 'INTEGER':
		case 'BIGINT':
		case 'TIMESTAMP': {
			return toInteger(type, value).toString();
		}
	}
}

/**
 * The typed value of a wire string: TINYINT/SMALLINT/INTEGER/FLOAT/DOUBLE as numbers, BIGINT and TIMESTAMP
 * (microseconds) as bigints, DECIMAL and STRING as text, BOOLEAN as a boolean, null as null.
 */
export function decodeRecordValue(type: FieldType, text: string | null): DecodedValue {
	if (text === null) {
		return null;
	}

	switch (type) {
		case 'STRING':
		case 'DECIMAL': {
			if (type === 'DECIMAL' && !decimalPattern.test(text)) {
				throw new TypeError(`${describe(text)} is not a DECIMAL value`);
			}

			return text;
		}

		case 'BOOLEAN': {
			if (!/^(true|false)$/i.test(text)) {
				throw new TypeError(`${describe(text)} is not a BOOLEAN value`);
			}

			return text.toLowerCase() === 'true';
		}

		case 'FLOAT':
		case 'DOUBLE': {
			const special: Record<string, number> = {nan: Number.NaN, inf: Number.POSITIVE_INFINITY, '-inf': Number.NEGATIVE_INFINITY, infinity: Number.POSITIVE_INFINITY, '-infinity': Number.NEGATIVE_INFINITY};
			const lower = text.trim().toLowerCase();
			if (lower in special) {
				return special[lower] ?? Number.NaN;
			}

			if (!decimalPattern.test(text.trim())) {
				throw new TypeError(`${describe(text)} is not a ${type} value`);
			}

			return Number(text);
		}

		case 'TINYINT':
		case 'SMALLINT':
		case 'INTEGER': {
			return Number(toInteger(type, text));
		}

		case 'BIGINT':
		case 'TIMESTAMP': {
			return toInteger(type, text);
		}
	}
}

/** Microseconds since the epoch (a decoded TIMESTAMP) as a Date; sub-millisecond digits are dropped. */
export function microsToDate(micros: bigint): Date {
	const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
	return new Date(Number(millis));
}
