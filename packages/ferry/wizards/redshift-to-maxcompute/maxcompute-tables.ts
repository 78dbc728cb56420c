import {ensureMaxComputeTable, StepError, type Checkpoints, type Logger, type MaxComputeClient, type SubTask} from '../../source/kit.js';
import type {TablePlan} from './migration-plan.js';

/** Idempotent (the kit's ensureMaxComputeTable): an existing table with the same schema is kept; a different schema stops with the diff. */
export function createTableTasks(options: {maxcompute: MaxComputeClient; tables: TablePlan[]; signal: AbortSignal; onDone: (table: string, created: boolean) => void}): SubTask[] {
	const {maxcompute, signal} = options;
	return options.tables.map(plan => ({
		title: `CREATE TABLE ${plan.table}`,
		async run(task) {
			const {created} = await ensureMaxComputeTable(maxcompute, {
				name: plan.table,
				columns: plan.columns.map(column => ({name: column.name, type: column.maxComputeType})),
				create: plan.createTable,
				settings: plan.settings,
				differs: difference => new StepError(`Table ${plan.table} already exists in ${maxcompute.project} with a different schema:\n${difference}`, {hint: `Drop or rename it (ferry sql --side target "DROP TABLE ${plan.table}"), then \`ferry resume\`.`}),
				signal,
			});
			task.output(created ? 'created' : 'exists with the same schema: kept');
			options.onDone(plan.table, created);
		},
	}));
}

export type LoadResult = {table: string; instanceId: string; logview?: string};

/**
 * LOAD OVERWRITE per table: a rerun replaces, never duplicates. Instance ids are checkpointed for re-attaching to a
 * running or successful instance; one that failed or was cancelled is discarded and the LOAD submitted again.
 */
export function loadTasks(options: {maxcompute: MaxComputeClient; tables: TablePlan[]; checkpoint: Checkpoints; signal: AbortSignal; log?: Logger}): SubTask[] {
	const {maxcompute, checkpoint, signal} = options;
	return options.tables.map(plan => ({
		title: `LOAD ${plan.table}`,
		skip: () => (checkpoint.get(`done:${plan.table}`) ? `${plan.table} loaded before` : false),
		async run(task) {
			const onStatus = (progress: {instanceStatus: string; tasks: Array<{status: string}>}) => task.output(`${progress.tasks[0]?.status ?? progress.instanceStatus} · instance ${instanceId ?? ''}`);
			let instanceId = checkpoint.get<string>(`instance:${plan.table}`);
			const ended = instanceId ? await endedWithoutSuccess(maxcompute, instanceId, signal) : undefined;
			if (instanceId && ended) {
				const line = `instance ${instanceId} ended ${ended}; submitting the LOAD of ${plan.table} again`;
				options.log?.warn(line);
				task.output(line);
				checkpoint.set(`instance:${plan.table}`, undefined);
				instanceId = undefined;
			}

			if (instanceId) {
				task.output(`re-attaching to instance ${instanceId}`);
				await maxcompute.attach(instanceId, {signal, onStatus});
			} else {
				const result = await maxcompute.runSql(`${plan.load};`, {
					settings: plan.settings,
					signal,
					onStatus,
					onSubmitted(id) {
						instanceId = id;
						checkpoint.set(`instance:${plan.table}`, id);
					},
				});
				instanceId = result.instanceId;
			}

			const logview = maxcompute.logviewUrl(instanceId);
			const done: LoadResult = {table: plan.table, instanceId, ...(logview ? {logview} : {})};
			checkpoint.set(`done:${plan.table}`, done);
			task.output(`loaded · instance ${instanceId}`);
		},
	}));
}

/** How a terminated instance ended when not every task succeeded (`Failed`, `Cancelled`…); undefined while running or after success. */
async function endedWithoutSuccess(maxcompute: MaxComputeClient, instanceId: string, signal: AbortSignal): Promise<string | undefined> {
	const progress = await maxcompute.getTaskStatus(instanceId, {signal});
	if (progress.instanceStatus !== 'Terminated' || (progress.tasks.length > 0 && progress.tasks.every(task => task.status.toUpperCase() === 'SUCCESS'))) {
		return undefined;
	}

	return progress.tasks.map(task => task.status).find(status => status.toUpperCase() !== 'SUCCESS') ?? 'without tasks';
}
