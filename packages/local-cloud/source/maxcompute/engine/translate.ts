import {informationSchemaProject, informationSchemaRelation} from './information-schema.js';
import {OdpsError} from './odps-error.js';
import {quoteIdentifier, sqlString} from './sql-text.js';
import {isSymbol, isWord, type Token} from './tokenizer.js';
import {duckdbType, parseTypeText} from './types.js';

/**
 * Translates MaxCompute SQL expressions and queries to DuckDB SQL, token by token: backtick identifiers, string
 * literals with backslash escapes, `project.table` names, `information_schema.<view>` names, typed literals (`DATETIME '…'`), literal suffixes (`1L`,
 * `1.5BD`), a few functions that differ (datetrunc, to_char, getdate, nvl), CAST target types, and `_cN` names for
 * unnamed select items. Not a full dialect: what DuckDB already accepts passes through.
 */
export type TranslateOptions = {
	project: string;
	/** Replacement text for AVG calls, by the index of the `avg` token. */
	avgReplacements?: Map<number, (argument: string) => string>;
	/** Select-item aliases to append, by the index of the item's last token. */
	aliases?: Map<number, string>;
};

export function findClosingParenthesis(tokens: Token[], openIndex: number): number {
	let depth = 0;
	for (let index = openIndex; index < tokens.length; index++) {
		if (isSymbol(tokens[index], '(')) depth++;
		else if (isSymbol(tokens[index], ')')) {
			depth--;
			if (depth === 0) return index;
		}
	}

	const open = tokens[openIndex]!;
	throw new OdpsError('parse', "missing ')'", {line: open.line, column: open.column});
}

/** Splits [start, end) at top-level commas. */
export function splitTopLevel(tokens: Token[], start: number, end: number, separator = ','): [number, number][] {
	const parts: [number, number][] = [];
	let depth = 0;
	let partStart = start;
	for (let index = start; index < end; index++) {
		const token = tokens[index]!;
		if (isSymbol(token, '(') || isSymbol(token, '[')) depth++;
		else if (isSymbol(token, ')') || isSymbol(token, ']')) depth--;
		else if (depth === 0 && (isSymbol(token, separator) || isWord(token, separator))) {
			parts.push([partStart, index]);
			partStart = index + 1;
		}
	}

	if (partStart < end || parts.length > 0) parts.push([partStart, end]);
	return parts;
}

const datetruncUnits: Record<string, string> = {
	yyyy: 'year',
	year: 'year',
	mm: 'month',
	month: 'month',
	dd: 'day',
	day: 'day',
	hh: 'hour',
	hour: 'hour',
	mi: 'minute',
	ss: 'second',
	q: 'quarter',
	quarter: 'quarter',
	week: 'week',
};

const toCharPatterns: [RegExp, string][] = [
	[/yyyy/gi, '%Y'],
	[/mm/g, '%m'],
	[/dd/gi, '%d'],
	[/hh/gi, '%H'],
	[/mi/gi, '%M'],
	[/ss/gi, '%S'],
];

export function translate(tokens: Token[], start: number, end: number, options: TranslateOptions): string {
	const pieces: string[] = [];
	let glueNext = false;
	const append = (text: string, glue = false) => {
		if (pieces.length > 0 && !glue && !glueNext) pieces.push(' ');
		pieces.push(text);
		glueNext = false;
	};

	const appendAlias = (lastIndex: number) => {
		const alias = options.aliases?.get(lastIndex);
		if (alias !== undefined) append(`AS ${quoteIdentifier(alias)}`);
	};

	for (let index = start; index < end; index++) {
		const token = tokens[index]!;
		const next = tokens[index + 1];

		if (token.kind === 'word' && token.value === options.project.toLowerCase() && isSymbol(next, '.') && index + 2 < end) {
			index += 1;
			continue;
		}

		const view = tokens[index + 2];
		if (
			(token.kind === 'word' || token.kind === 'quoted-identifier') &&
			token.value === informationSchemaProject &&
			isSymbol(next, '.') &&
			(view?.kind === 'word' || view?.kind === 'quoted-identifier') &&
			index + 2 < end
		) {
			append(informationSchemaRelation(view.value));
			index += 2;
			appendAlias(index);
			continue;
		}

		if (isWord(token, 'datetime', 'timestamp', 'date') && next?.kind === 'string' && index + 1 < end) {
			append(`CAST(${sqlString(next.value)} AS ${duckdbType(parseTypeText(token.value))})`);
			index += 1;
			appendAlias(index);
			continue;
		}

		if (token.kind === 'word' && isSymbol(next, '(') && index + 1 < end) {
			const close = findClosingParenthesis(tokens, index + 1);
			const rewritten = rewriteCall(tokens, index, close, options);
			if (rewritten !== undefined) {
				append(rewritten);
				index = close;
				appendAlias(index);
				continue;
			}
		}

		switch (token.kind) {
			case 'quoted-identifier':
				append(quoteIdentifier(token.value));
				break;
			case 'string':
				append(sqlString(token.value));
				break;
			case 'number':
				append(translateNumber(token.text));
				break;
			case 'symbol':
				if (token.value === '.') {
					append('.', true);
					glueNext = true;
				} else {
					append(token.value === '==' ? '=' : token.value);
				}

				break;
			default:
				append(token.text);
		}

		appendAlias(index);
	}

	return pieces.join('');
}

/** The DuckDB type of a CAST's target type written in [start, end), or undefined when it is not a MaxCompute type. */
export function castTarget(tokens: Token[], start: number, end: number): string | undefined {
	const typeText = tokens
		.slice(start, end)
		.map(token => token.text)
		.join('');
	try {
		return duckdbType(parseTypeText(typeText));
	} catch {
		return undefined;
	}
}

function translateNumber(text: string): string {
	const match = /^(.*?)(BD|[LYSDF])?$/i.exec(text)!;
	const digits = match[1]!;
	switch (match[2]?.toUpperCase()) {
		case 'L':
			return `CAST(${digits} AS BIGINT)`;
		case 'Y':
			return `CAST(${digits} AS TINYINT)`;
		case 'S':
			return `CAST(${digits} AS SMALLINT)`;
		case 'F':
			return `CAST(${digits} AS FLOAT)`;
		case 'D':
			return `CAST(${digits} AS DOUBLE)`;
		case 'BD':
			return `CAST(${digits} AS DECIMAL(38,18))`;
		default:
			return digits;
	}
}

function rewriteCall(tokens: Token[], nameIndex: number, close: number, options: TranslateOptions): string | undefined {
	const name = tokens[nameIndex]!.value;
	const argumentRanges = close === nameIndex + 2 ? [] : splitTopLevel(tokens, nameIndex + 2, close);
	const argument = (position: number) => {
		const range = argumentRanges[position];
		return range === undefined ? '' : translate(tokens, range[0], range[1], options);
	};

	switch (name) {
		case 'avg': {
			const replacement = options.avgReplacements?.get(nameIndex);
			return replacement === undefined ? undefined : replacement(argument(0));
		}

		case 'cast': {
			const [expression, type] = splitTopLevel(tokens, nameIndex + 2, close, 'as');
			if (expression === undefined || type === undefined) return undefined;
			const target = castTarget(tokens, type[0], type[1]);
			if (target === undefined) return undefined;
			return `CAST(${translate(tokens, expression[0], expression[1], options)} AS ${target})`;
		}

		case 'datetrunc': {
			const unitToken = tokens[argumentRanges[1]?.[0] ?? -1];
			const unit = unitToken?.kind === 'string' ? datetruncUnits[unitToken.value.toLowerCase()] : undefined;
			if (unit === undefined) return undefined;
			return `date_trunc(${sqlString(unit)}, ${argument(0)})`;
		}

		case 'to_char': {
			const formatToken = tokens[argumentRanges[1]?.[0] ?? -1];
			if (argumentRanges.length === 1) return `CAST(${argument(0)} AS VARCHAR)`;
			if (formatToken?.kind !== 'string') return undefined;
			let pattern = formatToken.value;
			for (const [from, to] of toCharPatterns) pattern = pattern.replace(from, to);
			return `strftime(${argument(0)}, ${sqlString(pattern)})`;
		}

		case 'getdate':
			return 'CAST(current_localtimestamp() AS TIMESTAMP_MS)';
		case 'nvl':
			return `coalesce(${argument(0)}, ${argument(1)})`;
		default:
			return undefined;
	}
}
