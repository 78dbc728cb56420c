/**
 * ferry's naming rules (ferry/clouds/<service>/names) against the stand-ins' own checks: the same names, the edges of
 * each rule and seeded random ones, must be taken by both or refused by both. So a name ferry lets through is one the
 * local cloud creates, and a name the local cloud refuses is refused by ferry first, before anything is created.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {dataHubFieldName, dataHubProjectName, dataHubTopicName} from 'ferry/clouds/datahub/names';
import {quoteMaxComputeIdentifier, quoteMaxComputeString} from 'ferry/clouds/maxcompute/ddl';
import {maxComputeColumnName, maxComputePartitionValue, maxComputeTableName} from 'ferry/clouds/maxcompute/names';
import {logProjectName, logstoreName} from 'ferry/clouds/log-service/names';
import type {NameRule} from 'ferry/clouds/name-rule';
import {s3BucketName} from 'ferry/clouds/object-store/names';
import {startDataHubStandIn} from '../source/datahub/server.js';
import {startLogServiceStandIn} from '../source/log-service/server.js';
import {dataHubRequest} from './helpers/datahub-request.js';
import {logRequest} from './helpers/log-service-request.js';
import {createFixture, odps2} from './maxcompute/engine/engine-helpers.js';
import {startStandIn} from './helpers/object-store.js';

/** A seeded stream of names from an alphabet, of lengths around a rule's edges. */
function randomNames(seed: number, alphabet: string, lengths: number[], count: number): string[] {
	let state = seed;
	const next = () => {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		return state;
	};

	const characters = [...alphabet];
	return Array.from({length: count}, () => {
		const length = lengths[next() % lengths.length]!;
		return Array.from({length}, () => characters[next() % characters.length]).join('');
	});
}

const x = (count: number, character = 'a') => character.repeat(count);

async function agree(t: import('ava').ExecutionContext, rule: NameRule, names: string[], standInTakes: (name: string) => Promise<boolean>): Promise<void> {
	let taken = 0;
	for (const name of new Set(names)) {
		const ferryTakes = rule(name) === undefined;
		const shown = name.length > 40 ? `${name.slice(0, 16)}…(${name.length})` : name;
		t.is(await standInTakes(name), ferryTakes, `${JSON.stringify(shown)}: ferry says ${rule(name) ?? 'taken'}`);
		taken += ferryTakes ? 1 : 0;
	}

	t.true(taken > 0 && taken < new Set(names).size, 'the names include some of each');
}

test('DataHub projects, topics and fields', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-names-dh-'));
	const keys = {accessKeyId: 'LTAInames01', secret: 'names-secret'};
	const standIn = await startDataHubStandIn({dataDir, region: 'ap-southeast-1', credentials: keys});
	t.teardown(async () => {
		await standIn.close();
		await rm(dataDir, {recursive: true, force: true});
	});
	const call = async (method: string, resource: string, body: unknown) => dataHubRequest(standIn.url, keys, method, resource, {body});
	const alphabet = 'aZq9_-.é';
	let unique = 0;
	const projects = ['abc', 'ab', x(32), x(33), '_ab', '1ab', 'a-b', ...randomNames(1, alphabet, [1, 2, 3, 4, 32, 33], 60)];
	await agree(t, dataHubProjectName, projects, async name => (await call('POST', `/projects/${encodeURIComponent(name)}`, {Comment: 'c'})).status === 201);
	t.is((await call('POST', '/projects/names_dh', {Comment: 'c'})).status, 201);
	const topicSchema = JSON.stringify({fields: [{name: 'f1', type: 'STRING'}]});
	const topics = ['t', 'ab', x(128), x(129), '1t', 't.t', ...randomNames(2, alphabet, [1, 2, 3, 128, 129], 60)];
	await agree(t, dataHubTopicName, topics, async name => (await call('POST', `/projects/names_dh/topics/${encodeURIComponent(name)}`, {ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: topicSchema, Comment: 'c'})).status === 201);
	const fields = ['f', 'system_time', 'SYSTEM_TIME', x(128), x(129), '_f', ...randomNames(3, alphabet, [1, 2, 128, 129], 60)];
	await agree(t, dataHubFieldName, fields, async name => (await call('POST', `/projects/names_dh/topics/field_${unique++}`, {ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: JSON.stringify({fields: [{name, type: 'STRING'}]}), Comment: 'c'})).status === 201);
});

test('MaxCompute tables, columns and partition values', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	const runs = async (sql: string) => engine.execute(sql, odps2).then(() => true, (error: unknown) => {
		if (!/ODPS-01(30071|23031)/.test(String((error as Error).message))) {
			throw error;
		}

		return false;
	});
	const alphabet = 'aZ9_$-. 名é';
	const tables = ['t', x(128), x(129), '_t', '1t', 'a-b', 'a$b', ...randomNames(4, alphabet, [1, 2, 127, 128, 129], 60)];
	await agree(t, maxComputeTableName, tables, async name => runs(`CREATE TABLE ${quoteMaxComputeIdentifier(name)} (a string);`));
	let unique = 0;
	const columns = ['c', '_c', '1c', '名字', x(128), x(43, '名'), x(42, '名'), 'a-b', ...randomNames(5, alphabet, [1, 2, 127, 128, 129], 60)];
	await agree(t, maxComputeColumnName, columns, async name => runs(`CREATE TABLE col_${unique++} (${quoteMaxComputeIdentifier(name)} string);`));
	await engine.execute('CREATE TABLE parts (id bigint) PARTITIONED BY (ds string);', odps2);
	const values = ['20161226', '2026-11-28 16:00', 'a=b', '2016\\', 'a/b', 'a,b', x(128), x(129), ' 1', '-1', 'v1.2:x_y$z#w!v@u', 'a\'b', 'a"b', 'x\ty', ...randomNames(6, 'a9 :_$#.!@-=/\\,\'名', [1, 2, 3, 128, 129], 80)];
	await agree(t, maxComputePartitionValue, values, async value => runs(`INSERT INTO TABLE parts PARTITION (ds=${quoteMaxComputeString(value)}) SELECT 1;`));
});

test('Log Service projects and logstores', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-names-sls-'));
	const keys = {accessKeyId: 'LTAInames02', secret: 'names-secret-2'};
	const standIn = await startLogServiceStandIn({dataDir, region: 'ap-southeast-1', credentials: keys});
	t.teardown(async () => {
		await standIn.close();
		await rm(dataDir, {recursive: true, force: true});
	});
	const call = async (request: Parameters<typeof logRequest>[3]) => logRequest(standIn.port, 'ap-southeast-1', keys, request);
	// A project name is also the Host's first label: only names a host can carry are sent.
	const projects = ['abc', 'ab', x(63), x(64), '-ab', 'ab-', 'a-b', '1ab', ...randomNames(7, 'a9-', [2, 3, 4, 63, 64], 40)];
	await agree(t, logProjectName, projects, async name => (await call({method: 'POST', path: '/', body: {projectName: name, description: 'd'}})).status === 200);
	t.is((await call({method: 'POST', path: '/', body: {projectName: 'names-sls', description: 'd'}})).status, 200);
	const logstores = ['abc', 'a_b', 'aBc', '_ab', 'ab_', x(63), x(64), 'a.b', ...randomNames(8, 'aZ9_-.', [2, 3, 4, 63, 64], 60)];
	await agree(t, logstoreName, logstores, async name => (await call({method: 'POST', path: '/logstores', project: 'names-sls', body: {logstoreName: name, ttl: 1, shardCount: 1}})).status === 200);
});

test('S3 buckets', async t => {
	const s3 = await startStandIn('s3');
	t.teardown(async () => s3.close());
	const client = s3.client({attempts: 1});
	// Not …--x-s3: the SDK takes it for an S3 Express directory bucket and signs it for another service.
	const buckets = ['abc', 'ab', x(63), x(64), 'a..b', '192.168.5.4', 'xn--abc', 'sthree-abc', 'amzn-s3-demo-abc', 'abc-s3alias', 'abc--ol-s3', 'abc.mrap', 'abc--table-s3', 'my.unload-bucket', 'Abc', '-ab', 'ab-', ...randomNames(9, 'ab9.-', [2, 3, 4, 63, 64], 60)];
	await agree(t, s3BucketName, buckets, async name => client.createBucket(name).then(() => true, (error: unknown) => {
		if ((error as {code?: string}).code !== 'InvalidBucketName') {
			throw error;
		}

		return false;
	}));
});
