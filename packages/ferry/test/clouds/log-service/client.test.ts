import http from 'node:http';
import type {AddressInfo} from 'node:net';
import anyTest, {type TestFn} from 'ava';
import {createLogServiceClient, type LogServiceClientOptions} from '../../../source/clouds/log-service/client.js';
import {ConfigurationError, InterruptedError, ServiceError, StepError, UsageError} from '../../../source/engine/errors.js';
import {createMemoryLogger} from '../../../source/log/logger.js';
import {fakeError, fakeRegion, startFakeLogService, type FakeKeys, type FakeLogService} from '../../helpers/log-service-fake.js';

const keys: FakeKeys = {accessKeyId: 'LTAIfakeLogKey0001', secret: 'fake-log-secret-Qz81xW'};
const test = anyTest as TestFn<{fake: FakeLogService}>;

function clientFor(fake: FakeLogService, extra: Partial<LogServiceClientOptions> & {secret?: string; securityToken?: string} = {}) {
	const logger = createMemoryLogger();
	const {secret, securityToken, ...rest} = extra;
	const client = createLogServiceClient({
		endpoint: fake.url,
		credentials: {description: 'test keys', getCredentials: async () => ({accessKeyId: keys.accessKeyId, accessKeySecret: secret ?? keys.secret, ...(securityToken ? {securityToken} : {})})},
		logger,
		retry: {baseDelayMs: 5, maxDelayMs: 20},
		incomplete: {initialDelayMs: 5, maxDelayMs: 20},
		...rest,
	});
	return {client, logger};
}

test.beforeEach(async t => {
	t.context.fake = await startFakeLogService(keys);
});

test.afterEach.always(async t => {
	await t.context.fake.close();
});

test('listProjects goes to the bare endpoint with a valid signature and logs one redacted line', async t => {
	const {fake} = t.context;
	fake.handle = () => ({body: {count: 2, total: 2, projects: [{projectName: 'alpha'}, {projectName: 'beta'}]}});
	const {client, logger} = clientFor(fake);
	t.deepEqual(await client.listProjects(), ['alpha', 'beta']);
	t.deepEqual(fake.violations, []);
	t.is(fake.requests.length, 1);
	t.like(fake.requests[0], {method: 'GET', project: undefined, path: '/', query: {offset: '0', size: '500'}});
	t.is(fake.requests[0]?.headers['x-log-bodyrawsize'], '0');
	t.is(logger.lines.length, 1);
	t.regex(logger.lines[0]!, /CALL\s+log-service\.ListProject GET http:\/\/ap-southeast-1\.log\.localhost:\d+\/ -> 200 \d+ms request-id [\dA-F]{24}/);
	t.false(logger.lines.join('\n').includes(keys.secret));
});

test('a wrong secret is refused by the service as SignatureNotMatch: exit 3, no retry, with a hint', async t => {
	const {fake} = t.context;
	fake.handle = () => ({body: {projects: []}});
	const {client} = clientFor(fake, {secret: 'not-the-secret'});
	const error = await t.throwsAsync(client.listProjects(), {instanceOf: ServiceError});
	t.is(error.code, 'SignatureNotMatch');
	t.is(error.exitCode, 3);
	t.is(error.status, 401);
	t.truthy(error.requestId);
	t.regex(error.hint ?? '', /AccessKey/);
	t.is(fake.violations.length, 1, 'one request, not retried');
});

test('STS keys send x-acs-security-token, signed; the service checks it', async t => {
	const {fake} = t.context;
	await fake.close();
	t.context.fake = await startFakeLogService({...keys, securityToken: 'sts-token-0123456789'});
	t.context.fake.handle = () => ({body: {projects: [{projectName: 'p1'}]}});
	const {client, logger} = clientFor(t.context.fake, {securityToken: 'sts-token-0123456789'});
	t.deepEqual(await client.listProjects(), ['p1']);
	t.is(t.context.fake.requests[0]?.headers['x-acs-security-token'], 'sts-token-0123456789');
	t.false(logger.lines.join('\n').includes('sts-token-0123456789'));
});

test('403 Unauthorized is an auth error (exit 3) and is never retried', async t => {
	const {fake} = t.context;
	fake.handle = () => fakeError(403, 'Unauthorized', 'denied by sts or ram, action: log:GetLogStore');
	const {client} = clientFor(fake);
	const error = await t.throwsAsync(client.getLogstore('proj-a', 'store'), {instanceOf: ServiceError});
	t.is(error.exitCode, 3);
	t.false(error.retryable);
	t.regex(error.message, /GetLogStore failed \(HTTP 403 Unauthorized: denied by sts or ram/);
	t.is(fake.requests.length, 1);
});

test('503 ServerBusy is retried and the second attempt succeeds; the log line names the attempt', async t => {
	const {fake} = t.context;
	fake.handle = () => fake.requests.length === 1 ? fakeError(503, 'ServerBusy', 'server is busy, please try again later') : {body: {logstoreName: 'store', ttl: 30, shardCount: 2}};
	const {client, logger} = clientFor(fake);
	t.deepEqual(await client.getLogstore('proj-a', 'store'), {name: 'store', ttlDays: 30, shardCount: 2});
	t.is(fake.requests.length, 2);
	t.like(fake.requests[1], {project: 'proj-a', path: '/logstores/store'});
	t.regex(logger.lines[0]!, /GetLogStore GET http:\/\/proj-a\.ap-southeast-1\.log\.localhost:\d+\/logstores\/store -> 503 .*error: ServerBusy/);
	t.regex(logger.lines[1]!, /-> 200 \d+ms attempt 2/);
});

test('retries stop after the configured attempts and the last error surfaces', async t => {
	const {fake} = t.context;
	fake.handle = () => fakeError(500, 'InternalServerError', 'internal error');
	const {client} = clientFor(fake, {retry: {attempts: 3, baseDelayMs: 1, maxDelayMs: 2}});
	const error = await t.throwsAsync(client.getProject('proj-a'), {instanceOf: ServiceError});
	t.is(error.code, 'InternalServerError');
	t.is(error.exitCode, 1);
	t.is(fake.requests.length, 3);
});

test('createProject, createLogstore and createIndex send the service\'s JSON; …AlreadyExist means created: false', async t => {
	const {fake} = t.context;
	const existing = new Set<string>();
	fake.handle = request => {
		const id = `${request.project ?? ''}${request.path}`;
		if (existing.has(id)) {
			return request.path === '/' ? fakeError(400, 'ProjectAlreadyExist', 'Project proj-a already exist.')
				: request.path.endsWith('/index') ? fakeError(400, 'IndexAlreadyExist', 'log store index is already created')
					: fakeError(400, 'LogStoreAlreadyExist', 'logstore store already exists');
		}

		existing.add(id);
		return {};
	};

	const {client} = clientFor(fake);
	const index = {keys: {col0: {type: 'text' as const, caseSensitive: true, token: [',', ' ']}, amount: {type: 'double' as const}}, line: {token: [';']}};
	t.deepEqual(await client.createProject('proj-a', 'made by a test'), {created: true});
	t.deepEqual(await client.createLogstore('proj-a', 'store', {ttlDays: 30, shardCount: 2}), {created: true});
	t.deepEqual(await client.createIndex('proj-a', 'store', index), {created: true});
	t.deepEqual(await client.createProject('proj-a', 'made by a test'), {created: false});
	t.deepEqual(await client.createLogstore('proj-a', 'store', {ttlDays: 30, shardCount: 2}), {created: false});
	t.deepEqual(await client.createIndex('proj-a', 'store', index), {created: false});
	t.deepEqual(fake.violations, []);

	const [project, logstore, created] = fake.requests;
	t.like(project, {method: 'POST', project: undefined, path: '/', json: {projectName: 'proj-a', description: 'made by a test'}});
	t.is(project?.headers['content-type'], 'application/json');
	t.like(logstore, {method: 'POST', project: 'proj-a', path: '/logstores', json: {logstoreName: 'store', ttl: 30, shardCount: 2}});
	t.like(created, {method: 'POST', project: 'proj-a', path: '/logstores/store/index'});
	t.deepEqual(created?.json, {
		keys: {col0: {type: 'text', token: [',', ' '], caseSensitive: true, doc_value: true}, amount: {type: 'double', doc_value: true}},
		line: {token: [';'], caseSensitive: false},
	});
});

test('getIndex reads the keys; IndexConfigNotExist is a clear, unretried error with a hint', async t => {
	const {fake} = t.context;
	fake.handle = () => fake.requests.length === 1
		? {body: {keys: {col0: {type: 'text', token: [','], caseSensitive: false, doc_value: true}}, line: {token: [','], caseSensitive: false}, ttl: 30}}
		: fakeError(404, 'IndexConfigNotExist', 'index config doesn\'t exist');
	const {client} = clientFor(fake);
	const index = await client.getIndex('proj-a', 'store');
	t.deepEqual(Object.keys(index.keys), ['col0']);
	t.deepEqual(index.line?.token, [',']);
	const error = await t.throwsAsync(client.getIndex('proj-a', 'other'), {instanceOf: ServiceError});
	t.is(error.code, 'IndexConfigNotExist');
	t.is(error.exitCode, 1);
	t.regex(error.hint ?? '', /logstore "other" has no index/);
	t.is(fake.requests.length, 2);
});

test('ProjectNotExist and LogStoreNotExist name what is missing', async t => {
	const {fake} = t.context;
	fake.handle = request => request.path === '/' ? fakeError(404, 'ProjectNotExist', 'The Project does not exist : nope') : fakeError(404, 'LogStoreNotExist', 'logstore gone does not exist');
	const {client} = clientFor(fake);
	const project = await t.throwsAsync(client.getProject('nope'), {instanceOf: ServiceError});
	t.regex(project.hint ?? '', /project name "nope".*region/);
	const logstore = await t.throwsAsync(client.getLogstore('proj-a', 'gone'), {instanceOf: ServiceError});
	t.regex(logstore.hint ?? '', /logstore name "gone"/);
	t.is(fake.requests.length, 2);
});

test('putLogs splits 10,000 logs into deflated LogGroups of at most 4096, each with topic, source and tags', async t => {
	const {fake} = t.context;
	fake.handle = () => ({});
	const {client} = clientFor(fake);
	const logs = Array.from({length: 10_000}, (_, index) => ({time: 1_700_000_000 + index, contents: {id: String(index), note: `row ${index} · ünïcode`}}));
	const result = await client.putLogs('proj-a', 'store', {topic: 'run-1', source: '10.0.0.1', logs, tags: {batch: 'b1'}});
	t.deepEqual(fake.violations, []);
	t.is(result.requests, 3);
	t.is(result.logs, 10_000);
	t.deepEqual(fake.requests.map(request => request.group?.logs.length), [4096, 4096, 1808]);
	for (const request of fake.requests) {
		t.like(request, {method: 'POST', project: 'proj-a', path: '/logstores/store/shards/lb'});
		t.is(request.headers['content-type'], 'application/x-protobuf');
		t.is(request.headers['x-log-compresstype'], 'deflate');
		t.true(request.body.length < request.raw.length, 'the body is compressed');
		t.like(request.group, {topic: 'run-1', source: '10.0.0.1', tags: [['batch', 'b1']]});
	}

	t.is(result.rawBytes, fake.requests.reduce((sum, request) => sum + request.raw.length, 0));
	const received = fake.requests.flatMap(request => request.group!.logs);
	t.deepEqual(received[4096], {time: 1_700_004_096, contents: [['id', '4096'], ['note', 'row 4096 · ünïcode']]});
	t.deepEqual(received.map(log => log.contents[0]?.[1]), logs.map(log => log.contents.id));
});

test('putLogs keeps each LogGroup within 3 MB raw and refuses a single log that cannot fit before sending anything', async t => {
	const {fake} = t.context;
	fake.handle = () => ({});
	const {client} = clientFor(fake);
	const big = 'x'.repeat(1024 * 1024);
	const result = await client.putLogs('proj-a', 'store', {logs: Array.from({length: 7}, (_, index) => ({time: 1_700_000_000, contents: [['id', String(index)], ['blob', big]] as [string, string][]}))});
	t.deepEqual(fake.violations, []);
	t.deepEqual(fake.requests.map(request => request.group?.logs.length), [2, 2, 2, 1]);
	t.is(result.requests, 4);
	t.true(fake.requests.every(request => request.raw.length <= 3 * 1024 * 1024));

	const before = fake.requests.length;
	await t.throwsAsync(client.putLogs('proj-a', 'store', {logs: [{time: 1, contents: {small: 'a'}}, {time: 1, contents: {blob: 'y'.repeat(3 * 1024 * 1024)}}]}), {instanceOf: StepError, message: /Log 2 is \d+ bytes/});
	t.is(fake.requests.length, before, 'nothing was sent');
});

test('putLogs can send a literal-only LZ4 block or an uncompressed body', async t => {
	const {fake} = t.context;
	fake.handle = () => ({});
	const {client} = clientFor(fake);
	const logs = [{time: 1_700_000_000, contents: {a: '1'}}, {time: 1_700_000_001, contents: {a: '2'}, timeNs: 5}];
	await client.putLogs('proj-a', 'store', {logs}, {compress: 'lz4'});
	await client.putLogs('proj-a', 'store', {logs}, {compress: 'none'});
	t.deepEqual(fake.violations, []);
	t.is(fake.requests[0]?.headers['x-log-compresstype'], 'lz4');
	t.is(fake.requests[1]?.headers['x-log-compresstype'], undefined);
	for (const request of fake.requests) {
		t.deepEqual(request.group?.logs, [{time: 1_700_000_000, contents: [['a', '1']]}, {time: 1_700_000_001, contents: [['a', '2']], timeNs: 5}]);
	}
});

test('WriteQuotaExceed (403) on PutLogs is throttling, so it is retried', async t => {
	const {fake} = t.context;
	fake.handle = () => fake.requests.length === 1 ? fakeError(403, 'WriteQuotaExceed', 'Project write quota exceed') : {};
	const {client} = clientFor(fake);
	await client.putLogs('proj-a', 'store', {logs: [{time: 1_700_000_000, contents: {a: '1'}}]});
	t.is(fake.requests.length, 2);
});

test('getLogs asks again while the result is Incomplete (twice here), then returns the complete page', async t => {
	const {fake} = t.context;
	fake.handle = () => ({
		headers: {'x-log-progress': fake.requests.length < 3 ? 'Incomplete' : 'Complete', 'x-log-count': '2'},
		body: [{__time__: 1_700_000_000, __source__: '10.0.0.1', id: '1', amount: 2.5}, {__time__: 1_700_000_001, __source__: '10.0.0.1', id: '2', amount: null}],
	});
	const {client} = clientFor(fake);
	const result = await client.getLogs('proj-a', 'store', {from: 1_700_000_000, to: 1_700_000_100, query: 'id: 1 and note: "a b"', topic: 'run-1', line: 50, offset: 10, reverse: true});
	t.deepEqual(fake.violations, []);
	t.is(fake.requests.length, 3);
	t.deepEqual(fake.requests[0]?.query, {type: 'log', from: '1700000000', to: '1700000100', query: 'id: 1 and note: "a b"', line: '50', offset: '10', reverse: 'true', topic: 'run-1'});
	t.true(result.complete);
	t.is(result.count, 2);
	t.deepEqual(result.logs[0], {__time__: '1700000000', __source__: '10.0.0.1', id: '1', amount: '2.5'});
	t.is(result.logs[1]?.['amount'], '');
});

test('getLogs gives up after the bounded number of Incomplete answers and says so', async t => {
	const {fake} = t.context;
	fake.handle = () => ({headers: {'x-log-progress': 'Incomplete'}, body: []});
	const {client} = clientFor(fake, {incomplete: {attempts: 4, initialDelayMs: 1, maxDelayMs: 2}});
	const result = await client.getLogs('proj-a', 'store', {from: 1, to: 2, query: '*'});
	t.false(result.complete);
	t.is(fake.requests.length, 4);
});

test('queryCount runs `… | select count(*) as cnt` and reads the number', async t => {
	const {fake} = t.context;
	fake.handle = () => ({headers: {'x-log-progress': 'Complete'}, body: [{cnt: '1000'}]});
	const {client} = clientFor(fake);
	t.deepEqual(await client.queryCount('proj-a', 'store', {from: 1, to: 2, topic: 'run-1'}), {count: 1000, complete: true});
	t.is(fake.requests[0]?.query['query'], '* | select count(*) as cnt');
	t.is(fake.requests[0]?.query['topic'], 'run-1');
	await t.throwsAsync(client.queryCount('proj-a', 'store', {from: 1, to: 2, query: '* | select 1'}), {instanceOf: UsageError});
});

test('getHistograms sums the intervals and asks again until every interval is Complete', async t => {
	const {fake} = t.context;
	fake.handle = () => {
		const first = fake.requests.length === 1;
		return {
			headers: {'x-log-progress': first ? 'Incomplete' : 'Complete'},
			body: [{from: 0, to: 50, count: 40, progress: 'Complete'}, {from: 50, to: 100, count: first ? 3 : 60, progress: first ? 'Incomplete' : 'Complete'}],
		};
	};

	const {client} = clientFor(fake);
	const result = await client.getHistograms('proj-a', 'store', {from: 0, to: 100, query: '*'});
	t.is(fake.requests.length, 2);
	t.like(fake.requests[0]?.query, {type: 'histogram', from: '0', to: '100', query: '*'});
	t.deepEqual(result, {count: 100, complete: true, histograms: [{from: 0, to: 50, count: 40, progress: 'Complete'}, {from: 50, to: 100, count: 60, progress: 'Complete'}]});
});

test('an IP-address endpoint is a configuration error; so is an unreachable one; a bad project name is a usage error', async t => {
	const credentials = {description: 'k', getCredentials: async () => ({accessKeyId: 'a', accessKeySecret: 'b'})};
	const ip = t.throws(() => createLogServiceClient({endpoint: 'http://127.0.0.1:8080', credentials}), {instanceOf: ConfigurationError});
	t.regex(ip.message, /IP address.*project in the host name/);
	t.throws(() => createLogServiceClient({endpoint: 'https://[::1]:8443', credentials}), {instanceOf: ConfigurationError});
	t.is(createLogServiceClient({endpoint: 'cn-hangzhou.log.aliyuncs.com', credentials}).endpoint, 'https://cn-hangzhou.log.aliyuncs.com');

	const closed = http.createServer();
	await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
	const port = (closed.address() as AddressInfo).port;
	await new Promise<void>(resolve => closed.close(() => resolve()));
	const unreachable = createLogServiceClient({endpoint: `http://${fakeRegion}.log.localhost:${port}`, credentials});
	const error = await t.throwsAsync(unreachable.listProjects(), {instanceOf: ConfigurationError});
	t.regex(error.message, /cannot reach .*ECONNREFUSED/);

	const {client} = clientFor(t.context.fake);
	await t.throwsAsync(client.getLogstore('Bad_Project', 'store'), {instanceOf: UsageError});
	t.is(t.context.fake.requests.length, 0);
});

test('a slow answer times out and is retried; the caller\'s abort interrupts at once', async t => {
	const {fake} = t.context;
	fake.handle = async () => {
		await new Promise(resolve => setTimeout(resolve, 400));
		return {body: {projects: []}};
	};

	const {client, logger} = clientFor(fake, {timeoutMs: 50, retry: {attempts: 2, baseDelayMs: 1, maxDelayMs: 2}});
	const timeout = await t.throwsAsync(client.listProjects(), {instanceOf: ServiceError});
	t.regex(timeout.message, /no answer within 50 ms/);
	t.is(logger.lines.filter(line => line.includes('-> timeout')).length, 2);

	const controller = new AbortController();
	const {client: patient} = clientFor(fake, {timeoutMs: 5000});
	setTimeout(() => controller.abort(), 30);
	await t.throwsAsync(patient.listProjects({signal: controller.signal}), {instanceOf: InterruptedError});
});
