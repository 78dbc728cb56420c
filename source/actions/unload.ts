import type {ObjectStore} from '../clouds/object-store/client.js';
import type {RedshiftConnection} from '../clouds/redshift/connection.js';
import type {Checkpoints, SubTask} from '../engine/wizard.js';

export type UnloadResult = {table: string; statementId?: string; rows?: number};

/**
 * One sub-task per table. The statement id is checkpointed before waiting, so after a crash the same UNLOAD is
 * re-attached instead of run again; CLEANPATH makes a real rerun safe too.
 */
export function unloadTasks(options: {
	redshift: RedshiftConnection;
	tables: Array<{table: string; statement: string}>;
	checkpoint: Checkpoints;
	signal: AbortSignal;
}): SubTask[] {
	const {redshift, checkpoint, signal} = options;
	return options.tables.map(({table, statement}) => ({
		title: `UNLOAD ${table}`,
		skip: () => (checkpoint.get<UnloadResult>(`done:${table}`) ? `${table} unloaded before` : false),
		async run(task) {
			let statementId = checkpoint.get<string>(`statement:${table}`);
			if (statementId) {
				task.output(`re-attaching to statement ${statementId}`);
			} else {
				const started = await redshift.execute(statement, {signal});
				statementId = started.statementId;
				if (statementId) {
					checkpoint.set(`statement:${table}`, statementId);
				}
			}

			let rows: number | undefined;
			if (statementId) {
				const description = await redshift.waitFor(statementId, {signal, onStatus: status => task.output(`${status.status.toLowerCase()} · statement ${statementId}`)});
				rows = description.resultRows;
			}

			const result: UnloadResult = {table, ...(statementId ? {statementId} : {}), ...(rows === undefined ? {} : {rows})};
			checkpoint.set(`done:${table}`, result);
			task.output(rows === undefined ? 'unloaded' : `${rows.toLocaleString('en-US')} rows unloaded`);
		},
	}));
}

export async function ensureBucket(store: ObjectStore, bucket: string, signal: AbortSignal): Promise<boolean> {
	if (await store.bucketExists(bucket, {signal})) {
		return false;
	}

	await store.createBucket(bucket, {signal});
	return true;
}
