/**
 * RFC 4180 CSV read a chunk at a time, so a file of any size is read in bounded memory: a row is handed on as soon as
 * it ends, and a field or a row longer than the caller's limit stops the reading there, naming its line, before it
 * is held whole. An unquoted empty field is NULL, a quoted one ("") is the empty string; line breaks are LF, CRLF
 * or CR, also inside quoted fields (the line numbers count them).
 */

/** One row: its fields and the line it starts on (1-based). */
export type CsvRow = {fields: Array<string | null>; line: number};

export type CsvProblem =
	| {kind: 'unclosed-quote'; line: number}
	| {kind: 'field-too-large'; line: number; field: number; limit: number}
	| {kind: 'row-too-large'; line: number; limit: number};

export class CsvError extends Error {
	readonly problem: CsvProblem;

	constructor(problem: CsvProblem) {
		super(problem.kind === 'unclosed-quote'
			? `the quoted field that starts on line ${problem.line} is not closed before the end of the file`
			: problem.kind === 'field-too-large'
				? `field ${problem.field + 1} of line ${problem.line} is longer than ${problem.limit.toLocaleString('en-US')} characters`
				: `the row on line ${problem.line} is longer than ${problem.limit.toLocaleString('en-US')} characters`);
		this.name = 'CsvError';
		this.problem = problem;
	}
}

export type CsvReaderOptions = {
	/** Characters a field may have. @default unbounded */
	maxFieldChars?: number;
	/** Characters a row's fields may have together. @default unbounded */
	maxRowChars?: number;
};

export type CsvReader = {
	/** The rows that ended in this chunk. */
	push(chunk: string): CsvRow[];
	/** The last row, if the text did not end with a line break; throws on a quote left open. */
	end(): CsvRow[];
};

const special = /[",\r\n]/g;

export function createCsvReader(options: CsvReaderOptions = {}): CsvReader {
	const maxField = options.maxFieldChars ?? Number.POSITIVE_INFINITY;
	const maxRow = options.maxRowChars ?? Number.POSITIVE_INFINITY;
	let parts: string[] = [];
	let fieldChars = 0;
	let rowChars = 0;
	let row: Array<string | null> = [];
	let quoted = false;
	let inQuotes = false;
	let fieldStarted = false;
	/** A quote ended the last chunk inside a quoted field: the next character tells a closing quote from "". */
	let quoteAtEnd = false;
	/** A CR ended the last chunk: a LF first in the next one belongs to it. */
	let crAtEnd = false;
	let line = 1;
	let rowLine = 1;
	let quoteLine = 1;
	let rows: CsvRow[] = [];

	const append = (text: string) => {
		if (text === '') {
			return;
		}

		fieldStarted = true;
		fieldChars += text.length;
		rowChars += text.length;
		if (fieldChars > maxField) {
			throw new CsvError({kind: 'field-too-large', line: rowLine, field: row.length, limit: maxField});
		}

		if (rowChars > maxRow) {
			throw new CsvError({kind: 'row-too-large', line: rowLine, limit: maxRow});
		}

		parts.push(text);
	};

	const endField = () => {
		const text = parts.length === 1 ? parts[0]! : parts.join('');
		row.push(text === '' && !quoted ? null : text);
		parts = [];
		fieldChars = 0;
		quoted = false;
		fieldStarted = false;
	};

	const endRow = () => {
		endField();
		rows.push({fields: row, line: rowLine});
		row = [];
		rowChars = 0;
		rowLine = line;
	};

	/** Line breaks inside a quoted field: LF, CRLF or CR, a CRLF split between chunks counted once. */
	let previousCr = false;
	const countLines = (text: string) => {
		if (!/[\r\n]/.test(text)) {
			previousCr = false;
			return;
		}

		for (let index = 0; index < text.length; index++) {
			const code = text.charCodeAt(index);
			if (code === 10) {
				line += previousCr ? 0 : 1;
				previousCr = false;
			} else {
				line += code === 13 ? 1 : 0;
				previousCr = code === 13;
			}
		}
	};

	return {
		push(chunk) {
			rows = [];
			let index = 0;
			if (crAtEnd) {
				crAtEnd = false;
				if (chunk[0] === '\n') {
					index = 1;
				}
			}

			if (quoteAtEnd) {
				quoteAtEnd = false;
				if (chunk[0] === '"') {
					append('"');
					index = 1;
				} else {
					inQuotes = false;
					previousCr = false;
				}
			}

			while (index < chunk.length) {
				if (inQuotes) {
					const close = chunk.indexOf('"', index);
					const end = close === -1 ? chunk.length : close;
					const text = chunk.slice(index, end);
					countLines(text);
					append(text);
					if (close === -1) {
						index = chunk.length;
					} else if (close + 1 === chunk.length) {
						quoteAtEnd = true;
						index = chunk.length;
					} else if (chunk[close + 1] === '"') {
						append('"');
						index = close + 2;
					} else {
						inQuotes = false;
						previousCr = false;
						index = close + 1;
					}

					continue;
				}

				special.lastIndex = index;
				const found = special.exec(chunk);
				const at = found ? found.index : chunk.length;
				append(chunk.slice(index, at));
				if (!found) {
					break;
				}

				const character = found[0];
				index = at + 1;
				if (character === '"') {
					inQuotes = true;
					quoted = true;
					fieldStarted = true;
					quoteLine = line;
				} else if (character === ',') {
					endField();
				} else {
					line++;
					if (character === '\r') {
						if (index === chunk.length) {
							crAtEnd = true;
						} else if (chunk[index] === '\n') {
							index++;
						}
					}

					endRow();
				}
			}

			return rows;
		},
		end() {
			rows = [];
			if (quoteAtEnd) {
				quoteAtEnd = false;
				inQuotes = false;
			}

			if (inQuotes) {
				throw new CsvError({kind: 'unclosed-quote', line: quoteLine});
			}

			if (fieldStarted || quoted || row.length > 0) {
				endRow();
			}

			return rows;
		},
	};
}

/** A whole text at once (small inputs and tests). */
export function parseCsv(text: string): Array<Array<string | null>> {
	const reader = createCsvReader();
	return [...reader.push(text), ...reader.end()].map(row => row.fields);
}
