import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {createDataWorksClient, type DataWorksClient} from 'ferry/clouds/dataworks/client';
import {resolveAlibabaCredentials} from 'ferry/clouds/credentials/alibaba';
import {ServiceError} from 'ferry/engine/errors';
import type {DiRunner, DiRunRequest} from '../../source/dataworks/di-runner.js';
import {startDataWorksStandIn} from '../../source/dataworks/server.js';
import {until} from '../helpers/until.js';

const keys = {accessKeyId: 'LTAIdataworks00002', secret: 'dw-secret-Sc4eD9'};
const folder = 'Workflow/ferry/Data Integration';
const hour = 3_600_000;
/** 2026-11-21 00:00 CST. */
const dayStart = Date.UTC(2026, 10, 20, 16);

function runner(runs: DiRunRequest[], outcomes: Array<'SUCCESS' | 'FAILURE'> = []): DiRunner {
	return {
		async run(request) {
			runs.push(request);
			const status = outcomes.shift() ?? 'SUCCESS';
			return status === 'SUCCESS' ? {status, read: 1, written: 1, dirty: 0} : {status, read: 0, written: 0, dirty: 0, errorMessage: 'Code:[LogHubWriter-01] injected'};
		},
	};
}

async function start(t: {teardown: (fn: () => Promise<void>) => void}, options: {runs: DiRunRequest[]; outcomes?: Array<'SUCCESS' | 'FAILURE'>; rehearsal?: boolean; now?: () => number}) {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-dataworks-schedule-'));
	const standIn = await startDataWorksStandIn({
		dataDir, region: 'ap-southeast-1', credentials: keys, accountId: '1000000000000000', runner: runner(options.runs, options.outcomes), stepDelayMs: 10,
		workspace: {id: 10_001, name: 'ferry_ws', mode: 'standard', folders: [folder], resourceGroups: ['S_res_group_ferry']},
		schedule: {tickMs: 20, ...(options.rehearsal === undefined ? {} : {rehearsal: options.rehearsal})},
		...(options.now ? {now: options.now} : {}),
	});
	t.teardown(async () => {
		await standIn.close();
		await rm(dataDir, {recursive: true, force: true});
	});
	return createDataWorksClient({endpoint: standIn.url, regionId: 'ap-southeast-1', credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}), retry: {baseDelayMs: 1, maxDelayMs: 5}});
}

const job = {
	type: 'job', version: '2.0',
	steps: [
		{stepType: 'odps', category: 'reader', name: 'Reader', parameter: {datasource: 'odps_first', table: 't', partition: 'pt=${biz}', column: ['a']}},
		{stepType: 'loghub', category: 'writer', name: 'Writer', parameter: {datasource: 'sls', logstore: 'ls', column: ['a']}},
	],
	setting: {errorLimit: {record: '0'}, speed: {throttle: false, concurrent: 1}},
	order: {hops: [{from: 'Reader', to: 'Writer'}]},
};

async function scheduledNode(dataworks: DataWorksClient, schedule: Parameters<DataWorksClient['updateFile']>[0] extends infer R ? Omit<R, 'projectId' | 'fileId'> : never): Promise<number> {
	const {fileId} = await dataworks.createDISyncTask({projectId: 10_001, taskName: 'scheduled', taskContent: job, taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}, clientToken: 's-1'});
	await dataworks.updateFile({projectId: 10_001, fileId, ...schedule});
	const submitted = await dataworks.submitFile({projectId: 10_001, fileId});
	await until(async () => dataworks.getDeployment({projectId: 10_001, deploymentId: submitted.deploymentId}), deployment => deployment.status === 'success');
	const deployed = await dataworks.deployFile({projectId: 10_001, fileId});
	await until(async () => dataworks.getDeployment({projectId: 10_001, deploymentId: deployed.deploymentId}), deployment => deployment.status === 'success');
	return (await dataworks.getFile({projectId: 10_001, fileId})).nodeId!;
}

test('UpdateFile checks the cron against DataWorks\' limits', async t => {
	const dataworks = await start(t, {runs: []});
	const {fileId} = await dataworks.createDISyncTask({projectId: 10_001, taskName: 'bad_cron', taskContent: job, taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}, clientToken: 'b-1'});
	const early = await t.throwsAsync(dataworks.updateFile({projectId: 10_001, fileId, cronExpress: '00 00 00 * * ?', cycleType: 'DAY'}), {instanceOf: ServiceError});
	t.regex(early.message, /InvalidParameter\.CronExpress|before 00:05/);
	await t.throwsAsync(dataworks.updateFile({projectId: 10_001, fileId, autoRerunTimes: 11}), {instanceOf: ServiceError});
});

test('rehearsal: an immediate release runs the release day\'s instance at once, with the node\'s ParaValue resolved for its business date', async t => {
	const runs: DiRunRequest[] = [];
	const now = dayStart + (10 * hour);
	const dataworks = await start(t, {runs, now: () => now});
	const nodeId = await scheduledNode(dataworks, {cronExpress: '00 30 00 * * ?', cycleType: 'DAY', paraValue: 'biz=$bizdate', autoRerunTimes: 0, rerunMode: 'FAILURE_ALLOWED', applyScheduleImmediately: true});
	const done = await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId})).items, items => items.some(item => item.status === 'SUCCESS'));
	t.is(done.length, 1);
	t.like(done[0], {dagType: 'DAILY', taskType: 'NORMAL', status: 'SUCCESS', bizdate: dayStart - (24 * hour), cycTime: dayStart + (30 * 60_000)});
	t.deepEqual(runs.map(run => run.job.reader.partitions), [['pt=20261120']]);
});

test('the real rule: slots before the release + 10 minutes are expired dry runs; the next day\'s instance waits for its time, then runs', async t => {
	const runs: DiRunRequest[] = [];
	let now = dayStart + (10 * hour);
	const dataworks = await start(t, {runs, rehearsal: false, now: () => now});
	const nodeId = await scheduledNode(dataworks, {cronExpress: '00 30 00 * * ?', cycleType: 'DAY', paraValue: 'biz=$bizdate', applyScheduleImmediately: true});
	const expired = await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId})).items, items => items.length > 0);
	t.like(expired[0], {taskType: 'SKIP', status: 'SUCCESS'});
	now = dayStart + (24 * hour) + (10 * 60_000);
	const waiting = await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId})).items, items => items.length === 2);
	t.is(waiting.find(item => item.taskType === 'NORMAL')?.status, 'WAIT_TIME');
	now = dayStart + (24 * hour) + (31 * 60_000);
	await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId})).items, items => items.some(item => item.taskType === 'NORMAL' && item.status === 'SUCCESS'));
	t.deepEqual(runs.map(run => run.job.reader.partitions), [['pt=20261121']], 'only the due instance ran, for its own business date');
});

test('RestartInstance reruns a failed instance under the same id; FAILURE_ALLOWED refuses a successful one', async t => {
	const runs: DiRunRequest[] = [];
	const dataworks = await start(t, {runs, outcomes: ['FAILURE', 'SUCCESS'], now: () => dayStart + (10 * hour)});
	const nodeId = await scheduledNode(dataworks, {cronExpress: '00 30 00 * * ?', cycleType: 'DAY', paraValue: 'biz=$bizdate', autoRerunTimes: 0, rerunMode: 'FAILURE_ALLOWED', applyScheduleImmediately: true});
	const [failed] = await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId})).items, items => items[0]?.status === 'FAILURE');
	await dataworks.restartInstance({instanceId: failed!.instanceId, projectEnv: 'PROD'});
	const rerun = await until(async () => dataworks.getInstance({instanceId: failed!.instanceId, projectEnv: 'PROD'}), instance => instance.status === 'SUCCESS');
	t.is(rerun.instanceId, failed!.instanceId);
	t.is(runs.length, 2);
	const refused = await t.throwsAsync(dataworks.restartInstance({instanceId: failed!.instanceId, projectEnv: 'PROD'}), {instanceOf: ServiceError});
	t.regex(refused.message, /FAILURE_ALLOWED/);
});

test('a manually triggered workflow: its node is MANUAL, never scheduled or backfilled, and runs only when the workflow is run for a past business date', async t => {
	let clock = dayStart + (9 * hour);
	const runs: DiRunRequest[] = [];
	const dataworks = await start(t, {runs, now: () => clock});
	t.like(await dataworks.findBusiness({projectId: 10_001, name: 'ferry'}), {useType: 'NORMAL'}, 'the seeded workflow is auto-triggered');
	const {businessId} = await dataworks.createBusiness({projectId: 10_001, name: 'once_flow', useType: 'MANUAL_BIZ'});
	t.like(await dataworks.findBusiness({projectId: 10_001, name: 'once_flow'}), {businessId, useType: 'MANUAL_BIZ'});
	await t.throwsAsync(dataworks.createBusiness({projectId: 10_001, name: 'once_flow', useType: 'NORMAL'}), {message: /already exists/});

	const manualFolder = 'Workflow/once_flow/Data Integration';
	const {fileId} = await dataworks.createDISyncTask({projectId: 10_001, taskName: 'once', taskContent: job, taskParam: {FileFolderPath: manualFolder, ResourceGroup: 'S_res_group_ferry'}, clientToken: 'm-1'});
	const file = await dataworks.getFile({projectId: 10_001, fileId});
	t.like(file, {useType: 'MANUAL_BIZ', businessId, scheduling: {schedulerType: 'MANUAL'}});
	await t.throwsAsync(dataworks.updateFile({projectId: 10_001, fileId, schedulerType: 'NORMAL'}), {message: /InvalidParameter\.SchedulerType/});
	await dataworks.updateFile({projectId: 10_001, fileId, autoRerunTimes: 0});
	const submitted = await dataworks.submitFile({projectId: 10_001, fileId});
	await until(async () => dataworks.getDeployment({projectId: 10_001, deploymentId: submitted.deploymentId}), deployment => deployment.status === 'success');
	const deployed = await dataworks.deployFile({projectId: 10_001, fileId});
	await until(async () => dataworks.getDeployment({projectId: 10_001, deploymentId: deployed.deploymentId}), deployment => deployment.status === 'success');
	const {nodeId} = await dataworks.getFile({projectId: 10_001, fileId});

	const backfill = await t.throwsAsync(dataworks.runCycleDagNodes({projectEnv: 'PROD', name: 'b', rootNodeId: nodeId!, includeNodeIds: [nodeId!], startBizDate: '2026-11-20 00:00:00', endBizDate: '2026-11-20 00:00:00', parallelism: false}));
	t.regex(backfill.message, /manually triggered workflow/);
	const manual = {projectEnv: 'PROD' as const, projectName: 'ferry_ws', flowName: 'once_flow', includeNodeIds: [nodeId!]};
	const today = await t.throwsAsync(dataworks.runManualDagNodes({...manual, bizDate: '2026-11-21 00:00:00'}));
	t.regex(today.message, /one or more days before the current date/);
	const notManual = await t.throwsAsync(dataworks.runManualDagNodes({...manual, flowName: 'ferry', bizDate: '2026-11-20 00:00:00'}));
	t.regex(notManual.message, /InvalidParameter\.FlowName: .*the workflow ferry is auto-triggered \(UseType NORMAL\)/, 'an auto-triggered workflow is named as such, not as a manual one without nodes');
	const unknown = await t.throwsAsync(dataworks.runManualDagNodes({...manual, flowName: 'no_such_flow', bizDate: '2026-11-20 00:00:00'}));
	t.regex(unknown.message, /Invalid\.ManualDag\.NotExist: The workspace has no manually triggered workflow named no_such_flow/);

	const {dagId} = await dataworks.runManualDagNodes({...manual, bizDate: '2026-11-20 00:00:00'});
	const [instance] = (await until(async () => dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', dagId}), page => page.items[0]?.status === 'SUCCESS')).items;
	t.like(instance, {nodeId, dagType: 'MANUAL', taskType: 'MANUAL', bizdate: Date.UTC(2026, 10, 19, 16)});
	t.is(runs.length, 1);
	const listed = await dataworks.listManualDagInstances({projectEnv: 'PROD', projectName: 'ferry_ws', dagId});
	t.deepEqual(listed.map(item => [item.instanceId, item.nodeId, item.status, item.bizdate]), [[instance!.instanceId, nodeId, 'SUCCESS', Date.UTC(2026, 10, 19, 16)]]);
	t.deepEqual(await dataworks.listManualDagInstances({projectEnv: 'PROD', projectName: 'ferry_ws', dagId: dagId + 1}), []);

	// Days later the scheduler has generated nothing for the node: it ran once, when asked.
	clock += 3 * 24 * hour;
	await new Promise(resolve => setTimeout(resolve, 200));
	const all = await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId: nodeId!});
	t.deepEqual(all.items.map(item => item.dagType), ['MANUAL']);
	t.is((await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId: nodeId!, bizdate: '2026-11-20 00:00:00'})).items.length, 1);
	t.is((await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId: nodeId!, bizdate: '2026-11-19 00:00:00'})).items.length, 0, 'another business date has none');
	t.is(runs.length, 1);
});

test('a workflow created auto-triggered keeps its nodes NORMAL: MANUAL is refused there', async t => {
	const dataworks = await start(t, {runs: []});
	await dataworks.createBusiness({projectId: 10_001, name: 'daily_flow', useType: 'NORMAL'});
	const {fileId} = await dataworks.createDISyncTask({projectId: 10_001, taskName: 'daily', taskContent: job, taskParam: {FileFolderPath: 'Workflow/daily_flow/Data Integration', ResourceGroup: 'S_res_group_ferry'}, clientToken: 'd-1'});
	t.like(await dataworks.getFile({projectId: 10_001, fileId}), {useType: 'NORMAL', scheduling: {schedulerType: 'NORMAL'}});
	await t.throwsAsync(dataworks.updateFile({projectId: 10_001, fileId, schedulerType: 'MANUAL'}), {message: /InvalidParameter\.SchedulerType/});
});
