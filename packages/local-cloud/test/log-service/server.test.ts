import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import anyTest, {type TestFn} from 'ava';
import {startLogServiceStandIn, type LogServiceStandInHandle} from '../../source/log-service/server.js';
import {compressLz4Block, encodeLogGroup, logRequest, type LogCall, type LogKeys, type TestLog} from '../helpers/log-service-request.js';

const test = anyTest as TestFn<{dataDir: string; standIn: LogServiceStandInHandle}>;
const region = 'ap-southeast-1';
const keys: LogKeys = {accessKeyId: 'LTAIlogkey01', secret: 'log-secret-Qw12'};
const project = 'ferry-logs';
const base = 1_700_000_000;
const now = () => (base + 3600) * 1000;

async function start(dataDir: string) {
	return startLogServiceStandIn({dataDir, region, credentials: {accessKeyId: keys.accessKeyId, secret: keys.secret}, now});
}

test.beforeEach(async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-sls-'));
	t.context = {dataDir, standIn: await start(dataDir)};
});

test.afterEach.always(async t => {
	await t.context.standIn.close();
	await rm(t.context.dataDir, {recursive: true, force: true});
});

const call = async (standIn: LogServiceStandInHandle, request: LogCall) => logRequest(standIn.port, region, keys, {date: new Date(now()), ...request});

async function setUp(standIn: LogServiceStandInHandle, withIndex = true) {
	t_ok(await call(standIn, {method: 'POST', path: '/', body: {projectName: project, description: 'test'}}));
	t_ok(await call(standIn, {method: 'POST', path: '/logstores', project, body: {logstoreName: 'orders', ttl: 30, shardCount: 2}}));
	if (withIndex) await createIndex(standIn);
}

function t_ok(answer: {status: number; text: string}) {
	if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status} ${answer.text}`);
}

async function createIndex(standIn: LogServiceStandInHandle) {
	t_ok(await call(standIn, {method: 'POST', path: '/logstores/orders/index', project, body: {line: {token: [' ', ',', ':'], caseSensitive: false}, keys: {status: {type: 'text'}, amount: {type: 'double'}}}}));
}

async function putLogs(standIn: LogServiceStandInHandle, logs: TestLog[], options: {topic?: string; compress?: 'lz4' | 'deflate'} = {}) {
	const raw = encodeLogGroup({logs, topic: options.topic ?? '', source: '10.0.0.1', tags: {run: 'r1'}});
	const body = options.compress === 'lz4' ? compressLz4Block(raw) : options.compress === 'deflate' ? zlib.deflateSync(raw) : raw;
	return call(standIn, {
		method: 'POST', path: '/logstores/orders/shards/lb', project, body,
		headers: {'content-type': 'application/x-protobuf', 'x-log-bodyrawsize': String(raw.length), ...(options.compress ? {'x-log-compresstype': options.compress} : {})},
	});
}

const orders = (count: number, start = base): TestLog[] => Array.from({length: count}, (_, index) => ({time: start + index, contents: {status: index % 2 ? 'paid' : 'open', amount: String(index + 1), note: `order ${index}`}}));

const getLogs = async (standIn: LogServiceStandInHandle, query: Record<string, string>) => call(standIn, {method: 'GET', path: '/logstores/orders', project, query: {type: 'log', from: String(base), to: String(base + 1000), ...query}});

test('signature: a good one passes; a bad one, an unknown key and a skewed Date get the documented errors', async t => {
	const {standIn} = t.context;
	const ok = await call(standIn, {method: 'GET', path: '/'});
	t.is(ok.status, 200);
	t.deepEqual(ok.json, {count: 0, total: 0, projects: []});
	t.regex(String(ok.headers['x-log-requestid']), /^[\dA-F]{24}$/);

	const bad = await call(standIn, {method: 'GET', path: '/', signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='});
	t.is(bad.status, 401);
	t.is(bad.json.errorCode, 'SignatureNotMatch');
	t.is(typeof bad.json.errorMessage, 'string');

	const unknown = await logRequest(standIn.port, region, {...keys, accessKeyId: 'LTAIother'}, {method: 'GET', path: '/', date: new Date(now())});
	t.is(unknown.status, 401);
	t.is(unknown.json.errorCode, 'Unauthorized');
	t.is(unknown.json.errorMessage, 'AccessKeyId not found: LTAIother');

	const skewed = await call(standIn, {method: 'GET', path: '/', date: new Date(now() - (16 * 60_000))});
	t.is(skewed.status, 400);
	t.is(skewed.json.errorCode, 'RequestTimeExpired');
	const withinSkew = await call(standIn, {method: 'GET', path: '/', date: new Date(now() - (14 * 60_000))});
	t.is(withinSkew.status, 200);

	const tampered = await call(standIn, {method: 'POST', path: '/', body: {projectName: 'abc'}, headers: {'content-md5': 'D41D8CD98F00B204E9800998ECF8427E'}});
	t.is(tampered.json.errorCode, 'ParameterInvalid');
});

test('projects, logstores and indexes: create, get, conflicts and missing things', async t => {
	const {standIn} = t.context;
	await setUp(standIn, false);
	const again = await call(standIn, {method: 'POST', path: '/', body: {projectName: project, description: ''}});
	t.is(again.json.errorCode, 'ProjectAlreadyExist');
	const got = await call(standIn, {method: 'GET', path: '/', project});
	t.is(got.json.projectName, project);
	t.is((await call(standIn, {method: 'GET', path: '/', project: 'nope-project'})).json.errorCode, 'ProjectNotExist');

	const store = await call(standIn, {method: 'GET', path: '/logstores/orders', project});
	t.like(store.json, {logstoreName: 'orders', ttl: 30, shardCount: 2});
	t.is((await call(standIn, {method: 'POST', path: '/logstores', project, body: {logstoreName: 'orders', ttl: 30, shardCount: 2}})).json.errorCode, 'LogStoreAlreadyExist');
	t.is((await call(standIn, {method: 'GET', path: '/logstores/missing', project})).status, 404);
	t.is((await call(standIn, {method: 'GET', path: '/logstores/missing', project})).json.errorCode, 'LogStoreNotExist');
	t.is((await call(standIn, {method: 'POST', path: '/logstores', project, body: {logstoreName: 'Bad Name', ttl: 30, shardCount: 2}})).json.errorCode, 'ParameterInvalid');

	t.is((await call(standIn, {method: 'GET', path: '/logstores/orders/index', project})).json.errorCode, 'IndexConfigNotExist');
	const noIndexQuery = await getLogs(standIn, {query: '*'});
	t.is(noIndexQuery.json.errorCode, 'IndexConfigNotExist');
	await createIndex(standIn);
	t.is((await call(standIn, {method: 'POST', path: '/logstores/orders/index', project, body: {line: {}}})).json.errorCode, 'IndexAlreadyExist');
	const index = await call(standIn, {method: 'GET', path: '/logstores/orders/index', project});
	t.deepEqual((index.json.keys as Record<string, unknown>).amount, {type: 'double'});
	t.like(index.json, {ttl: 30, max_text_len: 2048});

	const unknownApi = await call(standIn, {method: 'GET', path: '/machinegroups', project});
	t.not(unknownApi.status, 200);
	t.is(typeof unknownApi.json.errorCode, 'string');
	t.is((await call(standIn, {method: 'POST', path: '/', body: Buffer.from('not json')})).json.errorCode, 'PostBodyInvalid');
});

test('PutLogs plain, deflate and lz4; logs written before the index are not searchable', async t => {
	const {standIn} = t.context;
	await setUp(standIn, false);
	t.is((await putLogs(standIn, orders(5, base - 100))).status, 200);
	await createIndex(standIn);
	const plain = await putLogs(standIn, orders(4));
	t.is(plain.status, 200);
	t.is(plain.text, '');
	t.is((await putLogs(standIn, orders(3, base + 10), {compress: 'deflate'})).status, 200);
	t.is((await putLogs(standIn, orders(2, base + 20), {compress: 'lz4'})).status, 200);

	const all = await call(standIn, {method: 'GET', path: '/logstores/orders', project, query: {type: 'log', from: String(base - 1000), to: String(base + 1000), query: '*'}});
	t.is(all.headers['x-log-progress'], 'Complete');
	t.is(all.headers['x-log-count'], '9');
	t.like(all.list[0], {__time__: String(base), __topic__: '', __source__: '10.0.0.1', status: 'open', amount: '1', '__tag__:run': 'r1'});

	const raw = encodeLogGroup({logs: orders(1)});
	const wrongSize = await call(standIn, {method: 'POST', path: '/logstores/orders/shards/lb', project, body: compressLz4Block(raw), headers: {'content-type': 'application/x-protobuf', 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': String(raw.length + 3)}});
	t.is(wrongSize.status, 400);
	const unknownCompression = await call(standIn, {method: 'POST', path: '/logstores/orders/shards/lb', project, body: raw, headers: {'content-type': 'application/x-protobuf', 'x-log-compresstype': 'snappy'}});
	t.is(unknownCompression.json.errorCode, 'InvalidCompressType');
	const tooLarge = await call(standIn, {method: 'POST', path: '/logstores/orders/shards/lb', project, body: raw, headers: {'content-type': 'application/x-protobuf', 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': String(11 * 1024 * 1024)}});
	t.is(tooLarge.status, 413);
	t.is(tooLarge.json.errorCode, 'PostBodyTooLarge');
	const garbage = await call(standIn, {method: 'POST', path: '/logstores/orders/shards/lb', project, body: Buffer.from([0x0A, 0x05, 0x08]), headers: {'content-type': 'application/x-protobuf'}});
	t.is(garbage.json.errorCode, 'PostBodyInvalid');
	const routed = await call(standIn, {method: 'POST', path: '/logstores/orders/shards/route', project, query: {key: 'ffffffffffffffffffffffffffffffff'}, body: raw, headers: {'content-type': 'application/x-protobuf'}});
	t.is(routed.status, 200);
});

test('GetLogs and GetHistograms count by window, topic and search; analytic SQL counts, sums and groups', async t => {
	const {standIn} = t.context;
	await setUp(standIn);
	await putLogs(standIn, orders(6), {topic: 'run-a'});
	await putLogs(standIn, orders(4, base + 100), {topic: 'run-b'});

	t.is((await getLogs(standIn, {query: '*'})).headers['x-log-count'], '10');
	t.is((await getLogs(standIn, {query: '*', topic: 'run-a'})).headers['x-log-count'], '6');
	t.is((await getLogs(standIn, {query: '*', to: String(base + 3)})).headers['x-log-count'], '3');
	t.is((await getLogs(standIn, {query: 'status: paid'})).headers['x-log-count'], '5');
	t.is((await getLogs(standIn, {query: 'status: paid and amount: 2'})).headers['x-log-count'], '2');
	t.is((await getLogs(standIn, {query: 'order'})).headers['x-log-count'], '10');
	t.is((await getLogs(standIn, {query: 'note: x'})).json.errorCode, 'ParameterInvalid');
	t.is((await getLogs(standIn, {query: '__tag__:run: r1 and __topic__: run-a'})).headers['x-log-count'], '6');
	t.is((await getLogs(standIn, {query: '__topic__: run'})).headers['x-log-count'], '0');
	const page = await getLogs(standIn, {query: '*', line: '2', offset: '1', reverse: 'true'});
	t.deepEqual(page.list.map(log => log.__time__), [String(base + 102), String(base + 101)]);

	const count = await getLogs(standIn, {query: '* | select count(*) as cnt'});
	t.deepEqual(count.list, [{cnt: '10'}]);
	t.is(count.headers['x-log-progress'], 'Complete');
	const scoped = await getLogs(standIn, {query: 'status: open | select count(*) as cnt, sum(cast(amount as double)) as total', topic: 'run-a'});
	t.deepEqual(scoped.list, [{cnt: '3', total: '9.0'}]);
	const grouped = await getLogs(standIn, {query: '* | select __topic__, count(*) as cnt, count(distinct status) as kinds group by __topic__ order by cnt desc'});
	t.deepEqual(grouped.list, [{__topic__: 'run-a', cnt: '6', kinds: '2'}, {__topic__: 'run-b', cnt: '4', kinds: '2'}]);
	const byField = await getLogs(standIn, {query: '* | select status, max(__time__) as last where missing is null group by status order by status limit 1'});
	t.deepEqual(byField.list, [{status: 'open', last: String(base + 102)}]);
	const injection = await getLogs(standIn, {query: '* | select count(*) as cnt where status = \'x\'\'; drop table logs; --\''});
	t.deepEqual(injection.list, [{cnt: '0'}]);
	const bad = await getLogs(standIn, {query: '* | delete from log'});
	t.is(bad.status, 400);
	t.is(bad.json.errorCode, 'ParameterInvalid');

	const histogram = await call(standIn, {method: 'GET', path: '/logstores/orders', project, query: {type: 'histogram', from: String(base), to: String(base + 120), query: 'status: paid'}});
	t.is(histogram.headers['x-log-count'], '5');
	t.is(histogram.list.reduce((sum, bucket) => sum + Number(bucket.count), 0), 5);
	t.true(histogram.list.every(bucket => bucket.progress === 'Complete' && Number(bucket.from) < Number(bucket.to)));
	t.is((await getLogs(standIn, {query: '*', from: String(base), to: String(base)})).json.errorCode, 'ParameterInvalid');
});

test('logs older than the TTL are not kept; data persists across close and start', async t => {
	const {standIn, dataDir} = t.context;
	await setUp(standIn);
	await putLogs(standIn, orders(3));
	await putLogs(standIn, orders(2, base - (40 * 86_400)));
	await standIn.close();
	const restarted = await start(dataDir);
	t.context.standIn = restarted;
	const count = await call(restarted, {method: 'GET', path: '/logstores/orders', project, query: {type: 'log', from: String(base - (50 * 86_400)), to: String(base + 10), query: '* | select count(*) as cnt'}});
	t.deepEqual(count.list, [{cnt: '3'}]);
	t.is((await call(restarted, {method: 'GET', path: '/logstores/orders/index', project})).status, 200);
});

test('injected faults answer with the service error shape', async t => {
	const {standIn} = t.context;
	standIn.injectFault({status: 503, code: 'ServerBusy', count: 1});
	const busy = await call(standIn, {method: 'GET', path: '/'});
	t.is(busy.status, 503);
	t.is(busy.json.errorCode, 'ServerBusy');
	t.is((await call(standIn, {method: 'GET', path: '/'})).status, 200);
	t.is(standIn.url, `http://${region}.log.localhost:${standIn.port}`);
});

test('logstore names are lower-case: an upper-case letter is refused as the naming rule says', async t => {
	const {standIn} = t.context;
	t_ok(await call(standIn, {method: 'POST', path: '/', body: {projectName: project, description: 'test'}}));
	const upper = await call(standIn, {method: 'POST', path: '/logstores', project, body: {logstoreName: 'Orders', ttl: 30, shardCount: 1}});
	t.is(upper.status, 400);
	t.is(upper.json.errorCode, 'ParameterInvalid');
	t_ok(await call(standIn, {method: 'POST', path: '/logstores', project, body: {logstoreName: 'orders_2-x', ttl: 30, shardCount: 1}}));
});
