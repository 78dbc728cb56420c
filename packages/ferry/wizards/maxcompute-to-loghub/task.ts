/** The task step: the batch sync task in its workflow, submitted (and deployed), re-attached by id on a resume. */
import {sessionFilePath, StepError, stepSummary, waitForDeployment, writeFileAtomic} from '../../source/kit.js';
import {cycleOf, scheduled, workflowOf} from './derived.js';
import type {Context} from './procedure.js';

/** The workflow, the sync task (found again by name when it runs the same job), its scheduling and its deployments, every id a checkpoint (rerun: safe). */
export async function ensureTask(context: Context<'task'>): Promise<void> {
	const {dataworks} = context.clients;
	const shape = context.outputOf('preflight', 'shape');
	const projectId = context.answers.workspaceId;
	const jobFile = await sessionFilePath(context.sessionId, 'job.json');
	writeFileAtomic(jobFile, `${JSON.stringify(shape.job, undefined, 2)}\n`);
	context.output('jobFile', jobFile);
	const workflow = workflowOf(context);
	const businessId = await context.checkpoint.once('businessId', async () => {
		const existing = await dataworks.findBusiness({projectId, name: workflow.name}, {signal: context.signal});
		if (existing) {
			return existing.businessId;
		}

		const created = await dataworks.createBusiness({projectId, name: workflow.name, useType: workflow.useType, description: 'Created by ferry for the maxcompute-to-loghub procedure'}, {signal: context.signal});
		context.report(`workflow ${workflow.name} created (${workflow.kind})`);
		return created.businessId;
	});
	const fileId = await context.checkpoint.once('fileId', async () => {
		// A task of this name from an earlier session is used again when it runs the same job; otherwise ferry stops.
		const existing = await dataworks.findFile({projectId, fileFolderPath: context.answers.folderPath, fileName: context.answers.taskName}, {signal: context.signal});
		if (existing) {
			const content = existing.content ?? (await dataworks.getFile({projectId, fileId: existing.fileId}, {signal: context.signal})).content;
			if (!sameJob(content, shape.job)) {
				throw new StepError(`A task named ${context.answers.taskName} already exists in ${context.answers.folderPath} with another job`, {hint: 'Choose another name with --set taskName=…, or delete that task in DataWorks.'});
			}

			context.report(`task ${context.answers.taskName} exists with the same job: used again`);
			return existing.fileId;
		}

		return (await dataworks.createDISyncTask({projectId, taskName: context.answers.taskName, taskContent: JSON.stringify(shape.job), taskParam: {FileFolderPath: context.answers.folderPath, ResourceGroup: context.answers.resourceGroup}, clientToken: `${context.sessionId}-task`}, {signal: context.signal})).fileId;
	});
	context.report(`task file ${fileId} in ${context.answers.folderPath} (workflow ${businessId})`);
	if (!scheduled(context) && context.checkpoint.get('submitDeployment') === undefined) {
		await makeManual(context, fileId);
	}

	if (scheduled(context) && context.checkpoint.get('submitDeployment') === undefined) {
		const cycle = cycleOf(context);
		// AutoRerunTimes 0 and FAILURE_ALLOWED: the writer is not idempotent, so a rerun is ferry's (asked) decision,
		// never the scheduler's, and a successful instance is never run twice.
		await context.checkpoint.once('scheduling', async () => {
			await dataworks.updateFile({
				projectId, fileId, cronExpress: cycle.cronExpress, cycleType: cycle.cycleType, paraValue: cycle.paraValue, autoRerunTimes: 0, autoRerunIntervalMillis: 120_000,
				rerunMode: 'FAILURE_ALLOWED', schedulerType: 'NORMAL', applyScheduleImmediately: true, dependentType: 'NONE',
				...(shape.workspaceIdentifier ? {inputList: `${shape.workspaceIdentifier}_root`} : {}),
			}, {signal: context.signal});
			return cycle.cronExpress;
		});
		context.report(`scheduling set: ${cycle.cycleType} ${cycle.cronExpress}, ${cycle.paraValue}`);
	}

	const submitted = await context.checkpoint.once('submitDeployment', async () => (await dataworks.submitFile({projectId, fileId, comment: 'Submitted by ferry'}, {signal: context.signal})).deploymentId);
	await waitForDeployment(dataworks, {projectId, deploymentId: submitted, what: 'submitted', signal: context.signal});
	if (shape.mode === 'standard') {
		const deployed = await context.checkpoint.once('deployDeployment', async () => (await dataworks.deployFile({projectId, fileId, comment: 'Deployed by ferry'}, {signal: context.signal})).deploymentId);
		await waitForDeployment(dataworks, {projectId, deploymentId: deployed, what: 'deployed', signal: context.signal});
	}

	const file = await dataworks.getFile({projectId, fileId}, {signal: context.signal});
	if (file.nodeId === undefined) {
		throw new StepError(`Task file ${fileId} has no scheduling node after it was submitted`, {hint: 'Open the task in DataWorks to see why, then `ferry resume`.'});
	}

	context.output('fileId', fileId);
	context.output('nodeId', file.nodeId);
	context.summary(stepSummary(`task file ${fileId}`, `node ${file.nodeId} ${shape.mode === 'standard' ? 'deployed to production' : 'submitted'}`, scheduled(context) ? `${cycleOf(context).kind} cycle` : `manual, in workflow ${workflow.name}`));
}

/**
 * Before the submit of a run-once task: its node must be a manual one (the workflow's kind decides it), else the
 * deployed node would run daily, so ferry stops with nothing submitted. Automatic reruns are turned off, because the
 * writer is not idempotent: a rerun is ferry's (asked) decision.
 */
async function makeManual(context: Context, fileId: number): Promise<void> {
	const {dataworks} = context.clients;
	const projectId = context.answers.workspaceId;
	const file = await dataworks.getFile({projectId, fileId}, {signal: context.signal});
	if (file.useType !== 'MANUAL_BIZ' && file.scheduling.schedulerType !== 'MANUAL') {
		throw new StepError(`Task file ${fileId} is not in a manually triggered workflow (UseType ${file.useType ?? 'unknown'}, SchedulerType ${file.scheduling.schedulerType ?? 'unknown'}): deployed, DataWorks would run it every day`, {hint: `Nothing was submitted. Delete the task in DataWorks, then \`ferry resume ${context.sessionId} --set folderPath="Workflow/<manually triggered workflow>/Data Integration"\`.`});
	}

	// UpdateFile refuses values equal to the current ones: only what differs is sent.
	const changes = {
		...(file.scheduling.autoRerunTimes === 0 ? {} : {autoRerunTimes: 0}),
		...(file.scheduling.rerunMode === 'FAILURE_ALLOWED' ? {} : {rerunMode: 'FAILURE_ALLOWED' as const}),
	};
	if (Object.keys(changes).length > 0) {
		await dataworks.updateFile({projectId, fileId, ...changes}, {signal: context.signal});
	}

	context.report(`node type ${file.scheduling.schedulerType ?? 'MANUAL'}: runs only when ferry runs its workflow; no automatic rerun`);
}

/** Whether a saved task's content is this job (key order and spacing aside). */
function sameJob(content: string | undefined, job: Record<string, unknown>): boolean {
	const canonical = (value: unknown): unknown => (Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([left], [right]) => left.localeCompare(right)).map(([key, item]) => [key, canonical(item)])) : value);
	try {
		return JSON.stringify(canonical(JSON.parse(content ?? ''))) === JSON.stringify(canonical(job));
	} catch {
		return false;
	}
}
