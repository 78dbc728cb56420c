/**
 * The client against a small fake DataHub that checks every signature with its own computation and answers with the
 * request/response shapes of the vendor SDKs' fixtures (aliyun-datahub-sdk-go @ 543cc08 `datahub/api_test.go`,
 * aliyun-datahub-sdk-python @ 888ed43 `tests/fixtures/*.json`).
 */
import {createHmac} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import anyTest, {type TestFn} from 'ava';
import {createDataHubClient, type DataHubClientOptions} from '../../../source/clouds/datahub/client.js';
import type {AlibabaCredentialsProvider} from '../../../source/clouds/credentials/alibaba.js';
import {InterruptedError, ServiceError, UsageError} from '../../../source/engine/errors.js';
import {createMemoryLogger} from '../../../source/log/logger.js';

type Seen = {method: string; path: string; rawQuery: string; headers: http.IncomingHttpHeaders; body: string};
type Reply = {status: number; body?: unknown; requestId?: string} | 'reset';
type Route = {method: string; path: string | RegExp; reply: (request: Seen, count: number) => Reply};

type FakeDataHub = {url: string; seen: Seen[]; route(route: Route): void; close(): Promise<void>};

const keys = {accessKeyId: 'LTAIdatahubfake01', accessKeySecret: 'datahub-fake-secret-Qw7pZ'};

/** The fake's own canonical string, written from the Python SDK's description, independent of source/…/signature.ts. */
function expectedAuthorization(seen: Seen, secret: string): string {
	const lines = [seen.method, String(seen.headers['content-type'] ?? ''), String(seen.headers.date ?? '')];
	const datahubHeaders = Object.keys(seen.headers).filter(name => name.startsWith('x-datahub-')).sort();
	for (const name of datahubHeaders) {
		lines.push(`${name}:${String(seen.headers[name])}`);
	}

	const pairs = seen.rawQuery === '' ? [] : seen.rawQuery.split('&').map(part => {
		const [key = '', value = ''] = part.split('=').map(piece => decodeURIComponent(piece));
		return [key, value] as const;
	});
	pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	const query = pairs.map(([key, value]) => (value ? `${key}=${value}` : key)).join('&');
	const path = decodeURIComponent(seen.path);
	lines.push(query ? `${path}?${query}` : path);
	const signature = createHmac('sha1', secret).update(lines.join('\n'), 'utf8').digest('base64');
	return `DATAHUB ${keys.accessKeyId}:${signature}`;
}

async function startFake(options: {secret?: string; securityToken?: string} = {}): Promise<FakeDataHub> {
	const routes: Route[] = [];
	const counts = new Map<Route, number>();
	const seen: Seen[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const [path = '', rawQuery = ''] = (request.url ?? '').split('?');
			const entry: Seen = {method: request.method ?? '', path, rawQuery, headers: request.headers, body: Buffer.concat(chunks).toString('utf8')};
			seen.push(entry);
			const send = (status: number, body?: unknown, requestId = `req-${seen.length}`) => {
				response.writeHead(status, {'Content-Type': 'application/json', 'x-datahub-request-id': requestId});
				response.end(body === undefined ? '' : JSON.stringify(body));
			};

			if (request.headers['content-type'] !== 'application/json' || !request.headers.date || request.headers['x-datahub-client-version'] === undefined) {
				send(400, {ErrorCode: 'InvalidParameter', ErrorMessage: 'Content-Type, Date and x-datahub-client-version are required'});
				return;
			}

			if (options.securityToken !== undefined && request.headers['x-datahub-security-token'] !== options.securityToken) {
				send(401, {ErrorCode: 'Unauthorized', ErrorMessage: 'The security token is missing or invalid'});
				return;
			}

			if (request.headers.authorization !== expectedAuthorization(entry, options.secret ?? keys.accessKeySecret)) {
				send(401, {ErrorCode: 'Unauthorized', ErrorMessage: 'Authorization failed: the signature does not match'});
				return;
			}

			const route = routes.find(candidate => candidate.method === entry.method && (typeof candidate.path === 'string' ? candidate.path === path : candidate.path.test(path)));
			if (!route) {
				send(404, {ErrorCode: 'InvalidUriSpec', ErrorMessage: `no route for ${entry.method} ${path}`});
				return;
			}

			const count = (counts.get(route) ?? 0) + 1;
			counts.set(route, count);
			const reply = route.reply(entry, count);
			if (reply === 'reset') {
				request.socket.destroy();
				return;
			}

			send(reply.status, reply.body, reply.requestId);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		route: route => routes.push(route),
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}

const test = anyTest as TestFn<{fake: FakeDataHub}>;

test.beforeEach(async t => {
	t.context = {fake: await startFake()};
});

test.afterEach.always(async t => {
	await t.context.fake.close();
});

function provider(extra: Partial<typeof keys> & {securityToken?: string} = {}): AlibabaCredentialsProvider {
	const resolved = {...keys, ...extra};
	return {description: 'test keys', getCredentials: async () => resolved};
}

function clientFor(fake: FakeDataHub, extra: Partial<DataHubClientOptions> = {}) {
	const logger = createMemoryLogger();
	const client = createDataHubClient({endpoint: fake.url, credentials: provider(), logger, retry: {baseDelayMs: 5, maxDelayMs: 20}, pollIntervalMs: 10, ...extra});
	return {client, logger};
}

const fixtureSchemaFields = [
	{name: 'field1', type: 'STRING' as const, comment: 'test'},
	{name: 'field2', type: 'INTEGER' as const, comment: 'test'},
	{name: 'field3', type: 'BIGINT' as const, comment: 'test'},
	{name: 'field4', type: 'FLOAT' as const, comment: 'test'},
	{name: 'field5', type: 'DOUBLE' as const, comment: 'test'},
	{name: 'field6', type: 'DECIMAL' as const, comment: 'test'},
	{name: 'field7', type: 'TIMESTAMP' as const, comment: 'test'},
	{name: 'field8', type: 'BOOLEAN' as const, comment: 'test'},
	{name: 'field9', type: 'SMALLINT' as const, notNull: true, comment: 'test9'},
	{name: 'field10', type: 'TINYINT' as const, notNull: true, comment: 'test10'},
];

test('createProject is idempotent: 201 → created, ProjectAlreadyExist → created:false; list and get', async t => {
	const {fake} = t.context;
	fake.route({method: 'POST', path: '/projects/test_project', reply: (_request, count) => (count === 1 ? {status: 201} : {status: 400, body: {ErrorCode: 'ProjectAlreadyExist', ErrorMessage: 'The specified project already exists.'}})});
	fake.route({method: 'GET', path: '/projects', reply: () => ({status: 200, body: {ProjectNames: ['project1', 'project2']}})});
	fake.route({method: 'GET', path: '/projects/test_project', reply: () => ({status: 200, body: {CreateTime: 1, LastModifyTime: 2, Comment: 'test'}})});
	const {client, logger} = clientFor(fake);

	t.deepEqual(await client.createProject('test_project', 'test_comment'), {created: true});
	t.is(fake.seen[0]?.body, '{"Comment":"test_comment"}', 'the Go SDK TestCreateProject body');
	t.deepEqual(await client.createProject('test_project', 'test_comment'), {created: false});
	t.deepEqual(await client.listProjects(), ['project1', 'project2']);
	t.deepEqual(await client.getProject('test_project'), {name: 'test_project', comment: 'test', createTime: 1, lastModifyTime: 2});
	t.true(fake.seen.every(request => request.headers['content-type'] === 'application/json'), 'Content-Type on every request, GET included');
	t.true(logger.lines.some(line => line.includes('datahub.CreateProject POST') && line.includes('-> 201') && line.includes('request-id req-1')));
	t.is(logger.lines.filter(line => line.includes('datahub.CreateProject')).length, 2, 'AlreadyExist is not retried');
	await t.throwsAsync(client.createProject('test-', 'x'), {instanceOf: UsageError});
	await t.throwsAsync(client.createProject('test_project', ''), {instanceOf: UsageError});
});

test('createTopic sends the Go SDK TestCreateTupleTopic body; getTopic parses the schema string', async t => {
	const {fake} = t.context;
	fake.route({method: 'POST', path: '/projects/test_project/topics/test_topic', reply: (_request, count) => (count === 1 ? {status: 201} : {status: 400, body: {ErrorCode: 'TopicAlreadyExist', ErrorMessage: 'The specified topic already exists.'}})});
	fake.route({
		method: 'GET',
		path: '/projects/test_project/topics/test_topic',
		reply: () => ({status: 200, body: {
			Comment: 'test topic tuple', CreateTime: 1_525_763_481, LastModifyTime: 1_525_763_481, Lifecycle: 1,
			RecordSchema: '{"fields":[{"name":"field1","type":"STRING"},{"name":"field5","type":"DOUBLE"},{"name":"field7","type":"TIMESTAMP","notnull":false},{"name":"field8","type":"BOOLEAN","notnull":true},{"name":"field10","type":"TINYINT","Comment":"test"}]}',
			RecordType: 'TUPLE', ShardCount: 4, ExpandMode: 'split', Status: 'off',
		}}),
	});
	const {client} = clientFor(fake);
	t.deepEqual(await client.createTopic('test_project', 'test_topic', {shardCount: 1, lifecycle: 1, fields: fixtureSchemaFields, comment: 'test comment'}), {created: true});
	const expected = '{"Action":"create","ShardCount":1,"Lifecycle":1,"RecordType":"TUPLE","RecordSchema":"{\\"fields\\":[{\\"name\\":\\"field1\\",\\"type\\":\\"STRING\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field2\\",\\"type\\":\\"INTEGER\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field3\\",\\"type\\":\\"BIGINT\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field4\\",\\"type\\":\\"FLOAT\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field5\\",\\"type\\":\\"DOUBLE\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field6\\",\\"type\\":\\"DECIMAL\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field7\\",\\"type\\":\\"TIMESTAMP\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field8\\",\\"type\\":\\"BOOLEAN\\",\\"comment\\":\\"test\\"},{\\"name\\":\\"field9\\",\\"type\\":\\"SMALLINT\\",\\"notnull\\":true,\\"comment\\":\\"test9\\"},{\\"name\\":\\"field10\\",\\"type\\":\\"TINYINT\\",\\"notnull\\":true,\\"comment\\":\\"test10\\"}]}","Comment":"test comment","ExpandMode":""}';
	t.is(fake.seen[0]?.body, expected);
	t.deepEqual(await client.createTopic('test_project', 'test_topic', {shardCount: 1, lifecycle: 1, fields: fixtureSchemaFields, comment: 'test comment'}), {created: false});

	const topic = await client.getTopic('test_project', 'test_topic');
	t.like(topic, {shardCount: 4, lifecycle: 1, recordType: 'TUPLE', comment: 'test topic tuple', createTime: 1_525_763_481, expandMode: 'split', status: 'off'});
	t.deepEqual(topic.schema?.fields.map(field => [field.name, field.type, field.notNull]), [['field1', 'STRING', false], ['field5', 'DOUBLE', false], ['field7', 'TIMESTAMP', false], ['field8', 'BOOLEAN', true], ['field10', 'TINYINT', false]]);
	t.is(topic.schema?.fields[4]?.comment, 'test');
});

test('waitForShardsActive polls list-shards until every shard is ACTIVE (Go TestWaitShard), or times out', async t => {
	const {fake} = t.context;
	const shard = (state: string) => ({Shards: [{ShardId: '0', State: state, ClosedTime: 100, BeginHashKey: '00000000000000000000000000000000', EndHashKey: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', ParentShardIds: [], LeftShardId: '0', RightShardId: '4294967295'}]});
	fake.route({method: 'GET', path: '/projects/test_project/topics/test_topic/shards', reply: (_request, count) => ({status: 200, body: shard(count < 3 ? 'OPENING' : 'ACTIVE')})});
	fake.route({method: 'GET', path: '/projects/test_project/topics/stuck/shards', reply: () => ({status: 200, body: shard('OPENING')})});
	const {client} = clientFor(fake);
	const progress: number[] = [];
	const shards = await client.waitForShardsActive('test_project', 'test_topic', {timeoutMs: 5000, onProgress: step => progress.push(step.active)});
	t.deepEqual(shards, [{shardId: '0', state: 'ACTIVE', beginHashKey: '00000000000000000000000000000000', endHashKey: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', parentShardIds: [], leftShardId: '0', rightShardId: '4294967295'}]);
	t.deepEqual(progress, [0, 0, 1]);

	const error = await t.throwsAsync(client.waitForShardsActive('test_project', 'stuck', {timeoutMs: 60}), {instanceOf: ServiceError});
	t.is(error.code, 'ShardsNotReady');
	t.regex(error.message, /1 OPENING/);
});

test('a partly failed PutRecords is retried for the failed indices only', async t => {
	const {fake} = t.context;
	const batches: string[][] = [];
	fake.route({
		method: 'POST',
		path: '/projects/test_project/topics/test_topic/shards',
		reply(request, count) {
			const body = JSON.parse(request.body) as {Action: string; Records: Array<{ShardId: string; Data: (string | null)[]}>};
			t.is(body.Action, 'pub');
			batches.push(body.Records.map(record => record.Data[0] ?? 'null'));
			const failed = count === 1 ? [1, 3] : count === 2 ? [1] : [];
			return {status: 200, body: {FailedRecordCount: failed.length, FailedRecords: failed.map(index => ({Index: index, ErrorCode: 'LimitExceeded', ErrorMessage: 'The query rate or throughput rate is exceeded.'}))}};
		},
	});
	const {client, logger} = clientFor(fake);
	const records = ['a', 'b', 'c', 'd'].map(value => ({shardId: '0', values: [value, null], attributes: {k: 'v'}}));
	const result = await client.putRecords('test_project', 'test_topic', records);
	t.deepEqual(result, {written: 4, failedAfterRetries: []});
	t.deepEqual(batches, [['a', 'b', 'c', 'd'], ['b', 'd'], ['d']]);
	t.deepEqual(JSON.parse(fake.seen[0]?.body ?? '{}').Records[0], {ShardId: '0', Data: ['a', null], Attributes: {k: 'v'}});
	t.true(logger.lines.some(line => line.includes('WARN') && line.includes('2 of 4 records failed (LimitExceeded)')));
});

test('PutRecords goes in requests DataHub takes: at most 10,000 records and 4 MB each, failures mapped back to the caller\'s indices', async t => {
	const {fake} = t.context;
	const sizes: number[] = [];
	fake.route({
		method: 'POST',
		path: '/projects/test_project/topics/test_topic/shards',
		reply(request, count) {
			t.true(Buffer.byteLength(request.body) <= 4 * 1024 * 1024, `request ${count} is within 4 MB`);
			sizes.push((JSON.parse(request.body) as {Records: unknown[]}).Records.length);
			return {status: 200, body: count === 2 ? {FailedRecordCount: 1, FailedRecords: [{Index: 0, ErrorCode: 'MalformedRecord', ErrorMessage: 'bad'}]} : {FailedRecordCount: 0, FailedRecords: []}};
		},
	});
	const {client} = clientFor(fake);
	const many = Array.from({length: 10_001}, (_, index) => ({shardId: '0', values: [String(index)]}));
	const result = await client.putRecords('test_project', 'test_topic', many, {tolerateFailures: true});
	t.deepEqual(sizes, [10_000, 1]);
	t.deepEqual(result.failedAfterRetries.map(failure => failure.index), [10_000], 'the second request\'s record 0 is the caller\'s 10,000');

	sizes.length = 0;
	const large = Array.from({length: 5}, () => ({shardId: '0', values: ['x'.repeat(1024 * 1024)]}));
	await client.putRecords('test_project', 'test_topic', large, {tolerateFailures: true});
	t.deepEqual(sizes, [3, 2]);
	await t.throwsAsync(client.putRecords('test_project', 'test_topic', [{shardId: '0', values: ['y'.repeat(4 * 1024 * 1024)]}]), {instanceOf: UsageError, message: /DataHub takes at most 4,194,304 bytes a request/});
});

test('a connection cut under PutRecords is not retried (the records may have been taken); under a read it is', async t => {
	const {fake} = t.context;
	fake.route({method: 'POST', path: '/projects/test_project/topics/test_topic/shards', reply: () => 'reset'});
	fake.route({method: 'GET', path: '/projects/test_project', reply: (_request, count) => (count === 1 ? 'reset' : {status: 200, body: {Comment: 'c'}})});
	const {client} = clientFor(fake);
	const error = await t.throwsAsync(client.putRecords('test_project', 'test_topic', [{shardId: '0', values: ['a']}]), {instanceOf: ServiceError});
	t.true(error.retryable, 'a later look-up and resend is worth it');
	t.is(fake.seen.filter(seen => seen.method === 'POST').length, 1);
	t.is((await client.getProject('test_project')).comment, 'c');
	t.is(fake.seen.filter(seen => seen.method === 'GET').length, 2);
});

test('a record the service rejects as malformed is not retried; the error carries its code, or the failures are returned', async t => {
	const {fake} = t.context;
	fake.route({
		method: 'POST',
		path: '/projects/test_project/topics/test_topic/shards',
		reply: () => ({status: 200, body: {FailedRecordCount: 1, FailedRecords: [{Index: 1, ErrorCode: 'MalformedRecord', ErrorMessage: 'The record is not well-formed.'}]}}),
	});
	const {client} = clientFor(fake);
	const records = [{shardId: '0', values: ['ok']}, {shardId: '0', values: ['bad']}];
	const error = await t.throwsAsync(client.putRecords('test_project', 'test_topic', records), {instanceOf: ServiceError});
	t.is(error.code, 'MalformedRecord');
	t.regex(error.message, /1 of 2 records were not written.*record 1 MalformedRecord/);
	t.is(fake.seen.length, 1);

	const tolerated = await client.putRecords('test_project', 'test_topic', records, {tolerateFailures: true});
	t.deepEqual(tolerated, {written: 1, failedAfterRetries: [{index: 1, code: 'MalformedRecord', message: 'The record is not well-formed.'}]});
	await t.throwsAsync(client.putRecords('test_project', 'test_topic', [{shardId: '0', values: [1 as unknown as string]}]), {instanceOf: UsageError});
});

test('Unauthorized is exit 3, not retried, and the secret appears nowhere', async t => {
	await t.context.fake.close();
	const fake = await startFake({secret: 'the-server-expects-another-secret'});
	t.context.fake = fake;
	fake.route({method: 'GET', path: '/projects', reply: () => ({status: 200, body: {ProjectNames: []}})});
	const {client, logger} = clientFor(fake);
	const error = await t.throwsAsync(client.listProjects(), {instanceOf: ServiceError});
	t.is(error.exitCode, 3);
	t.is(error.code, 'Unauthorized');
	t.is(error.status, 401);
	t.is(error.requestId, 'req-1');
	t.false(error.retryable);
	t.regex(error.hint ?? '', /AccessKey/);
	t.is(fake.seen.length, 1);
	t.false(`${error.message} ${error.hint ?? ''}`.includes(keys.accessKeySecret));
	t.false(logger.lines.some(line => line.includes(keys.accessKeySecret)));
});

test('STS keys send and sign x-datahub-security-token', async t => {
	await t.context.fake.close();
	const fake = await startFake({securityToken: 'CAISfakeStsToken=='});
	t.context.fake = fake;
	fake.route({method: 'GET', path: '/projects', reply: () => ({status: 200, body: {ProjectNames: ['p']}})});
	const withToken = clientFor(fake, {credentials: provider({securityToken: 'CAISfakeStsToken=='})}).client;
	t.deepEqual(await withToken.listProjects(), ['p']);
	const withoutToken = clientFor(fake).client;
	t.is((await t.throwsAsync(withoutToken.listProjects(), {instanceOf: ServiceError})).exitCode, 3);
});

test('503 twice, then success; a reset connection is retried too', async t => {
	const {fake} = t.context;
	fake.route({method: 'GET', path: '/projects', reply: (_request, count) => (count <= 2 ? {status: 503, body: {ErrorCode: 'ServiceUnavailable', ErrorMessage: 'busy'}} : {status: 200, body: {ProjectNames: ['p']}})});
	fake.route({method: 'GET', path: '/projects/test_project/topics', reply: (_request, count) => (count === 1 ? 'reset' : {status: 200, body: {TopicNames: ['topic1', 'topic2']}})});
	const {client, logger} = clientFor(fake);
	t.deepEqual(await client.listProjects(), ['p']);
	const calls = logger.lines.filter(line => line.includes('datahub.ListProjects'));
	t.is(calls.length, 3);
	t.true(calls[0]?.includes('-> 503'));
	t.true(calls[2]?.includes('attempt 3') && calls[2].includes('-> 200'));

	t.deepEqual(await client.listTopics('test_project'), ['topic1', 'topic2']);
	t.true(logger.lines.some(line => line.includes('datahub.ListTopics') && line.includes('network-error')));
});

test('retries stop after the configured attempts; LimitExceeded is retryable, 400s are not', async t => {
	const {fake} = t.context;
	fake.route({method: 'GET', path: '/projects', reply: () => ({status: 400, body: {ErrorCode: 'LimitExceeded', ErrorMessage: 'slow down'}})});
	fake.route({method: 'GET', path: '/projects/test_project/topics', reply: () => ({status: 400, body: {ErrorCode: 'InvalidParameter', ErrorMessage: 'bad'}})});
	const {client} = clientFor(fake, {retry: {attempts: 3, baseDelayMs: 1, maxDelayMs: 2}});
	const error = await t.throwsAsync(client.listProjects(), {instanceOf: ServiceError});
	t.is(error.code, 'LimitExceeded');
	t.true(error.retryable);
	t.is(fake.seen.length, 3);
	await t.throwsAsync(client.listTopics('test_project'), {instanceOf: ServiceError, message: /InvalidParameter: bad/});
	t.is(fake.seen.length, 4);
});

test('NoSuchTopic and NoSuchProject carry a hint naming what to create', async t => {
	const {fake} = t.context;
	fake.route({method: 'GET', path: '/projects/test_project/topics/missing', reply: () => ({status: 404, body: {ErrorCode: 'NoSuchTopic', ErrorMessage: 'The specified topic name does not exist.'}})});
	fake.route({method: 'GET', path: '/projects/unexisted/topics', reply: () => ({status: 404, body: {ErrorCode: 'NoSuchProject', ErrorMessage: 'The specified project name does not exist.'}})});
	const {client} = clientFor(fake);
	const topic = await t.throwsAsync(client.getTopic('test_project', 'missing'), {instanceOf: ServiceError});
	t.is(topic.code, 'NoSuchTopic');
	t.is(topic.exitCode, 1);
	t.regex(topic.hint ?? '', /Create the topic "missing" in project "test_project"/);
	const project = await t.throwsAsync(client.listTopics('unexisted'), {instanceOf: ServiceError});
	t.regex(project.hint ?? '', /Create the DataHub project "unexisted"/);
	t.is(fake.seen.length, 2, 'not found is not retried');
});

test('getCursor and getRecords (Go TestGetCursor body, Python tuple fixture)', async t => {
	const {fake} = t.context;
	fake.route({
		method: 'POST',
		path: '/projects/test_project/topics/test_topic/shards/0',
		reply(request) {
			const body = JSON.parse(request.body) as {Action: string};
			return body.Action === 'cursor'
				? {status: 200, body: {Cursor: '30005af19b3800000000000000000000', RecordTime: 1_525_783_352_873, Sequence: 1}}
				: {status: 200, body: {NextCursor: '20000000000000000000000000830010', RecordCount: 1, StartSeq: 0, Records: [{SystemTime: 1_526_293_795_168, Sequence: 0, NextCursor: '20000000000000000000000000830010', Data: ['1', 'yc1', '10.01', 'false', '1455869335000000', null], Attributes: {string: 'string'}}]}};
		},
	});
	const {client} = clientFor(fake);
	t.deepEqual(await client.getCursor('test_project', 'test_topic', '0', {type: 'OLDEST'}), {cursor: '30005af19b3800000000000000000000', sequence: 1, recordTime: 1_525_783_352_873});
	t.is(fake.seen[0]?.body, '{"Action":"cursor","Type":"OLDEST"}');
	await client.getCursor('test_project', 'test_topic', '0', {type: 'SEQUENCE', sequence: 10});
	t.is(fake.seen[1]?.body, '{"Action":"cursor","Type":"SEQUENCE","Sequence":10}');
	await client.getCursor('test_project', 'test_topic', '0', {type: 'SYSTEM_TIME', systemTimeMs: 1_525_783_352_873});
	t.is(fake.seen[2]?.body, '{"Action":"cursor","Type":"SYSTEM_TIME","SystemTime":1525783352873}');
	await t.throwsAsync(client.getCursor('test_project', 'test_topic', '0', {type: 'SEQUENCE'}), {instanceOf: UsageError});

	const page = await client.getRecords('test_project', 'test_topic', '0', '30005af19b3800000000000000000000', 10);
	t.is(fake.seen[3]?.body, '{"Action":"sub","Cursor":"30005af19b3800000000000000000000","Limit":10}');
	t.deepEqual(page, {nextCursor: '20000000000000000000000000830010', records: [{sequence: 0, systemTimeMs: 1_526_293_795_168, values: ['1', 'yc1', '10.01', 'false', '1455869335000000', null], attributes: {string: 'string'}}]});
});

const odpsConfig = {
	TimestampUnit: 'MICROSECOND', OdpsEndpoint: 'OdpsEndpoint', Project: 'test_project', Table: 'test_table', AccessId: 'test_ak', AccessKey: 'test_sk_secret_value',
	TimeRange: 15, PartitionMode: 'SYSTEM_TIME', PartitionConfig: {ds: '%Y%m%d', hh: '%H', mm: '%M'}, TunnelEndpoint: 'TunnelEndpoint',
};

test('createConnector sends the Go TestCreateOdpsConnector body; ConnectorAlreadyExist finds the existing id', async t => {
	const {fake} = t.context;
	fake.route({method: 'POST', path: '/projects/test_project/topics/test_topic/connectors/sink_odps', reply: (_request, count) => (count === 1 ? {status: 200, body: {ConnectorId: 'test_connector_id'}} : {status: 400, body: {ErrorCode: 'ConnectorAlreadyExist', ErrorMessage: 'The connector already exists.'}})});
	fake.route({method: 'GET', path: '/projects/test_project/topics/test_topic/connectors', reply: request => (request.rawQuery === 'mode=id' ? {status: 200, body: {Connectors: ['sink_oss_1', 'test_connector_id']}} : {status: 400, body: {ErrorCode: 'InvalidParameter', ErrorMessage: 'mode'}})});
	fake.route({method: 'GET', path: /^\/projects\/test_project\/topics\/test_topic\/connectors\/[\w-]+$/, reply: request => ({status: 200, body: {ConnectorId: request.path.split('/').pop(), Type: request.path.endsWith('test_connector_id') ? 'sink_odps' : 'sink_oss', State: 'CONNECTOR_RUNNING', Config: {}}})});
	const {client, logger} = clientFor(fake);
	const first = await client.createConnector('test_project', 'test_topic', 'sink_odps', {columnFields: ['field1', 'field2'], config: odpsConfig});
	t.deepEqual(first, {connectorId: 'test_connector_id', created: true});
	t.is(fake.seen[0]?.body, '{"Action":"create","Type":"sink_odps","SinkStartTime":-1,"ColumnFields":["field1","field2"],"Config":{"TimestampUnit":"MICROSECOND","OdpsEndpoint":"OdpsEndpoint","Project":"test_project","Table":"test_table","AccessId":"test_ak","AccessKey":"test_sk_secret_value","TimeRange":15,"PartitionMode":"SYSTEM_TIME","PartitionConfig":{"ds":"%Y%m%d","hh":"%H","mm":"%M"},"TunnelEndpoint":"TunnelEndpoint"}}');

	const again = await client.createConnector('test_project', 'test_topic', 'sink_odps', {columnFields: ['field1', 'field2'], config: odpsConfig});
	t.deepEqual(again, {connectorId: 'test_connector_id', created: false});
	t.false(logger.lines.some(line => line.includes('test_sk_secret_value')));
});

test('getConnector normalises the Go TestGetOdpsConnector answer: string Config values, PartitionConfig list', async t => {
	const {fake} = t.context;
	fake.route({
		method: 'GET',
		path: '/projects/test_project/topics/test_topic/connectors/connector_id',
		reply: request => (request.rawQuery === 'donetime'
			? {status: 200, body: {DoneTime: 1_610_092_800, TimeWindow: 7200, TimeZone: 'Asia/Shanghai'}}
			: {status: 200, body: JSON.parse('{"ClusterAddress":"address","ColumnFields":["char_test","varchar_test","num"],"ColumnNameMap":{},"Config":{"OdpsEndpoint":"endpoint","PartitionConfig":"[{\\"key\\":\\"ds\\",\\"value\\":\\"%Y%m%d\\"},{\\"key\\":\\"hh\\",\\"value\\":\\"%H\\"},{\\"key\\":\\"mm\\",\\"value\\":\\"%M\\"}]","PartitionField":"[\\"ds:STRING\\",\\"hh:STRING\\",\\"mm:STRING\\"]","PartitionMode":"SYSTEM_TIME","Project":"odps_project","Table":"odps_table","TableCreateTime":"1610095420","TimeRange":"120","TimeZone":"Asia/Shanghai","TimestampUnit":"MICROSECOND","TunnelEndpoint":"tunnel_endpoint"},"ConnectorId":"connector_id","CreateTime":1610095524,"Creator":"1324","ExtraInfo":{"SubscriptionId":"1610095525500LZHF8"},"LastModifyTime":1610095524,"Owner":"5678","ShardContexts":[{"CurrentSequence":3,"CurrentTimestamp":1610096918736,"DiscardCount":1,"DoneTime":1610092800,"LastErrorMessage":"Access denied by project ip white list: sourceIP:\'11.11.11.11\' is not in white list. project: odps_test_project","ShardId":"0","State":"CONTEXT_HANG","UpdateTime":1614765291,"WorkerAddress":"worker"}],"State":"CONNECTOR_RUNNING","Type":"sink_odps"}') as unknown}),
	});
	const {client} = clientFor(fake);
	const connector = await client.getConnector('test_project', 'test_topic', 'connector_id');
	t.like(connector, {connectorId: 'connector_id', type: 'sink_odps', state: 'CONNECTOR_RUNNING', creator: '1324', owner: '5678', createTime: 1_610_095_524, subscriptionId: '1610095525500LZHF8', timeRange: 120});
	t.deepEqual(connector.columnFields, ['char_test', 'varchar_test', 'num']);
	t.deepEqual(connector.partitionConfig, [{key: 'ds', value: '%Y%m%d'}, {key: 'hh', value: '%H'}, {key: 'mm', value: '%M'}]);
	t.is(connector.config.TimeRange, '120');
	t.is(connector.config.Project, 'odps_project');
	t.is(connector.config.TunnelEndpoint, 'tunnel_endpoint');
	t.deepEqual(connector.shardContexts, [{shardId: '0', state: 'CONTEXT_HANG', currentSequence: 3, currentTimestamp: 1_610_096_918_736, doneTime: 1_610_092_800, lastErrorMessage: 'Access denied by project ip white list: sourceIP:\'11.11.11.11\' is not in white list. project: odps_test_project', discardCount: 1}]);

	t.deepEqual(await client.getConnectorDoneTime('test_project', 'test_topic', 'connector_id'), {doneTime: 1_610_092_800, timeWindow: 7200, timeZone: 'Asia/Shanghai'});
	t.is(fake.seen[1]?.rawQuery, 'donetime', 'a bare ?donetime, signed as a bare key');
});

test('getConnectorShardStatus (Go TestGetConnectorShardStatus) and updateConnectorState', async t => {
	const {fake} = t.context;
	fake.route({
		method: 'POST',
		path: '/projects/test_project/topics/test_topic/connectors/connector_id',
		reply(request) {
			const body = JSON.parse(request.body) as {Action: string};
			if (body.Action === 'Status') {
				return {status: 200, body: JSON.parse('{"ShardStatusInfos":{"1":{"CurrentSequence":30,"CurrentTimestamp":1610096918736,"DiscardCount":1,"DoneTime":1610092800,"LastErrorMessage":"","ShardId":"0","State":"CONTEXT_HANG","UpdateTime":1614765291,"WorkerAddress":"worker2"},"0":{"CurrentSequence":3,"CurrentTimestamp":1610096918736,"DiscardCount":10,"DoneTime":1610092800,"LastErrorMessage":"","ShardId":"0","State":"CONTEXT_EXECUTING","UpdateTime":1614765291,"WorkerAddress":"worker1"}}}') as unknown};
			}

			return {status: 200};
		},
	});
	const {client} = clientFor(fake);
	const status = await client.getConnectorShardStatus('test_project', 'test_topic', 'connector_id');
	t.is(fake.seen[0]?.body, '{"Action":"Status"}');
	t.deepEqual(status, [
		{shardId: '0', state: 'CONTEXT_EXECUTING', currentSequence: 3, currentTimestamp: 1_610_096_918_736, doneTime: 1_610_092_800, lastErrorMessage: '', discardCount: 10},
		{shardId: '1', state: 'CONTEXT_HANG', currentSequence: 30, currentTimestamp: 1_610_096_918_736, doneTime: 1_610_092_800, lastErrorMessage: '', discardCount: 1},
	]);

	await client.updateConnectorState('test_project', 'test_topic', 'connector_id', 'CONNECTOR_STOPPED');
	t.is(fake.seen[1]?.body, '{"Action":"UpdateState","State":"CONNECTOR_STOPPED"}');
});

test('an aborted call is InterruptedError and a slow answer times out', async t => {
	const {fake} = t.context;
	fake.route({method: 'GET', path: '/projects', reply: () => ({status: 200, body: {ProjectNames: []}})});
	const {client} = clientFor(fake);
	const controller = new AbortController();
	controller.abort();
	await t.throwsAsync(client.listProjects({signal: controller.signal}), {instanceOf: InterruptedError});

	const slow = http.createServer(() => undefined);
	await new Promise<void>(resolve => slow.listen(0, '127.0.0.1', resolve));
	try {
		const {port} = slow.address() as AddressInfo;
		const {client: timing, logger} = clientFor({...fake, url: `http://127.0.0.1:${port}`}, {timeoutMs: 50, retry: {attempts: 2, baseDelayMs: 1, maxDelayMs: 2}});
		const error = await t.throwsAsync(timing.listProjects(), {instanceOf: ServiceError});
		t.is(error.code, 'Timeout');
		t.is(logger.lines.filter(line => line.includes('timeout')).length, 2, 'a timeout is retried');
	} finally {
		slow.closeAllConnections();
		await new Promise<void>(resolve => slow.close(() => resolve()));
	}
});
