/**
 * The text of an SQL task result (`?result`): CSV whose first row holds the column names,
 * quotes doubled inside quoted fields, NULL written as the bare token `\N` (a quoted `"\N"` is that 2-character string).
 * Backslashes are literal: pyodps escapes the text with `unicode_escape` only so Python's csv module survives control
 * characters and undoes it field by field, and the Java SDK's CsvReader reads the text as is, so neither interprets
 * `\n` or `\\` as escapes.
 */
export const nullToken = '\\N';

export type ResultTable = {columns: string[]; rows: (string | null)[][]};

type CsvField = {value: string; quoted: boolean};

/** RFC 4180 records; each field remembers whether it was quoted, so `"\N"` (a string) differs from `\N` (NULL). */
export function parseCsvRecords(text: string): CsvField[][] {
	const records: CsvField[][] = [];
	let record: CsvField[] = [];
	let field = '';
	let quoted = false;
	let wasQuoted = false;
	let index = 0;
	let fieldStarted = false;
	while (index < text.length) {
		const character = text[index]!;
		if (quoted) {
			if (character === '"') {
				if (text[index + 1] === '"') {
					field += '"';
					index += 2;
					continue;
				}

				quoted = false;
			} else {
				field += character;
			}

			index++;
			continue;
		}

		if (character === '"' && field === '' && !wasQuoted) {
			quoted = true;
			wasQuoted = true;
			fieldStarted = true;
		} else if (character === ',') {
			record.push({value: field, quoted: wasQuoted});
			field = '';
			wasQuoted = false;
			fieldStarted = true;
		} else if (character === '\n' || character === '\r') {
			if (character === '\r' && text[index + 1] === '\n') {
				index++;
			}

			record.push({value: field, quoted: wasQuoted});
			records.push(record);
			record = [];
			field = '';
			wasQuoted = false;
			fieldStarted = false;
		} else {
			field += character;
			fieldStarted = true;
		}

		index++;
	}

	if (fieldStarted || field !== '' || record.length > 0) {
		record.push({value: field, quoted: wasQuoted});
		records.push(record);
	}

	return records;
}

export function parseResultCsv(text: string): ResultTable {
	const [header, ...body] = parseCsvRecords(text);
	if (!header) {
		return {columns: [], rows: []};
	}

	return {
		columns: header.map(field => field.value),
		rows: body.map(record => record.map(field => (field.value === nullToken && !field.quoted ? null : field.value))),
	};
}
