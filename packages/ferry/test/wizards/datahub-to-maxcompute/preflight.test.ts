import test from 'ava';
import type {MaxComputeClient} from '../../../source/clouds/maxcompute/client.js';
import {OdpsSqlError} from '../../../source/clouds/maxcompute/errors.js';
import {PreflightError} from '../../../source/engine/errors.js';
import {deniedPermission, permissionProbes, probePermissions} from '../../../wizards/datahub-to-maxcompute/permissions.js';
import {describeRun, useLocalCloud} from '../../helpers/cli.js';
import {dataHubRequest} from '@ferry/local-cloud/test/helpers/datahub-request';
import {localCloudAccess} from '../../helpers/local-cloud-access.js';

const cloud = useLocalCloud(test);

/** MaxCompute's own wording of a denial (ODPS-0130013, "Authorization Failed [4019]"). */
const denial = (privilege: string) => `ODPS-0130013:Authorization exception - Authorization Failed [4019], You have NO privilege 'odps:${privilege}' on {acs:odps:*:projects/p/tables/test}. Context ID:0f2a.`;

function fakeMaxCompute(answer: (sql: string) => Error | undefined, statements: string[] = []): MaxComputeClient {
	return {
		project: 'p',
		async runSql(sql: string) {
			statements.push(sql);
			const error = answer(sql);
			if (error) {
				throw error;
			}

			return {columns: [], rows: [], text: '', truncated: false, instanceId: 'i'};
		},
	} as unknown as MaxComputeClient;
}

test('the probes: DESC, an INSERT of no rows into dynamic partitions, and ADD IF NOT EXISTS of the first partition', t => {
	t.deepEqual(permissionProbes('test', ['f1', 'f2'], {column: 'ds', firstValue: '20261121'}), [
		{permission: 'Describe', statement: 'DESC `test`;'},
		{permission: 'Update', statement: 'INSERT INTO TABLE `test` PARTITION (`ds`) SELECT `f1`, `f2`, `ds` FROM `test` WHERE 1 = 0;'},
		{permission: 'Alter', statement: 'ALTER TABLE `test` ADD IF NOT EXISTS PARTITION (`ds` = \'20261121\');'},
	]);
	t.deepEqual(permissionProbes('test', ['f1'], {column: 'ds'}).map(probe => probe.permission), ['Describe', 'Update']);
});

test('a denied Update stops preflight with exit 4, one line naming the permission, the account and the table, and a GRANT hint', async t => {
	const client = fakeMaxCompute(sql => (sql.startsWith('INSERT') ? new OdpsSqlError('i', denial('Update')) : undefined));
	const error = await t.throwsAsync(probePermissions(client, permissionProbes('test', ['f1'], {column: 'ds', firstValue: '20261121'}), {account: 'ALIYUN$dev@example.com', table: 'test'}), {instanceOf: PreflightError});
	t.is(error?.exitCode, 4);
	t.is(error?.message, 'The DataConnector\'s account ALIYUN$dev@example.com lacks odps:Update on table p.test: the connector could not write');
	t.false(error?.message.includes('\n'));
	t.regex(error?.hint ?? '', /GRANT Describe, Alter, Update ON TABLE test TO USER ALIYUN\$dev@example\.com;.*Update at least/);
});

test('a denied Alter is named too; a probe the service does not accept is reported unchecked, not denied', async t => {
	const alter = fakeMaxCompute(sql => (sql.startsWith('ALTER') ? new OdpsSqlError('i', denial('Alter')) : undefined));
	const denied = await t.throwsAsync(probePermissions(alter, permissionProbes('test', ['f1'], {column: 'ds', firstValue: 'x'}), {account: 'a', table: 'test'}), {instanceOf: PreflightError});
	t.regex(denied?.message ?? '', /lacks odps:Alter/);

	const statements: string[] = [];
	const unsupported = fakeMaxCompute(sql => (sql.startsWith('ALTER') ? new OdpsSqlError('i', 'ODPS-0130161:[1,1] Parse exception - invalid token \'ALTER\'') : undefined), statements);
	const outcome = await probePermissions(unsupported, permissionProbes('test', ['f1'], {column: 'ds', firstValue: 'x'}), {account: 'a', table: 'test'});
	t.deepEqual(outcome.checked, ['Describe', 'Update']);
	t.is(outcome.unchecked[0]?.permission, 'Alter');
	t.regex(outcome.unchecked[0]?.why ?? '', /Parse exception/);
	t.is(statements.length, 3);
});

test('the Update probe reads the table: a Select denial leaves Update to the grants instead of failing preflight for a privilege the connector does not need', async t => {
	const client = fakeMaxCompute(sql => (sql.startsWith('INSERT') ? new OdpsSqlError('i', denial('Select')) : undefined));
	const outcome = await probePermissions(client, permissionProbes('test', ['f1'], {column: 'ds', firstValue: 'x'}), {account: 'a', table: 'test'});
	t.deepEqual(outcome.checked, ['Describe', 'Alter']);
	t.deepEqual(outcome.unchecked.map(item => item.permission), ['Update']);
	t.regex(outcome.unchecked[0]!.why, /needs Select \(the connector does not\); the grants decide/);
});

test('deniedPermission reads the privilege from SQL and HTTP denials and ignores other errors', t => {
	t.is(deniedPermission(new Error(denial('Describe'))), 'odps:Describe');
	t.is(deniedPermission(new Error('ODPS-0420095: Access Denied - Authorization Failed [4019], You have NO privilege \'odps:CreateInstance\' on {acs:odps:*:projects/p}.')), 'odps:CreateInstance');
	t.is(deniedPermission(new Error('ODPS-0130131:Table not found')), undefined);
});

async function createTopics(project: string, from: number, to: number): Promise<void> {
	const access = localCloudAccess(cloud.home);
	const keys = {accessKeyId: access.alibaba.accessKeyId, secret: access.alibaba.accessKeySecret};
	const url = access.services['datahub']!;
	if (from === 0) {
		await dataHubRequest(url, keys, 'POST', `/projects/${project}`, {body: {Comment: 'quota test'}});
	}

	const schema = JSON.stringify({fields: [{name: 'f1', type: 'STRING'}]});
	for (let index = from; index < to; index++) {
		const created = await dataHubRequest(url, keys, 'POST', `/projects/${project}/topics/filler_${index}`, {body: {Action: 'create', ShardCount: 1, Lifecycle: 1, RecordType: 'TUPLE', RecordSchema: schema, Comment: 'filler'}});
		if (created.status !== 201) {
			throw new Error(`topic ${index}: ${created.text}`);
		}
	}
}

test.serial('topic quota at DataHub\'s documented 500: 499 topics leave room for a new one; 500 stop preflight with exit 4, while an existing topic still passes', async t => {
	await createTopics('quota_dh', 0, 499);
	const room = await cloud.ferry(['plan', 'datahub-to-maxcompute', '--local', '--set', 'datahubProject=quota_dh', '--set', 'datahubTopic=fresh']);
	t.is(room.exitCode, 0, describeRun(room));

	await createTopics('quota_dh', 499, 500);
	const full = await cloud.ferry(['plan', 'datahub-to-maxcompute', '--local', '--set', 'datahubProject=quota_dh', '--set', 'datahubTopic=fresh']);
	t.is(full.exitCode, 4, describeRun(full));
	t.regex(full.stderr, /DataHub project quota_dh already has 500 topics, DataHub's limit of 500 per project/);

	const existing = await cloud.ferry(['plan', 'datahub-to-maxcompute', '--local', '--set', 'datahubProject=quota_dh', '--set', 'datahubTopic=filler_7', '--set', 'tableColumns=f1 string']);
	t.not(existing.exitCode, 4, describeRun(existing));
});

test.serial('with an existing table, preflight probes the connector account\'s permissions on it and reports what it checked', async t => {
	const create = await cloud.ferry(['sql', '--local', '--wizard', 'datahub-to-maxcompute', '--side', 'target', 'CREATE TABLE probed (f1 STRING, f2 STRING, f3 DOUBLE) PARTITIONED BY (ds STRING)']);
	t.is(create.exitCode, 0, describeRun(create));
	// Without --yes the run stops at the plan review, after preflight has reported.
	const run = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--set', 'maxcomputeTable=probed', '--set', 'datahubTopic=probed']);
	t.regex(run.stderr, /the connector's account \S+: CreateInstance, Describe, Update(, Alter)? allowed/, describeRun(run, 60));
	const rows = await cloud.ferry(['sql', '--local', '--wizard', 'datahub-to-maxcompute', '--side', 'target', '--json', 'SELECT count(*) FROM probed']);
	t.regex(rows.stdout, /"0"|\b0\b/, 'the probes wrote nothing');
});
