/**
 * Verification in Log Service, side by side with MaxCompute: the partition's rows against the logs of the job's
 * topic and time window — the count, per-column sums (numbers arrive as strings and are cast back) and distinct
 * values of text columns, and the first rows of the partition next to the logs they became (a log written twice
 * shows up there as a duplicate). Every check is an aggregate on both sides, and the sample's logs are found by one
 * analytic query for those rows' values, so the time a check takes grows with the rows and its memory does not.
 */
import {quoteMaxComputeIdentifier, quoteMaxComputeString} from '../../source/clouds/maxcompute/ddl.js';
import type {QueryPair} from '../../source/kit.js';

export type ExportedColumn = {name: string; type: string};

export type LogCheckPlan = {table: string; partitionColumn: string; partitionValue: string; columns: readonly ExportedColumn[]};

const dialects = {source: 'maxcompute', target: 'log-service'} as const;
const numericTypes = new Set(['tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double', 'decimal']);
const baseType = (type: string) => type.trim().toLowerCase().replace(/\s*\(.*$/s, '');
/** SLS analytic SQL quotes keys with double quotes. */
const logKey = (name: string) => `"${name.replaceAll('"', '""')}"`;
const alias = (name: string, index: number, suffix: string) => (/^[A-Za-z_]\w*$/.test(name) ? `${name.toLowerCase()}_${suffix}` : `c${index + 1}_${suffix}`);

export const sampleSize = 5;

/** What a row-count difference means when a DataWorks job writes the logs. */
const writerCauses = {
	empty: 'the job wrote nothing into this time window and topic (check the time column and timeFormat: unparsed times become "now")',
	repeated: 'the job ran {times} times (the LogHub writer is not idempotent: every rerun writes the logs again)',
	more: 'the job ran more than once, or other logs share the topic and time window',
	fewer: 'logs not written (dirty records, or a run that failed part-way), or stamped outside the window (unparsed times become "now")',
};

/** A partition (`pt=20161226`) as a MaxCompute condition, its column and value quoted: `\`pt\` = '20161226'`. */
export function partitionCondition(partition: {column: string; value: string}): string {
	return `${quoteMaxComputeIdentifier(partition.column)} = ${quoteMaxComputeString(partition.value)}`;
}

export function logCheckPairs(plan: LogCheckPlan): QueryPair[] {
	const table = quoteMaxComputeIdentifier(plan.table);
	const where = partitionCondition({column: plan.partitionColumn, value: plan.partitionValue});
	const aggregates = plan.columns.flatMap((column, index) => {
		const type = baseType(column.type);
		if (numericTypes.has(type)) {
			return [{alias: alias(column.name, index, 'sum'), source: `sum(${quoteMaxComputeIdentifier(column.name)})`, target: `sum(try_cast(${logKey(column.name)} as double))`, approximate: true}];
		}

		if (type === 'string') {
			return [{alias: alias(column.name, index, 'distinct'), source: `count(DISTINCT coalesce(${quoteMaxComputeIdentifier(column.name)}, ''))`, target: `count(distinct ${logKey(column.name)})`, approximate: false}];
		}

		return [];
	});
	const pairs: QueryPair[] = [{
		id: 'logs',
		title: `Rows of ${plan.table} (${plan.partitionColumn}=${plan.partitionValue}) and logs in the window`,
		source: `SELECT count(*) AS \`logs\` FROM ${table} WHERE ${where}`,
		target: '* | select count(*) as logs',
		keyColumns: [],
		kind: 'row-count',
		causes: writerCauses,
		dialects,
	}];
	if (aggregates.length > 0) {
		pairs.push({
			id: 'columns',
			title: 'Column checks (sums of numbers cast back from strings, distinct text values)',
			source: `SELECT ${aggregates.map(aggregate => `${aggregate.source} AS \`${aggregate.alias}\``).join(', ')} FROM ${table} WHERE ${where}`,
			target: `* | select ${aggregates.map(aggregate => `${aggregate.target} as ${aggregate.alias}`).join(', ')}`,
			keyColumns: [],
			tolerance: {relative: 1e-9},
			approximateColumns: aggregates.filter(aggregate => aggregate.approximate).map(aggregate => aggregate.alias),
			kind: 'query',
			dialects,
		});
	}

	pairs.push({
		id: 'sample',
		title: `The first rows of ${plan.table} next to the logs they became`,
		source: `SELECT ${plan.columns.map(column => quoteMaxComputeIdentifier(column.name)).join(', ')} FROM ${table} WHERE ${where} LIMIT ${sampleSize}`,
		target: 'the logs of the window whose every key equals one of those rows (read back with GetLogs)',
		keyColumns: plan.columns.map(column => column.name.toLowerCase()),
		kind: 'query',
		dialects,
	});
	return pairs;
}

/** The logs to hold against the sample: they must hold at least these, and a log written twice shows as one more. */
const sampleLogLimit = 100;

/**
 * The analytic query that reads back the logs equal to the sample rows (as log strings: NULL is the empty string),
 * or undefined for no rows.
 */
export function sampleLogsQuery(plan: LogCheckPlan, rows: ReadonlyArray<readonly string[]>): string | undefined {
	if (rows.length === 0) {
		return undefined;
	}

	const literal = (text: string) => `'${text.replaceAll('\'', '\'\'')}'`;
	const equals = (name: string, value: string) => (value === '' ? `(${logKey(name)} = '' or ${logKey(name)} is null)` : `${logKey(name)} = ${literal(value)}`);
	const conditions = rows.map(values => `(${plan.columns.map((column, index) => equals(column.name, values[index] ?? '')).join(' and ')})`);
	return `* | select ${plan.columns.map(column => logKey(column.name)).join(', ')} where ${conditions.join(' or ')} limit ${sampleLogLimit}`;
}
