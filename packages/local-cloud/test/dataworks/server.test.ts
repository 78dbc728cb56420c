import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import RPCClient from '@alicloud/pop-core';
import {createDataWorksClient, type DataWorksClient} from 'ferry/clouds/dataworks/client';
import {resolveAlibabaCredentials} from 'ferry/clouds/credentials/alibaba';
import {ServiceError} from 'ferry/engine/errors';
import {createMemoryLogger} from 'ferry/log/logger';
import type {DiRunner, DiRunRequest} from '../../source/dataworks/di-runner.js';
import {startDataWorksStandIn, type DataWorksStandInHandle, type DataWorksWorkspace} from '../../source/dataworks/server.js';
import {until} from '../helpers/until.js';

const keys = {accessKeyId: 'LTAIdataworks00001', secret: 'dw-secret-Hk3pR7'};
const folder = 'Workflow/ferry/Data Integration';
const workspace = (mode: 'standard' | 'basic'): DataWorksWorkspace => ({id: 10_001, name: 'ferry_ws', mode, folders: [folder], resourceGroups: ['S_res_group_ferry']});

type Runs = DiRunRequest[];

function fakeRunner(runs: Runs, wait?: (signal?: AbortSignal) => Promise<void>): DiRunner {
	return {
		async run(request) {
			runs.push(request);
			await wait?.(request.signal);
			request.log('读出记录总数                    : 7');
			return {status: 'SUCCESS', read: 7, written: 7, dirty: 0};
		},
	};
}

async function start(t: {teardown: (fn: () => Promise<void>) => void}, mode: 'standard' | 'basic', runner: DiRunner, dataDir?: string) {
	const dir = dataDir ?? await mkdtemp(path.join(os.tmpdir(), 'ferry-dataworks-'));
	const standIn = await startDataWorksStandIn({dataDir: dir, region: 'ap-southeast-1', credentials: keys, accountId: '1000000000000000', workspace: workspace(mode), runner, stepDelayMs: 20});
	t.teardown(async () => {
		await standIn.close();
		if (!dataDir) {
			await rm(dir, {recursive: true, force: true});
		}
	});
	return {standIn, dir};
}

function client(standIn: DataWorksStandInHandle, secret = keys.secret, accessKeyId = keys.accessKeyId) {
	const logger = createMemoryLogger();
	return {
		logger,
		dataworks: createDataWorksClient({endpoint: standIn.url, regionId: 'ap-southeast-1', credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId, accessKeySecret: secret}), logger, retry: {baseDelayMs: 1, maxDelayMs: 5}}),
	};
}

const taskContent = (batchSize: number | string = 1024) => ({
	type: 'job', version: '2.0',
	steps: [
		{stepType: 'odps', category: 'reader', name: 'Reader', parameter: {datasource: 'odps_first', table: 't', partition: 'pt=${bizdate}', column: ['a', 'b']}},
		{stepType: 'loghub', category: 'writer', name: 'Writer', parameter: {datasource: 'sls', logstore: 'ls', column: ['a', 'b'], batchSize, time: 'b', timeformat: 'yyyy-MM-dd'}},
	],
	setting: {errorLimit: {record: '0'}, speed: {throttle: false, concurrent: 1}},
	order: {hops: [{from: 'Reader', to: 'Writer'}]},
});

async function release(dataworks: DataWorksClient, fileId: number, mode: 'standard' | 'basic'): Promise<number> {
	const {deploymentId} = await dataworks.submitFile({projectId: 10_001, fileId});
	await until(async () => dataworks.getDeployment({projectId: 10_001, deploymentId}), deployment => deployment.status === 'success');
	if (mode === 'standard') {
		const deployed = await dataworks.deployFile({projectId: 10_001, fileId});
		await until(async () => dataworks.getDeployment({projectId: 10_001, deploymentId: deployed.deploymentId}), deployment => deployment.status === 'success');
	}

	return (await dataworks.getFile({projectId: 10_001, fileId})).nodeId!;
}

test('standard workspace: data source, DI task, submit, deploy, backfill, instance states, log, rerun', async t => {
	const runs: Runs = [];
	const {standIn} = await start(t, 'standard', fakeRunner(runs));
	const {dataworks} = client(standIn);
	t.like(await dataworks.getProject(10_001), {projectId: 10_001, identifier: 'ferry_ws', mode: 'standard'});
	const source = {projectId: 10_001, name: 'odps_first', dataSourceType: 'odps', envType: 1 as const, content: {endpoint: 'http://mc', project: 'p', accessId: 'ak', accessKey: 'odps-key-secret'}};
	t.like(await dataworks.createDataSource(source), {created: true});
	t.like(await dataworks.createDataSource(source), {created: false});
	const listed = await dataworks.listDataSources({projectId: 10_001});
	t.is(listed.total, 1);
	t.is(listed.items[0]!.content.accessKey, '******', 'secrets are not listed back');
	t.deepEqual((await dataworks.listFolders({projectId: 10_001, parentFolderPath: 'Workflow/ferry'})).items.map(item => item.folderPath), [folder]);
	t.deepEqual((await dataworks.listResourceGroups()).map(group => group.identifier), ['S_res_group_ferry']);

	const request = {projectId: 10_001, taskName: 'mc_to_sls', taskContent: taskContent(), taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}, clientToken: 'token-1'};
	const {fileId} = await dataworks.createDISyncTask(request);
	t.is((await dataworks.createDISyncTask(request)).fileId, fileId, 'the same client token gives the same file');
	t.is((await dataworks.getFile({projectId: 10_001, fileId})).nodeId, undefined, 'no node before submit');
	t.like(await dataworks.findFile({projectId: 10_001, fileFolderPath: folder, fileName: 'mc_to_sls'}), {fileId});

	const {deploymentId} = await dataworks.submitFile({projectId: 10_001, fileId});
	const submitted = await until(async () => dataworks.getDeployment({projectId: 10_001, deploymentId}), deployment => deployment.status !== 'ready');
	t.is(submitted.status, 'success');
	const nodeId = (await dataworks.getFile({projectId: 10_001, fileId})).nodeId!;
	t.truthy(nodeId);
	const backfill = {projectEnv: 'PROD' as const, name: 'ferry backfill', rootNodeId: nodeId, includeNodeIds: [nodeId], startBizDate: '2024-01-01 00:00:00', endBizDate: '2024-01-01 00:00:00', parallelism: false};
	const notDeployed = await t.throwsAsync(dataworks.runCycleDagNodes(backfill), {instanceOf: ServiceError});
	t.regex(notDeployed.message, /not exist in the production environment/);
	await release(dataworks, fileId, 'standard');

	const {dagIds} = await dataworks.runCycleDagNodes(backfill);
	t.is(dagIds.length, 1);
	const seen = new Set<string>();
	const finished = await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', dagId: dagIds[0]})).items[0], instance => {
		seen.add(instance?.status ?? '');
		return instance?.status === 'SUCCESS' || instance?.status === 'FAILURE';
	});
	t.is(finished!.status, 'SUCCESS');
	t.true(seen.has('NOT_RUN') || seen.has('WAIT_RESOURCE') || seen.has('RUNNING'));
	t.like(await dataworks.getInstance({instanceId: finished!.instanceId, projectEnv: 'PROD'}), {status: 'SUCCESS', nodeId});
	t.regex(await dataworks.getInstanceLog({instanceId: finished!.instanceId, projectEnv: 'PROD'}), /读出记录总数\s+: 7[\s\S]*Exit with SUCCESS/);
	t.deepEqual(runs[0]!.job.reader.partitions, ['pt=20240101'], '${bizdate} is the business date');

	const again = await dataworks.runCycleDagNodes(backfill);
	t.not(again.dagIds[0], dagIds[0]);
	await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', dagId: again.dagIds[0]})).items[0]?.status, status => status === 'SUCCESS');
	t.is(runs.length, 2, 'a rerun runs the job again (and would send the logs again)');
});

test('ListInstances lists newest first, by instance id unless OrderBy says CREATE_TIME_DESC; another order is refused', async t => {
	const {standIn} = await start(t, 'basic', fakeRunner([]));
	const {dataworks} = client(standIn);
	const {fileId} = await dataworks.createDISyncTask({projectId: 10_001, taskName: 'ordered', taskContent: taskContent(), taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}, clientToken: 'o-1'});
	const nodeId = await release(dataworks, fileId, 'basic');
	const backfill = {projectEnv: 'PROD' as const, name: 'o', rootNodeId: nodeId, includeNodeIds: [nodeId], parallelism: false};
	await dataworks.runCycleDagNodes({...backfill, startBizDate: '2024-03-01 00:00:00', endBizDate: '2024-03-01 00:00:00'});
	await dataworks.runCycleDagNodes({...backfill, startBizDate: '2024-02-01 00:00:00', endBizDate: '2024-02-01 00:00:00'});
	const listed = (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId})).items;
	t.is(listed.length, 2);
	t.true(listed[0]!.instanceId > listed[1]!.instanceId, 'the newest instance comes first');
	t.is(listed[0]!.bizdate, Date.UTC(2024, 0, 31, 16), 'the newest is the second backfill, whatever its business date');

	const rpc = new RPCClient({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, endpoint: standIn.url, apiVersion: '2020-05-18'});
	const list = async (orderBy: string) => rpc.request<{Data: {Instances: Array<{InstanceId: number}>}}>('ListInstances', {ProjectId: 10_001, ProjectEnv: 'PROD', NodeId: nodeId, OrderBy: orderBy}, {method: 'POST'});
	t.deepEqual((await list('CREATE_TIME_DESC')).Data.Instances.map(instance => instance.InstanceId), listed.map(instance => instance.instanceId));
	t.deepEqual((await list('INSTANCE_ID_DESC')).Data.Instances.map(instance => instance.InstanceId), listed.map(instance => instance.instanceId));
	const refused = await t.throwsAsync(list('CREATE_TIME_ASC'));
	t.like(refused, {code: 'InvalidParameter.OrderBy'});
});

test('basic workspace: submit releases to production, DeployFile is refused', async t => {
	const runs: Runs = [];
	const {standIn} = await start(t, 'basic', fakeRunner(runs));
	const {dataworks} = client(standIn);
	t.like(await dataworks.getProject(10_001), {mode: 'basic'});
	const {fileId} = await dataworks.createDISyncTask({projectId: 10_001, taskName: 'basic_task', taskContent: JSON.stringify(taskContent()), taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}, clientToken: 'b-1'});
	const nodeId = await release(dataworks, fileId, 'basic');
	const refused = await t.throwsAsync(dataworks.deployFile({projectId: 10_001, fileId}), {instanceOf: ServiceError});
	t.regex(refused.hint ?? '', /basic mode/);
	const {dagIds} = await dataworks.runCycleDagNodes({projectEnv: 'PROD', name: 'b', rootNodeId: nodeId, includeNodeIds: [nodeId], startBizDate: '2024-02-01 00:00:00', endBizDate: '2024-02-02 00:00:00', parallelism: false});
	t.is(dagIds.length, 2, 'one DAG per business date');
});

test('CreateDISyncTask refuses a missing folder, an unknown resource group and batchSize above 4096', async t => {
	const {standIn} = await start(t, 'standard', fakeRunner([]));
	const {dataworks} = client(standIn);
	const base = {projectId: 10_001, taskName: 'x', taskContent: taskContent(), taskParam: {FileFolderPath: 'Workflow/missing/Data Integration', ResourceGroup: 'S_res_group_ferry'}, clientToken: 'c-1'};
	const badPath = await t.throwsAsync(dataworks.createDISyncTask(base), {instanceOf: ServiceError});
	t.regex(badPath.message, /Invalid path: Workflow\/missing\/Data Integration/);
	t.regex(badPath.hint ?? '', /workflow folder must already exist/);
	const badGroup = await t.throwsAsync(dataworks.createDISyncTask({...base, clientToken: 'c-2', taskParam: {FileFolderPath: folder, ResourceGroup: 'nope'}}), {instanceOf: ServiceError});
	t.regex(badGroup.hint ?? '', /resource group/);
	const tooBig = await t.throwsAsync(dataworks.createDISyncTask({...base, clientToken: 'c-3', taskContent: taskContent(5000), taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}}), {instanceOf: ServiceError});
	t.is(tooBig.code, 'InvalidParameter.TaskContent');
	t.is(tooBig.status, 400);
	t.regex(tooBig.message, /batchSize must be an integer from 1 to 4096/);
	const noFormat = structuredClone(taskContent()) as {steps: Array<{parameter: Record<string, unknown>}>};
	delete noFormat.steps[1]!.parameter.timeformat;
	await t.throwsAsync(dataworks.createDISyncTask({...base, clientToken: 'c-4', taskContent: noFormat, taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}}), {message: /timeformat/});
	const wrongWorkspace = await t.throwsAsync(dataworks.getProject(99), {instanceOf: ServiceError});
	t.is(wrongWorkspace.status, 403);
});

test('signature: a wrong secret or key is an auth error (exit 3) and is not retried; no signature is refused', async t => {
	const {standIn} = await start(t, 'standard', fakeRunner([]));
	const wrong = client(standIn, 'not-the-secret');
	const error = await t.throwsAsync(wrong.dataworks.getProject(10_001), {instanceOf: ServiceError});
	t.is(error.code, 'SignatureDoesNotMatch');
	t.is(error.exitCode, 3);
	t.is(wrong.logger.lines.filter(line => line.includes('dataworks.GetProject')).length, 1, 'one attempt only');
	const unknown = await t.throwsAsync(client(standIn, keys.secret, 'LTAIunknown').dataworks.getProject(10_001), {instanceOf: ServiceError});
	t.like(unknown, {code: 'InvalidAccessKeyId.NotFound', status: 404, exitCode: 3});
	t.false(wrong.logger.lines.join('\n').includes('not-the-secret'));

	const raw = await fetch(`${standIn.url}/?ProjectId=10001`, {method: 'POST', headers: {'x-acs-action': 'GetProject', 'x-acs-version': '2020-05-18'}});
	t.is(raw.status, 400);
	const body = await raw.json() as Record<string, unknown>;
	t.is(body.Code, 'IncompleteSignature');
	t.truthy(body.RequestId);
	t.truthy(body.HostId);
});

test('503 answers are retried with back-off', async t => {
	const {standIn} = await start(t, 'standard', fakeRunner([]));
	const {dataworks, logger} = client(standIn);
	standIn.injectFault({status: 503, code: 'ServiceUnavailable', count: 2});
	t.like(await dataworks.getProject(10_001), {mode: 'standard'});
	const lines = logger.lines.filter(line => line.includes('dataworks.GetProject'));
	t.is(lines.length, 3);
	t.regex(lines[0]!, /-> 503/);
	t.regex(lines[2]!, /attempt 3/);
});

test('records survive a restart; an instance cut off while RUNNING is marked FAILURE', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-dataworks-restart-'));
	t.teardown(async () => rm(dataDir, {recursive: true, force: true}));
	const runs: Runs = [];
	const blocking = fakeRunner(runs, async signal => new Promise((_resolve, reject) => {
		if (signal?.aborted) {
			reject(new Error('stopped'));
		}

		signal?.addEventListener('abort', () => reject(new Error('stopped')), {once: true});
	}));
	const first = await startDataWorksStandIn({dataDir, region: 'ap-southeast-1', credentials: keys, accountId: '1', workspace: workspace('basic'), runner: blocking, stepDelayMs: 10});
	const {dataworks} = client(first);
	await dataworks.createDataSource({projectId: 10_001, name: 'sls', dataSourceType: 'loghub', envType: 1, content: {endpoint: 'http://sls', project: 'p', accessId: 'a', accessKey: 'loghub-secret'}});
	const {fileId} = await dataworks.createDISyncTask({projectId: 10_001, taskName: 'kept', taskContent: taskContent(), taskParam: {FileFolderPath: folder, ResourceGroup: 'S_res_group_ferry'}, clientToken: 'r-1'});
	const nodeId = await release(dataworks, fileId, 'basic');
	const {dagIds} = await dataworks.runCycleDagNodes({projectEnv: 'PROD', name: 'r', rootNodeId: nodeId, includeNodeIds: [nodeId], startBizDate: '2024-01-01 00:00:00', endBizDate: '2024-01-01 00:00:00', parallelism: false});
	await until(async () => (await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', dagId: dagIds[0]})).items[0]?.status, status => status === 'RUNNING');
	await until(async () => runs.length, count => count === 1);
	await first.close();

	const second = await startDataWorksStandIn({dataDir, region: 'ap-southeast-1', credentials: keys, accountId: '1', workspace: workspace('basic'), runner: fakeRunner(runs), stepDelayMs: 10});
	t.teardown(async () => second.close());
	const again = client(second).dataworks;
	t.is((await again.listDataSources({projectId: 10_001, name: 'sls'})).total, 1);
	t.like(await again.getFile({projectId: 10_001, fileId}), {fileId, nodeId, commitStatus: 1});
	const instance = (await again.listInstances({projectId: 10_001, projectEnv: 'PROD', dagId: dagIds[0]})).items[0]!;
	t.is(instance.status, 'FAILURE');
	t.regex(instance.errorMessage ?? '', /interrupted/);
	t.regex(await again.getInstanceLog({instanceId: instance.instanceId, projectEnv: 'PROD'}), /Exit with FAILURE/);
});
