/**
 * PostgreSQL `COPY … FROM … WITH (FORMAT csv)` text: comma-separated, double quotes around any value
 * that needs them, NULL as an unquoted empty field. Output comes in chunks so a table never has to
 * sit in memory as one string.
 */
import {generateRows, requireTpchTableName, type TpchRow} from './generate.js';
import {getTpchTable} from './schema.js';

/** About 256 KiB per chunk: big enough to make string joins cheap, small enough to stream. */
const defaultChunkCharacters = 1 << 18;

/**
 * In PostgreSQL CSV an unquoted empty field is NULL, so the empty string must be quoted, and a lone
 * `\.` is the end-of-data marker, so it is quoted too.
 */
function needsQuotes(value: string): boolean {
	return value === '' || value === '\\.' || /[",\r\n]/.test(value);
}

export function encodeCsvField(value: string | null): string {
	if (value === null) {
		return '';
	}

	return needsQuotes(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record with its terminating newline. */
export function encodeCsvRecord(values: TpchRow): string {
	return `${values.map(value => encodeCsvField(value)).join(',')}\n`;
}

export type CsvOptions = {
	/** Approximate size of each yielded chunk, in characters. */
	chunkCharacters?: number;
};

/** Numbers and dates are written by the generator as digits, dashes and dots, which never need quotes. */
function textColumns(table: string): boolean[] {
	return getTpchTable(requireTpchTableName(table)).columns.map(column => /^(var)?char\(/.test(column.type));
}

/** Encodes in place: the rows come straight from the generator and nobody else holds them. */
function encodeGeneratedRecord(values: TpchRow, isText: boolean[]): string {
	for (let index = 0; index < values.length; index++) {
		if (isText[index] !== false) {
			values[index] = encodeCsvField(values[index] ?? null);
		}
	}

	return `${values.join(',')}\n`;
}

/** The rows of `table` as CSV records (no header), in chunks of whole records. Bad arguments throw at once. */
export function generateCsv(table: string, scaleFactor: number, options: CsvOptions = {}): Generator<string> {
	const rows = generateRows(table, scaleFactor);
	return chunkRecords(rows, textColumns(table), options.chunkCharacters ?? defaultChunkCharacters);
}

function* chunkRecords(rows: Iterable<TpchRow>, isText: boolean[], chunkCharacters: number): Generator<string> {
	// Joining an array of records once gives a flat string; appending with += would build a rope of
	// thousands of pieces per chunk, and the garbage collector then dominates the run time.
	let records: string[] = [];
	let length = 0;
	for (const row of rows) {
		const record = encodeGeneratedRecord(row, isText);
		records.push(record);
		length += record.length;
		if (length >= chunkCharacters) {
			yield records.join('');
			records = [];
			length = 0;
		}
	}

	if (records.length > 0) {
		yield records.join('');
	}
}

/** A whole number of CSV records of one table: what one COPY statement loads. */
export type CsvBatch = {table: string; csv: string; rows: number};

/** The rows of each table in turn, `rowsPerBatch` records per batch (the last batch of a table may hold fewer). */
export function* generateCsvBatches(tables: readonly string[], scaleFactor: number, rowsPerBatch: number): Generator<CsvBatch> {
	for (const table of tables) {
		const isText = textColumns(table);
		let records: string[] = [];
		for (const row of generateRows(table, scaleFactor)) {
			records.push(encodeGeneratedRecord(row, isText));
			if (records.length >= rowsPerBatch) {
				yield {table, csv: records.join(''), rows: records.length};
				records = [];
			}
		}

		if (records.length > 0) {
			yield {table, csv: records.join(''), rows: records.length};
		}
	}
}
