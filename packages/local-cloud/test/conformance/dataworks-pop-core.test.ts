/**
 * Alibaba Cloud's older generic RPC client (@alicloud/pop-core), an independent client that signs with the legacy
 * RPC signature (SignatureVersion 1.0, HMAC-SHA1, every parameter in the query or the form body), against the local
 * DataWorks: one run of a batch sync node as ferry does it, from GetProject to GetInstanceLog, and the errors it
 * turns into exceptions from the answer's `Code`.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import RPCClient from '@alicloud/pop-core';
import type {DiRunner, DiRunRequest} from '../../source/dataworks/di-runner.js';
import {startDataWorksStandIn, type DataWorksStandInHandle} from '../../source/dataworks/server.js';
import {until} from '../helpers/until.js';

const keys = {accessKeyId: 'LTAIpopcore000001', secret: 'pop-core-secret-Xy7'};
const projectId = 10_001;
const workspaceName = 'ferry_ws';
const resourceGroup = 'S_res_group_ferry';
const day = 86_400_000;

type Json = Record<string, unknown>;
type PopError = Error & {code?: string; data?: Json; entry?: {response?: {statusCode?: number}}};

const runs: DiRunRequest[] = [];
const runner: DiRunner = {
	async run(request) {
		runs.push(request);
		request.log('Total 3 records, 3 bytes | Speed 3B/s, 3 records/s | Error 0 records');
		return {status: 'SUCCESS', read: 3, written: 3, dirty: 0};
	},
};

let standIn: DataWorksStandInHandle;
let dataDir: string;

test.before(async () => {
	dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-dataworks-pop-core-'));
	standIn = await startDataWorksStandIn({
		dataDir, region: 'ap-southeast-1', credentials: keys, accountId: '1000000000000000', runner, stepDelayMs: 10,
		workspace: {id: projectId, name: workspaceName, mode: 'standard', folders: ['Workflow/ferry/Data Integration'], resourceGroups: [resourceGroup]},
		schedule: {tickMs: 50},
	});
});

test.after.always(async () => {
	await standIn?.close();
	if (dataDir) {
		await rm(dataDir, {recursive: true, force: true});
	}
});

function client(secret = keys.secret, accessKeyId = keys.accessKeyId): RPCClient {
	return new RPCClient({accessKeyId, accessKeySecret: secret, endpoint: standIn.url, apiVersion: '2020-05-18'});
}

async function call(action: string, params: Json, method: 'POST' | 'GET' = 'POST', rpc = client()): Promise<Json> {
	return rpc.request<Json>(action, params, {method});
}

async function data(action: string, params: Json, method: 'POST' | 'GET' = 'POST'): Promise<Json> {
	const answer = await call(action, params, method);
	return answer.Data as Json;
}

async function failure(t: {throwsAsync: (promise: Promise<unknown>) => Promise<unknown>}, promise: Promise<unknown>): Promise<PopError> {
	return await t.throwsAsync(promise) as PopError;
}

/** The business date two days back, in China Standard Time (DataWorks' zone). */
const bizDay = new Date(Date.now() + (8 * 3_600_000) - (2 * day)).toISOString().slice(0, 10);
/** Characters that a form or query encoder can get wrong. */
const topic = 'ferry & pop-core: a+b=c 迁移 100% ~*\'()';

const job = {
	type: 'job', version: '2.0',
	steps: [
		{stepType: 'odps', category: 'reader', name: 'Reader', parameter: {datasource: 'odps_first', table: 'orders', partition: 'pt=${bizdate}', column: ['id', 'amount']}},
		{stepType: 'loghub', category: 'writer', name: 'Writer', parameter: {datasource: 'sls_target', logstore: 'orders', topic, column: ['id', 'amount']}},
	],
	setting: {errorLimit: {record: '0'}, speed: {throttle: false, concurrent: 1}},
	order: {hops: [{from: 'Reader', to: 'Writer'}]},
};

test.serial('a manual run of a batch sync node, start to finish, signed by pop-core', async t => {
	const project = await data('GetProject', {ProjectId: projectId});
	t.like(project, {ProjectId: projectId, ProjectIdentifier: workspaceName, ProjectMode: 3});

	const created = await call('CreateBusiness', {ProjectId: projectId, BusinessName: 'pop_flow', UseType: 'MANUAL_BIZ'});
	t.true(created.Success);
	const businessId = created.BusinessId as number;
	t.is(typeof businessId, 'number');
	const businesses = await data('ListBusiness', {ProjectId: projectId, Keyword: 'pop_flow'});
	t.like((businesses.Business as Json[])[0], {BusinessId: businessId, BusinessName: 'pop_flow', UseType: 'MANUAL_BIZ'});

	const content = {endpoint: 'http://ap-southeast-1.log.aliyuncs.com', project: 'ferry-logs', accessId: 'LTAIsls', accessKey: 'sls-secret'};
	const dataSourceId = await data('CreateDataSource', {ProjectId: projectId, Name: 'sls_target', DataSourceType: 'loghub', EnvType: 1, Content: JSON.stringify(content)}) as unknown as number;
	t.is(typeof dataSourceId, 'number');
	const sources = await data('ListDataSources', {ProjectId: projectId, Name: 'sls_target'});
	const [source] = sources.DataSources as Json[];
	t.like(source, {Id: dataSourceId, Name: 'sls_target', DataSourceType: 'loghub', EnvType: 1});
	t.like(JSON.parse(source!.Content as string), {project: 'ferry-logs', accessKey: '******'}, 'the listed connection masks its secret');

	// pop-core sends a POST's parameters in the form body, TaskContent included.
	const taskContent = JSON.stringify(job);
	const task = await data('CreateDISyncTask', {
		ProjectId: projectId, TaskType: 'DI_OFFLINE', TaskName: 'pop_orders', ClientToken: 'pop-core-1', TaskContent: taskContent,
		TaskParam: JSON.stringify({FileFolderPath: 'Workflow/pop_flow/Data Integration', ResourceGroup: resourceGroup}),
	});
	t.is(task.Status, 'success');
	const fileId = task.FileId as number;

	const file = await data('GetFile', {ProjectId: projectId, FileId: fileId});
	t.like(file.File, {FileId: fileId, FileName: 'pop_orders', UseType: 'MANUAL_BIZ', BusinessId: businessId, Content: taskContent});
	t.like(file.NodeConfiguration, {SchedulerType: 'MANUAL'});

	const submitted = await data('SubmitFile', {ProjectId: projectId, FileId: fileId}) as unknown as number;
	await until(async () => data('GetDeployment', {ProjectId: projectId, DeploymentId: submitted}), answer => (answer.Deployment as Json).Status === 1);
	const deployed = await data('DeployFile', {ProjectId: projectId, FileId: fileId}) as unknown as number;
	const deployment = await until(async () => data('GetDeployment', {ProjectId: projectId, DeploymentId: deployed}), answer => (answer.Deployment as Json).Status === 1);
	t.like(deployment.Deployment, {FromEnvironment: 1, ToEnvironment: 2, ErrorMessage: ''});

	const nodeId = ((await data('GetFile', {ProjectId: projectId, FileId: fileId})).File as Json).NodeId as number;
	t.is(typeof nodeId, 'number');
	const run = await call('RunManualDagNodes', {ProjectEnv: 'PROD', ProjectName: workspaceName, FlowName: 'pop_flow', BizDate: `${bizDay} 00:00:00`, IncludeNodeIds: String(nodeId)});
	const dagId = run.DagId as number;
	t.is(typeof dagId, 'number');

	const instances = await until(async () => data('ListInstances', {ProjectId: projectId, ProjectEnv: 'PROD', DagId: dagId}), page => (page.Instances as Json[])[0]?.Status === 'SUCCESS');
	const [instance] = instances.Instances as Json[];
	t.like(instance, {NodeId: nodeId, DagId: dagId, DagType: 'MANUAL', Status: 'SUCCESS'});
	const manual = await call('ListManualDagInstances', {ProjectEnv: 'PROD', ProjectName: workspaceName, DagId: String(dagId)});
	t.like((manual.Instances as Json[])[0], {InstanceId: instance!.InstanceId, NodeId: nodeId, TaskType: 'MANUAL', Status: 'SUCCESS', BizDate: instance!.Bizdate});

	const log = await data('GetInstanceLog', {InstanceId: instance!.InstanceId, ProjectEnv: 'PROD'}) as unknown as string;
	t.regex(log, /Total 3 records/);
	t.regex(log, /Exit with SUCCESS/);

	t.is(runs.length, 1);
	t.deepEqual(runs[0]!.job.reader.partitions, [`pt=${bizDay.replaceAll('-', '')}`], 'the node ran for the business date asked for');
	t.is(runs[0]!.job.writer.topic, topic, 'the form body arrived intact');
});

test.serial('GET carries every parameter in the query string, as pop-core sends a read action by default', async t => {
	t.like(await data('GetProject', {ProjectId: projectId}, 'GET'), {ProjectIdentifier: workspaceName});
	const page = await data('ListBusiness', {ProjectId: projectId, Keyword: 'ferry'}, 'GET');
	t.like((page.Business as Json[])[0], {BusinessName: 'ferry', UseType: 'NORMAL'});
});

test.serial('errors come back as {RequestId, HostId, Code, Message, Recommend}, which pop-core raises by Code', async t => {
	const wrongSecret = await failure(t, call('GetProject', {ProjectId: projectId}, 'POST', client('not-the-secret')));
	t.is(wrongSecret.code, 'SignatureDoesNotMatch');
	t.is(wrongSecret.name, 'SignatureDoesNotMatchError');
	t.is(wrongSecret.entry?.response?.statusCode, 400);
	t.deepEqual(Object.keys(wrongSecret.data ?? {}).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
	t.regex(String(wrongSecret.data?.Message), /server string to sign is:POST&%2F&AccessKeyId%3D/);
	t.notRegex(String(wrongSecret.data?.Message), /pop-core-secret/);

	const unknownKey = await failure(t, call('GetProject', {ProjectId: projectId}, 'GET', client(keys.secret, 'LTAInobody')));
	t.is(unknownKey.code, 'InvalidAccessKeyId.NotFound');

	const unknownAction = await failure(t, call('DescribeNothing', {ProjectId: projectId}));
	t.is(unknownAction.code, 'InvalidAction.NotFound');
	t.is(unknownAction.entry?.response?.statusCode, 404);

	const missing = await failure(t, call('CreateBusiness', {ProjectId: projectId, UseType: 'MANUAL_BIZ'}));
	t.is(missing.code, 'MissingParameter.BusinessName');
	t.regex(missing.message, /BusinessName/);

	const otherVersion = await failure(t, new RPCClient({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, endpoint: standIn.url, apiVersion: '2024-05-18'}).request('GetProject', {ProjectId: projectId}, {method: 'POST'}));
	t.is(otherVersion.code, 'InvalidVersion');

	// The real service would answer in XML; the local one says plainly that it writes JSON only.
	const xml = await failure(t, call('GetProject', {ProjectId: projectId, Format: 'XML'}));
	t.is(xml.code, 'InvalidParameter.Format');
});

test.serial('a signed request cannot be replayed: its SignatureNonce is spent', async t => {
	// Verbose mode, a constructor argument its type definitions leave out, also returns the URL it sent.
	const VerboseClient = RPCClient as unknown as new (config: RPCClient.Config, verbose: boolean) => RPCClient;
	const [answer, entry] = await new VerboseClient({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, endpoint: standIn.url, apiVersion: '2020-05-18'}, true)
		.request<[Json, {url: string}]>('GetProject', {ProjectId: projectId}, {method: 'GET'});
	t.like(answer.Data, {ProjectId: projectId});
	const replay = await fetch(entry.url);
	t.is(replay.status, 400);
	t.like(await replay.json(), {Code: 'SignatureNonceUsed'});
});
