import {ServiceError, type Checkpoints, type Logger, type ObjectStore, type RedshiftConnection, type SubTask} from '../../source/kit.js';

export type UnloadResult = {table: string; statementId?: string; rows?: number};

/**
 * One sub-task per table. The statement id is checkpointed before waiting, so after a crash the same UNLOAD is
 * re-attached instead of run again; CLEANPATH makes a real rerun safe too, so a saved statement that FAILED or was
 * ABORTED (e.g. the cluster restarted) is discarded and the UNLOAD submitted again.
 */
export function unloadTasks(options: {
	redshift: RedshiftConnection;
	tables: Array<{table: string; statement: string}>;
	checkpoint: Checkpoints;
	signal: AbortSignal;
	/** Where a discarded statement is reported; the task's output line says it too. */
	log?: Logger;
}): SubTask[] {
	const {redshift, checkpoint, signal} = options;
	return options.tables.map(({table, statement}) => ({
		title: `UNLOAD ${table}`,
		skip: () => (checkpoint.get<UnloadResult>(`done:${table}`) ? `${table} unloaded before` : false),
		async run(task) {
			const wait = async (id: string) => redshift.waitFor(id, {signal, onStatus: status => task.output(`${status.status.toLowerCase()} · statement ${id}`)});
			let statementId = checkpoint.get<string>(`statement:${table}`);
			let rows: number | undefined;
			let attached = false;
			if (statementId) {
				task.output(`re-attaching to statement ${statementId}`);
				try {
					rows = (await wait(statementId)).resultRows;
					attached = true;
				} catch (error) {
					if (!statementEnded(error)) {
						throw error;
					}

					const line = `statement ${statementId} ${error.code === 'StatementAborted' ? 'was aborted' : 'failed'} (${error.message}); submitting the UNLOAD of ${table} again`;
					options.log?.warn(line);
					task.output(line);
					checkpoint.set(`statement:${table}`, undefined);
					statementId = undefined;
				}
			}

			if (!attached) {
				const started = await redshift.execute(statement, {signal});
				statementId = started.statementId;
				if (statementId) {
					checkpoint.set(`statement:${table}`, statementId);
					rows = (await wait(statementId)).resultRows;
				}
			}

			const result: UnloadResult = {table, ...(statementId ? {statementId} : {}), ...(rows === undefined ? {} : {rows})};
			checkpoint.set(`done:${table}`, result);
			task.output(rows === undefined ? 'unloaded' : `${rows.toLocaleString('en-US')} rows unloaded`);
		},
	}));
}

/** A statement that ended without a result: it will never finish, so it is safe and necessary to run it again. */
function statementEnded(error: unknown): error is ServiceError {
	return error instanceof ServiceError && (error.code === 'StatementFailed' || error.code === 'StatementAborted');
}

export async function ensureBucket(store: ObjectStore, bucket: string, signal: AbortSignal): Promise<boolean> {
	if (await store.bucketExists(bucket, {signal})) {
		return false;
	}

	await store.createBucket(bucket, {signal});
	return true;
}
