/** The run step: one run of the task per partition (or its first scheduled instance), watched, rerun only after a failure. */
import {pollUntil, StepError, stepSummary, type Checkpoints} from '../../source/kit.js';
import {cycleOf, exportPartitions, partitionOf, perPartition, scheduled, workflowOf} from './derived.js';
import {partitionParameter} from './export-partitions.js';
import {startManualRun, type ManualRunCheckpoint} from './manual-run.js';
import type {Context, PartitionRun} from './procedure.js';

/**
 * The instance of this session's run (or the first scheduled one) watched to SUCCESS or FAILURE, then the DI log's
 * counts. Many partitions run one after another, one run of the task each, every one checkpointed on its own: a
 * resumed step skips the partitions done, re-attaches to the one running and reruns only a failed one (rerun:
 * duplicates that one partition's logs, so the engine asks first).
 */
export async function runAndWatch(context: Context<'run'>): Promise<void> {
	if (scheduled(context)) {
		const instanceId = await scheduledInstance(context);
		const counts = await watchInstance(context, instanceId, '');
		context.output('instanceId', instanceId);
		context.output('counts', counts);
		context.output('partition', context.checkpoint.get<string>('partition'));
		context.summary(stepSummary(`instance ${instanceId} succeeded`, ...countTexts(counts)));
		return;
	}

	const partitions = exportPartitions(context);
	const many = perPartition(context);
	const {column} = partitionOf(context);
	const nodeId = context.outputOf('task', 'nodeId');
	const runs: PartitionRun[] = [];
	for (const [index, partition] of partitions.entries()) {
		const label = many ? `${column}=${partition.value} (${index + 1}/${partitions.length}): ` : '';
		const checkpoint = many ? partitionCheckpoint(context.checkpoint, partition.value) : context.checkpoint;
		const done = checkpoint.get<PartitionRun>('done');
		if (done) {
			context.report(`${label}instance ${done.instanceId} succeeded earlier (${done.counts.written.toLocaleString('en-US')} written): not run again`);
			runs.push(done);
			continue;
		}

		const earlierDags = runs.flatMap(run => (run.dagId === undefined ? [] : [run.dagId]));
		const instanceId = await submittedInstance(context, {
			checkpoint, label, value: partition.value, earlierDags,
			...(many ? {nodeParameters: {[String(nodeId)]: `${partitionParameter}=${partition.value}`}} : {}),
		});
		const counts = await watchInstance(context, instanceId, label);
		const run: PartitionRun = {value: partition.value, instanceId, counts, ...(checkpoint.get<ManualRunCheckpoint>('manualRun')?.dagId === undefined ? {} : {dagId: checkpoint.get<ManualRunCheckpoint>('manualRun')!.dagId})};
		if (many) {
			checkpoint.set('done', run);
			context.report(`${label}instance ${instanceId} succeeded: ${countTexts(counts).join(', ')}`);
		}

		runs.push(run);
	}

	const total = runs.reduce((sum, run) => ({read: sum.read + run.counts.read, written: sum.written + run.counts.written, dirty: sum.dirty + run.counts.dirty}), {read: 0, written: 0, dirty: 0});
	context.output('instanceId', runs.at(-1)!.instanceId);
	context.output('counts', total);
	if (many) {
		context.output('partitions', runs);
		context.summary(stepSummary(`${runs.length} partitions, one instance each, succeeded`, ...countTexts(total)));
	} else {
		context.summary(stepSummary(`instance ${runs[0]!.instanceId} succeeded`, ...countTexts(total)));
	}
}

const countTexts = (counts: {read: number; written: number; dirty: number}) => [`${counts.read.toLocaleString('en-US')} read`, `${counts.written.toLocaleString('en-US')} written`, `${counts.dirty.toLocaleString('en-US')} dirty`];

/** One partition's checkpoints, apart from every other partition's (`20161201/instanceId`). */
function partitionCheckpoint(checkpoint: Checkpoints, value: string): Checkpoints {
	const key = (name: string) => `${value}/${name}`;
	return {
		get: name => checkpoint.get(key(name)),
		set: (name, item) => checkpoint.set(key(name), item),
		once: async (name, create) => checkpoint.once(key(name), create),
	};
}

/** The instance watched to SUCCESS or FAILURE, then its DI log's counts; a failure stops the step naming the partition. */
async function watchInstance(context: Context, instanceId: number, label: string): Promise<{read: number; written: number; dirty: number}> {
	const {dataworks} = context.clients;
	const final = await pollUntil({
		read: async () => dataworks.getInstance({instanceId, projectEnv: 'PROD'}, {signal: context.signal}),
		done: instance => instance.status === 'SUCCESS' || instance.status === 'FAILURE',
		onState: instance => context.report(`${label}instance ${instanceId}: ${instance.status}`),
		signal: context.signal,
		intervalMs: 500,
		maxIntervalMs: 10_000,
		timeoutMs: context.answers.waitMinutes * 60_000,
		what: `DataWorks instance ${instanceId} to finish`,
		hint: `It keeps running in DataWorks; \`ferry resume ${context.sessionId}\` re-attaches to it.`,
	});
	const log = await dataworks.getInstanceLog({instanceId, projectEnv: 'PROD'}, {signal: context.signal});
	if (final.status === 'FAILURE') {
		const reason = log.split('\n').reverse().find(line => /ERROR|Exception|Code:\[/.test(line))?.trim() ?? final.errorMessage ?? 'no reason in the DI log';
		throw new StepError(`The sync instance ${instanceId}${label ? ` of ${label.slice(0, label.indexOf(' '))}` : ''} failed: ${reason}`, {hint: `Fix the cause, then \`ferry resume ${context.sessionId}\` and accept the rerun: the task runs again${label ? ' for this partition only (the partitions done are not run again)' : ''}, and logs written before the failure are written again.`});
	}

	return diCounts(log);
}

/**
 * The instance of this session's run of the task for one partition: the saved one while it is running or done, a new
 * run when there is none or the saved one failed (the engine has asked before rerunning this step, since a rerun
 * writes the logs again). Earlier partitions' DAGs are never taken for this partition's run.
 */
async function submittedInstance(context: Context, options: {checkpoint: Checkpoints; label: string; value: string; earlierDags: number[]; nodeParameters?: Record<string, string>}): Promise<number> {
	const {dataworks} = context.clients;
	const {checkpoint, label} = options;
	const projectId = context.answers.workspaceId;
	const nodeId = context.outputOf('task', 'nodeId');
	const previous = checkpoint.get<number>('instanceId');
	if (previous !== undefined) {
		const instance = await dataworks.getInstance({instanceId: previous, projectEnv: 'PROD'}, {signal: context.signal});
		if (instance.status !== 'FAILURE') {
			context.report(`${label}instance ${previous} is ${instance.status}: re-attached`);
			return previous;
		}

		context.report(`${label}instance ${previous} failed: running the task again`);
		// A new run, never to be confused with the failed one (whose DAG is excluded from the lost-start lookup).
		const failed = checkpoint.get<ManualRunCheckpoint>('manualRun');
		checkpoint.set('manualRun', failed ? {askedAt: Date.now(), bizDate: failed.bizDate, excludedDagIds: [...(failed.excludedDagIds ?? []), ...(failed.dagId === undefined ? [] : [failed.dagId])]} : undefined);
		checkpoint.set('instanceId', undefined);
	}

	const bizDate = manualBizDate(options.value);
	if (options.earlierDags.length > 0 && checkpoint.get('manualRun') === undefined) {
		checkpoint.set('manualRun', {askedAt: Date.now(), bizDate: `${bizDate} 00:00:00`, excludedDagIds: options.earlierDags} satisfies ManualRunCheckpoint);
	}

	const projectName = context.outputOf('preflight', 'shape').workspaceIdentifier ?? '';
	const dagId = await startManualRun({
		dataworks,
		checkpoint,
		report: line => context.report(`${label}${line}`),
		signal: context.signal,
		request: {projectEnv: 'PROD', projectName, projectId, flowName: workflowOf(context).name, bizDate: `${bizDate} 00:00:00`, includeNodeIds: [nodeId], ...(options.nodeParameters ? {nodeParameters: options.nodeParameters} : {})},
	});
	const instances = await pollUntil({
		read: async () => dataworks.listManualDagInstances({projectEnv: 'PROD', projectName, dagId}, {signal: context.signal}),
		done: found => found.some(instance => instance.nodeId === nodeId),
		signal: context.signal,
		timeoutMs: 5 * 60_000,
		what: 'DataWorks to create the instance of the run',
	});
	const instanceId = instances.find(instance => instance.nodeId === nodeId)!.instanceId;
	checkpoint.set('instanceId', instanceId);
	context.report(`${label}run of workflow ${workflowOf(context).name} for ${bizDate}: DAG ${dagId}, instance ${instanceId}`);
	return instanceId;
}

/**
 * The first instance the scheduler runs for the node (DagType DAILY, not a dry run), saved by id: a resumed run
 * re-attaches to it, and restarts it (same id, RestartInstance) only when it failed, after the engine asked.
 */
async function scheduledInstance(context: Context): Promise<number> {
	const {dataworks} = context.clients;
	const projectId = context.answers.workspaceId;
	const nodeId = context.outputOf('task', 'nodeId');
	const cycle = cycleOf(context);
	const previous = context.checkpoint.get<number>('instanceId');
	if (previous !== undefined) {
		const instance = await dataworks.getInstance({instanceId: previous, projectEnv: 'PROD'}, {signal: context.signal});
		if (instance.status !== 'FAILURE') {
			context.report(`scheduled instance ${previous} is ${instance.status}: re-attached`);
			return previous;
		}

		await dataworks.restartInstance({instanceId: previous, projectEnv: 'PROD'}, {signal: context.signal});
		context.report(`scheduled instance ${previous} failed: restarted it (RestartInstance); logs written before the failure are written again`);
		return previous;
	}

	const page = await pollUntil({
		read: async () => dataworks.listInstances({projectId, projectEnv: 'PROD', nodeId}, {signal: context.signal}),
		done: found => found.items.some(instance => instance.dagType === 'DAILY' && instance.taskType !== 'SKIP'),
		signal: context.signal,
		timeoutMs: 15 * 60_000,
		what: 'DataWorks to generate the first scheduled instance',
		hint: 'Instances of a node deployed "immediately" appear within minutes; otherwise from the next day.',
	});
	const first = page.items.filter(instance => instance.dagType === 'DAILY' && instance.taskType !== 'SKIP').sort((left, right) => (left.cycTime ?? 0) - (right.cycTime ?? 0))[0]!;
	const partition = cycle.valueFor({bizdate: first.bizdate ?? 0, cycTime: first.cycTime ?? 0});
	context.checkpoint.set('partition', partition);
	context.checkpoint.set('instanceId', first.instanceId);
	context.report(`first scheduled instance ${first.instanceId}: cycle time ${new Date(first.cycTime ?? 0).toISOString()}, reads ${partitionOf(context).column}=${partition}`);
	const waitMs = (first.cycTime ?? 0) - Date.now();
	if (waitMs > context.answers.waitMinutes * 60_000) {
		throw new StepError(`The first scheduled instance ${first.instanceId} runs at ${new Date(first.cycTime ?? 0).toISOString()}, after the ${context.answers.waitMinutes} minutes ferry waits`, {hint: `The task is scheduled; \`ferry resume ${context.sessionId}\` after that time watches this instance and verifies its partition.`});
	}

	return first.instanceId;
}

/** China Standard Time, DataWorks' business-date zone. */
const cstOffsetMs = 8 * 3_600_000;

/**
 * The business date of a run once: the partition's date (`20161226` or `2016-12-26` → `2016-12-26`), at most
 * yesterday in China Standard Time, since a manual run takes a date a day back or earlier; otherwise yesterday. The
 * job reads the partition it names either way.
 */
export function manualBizDate(partitionValue: string, now = Date.now()): string {
	const yesterday = new Date(now + cstOffsetMs - 86_400_000).toISOString().slice(0, 10);
	const match = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(partitionValue);
	const date = match ? `${match[1]}-${match[2]}-${match[3]}` : yesterday;
	return date < yesterday ? date : yesterday;
}

/** The DI log's summary: 读出记录总数 (records read) and 读写失败总数 (read/write failures). */
export function diCounts(log: string): {read: number; written: number; dirty: number} {
	const read = Number(/读出记录总数\s*:\s*(\d+)/.exec(log)?.[1] ?? Number.NaN);
	const dirty = Number(/读写失败总数\s*:\s*(\d+)/.exec(log)?.[1] ?? 0);
	return {read, written: Number.isNaN(read) ? Number.NaN : read - dirty, dirty};
}
