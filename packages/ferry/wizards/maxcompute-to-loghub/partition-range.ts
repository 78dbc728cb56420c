import {maxComputeColumnName, maxComputePartitionValue} from '../../source/clouds/maxcompute/names.js';

/**
 * The `partition` answer: one partition (`pt=20161226`), a comma list (`pt=20161201,pt=20161202`), an inclusive range
 * of equal-width digits (`pt=20161201..20161231`), or the odps reader's shell wildcard (`pt=201612*`, `*` any run of
 * characters, `?` one character, as DataX's odps reader documents its `partition` list). Every item names the same
 * single partition column. A range or a wildcard is resolved against the partitions that exist, never by generating
 * values: a missing day in a range is simply not exported, and preflight lists what it resolved to.
 */
export type PartitionItem = {kind: 'value'; value: string} | {kind: 'range'; from: string; to: string} | {kind: 'wildcard'; pattern: string};

export type PartitionSelection = {column: string; items: PartitionItem[]};

/** Parses the answer; returns the first problem instead when it is not one of the forms above. */
export function parsePartitionSelection(answer: string): PartitionSelection | {problem: string} {
	const parts = answer.split(',').map(part => part.trim());
	if (parts.length === 0 || parts.some(part => part === '')) {
		return {problem: 'an empty item (write pt=20161201,pt=20161202)'};
	}

	let column: string | undefined;
	const items: PartitionItem[] = [];
	for (const part of parts) {
		const equals = part.indexOf('=');
		const name = part.slice(0, equals).trim();
		const value = part.slice(equals + 1).trim();
		if (equals <= 0) {
			return {problem: `"${part}" is not column=value`};
		}

		const columnProblem = maxComputeColumnName(name);
		if (columnProblem) {
			return {problem: `"${part}": ${columnProblem}`};
		}

		if (column !== undefined && name.toLowerCase() !== column.toLowerCase()) {
			return {problem: `a single partition, column=value, is expected per item, every item of one column: "${part}" names ${name}, the first item ${column}`};
		}

		column ??= name;
		const item = parseItem(value);
		if ('problem' in item) {
			return item;
		}

		items.push(item);
	}

	return {column: column!, items};
}

function parseItem(value: string): PartitionItem | {problem: string} {
	if (value.includes('..')) {
		const [from = '', to = '', ...rest] = value.split('..');
		if (rest.length > 0 || !/^\d+$/.test(from) || !/^\d+$/.test(to)) {
			return {problem: `"${value}": a range is digits..digits, e.g. 20161201..20161231`};
		}

		if (from.length !== to.length) {
			return {problem: `the ends of a range have the same number of digits (${from} has ${from.length}, ${to} has ${to.length})`};
		}

		if (from > to) {
			return {problem: `the range starts after it ends (${from} > ${to})`};
		}

		return {kind: 'range', from, to};
	}

	// A wildcard's other characters are those of a partition value; `*` and `?` stand for some.
	const problem = maxComputePartitionValue(value.replaceAll(/[*?]/g, '0'));
	if (problem) {
		return {problem};
	}

	return /[*?]/.test(value) ? {kind: 'wildcard', pattern: value} : {kind: 'value', value};
}

/** The parameter's check: undefined when the answer is one of the forms. */
export function partitionSelectionProblem(answer: unknown): string | undefined {
	const parsed = parsePartitionSelection(String(answer));
	return 'problem' in parsed ? `Expected column=value, e.g. pt=20161226: ${parsed.problem}` : undefined;
}

/** Whether the answer names exactly one partition by its value (the form a schedule's pattern takes). */
export function isSinglePartition(selection: PartitionSelection): boolean {
	return selection.items.length === 1 && selection.items[0]!.kind === 'value';
}

/** The shell wildcard as a whole-value regular expression: `*` any run of characters, `?` one. */
function wildcardRegExp(pattern: string): RegExp {
	const source = [...pattern].map(char => (char === '*' ? '.*' : char === '?' ? '.' : char.replaceAll(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
	return new RegExp(`^${source}$`, 's');
}

/**
 * The partition values the selection names among those that exist, without repeats: named values in the order given
 * (a named value that does not exist is kept, so preflight can refuse it by name), each range's and wildcard's
 * matches in ascending order. A range compares values of its own width only.
 */
export function resolvePartitions(selection: PartitionSelection, existing: readonly string[]): string[] {
	const sorted = [...new Set(existing)].sort();
	const resolved: string[] = [];
	const add = (value: string) => {
		if (!resolved.includes(value)) {
			resolved.push(value);
		}
	};

	for (const item of selection.items) {
		if (item.kind === 'value') {
			add(item.value);
		} else if (item.kind === 'range') {
			for (const value of sorted.filter(value => /^\d+$/.test(value) && value.length === item.from.length && value >= item.from && value <= item.to)) {
				add(value);
			}
		} else {
			const matcher = wildcardRegExp(item.pattern);
			for (const value of sorted.filter(value => matcher.test(value))) {
				add(value);
			}
		}
	}

	return resolved;
}
