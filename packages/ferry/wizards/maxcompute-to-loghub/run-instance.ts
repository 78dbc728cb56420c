/** The run step: one run of the task (or its first scheduled instance), watched, restarted only after a failure. */
import {pollUntil, StepError, stepSummary} from '../../source/kit.js';
import {cycleOf, partitionOf, scheduled, workflowOf} from './derived.js';
import {startManualRun, type ManualRunCheckpoint} from './manual-run.js';
import type {Context} from './procedure.js';

/** The instance of this session's run (or the first scheduled one) watched to SUCCESS or FAILURE, then the DI log's counts (rerun: duplicates logs, so the engine asks first). */
export async function runAndWatch(context: Context<'run'>): Promise<void> {
	const instanceId = scheduled(context) ? await scheduledInstance(context) : await submittedInstance(context);
	const {dataworks} = context.clients;
	const final = await pollUntil({
		read: async () => dataworks.getInstance({instanceId, projectEnv: 'PROD'}, {signal: context.signal}),
		done: instance => instance.status === 'SUCCESS' || instance.status === 'FAILURE',
		onState: instance => context.report(`instance ${instanceId}: ${instance.status}`),
		signal: context.signal,
		intervalMs: 500,
		maxIntervalMs: 10_000,
		timeoutMs: context.answers.waitMinutes * 60_000,
		what: `DataWorks instance ${instanceId} to finish`,
		hint: `It keeps running in DataWorks; \`ferry resume ${context.sessionId}\` re-attaches to it.`,
	});
	const log = await dataworks.getInstanceLog({instanceId, projectEnv: 'PROD'}, {signal: context.signal});
	const counts = diCounts(log);
	if (final.status === 'FAILURE') {
		const reason = log.split('\n').reverse().find(line => /ERROR|Exception|Code:\[/.test(line))?.trim() ?? final.errorMessage ?? 'no reason in the DI log';
		throw new StepError(`The sync instance ${instanceId} failed: ${reason}`, {hint: `Fix the cause, then \`ferry resume ${context.sessionId}\` and accept the rerun: the task runs again, and logs written before the failure are written again.`});
	}

	context.output('instanceId', instanceId);
	context.output('counts', counts);
	if (scheduled(context)) {
		context.output('partition', context.checkpoint.get<string>('partition'));
	}

	context.summary(stepSummary(`instance ${instanceId} succeeded`, `${counts.read.toLocaleString('en-US')} read`, `${counts.written.toLocaleString('en-US')} written`, `${counts.dirty.toLocaleString('en-US')} dirty`));
}

/**
 * The instance of this session's run of the task: the saved one while it is running or done, a new run when there is
 * none or the saved one failed (the engine has asked before rerunning this step, since a rerun writes the logs again).
 */
async function submittedInstance(context: Context): Promise<number> {
	const {dataworks} = context.clients;
	const projectId = context.answers.workspaceId;
	const nodeId = context.outputOf('task', 'nodeId');
	const previous = context.checkpoint.get<number>('instanceId');
	if (previous !== undefined) {
		const instance = await dataworks.getInstance({instanceId: previous, projectEnv: 'PROD'}, {signal: context.signal});
		if (instance.status !== 'FAILURE') {
			context.report(`instance ${previous} is ${instance.status}: re-attached`);
			return previous;
		}

		context.report(`instance ${previous} failed: running the task again`);
		// A new run, never to be confused with the failed one (whose DAG is excluded from the lost-start lookup).
		const failed = context.checkpoint.get<ManualRunCheckpoint>('manualRun');
		context.checkpoint.set('manualRun', failed ? {askedAt: Date.now(), bizDate: failed.bizDate, excludedDagIds: [...(failed.excludedDagIds ?? []), ...(failed.dagId === undefined ? [] : [failed.dagId])]} : undefined);
		context.checkpoint.set('instanceId', undefined);
	}

	const bizDate = manualBizDate(partitionOf(context).value);
	const dagId = await startManualRun({
		dataworks,
		checkpoint: context.checkpoint,
		report: line => context.report(line),
		signal: context.signal,
		request: {projectEnv: 'PROD', projectName: context.outputOf('preflight', 'shape').workspaceIdentifier ?? '', projectId, flowName: workflowOf(context).name, bizDate: `${bizDate} 00:00:00`, includeNodeIds: [nodeId]},
	});
	const instances = await pollUntil({
		read: async () => dataworks.listManualDagInstances({projectEnv: 'PROD', projectName: context.outputOf('preflight', 'shape').workspaceIdentifier ?? '', dagId}, {signal: context.signal}),
		done: found => found.some(instance => instance.nodeId === nodeId),
		signal: context.signal,
		timeoutMs: 5 * 60_000,
		what: 'DataWorks to create the instance of the run',
	});
	const instanceId = instances.find(instance => instance.nodeId === nodeId)!.instanceId;
	context.checkpoint.set('instanceId', instanceId);
	context.report(`run of workflow ${workflowOf(context).name} for ${bizDate}: DAG ${dagId}, instance ${instanceId}`);
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
