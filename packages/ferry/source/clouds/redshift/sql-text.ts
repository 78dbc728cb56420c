/** Quoting for SQL text ferry builds itself; Redshift follows PostgreSQL's rules here. */
import {UsageError} from '../../engine/errors.js';

export function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The one way a value enters Redshift SQL text as a string literal: quotes doubled. Redshift reads backslash escapes
 * inside an ordinary literal (its QUOTE_LITERAL doubles backslashes), while a PostgreSQL with
 * standard_conforming_strings (its wire protocol's default, and the local stand-in's) does not: no spelling of a
 * backslash means the same to both, so a backslash is refused, as is NUL, which no Redshift string holds.
 */
export function quoteLiteral(value: string): string {
	if (value.includes('\u0000')) {
		throw new UsageError(`The value ${JSON.stringify(value)} contains a NUL character, which a Redshift string cannot hold`, {hint: 'Remove the NUL character from the value.'});
	}

	if (value.includes('\\')) {
		throw new UsageError(`The value ${JSON.stringify(value)} contains a backslash, which Redshift reads as an escape inside a string literal`, {
			hint: 'Rename the table or column, or choose a path without a backslash.',
		});
	}

	return `'${value.replaceAll('\'', '\'\'')}'`;
}

export function qualifiedName(schema: string, table: string): string {
	return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
