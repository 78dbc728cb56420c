import {createHash} from 'node:crypto';
import {appendFile, mkdtemp, readdir, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import anyTest, {type TestFn} from 'ava';
import {startDataHubStandIn, type DataHubStandInHandle} from '../../source/datahub/server.js';
import {dataHubRequest, type DataHubKeys} from '../helpers/datahub-request.js';

const test = anyTest as TestFn<{dataDir: string; standIn: DataHubStandInHandle}>;
const keys: DataHubKeys = {accessKeyId: 'LTAIdatahubkey01', secret: 'datahub-secret-Zx81'};
const schema = JSON.stringify({fields: [{name: 'f1', type: 'STRING'}, {name: 'f2', type: 'BIGINT'}, {name: 'f3', type: 'DOUBLE'}, {name: 'f4', type: 'BOOLEAN', notnull: true}]});

async function start(dataDir: string, extra: Partial<Parameters<typeof startDataHubStandIn>[0]> = {}) {
	return startDataHubStandIn({dataDir, region: 'ap-southeast-1', credentials: {accessKeyId: keys.accessKeyId, secret: keys.secret}, ...extra});
}

test.beforeEach(async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-datahub-'));
	t.context = {dataDir, standIn: await start(dataDir)};
});

test.afterEach.always(async t => {
	await t.context.standIn.close();
	await rm(t.context.dataDir, {recursive: true, force: true});
});

const call = async (standIn: DataHubStandInHandle, method: string, resource: string, body?: unknown) => dataHubRequest(standIn.url, keys, method, resource, {body});

async function createTopic(standIn: DataHubStandInHandle, name = 'events', shardCount = 2) {
	return call(standIn, 'POST', `/projects/ferry_dh/topics/${name}`, {Action: 'create', ShardCount: shardCount, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: schema, Comment: 'c', ExpandMode: ''});
}

async function waitActive(standIn: DataHubStandInHandle, topic = 'events') {
	for (let tries = 0; tries < 100; tries++) {
		const shards = await call(standIn, 'GET', `/projects/ferry_dh/topics/${topic}/shards`);
		if ((shards.body.Shards as {State: string}[]).every(shard => shard.State === 'ACTIVE')) return shards;
		await sleep(50);
	}

	throw new Error('shards never became ACTIVE');
}

async function setUp(standIn: DataHubStandInHandle) {
	await call(standIn, 'POST', '/projects/ferry_dh', {Comment: 'test'});
	await createTopic(standIn);
	return waitActive(standIn);
}

test('a correct signature is accepted; a bad one gets 403 Unauthorized with the JSON error shape and a request id', async t => {
	const {standIn} = t.context;
	const ok = await call(standIn, 'GET', '/projects');
	t.is(ok.status, 200);
	t.deepEqual(ok.body, {ProjectNames: []});
	t.regex(ok.headers.get('x-datahub-request-id') ?? '', /^\d{14}[\da-f]{16}$/);

	const bad = await dataHubRequest(standIn.url, keys, 'GET', '/projects', {signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='});
	t.is(bad.status, 403);
	t.is(bad.body.ErrorCode, 'Unauthorized');
	t.is(typeof bad.body.ErrorMessage, 'string');
	t.truthy(bad.headers.get('x-datahub-request-id'));

	const wrongKey = await dataHubRequest(standIn.url, {...keys, secret: 'nope'}, 'GET', '/projects');
	t.is(wrongKey.body.ErrorCode, 'Unauthorized');
	const skewed = await dataHubRequest(standIn.url, keys, 'GET', '/projects', {date: new Date(Date.now() - 16 * 60_000)});
	t.is(skewed.status, 403);
	t.regex(String(skewed.body.ErrorMessage), /15 minutes/);
	t.is((await dataHubRequest(standIn.url, keys, 'GET', '/projects', {date: new Date(Date.now() - 14 * 60_000)})).status, 200);
});

test('with STS credentials the security token header is required', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-datahub-sts-'));
	const standIn = await start(dataDir, {credentials: {accessKeyId: keys.accessKeyId, secret: keys.secret, securityToken: 'sts-1'}});
	try {
		t.is((await dataHubRequest(standIn.url, keys, 'GET', '/projects')).body.ErrorCode, 'Unauthorized');
		t.is((await dataHubRequest(standIn.url, {...keys, securityToken: 'sts-1'}, 'GET', '/projects')).status, 200);
	} finally {
		await standIn.close();
		await rm(dataDir, {recursive: true, force: true});
	}
});

test('projects and topics: create, get, already-exists, not-found, name and schema validation', async t => {
	const {standIn} = t.context;
	t.is((await call(standIn, 'POST', '/projects/ferry_dh', {Comment: 'test'})).status, 201);
	const again = await call(standIn, 'POST', '/projects/ferry_dh', {Comment: 'test'});
	t.is(again.status, 409);
	t.deepEqual(again.body, {ErrorCode: 'ProjectAlreadyExist', ErrorMessage: 'The specified project already exists.'});
	t.is((await call(standIn, 'POST', '/projects/x-', {Comment: 'bad'})).body.ErrorCode, 'InvalidParameter');
	t.is((await call(standIn, 'GET', '/projects/missing_project')).body.ErrorCode, 'NoSuchProject');

	t.is((await createTopic(standIn)).status, 201);
	t.is((await createTopic(standIn)).body.ErrorCode, 'TopicAlreadyExist');
	const topic = await call(standIn, 'GET', '/projects/ferry_dh/topics/events');
	t.is(topic.body.ShardCount, 2);
	t.is(topic.body.RecordType, 'TUPLE');
	t.is(typeof topic.body.RecordSchema, 'string');
	t.deepEqual((JSON.parse(topic.body.RecordSchema as string) as {fields: {name: string; type: string}[]}).fields.map(field => `${field.name}:${field.type}`), ['f1:STRING', 'f2:BIGINT', 'f3:DOUBLE', 'f4:BOOLEAN']);
	t.is((await call(standIn, 'GET', '/projects/ferry_dh/topics/nothere')).body.ErrorCode, 'NoSuchTopic');

	const badType = await call(standIn, 'POST', '/projects/ferry_dh/topics/bad_type', {ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: JSON.stringify({fields: [{name: 'a', type: 'VARCHAR'}]})});
	t.is(badType.status, 400);
	t.is(badType.body.ErrorCode, 'InvalidSchema');
	const objectSchema = await call(standIn, 'POST', '/projects/ferry_dh/topics/bad_schema', {ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: {fields: []}});
	t.is(objectSchema.body.ErrorCode, 'InvalidSchema');
	t.is((await call(standIn, 'POST', '/projects/ferry_dh/topics/bad_shards', {ShardCount: 0, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: schema})).body.ErrorCode, 'InvalidParameter');
	t.deepEqual((await call(standIn, 'GET', '/projects/ferry_dh/topics')).body, {TopicNames: ['events']});
});

test('the Limits page\'s naming conventions and sizes: projects 3–32, topics 1–128, fields without system_time, 2 MB a string, 4 MB a request', async t => {
	const {standIn} = t.context;
	const project = async (name: string) => (await call(standIn, 'POST', `/projects/${name}`, {Comment: 'c'})).body.ErrorCode ?? 'created';
	t.is(await project('ab'), 'InvalidParameter');
	t.is(await project(`a${'b'.repeat(32)}`), 'InvalidParameter');
	t.is(await project('_ab'), 'InvalidParameter');
	t.is(await project('abc'), 'created');
	t.is(await project(`a${'b'.repeat(31)}`), 'created');
	await call(standIn, 'POST', '/projects/ferry_dh', {Comment: 'c'});
	const topic = async (name: string, fields = [{name: 'f1', type: 'STRING'}]) => {
		const answer = await call(standIn, 'POST', `/projects/ferry_dh/topics/${name}`, {ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: JSON.stringify({fields}), Comment: 'c'});
		return answer.status === 201 ? 'created' : `${answer.status} ${String(answer.body.ErrorCode)}`;
	};

	t.is(await topic('t'), 'created', 'a 1-character topic is a topic');
	t.is(await topic('ab'), 'created');
	t.is(await topic(`t${'x'.repeat(127)}`), 'created');
	t.is(await topic(`t${'x'.repeat(128)}`), '400 InvalidParameter');
	t.is(await topic('1t'), '400 InvalidParameter');
	t.is(await topic('sys', [{name: 'system_time', type: 'STRING'}]), '400 InvalidSchema');
	t.is(await topic('under', [{name: '_f', type: 'STRING'}]), '400 InvalidSchema');
	t.is(await topic('long_field', [{name: `f${'x'.repeat(128)}`, type: 'STRING'}]), '400 InvalidSchema');
	for (let tries = 0; tries < 100 && !((await call(standIn, 'GET', '/projects/ferry_dh/topics/t/shards')).body.Shards as {State: string}[]).every(shard => shard.State === 'ACTIVE'); tries++) {
		await sleep(50);
	}

	const put = async (values: string[]) => call(standIn, 'POST', '/projects/ferry_dh/topics/t/shards', {Action: 'pub', Records: values.map(value => ({ShardId: '0', Data: [value]}))});
	const limit = 2 * 1024 * 1024;
	t.is((await put(['x'.repeat(limit)])).body.FailedRecordCount, 0);
	const long = await put(['x'.repeat(limit + 1)]);
	t.deepEqual(long.body.FailedRecords, [{Index: 0, ErrorCode: 'MalformedRecord', ErrorMessage: 'field f1: the value is longer than 2 MB'}]);
	const body = await put(['x'.repeat(limit - 100), 'y'.repeat(limit - 100), 'z'.repeat(200)]);
	t.is(body.status, 400);
	t.deepEqual(body.body, {ErrorCode: 'InvalidParameter', ErrorMessage: 'The request body is larger than 4 MB.'});
});

test('500 topics per project (the DataHub limits page), then LimitExceeded', async t => {
	const {standIn} = t.context;
	await call(standIn, 'POST', '/projects/ferry_dh', {Comment: 'test'});
	for (let index = 0; index < 500; index++) {
		const created = await createTopic(standIn, `topic_${index}`, 1);
		if (created.status !== 201) {
			t.fail(`topic ${index} was refused: ${created.text}`);
			return;
		}
	}

	const over = await createTopic(standIn, 'topic_500', 1);
	t.is(over.status, 429);
	t.is(over.body.ErrorCode, 'LimitExceeded');
	t.is(((await call(standIn, 'GET', '/projects/ferry_dh/topics')).body.TopicNames as string[]).length, 500);
});

test('a lowered limit is enforced the same way', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-datahub-'));
	const standIn = await start(dataDir, {limits: {topicsPerProject: 2}});
	try {
		await call(standIn, 'POST', '/projects/ferry_dh', {Comment: 'test'});
		t.is((await createTopic(standIn, 'one', 1)).status, 201);
		t.is((await createTopic(standIn, 'two', 1)).status, 201);
		t.is((await createTopic(standIn, 'three', 1)).body.ErrorCode, 'LimitExceeded');
	} finally {
		await standIn.close();
		await rm(dataDir, {recursive: true, force: true});
	}
});

test('new shards are OPENING for a while, then ACTIVE, with hash ranges that cover the key space', async t => {
	const {standIn} = t.context;
	await call(standIn, 'POST', '/projects/ferry_dh', {Comment: 'test'});
	await createTopic(standIn);
	const first = await call(standIn, 'GET', '/projects/ferry_dh/topics/events/shards');
	t.true((first.body.Shards as {State: string}[]).every(shard => shard.State === 'OPENING'));
	const early = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards', {Action: 'pub', Records: [{ShardId: '0', Data: ['a', '1', '1.5', 'true']}]});
	t.is((early.body.FailedRecords as {ErrorCode: string}[])[0]?.ErrorCode, 'InvalidShardOperation');
	const active = await waitActive(standIn);
	const shards = active.body.Shards as {ShardId: string; BeginHashKey: string; EndHashKey: string}[];
	t.deepEqual(shards.map(shard => shard.ShardId), ['0', '1']);
	t.is(shards[0]!.BeginHashKey, '00000000000000000000000000000000');
	t.is(shards[1]!.BeginHashKey, '80000000000000000000000000000000');
	t.is(shards[1]!.EndHashKey, 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF');
});

test('PutRecords reports a bad record by index with HTTP 200 and keeps the others; cursors and GetRecords read back in order', async t => {
	const {standIn} = t.context;
	await setUp(standIn);
	const put = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards', {
		Action: 'pub',
		Records: [
			{ShardId: '0', Data: ['a', '1', '1.5000000000000000e+00', 'true'], Attributes: {source: 'test'}},
			{ShardId: '0', Data: ['b', 'not-a-number', '2.5', 'false']},
			{ShardId: '0', Data: [null, '3', null, 'FALSE']},
			{ShardId: '0', Data: ['d', '4', '4.5']},
			{ShardId: '9', Data: ['e', '5', '5.5', 'true']},
			{ShardId: '0', Data: ['f', '6', '6.5', null]},
			{Data: ['g', '7', '7.5', 'true']},
			{PartitionKey: 'user-42', Data: ['h', '8', '8.5', 'true']},
		],
	});
	t.is(put.status, 200);
	t.is(put.body.FailedRecordCount, 5);
	t.deepEqual((put.body.FailedRecords as {Index: number; ErrorCode: string}[]).map(failure => `${failure.Index}:${failure.ErrorCode}`), ['1:MalformedRecord', '3:MalformedRecord', '4:InvalidShardId', '5:MalformedRecord', '6:MalformedRecord']);

	const oldest = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'cursor', Type: 'OLDEST'});
	t.is(oldest.body.Sequence, 0);
	t.regex(String(oldest.body.Cursor), /^[\da-f]{32}$/);
	const read = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'sub', Cursor: oldest.body.Cursor, Limit: 10});
	const all = read.body.Records as {Sequence: number; Data: (string | null)[]; SystemTime: number; Attributes?: Record<string, string>}[];
	// PartitionKey routing: md5 of the key as the 128-bit hash key; 'user-42' hashes below 0x8000… → shard 0.
	t.true(Number.parseInt(createHash('md5').update('user-42').digest('hex')[0]!, 16) < 8);
	t.deepEqual(all.map(record => record.Data), [['a', '1', '1.5000000000000000e+00', 'true'], [null, '3', null, 'FALSE'], ['h', '8', '8.5', 'true']]);
	t.deepEqual(all.map(record => record.Sequence), [0, 1, 2]);
	const records = all.slice(0, 2);
	t.deepEqual(records[0]!.Attributes, {source: 'test'});
	t.is(read.body.RecordCount, 3);
	t.is(read.body.StartSeq, 0);
	t.is(oldest.body.RecordTime, records[0]!.SystemTime);

	const next = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'sub', Cursor: read.body.NextCursor, Limit: 10});
	t.is(next.body.RecordCount, 0);
	const latest = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'cursor', Type: 'LATEST'});
	t.is(latest.body.Sequence, 2);
	const bySequence = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'cursor', Type: 'SEQUENCE', Sequence: 1});
	t.deepEqual(((await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'sub', Cursor: bySequence.body.Cursor, Limit: 1})).body.Records as {Sequence: number}[]).map(record => record.Sequence), [1]);
	const byTime = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'cursor', Type: 'SYSTEM_TIME', SystemTime: records[1]!.SystemTime});
	t.true((byTime.body.Sequence as number) <= 1);
	t.is((await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'cursor', Type: 'SEQUENCE', Sequence: 99})).body.ErrorCode, 'SeekOutOfRange');
	t.is((await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'sub', Cursor: '0123', Limit: 1})).body.ErrorCode, 'InvalidCursor');
	const other = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/1', {Action: 'cursor', Type: 'OLDEST'});
	t.is((await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/1', {Action: 'sub', Cursor: other.body.Cursor, Limit: 10})).body.RecordCount, 0);
});

test('unknown paths and actions answer with the service error, not a silent success', async t => {
	const {standIn} = t.context;
	await setUp(standIn);
	const unknownPath = await call(standIn, 'GET', '/nothing');
	t.is(unknownPath.status, 400);
	t.is(unknownPath.body.ErrorCode, 'InvalidUriSpec');
	t.is((await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'explode'})).body.ErrorCode, 'InvalidParameter');
	t.is((await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards', {Action: 'split', ShardId: '0'})).body.ErrorCode, 'InvalidParameter');
	t.is((await call(standIn, 'GET', '/projects/ferry_dh/topics/events/connectors/nope')).body.ErrorCode, 'NoSuchConnector');
	t.is((await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/7', {Action: 'cursor', Type: 'OLDEST'})).body.ErrorCode, 'NoSuchShard');
	t.is((await call(standIn, 'DELETE', '/projects/ferry_dh')).body.ErrorCode, 'OperationDenied');
});

test('injected faults answer with the DataHub error shape', async t => {
	const {standIn} = t.context;
	standIn.injectFault({status: 429, code: 'LimitExceeded', count: 1});
	const faulted = await call(standIn, 'GET', '/projects');
	t.is(faulted.status, 429);
	t.is(faulted.body.ErrorCode, 'LimitExceeded');
	t.is((await call(standIn, 'GET', '/projects')).status, 200);
});

test('projects, topics and records survive a restart; a torn last line is dropped', async t => {
	const {dataDir} = t.context;
	await setUp(t.context.standIn);
	await call(t.context.standIn, 'POST', '/projects/ferry_dh/topics/events/shards', {Action: 'pub', Records: [{ShardId: '1', Data: ['x', '1', '1', 'true']}, {ShardId: '1', Data: ['y', '2', '2', 'false']}]});
	await t.context.standIn.close();
	const shardDir = path.join(dataDir, 'shards', 'ferry_dh', 'events');
	t.true((await readdir(shardDir)).includes('1.jsonl'));
	await appendFile(path.join(shardDir, '1.jsonl'), '{"sequence":2,"systemTi');

	t.context.standIn = await start(dataDir);
	const {standIn} = t.context;
	t.deepEqual((await call(standIn, 'GET', '/projects')).body, {ProjectNames: ['ferry_dh']});
	t.is((await call(standIn, 'GET', '/projects/ferry_dh/topics/events')).body.ShardCount, 2);
	const cursor = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/1', {Action: 'cursor', Type: 'OLDEST'});
	const read = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/1', {Action: 'sub', Cursor: cursor.body.Cursor, Limit: 10});
	t.deepEqual((read.body.Records as {Data: string[]}[]).map(record => record.Data[0]), ['x', 'y']);
	await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards', {Action: 'pub', Records: [{ShardId: '1', Data: ['z', '3', '3', 'true']}]});
	const after = await call(standIn, 'POST', '/projects/ferry_dh/topics/events/shards/1', {Action: 'sub', Cursor: cursor.body.Cursor, Limit: 10});
	t.deepEqual((after.body.Records as {Sequence: number; Data: string[]}[]).map(record => `${record.Sequence}:${record.Data[0]}`), ['0:x', '1:y', '2:z']);
});
