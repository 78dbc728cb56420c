/**
 * The analytic part of a Log Service query (after `|`): a small SQL subset translated into DuckDB SQL over the `log`
 * relation the store builds. Every literal and every field name becomes a bound parameter, never SQL text; anything
 * outside the subset is refused with ParameterInvalid, as the service refuses what its SQL engine cannot parse.
 * Without LIMIT the service returns 100 rows (doc "LIMIT clause", sls/user-guide/limit-clause).
 */
import {parameterInvalid} from './errors.js';

export type TranslatedSql = {sql: string; params: unknown[]; columns: string[]};

type Token = {kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol'; text: string; offset: number};

const defaultLimit = 100;
const maxLimit = 1_000_000;
const reserved = new Set(['__time__', '__topic__', '__source__']);
const typeNames: Record<string, string> = {
	double: 'DOUBLE', real: 'FLOAT', bigint: 'BIGINT', integer: 'INTEGER', int: 'INTEGER', varchar: 'VARCHAR', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', date: 'DATE',
};
const aggregates = new Set(['count', 'sum', 'avg', 'min', 'max', 'arbitrary', 'approx_distinct']);
const scalars: Record<string, string> = {
	lower: 'lower', upper: 'upper', length: 'length', coalesce: 'coalesce', round: 'round', abs: 'abs', floor: 'floor', ceil: 'ceil',
	from_unixtime: 'to_timestamp', concat: 'concat', strpos: 'strpos', substr: 'substr', trim: 'trim',
};
const keywords = new Set(['select', 'from', 'where', 'group', 'by', 'order', 'having', 'limit', 'offset', 'as', 'and', 'or', 'not', 'asc', 'desc', 'distinct', 'is', 'null', 'like', 'in', 'cast', 'try_cast', 'true', 'false']);

function syntaxError(message: string, token?: Token): Error {
	const where = token ? `line 1:${token.offset + 1}: ` : '';
	return parameterInvalid(`${where}${message}`);
}

function tokenize(sql: string): Token[] {
	const tokens: Token[] = [];
	let index = 0;
	while (index < sql.length) {
		const char = sql[index]!;
		if (/\s/.test(char)) {
			index++;
			continue;
		}

		const start = index;
		if (char === '\'' || char === '"') {
			let text = '';
			index++;
			for (;;) {
				if (index >= sql.length) throw syntaxError(`unterminated ${char === '\'' ? 'string' : 'identifier'}`, {kind: 'symbol', text: char, offset: start});
				if (sql[index] === char) {
					if (sql[index + 1] === char) {
						text += char;
						index += 2;
						continue;
					}

					index++;
					break;
				}

				text += sql[index++];
			}

			tokens.push({kind: char === '\'' ? 'string' : 'quoted', text, offset: start});
			continue;
		}

		const number = /^\d+(\.\d+)?([eE][-+]?\d+)?/.exec(sql.slice(index));
		if (number) {
			tokens.push({kind: 'number', text: number[0], offset: start});
			index += number[0].length;
			continue;
		}

		const word = /^[A-Za-z_][\w:]*/.exec(sql.slice(index));
		if (word) {
			tokens.push({kind: 'word', text: word[0], offset: start});
			index += word[0].length;
			continue;
		}

		const symbol = /^(<>|!=|<=|>=|\|\||[(),*=<>+\-/%.])/.exec(sql.slice(index));
		if (!symbol) throw syntaxError(`unexpected character '${char}'`, {kind: 'symbol', text: char, offset: start});
		tokens.push({kind: 'symbol', text: symbol[0], offset: start});
		index += symbol[0].length;
	}

	return tokens;
}

function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

class Translator {
	readonly params: unknown[] = [];
	readonly #fieldParams = new Map<string, number>();
	#position = 0;
	aliases = new Set<string>();
	/** Whether identifiers may name select-list aliases (GROUP BY, HAVING, ORDER BY). */
	aliasScope = false;

	readonly tokens: Token[];
	readonly firstParam: number;

	constructor(tokens: Token[], firstParam: number) {
		this.tokens = tokens;
		this.firstParam = firstParam;
	}

	peek(offset = 0): Token | undefined {
		return this.tokens[this.#position + offset];
	}

	isWord(word: string, offset = 0): boolean {
		const token = this.peek(offset);
		return token?.kind === 'word' && token.text.toLowerCase() === word;
	}

	isSymbol(symbol: string): boolean {
		const token = this.peek();
		return token?.kind === 'symbol' && token.text === symbol;
	}

	next(): Token {
		const token = this.tokens[this.#position++];
		if (!token) throw syntaxError('unexpected end of the query');
		return token;
	}

	acceptWord(word: string): boolean {
		if (!this.isWord(word)) return false;
		this.#position++;
		return true;
	}

	acceptSymbol(symbol: string): boolean {
		if (!this.isSymbol(symbol)) return false;
		this.#position++;
		return true;
	}

	expectWord(word: string): void {
		if (!this.acceptWord(word)) throw syntaxError(`mismatched input '${this.peek()?.text ?? '<EOF>'}', expecting ${word.toUpperCase()}`, this.peek());
	}

	expectSymbol(symbol: string): void {
		if (!this.acceptSymbol(symbol)) throw syntaxError(`mismatched input '${this.peek()?.text ?? '<EOF>'}', expecting '${symbol}'`, this.peek());
	}

	get position(): number {
		return this.#position;
	}

	get atEnd(): boolean {
		return this.#position >= this.tokens.length;
	}

	param(value: unknown): string {
		this.params.push(value);
		return `$${this.firstParam + this.params.length - 1}`;
	}

	field(name: string): string {
		if (reserved.has(name)) return quoteIdentifier(name);
		if (this.aliasScope && this.aliases.has(name)) return quoteIdentifier(name);
		const tag = name.startsWith('__tag__:');
		const key = tag ? name.slice('__tag__:'.length) : name;
		const cacheKey = `${tag ? 't' : 'c'}:${key}`;
		let number = this.#fieldParams.get(cacheKey);
		if (number === undefined) {
			this.params.push(key);
			number = this.firstParam + this.params.length - 1;
			this.#fieldParams.set(cacheKey, number);
		}

		return tag ? `__ferry_tag_values[list_position(__ferry_tag_keys, $${number})]` : `__ferry_values[list_position(__ferry_keys, $${number})]`;
	}

	expression(): string {
		let left = this.conjunction();
		while (this.acceptWord('or')) left = `(${left} OR ${this.conjunction()})`;
		return left;
	}

	conjunction(): string {
		let left = this.negation();
		while (this.acceptWord('and')) left = `(${left} AND ${this.negation()})`;
		return left;
	}

	negation(): string {
		if (this.acceptWord('not')) return `(NOT ${this.negation()})`;
		return this.comparison();
	}

	comparison(): string {
		const left = this.additive();
		const token = this.peek();
		if (token?.kind === 'symbol' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(token.text)) {
			this.next();
			return `(${left} ${token.text === '!=' ? '<>' : token.text} ${this.additive()})`;
		}

		if (this.isWord('is')) {
			this.next();
			const not = this.acceptWord('not');
			this.expectWord('null');
			return `(${left} IS ${not ? 'NOT ' : ''}NULL)`;
		}

		const not = this.isWord('not') && (this.isWord('like', 1) || this.isWord('in', 1));
		if (not) this.next();
		if (this.acceptWord('like')) return `(${left} ${not ? 'NOT ' : ''}LIKE ${this.additive()})`;
		if (this.acceptWord('in')) {
			this.expectSymbol('(');
			const items = [this.additive()];
			while (this.acceptSymbol(',')) items.push(this.additive());
			this.expectSymbol(')');
			return `(${left} ${not ? 'NOT ' : ''}IN (${items.join(', ')}))`;
		}

		return left;
	}

	additive(): string {
		let left = this.multiplicative();
		for (;;) {
			const token = this.peek();
			if (token?.kind !== 'symbol' || !['+', '-', '||'].includes(token.text)) return left;
			this.next();
			left = `(${left} ${token.text} ${this.multiplicative()})`;
		}
	}

	multiplicative(): string {
		let left = this.unary();
		for (;;) {
			const token = this.peek();
			if (token?.kind !== 'symbol' || !['*', '/', '%'].includes(token.text)) return left;
			this.next();
			left = `(${left} ${token.text} ${this.unary()})`;
		}
	}

	unary(): string {
		if (this.acceptSymbol('-')) return `(- ${this.unary()})`;
		return this.primary();
	}

	typeName(): string {
		const token = this.next();
		const type = token.kind === 'word' ? typeNames[token.text.toLowerCase()] : undefined;
		if (!type) throw syntaxError(`Unknown type: ${token.text}`, token);
		return type;
	}

	call(name: string, token: Token): string {
		const lower = name.toLowerCase();
		if (lower === 'cast' || lower === 'try_cast') {
			const value = this.expression();
			this.expectWord('as');
			const type = this.typeName();
			this.expectSymbol(')');
			return `${lower === 'cast' ? 'CAST' : 'TRY_CAST'}(${value} AS ${type})`;
		}

		if (aggregates.has(lower)) {
			if (lower === 'count' && this.acceptSymbol('*')) {
				this.expectSymbol(')');
				return 'count(*)';
			}

			const distinct = this.acceptWord('distinct');
			const argument = this.expression();
			this.expectSymbol(')');
			if (lower === 'approx_distinct') return `approx_count_distinct(${argument})`;
			return `${lower === 'arbitrary' ? 'any_value' : lower}(${distinct ? 'DISTINCT ' : ''}${argument})`;
		}

		const mapped = scalars[lower];
		if (!mapped) throw syntaxError(`Function ${name} not registered`, token);
		const args: string[] = [];
		if (!this.acceptSymbol(')')) {
			args.push(this.expression());
			while (this.acceptSymbol(',')) args.push(this.expression());
			this.expectSymbol(')');
		}

		return `${mapped}(${args.join(', ')})`;
	}

	primary(): string {
		const token = this.next();
		switch (token.kind) {
			case 'string':
				return this.param(token.text);
			case 'number':
				return /[.eE]/.test(token.text) ? `${this.param(Number(token.text))}::DOUBLE` : `${this.param(Number(token.text))}::BIGINT`;
			case 'quoted':
				return this.field(token.text);
			case 'symbol':
				if (token.text === '(') {
					const inner = this.expression();
					this.expectSymbol(')');
					return `(${inner})`;
				}

				throw syntaxError(`mismatched input '${token.text}'`, token);
			case 'word': {
				const lower = token.text.toLowerCase();
				if (this.acceptSymbol('(')) return this.call(token.text, token);
				if (lower === 'null') return 'NULL';
				if (lower === 'true' || lower === 'false') return lower.toUpperCase();
				if (keywords.has(lower)) throw syntaxError(`mismatched input '${token.text}'`, token);
				return this.field(token.text);
			}
		}
	}

	integer(what: string): number {
		const token = this.next();
		const value = Number(token.text);
		if (token.kind !== 'number' || !Number.isInteger(value) || value < 0) throw syntaxError(`${what} must be a non-negative integer`, token);
		return value;
	}
}

/** Translates `select …` into DuckDB SQL over `log`; parameters are numbered from `firstParam`. */
export function translateAnalyticSql(text: string, firstParam = 1): TranslatedSql {
	const tokens = tokenize(text);
	const parser = new Translator(tokens, firstParam);
	if (!parser.acceptWord('select')) throw syntaxError(`mismatched input '${tokens[0]?.text ?? '<EOF>'}'. Expecting: 'SELECT'`, tokens[0]);
	const distinct = parser.acceptWord('distinct');
	const items: string[] = [];
	const columns: string[] = [];
	do {
		if (parser.isSymbol('*')) throw syntaxError('SELECT * is not supported by the local Log Service; name the fields', parser.peek());
		const first = parser.peek();
		const start = parser.position;
		const expression = parser.expression();
		const bare = parser.position === start + 1 && (first?.kind === 'word' || first?.kind === 'quoted') ? first.text : undefined;
		let alias: string;
		if (parser.acceptWord('as')) {
			const token = parser.next();
			if (token.kind !== 'word' && token.kind !== 'quoted') throw syntaxError(`mismatched input '${token.text}'`, token);
			alias = token.text;
		} else {
			alias = bare !== undefined && expression !== 'NULL' ? bare : `_col${columns.length}`;
		}

		columns.push(alias);
		items.push(`${expression} AS ${quoteIdentifier(alias)}`);
	} while (parser.acceptSymbol(','));

	parser.aliases = new Set(columns);

	if (parser.acceptWord('from')) {
		const table = parser.next();
		if (table.text.toLowerCase() !== 'log') throw syntaxError(`Table ${table.text} does not exist; the local Log Service queries the logstore as "log"`, table);
	}

	let sql = `SELECT ${distinct ? 'DISTINCT ' : ''}${items.join(', ')} FROM log`;
	if (parser.acceptWord('where')) sql += ` WHERE ${parser.expression()}`;
	parser.aliasScope = true;
	if (parser.acceptWord('group')) {
		parser.expectWord('by');
		const keys = [groupKey(parser, columns)];
		while (parser.acceptSymbol(',')) keys.push(groupKey(parser, columns));
		sql += ` GROUP BY ${keys.join(', ')}`;
	}

	if (parser.acceptWord('having')) sql += ` HAVING ${parser.expression()}`;
	if (parser.acceptWord('order')) {
		parser.expectWord('by');
		const keys: string[] = [];
		do {
			let key = groupKey(parser, columns);
			if (parser.acceptWord('desc')) key += ' DESC';
			else if (parser.acceptWord('asc')) key += ' ASC';
			keys.push(key);
		} while (parser.acceptSymbol(','));

		sql += ` ORDER BY ${keys.join(', ')}`;
	}

	let limit = defaultLimit;
	let offset = 0;
	if (parser.acceptWord('limit')) {
		const first = parser.integer('LIMIT');
		if (parser.acceptSymbol(',')) {
			offset = first;
			limit = parser.integer('LIMIT');
		} else {
			limit = first;
		}
	}

	if (parser.acceptWord('offset')) offset = parser.integer('OFFSET');
	if (!parser.atEnd) throw syntaxError(`extraneous input '${parser.peek()!.text}'`, parser.peek());
	if (limit > maxLimit) throw parameterInvalid(`limit ${limit} is larger than the max limit ${maxLimit}`);
	sql += ` LIMIT ${limit}${offset ? ` OFFSET ${offset}` : ''}`;
	return {sql, params: parser.params, columns};
}

/** A GROUP BY / ORDER BY key: a 1-based select position, an alias or an expression. */
function groupKey(parser: Translator, columns: string[]): string {
	const token = parser.peek();
	if (token?.kind === 'number' && /^\d+$/.test(token.text)) {
		parser.next();
		const position = Number(token.text);
		if (position < 1 || position > columns.length) throw syntaxError(`position ${position} is not in the select list`, token);
		return String(position);
	}

	return parser.expression();
}
