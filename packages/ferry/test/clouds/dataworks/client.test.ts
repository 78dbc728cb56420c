import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test from 'ava';
import {createDataWorksClient} from '../../../source/clouds/dataworks/client.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {InterruptedError, ServiceError} from '../../../source/engine/errors.js';
import {createMemoryLogger} from '../../../source/log/logger.js';
import {redact} from '../../../source/log/redact.js';

type Seen = {action: string; method: string; url: string; body: string; headers: http.IncomingHttpHeaders};

/** A fake endpoint that answers each action from a script: [status, body] in turn. */
async function fakeServer(t: {teardown: (fn: () => void) => void}, script: Record<string, Array<[number, unknown]>>) {
	const seen: Seen[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const action = String(request.headers['x-acs-action']);
			seen.push({action, method: request.method ?? '', url: request.url ?? '', body: Buffer.concat(chunks).toString(), headers: request.headers});
			const [status, body] = script[action]?.shift() ?? [404, {Code: 'InvalidAction.NotFound', Message: 'no script'}];
			response.writeHead(status, {'content-type': 'application/json;charset=utf-8'});
			response.end(JSON.stringify(body));
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(() => server.close());
	const logger = createMemoryLogger();
	const dataworks = createDataWorksClient({
		endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		regionId: 'ap-southeast-1',
		credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIclient000001', accessKeySecret: 'client-secret-Yt6w'}),
		logger,
		retry: {baseDelayMs: 1, maxDelayMs: 2},
	});
	return {seen, dataworks, logger};
}

const ok = (data: unknown): [number, unknown] => [200, {RequestId: 'r', Success: true, HttpStatusCode: 200, Data: data}];

test('sends RPC calls signed with ACS3, parameters in the query or the form body as the vendor SDK does', async t => {
	const {seen, dataworks} = await fakeServer(t, {
		CreateDISyncTask: [ok({Status: 'success', FileId: 42})],
		RunCycleDagNodes: [ok([7001])],
		ListDataSources: [ok({TotalCount: 0, PageNumber: 1, PageSize: 100, DataSources: []})],
	});
	t.deepEqual(await dataworks.createDISyncTask({projectId: 1, taskName: 'n', taskContent: {type: 'job'}, taskParam: {FileFolderPath: 'Workflow/w/Data Integration', ResourceGroup: 'g'}, clientToken: 'ct'}), {fileId: 42});
	const create = seen[0]!;
	t.is(create.method, 'POST');
	t.regex(create.headers.authorization ?? '', /^ACS3-HMAC-SHA256 Credential=LTAIclient000001,SignedHeaders=.*content-type.*x-acs-action/);
	t.is(create.headers['x-acs-version'], '2020-05-18');
	const query = new URL(create.url, 'http://x').searchParams;
	t.is(query.get('TaskType'), 'DI_OFFLINE');
	t.is(query.get('ClientToken'), 'ct');
	t.is(JSON.parse(query.get('TaskParam')!).FileFolderPath, 'Workflow/w/Data Integration');
	t.is(new URLSearchParams(create.body).get('TaskContent'), '{"type":"job"}');
	t.deepEqual(await dataworks.runCycleDagNodes({projectEnv: 'PROD', name: 'n', rootNodeId: 5, includeNodeIds: [5], startBizDate: '2024-01-01 00:00:00', endBizDate: '2024-01-01 00:00:00', parallelism: false}), {dagIds: [7001]});
	const form = new URLSearchParams(seen[1]!.body);
	t.is(form.get('RootNodeId'), '5');
	t.is(form.get('Parallelism'), 'false');
	await dataworks.listDataSources({projectId: 1});
	t.is(seen[2]!.method, 'GET');
});

test('auth codes are configuration errors (exit 3) and are not retried', async t => {
	const {seen, dataworks} = await fakeServer(t, {GetProject: [[403, {RequestId: 'r1', HostId: 'h', Code: 'Forbidden.RAM', Message: 'User not authorized to operate on the specified resource.'}]]});
	const error = await t.throwsAsync(dataworks.getProject(1), {instanceOf: ServiceError});
	t.like(error, {code: 'Forbidden.RAM', status: 403, exitCode: 3, retryable: false, requestId: 'r1'});
	t.regex(error.hint ?? '', /AccessKey/);
	t.is(seen.length, 1);
});

test('throttling and 5xx are retried; a 200 with Success false is an error', async t => {
	const {seen, dataworks, logger} = await fakeServer(t, {
		GetInstance: [[400, {Code: 'Throttling.User', Message: 'Request was denied due to user flow control.'}], [503, {Code: 'ServiceUnavailable', Message: 'later'}], ok({InstanceId: 9, Status: 'RUNNING', NodeId: 5, DagId: 7})],
		GetFile: [[200, {RequestId: 'r', Success: false, ErrorCode: 'Invalid.File.NotExist', ErrorMessage: 'no such file', HttpStatusCode: 404}]],
	});
	t.like(await dataworks.getInstance({instanceId: 9, projectEnv: 'PROD'}), {instanceId: 9, status: 'RUNNING'});
	t.is(seen.length, 3);
	t.true(logger.lines.some(line => /dataworks\.GetInstance .*-> 503/.test(line)));
	const missing = await t.throwsAsync(dataworks.getFile({projectId: 1, fileId: 2}), {instanceOf: ServiceError});
	t.like(missing, {code: 'Invalid.File.NotExist', exitCode: 1});
});

test('an aborted call is an InterruptedError; data source secrets are registered for redaction', async t => {
	const {dataworks} = await fakeServer(t, {ListDataSources: [ok({TotalCount: 0, DataSources: []})], CreateDataSource: [ok(77)]});
	const controller = new AbortController();
	controller.abort();
	await t.throwsAsync(dataworks.getProject(1, {signal: controller.signal}), {instanceOf: InterruptedError});
	t.deepEqual(await dataworks.createDataSource({projectId: 1, name: 's', dataSourceType: 'loghub', envType: 1, content: {endpoint: 'e', project: 'p', accessId: 'id', accessKey: 'loghub-secret-Qq9'}}), {created: true, id: 77});
	t.false(redact('key loghub-secret-Qq9').includes('loghub-secret-Qq9'));
});

test('workflows and manual runs: answers read beside RequestId; a manual run is tried once, a 503 left to the caller', async t => {
	const {seen, dataworks} = await fakeServer(t, {
		CreateBusiness: [[200, {RequestId: 'r', Success: true, HttpStatusCode: 200, BusinessId: 100_001}]],
		ListBusiness: [ok({TotalCount: 2, PageNumber: 1, PageSize: 100, Business: [{BusinessId: 1, BusinessName: 'once_flow_old', UseType: 'NORMAL'}, {BusinessId: 2, BusinessName: 'once_flow', UseType: 'MANUAL_BIZ'}]})],
		RunManualDagNodes: [[200, {RequestId: 'r', DagId: 700_000_123}], [503, {Code: 'ServiceUnavailable', Message: 'later'}]],
		GetFile: [ok({File: {FileId: 42, FileName: 'f', UseType: 'MANUAL_BIZ', BusinessId: 2, NodeId: 77}, NodeConfiguration: {SchedulerType: 'MANUAL', AutoRerunTimes: 3, RerunMode: 'ALL_ALLOWED', Stop: false, ApplyScheduleImmediately: 'false'}})],
		ListManualDagInstances: [[200, {RequestId: 'r', Instances: [{InstanceId: 11, NodeId: 77, DagId: 700_000_123, Status: 'RUNNING', BizDate: 1_482_681_600_000, TaskType: 'MANUAL', CreateTime: 5}]}]],
	});
	t.deepEqual(await dataworks.createBusiness({projectId: 1, name: 'once_flow', useType: 'MANUAL_BIZ'}), {businessId: 100_001});
	t.is(new URLSearchParams(seen[0]!.body).get('UseType') ?? new URL(seen[0]!.url, 'http://x').searchParams.get('UseType'), 'MANUAL_BIZ');
	t.deepEqual(await dataworks.findBusiness({projectId: 1, name: 'once_flow'}), {businessId: 2, name: 'once_flow', useType: 'MANUAL_BIZ', description: ''}, 'the exact name, not the keyword match');
	const request = {projectEnv: 'PROD' as const, projectName: 'ws', flowName: 'once_flow', bizDate: '2016-12-26 00:00:00', includeNodeIds: [77]};
	t.deepEqual(await dataworks.runManualDagNodes(request), {dagId: 700_000_123});
	const form = new URLSearchParams(seen[2]!.body);
	t.is(form.get('FlowName'), 'once_flow');
	t.is(form.get('IncludeNodeIds'), '77');
	const unavailable = await t.throwsAsync(dataworks.runManualDagNodes(request), {instanceOf: ServiceError});
	t.true(unavailable.retryable);
	t.is(seen.filter(call => call.action === 'RunManualDagNodes').length, 2, 'the 503 was not retried by the client');
	t.like(await dataworks.getFile({projectId: 1, fileId: 42}), {useType: 'MANUAL_BIZ', businessId: 2, nodeId: 77, scheduling: {schedulerType: 'MANUAL', autoRerunTimes: 3, rerunMode: 'ALL_ALLOWED', stop: false, applyScheduleImmediately: false}});
	t.like((await dataworks.listManualDagInstances({projectEnv: 'PROD', projectName: 'ws', dagId: 700_000_123}))[0], {instanceId: 11, nodeId: 77, status: 'RUNNING', bizdate: 1_482_681_600_000, taskType: 'MANUAL'});
});
