/**
 * The records the procedure writes: a built-in generator of realistic log records (deterministic, so a resumed
 * run writes the same records), or a file of the user's (CSV with a header row, or JSON Lines), columns by name.
 * A file is streamed, never held whole: preflight reads it once to check every record (its values against the field
 * types, its size against DataHub's limits, a USER_DEFINE partition value against MaxCompute's rule) and the first bad
 * line is named; the write step reads it again a batch at a time.
 */
import {createReadStream} from 'node:fs';
import {requestBodyLimitBytes, stringFieldLimitBytes} from '../../source/clouds/datahub/limits.js';
import {encodeRecordValue, type FieldType, type RecordValue} from '../../source/clouds/datahub/schema.js';
import {maxComputePartitionValue} from '../../source/clouds/maxcompute/names.js';
import {formatBytes, PreflightError} from '../../source/kit.js';
import {createCsvReader, CsvError, type CsvRow} from './csv-stream.js';
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

function generatedDay(ordinal: number): string {
	const day = new Date(generatorEpochMs + (mix(ordinal, 7) % 3) * 86_400_000);
	return `${day.getUTCFullYear()}${String(day.getUTCMonth() + 1).padStart(2, '0')}${String(day.getUTCDate()).padStart(2, '0')}`;
}

function seedNumber(seed: string): number {
	let value = 0;
	for (const char of seed) {
		value = Math.imul(value, 31) + char.charCodeAt(0);
	}

	return Math.abs(value) % 1_000_003;
}

/**
 * `seed` (the session's) makes each run's records its own, while a resumed run regenerates the same ones. The field
 * that names a record's partition (USER_DEFINE) gets one of three days, a value MaxCompute takes as a partition.
 */
export function generateRecords(mappings: readonly ColumnMapping[], count: number, seed: string, firstOrdinal = 0, partitionField?: string): WireRecord[] {
	const records: WireRecord[] = [];
	for (let ordinal = firstOrdinal; ordinal < firstOrdinal + count; ordinal++) {
		records.push(mappings.map((mapping, position) => encodeRecordValue(mapping.fieldType, mapping.column.toLowerCase() === partitionField?.toLowerCase() ? generatedDay(ordinal) : generatedValue(mapping, position, ordinal, seed))));
	}

	return records;
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

const nothingWritten = 'nothing has been written';

export type RecordSource =
	| {kind: 'file'; file: string; timeZone: string; partitionField?: string}
	| {kind: 'generated'; count: number; seed: string; partitionField?: string};

/** One record of a file: its number (from 0), the line it starts on, its values as the wire carries them. */
export type InputRecord = {ordinal: number; line: number; values: WireRecord};

/**
 * What one record may weigh as its values' JSON: DataHub takes at most 4 MB a request; the rest of the request (its
 * envelope, the shard id and ferry's two attributes) takes well under 1 KB.
 */
export const maxRecordDataBytes = requestBodyLimitBytes - 1024;
/** A JSON line longer than this cannot hold a record DataHub takes, even with every character escaped twice over. */
const maxJsonLineChars = 2 * requestBodyLimitBytes;
const readChunkBytes = 64 * 1024;

/** Checks every record of the source; its number of records. A file with none is a preflight error. */
export async function checkRecords(source: RecordSource, mappings: readonly ColumnMapping[]): Promise<number> {
	if (source.kind === 'generated') {
		return source.count;
	}

	let records = 0;
	for await (const _record of readInputRecords(source, mappings)) {
		records++;
	}

	if (records === 0) {
		throw new PreflightError(`${source.file} holds no records`, {hint: `Add records below the header row (${mappings.map(mapping => mapping.column).join(',')}), one a line, or name another file (--set input=FILE); with no input, generated records are written. Nothing has been created.`});
	}

	return records;
}

/** The source's records from `from` on, `size` at a time: the first record's number and the records. */
export async function * recordBatches(source: RecordSource, mappings: readonly ColumnMapping[], from: number, size: number): AsyncGenerator<{from: number; records: WireRecord[]}> {
	if (source.kind === 'generated') {
		for (let first = from; first < source.count; first += size) {
			yield {from: first, records: generateRecords(mappings, Math.min(size, source.count - first), source.seed, first, source.partitionField)};
		}

		return;
	}

	let batch: WireRecord[] = [];
	let first = from;
	for await (const record of readInputRecords(source, mappings)) {
		if (record.ordinal < from) {
			continue;
		}

		batch.push(record.values);
		if (batch.length === size) {
			yield {from: first, records: batch};
			first += batch.length;
			batch = [];
		}
	}

	if (batch.length > 0) {
		yield {from: first, records: batch};
	}
}

/** The file's records, each checked; a PreflightError names the first line DataHub or MaxCompute would refuse. */
export async function * readInputRecords(source: Extract<RecordSource, {kind: 'file'}>, mappings: readonly ColumnMapping[]): AsyncGenerator<InputRecord> {
	const check = recordChecker(source, mappings);
	const rows = /\.jsonl?$|\.ndjson$/i.test(source.file) ? jsonLines(source.file, mappings) : csvRows(source.file, mappings);
	let ordinal = 0;
	for await (const row of rows) {
		yield {ordinal, line: row.line, values: check(row.line, row.value)};
		ordinal++;
	}
}

type FileRow = {line: number; value: (column: string) => unknown};

function recordChecker(source: Extract<RecordSource, {kind: 'file'}>, mappings: readonly ColumnMapping[]): (line: number, value: (column: string) => unknown) => WireRecord {
	const partitionField = source.partitionField?.toLowerCase();
	return (line, value) => {
		const where = `${source.file} line ${line}`;
		const values = mappings.map(mapping => {
			const raw = value(mapping.column);
			let encoded: string | null;
			try {
				encoded = raw === null || raw === undefined ? null : encodeRecordValue(mapping.fieldType, typeof raw === 'string' ? typedFromText(mapping.fieldType, raw, source.timeZone) : raw as RecordValue);
			} catch (error) {
				throw new PreflightError(`${where}: column ${mapping.column} (${mapping.fieldType}): ${(error as Error).message}`, {hint: `Fix the value in the input file, then run again; ${nothingWritten}.`});
			}

			if (encoded !== null && Buffer.byteLength(encoded) > stringFieldLimitBytes) {
				throw tooLargeField(where, mapping.column, Buffer.byteLength(encoded));
			}

			if (mapping.column.toLowerCase() === partitionField) {
				const problem = encoded === null ? 'a record needs a partition value (USER_DEFINE)' : maxComputePartitionValue(encoded);
				if (problem) {
					throw new PreflightError(`${where}: column ${mapping.column} names the record's partition: ${problem}`, {hint: `Fix the value in the input file, or use --set partitionMode=SYSTEM_TIME; ${nothingWritten}.`});
				}
			}

			return encoded;
		});
		const bytes = Buffer.byteLength(JSON.stringify(values));
		if (bytes > maxRecordDataBytes) {
			throw new PreflightError(`${where}: the record is ${formatBytes(bytes)} as PutRecords sends it, over DataHub's limit of ${documented(requestBodyLimitBytes)} for one request`, {hint: `DataHub cannot take this record; shorten its values, split it, or leave the line out; ${nothingWritten}.`});
		}

		return values;
	};
}

/** A limit as DataHub's documentation states it ("2 MB", "4 MB"). */
const documented = (bytes: number) => `${bytes / 1024 / 1024} MB`;

function tooLargeField(where: string, column: string, bytes?: number): PreflightError {
	const size = bytes === undefined ? 'larger than' : `${formatBytes(bytes)}, over`;
	return new PreflightError(`${where}: the value of column ${column} is ${size} DataHub's limit of ${documented(stringFieldLimitBytes)} for one string field`, {hint: `DataHub cannot take this value; shorten it or leave the line out; ${nothingWritten}.`});
}

/** The file's text a chunk at a time; a file that cannot be read is a preflight error. */
async function * fileChunks(file: string): AsyncGenerator<string> {
	const stream = createReadStream(file, {encoding: 'utf8', highWaterMark: readChunkBytes});
	let first = true;
	try {
		for await (const chunk of stream) {
			// A byte order mark (spreadsheets write one) is not part of the first column's name.
			yield first ? (chunk as string).replace(/^\uFEFF/, '') : chunk as string;
			first = false;
		}
	} catch (error) {
		throw new PreflightError(`Cannot read the input file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {hint: 'Check --set input=FILE.'});
	} finally {
		stream.destroy();
	}
}

/** What the CSV reader stopped at, as a preflight error with the way out. */
function csvProblem(file: string, error: unknown, names: readonly string[] | undefined): unknown {
	if (!(error instanceof CsvError)) {
		return error;
	}

	const {problem} = error;
	const where = `${file} line ${problem.line}`;
	switch (problem.kind) {
		case 'unclosed-quote': {
			return new PreflightError(`${where}: a quoted value is not closed before the end of the file`, {hint: `A value that starts with " ends with "; a quote inside it is written "". Add the closing quote on line ${problem.line} or after it; ${nothingWritten}.`});
		}

		case 'field-too-large': {
			return tooLargeField(where, names?.[problem.field] ?? `number ${problem.field + 1}`);
		}

		case 'row-too-large': {
			return new PreflightError(`${where}: the record is larger than DataHub's limit of ${documented(requestBodyLimitBytes)} for one request`, {hint: `DataHub cannot take this record; shorten its values, split it, or leave the line out; ${nothingWritten}.`});
		}
	}
}

async function * csvRows(file: string, mappings: readonly ColumnMapping[]): AsyncGenerator<FileRow> {
	const columns = mappings.map(mapping => mapping.column.toLowerCase());
	const layout = mappings.map(mapping => mapping.column).join(',');
	const reader = createCsvReader({maxFieldChars: stringFieldLimitBytes, maxRowChars: maxRecordDataBytes});
	let names: string[] | undefined;
	const read = (next: () => CsvRow[]): CsvRow[] => {
		try {
			return next();
		} catch (error) {
			throw csvProblem(file, error, names);
		}
	};

	const records = function * (rows: CsvRow[]): Generator<FileRow> {
		for (const row of rows) {
			if (!names) {
				names = row.fields.map(name => (name ?? '').trim().toLowerCase());
				const missing = columns.filter(column => !names!.includes(column));
				const unknown = names.filter(name => !columns.includes(name));
				if (missing.length > 0 || unknown.length > 0) {
					throw new PreflightError(`The header of ${file} does not match the table: ${[...missing.map(name => `missing ${name}`), ...unknown.map(name => `unknown ${name}`)].join(', ')}`, {hint: `The first row names the columns: ${layout}`});
				}

				continue;
			}

			// A blank line is no record.
			if (row.fields.length === 1 && row.fields[0] === null) {
				continue;
			}

			if (row.fields.length !== names.length) {
				throw new PreflightError(`${file} line ${row.line} has ${row.fields.length} ${row.fields.length === 1 ? 'value' : 'values'}, the header ${names.length} (${layout})`, {hint: `Give every line one value per header column, separated by commas; quote a value that holds a comma or a line break ("a,b") and write a quote inside it as ""; ${nothingWritten}.`});
			}

			const header = names;
			yield {line: row.line, value: column => row.fields[header.indexOf(column.toLowerCase())]};
		}
	};

	for await (const chunk of fileChunks(file)) {
		yield * records(read(() => reader.push(chunk)));
	}

	yield * records(read(() => reader.end()));
	if (!names) {
		throw new PreflightError(`${file} is empty`, {hint: `Write a header row naming the columns (${layout}) and the records below it, or name another file (--set input=FILE); with no input, generated records are written. Nothing has been created.`});
	}
}

async function * jsonLines(file: string, mappings: readonly ColumnMapping[]): AsyncGenerator<FileRow> {
	const columns = mappings.map(mapping => mapping.column.toLowerCase());
	let pending: string[] = [];
	let pendingChars = 0;
	let line = 1;
	const parse = (text: string, number: number): FileRow | undefined => {
		if (text.trim() === '') {
			return undefined;
		}

		let object: Record<string, unknown>;
		try {
			object = JSON.parse(text) as Record<string, unknown>;
		} catch {
			throw new PreflightError(`${file} line ${number} is not JSON`, {hint: `JSON Lines: one object per line, keys are the column names; ${nothingWritten}.`});
		}

		if (object === null || typeof object !== 'object' || Array.isArray(object)) {
			throw new PreflightError(`${file} line ${number} is not a JSON object`, {hint: `JSON Lines: one object per line, keys are the column names; ${nothingWritten}.`});
		}

		const lower = new Map(Object.entries(object).map(([key, value]) => [key.toLowerCase(), value]));
		const unknown = [...lower.keys()].filter(key => !columns.includes(key));
		if (unknown.length > 0) {
			throw new PreflightError(`${file} line ${number} has keys that are not columns of the table: ${unknown.join(', ')}`, {hint: `The keys are the column names: ${mappings.map(mapping => mapping.column).join(', ')}.`});
		}

		return {line: number, value: column => lower.get(column.toLowerCase())};
	};

	for await (const chunk of fileChunks(file)) {
		let start = 0;
		for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
			pending.push(chunk.slice(start, end));
			const row = parse(pending.join(''), line);
			pending = [];
			pendingChars = 0;
			line++;
			start = end + 1;
			if (row) {
				yield row;
			}
		}

		const rest = chunk.slice(start);
		pendingChars += rest.length;
		if (pendingChars > maxJsonLineChars) {
			throw new PreflightError(`${file} line ${line} is longer than ${documented(maxJsonLineChars)}: no record that long fits DataHub's limit of ${documented(requestBodyLimitBytes)} for one request`, {hint: `Shorten its values, split it, or leave the line out; ${nothingWritten}.`});
		}

		pending.push(rest);
	}

	const row = parse(pending.join(''), line);
	if (row) {
		yield row;
	}
}
