import {compareInventories, type CopyRecord, type ParityDifference} from '../../source/clouds/object-store/parity.js';
import {copyPrefix, formatProgress, ServiceError, StepError, type Checkpoints, type CopiedObject, type Inventory, type Logger, type ObjectStore, type OnlineMigrationClient, type SubTaskContext} from '../../source/kit.js';

export type TransferLocation = {bucket: string; prefix: string};

/** Names for Data Online Migration resources: stable per session so a resumed step finds what it created. */
export function migrationNames(sessionId: string): {source: string; destination: string; job: string} {
	const base = `ferry-${sessionId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 56);
	return {source: `${base}-src`, destination: `${base}-dst`, job: `${base}-job`};
}

/** Job states worth re-attaching to: running or finished. Any other (interrupted, suspended, closing) never finishes by itself. */
const liveJobStates = new Set(['IMPORT_JOB_LAUNCHING', 'IMPORT_JOB_PREPARING', 'IMPORT_JOB_DOING', 'IMPORT_JOB_FINISHED']);

export async function transferWithOnlineMigration(options: {
	client: OnlineMigrationClient;
	sessionId: string;
	s3Endpoint: string;
	s3Keys: {accessKeyId: string; secretAccessKey: string};
	from: TransferLocation;
	to: TransferLocation & {regionId: string};
	roleName: string;
	checkpoint: Checkpoints;
	task: SubTaskContext;
	totalBytes: number;
	signal: AbortSignal;
	/** Where a relaunched job is reported; the task's output line says it too. */
	log?: Logger;
}): Promise<{copiedCount: number; copiedBytes: number}> {
	const {client, signal, task, checkpoint} = options;
	const names = migrationNames(options.sessionId);
	if (!checkpoint.get('addresses')) {
		task.output('creating the source and destination addresses');
		await client.createAddress({name: names.source, type: 's3', bucket: options.from.bucket, prefix: options.from.prefix, domain: options.s3Endpoint, accessId: options.s3Keys.accessKeyId, accessSecret: options.s3Keys.secretAccessKey}, {signal});
		await client.createAddress({name: names.destination, type: 'oss', bucket: options.to.bucket, prefix: options.to.prefix, regionId: `oss-${options.to.regionId}`, role: options.roleName}, {signal});
		for (const name of [names.source, names.destination]) {
			const verified = await client.verifyAddress(name, {signal});
			if (verified.status !== 'available') {
				throw new StepError(`Data Online Migration cannot use address ${name}: ${verified.errorMessage ?? verified.errorCode ?? verified.status}`, {hint: name.endsWith('src') ? 'Check the S3 bucket, prefix and the IAM user\'s keys (AmazonS3ReadOnlyAccess).' : 'Check the OSS bucket and that the RAM role is authorised for the migration service.'});
			}
		}

		checkpoint.set('addresses', names);
	}

	if (!checkpoint.get('job')) {
		task.output('creating and starting the migration job');
		await client.createJob({name: names.job, srcAddress: names.source, destAddress: names.destination, overwriteMode: 'always', transferMode: 'all'}, {signal});
		try {
			await client.updateJobStatus(names.job, 'IMPORT_JOB_LAUNCHING', {signal});
		} catch (error) {
			// Launched before a crash that came before the checkpoint: the running job is the one to wait for.
			if (!(error instanceof ServiceError && error.code === 'ImportJobConflictOnUpdateStatus')) {
				throw error;
			}
		}

		checkpoint.set('job', names.job);
	} else {
		const job = await client.getJob(names.job, {signal});
		if (liveJobStates.has(job.status)) {
			task.output(`re-attaching to migration job ${names.job}`);
		} else {
			// The copy overwrites (overwriteMode always), so running the job again is safe.
			const line = `migration job ${names.job} ended with ${job.status}; launching it again`;
			options.log?.warn(line);
			task.output(line);
			await client.updateJobStatus(names.job, 'IMPORT_JOB_LAUNCHING', {signal});
		}
	}

	for (let jobRun = 1; ; jobRun++) {
		const started = Date.now();
		try {
			const finished = await client.waitForJob(names.job, {
				signal,
				pollIntervalMs: 500,
				maxPollIntervalMs: 5000,
				onProgress: ({job, run}) => task.output(run ? `${job.status.replace('IMPORT_JOB_', '').toLowerCase()} · ${formatProgress({done: run.copiedSize, total: run.totalSize || options.totalBytes, unit: 'bytes'}, Date.now() - started)} · ${run.copiedCount}/${run.totalCount} objects` : job.status),
			});
			return {copiedCount: finished.run?.copiedCount ?? 0, copiedBytes: finished.run?.copiedSize ?? 0};
		} catch (error) {
			// A run that ended with some objects failed (often a transient error on one object) is run again, as the
			// service's own advice goes; it overwrites, so nothing is duplicated. Persistent failures still stop the step.
			if (!(error instanceof ServiceError && error.code !== undefined && error.code.startsWith('IMPORT_JOB_') && !liveJobStates.has(error.code)) || jobRun >= jobRunsPerAttempt) {
				throw error;
			}

			const line = `migration job ${names.job} ended with ${error.code} (${error.message}); launching it again (run ${jobRun + 1} of ${jobRunsPerAttempt})`;
			options.log?.warn(line);
			task.output(line);
			await client.updateJobStatus(names.job, 'IMPORT_JOB_LAUNCHING', {signal});
		}
	}
}

/** How many runs of the migration job one attempt of the step waits for before it fails. */
const jobRunsPerAttempt = 3;

export async function transferWithStream(options: {from: TransferLocation & {store: ObjectStore}; to: TransferLocation & {store: ObjectStore}; task: SubTaskContext; logger: Logger; signal: AbortSignal}): Promise<CopiedObject[]> {
	const started = Date.now();
	const result = await copyPrefix({
		from: {store: options.from.store, bucket: options.from.bucket, prefix: options.from.prefix},
		to: {store: options.to.store, bucket: options.to.bucket, prefix: options.to.prefix},
		signal: options.signal,
		logger: options.logger,
		onProgress: progress => options.task.output(`${formatProgress({done: progress.bytesDone, total: progress.bytesTotal, unit: 'bytes'}, Date.now() - started)} · ${progress.objectsDone}/${progress.objectsTotal} objects`),
	});
	return result.objects;
}

/** The inventory parity check the step ends with: count, bytes and per-object checksums. */
export function checkParity(source: Inventory, destination: Inventory, copies: CopyRecord[]): ParityDifference[] {
	return compareInventories(source, destination, copies);
}
