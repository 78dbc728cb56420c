import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import anyTest, {type TestFn} from 'ava';
import {createMaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {silentLogger} from 'ferry/log/logger';
import type {StandInHandle} from '../../source/contract.js';
import {createDiRunner, type LogHubGroup, type LogHubSink, type LogHubTarget} from '../../source/dataworks/di-runner.js';
import {parseDiJob} from '../../source/dataworks/job-config.js';
import {startMaxComputeStandIn} from '../../source/maxcompute/server.js';

const test = anyTest.serial as TestFn<{dataDir: string; maxcompute: StandInHandle}>;
const keys = {accessKeyId: 'LTAIodpsreader0001', secret: 'odps-secret-Zq8vN2'};
const project = 'ferry_local';
const now = Date.UTC(2026, 0, 1);

test.before(async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-di-runner-'));
	const maxcompute = await startMaxComputeStandIn({dataDir, region: 'ap-southeast-1', project, credentials: keys, accountId: '1000000000000000'});
	t.context = {dataDir, maxcompute};
	const client = createMaxComputeClient({endpoint: maxcompute.url, project, credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}, logger: silentLogger});
	const odps2 = {settings: {'odps.sql.type.system.odps2': 'true'}};
	await client.runSql('CREATE TABLE events (id BIGINT, score DOUBLE, price DECIMAL(10,2), ok BOOLEAN, happened DATETIME, note STRING, ts STRING) PARTITIONED BY (pt STRING);', odps2);
	await client.runSql(`INSERT INTO TABLE events PARTITION (pt='20240101') SELECT * FROM (VALUES
		(1, 1.5, 12.50, true, DATETIME '2024-01-01 08:00:00', 'say "hi", then go', '2024-01-01 08:00:00'),
		(2, 1.0E10, -0.05, false, DATETIME '2024-01-01 09:30:15', 'line1\\nline2 你好', '1704072600'),
		(3, NULL, NULL, NULL, NULL, NULL, 'not a time')
	) v(id, score, price, ok, happened, note, ts);`, odps2);
	await client.runSql(`INSERT INTO TABLE events PARTITION (pt='20240102') SELECT 4, 2.0, 1.00, true, DATETIME '2024-01-02 00:00:00', 'other day', '2024-01-02 00:00:00';`, odps2);
});

test.after.always(async t => {
	await t.context.maxcompute.close();
	await rm(t.context.dataDir, {recursive: true, force: true});
});

function memorySink(): LogHubSink & {groups: Array<{target: LogHubTarget; group: LogHubGroup}>} {
	const groups: Array<{target: LogHubTarget; group: LogHubGroup}> = [];
	return {groups, async putLogs(target, group) {
		groups.push({target, group: structuredClone(group)});
	}};
}

function job(writer: Record<string, unknown>, setting: Record<string, unknown> = {errorLimit: {record: '0'}}, reader: Record<string, unknown> = {}) {
	return parseDiJob(JSON.stringify({
		type: 'job', version: '2.0',
		steps: [
			{stepType: 'odps', category: 'reader', name: 'Reader', parameter: {datasource: 'odps_first', table: 'events', partition: 'pt=20240101', column: ['id', 'score', 'price', 'ok', 'happened', 'note', 'ts'], ...reader}},
			{stepType: 'loghub', category: 'writer', name: 'Writer', parameter: {datasource: 'sls_target', logstore: 'events', topic: 'run-1', column: ['id', 'score', 'price', 'ok', 'happened', 'note', 'ts'], ...writer}},
		],
		setting,
		order: {hops: [{from: 'Reader', to: 'Writer'}]},
	}));
}

function lookup(t: {context: {maxcompute: StandInHandle}}) {
	return (name: string, type: 'odps' | 'loghub') => {
		if (name === 'odps_first' && type === 'odps') {
			return {endpoint: t.context.maxcompute.url, project, accessId: keys.accessKeyId, accessKey: keys.secret};
		}

		if (name === 'sls_target' && type === 'loghub') {
			return {endpoint: 'http://127.0.0.1:1', project: 'sls-project', accessId: 'sls-ak', accessKey: 'sls-secret'};
		}

		return undefined;
	};
}

test('reads a partition through ODPS REST and writes every value as DataX strings, in batches, with log times', async t => {
	const sink = memorySink();
	const log: string[] = [];
	const runner = createDiRunner({sink, now: () => now});
	const result = await runner.run({job: job({batchSize: 2, time: 'ts', timeformat: 'yyyy-MM-dd HH:mm:ss'}), dataSources: lookup(t), log: line => log.push(line)});
	t.deepEqual(result, {status: 'SUCCESS', read: 3, written: 3, dirty: 0});
	t.deepEqual(sink.groups.map(({group}) => group.logs.length), [2, 1], 'batchSize 2 → groups of 2 and the rest');
	t.deepEqual(sink.groups[0]!.target, {endpoint: 'http://127.0.0.1:1', project: 'sls-project', logstore: 'events', accessKeyId: 'sls-ak', accessKeySecret: 'sls-secret'});
	t.is(sink.groups[0]!.group.topic, 'run-1');
	const logs = sink.groups.flatMap(({group}) => group.logs).sort((a, b) => Number(a.contents[0]![1]) - Number(b.contents[0]![1]));
	t.deepEqual(logs.map(entry => Object.fromEntries(entry.contents)), [
		{id: '1', score: '1.5', price: '12.50', ok: 'true', happened: '2024-01-01 08:00:00', note: 'say "hi", then go', ts: '2024-01-01 08:00:00'},
		{id: '2', score: '10000000000', price: '-0.05', ok: 'false', happened: '2024-01-01 09:30:15', note: 'line1\nline2 你好', ts: '1704072600'},
		{id: '3', score: '', price: '', ok: '', happened: '', note: '', ts: 'not a time'},
	]);
	// 2024-01-01 08:00:00 in GMT+8 is 00:00 UTC; the epoch-seconds text does not match the pattern; "not a time" neither.
	t.deepEqual(logs.map(entry => entry.time), [Date.UTC(2024, 0, 1) / 1000, now / 1000, now / 1000]);
	const text = log.join('\n');
	t.regex(text, /读出记录总数\s+: 3/);
	t.regex(text, /读写失败总数\s+: 0/);
	t.regex(text, /Total 3 records/);
});

test('bigint time format takes Unix seconds; a partition column and a constant can be read', async t => {
	const sink = memorySink();
	const runner = createDiRunner({sink, now: () => now});
	const result = await runner.run({
		job: job({column: ['id', 'ts', 'pt', 'tag'], time: 'ts', timeFormat: 'bigint'}, {}, {column: ['id', 'ts', 'pt', '\'const\''], partition: ['pt=20240101', 'pt=20240102']}),
		dataSources: lookup(t),
		log: () => undefined,
	});
	t.is(result.status, 'SUCCESS');
	t.is(result.read, 4);
	const logs = sink.groups.flatMap(({group}) => group.logs);
	const byId = new Map(logs.map(entry => [entry.contents[0]![1], entry]));
	t.is(byId.get('2')!.time, 1_704_072_600);
	t.is(byId.get('1')!.time, now / 1000, 'a datetime text is not an Integer: now');
	t.deepEqual(byId.get('4')!.contents, [['id', '4'], ['ts', '2024-01-02 00:00:00'], ['pt', '20240102'], ['tag', 'const']]);
});

test('column-count mismatches are dirty records checked against errorLimit.record', async t => {
	const fewer = {column: ['id', 'score', 'price', 'ok', 'happened', 'note', 'ts', 'extra']};
	const strict = createDiRunner({sink: memorySink(), now: () => now});
	const log: string[] = [];
	const failed = await strict.run({job: job(fewer, {errorLimit: {record: '2'}}), dataSources: lookup(t), log: line => log.push(line)});
	t.is(failed.status, 'FAILURE');
	t.is(failed.dirty, 3);
	t.regex(failed.errorMessage ?? '', /Framework-14.*脏数据条数检查不通过，限制是\[2\]条，但实际上捕获了\[3\]条/);
	t.regex(log.join('\n'), /读写失败总数\s+: 3/);

	const lenientSink = memorySink();
	const lenient = await createDiRunner({sink: lenientSink, now: () => now}).run({job: job(fewer, {errorLimit: {record: '3'}}), dataSources: lookup(t), log: () => undefined});
	t.like(lenient, {status: 'SUCCESS', dirty: 3, written: 3}, 'the writer still sends a record with fewer columns');

	const more = await createDiRunner({sink: memorySink(), now: () => now}).run({job: job({column: ['id', 'score']}, {}), dataSources: lookup(t), log: () => undefined});
	t.is(more.status, 'FAILURE');
	t.regex(more.errorMessage ?? '', /Index 2 out of bounds for length 2/);
});

test('a missing data source, column or partition spec fails the run with a clear message', async t => {
	const runner = createDiRunner({sink: memorySink(), now: () => now});
	const noSource = await runner.run({job: job({}), dataSources: () => undefined, log: () => undefined});
	t.regex(noSource.errorMessage ?? '', /odps data source "odps_first" does not exist/);
	const noColumn = await runner.run({job: job({column: ['nope']}, {}, {column: ['nope']}), dataSources: lookup(t), log: () => undefined});
	t.regex(noColumn.errorMessage ?? '', /您所配置的列 \[nope\] 不存在/);
	const noPartition = await runner.run({job: job({}, {}, {partition: undefined}), dataSources: lookup(t), log: () => undefined});
	t.regex(noPartition.errorMessage ?? '', /分区信息没有配置/);
});
