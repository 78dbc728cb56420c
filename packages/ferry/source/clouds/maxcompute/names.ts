/**
 * MaxCompute's naming rules for what a user types: projects, tables, columns, partition specs and their values.
 * Names are not case-sensitive. The local MaxCompute enforces the same rules with code of its own.
 *
 * Sources:
 * - "MaxCompute SQL limits" (alibabacloud.com/help/en/maxcompute/user-guide/maxcompute-sql-limits): a table name is
 *   at most 128 bytes, starts with a letter and holds only letters (a-z, A-Z), digits and _; a column name is at
 *   most 128 bytes of letters, digits, _ or Chinese characters ("we recommend" a letter first: not required).
 * - ALIYUN::MaxCompute::Project (ROS): a project name is 3–28 characters, a letter first, then letters, digits, _.
 * - "Insert or overwrite data into dynamic partitions" and the "Partition" page: at most 6 partition levels; a
 *   partition value holds no double-byte characters, only letters, digits and the supported special characters
 *   (space : _ $ # . ! @), at most 128 bytes; other characters (\t, \n, /, =, quotes …) are "not defined".
 *   The same sentence says a value starts with a letter, yet the service's own examples (pt=20161226,
 *   ds=20240101) start with digits, so a digit may lead too; and '-' is taken because DataWorks' documented
 *   scheduling parameters fill partitions with ${yyyy-mm-dd}.
 */
import {nameRule, type NameRule} from '../name-rule.js';

const letter = {test: /^[A-Za-z]$/, describe: 'a letter'};
const letterOrDigit = {test: /^[A-Za-z\d]$/, describe: 'a letter or a digit'};

export const maxComputeProjectName: NameRule = nameRule({
	what: 'MaxCompute project name',
	length: {min: 3, max: 28, unit: 'characters'},
	first: letter,
	allowed: {test: /^\w$/, describe: 'letters, digits and _'},
});

export const maxComputeTableName: NameRule = nameRule({
	what: 'MaxCompute table name',
	length: {min: 1, max: 128, unit: 'bytes'},
	first: letter,
	allowed: {test: /^\w$/, describe: 'letters, digits and _'},
});

export const maxComputeColumnName: NameRule = nameRule({
	what: 'MaxCompute column name',
	length: {min: 1, max: 128, unit: 'bytes'},
	allowed: {test: /^[\w\p{Script=Han}]$/u, describe: 'letters, digits, _ and Chinese characters'},
});

export const maxComputePartitionValue: NameRule = nameRule({
	what: 'MaxCompute partition value',
	length: {min: 1, max: 128, unit: 'bytes'},
	first: letterOrDigit,
	allowed: {test: /^[\w :$#.!@-]$/, describe: 'letters, digits, spaces and : _ $ # . ! @ -'},
});

export const maxComputePartitionLevels = 6;

export type PartitionEntry = {column: string; value: string};

/** `pt=20161226,region=sg` as the odps reader and `PARTITION (…)` name a partition, or what is wrong with it. */
export function parsePartitionSpec(spec: string, options: {maxLevels?: number} = {}): {entries: PartitionEntry[]} | {problem: string} {
	const maxLevels = options.maxLevels ?? maxComputePartitionLevels;
	const parts = spec.split(',');
	if (parts.length > maxLevels) {
		return {problem: maxLevels === 1 ? `a single partition, column=value, is expected; this names ${parts.length} levels` : `a partition has at most ${maxLevels} levels; this names ${parts.length}`};
	}

	const entries: PartitionEntry[] = [];
	for (const part of parts) {
		const equals = part.indexOf('=');
		if (equals === -1) {
			return {problem: `${JSON.stringify(part)} is not column=value`};
		}

		const entry = {column: part.slice(0, equals), value: part.slice(equals + 1)};
		const problem = maxComputeColumnName(entry.column) ?? maxComputePartitionValue(entry.value);
		if (problem) {
			return {problem};
		}

		if (entries.some(earlier => earlier.column.toLowerCase() === entry.column.toLowerCase())) {
			return {problem: `the column ${entry.column} is named twice`};
		}

		entries.push(entry);
	}

	return {entries};
}

/** A parameter's check of a partition spec: what is wrong, or undefined. */
export function partitionSpecProblem(spec: unknown, options: {maxLevels?: number} = {}): string | undefined {
	const parsed = parsePartitionSpec(String(spec), options);
	return 'problem' in parsed ? `Expected column=value, e.g. pt=20161226: ${parsed.problem}` : undefined;
}
