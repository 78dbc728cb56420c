import {OdpsError} from './odps-error.js';

export type TokenKind = 'word' | 'quoted-identifier' | 'string' | 'number' | 'symbol';

export type Token = {
	kind: TokenKind;
	/** Source text of the token. */
	text: string;
	/** Words and quoted identifiers: lower-cased name; strings: the decoded value; others: the text. */
	value: string;
	offset: number;
	line: number;
	column: number;
};

const simpleEscapes: Record<string, string> = {
	n: '\n',
	t: '\t',
	r: '\r',
	b: '\b',
	'\\': '\\',
	"'": "'",
	'"': '"',
	';': ';',
};

/** MaxCompute string literals use backslash escapes (three octal digits for control characters), not quote doubling. */
function decodeStringBody(body: string): string {
	if (!body.includes('\\')) return body;
	let result = '';
	for (let index = 0; index < body.length; index++) {
		const char = body[index]!;
		if (char !== '\\' || index === body.length - 1) {
			result += char;
			continue;
		}

		const next = body[index + 1]!;
		const octal = /^[0-7]{3}/.exec(body.slice(index + 1));
		if (octal) {
			result += String.fromCharCode(Number.parseInt(octal[0], 8));
			index += 3;
		} else {
			result += simpleEscapes[next] ?? next;
			index += 1;
		}
	}

	return result;
}

// Sticky patterns matched in place: slicing the rest of a statement at every token makes a long INSERT quadratic.
const numberPattern = /(?:[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.)(?:BD|[LYSDF])?/iy;
const wordPattern = /[A-Za-z0-9_$\u0080-\uffff]+/y;
const symbolPattern = /<=>|<>|!=|<=|>=|==|\|\||::|[^\s]/y;

function matchAt(pattern: RegExp, sql: string, offset: number): string {
	pattern.lastIndex = offset;
	return pattern.exec(sql)![0];
}

export function tokenize(sql: string): Token[] {
	const tokens: Token[] = [];
	let offset = 0;
	let line = 1;
	let lineStart = 0;
	const advanceOver = (end: number) => {
		for (let index = offset; index < end; index++) {
			if (sql.charCodeAt(index) === 10) {
				line++;
				lineStart = index + 1;
			}
		}

		offset = end;
	};

	const push = (kind: TokenKind, end: number, value: string) => {
		tokens.push({kind, text: sql.slice(offset, end), value, offset, line, column: offset - lineStart + 1});
		advanceOver(end);
	};

	while (offset < sql.length) {
		const char = sql[offset]!;
		if (/\s/.test(char)) {
			advanceOver(offset + 1);
		} else if (sql.startsWith('--', offset)) {
			const end = sql.indexOf('\n', offset);
			advanceOver(end === -1 ? sql.length : end);
		} else if (sql.startsWith('/*', offset)) {
			const end = sql.indexOf('*/', offset + 2);
			advanceOver(end === -1 ? sql.length : end + 2);
		} else if (char === "'" || char === '"') {
			let index = offset + 1;
			while (index < sql.length && sql[index] !== char) index += sql[index] === '\\' ? 2 : 1;
			if (index >= sql.length) {
				throw new OdpsError('parse', 'string literal is not closed', {line, column: offset - lineStart + 1});
			}

			push('string', index + 1, decodeStringBody(sql.slice(offset + 1, index)));
		} else if (char === '`') {
			const end = sql.indexOf('`', offset + 1);
			if (end === -1) throw new OdpsError('parse', 'quoted identifier is not closed', {line, column: offset - lineStart + 1});
			push('quoted-identifier', end + 1, sql.slice(offset + 1, end).toLowerCase());
		} else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(sql[offset + 1] ?? ''))) {
			const text = matchAt(numberPattern, sql, offset);
			push('number', offset + text.length, text);
		} else if (/[A-Za-z_$\u0080-\uffff]/.test(char)) {
			const text = matchAt(wordPattern, sql, offset);
			push('word', offset + text.length, text.toLowerCase());
		} else {
			const text = matchAt(symbolPattern, sql, offset);
			push('symbol', offset + text.length, text);
		}
	}

	return tokens;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
	return token !== undefined && token.kind === 'word' && (words.length === 0 || words.includes(token.value));
}

export function isSymbol(token: Token | undefined, symbol: string): boolean {
	return token !== undefined && token.kind === 'symbol' && token.value === symbol;
}

/** Splits a token list into statements at top-level semicolons; empty statements are dropped. */
export function splitStatements(tokens: Token[]): Token[][] {
	const statements: Token[][] = [];
	let current: Token[] = [];
	for (const token of tokens) {
		if (isSymbol(token, ';')) {
			if (current.length > 0) statements.push(current);
			current = [];
		} else {
			current.push(token);
		}
	}

	if (current.length > 0) statements.push(current);
	return statements;
}
