import type {DuckDBConnection} from '@duckdb/node-api';
import {isSymbol, isWord, type Token} from './tokenizer.js';
import {findClosingParenthesis, splitTopLevel, translate} from './translate.js';

export type TableReference = {
	name: string;
	token: Token;
	/** The project written before the name when it is not the current project, e.g. `information_schema`. */
	projectToken?: Token;
};

export type PreparedQuery = {sql: string; tables: TableReference[]};

const clauseKeywords = [
	'where',
	'group',
	'having',
	'order',
	'limit',
	'union',
	'window',
	'qualify',
	'distribute',
	'sort',
	'cluster',
	'intersect',
	'except',
];

/**
 * AVG over DECIMAL stays DECIMAL in MaxCompute 2.0 (the AVG doc's return-type table: DECIMAL in, DECIMAL out; other
 * numeric types give DOUBLE). DuckDB would answer a DOUBLE, so those calls are rewritten into exact integer arithmetic
 * rounded half away from zero at 18 fraction digits. The result scale the service uses is not documented in what we
 * read: 18 (the DECIMAL 2.0 default scale) is an assumption (verify).
 */
export const avgScale = 18;

export const supportMacros = [
	`CREATE OR REPLACE TEMP MACRO odps_decimal18_text(r) AS
		(CASE WHEN r < 0 THEN '-' ELSE '' END)
		|| CAST(abs(r) // CAST('1${'0'.repeat(avgScale)}' AS HUGEINT) AS VARCHAR) || '.'
		|| lpad(CAST(abs(r) % CAST('1${'0'.repeat(avgScale)}' AS HUGEINT) AS VARCHAR), ${avgScale}, '0')`,
	`CREATE OR REPLACE TEMP MACRO odps_decimal_avg(total_text, n, multiplier) AS
		CASE WHEN n = 0 THEN NULL ELSE CAST(odps_decimal18_text(
			sign(CAST(replace(total_text, '.', '') AS HUGEINT))
			* ((abs(CAST(replace(total_text, '.', '') AS HUGEINT)) * multiplier * 2 + n) // (2 * n))
		) AS DECIMAL(38,${avgScale})) END`,
];

function isName(token: Token | undefined): token is Token {
	return token?.kind === 'word' || token?.kind === 'quoted-identifier';
}

/** Table names after FROM/JOIN, skipping subqueries, table functions and CTE names; `project.table` keeps its project. */
export function referencedTables(tokens: Token[], start: number, end: number, project: string): TableReference[] {
	const cteNames = new Set<string>();
	if (isWord(tokens[start], 'with')) {
		for (let index = start + 1; index < end; index++) {
			const token = tokens[index]!;
			if ((token.kind === 'word' || token.kind === 'quoted-identifier') && isWord(tokens[index + 1], 'as')) {
				cteNames.add(token.value);
			}
		}
	}

	const at = (index: number) => (index < end ? tokens[index] : undefined);
	const references: TableReference[] = [];
	for (let index = start; index < end - 1; index++) {
		if (!isWord(tokens[index], 'from', 'join')) continue;
		const first = at(index + 1);
		if (!isName(first)) continue;
		const second = at(index + 3);
		const qualified = isSymbol(at(index + 2), '.') && isName(second);
		const token = qualified ? second : first;
		if (isSymbol(at(index + (qualified ? 4 : 2)), '(')) continue;
		if (!qualified) {
			if (!cteNames.has(token.value)) references.push({name: token.value, token});
		} else if (first.value === project.toLowerCase()) {
			references.push({name: token.value, token});
		} else {
			references.push({name: token.value, token, projectToken: first});
		}
	}

	return references;
}

function nextTopLevel(tokens: Token[], start: number, end: number, words: string[]): number {
	let depth = 0;
	for (let index = start; index < end; index++) {
		const token = tokens[index]!;
		if (isSymbol(token, '(')) depth++;
		else if (isSymbol(token, ')')) depth--;
		else if (depth === 0 && isWord(token, ...words)) return index;
	}

	return end;
}

function isPlainColumn(tokens: Token[], start: number, end: number): boolean {
	const named = (token: Token | undefined) => token?.kind === 'word' || token?.kind === 'quoted-identifier';
	if (end - start === 1) return named(tokens[start]) || isSymbol(tokens[start], '*');
	if (end - start === 3) return named(tokens[start]) && isSymbol(tokens[start + 1], '.') && (named(tokens[start + 2]) || isSymbol(tokens[start + 2], '*'));
	return false;
}

function hasAlias(tokens: Token[], start: number, end: number): boolean {
	const last = tokens[end - 1];
	const before = tokens[end - 2];
	if (end - start < 2 || last === undefined || before === undefined) return false;
	if (last.kind !== 'word' && last.kind !== 'quoted-identifier') return false;
	if (isWord(last, 'end', 'null', 'true', 'false')) return false;
	return isWord(before, 'as') || isSymbol(before, ')') || before.kind === 'word' || before.kind === 'quoted-identifier';
}

/** MaxCompute names unnamed select items `_c0`, `_c1`, … by their position. */
function selectAliases(tokens: Token[], listStart: number, listEnd: number): Map<number, string> {
	const aliases = new Map<number, string>();
	splitTopLevel(tokens, listStart, listEnd).forEach(([itemStart, itemEnd], position) => {
		if (itemEnd > itemStart && !isPlainColumn(tokens, itemStart, itemEnd) && !hasAlias(tokens, itemStart, itemEnd)) {
			aliases.set(itemEnd - 1, `_c${position}`);
		}
	});
	return aliases;
}

export async function prepareQuery(
	connection: DuckDBConnection,
	tokens: Token[],
	start: number,
	end: number,
	project: string,
): Promise<PreparedQuery> {
	const tables = referencedTables(tokens, start, end, project);
	if (!isWord(tokens[start], 'select')) return {sql: translate(tokens, start, end, {project}), tables};

	const listStart = isWord(tokens[start + 1], 'distinct', 'all') ? start + 2 : start + 1;
	const fromIndex = nextTopLevel(tokens, listStart, end, ['from']);
	const aliases = selectAliases(tokens, listStart, fromIndex);
	const avgCalls: {nameIndex: number; range: [number, number]}[] = [];
	for (let index = listStart; index < fromIndex; index++) {
		if (isWord(tokens[index], 'avg') && isSymbol(tokens[index + 1], '(') && !isWord(tokens[index + 2], 'distinct')) {
			const close = findClosingParenthesis(tokens, index + 1);
			avgCalls.push({nameIndex: index, range: [index + 2, close]});
		}
	}

	const avgReplacements = new Map<number, (argument: string) => string>();
	if (avgCalls.length > 0) {
		const fromEnd = fromIndex < end ? nextTopLevel(tokens, fromIndex + 1, end, clauseKeywords) : end;
		const probeList = avgCalls.map(call => translate(tokens, call.range[0], call.range[1], {project})).join(', ');
		const fromText = fromIndex < end ? ` FROM ${translate(tokens, fromIndex + 1, fromEnd, {project})}` : '';
		try {
			const probe = await connection.runAndReadAll(`DESCRIBE SELECT ${probeList}${fromText}`);
			probe.getRows().forEach((row, position) => {
				const decimal = /^DECIMAL\(\d+,(\d+)\)$/.exec(String(row[1]));
				const call = avgCalls[position];
				if (decimal === null || call === undefined) return;
				const multiplier = `CAST('1${'0'.repeat(avgScale - Number(decimal[1]))}' AS HUGEINT)`;
				avgReplacements.set(
					call.nameIndex,
					argument => `odps_decimal_avg(CAST(sum(${argument}) AS VARCHAR), count(${argument}), ${multiplier})`,
				);
			});
		} catch {
			// The real query reports the problem (unknown column, bad table) with MaxCompute wording.
		}
	}

	return {sql: translate(tokens, start, end, {project, aliases, avgReplacements}), tables};
}
