/**
 * The search part of a Log Service query (before `|`): `*`, full-text terms, `key: value`, `and` / `or` / `not`,
 * parentheses, quoted phrases and trailing-`*` prefixes (doc "Search syntax", sls/user-guide/search-syntax).
 * Values are split by the index's delimiters (default `, '";=()[]{}?@&<>/:\n\t\r`, the console's default) and compared
 * case-insensitively unless the index says `caseSensitive`. A field search needs a field index, as on the service,
 * except for `__topic__`, `__source__` and `__tag__:*`, which the service indexes itself as text without delimiters
 * (doc "Reserved fields", help.aliyun.com/zh/sls/reserved-fields).
 */
import {parameterInvalid} from './errors.js';

export type IndexConfig = {
	line?: {token?: string[]; caseSensitive?: boolean; include_keys?: string[]; exclude_keys?: string[]};
	keys?: Record<string, {type?: string; token?: string[]; caseSensitive?: boolean; alias?: string}>;
};

export type SearchableLog = {topic: string; source: string; contents: Array<[string, string]>; tags: Array<[string, string]>};

type Node =
	| {kind: 'all'}
	| {kind: 'term'; key?: string; value: string; phrase: boolean}
	| {kind: 'not'; operand: Node}
	| {kind: 'and' | 'or'; left: Node; right: Node};

export type Search = {matchesAll: boolean; test(log: SearchableLog): boolean};

const defaultTokens = [',', ' ', '\'', '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'];

type Token = {kind: 'word' | 'phrase' | 'symbol'; text: string};

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let index = 0;
	while (index < text.length) {
		const char = text[index]!;
		if (/\s/.test(char)) {
			index++;
		} else if (char === '"') {
			const end = text.indexOf('"', index + 1);
			if (end < 0) throw parameterInvalid(`unterminated quotation mark in query: ${text}`);
			tokens.push({kind: 'phrase', text: text.slice(index + 1, end)});
			index = end + 1;
		} else if ('():'.includes(char)) {
			tokens.push({kind: 'symbol', text: char});
			index++;
		} else {
			// A tag field is named `__tag__:name`, its colon part of the key (`__tag__:__path__: /var/log`, doc "Reserved fields").
			const word = /^(?:__tag__:[^\s():"]+|[^\s():"]+)/.exec(text.slice(index))![0];
			tokens.push({kind: 'word', text: word});
			index += word.length;
		}
	}

	return tokens;
}

function parse(text: string): Node {
	const tokens = tokenize(text);
	let position = 0;
	const peek = () => tokens[position];
	const isKeyword = (word: string) => peek()?.kind === 'word' && peek()!.text.toLowerCase() === word;

	const primary = (): Node => {
		const token = tokens[position++];
		if (!token) throw parameterInvalid(`query ends too early: ${text}`);
		if (token.kind === 'symbol') {
			if (token.text !== '(') throw parameterInvalid(`unexpected '${token.text}' in query: ${text}`);
			const inner = disjunction();
			if (tokens[position++]?.text !== ')') throw parameterInvalid(`missing ')' in query: ${text}`);
			return inner;
		}

		if (token.kind === 'word' && token.text === '*') return {kind: 'all'};
		if (peek()?.kind === 'symbol' && peek()!.text === ':') {
			position++;
			const value = tokens[position++];
			if (!value || value.kind === 'symbol') throw parameterInvalid(`a value must follow '${token.text}:' in query: ${text}`);
			return {kind: 'term', key: token.text, value: value.text, phrase: value.kind === 'phrase'};
		}

		return {kind: 'term', value: token.text, phrase: token.kind === 'phrase'};
	};

	const negation = (): Node => {
		if (isKeyword('not')) {
			position++;
			return {kind: 'not', operand: negation()};
		}

		return primary();
	};

	const conjunction = (): Node => {
		let left = negation();
		for (;;) {
			if (isKeyword('and')) position++;
			else if (!peek() || isKeyword('or') || peek()!.text === ')') return left;
			left = {kind: 'and', left, right: negation()};
		}
	};

	const disjunction = (): Node => {
		let left = conjunction();
		while (isKeyword('or')) {
			position++;
			left = {kind: 'or', left, right: conjunction()};
		}

		return left;
	};

	if (tokens.length === 0) return {kind: 'all'};
	const root = disjunction();
	if (position < tokens.length) throw parameterInvalid(`unexpected '${tokens[position]!.text}' in query: ${text}`);
	return root;
}

function split(value: string, delimiters: string[]): string[] {
	const parts: string[] = [];
	let current = '';
	for (const char of value) {
		if (delimiters.includes(char)) {
			if (current) parts.push(current);
			current = '';
		} else {
			current += char;
		}
	}

	if (current) parts.push(current);
	return parts;
}

/** True when every token of the searched value appears among the tokens of `text` (a trailing `*` is a prefix). */
function textMatches(text: string, wanted: string, delimiters: string[], caseSensitive: boolean): boolean {
	const fold = (value: string) => (caseSensitive ? value : value.toLowerCase());
	const have = split(fold(text), delimiters);
	const needles = split(fold(wanted), delimiters.filter(delimiter => delimiter !== '*'));
	if (needles.length === 0) return false;
	return needles.every(needle => (needle.endsWith('*') ? have.some(token => token.startsWith(needle.slice(0, -1))) : have.includes(needle)));
}

function keyNotIndexed(key: string): Error {
	return parameterInvalid(`key (${key}) is not config as key value config,if symbol : is in your log,please wrap : with quotation mark "`);
}

export function compileSearch(text: string, index: IndexConfig): Search {
	const root = parse(text.trim());
	const lineTokens = index.line?.token?.length ? index.line.token : defaultTokens;

	const check = (node: Node): void => {
		if (node.kind === 'term' && node.key !== undefined && !['__topic__', '__source__'].includes(node.key) && !node.key.startsWith('__tag__:') && !index.keys?.[node.key]) {
			throw keyNotIndexed(node.key);
		}

		if (node.kind === 'not') check(node.operand);
		if (node.kind === 'and' || node.kind === 'or') {
			check(node.left);
			check(node.right);
		}
	};

	check(root);

	const fieldValues = (log: SearchableLog, key: string): string[] => {
		if (key === '__topic__') return [log.topic];
		if (key === '__source__') return [log.source];
		if (key.startsWith('__tag__:')) return log.tags.filter(([name]) => name === key.slice('__tag__:'.length)).map(([, value]) => value);
		return log.contents.filter(([name]) => name === key).map(([, value]) => value);
	};

	const fullText = (log: SearchableLog, value: string): boolean => {
		const {line} = index;
		if (!line) return false;
		const include = line.include_keys?.length ? new Set(line.include_keys) : undefined;
		const exclude = new Set(line.exclude_keys ?? []);
		return log.contents.some(([key, content]) => (!include || include.has(key)) && !exclude.has(key) && textMatches(content, value, lineTokens, line.caseSensitive === true));
	};

	const evaluate = (node: Node, log: SearchableLog): boolean => {
		switch (node.kind) {
			case 'all':
				return true;
			case 'not':
				return !evaluate(node.operand, log);
			case 'and':
				return evaluate(node.left, log) && evaluate(node.right, log);
			case 'or':
				return evaluate(node.left, log) || evaluate(node.right, log);
			case 'term': {
				if (node.key === undefined) return fullText(log, node.value);
				const values = fieldValues(log, node.key);
				const config = index.keys?.[node.key];
				if (node.value === '*' && !node.phrase) return values.length > 0;
				if (config && (config.type === 'long' || config.type === 'double')) return values.some(value => value.trim() !== '' && Number(value) === Number(node.value));
				// __topic__, __source__ and tags are indexed as text with no delimiters: a search must hit the whole value.
				const reserved = node.key === '__topic__' || node.key === '__source__' || node.key.startsWith('__tag__:');
				const delimiters = config?.token?.length ? config.token : reserved ? [] : defaultTokens;
				return values.some(value => textMatches(value, node.value, delimiters, config?.caseSensitive === true));
			}
		}
	};

	return {matchesAll: root.kind === 'all', test: log => evaluate(root, log)};
}

/** Splits `search | analytics` at the first `|` outside quotes. */
export function splitQuery(query: string): {search: string; analytics?: string} {
	let quote: string | undefined;
	for (let index = 0; index < query.length; index++) {
		const char = query[index]!;
		if (quote) {
			if (char === quote) quote = undefined;
		} else if (char === '"' || char === '\'') {
			quote = char;
		} else if (char === '|') {
			return {search: query.slice(0, index).trim(), analytics: query.slice(index + 1).trim()};
		}
	}

	return {search: query.trim()};
}
