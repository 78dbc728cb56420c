/**
 * A small lexer for SQL text: enough to split a simple-query string into statements and to find function calls
 * outside strings, quoted identifiers, dollar-quoted bodies and comments.
 */
export type SqlToken = {kind: 'word' | 'quoted' | 'string' | 'comment' | 'space' | 'symbol' | 'number' | 'parameter'; text: string; start: number; end: number};

function endOfQuoted(sql: string, start: number, quote: string): number {
	let index = start + 1;
	while (index < sql.length) {
		if (sql[index] === quote) {
			if (sql[index + 1] === quote) {
				index += 2;
				continue;
			}

			return index + 1;
		}

		index++;
	}

	return sql.length;
}

function endOfEscapeString(sql: string, start: number): number {
	let index = start + 2;
	while (index < sql.length) {
		if (sql[index] === '\\') {
			index += 2;
			continue;
		}

		if (sql[index] === '\'') {
			if (sql[index + 1] === '\'') {
				index += 2;
				continue;
			}

			return index + 1;
		}

		index++;
	}

	return sql.length;
}

function endOfBlockComment(sql: string, start: number): number {
	let depth = 0;
	let index = start;
	while (index < sql.length) {
		if (sql.startsWith('/*', index)) {
			depth++;
			index += 2;
		} else if (sql.startsWith('*/', index)) {
			depth--;
			index += 2;
			if (depth === 0) {
				return index;
			}
		} else {
			index++;
		}
	}

	return sql.length;
}

export function tokenizeSql(sql: string): SqlToken[] {
	const tokens: SqlToken[] = [];
	let index = 0;
	const push = (kind: SqlToken['kind'], end: number) => {
		tokens.push({kind, text: sql.slice(index, end), start: index, end});
		index = end;
	};

	while (index < sql.length) {
		const character = sql[index]!;
		const rest = sql.slice(index, index + 2);
		if (/\s/.test(character)) {
			push('space', index + /^\s+/.exec(sql.slice(index))![0].length);
		} else if (rest === '--') {
			const newline = sql.indexOf('\n', index);
			push('comment', newline === -1 ? sql.length : newline);
		} else if (rest === '/*') {
			push('comment', endOfBlockComment(sql, index));
		} else if ((character === 'E' || character === 'e') && sql[index + 1] === '\'') {
			push('string', endOfEscapeString(sql, index));
		} else if (character === '\'') {
			push('string', endOfQuoted(sql, index, '\''));
		} else if (character === '"') {
			push('quoted', endOfQuoted(sql, index, '"'));
		} else if (character === '$') {
			const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(index));
			if (tag) {
				const close = sql.indexOf(tag[0], index + tag[0].length);
				push('string', close === -1 ? sql.length : close + tag[0].length);
			} else {
				const positional = /^\$\d+/.exec(sql.slice(index));
				push(positional ? 'parameter' : 'symbol', index + (positional ? positional[0].length : 1));
			}
		} else if (/[A-Za-z_\u0080-\uffff]/.test(character)) {
			push('word', index + /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(index))![0].length);
		} else if (/\d/.test(character)) {
			push('number', index + /^\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/.exec(sql.slice(index))![0].length);
		} else if (character === ':' && sql[index + 1] === ':') {
			push('symbol', index + 2);
		} else if (character === ':' && /[A-Za-z0-9_]/.test(sql[index + 1] ?? '')) {
			push('parameter', index + 1 + /^[A-Za-z0-9_]+/.exec(sql.slice(index + 1))![0].length);
		} else {
			push('symbol', index + 1);
		}
	}

	return tokens;
}

const insignificant = (token: SqlToken) => token.kind === 'space' || token.kind === 'comment';

/** Statements of a simple-query string, split at top-level semicolons; empty statements are dropped. */
export function splitStatements(sql: string): string[] {
	const statements: string[] = [];
	let start = 0;
	let significant = false;
	for (const token of tokenizeSql(sql)) {
		if (token.kind === 'symbol' && token.text === ';') {
			if (significant) {
				statements.push(sql.slice(start, token.start));
			}

			start = token.end;
			significant = false;
		} else if (!insignificant(token)) {
			significant = true;
		}
	}

	if (significant) {
		statements.push(sql.slice(start));
	}

	return statements;
}

/** The first keyword of a statement, upper-case (comments and blanks skipped), e.g. `UNLOAD`, `SELECT`. */
export function firstKeyword(sql: string): string {
	return tokenizeSql(sql).find(token => !insignificant(token))?.text.toUpperCase() ?? '';
}

/** Index of the token closing the parenthesis opened at `open`, or -1. */
function matchingParenthesis(tokens: SqlToken[], open: number): number {
	let depth = 0;
	for (let index = open; index < tokens.length; index++) {
		const token = tokens[index]!;
		if (token.kind === 'symbol' && token.text === '(') {
			depth++;
		} else if (token.kind === 'symbol' && token.text === ')') {
			depth--;
			if (depth === 0) {
				return index;
			}
		}
	}

	return -1;
}

function nextSignificant(tokens: SqlToken[], from: number): number {
	let index = from;
	while (index < tokens.length && insignificant(tokens[index]!)) {
		index++;
	}

	return index;
}

/**
 * Redshift's `LISTAGG(expr [, delimiter]) WITHIN GROUP (ORDER BY …)` as PostgreSQL's aggregate-call syntax
 * `listagg(expr [, delimiter] ORDER BY …)`: PostgreSQL reserves WITHIN GROUP for ordered-set aggregates, whose
 * ORDER BY is the aggregated input, so the Redshift form cannot be declared as a function and is rewritten instead.
 */
export function rewriteWithinGroup(sql: string): string {
	const tokens = tokenizeSql(sql);
	const edits: Array<{start: number; end: number; text: string}> = [];
	for (let index = 0; index < tokens.length; index++) {
		const token = tokens[index]!;
		if (token.kind !== 'word' || token.text.toLowerCase() !== 'listagg') {
			continue;
		}

		const open = nextSignificant(tokens, index + 1);
		if (tokens[open]?.text !== '(') {
			continue;
		}

		const close = matchingParenthesis(tokens, open);
		const within = nextSignificant(tokens, close + 1);
		const group = nextSignificant(tokens, within + 1);
		const groupOpen = nextSignificant(tokens, group + 1);
		const order = nextSignificant(tokens, groupOpen + 1);
		if (close === -1 || tokens[within]?.text.toLowerCase() !== 'within' || tokens[group]?.text.toLowerCase() !== 'group'
			|| tokens[groupOpen]?.text !== '(' || tokens[order]?.text.toLowerCase() !== 'order') {
			continue;
		}

		const groupClose = matchingParenthesis(tokens, groupOpen);
		if (groupClose === -1) {
			continue;
		}

		const orderClause = sql.slice(tokens[order]!.start, tokens[groupClose]!.start).trim();
		edits.push({start: tokens[close]!.start, end: tokens[groupClose]!.end, text: ` ${orderClause})`});
		index = groupClose;
	}

	let result = sql;
	for (const edit of edits.reverse()) {
		result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
	}

	return result;
}
