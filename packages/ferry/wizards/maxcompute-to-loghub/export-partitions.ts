/**
 * The partitions a run exports: the `partition` answer resolved against the table's partitions (ListPartitions),
 * each with its exact row count, refused at preflight when nothing or an empty partition is named. More than one
 * partition is exported as one run of the task per partition: the task's job reads `column=${ferry_partition}` and each
 * run sets that parameter (RunManualDagNodes NodeParameters), so a rerun rewrites one partition's logs, never the
 * list's (the LogHub writer is not idempotent).
 */
import {quoteMaxComputeIdentifier, quoteMaxComputeString} from '../../source/clouds/maxcompute/ddl.js';
import {PreflightError} from '../../source/kit.js';
import {scheduled} from './derived.js';
import {isSinglePartition, parsePartitionSelection, resolvePartitions, type PartitionSelection} from './partition-range.js';
import {settings, type Context} from './procedure.js';

/** The scheduling parameter each run of a many-partition task sets to its partition's value. */
export const partitionParameter = 'ferry_partition';

export type ExportPartition = {value: string; rows: number; window: {from: number; to: number}};

/** The answer parsed; schedule mode takes one partition (its pattern), never a list, range or wildcard. */
export function partitionSelection(context: Context): PartitionSelection {
	const selection = parsePartitionSelection(context.answers.partition);
	if ('problem' in selection) {
		throw new PreflightError(`The partition ${JSON.stringify(context.answers.partition)} cannot be read: ${selection.problem}`, {hint: 'Use pt=20161226, pt=20161201,pt=20161202, pt=20161201..20161231 or pt=201612*.'});
	}

	if (scheduled(context) && !isSinglePartition(selection)) {
		throw new PreflightError(`A schedule exports one partition per instance, so the partition ${context.answers.partition} cannot be scheduled`, {hint: 'Backfill the list or range with --set mode=once, then schedule with one partition as the pattern (--set partition=pt=20161226 --set mode=schedule).'});
	}

	return selection;
}

/** The partition values the answer resolves to with their rows, in order; refuses no match and any empty partition. */
export async function resolveExportPartitions(context: Context, table: string, column: string): Promise<Array<{value: string; rows: number}>> {
	const selection = partitionSelection(context);
	const {maxcompute} = context.clients;
	const listed = await maxcompute.listPartitions(table, {signal: context.signal});
	const existing = listed.flatMap(partition => partition.values.filter(([name]) => name.toLowerCase() === column.toLowerCase()).map(([, value]) => value));
	const values = resolvePartitions(selection, existing);
	if (values.length === 0) {
		const some = [...new Set(existing)].sort().slice(-5);
		throw new PreflightError(`The partition ${context.answers.partition} matches no partition of ${table}`, {hint: some.length > 0 ? `Its latest partitions: ${some.map(value => `${column}=${value}`).join(', ')}.` : `${table} has no partitions yet.`});
	}

	const counted = await maxcompute.runSql(`SELECT ${quoteMaxComputeIdentifier(column)}, count(*) FROM ${quoteMaxComputeIdentifier(table)} WHERE ${quoteMaxComputeIdentifier(column)} IN (${values.map(value => quoteMaxComputeString(value)).join(', ')}) GROUP BY ${quoteMaxComputeIdentifier(column)};`, {settings, signal: context.signal});
	const rowsOf = new Map(counted.rows.map(row => [String(row[0]), Number(row[1] ?? 0)]));
	const partitions = values.map(value => ({value, rows: rowsOf.get(value) ?? 0}));
	const empty = partitions.filter(partition => partition.rows === 0);
	if (empty.length > 0) {
		const names = empty.map(partition => `${column}=${partition.value}`).join(', ');
		throw new PreflightError(values.length === 1 ? `Partition ${names} of ${table} has no rows` : `${empty.length === 1 ? 'Partition' : 'Partitions'} ${names} of ${table} ${empty.length === 1 ? 'has' : 'have'} no rows`, {hint: values.length === 1 ? 'Check --set partition; the job would write no logs.' : 'Leave them out of --set partition (a list or a narrower range): their runs would write no logs and their verification would prove nothing.'});
	}

	if (partitions.length > 1) {
		context.report(`${context.answers.partition} resolves to ${partitions.length} partitions: ${partitions.map(partition => `${column}=${partition.value} (${partition.rows.toLocaleString('en-US')} rows)`).join(', ')}`);
	}

	return partitions;
}

/**
 * Two partitions whose logs' time windows overlap cannot be verified apart (the logs carry no partition): preflight
 * stops instead of reporting differences that are not there.
 */
export function refuseOverlappingWindows(column: string, partitions: readonly ExportPartition[]): void {
	const sorted = [...partitions].sort((left, right) => left.window.from - right.window.from);
	for (let index = 1; index < sorted.length; index++) {
		const [earlier, later] = [sorted[index - 1]!, sorted[index]!];
		if (later.window.from < earlier.window.to) {
			throw new PreflightError(`The logs of ${column}=${earlier.value} and ${column}=${later.value} share times (${new Date(later.window.from * 1000).toISOString()} to ${new Date(Math.min(earlier.window.to, later.window.to) * 1000).toISOString()}): their logs could not be verified per partition`, {hint: 'Export partitions whose time column values do not overlap (a partition over 10,000 rows is given a day of margin each way), or export them under different topics in separate runs.'});
		}
	}
}

/** The reader's partition of a many-partition task: each run sets the parameter to its value. */
export function parameterizedPartition(column: string): string {
	return `${column}=\${${partitionParameter}}`;
}
