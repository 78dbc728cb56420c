import {readFile} from 'node:fs/promises';
import {count, defineWizard, ensureLogstoreAndIndex, maxComputeSide, pollUntil, PreflightError, runVerification, sessionFilePath, StepError, stepSummary, checkLine, verdictLine, waitForDeployment, writeFileAtomic} from '../../source/kit.js';
import {procedure, settings, type Context} from './procedure.js';
import {about} from './about.js';
import {createLogHubClients, type LogHubClients} from './clients.js';
import {buildJob, checkJob, type JobShape} from './job.js';
import {logString} from './log-strings.js';
import {logTimeParser} from './log-time.js';
import {startManualRun, type ManualRunCheckpoint} from './manual-run.js';
import {cycleFor, type Cycle} from './schedule.js';
import {parameters} from './parameters.js';
import {logCheckPairs, partitionCondition, sampleSize, type ExportedColumn, type LogCheckPlan} from './verification.js';
import {quoteMaxComputeIdentifier} from '../../source/clouds/maxcompute/ddl.js';

/** DataWorks resource groups run in China Standard Time: a time format without a zone is read there. */
const writerZoneMinutes = 480;
/** Rows sampled to check that the time format parses the column's values. */
const timeSampleRows = 10_000;

function partitionOf(context: Context): {column: string; value: string} {
	const [column = '', value = ''] = context.answers.partition.split('=');
	return {column, value};
}

const scheduled = (context: Context) => context.answers.mode === 'schedule';

/**
 * The workflow the task lives in (`Workflow/<workflow>/Data Integration`) and the kind it must be: a run once needs
 * a manually triggered one, whose nodes DataWorks never schedules (a node of an auto-triggered workflow deployed
 * without a schedule would run every day); a schedule needs an auto-triggered one.
 */
function workflowOf(context: Context): {name: string; useType: 'NORMAL' | 'MANUAL_BIZ'; kind: string} {
	const name = context.answers.folderPath.split('/').filter(Boolean)[1] ?? '';
	return scheduled(context) ? {name, useType: 'NORMAL', kind: 'auto-triggered'} : {name, useType: 'MANUAL_BIZ', kind: 'manually triggered'};
}

/** The cycle of schedule mode; preflight has refused a partition without one. */
function cycleOf(context: Context): Cycle {
	const cycle = cycleFor(context.answers.partition);
	if ('problem' in cycle) {
		throw new PreflightError(`Cannot schedule the task: ${cycle.problem}`, {hint: 'Name a partition like pt=20161226 (daily) or pt=2016122613 (hourly), or use --set mode=once.'});
	}

	return cycle;
}

/** The partition the run exported: the one named, or the one the first scheduled instance read. */
function exportedPartition(context: Context): {column: string; value: string} {
	const partition = context.outputs.run?.partition;
	return typeof partition === 'string' ? {column: partitionOf(context).column, value: partition} : partitionOf(context);
}

function checkPlan(context: Context): LogCheckPlan {
	const {column, value} = exportedPartition(context);
	return {table: context.answers.maxcomputeTable, partitionColumn: column, partitionValue: value, columns: context.outputOf('preflight', 'shape').columns};
}

/** The job: the user's file (checked), or one built from the answers and the table's columns. */
async function jobFor(context: Context, columns: readonly ExportedColumn[]): Promise<{job: Record<string, unknown>; shape: JobShape}> {
	let job: unknown;
	const file = context.answers.job ?? '';
	if (file) {
		try {
			job = JSON.parse(await readFile(file, 'utf8'));
		} catch (error) {
			throw new PreflightError(`Cannot read the job file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {hint: 'Pass a script-mode job JSON with --set job=FILE.'});
		}
	} else {
		job = buildJob({
			odpsDataSource: context.answers.odpsDataSource,
			loghubDataSource: context.answers.loghubDataSource,
			table: context.answers.maxcomputeTable,
			partition: scheduled(context) ? cycleOf(context).partition : context.answers.partition,
			columns: columns.map(column => column.name),
			logstore: context.answers.logstore,
			topic: context.answers.topic ?? '',
			batchSize: context.answers.batchSize,
			...(context.answers.time ? {time: context.answers.time, timeFormat: context.answers.timeFormat ?? ''} : {}),
		});
	}

	const checked = checkJob(job);
	if ('problems' in checked) {
		throw new PreflightError(`The job cannot run as it is:\n${checked.problems.map(problem => `- ${problem}`).join('\n')}`, {hint: file ? `Fix ${file}, then run again.` : 'Change the answers, then run again.'});
	}

	if (file && scheduled(context) && !checked.shape.reader.partition.some(spec => spec.includes(cycleOf(context).partition.slice(cycleOf(context).partition.indexOf('=') + 1)))) {
		throw new PreflightError(`A scheduled job must read each instance's partition, ${cycleOf(context).partition}, but ${file} reads ${checked.shape.reader.partition.join(', ') || 'no partition'}`, {hint: `Set the reader's partition to ${cycleOf(context).partition} in ${file}, or use --set mode=once.`});
	}

	return {job: job as Record<string, unknown>, shape: checked.shape};
}

const wizard = defineWizard<LogHubClients>({
	...about,
	version: 1,
	parameters,
	createClients: procedure.createClients(createLogHubClients),
	sides: {
		source: maxComputeSide<LogHubClients>(clients => clients.maxcompute),
		target: {
			title: 'Log Service',
			async query() {
				throw new StepError('ferry sql does not query Log Service', {hint: 'Run `ferry verify` to compare the logs with the table, or query the logstore in the Log Service console.'});
			},
		},
	},
	steps: [
		procedure.step({
			id: 'connections',
			title: 'Connections',
			kind: 'form',
			rerun: 'safe',
			explain: 'The MaxCompute table and partition to export, the Log Service project, logstore and topic the logs go to, the column that gives each log its time and its format, and the DataWorks workspace, workflow folder and resource group that run the batch sync.',
			parameters: ['maxcomputeProject', 'maxcomputeTable', 'partition', 'columns', 'logProject', 'logstore', 'logTtlDays', 'topic', 'time', 'timeFormat', 'batchSize', 'workspaceId', 'mode', 'folderPath', 'resourceGroup', 'odpsDataSource', 'loghubDataSource', 'taskName', 'job', 'waitMinutes'],
		}),
		procedure.step({
			id: 'preflight',
			title: 'Preflight',
			kind: 'task',
			rerun: 'safe',
			explain: 'Before anything changes: who ferry is on MaxCompute, Log Service and DataWorks; that the table and partition exist, with their rows; that the job is valid; that the time format parses the time column\'s actual values (a value that does not parse would silently be stamped "now"); and that the logs\' times fit the logstore\'s retention.',
			async run(context) {
				const {maxcompute, logService, dataworks} = context.clients;
				const [who, projects, workspace] = await Promise.all([
					maxcompute.whoami({signal: context.signal}),
					logService.listProjects({signal: context.signal}),
					dataworks.getProject(context.answers.workspaceId, {signal: context.signal}),
				]);
				context.report(`MaxCompute: ${who.owner} · Log Service: ${projects.length} projects · DataWorks: ${workspace.name} (${workspace.mode} mode)`);
				const table = context.answers.maxcomputeTable;
				if (!(await maxcompute.tableExists(table, {signal: context.signal}))) {
					throw new PreflightError(`Table ${table} does not exist in ${maxcompute.project}`, {hint: 'Check --set maxcomputeTable and maxcomputeProject.'});
				}

				const described = await maxcompute.describeTable(table, {signal: context.signal});
				const {column: partitionColumn, value: partitionValue} = partitionOf(context);
				if (!described.some(column => column.partition && column.name.toLowerCase() === partitionColumn.toLowerCase())) {
					throw new PreflightError(`${table} has no partition column ${partitionColumn}`, {hint: `Its partition columns: ${described.filter(column => column.partition).map(column => column.name).join(', ') || 'none'}.`});
				}

				const wanted = (context.answers.columns ?? '').split(',').map(name => name.trim()).filter(Boolean);
				const dataColumns = described.filter(column => !column.partition);
				const unknown = wanted.filter(name => !dataColumns.some(column => column.name.toLowerCase() === name.toLowerCase()));
				if (unknown.length > 0) {
					throw new PreflightError(`${table} has no column ${unknown.join(', ')}`, {hint: `Its columns: ${dataColumns.map(column => column.name).join(', ')}.`});
				}

				const columns = (wanted.length > 0 ? wanted.map(name => dataColumns.find(column => column.name.toLowerCase() === name.toLowerCase())!) : dataColumns).map(column => ({name: column.name, type: column.type}));
				const where = partitionCondition({column: partitionColumn, value: partitionValue});
				const counted = await maxcompute.runSql(`SELECT count(*) FROM ${quoteMaxComputeIdentifier(table)} WHERE ${where};`, {settings, signal: context.signal});
				const rows = Number(counted.rows[0]?.[0] ?? 0);
				if (rows === 0) {
					throw new PreflightError(`Partition ${partitionColumn}=${partitionValue} of ${table} has no rows`, {hint: 'Check --set partition; the job would write no logs.'});
				}

				context.report(`${table} ${partitionColumn}=${partitionValue}: ${rows.toLocaleString('en-US')} rows, ${columns.length} columns`);
				if (scheduled(context)) {
					const cycle = cycleOf(context);
					context.report(`schedule: ${cycle.kind} (${cycle.cronExpress}, ${cycle.paraValue}); each instance reads ${cycle.partition}; ${partitionColumn}=${partitionValue} was checked as its pattern`);
				}

				await checkWorkflow(context);
				const {job, shape: jobShape} = await jobFor(context, columns);
				context.report('Note: the LogHub writer is not idempotent; running the job again writes every log again.');
				const window = await checkTimes(context, jobShape, table, where, rows);
				context.output('shape', {columns, rows, job, job_shape: jobShape, window, mode: workspace.mode, workspaceIdentifier: workspace.identifier});
				context.summary(stepSummary('3 services reachable', count(rows, 'row'), count(columns.length, 'column'), `${workspace.mode} workspace`));
			},
		}),
		procedure.step({
			id: 'plan',
			title: 'Plan review',
			kind: 'review',
			rerun: 'safe',
			explain: 'The Log Service objects, the two data sources, the job DataWorks will run and how it is run, and the checks. Nothing has changed yet.',
			async review(context) {
				const shape = context.outputOf('preflight', 'shape');
				return {
					title: `Plan: MaxCompute ${context.answers.maxcomputeProject}.${context.answers.maxcomputeTable} (${context.answers.partition}) → Log Service ${context.answers.logProject}/${context.answers.logstore}`,
					sections: [
						{title: `1. Log Service: project ${context.answers.logProject}, logstore ${context.answers.logstore} (${context.answers.logTtlDays} days) and an index on every key, each kept if it exists`},
						{title: `2. DataWorks data sources ${context.answers.odpsDataSource} (odps) and ${context.answers.loghubDataSource} (loghub), kept if they exist; the keys live in them, not in the job`},
						{title: `3. The ${workflowOf(context).kind} workflow ${workflowOf(context).name} (created if missing), CreateDISyncTask ${context.answers.taskName} in ${context.answers.folderPath} on ${context.answers.resourceGroup}, then SubmitFile${shape.mode === 'standard' ? ' and DeployFile' : ''}`, code: JSON.stringify(shape.job, undefined, 2), language: 'json'},
						scheduled(context)
							? {title: `4. UpdateFile before the submit: ${cycleOf(context).cycleType} cycle ${cycleOf(context).cronExpress}, ParaValue ${cycleOf(context).paraValue}, no automatic rerun, instances from the day of deployment; then watch the first scheduled instance and its DI log`, warnings: ['The scheduler then runs the task every cycle until it is stopped in DataWorks.', 'A rerun of an instance writes its logs again: Log Service keeps both copies.']}
							: {title: `4. RunManualDagNodes: the workflow ${workflowOf(context).name} runs the task once, for business date ${manualBizDate(partitionOf(context).value)}; then watch the instance and its DI log (${shape.rows.toLocaleString('en-US')} rows). The task is never scheduled.`, warnings: ['A rerun of the job writes every log again: Log Service keeps both copies.']},
						{title: `5. Verify: the partition against the logs of topic "${context.answers.topic ?? ''}" between ${new Date(shape.window.from * 1000).toISOString()} and ${new Date(shape.window.to * 1000).toISOString()}`, code: logCheckPairs(checkPlan(context)).map(pair => `-- ${pair.title}\n${pair.source};\n-- Log Service: ${pair.target}`).join('\n\n'), language: 'sql'},
					],
				};
			},
		}),
		procedure.step({
			id: 'log-service',
			title: 'Log Service',
			kind: 'task',
			rerun: 'safe',
			explain: 'The procedure\'s prerequisites in Log Service: the project and the logstore, and an index on every key, created before anything is written because logs written before an index exists cannot be searched.',
			async run(context) {
				const project = context.answers.logProject;
				const logstore = context.answers.logstore;
				const keys = context.outputOf('preflight', 'shape').columns.map(column => column.name);
				const ensured = await ensureLogstoreAndIndex(context.clients.logService, {project, projectDescription: 'Created by ferry for the maxcompute-to-loghub procedure', logstore, ttlDays: context.answers.logTtlDays, shardCount: 2, keys, signal: context.signal});
				context.summary(stepSummary(`project ${project} ${ensured.projectCreated ? 'created' : 'kept'}`, `logstore ${logstore} ${ensured.logstoreCreated ? 'created' : 'kept'}`, `index ${ensured.indexCreated ? 'created' : 'kept'} (${count(new Set(keys).size, 'key')})`));
			},
		}),
		procedure.step({
			id: 'data-sources',
			title: 'Data sources',
			kind: 'task',
			rerun: 'safe',
			explain: 'The DataWorks data sources the job names (step 1 of the procedure): one for the MaxCompute project and one for the Log Service project. They hold the keys, so the job itself carries none.',
			async run(context) {
				const {dataworks, maxcompute, profile} = context.clients;
				const keys = await profile.alibaba.credentials.getCredentials();
				const projectId = context.answers.workspaceId;
				const odps = await dataworks.createDataSource({projectId, name: context.answers.odpsDataSource, dataSourceType: 'odps', envType: 1, content: {endpoint: maxcompute.endpoint, project: context.answers.maxcomputeProject, accessId: keys.accessKeyId, accessKey: keys.accessKeySecret}}, {signal: context.signal});
				const loghub = await dataworks.createDataSource({projectId, name: context.answers.loghubDataSource, dataSourceType: 'loghub', envType: 1, content: {endpoint: profile.alibaba.endpoints['logService']!, project: context.answers.logProject, accessId: keys.accessKeyId, accessKey: keys.accessKeySecret}}, {signal: context.signal});
				context.summary(`${context.answers.odpsDataSource} ${odps.created ? 'created' : 'kept'} · ${context.answers.loghubDataSource} ${loghub.created ? 'created' : 'kept'}`);
			},
		}),
		procedure.step({
			id: 'task',
			title: 'Sync task',
			kind: 'task',
			rerun: 'safe',
			explain: 'The batch sync task in script mode (step 2): created with the job in the workflow folder (the workflow itself is created if missing: manually triggered for a run once, so that DataWorks never schedules the task; auto-triggered for a schedule), then submitted (and, in a standard-mode workspace, deployed). Every id is saved, so a resumed run re-attaches instead of creating a second task.',
			async run(context) {
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
			},
		}),
		procedure.step({
			id: 'run',
			title: 'Run and watch',
			kind: 'task',
			rerun: 'duplicates',
			explain: 'DataWorks runs the task once (step 3, "Run": a run of its manually triggered workflow for the partition\'s business date), and the instance is watched through NOT_RUN, WAIT_RESOURCE and RUNNING to SUCCESS or FAILURE; then the DI log gives the records read, written and dirty. The instance id is saved: a resumed run re-attaches to it, and only a failed instance is run again, because running the job again writes its logs again. With --set mode=schedule the task is scheduled instead (a cycle like the partition\'s) and its first scheduled instance is watched and, if it failed, restarted under the same id.',
			async run(context) {
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
			},
		}),
		procedure.step({
			id: 'verify',
			title: 'Verify',
			kind: 'verify',
			rerun: 'safe',
			explain: 'MaxCompute and Log Service side by side: the partition\'s rows against the logs of the topic in the data\'s time window — the count, sums of numeric columns cast back from their strings, distinct text values, and the first rows next to the logs they became.',
			async run(context) {
				const {maxcompute, logService} = context.clients;
				const shape = context.outputOf('preflight', 'shape');
				const plan = checkPlan(context);
				const partition = exportedPartition(context);
				// A scheduled instance read another partition than the one preflight sampled: its window comes from its own rows.
				const own = partition.value === partitionOf(context).value ? shape.window : await partitionWindow(context, shape.job_shape, partition);
				const window = {from: own.from, to: own.to, topic: context.answers.topic ?? ''};
				const project = context.answers.logProject;
				const logstore = context.answers.logstore;
				const report = await runVerification({
					pairs: logCheckPairs(plan),
					async source(pair, signal) {
						const result = await maxcompute.runSql(`${pair.source};`, {settings, signal});
						if (pair.id !== 'sample') {
							return {columns: result.columns.map(name => ({name})), rows: result.rows};
						}

						return {columns: plan.columns.map(column => ({name: column.name.toLowerCase()})), rows: result.rows.map(row => plan.columns.map((column, index) => logString(column.type, row[index])))};
					},
					async target(pair, signal) {
						if (pair.id !== 'sample') {
							const result = await logService.getLogs(project, logstore, {...window, query: pair.target, signal});
							const columns = Object.keys(result.logs[0] ?? {}).filter(key => !key.startsWith('__'));
							return {columns: columns.map(name => ({name})), rows: result.logs.map(log => columns.map(name => log[name] ?? null))};
						}

						const sample = await maxcompute.runSql(`${pair.source};`, {settings, signal});
						const wanted = new Set(sample.rows.map(row => JSON.stringify(plan.columns.map((column, index) => logString(column.type, row[index])))));
						const matching = [];
						for (let offset = 0; matching.length < sampleSize * 2; offset += 100) {
							const page = await logService.getLogs(project, logstore, {...window, query: '*', line: 100, offset, signal});
							for (const log of page.logs) {
								const values = plan.columns.map(column => log[column.name] ?? '');
								if (wanted.has(JSON.stringify(values))) {
									matching.push(values);
								}
							}

							if (page.logs.length < 100) {
								break;
							}
						}

						return {columns: plan.columns.map(column => ({name: column.name.toLowerCase()})), rows: matching};
					},
					sessionId: context.sessionId,
					signal: context.signal,
					onPair: (pair, outcome) => context.report(checkLine(pair.title, outcome)),
				});
				context.verified(report);
				context.report(report.summary.text);
				context.summary(verdictLine(report));
			},
		}),
	],
});

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
 * Preflight: the task's workflow is missing (the task step creates it) or of the kind the mode needs. A task in an
 * auto-triggered workflow deployed for a run once would be scheduled daily; one in a manually triggered workflow is
 * never scheduled.
 */
async function checkWorkflow(context: Context): Promise<void> {
	const workflow = workflowOf(context);
	if (!workflow.name) {
		throw new PreflightError(`The workflow folder "${context.answers.folderPath}" names no workflow`, {hint: 'Pass --set folderPath="Workflow/<workflow>/Data Integration".'});
	}

	const existing = await context.clients.dataworks.findBusiness({projectId: context.answers.workspaceId, name: workflow.name}, {signal: context.signal});
	if (existing && existing.useType !== workflow.useType) {
		throw new PreflightError(
			scheduled(context)
				? `The workflow ${workflow.name} is manually triggered: DataWorks never schedules its nodes`
				: `The workflow ${workflow.name} is auto-triggered: a task deployed in it would run every day, not once`,
			{hint: scheduled(context) ? 'Name an auto-triggered workflow in --set folderPath=…, or use --set mode=once.' : 'Name a manually triggered workflow (or a new one, which ferry creates) in --set folderPath="Workflow/<workflow>/Data Integration", or use --set mode=schedule.'},
		);
	}

	context.report(`workflow ${workflow.name}: ${workflow.kind}, ${existing ? 'exists' : 'created by the task step'}`);
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

/** The logs' time window of a partition other than the one preflight sampled. */
async function partitionWindow(context: Context, job: JobShape, partition: {column: string; value: string}): Promise<{from: number; to: number}> {
	const table = context.answers.maxcomputeTable;
	const where = partitionCondition(partition);
	const counted = await context.clients.maxcompute.runSql(`SELECT count(*) FROM ${quoteMaxComputeIdentifier(table)} WHERE ${where};`, {settings, signal: context.signal});
	return checkTimes(context, job, table, where, Number(counted.rows[0]?.[0] ?? 0), {refuse: false});
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

/**
 * Parses the time column's values with the time format before anything is written: the real writer would stamp
 * a value it cannot parse with "now", far from the window the verification reads. Returns the logs' time window.
 */
async function checkTimes(context: Context, job: JobShape, table: string, where: string, rows: number, options: {refuse: boolean} = {refuse: true}): Promise<{from: number; to: number}> {
	const now = Math.floor(Date.now() / 1000);
	if (!job.writer.time) {
		context.report('no time column: every log is stamped with the time the job runs');
		return {from: now - 60, to: now + 24 * 3600};
	}

	const parser = logTimeParser(job.writer.timeFormat ?? '', writerZoneMinutes);
	if ('problem' in parser) {
		throw new PreflightError(`The time format ${JSON.stringify(job.writer.timeFormat)} has ${parser.problem}`, {hint: 'Use bigint (Unix seconds) or a Java SimpleDateFormat pattern such as yyyy_MM_dd HH:mm:ss.'});
	}

	const sampled = await context.clients.maxcompute.runSql(`SELECT ${quoteMaxComputeIdentifier(job.writer.time)} FROM ${quoteMaxComputeIdentifier(table)} WHERE ${where} LIMIT ${timeSampleRows};`, {settings, signal: context.signal});
	let earliest = Number.POSITIVE_INFINITY;
	let latest = Number.NEGATIVE_INFINITY;
	for (const [value] of sampled.rows) {
		const parsed = value === null || value === undefined ? undefined : parser.parse(String(value));
		if (parsed === undefined) {
			throw new PreflightError(`The time format ${JSON.stringify(job.writer.timeFormat)} does not parse the ${job.writer.time} value ${JSON.stringify(value ?? null)}: DataWorks would stamp such logs with the time the job runs`, {hint: `Set --set timeFormat= to the pattern of values like ${JSON.stringify(value ?? '')} (bigint for Unix seconds), or --set time= to another column.`});
		}

		earliest = Math.min(earliest, parsed);
		latest = Math.max(latest, parsed);
	}

	// Only a sample was read when the partition is larger: widen the window by a day each way.
	const margin = rows > sampled.rows.length ? 86_400 : 0;
	const from = Math.floor(earliest / 1000) - margin;
	const to = Math.floor(latest / 1000) + 1 + margin;
	if (!options.refuse) {
		return {from, to};
	}

	const ageDays = (now - from) / 86_400;
	const ttl = await retentionDays(context);
	if (ageDays > ttl) {
		throw new PreflightError(`The oldest log would be ${Math.ceil(ageDays)} days old but logstore ${context.answers.logstore} keeps logs ${ttl} days: Log Service would drop them`, {hint: `Use a logstore with a longer retention (--set logTtlDays=${Math.min(3650, Math.ceil(ageDays) + 1)} for a new one), or another time column.`});
	}

	await refuseExistingLogs(context, {from, to, topic: job.writer.topic});
	context.report(`${job.writer.time} parses as ${job.writer.timeFormat}: logs from ${new Date(earliest).toISOString()} to ${new Date(latest).toISOString()}`);
	return {from, to};
}

/**
 * Logs already in the logstore with this topic and time window would be counted with the new ones, and the writer
 * would add a second copy of any earlier export: such a run stops here, before anything is written.
 */
async function refuseExistingLogs(context: Context, window: {from: number; to: number; topic: string}): Promise<void> {
	let existing: number;
	try {
		const result = await context.clients.logService.getLogs(context.answers.logProject, context.answers.logstore, {...window, query: '* | select count(*) as logs', signal: context.signal});
		existing = Number(result.logs[0]?.['logs'] ?? 0);
	} catch (error) {
		if (['ProjectNotExist', 'LogStoreNotExist', 'IndexConfigNotExist'].includes(String((error as {code?: string}).code))) {
			return;
		}

		throw error;
	}

	if (existing > 0) {
		throw new PreflightError(`Logstore ${context.answers.logstore} already holds ${existing.toLocaleString('en-US')} logs of topic "${window.topic}" in this data's time window: the job would add a second copy and the verification could not tell them apart`, {hint: 'Export into another logstore (--set logstore=…) or under another topic (--set topic=…).'});
	}
}

/** The retention of the existing logstore, or of the one ferry will create. */
async function retentionDays(context: Context): Promise<number> {
	try {
		return (await context.clients.logService.getLogstore(context.answers.logProject, context.answers.logstore, {signal: context.signal})).ttlDays;
	} catch (error) {
		if (['ProjectNotExist', 'LogStoreNotExist'].includes(String((error as {code?: string}).code))) {
			return context.answers.logTtlDays;
		}

		throw error;
	}
}

export default wizard;
