import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {createMaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {silentLogger} from 'ferry/log/logger';
import {localMaxComputeProject} from '../../source/contract.js';
import {dataHubRequest} from '../helpers/datahub-request.js';
import {startLocalServices} from '../helpers/local-services.js';

type Status = {ShardId: string; State: string; CurrentSequence: number; LastErrorMessage: string};

test('a connector writing with a RAM user granted CreateInstance, Describe, Alter and Update syncs; without Update it hangs on MaxCompute\'s denial', async t => {
	const local = await startLocalServices(['maxcompute', 'datahub']);
	try {
		const root = local.credentials.alibaba;
		const owner = createMaxComputeClient({endpoint: local.url('maxcompute'), project: localMaxComputeProject, credentials: root, logger: silentLogger, poll: {initialMs: 20, maxMs: 200}});
		const account = local.account();
		const user = account.createUser({userName: 'connector'});
		const key = account.createAccessKey('connector');
		const name = `RAM$1000000000000000:${user.userId}`;
		await owner.runSql('CREATE TABLE events (f1 STRING) PARTITIONED BY (ds STRING);');
		for (const statement of [`ADD USER ${name};`, `GRANT CreateInstance ON PROJECT ${localMaxComputeProject} TO USER ${name};`, `GRANT Describe, Alter, Update ON TABLE events TO USER ${name};`]) {
			await owner.runSql(statement);
		}

		const keys = {accessKeyId: root.accessKeyId, secret: root.accessKeySecret};
		const call = async (method: string, resource: string, body?: unknown) => dataHubRequest(local.url('datahub'), keys, method, resource, {body});
		await call('POST', '/projects/ferry_acl', {Comment: 'acl'});
		await call('POST', '/projects/ferry_acl/topics/events', {Action: 'create', ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: JSON.stringify({fields: [{name: 'f1', type: 'STRING'}]}), Comment: 'events'});
		const config = {OdpsEndpoint: local.url('maxcompute'), Project: localMaxComputeProject, Table: 'events', AccessId: key.accessKeyId, AccessKey: key.accessKeySecret, TimeRange: 15, PartitionMode: 'SYSTEM_TIME', PartitionConfig: {ds: '%Y%m%d'}, TimeZone: 'UTC'};
		const created = await call('POST', '/projects/ferry_acl/topics/events/connectors/sink_odps', {Action: 'create', Type: 'sink_odps', SinkStartTime: -1, ColumnFields: ['f1'], Config: config});
		t.is(created.status, 200, JSON.stringify(created.body));
		const connectorId = String(created.body.ConnectorId);
		const shard = async () => Object.values((await call('POST', `/projects/ferry_acl/topics/events/connectors/${connectorId}`, {Action: 'Status'})).body.ShardStatusInfos as Record<string, Status>)[0]!;
		const until = async (done: (status: Status) => boolean) => {
			for (let tries = 0; tries < 300; tries++) {
				const status = await shard();
				if (done(status)) return status;
				await sleep(100);
			}

			throw new Error(`the connector never got there: ${JSON.stringify(await shard())}`);
		};

		for (let tries = 0; tries < 50 && ((await call('GET', '/projects/ferry_acl/topics/events/shards')).body.Shards as Array<{State: string}>)[0]?.State !== 'ACTIVE'; tries++) {
			await sleep(50);
		}

		await call('POST', '/projects/ferry_acl/topics/events/shards', {Action: 'pub', Records: [{ShardId: '0', Data: ['one']}, {ShardId: '0', Data: ['two']}]});
		await until(status => status.CurrentSequence === 1);
		t.deepEqual((await owner.runSql('SELECT f1 FROM events ORDER BY f1;')).rows.map(row => row[0]), ['one', 'two']);

		await owner.runSql(`REVOKE Update ON TABLE events FROM USER ${name};`);
		await call('POST', '/projects/ferry_acl/topics/events/shards', {Action: 'pub', Records: [{ShardId: '0', Data: ['three']}]});
		const hung = await until(status => status.State === 'CONTEXT_HANG');
		t.regex(hung.LastErrorMessage, /ODPS-0130013.*NO privilege 'odps:Update'/);
		t.is(hung.CurrentSequence, 1);
	} finally {
		await local.close();
	}
});
