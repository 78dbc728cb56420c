import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {createMaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {silentLogger} from 'ferry/log/logger';
import {startDataHubStandIn, type DataHubStandInHandle} from '../../source/datahub/server.js';
import {startMaxComputeStandIn} from '../../source/maxcompute/server.js';
import {dataHubRequest} from '../helpers/datahub-request.js';

const keys = {accessKeyId: 'LTAIlocalcloud01', secret: 'local-secret-Qw12'};
const project = 'ferry_local';
const schema = (third: string) => JSON.stringify({fields: [{name: 'f1', type: 'STRING'}, {name: 'f2', type: 'STRING'}, {name: 'f3', type: third}]});

type Status = {ShardId: string; State: string; CurrentSequence: number; CurrentTimestamp: number; LastErrorMessage: string};

test('the sink_odps connector syncs records into the MaxCompute partition, exactly once across a restart, and hangs when the table goes', async t => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'ferry-datahub-sync-'));
	const maxcompute = await startMaxComputeStandIn({dataDir: path.join(root, 'maxcompute'), region: 'ap-southeast-1', project, credentials: keys, accountId: '1000000000000000'});
	const start = async () => startDataHubStandIn({dataDir: path.join(root, 'datahub'), region: 'ap-southeast-1', credentials: keys, sync: {intervalMs: 500}});
	let datahub: DataHubStandInHandle = await start();
	const mc = createMaxComputeClient({endpoint: maxcompute.url, project, credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}, logger: silentLogger, poll: {initialMs: 50, maxMs: 300}});
	const call = async (method: string, resource: string, body?: unknown) => dataHubRequest(datahub.url, keys, method, resource, {body});
	const config = {TimestampUnit: 'MICROSECOND', OdpsEndpoint: maxcompute.url, Project: project, Table: 'test', AccessId: keys.accessKeyId, AccessKey: keys.secret, TimeRange: 15, PartitionMode: 'SYSTEM_TIME', PartitionConfig: {ds: '%Y%m%d'}, TimeZone: 'UTC'};

	async function statuses(connectorId: string): Promise<Status[]> {
		const answer = await call('POST', `/projects/ferry_dh/topics/events/connectors/${connectorId}`, {Action: 'Status'});
		return Object.values(answer.body.ShardStatusInfos as Record<string, Status>);
	}

	async function waitFor(connectorId: string, done: (shards: Status[]) => boolean): Promise<Status[]> {
		for (let tries = 0; tries < 300; tries++) {
			const shards = await statuses(connectorId);
			if (done(shards)) return shards;
			await sleep(100);
		}

		throw new Error(`connector never got there: ${JSON.stringify(await statuses(connectorId))}`);
	}

	async function put(records: {shard: string; data: (string | null)[]}[]) {
		const answer = await call('POST', '/projects/ferry_dh/topics/events/shards', {Action: 'pub', Records: records.map(record => ({ShardId: record.shard, Data: record.data}))});
		t.is(answer.body.FailedRecordCount, 0);
	}

	try {
		await mc.runSql('CREATE TABLE test(f1 string, f2 string, f3 double) partitioned by (ds string);');
		await call('POST', '/projects/ferry_dh', {Comment: 'sync'});
		t.is((await call('POST', '/projects/ferry_dh/topics/events', {Action: 'create', ShardCount: 2, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: schema('DOUBLE'), Comment: 'events'})).status, 201);
		t.is((await call('POST', '/projects/ferry_dh/topics/mismatch', {Action: 'create', ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: schema('STRING'), Comment: 'bad'})).status, 201);

		const refused = await call('POST', '/projects/ferry_dh/topics/mismatch/connectors/sink_odps', {Action: 'create', Type: 'sink_odps', SinkStartTime: -1, ColumnFields: ['f1', 'f2', 'f3'], Config: config});
		t.is(refused.status, 400);
		t.is(refused.body.ErrorCode, 'InvalidParameter');
		t.regex(String(refused.body.ErrorMessage), /f3.*STRING.*DOUBLE/);
		const noTable = await call('POST', '/projects/ferry_dh/topics/mismatch/connectors/sink_odps', {Action: 'create', Type: 'sink_odps', ColumnFields: ['f1'], Config: {...config, Table: 'absent'}});
		t.is(noTable.body.ErrorCode, 'InvalidParameter');

		const created = await call('POST', '/projects/ferry_dh/topics/events/connectors/sink_odps', {Action: 'create', Type: 'sink_odps', SinkStartTime: -1, ColumnFields: ['f1', 'f2', 'f3'], Config: config});
		t.is(created.status, 200);
		const connectorId = String(created.body.ConnectorId);
		t.deepEqual((await call('GET', '/projects/ferry_dh/topics/events/connectors?mode=id')).body, {Connectors: [connectorId]});
		const described = await call('GET', `/projects/ferry_dh/topics/events/connectors/${connectorId}`);
		t.is((described.body.Config as Record<string, string>).TimeRange, '15');
		t.is((described.body.Config as Record<string, string>).PartitionConfig, '[{"key":"ds","value":"%Y%m%d"}]');
		t.false('AccessKey' in (described.body.Config as object));
		t.is((await call('POST', '/projects/ferry_dh/topics/events/connectors/sink_odps', {Action: 'create', Type: 'sink_odps', ColumnFields: ['f1'], Config: config})).body.ErrorCode, 'ConnectorAlreadyExist');

		for (let tries = 0; tries < 50; tries++) {
			const shards = await call('GET', '/projects/ferry_dh/topics/events/shards');
			if ((shards.body.Shards as {State: string}[]).every(shard => shard.State === 'ACTIVE')) break;
			await sleep(50);
		}

		await put([
			{shard: '0', data: ['a1', 'it\'s "quoted"\\', '1.5']},
			{shard: '0', data: ['a2', null, '-2.25e+00']},
			{shard: '1', data: ['b1', 'line\nbreak', '3']},
		]);
		const synced = await waitFor(connectorId, shards => shards.find(shard => shard.ShardId === '0')?.CurrentSequence === 1 && shards.find(shard => shard.ShardId === '1')?.CurrentSequence === 0);
		t.true(synced.every(shard => shard.State === 'CONTEXT_EXECUTING' && shard.LastErrorMessage === '' && shard.CurrentTimestamp > 0));

		const cursor = await call('POST', '/projects/ferry_dh/topics/events/shards/0', {Action: 'cursor', Type: 'OLDEST'});
		const writeTime = new Date(Number(cursor.body.RecordTime));
		const ds = `${writeTime.getUTCFullYear()}${String(writeTime.getUTCMonth() + 1).padStart(2, '0')}${String(writeTime.getUTCDate()).padStart(2, '0')}`;
		const rows = await mc.runSql('SELECT f1, f2, f3, ds FROM test ORDER BY f1;');
		t.deepEqual(rows.rows, [['a1', 'it\'s "quoted"\\', '1.5', ds], ['a2', null, '-2.25', ds], ['b1', 'line\nbreak', '3.0', ds]]);

		// A restart keeps the progress: only the new record is written.
		await datahub.close();
		datahub = await start();
		await put([{shard: '1', data: ['b2', 'after', '4']}]);
		await waitFor(connectorId, shards => shards.find(shard => shard.ShardId === '1')?.CurrentSequence === 1);
		t.deepEqual((await mc.runSql('SELECT f1 FROM test ORDER BY f1;')).rows.map(row => row[0]), ['a1', 'a2', 'b1', 'b2']);

		await mc.runSql('DROP TABLE test;');
		await put([{shard: '0', data: ['a3', 'gone', '5']}]);
		const hung = await waitFor(connectorId, shards => shards.find(shard => shard.ShardId === '0')?.State === 'CONTEXT_HANG');
		const shard0 = hung.find(shard => shard.ShardId === '0')!;
		t.is(shard0.CurrentSequence, 1);
		t.regex(shard0.LastErrorMessage, /ODPS-0130131|cannot be resolved|not found/i);
		const done = await call('GET', `/projects/ferry_dh/topics/events/connectors/${connectorId}?donetime`);
		t.is(done.body.TimeWindow, 900);
		t.is(done.body.TimeZone, 'UTC');
	} finally {
		await datahub.close();
		await maxcompute.close();
		await rm(root, {recursive: true, force: true});
	}
});

test('a backlog of many batches on every shard syncs at once, batch by batch, without waiting for the cadence', async t => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'ferry-datahub-backlog-'));
	const maxcompute = await startMaxComputeStandIn({dataDir: path.join(root, 'maxcompute'), region: 'ap-southeast-1', project, credentials: keys, accountId: '1000000000000000'});
	const datahub = await startDataHubStandIn({dataDir: path.join(root, 'datahub'), region: 'ap-southeast-1', credentials: keys, sync: {intervalMs: 600_000, batchRows: 40}});
	const mc = createMaxComputeClient({endpoint: maxcompute.url, project, credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}, logger: silentLogger, poll: {initialMs: 50, maxMs: 300}});
	const call = async (method: string, resource: string, body?: unknown) => dataHubRequest(datahub.url, keys, method, resource, {body});
	t.teardown(async () => {
		await datahub.close();
		await maxcompute.close();
		await rm(root, {recursive: true, force: true});
	});
	await mc.runSql('CREATE TABLE backlog(f1 string, f2 string, f3 double) partitioned by (ds string);');
	await call('POST', '/projects/ferry_dh', {Comment: 'backlog'});
	await call('POST', '/projects/ferry_dh/topics/backlog', {Action: 'create', ShardCount: 2, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: schema('DOUBLE'), Comment: 'backlog'});
	const config = {OdpsEndpoint: maxcompute.url, Project: project, Table: 'backlog', AccessId: keys.accessKeyId, AccessKey: keys.secret, TimeRange: 60, PartitionMode: 'SYSTEM_TIME', PartitionConfig: {ds: '%Y%m%d'}, TimeZone: 'UTC'};
	const created = await call('POST', '/projects/ferry_dh/topics/backlog/connectors/sink_odps', {Action: 'create', Type: 'sink_odps', ColumnFields: ['f1', 'f2', 'f3'], Config: config});
	const connectorId = String(created.body.ConnectorId);
	await sleep(400);
	const records = Array.from({length: 400}, (_, index) => ({ShardId: String(index % 2), Data: [`r${index}`, index % 7 === 0 ? null : `it's record ${index}`, String(index / 4)]}));
	t.is((await call('POST', '/projects/ferry_dh/topics/backlog/shards', {Action: 'pub', Records: records})).body.FailedRecordCount, 0);
	const started = Date.now();
	let shards: Status[] = [];
	for (let tries = 0; tries < 300; tries++) {
		shards = Object.values((await call('POST', `/projects/ferry_dh/topics/backlog/connectors/${connectorId}`, {Action: 'Status'})).body.ShardStatusInfos as Record<string, Status>);
		if (shards.every(shard => shard.CurrentSequence === 199)) break;
		await sleep(100);
	}

	t.true(shards.every(shard => shard.CurrentSequence === 199 && shard.LastErrorMessage === ''), JSON.stringify(shards));
	t.true(Date.now() - started < 60_000);
	const counts = await mc.runSql('SELECT count(*), count(DISTINCT f1), count(f2), sum(f3) FROM backlog;');
	t.deepEqual(counts.rows, [['400', '400', String(400 - 58), '19950.0']]);
});
