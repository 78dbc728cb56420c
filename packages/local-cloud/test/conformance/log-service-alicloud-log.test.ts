/**
 * The official Log Service SDK for Node (@alicloud/log), an independent client, against the local Log Service
 * stand-in: projects, logstores, indexes, PutLogs, GetLogs (search and SQL) and GetHistograms behave as the service
 * documents them, errors included. The SDK puts the project in the host (`project.region.log.localhost`), which
 * Node's resolver does not map to 127.0.0.1; each call's `options` reach httpx.request, so an `agent` with its own
 * lookup supplies that, as a user would for any *.localhost name. The stand-in runs on the real clock, because the
 * SDK dates its requests with the real one.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import type http from 'node:http';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {startLogServiceStandIn, type LogServiceStandInHandle} from '../../source/log-service/server.js';
import {loopbackAgent as createLoopbackAgent} from '../helpers/loopback-agent.js';

type LogRow = Record<string, string>;
type SdkError = Error & {code?: string; requestid?: string};
type Options = {agent: http.Agent};
type SlsClient = {
	createProject(project: string, data: {description?: string}, options?: Options): Promise<unknown>;
	getProject(project: string, options?: Options): Promise<Record<string, unknown>>;
	listLogStore(project: string, data?: {logstoreName?: string; offset?: number; size?: number}, options?: Options): Promise<{count: number; total: number; logstores: string[]}>;
	createLogStore(project: string, logstore: string, data: {ttl?: number; shardCount?: number}, options?: Options): Promise<unknown>;
	getLogStore(project: string, logstore: string, options?: Options): Promise<Record<string, unknown>>;
	deleteLogStore(project: string, logstore: string, options?: Options): Promise<unknown>;
	deleteProject(project: string, options?: Options): Promise<unknown>;
	updateLogStore(project: string, logstore: string, data: {ttl?: number; shardCount?: number}, options?: Options): Promise<unknown>;
	createIndex(project: string, logstore: string, index: unknown, options?: Options): Promise<unknown>;
	updateIndex(project: string, logstore: string, index: unknown, options?: Options): Promise<unknown>;
	getIndexConfig(project: string, logstore: string, options?: Options): Promise<Record<string, unknown>>;
	deleteIndex(project: string, logstore: string, options?: Options): Promise<unknown>;
	postLogStoreLogs(project: string, logstore: string, data: {logs: Array<{timestamp: number; content: Record<string, string>; timestampNsPart?: number}>; tags?: Array<Record<string, string>>; topic?: string; source?: string}, options?: Options): Promise<unknown>;
	getLogs(project: string, logstore: string, from: Date, to: Date, data?: Record<string, unknown>, options?: Options): Promise<LogRow[]>;
	getHistograms(project: string, logstore: string, from: Date, to: Date, data?: Record<string, unknown>, options?: Options): Promise<Array<{from: number; to: number; count: number; progress: string}>>;
};
type Credentials = {accessKeyId: string; accessKeySecret: string; securityToken?: string};
type SlsClientClass = new (config: (Credentials | {credentialsProvider: {getCredentials(): Promise<Credentials>}}) & {endpoint: string}) => SlsClient;

// The SDK is CommonJS without type definitions.
const Client = createRequire(import.meta.url)('@alicloud/log') as SlsClientClass;

const region = 'cn-shanghai';
const keys = {accessKeyId: 'LTAIsdkconformance', secret: 'sdk-conformance-Secret-42'};
let dataDir: string;
let standIn: LogServiceStandInHandle;

const loopbackAgent = createLoopbackAgent();
const via: Options = {agent: loopbackAgent};

function client(secret = keys.secret): SlsClient {
	// An `http://` endpoint, as the SDK documents for a custom endpoint; the project becomes the host prefix.
	return new Client({accessKeyId: keys.accessKeyId, accessKeySecret: secret, endpoint: standIn.url});
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const window = (): [Date, Date] => [new Date((nowSeconds() - 600) * 1000), new Date((nowSeconds() + 600) * 1000)];

async function projectWithStore(project: string, logstore: string, index?: unknown): Promise<SlsClient> {
	const sls = client();
	t_empty(await sls.createProject(project, {description: 'sdk conformance'}, via));
	t_empty(await sls.createLogStore(project, logstore, {ttl: 30, shardCount: 2}, via));
	if (index) t_empty(await sls.createIndex(project, logstore, index, via));
	return sls;
}

function t_empty(answer: unknown): void {
	// The SDK resolves to '' for the service's empty 200 answers (its integration test asserts exactly that).
	if (answer !== '') throw new Error(`expected an empty answer, got ${JSON.stringify(answer)}`);
}

const ordersIndex = {
	line: {token: [',', ' ', '\'', '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'], caseSensitive: false},
	keys: {
		status: {type: 'text', token: [',', ' ', ';', '=', ':', '\n'], caseSensitive: false},
		amount: {type: 'double'},
		note: {type: 'text', token: [' ', '\n', '"'], caseSensitive: false},
	},
};

test.before(async () => {
	dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-sls-sdk-'));
	standIn = await startLogServiceStandIn({dataDir, region, credentials: {accessKeyId: keys.accessKeyId, secret: keys.secret}});
});

test.after.always(async () => {
	loopbackAgent.destroy();
	await standIn?.close();
	if (dataDir) await rm(dataDir, {recursive: true, force: true});
});

test('projects and logstores: create, get, list and update as the SDK\'s own integration test expects', async t => {
	const project = 'sdk-crud-project';
	const sls = client();
	t.is(await sls.createProject(project, {description: 'made by @alicloud/log'}, via), '');
	const got = await sls.getProject(project, via);
	t.is(got.projectName, project);
	t.is(got.description, 'made by @alicloud/log');
	t.is(got.region, region);

	t.is(await sls.createLogStore(project, 'crud-store', {ttl: 10, shardCount: 2}, via), '');
	t.is(await sls.createLogStore(project, 'crud-other', {ttl: 5, shardCount: 1}, via), '');
	const store = await sls.getLogStore(project, 'crud-store', via);
	t.like(store, {logstoreName: 'crud-store', ttl: 10, shardCount: 2});

	// listLogStore sends every parameter, unset ones as empty values (`logstoreName=&offset=&size=`).
	const listed = await sls.listLogStore(project, {}, via);
	t.is(listed.total, 2);
	t.is(listed.count, 2);
	t.deepEqual([...listed.logstores].sort(), ['crud-other', 'crud-store']);
	const filtered = await sls.listLogStore(project, {logstoreName: 'other', offset: 0, size: 10}, via);
	t.deepEqual(filtered.logstores, ['crud-other']);

	t.is(await sls.updateLogStore(project, 'crud-store', {ttl: 20, shardCount: 2}, via), '');
	t.like(await sls.getLogStore(project, 'crud-store', via), {logstoreName: 'crud-store', ttl: 20});

	// Deletes, as in the SDK's integration test; DeleteProject sends a signed JSON body with its DELETE.
	t.is(await sls.deleteLogStore(project, 'crud-other', via), '');
	t.is((await t.throwsAsync<SdkError>(sls.getLogStore(project, 'crud-other', via))).code, 'LogStoreNotExist');
	t.deepEqual((await sls.listLogStore(project, {}, via)).logstores, ['crud-store']);
	t.is(await sls.deleteProject(project, via), '');
	t.is((await t.throwsAsync<SdkError>(sls.getProject(project, via))).code, 'ProjectNotExist');
});

test('indexes: create, get, update and delete; the index reports the logstore\'s TTL', async t => {
	const project = 'sdk-index-project';
	const sls = await projectWithStore(project, 'indexed');
	const missing = await t.throwsAsync<SdkError>(sls.getIndexConfig(project, 'indexed', via));
	t.is(missing.code, 'IndexConfigNotExist');

	// The index body of the SDK's integration test: a ttl that has no effect, one text key with its own tokens.
	const index = {ttl: 7, keys: {functionName: {caseSensitive: false, token: ['\n', '\t', ';', ',', '=', ':'], type: 'text'}}};
	t.is(await sls.createIndex(project, 'indexed', index, via), '');
	const got = await sls.getIndexConfig(project, 'indexed', via);
	t.deepEqual(got.keys, index.keys);
	t.is(got.ttl, 30);
	const again = await t.throwsAsync<SdkError>(sls.createIndex(project, 'indexed', index, via));
	t.is(again.code, 'IndexAlreadyExist');

	const index2 = {keys: {serviceName: {caseSensitive: false, token: ['\n', '\t', ';', ',', '=', ':'], type: 'text'}}};
	t.is(await sls.updateIndex(project, 'indexed', index2, via), '');
	t.deepEqual((await sls.getIndexConfig(project, 'indexed', via)).keys, index2.keys);

	t.is(await sls.deleteIndex(project, 'indexed', via), '');
	const gone = await t.throwsAsync<SdkError>(sls.getIndexConfig(project, 'indexed', via));
	t.is(gone.code, 'IndexConfigNotExist');
});

test('PutLogs with topic, source and tags round-trips non-ASCII, quotes and newlines; GetLogs searches them', async t => {
	const project = 'sdk-putlogs-project';
	const sls = await projectWithStore(project, 'orders', ordersIndex);
	const time = nowSeconds() - 5;
	const note = 'Grüße, 注文 "quoted" \'single\'\nsecond line';
	t.is(await sls.postLogStoreLogs(project, 'orders', {
		logs: [
			{timestamp: time, content: {status: 'paid', amount: '12.5', note}},
			{timestamp: time + 1, content: {status: 'open', amount: '3', note: 'plain'}, timestampNsPart: 123_456_789},
			{timestamp: time + 2, content: {status: 'paid', amount: '7', note: 'zweite Bestellung'}},
		],
		topic: 'checkout',
		source: '10.1.2.3',
		tags: [{region: 'ap-süd'}, {run: 'r-1'}],
	}, via), '');
	t.is(await sls.postLogStoreLogs(project, 'orders', {logs: [{timestamp: time + 3, content: {status: 'open', amount: '1', note: 'other topic'}}], topic: 'refund'}, via), '');

	const [from, to] = window();
	const all = await sls.getLogs(project, 'orders', from, to, {query: '*'}, via);
	t.is(all.length, 4);
	const first = all.find(log => log.__time__ === String(time));
	t.like(first, {__topic__: 'checkout', __source__: '10.1.2.3', '__tag__:region': 'ap-süd', '__tag__:run': 'r-1', status: 'paid', amount: '12.5', note});
	t.is(all.find(log => log.__time__ === String(time + 1))?.__time_ns_part__, '123456789');

	// A search with no query parameter at all, as the SDK's integration test sends it.
	t.is((await sls.getLogs(project, 'orders', from, to, {}, via)).length, 4);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: 'status: paid'}, via)).length, 2);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: '*', topic: 'refund'}, via)).length, 1);
	t.deepEqual((await sls.getLogs(project, 'orders', from, to, {query: '注文'}, via)).map(log => log.note), [note]);
	t.deepEqual((await sls.getLogs(project, 'orders', from, to, {query: 'note: quoted and status: paid'}, via)).map(log => log.__time__), [String(time)]);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: 'amount: 7 or amount: 3'}, via)).length, 2);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: '__tag__:run: r-1 and not status: open'}, via)).length, 2);
	// Topic, source and tags are indexed whole, without delimiters: a search hits the full value or a `*` prefix.
	await sls.postLogStoreLogs(project, 'orders', {logs: [{timestamp: time + 4, content: {status: 'open', amount: '2', note: 'night'}}], topic: 'night run'}, via);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: '__topic__: run'}, via)).length, 0);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: '__topic__: "night run"'}, via)).length, 1);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: '__tag__:run: r-*'}, via)).length, 3);
	t.is((await sls.getLogs(project, 'orders', from, to, {query: '__source__: 10.1.2.3'}, via)).length, 3);
	const page = await sls.getLogs(project, 'orders', from, to, {query: 'status: paid or status: open', line: 2, offset: 1, reverse: true}, via);
	t.deepEqual(page.map(log => log.__time__), [String(time + 3), String(time + 2)]);
});

test('analytic queries count, group by __topic__ and aggregate __time__; GetHistograms counts per interval', async t => {
	const project = 'sdk-sql-project';
	const sls = await projectWithStore(project, 'events', ordersIndex);
	const time = nowSeconds() - 30;
	const logs = (count: number, offset: number) => Array.from({length: count}, (_, index) => ({timestamp: time + offset + index, content: {status: index % 2 ? 'paid' : 'open', amount: String(index + 1)}}));
	await sls.postLogStoreLogs(project, 'events', {logs: logs(5, 0), topic: 'alpha', source: 'host-a'}, via);
	await sls.postLogStoreLogs(project, 'events', {logs: logs(3, 10), topic: 'beta', source: 'host-b'}, via);

	const [from, to] = window();
	t.deepEqual(await sls.getLogs(project, 'events', from, to, {query: '* | select count(*) as n'}, via), [{n: '8'}]);
	t.deepEqual(await sls.getLogs(project, 'events', from, to, {query: 'status: paid | select count(*) as n'}, via), [{n: '3'}]);
	const byTopic = await sls.getLogs(project, 'events', from, to, {query: '* | select __topic__ as topic, count(*) as n, sum(cast(amount as double)) as total group by __topic__ order by n desc'}, via);
	t.deepEqual(byTopic, [{topic: 'alpha', n: '5', total: '15.0'}, {topic: 'beta', n: '3', total: '6.0'}]);
	const span = await sls.getLogs(project, 'events', from, to, {query: '* | select min(__time__) as first, max(__time__) as last, count(distinct __source__) as sources'}, via);
	t.deepEqual(span, [{first: String(time), last: String(time + 12), sources: '2'}]);
	t.deepEqual(await sls.getLogs(project, 'events', from, to, {query: '* | select count(*) as n', topic: 'beta'}, via), [{n: '3'}]);

	const histogram = await sls.getHistograms(project, 'events', from, to, {query: 'status: open'}, via);
	t.true(histogram.length >= 1 && histogram.length <= 60);
	t.is(histogram.reduce((sum, bucket) => sum + Number(bucket.count), 0), 5);
	t.true(histogram.every(bucket => bucket.progress === 'Complete' && Number(bucket.from) < Number(bucket.to)));
	t.is(Number(histogram[0]!.from), Math.floor(from.getTime() / 1000));
	t.is(Number(histogram.at(-1)!.to), Math.floor(to.getTime() / 1000));
	const histogramOfTopic = await sls.getHistograms(project, 'events', from, to, {query: '*', topic: 'beta'}, via);
	t.is(histogramOfTopic.reduce((sum, bucket) => sum + Number(bucket.count), 0), 3);
});

test('logs written before the index exists are not searchable; later ones are', async t => {
	const project = 'sdk-late-index-project';
	const sls = await projectWithStore(project, 'late');
	const time = nowSeconds() - 5;
	await sls.postLogStoreLogs(project, 'late', {logs: [{timestamp: time, content: {status: 'early'}}]}, via);
	const [from, to] = window();
	const noIndex = await t.throwsAsync<SdkError>(sls.getLogs(project, 'late', from, to, {query: '*'}, via));
	t.is(noIndex.code, 'IndexConfigNotExist');

	await sls.createIndex(project, 'late', ordersIndex, via);
	await sls.postLogStoreLogs(project, 'late', {logs: [{timestamp: time + 1, content: {status: 'late'}}]}, via);
	const found = await sls.getLogs(project, 'late', from, to, {query: '*'}, via);
	t.deepEqual(found.map(log => log.status), ['late']);
	t.deepEqual(await sls.getLogs(project, 'late', from, to, {query: '* | select count(*) as n'}, via), [{n: '1'}]);
});

test('errors carry the service\'s codes, as the SDK surfaces them in err.code and err.name', async t => {
	const project = 'sdk-errors-project';
	const sls = await projectWithStore(project, 'exists');

	const wrongSecret = await t.throwsAsync<SdkError>(client('not-the-secret').getProject(project, via));
	t.is(wrongSecret.code, 'SignatureNotMatch');
	t.is(wrongSecret.name, 'SignatureNotMatchError');
	t.regex(wrongSecret.requestid ?? '', /^[\dA-F]{24}$/);
	const wrongSecretWrite = await t.throwsAsync<SdkError>(client('not-the-secret').postLogStoreLogs(project, 'exists', {logs: [{timestamp: nowSeconds(), content: {a: 'b'}}]}, via));
	t.is(wrongSecretWrite.code, 'SignatureNotMatch');

	const unknownKey = await t.throwsAsync<SdkError>(new Client({accessKeyId: 'LTAInobodyknows', accessKeySecret: keys.secret, endpoint: standIn.url}).getProject(project, via));
	t.is(unknownKey.code, 'Unauthorized');
	t.is(unknownKey.message, 'AccessKeyId not found: LTAInobodyknows');

	const noProject = await t.throwsAsync<SdkError>(sls.getProject('sdk-no-such-project', via));
	t.is(noProject.code, 'ProjectNotExist');
	t.is(noProject.name, 'ProjectNotExistError');
	const noProjectStore = await t.throwsAsync<SdkError>(sls.createLogStore('sdk-no-such-project', 'x-store', {ttl: 1, shardCount: 1}, via));
	t.is(noProjectStore.code, 'ProjectNotExist');

	const noStore = await t.throwsAsync<SdkError>(sls.getLogStore(project, 'no-such-store', via));
	t.is(noStore.code, 'LogStoreNotExist');
	t.is(noStore.name, 'LogStoreNotExistError');
	const noStoreWrite = await t.throwsAsync<SdkError>(sls.postLogStoreLogs(project, 'no-such-store', {logs: [{timestamp: nowSeconds(), content: {a: 'b'}}]}, via));
	t.is(noStoreWrite.code, 'LogStoreNotExist');
	const [from, to] = window();
	const noStoreRead = await t.throwsAsync<SdkError>(sls.getLogs(project, 'no-such-store', from, to, {query: '*'}, via));
	t.is(noStoreRead.code, 'LogStoreNotExist');

	const projectTwice = await t.throwsAsync<SdkError>(sls.createProject(project, {description: 'again'}, via));
	t.is(projectTwice.code, 'ProjectAlreadyExist');
	t.is(projectTwice.name, 'ProjectAlreadyExistError');
	const storeTwice = await t.throwsAsync<SdkError>(sls.createLogStore(project, 'exists', {ttl: 30, shardCount: 2}, via));
	t.is(storeTwice.code, 'LogStoreAlreadyExist');
	t.is(storeTwice.name, 'LogStoreAlreadyExistError');
	t.like(await sls.getLogStore(project, 'exists', via), {ttl: 30, shardCount: 2});
});

test('STS: the token travels in x-acs-security-token, from static credentials or an async credentialsProvider', async t => {
	const stsDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-sls-sdk-sts-'));
	const token = 'CAIS-sts-token/with+odd=chars';
	const sts = await startLogServiceStandIn({dataDir: stsDir, region, credentials: {accessKeyId: keys.accessKeyId, secret: keys.secret, securityToken: token}});
	try {
		const withToken = new Client({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, securityToken: token, endpoint: sts.url});
		t.is(await withToken.createProject('sdk-sts-project', {description: 'sts'}, via), '');
		const provider = {
			async getCredentials() {
				return {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, securityToken: token};
			},
		};
		const viaProvider = new Client({credentialsProvider: provider, endpoint: sts.url});
		t.is((await viaProvider.getProject('sdk-sts-project', via)).projectName, 'sdk-sts-project');

		const withoutToken = await t.throwsAsync<SdkError>(new Client({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, endpoint: sts.url}).getProject('sdk-sts-project', via));
		t.is(withoutToken.code, 'Unauthorized');
		const wrongToken = await t.throwsAsync<SdkError>(new Client({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, securityToken: 'CAIS-other', endpoint: sts.url}).getProject('sdk-sts-project', via));
		t.is(wrongToken.code, 'Unauthorized');
		t.is(wrongToken.message, 'The security token you provided is invalid.');
	} finally {
		await sts.close();
		await rm(stsDir, {recursive: true, force: true});
	}
});
