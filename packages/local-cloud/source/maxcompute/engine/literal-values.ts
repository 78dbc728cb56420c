import type {DuckDBConnection} from '@duckdb/node-api';
import {quoteIdentifier} from './sql-text.js';
import {isSymbol, isWord, type Token} from './tokenizer.js';
import {castTarget, findClosingParenthesis} from './translate.js';
import {duckdbType, parseTypeText} from './types.js';

/**
 * A bulk `INSERT … VALUES (…), (…)` whose every value is a literal: a string, NULL, TRUE/FALSE, `CAST('…' AS type)` or
 * a typed literal (`DATETIME '…'`). DuckDB binds a VALUES list expression by expression, so a statement of thousands
 * of rows spends most of its time there; these rows are appended to a staging table of text columns instead and cast
 * column by column with the very casts the translated VALUES list would apply (text to the literal's type). Any
 * other shape, or a column whose rows mix shapes, goes the general way.
 */
export type LiteralRows = {
	/** Per column, the DuckDB type its text is cast to; undefined: text (a string literal, or NULL in every row). */
	casts: Array<string | undefined>;
	rows: Array<Array<string | null>>;
};

type Literal = {text: string | null; cast: string | undefined; next: number};

/** One literal value at `index`, or undefined when the value is anything else. */
function literalAt(tokens: Token[], index: number): Literal | undefined {
	const token = tokens[index];
	if (token === undefined) return undefined;
	if (token.kind === 'string') return {text: token.value, cast: undefined, next: index + 1};
	if (isWord(token, 'null')) return {text: null, cast: undefined, next: index + 1};
	if (isWord(token, 'true', 'false')) return {text: token.value, cast: 'BOOLEAN', next: index + 1};
	const value = tokens[index + 1];
	if (isWord(token, 'datetime', 'timestamp', 'date') && value?.kind === 'string') {
		return {text: value.value, cast: duckdbType(parseTypeText(token.value)), next: index + 2};
	}

	if (isWord(token, 'cast') && isSymbol(value, '(') && tokens[index + 2]?.kind === 'string' && isWord(tokens[index + 3], 'as')) {
		const close = findClosingParenthesis(tokens, index + 1);
		const target = castTarget(tokens, index + 4, close);
		return target === undefined ? undefined : {text: tokens[index + 2]!.value, cast: target, next: close + 1};
	}

	return undefined;
}

/** The rows of a literal VALUES list spanning [start, end), or undefined when it is not one. */
export function literalValues(tokens: Token[], start: number, end: number): LiteralRows | undefined {
	if (!isWord(tokens[start], 'values')) return undefined;
	const rows: Array<Array<string | null>> = [];
	const casts: Array<string | undefined> = [];
	/** Whether a column has met a non-NULL value, whose shape every later value must share. */
	const typed: boolean[] = [];
	let index = start + 1;
	for (;;) {
		if (!isSymbol(tokens[index], '(')) return undefined;
		index++;
		const row: Array<string | null> = [];
		for (;;) {
			const literal = literalAt(tokens, index);
			if (literal === undefined) return undefined;
			const column = row.length;
			if (literal.text !== null) {
				if (!typed[column]) {
					casts[column] = literal.cast;
					typed[column] = true;
				} else if (casts[column] !== literal.cast) {
					return undefined;
				}
			}

			row.push(literal.text);
			index = literal.next;
			if (isSymbol(tokens[index], ',')) {
				index++;
				continue;
			}

			if (!isSymbol(tokens[index], ')')) return undefined;
			index++;
			break;
		}

		if (rows.length > 0 && row.length !== rows[0]!.length) return undefined;
		rows.push(row);
		if (index === end) break;
		if (!isSymbol(tokens[index], ',')) return undefined;
		index++;
	}

	return {casts: Array.from({length: rows[0]!.length}, (_, column) => casts[column]), rows};
}

/**
 * Appends the rows to a new temporary table of text columns and answers the query that reads them back cast,
 * as `SELECT` text the INSERT can use in place of the VALUES list, and the table to drop afterwards.
 */
export async function stageLiteralRows(connection: DuckDBConnection, literal: LiteralRows, name: string): Promise<{sql: string; table: string}> {
	const columns = literal.casts.map((_, index) => `c${index}`);
	await connection.run(`CREATE TEMP TABLE ${quoteIdentifier(name)} (${columns.map(column => `${column} VARCHAR`).join(', ')})`);
	const appender = await connection.createAppender(name, 'main', 'temp');
	try {
		for (const row of literal.rows) {
			for (const value of row) {
				if (value === null) appender.appendNull();
				else appender.appendVarchar(value);
			}

			appender.endRow();
		}

		appender.flushSync();
	} finally {
		appender.closeSync();
	}

	const table = `temp.main.${quoteIdentifier(name)}`;
	const select = literal.casts.map((cast, index) => (cast === undefined ? columns[index]! : `CAST(${columns[index]} AS ${cast})`));
	return {sql: `SELECT ${select.join(', ')} FROM ${table}`, table};
}

/** A failed cast of a staged column reads as the failed cast of the literal it was: without the staging column's name. */
export function asLiteralError(error: unknown): unknown {
	if (error instanceof Error) error.message = error.message.replace(/ when casting from source column c\d+/, '');
	return error;
}
