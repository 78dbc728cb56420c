/**
 * The records the procedure writes: a built-in generator of realistic log records (deterministic, so a resumed
 * run writes the same records), or a file of the user's (CSV with a header row, or JSON Lines), columns by name.
 * Every value is checked against its field type before anything is written; the first bad line is named.
 */
import {readFile} from 'node:fs/promises';
import {encodeRecordValue, type FieldType, type RecordValue} from '../../source/clouds/datahub/schema.js';
import {PreflightError} from '../../source/kit.js';
import {instantOf} from './time.js';
import type {ColumnMapping} from './type-mapping.js';

/** One record as the wire carries it: each field's text in schema order, null for NULL. */
export type WireRecord = (string | null)[];

const paths = ['/api/orders', '/api/orders/{id}', '/api/cart', '/api/login', '/api/search', '/health', '/api/payments', '/static/app.js'];
const methods = ['GET', 'GET', 'GET', 'POST', 'GET', 'GET', 'POST', 'GET'];
const statuses = [200, 200, 200, 201, 200, 304, 404, 500];
const hosts = ['web-01', 'web-02', 'web-03', 'api-01', 'api-02'];
const levels = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR'];
/** A fixed day, so generated logs land in predictable partitions when a table partitions by a field. */
const generatorEpochMs = Date.UTC(2026, 10, 1);

/** Spreads ordinals over the vocabularies without visible stripes (a multiplicative hash). */
function mix(ordinal: number, salt: number): number {
	return Math.abs(Math.imul(ordinal + 1, 2_654_435_761) ^ Math.imul(salt + 1, 40_503)) >>> 0;
}

/** A log-like value for a column of this type; the column's position salts it so columns differ, the run's seed so runs do. */
function generatedValue(mapping: ColumnMapping, position: number, ordinal: number, seed: string): RecordValue {
	const h = mix(ordinal, position + seedNumber(seed));
	const name = mapping.column.toLowerCase();
	switch (mapping.fieldType) {
		case 'STRING': {
			if (position === 0 || name.includes('host')) {
				return hosts[h % hosts.length];
			}

			const request = h % paths.length;
			// A request id makes every generated record distinct, so duplicates in the target stand out.
			return `${levels[h % levels.length]} ${methods[request]} ${paths[request]!.replace('{id}', String(1000 + (h % 9000)))} ${statuses[(h >> 3) % statuses.length]} rid=${seed}-${ordinal.toString(36)}`;
		}

		case 'DOUBLE':
		case 'FLOAT': {
			return (h % 250_000) / 100;
		}

		case 'DECIMAL': {
			return `${h % 100_000}.${String(h % 100).padStart(2, '0')}`;
		}

		case 'BOOLEAN': {
			return h % 5 !== 0;
		}

		case 'TINYINT': {
			return h % 128;
		}

		case 'SMALLINT': {
			return h % 32_768;
		}

		case 'INTEGER': {
			return h % 2_000_000;
		}

		case 'BIGINT': {
			return BigInt(ordinal) * 1_000_003n + BigInt(h % 1000);
		}

		case 'TIMESTAMP': {
			return new Date(generatorEpochMs + ordinal * 1000 + (h % 1000));
		}
	}
}

function seedNumber(seed: string): number {
	let value = 0;
	for (const char of seed) {
		value = Math.imul(value, 31) + char.charCodeAt(0);
	}

	return Math.abs(value) % 1_000_003;
}

/** `seed` (the session's) makes each run's records its own, while a resumed run regenerates the same ones. */
export function generateRecords(mappings: readonly ColumnMapping[], count: number, seed: string, firstOrdinal = 0): WireRecord[] {
	const records: WireRecord[] = [];
	for (let ordinal = firstOrdinal; ordinal < firstOrdinal + count; ordinal++) {
		records.push(mappings.map((mapping, position) => encodeRecordValue(mapping.fieldType, generatedValue(mapping, position, ordinal, seed))));
	}

	return records;
}

/** RFC 4180 fields; an unquoted empty field is NULL, a quoted one ("") is the empty string. */
export function parseCsv(text: string): Array<Array<string | null>> {
	const rows: Array<Array<string | null>> = [];
	let row: Array<string | null> = [];
	let field = '';
	let quoted = false;
	let inQuotes = false;
	const endField = () => {
		row.push(field === '' && !quoted ? null : field);
		field = '';
		quoted = false;
	};

	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (inQuotes) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') {
				inQuotes = false;
			} else {
				field += char;
			}
		} else if (char === '"') {
			inQuotes = true;
			quoted = true;
		} else if (char === ',') {
			endField();
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[index + 1] === '\n') {
				index++;
			}

			endField();
			rows.push(row);
			row = [];
		} else {
			field += char;
		}
	}

	if (inQuotes) {
		throw new SyntaxError('a quoted field is not closed before the end of the file');
	}

	if (field !== '' || quoted || row.length > 0) {
		endField();
		rows.push(row);
	}

	return rows;
}

/** A text value from a file as its field type wants it: TIMESTAMP as µs, an ISO instant, or wall-clock time in the zone. */
function typedFromText(type: FieldType, text: string, timeZone: string): RecordValue {
	if (type !== 'TIMESTAMP' || /^-?\d+$/.test(text)) {
		return text;
	}

	const wall = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
	if (wall) {
		const [, year, month, day, hour, minute, second] = wall.map(Number) as number[];
		return new Date(instantOf({year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second ?? 0}, timeZone));
	}

	const instant = Date.parse(text);
	if (Number.isNaN(instant)) {
		throw new TypeError(`${JSON.stringify(text)} is not a time (use microseconds, YYYY-MM-DD HH:MM:SS or an ISO 8601 instant)`);
	}

	return new Date(instant);
}

function encodeRow(mappings: readonly ColumnMapping[], value: (column: string) => unknown, where: string, timeZone: string): WireRecord {
	return mappings.map(mapping => {
		const raw = value(mapping.column);
		try {
			if (raw === null || raw === undefined) {
				return null;
			}

			const typed = typeof raw === 'string' ? typedFromText(mapping.fieldType, raw, timeZone) : raw as RecordValue;
			return encodeRecordValue(mapping.fieldType, typed);
		} catch (error) {
			throw new PreflightError(`${where}: column ${mapping.column} (${mapping.fieldType}): ${(error as Error).message}`, {hint: 'Fix the value in the input file, then run again; nothing has been written.'});
		}
	});
}

/** Reads and checks the whole input file against the topic's fields. */
export async function readInputRecords(file: string, mappings: readonly ColumnMapping[], timeZone: string): Promise<WireRecord[]> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		throw new PreflightError(`Cannot read the input file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {hint: 'Check --set input=FILE.'});
	}

	const columns = mappings.map(mapping => mapping.column.toLowerCase());
	if (/\.jsonl?$|\.ndjson$/i.test(file)) {
		return text.split('\n').flatMap((line, index) => {
			if (line.trim() === '') {
				return [];
			}

			let object: Record<string, unknown>;
			try {
				object = JSON.parse(line) as Record<string, unknown>;
			} catch {
				throw new PreflightError(`${file} line ${index + 1} is not JSON`, {hint: 'JSON Lines: one object per line, keys are the column names.'});
			}

			const lower = new Map(Object.entries(object).map(([key, value]) => [key.toLowerCase(), value]));
			const unknown = [...lower.keys()].filter(key => !columns.includes(key));
			if (unknown.length > 0) {
				throw new PreflightError(`${file} line ${index + 1} has keys that are not columns of the table: ${unknown.join(', ')}`);
			}

			return [encodeRow(mappings, column => lower.get(column.toLowerCase()), `${file} line ${index + 1}`, timeZone)];
		});
	}

	let rows: Array<Array<string | null>>;
	try {
		rows = parseCsv(text);
	} catch (error) {
		throw new PreflightError(`${file} is not valid CSV: ${(error as Error).message}`);
	}

	const [header, ...body] = rows;
	const names = (header ?? []).map(name => (name ?? '').trim().toLowerCase());
	const missing = columns.filter(column => !names.includes(column));
	const unknown = names.filter(name => !columns.includes(name));
	if (missing.length > 0 || unknown.length > 0) {
		throw new PreflightError(`The header of ${file} does not match the table: ${[...missing.map(name => `missing ${name}`), ...unknown.map(name => `unknown ${name}`)].join(', ')}`, {hint: `The first row names the columns: ${mappings.map(mapping => mapping.column).join(',')}`});
	}

	return body.map((row, index) => {
		if (row.length !== names.length) {
			throw new PreflightError(`${file} row ${index + 2} has ${row.length} fields, the header ${names.length}`);
		}

		return encodeRow(mappings, column => row[names.indexOf(column.toLowerCase())], `${file} row ${index + 2}`, timeZone);
	});
}
