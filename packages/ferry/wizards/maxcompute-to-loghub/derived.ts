/** What several steps derive from the answers: the partition, the mode, the workflow, the cycle and the checks' plan. */
import {PreflightError} from '../../source/kit.js';
import type {ExportPartition} from './export-partitions.js';
import type {Context} from './procedure.js';
import {cycleFor, type Cycle} from './schedule.js';
import type {LogCheckPlan} from './verification.js';

export function partitionOf(context: Context): {column: string; value: string} {
	const [column = '', value = ''] = context.answers.partition.split('=');
	return {column, value};
}

export const scheduled = (context: Context) => context.answers.mode === 'schedule';

/**
 * The workflow the task lives in (`Workflow/<workflow>/Data Integration`) and the kind it must be: a run once needs
 * a manually triggered one, whose nodes DataWorks never schedules (a node of an auto-triggered workflow deployed
 * without a schedule would run every day); a schedule needs an auto-triggered one.
 */
export function workflowOf(context: Context): {name: string; useType: 'NORMAL' | 'MANUAL_BIZ'; kind: string} {
	const name = context.answers.folderPath.split('/').filter(Boolean)[1] ?? '';
	return scheduled(context) ? {name, useType: 'NORMAL', kind: 'auto-triggered'} : {name, useType: 'MANUAL_BIZ', kind: 'manually triggered'};
}

/** The cycle of schedule mode; preflight has refused a partition without one. */
export function cycleOf(context: Context): Cycle {
	const cycle = cycleFor(context.answers.partition);
	if ('problem' in cycle) {
		throw new PreflightError(`Cannot schedule the task: ${cycle.problem}`, {hint: 'Name a partition like pt=20161226 (daily) or pt=2016122613 (hourly), or use --set mode=once.'});
	}

	return cycle;
}

/** The partition the run exported: the one named, or the one the first scheduled instance read. */
export function exportedPartition(context: Context): {column: string; value: string} {
	const partition = context.outputs.run?.partition;
	return typeof partition === 'string' ? {column: partitionOf(context).column, value: partition} : partitionOf(context);
}

/** The partitions preflight resolved, in the order they run (a session from before ranges: its one partition). */
export function exportPartitions(context: Context): ExportPartition[] {
	const shape = context.outputOf('preflight', 'shape');
	return shape.partitions ?? [{value: partitionOf(context).value, rows: shape.rows, window: shape.window}];
}

/** Whether the run exports more than one partition, one run of the task each. */
export const perPartition = (context: Context) => !scheduled(context) && exportPartitions(context).length > 1;

export function checkPlan(context: Context, value = exportedPartition(context).value): LogCheckPlan {
	return {table: context.answers.maxcomputeTable, partitionColumn: partitionOf(context).column, partitionValue: value, columns: context.outputOf('preflight', 'shape').columns};
}
