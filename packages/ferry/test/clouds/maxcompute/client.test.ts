import {mkdtemp, rm} from 'node:fs/promises';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import anyTest, {type TestFn} from 'ava';
import {createMaxComputeClient, type MaxComputeClientOptions} from '../../../source/clouds/maxcompute/client.js';
import {OdpsSqlError} from '../../../source/clouds/maxcompute/errors.js';
import {InterruptedError, isAbortError, ServiceError} from '../../../source/engine/errors.js';
import {createMemoryLogger} from '../../../source/log/logger.js';
import type {StandInHandle} from '@ferry/local-cloud/contract';
import {startMaxComputeStandIn, type MaxComputeStandInOptions} from '@ferry/local-cloud/maxcompute/server';
import {createEngineDouble, peopleRows} from '@ferry/local-cloud/test/helpers/maxcompute-engine-double';

const test = anyTest as TestFn<{dataDir: string; standIn: StandInHandle; engine: ReturnType<typeof createEngineDouble>}>;

const keys = {accessKeyId: 'LTAIlocalferrykey01', secret: 'local-secret-Zq8wX3pVb9'};
const project = 'ferry_local';

async function startStandIn(dataDir: string, engine: ReturnType<typeof createEngineDouble>, extra: Partial<MaxComputeStandInOptions> = {}) {
	return startMaxComputeStandIn({dataDir, region: 'ap-southeast-1', project, credentials: keys, accountId: '1000000000000000', engineModule: engine, ...extra});
}

function clientFor(standIn: StandInHandle, extra: Partial<MaxComputeClientOptions> = {}) {
	const logger = createMemoryLogger();
	const client = createMaxComputeClient({
		endpoint: standIn.url,
		project,
		credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret},
		logger,
		region: 'ap-southeast-1',
		poll: {initialMs: 20, maxMs: 100},
		retryBaseDelayMs: 10,
		...extra,
	});
	return {client, logger};
}

test.beforeEach(async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-mc-client-'));
	const engine = createEngineDouble();
	t.context = {dataDir, engine, standIn: await startStandIn(dataDir, engine)};
});

test.afterEach.always(async t => {
	await t.context.standIn.close();
	await rm(t.context.dataDir, {recursive: true, force: true});
});

test('runSql submits, polls and decodes a Base64 CSV result with NULLs, quotes, newlines and non-ASCII', async t => {
	const {client, logger} = clientFor(t.context.standIn);
	const statuses: string[] = [];
	let submittedId: string | undefined;
	const result = await client.runSql('SELECT * FROM people', {
		settings: {'odps.sql.type.system.odps2': 'true'},
		onSubmitted: id => {
			submittedId = id;
		},
		onStatus: progress => statuses.push(progress.instanceStatus),
	});
	t.deepEqual(result.columns, ['id', 'name', 'note']);
	t.deepEqual(result.rows, peopleRows);
	t.is(result.rows[1]?.[1], null);
	t.is(result.rows[2]?.[1], '\\N', 'a quoted \\N is a string, not NULL');
	t.false(result.truncated);
	t.true(result.instanceId === submittedId);
	t.is(statuses.at(-1), 'Terminated');

	const statement = t.context.engine.log.statements[0];
	t.is(statement?.sql, 'SELECT * FROM people;', 'the query gets its semicolon');
	t.is(statement?.settings['odps.sql.type.system.odps2'], 'true');
	t.is(statement?.settings['odps.sql.udf.strict.mode'], 'true');

	t.true(logger.lines.some(line => line.includes('maxcompute.SubmitInstance POST') && line.includes('-> 201')));
	t.false(logger.lines.some(line => line.includes(keys.secret)));
});

test('an ASCII-only result comes back as plain text and parses the same way', async t => {
	const {client} = clientFor(t.context.standIn);
	const result = await client.runSql('SELECT * FROM ascii_only;');
	t.deepEqual(result.rows, [['x,y'], [null]]);
});

test('a failing SQL statement raises OdpsSqlError with the ODPS code and message', async t => {
	const {client} = clientFor(t.context.standIn);
	const error = await t.throwsAsync(client.runSql('SELECT * FROM missing'), {instanceOf: OdpsSqlError});
	t.is(error.odpsCode, 'ODPS-0130131');
	t.regex(error.odpsMessage, /Table not found - table ferry_local\.missing cannot be resolved/);
	t.is(error.exitCode, 1);
	t.regex(error.message, /instance \w+/);
});

test('a result over 10,000 rows is truncated like the service and flagged with a warning', async t => {
	const {client, logger} = clientFor(t.context.standIn);
	const result = await client.runSql('SELECT * FROM big');
	t.is(result.rows.length, 10_000);
	t.true(result.truncated);
	t.true(logger.lines.some(line => line.includes('WARN') && line.includes('truncated')));
});

test('stopInstance cancels a running instance and waiting reports the cancellation', async t => {
	const {client} = clientFor(t.context.standIn);
	const {instanceId} = await client.submitSql('SELECT sleep(60)');
	for (let tries = 0; tries < 100 && (await client.getTaskStatus(instanceId)).tasks[0]?.status !== 'Running'; tries++) {
		await new Promise(resolve => setTimeout(resolve, 20));
	}

	await client.stopInstance(instanceId);
	const error = await t.throwsAsync(client.waitForInstance(instanceId), {instanceOf: ServiceError});
	t.is(error.code, 'Cancelled');
	t.regex(error.message, /cancelled/);
	t.is((await client.getInstance(instanceId)).status, 'Terminated');
});

test('an instance is re-attached by id after the stand-in restarts on the same data directory', async t => {
	const {client} = clientFor(t.context.standIn);
	const finished = await client.runSql('SELECT 1');
	const {instanceId: interrupted} = await client.submitSql('SELECT slow()');
	const {port} = t.context.standIn;
	await t.context.standIn.close();
	t.context.standIn = await startStandIn(t.context.dataDir, t.context.engine, {port});

	const again = await client.attach(finished.instanceId);
	t.deepEqual(again.rows, [['1']]);
	const resumed = await client.attach(interrupted);
	t.deepEqual(resumed.rows, [['true']], 'the instance cut off by the stop runs again after the restart');
	const info = await client.getInstance(interrupted);
	t.is(info.owner, 'ALIYUN$1000000000000000');
	t.truthy(info.endTime);
});

test('a wrong secret is an authentication error (exit 3) and is not retried', async t => {
	const {client, logger} = clientFor(t.context.standIn, {credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: 'not-the-secret'}});
	const error = await t.throwsAsync(client.runSql('SELECT 1'), {instanceOf: ServiceError});
	t.is(error.status, 403);
	t.is(error.code, 'SignatureNotMatch');
	t.is(error.exitCode, 3);
	t.regex(error.message, /ODPS-0410042/);
	t.is(logger.lines.filter(line => line.includes('maxcompute.SubmitInstance')).length, 1);
	t.false(logger.lines.some(line => line.includes('not-the-secret')));
});

test('an unknown AccessKey ID is an authentication error too', async t => {
	const {client} = clientFor(t.context.standIn, {credentials: {accessKeyId: 'LTAIunknown', accessKeySecret: keys.secret}});
	const error = await t.throwsAsync(client.getProject(), {instanceOf: ServiceError});
	t.is(error.exitCode, 3);
	t.regex(error.message, /ODPS-0410051/);
});

test('injected 503s are retried with back-off, then the call succeeds', async t => {
	const {client, logger} = clientFor(t.context.standIn);
	t.context.standIn.injectFault({status: 503, code: 'ServiceUnavailable', count: 2});
	const result = await client.runSql('SELECT 1');
	t.deepEqual(result.rows, [['1']]);
	const submits = logger.lines.filter(line => line.includes('maxcompute.SubmitInstance'));
	t.is(submits.length, 3);
	t.true(submits[2]?.includes('attempt 3'));
	t.is(t.context.engine.log.statements.length, 1, 'the refused submissions created no instance');
});

test('an injected 403 is not retried', async t => {
	const {client, logger} = clientFor(t.context.standIn);
	t.context.standIn.injectFault({status: 403, code: 'AuthorizationRequired', count: 1});
	const error = await t.throwsAsync(client.getProject(), {instanceOf: ServiceError});
	t.is(error.exitCode, 3);
	t.is(logger.lines.filter(line => line.includes('maxcompute.GetProject')).length, 1);
});

test('a skewed clock gives RequestTimeTooSkewed with a hint about the clock', async t => {
	await t.context.standIn.close();
	t.context.standIn = await startStandIn(t.context.dataDir, t.context.engine, {now: () => Date.now() + 20 * 60_000});
	const {client} = clientFor(t.context.standIn);
	const error = await t.throwsAsync(client.getProject(), {instanceOf: ServiceError});
	t.is(error.code, 'RequestTimeTooSkewed');
	t.is(error.exitCode, 3);
	t.regex(error.hint ?? '', /clock/);
});

test('an unknown project is NoSuchProject with a hint about the name and region', async t => {
	const {client} = clientFor(t.context.standIn, {project: 'no_such_project'});
	const error = await t.throwsAsync(client.runSql('SELECT 1'), {instanceOf: ServiceError});
	t.is(error.status, 404);
	t.is(error.code, 'NoSuchProject');
	t.regex(error.hint ?? '', /project name.*region/);
});

test('STS keys must carry their token', async t => {
	await t.context.standIn.close();
	t.context.standIn = await startStandIn(t.context.dataDir, t.context.engine, {credentials: {...keys, securityToken: 'sts-token-value-123'}});
	const withoutToken = clientFor(t.context.standIn).client;
	const error = await t.throwsAsync(withoutToken.getProject(), {instanceOf: ServiceError});
	t.is(error.exitCode, 3);
	const withToken = clientFor(t.context.standIn, {credentials: async () => ({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret, securityToken: 'sts-token-value-123'})}).client;
	t.is((await withToken.getProject()).name, project);
});

test('whoami, getProject, describeTable, tableExists and logviewUrl', async t => {
	const {client} = clientFor(t.context.standIn);
	t.deepEqual(await client.whoami(), {owner: 'ALIYUN$1000000000000000'});
	t.deepEqual(await client.getProject(), {name: project, owner: 'ALIYUN$1000000000000000', status: 'AVAILABLE'});
	t.deepEqual(await client.describeTable('people'), [
		{name: 'id', type: 'bigint', comment: '', partition: false},
		{name: 'name', type: 'string', comment: 'who', partition: false},
	]);
	t.true(await client.tableExists('people'));
	t.false(await client.tableExists('absent'));
	await t.throwsAsync(client.tableExists('people; drop table x'), {message: /not a valid MaxCompute table name/});
	t.is(client.logviewUrl('abc'), undefined);
	const withLogview = clientFor(t.context.standIn, {logviewHost: 'https://logview.example.com/'}).client;
	t.regex(withLogview.logviewUrl('abc') ?? '', /^https:\/\/logview\.example\.com\/logview\/\?h=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fapi&p=ferry_local&i=abc$/);
});

test('whoami falls back to the instance owner when the SQL task refuses WHOAMI', async t => {
	await t.context.standIn.close();
	const refusing = createEngineDouble();
	t.context.standIn = await startStandIn(t.context.dataDir, {
		...refusing,
		async openMaxComputeEngine(options) {
			const engine = await refusing.openMaxComputeEngine(options);
			return {...engine, execute: async () => Promise.reject(Object.assign(new Error('ODPS-0130161:[1,1] Parse exception - invalid token \'WHOAMI\''), {code: 'ODPS-0130161'}))};
		},
	});
	t.deepEqual(await clientFor(t.context.standIn).client.whoami(), {owner: 'ALIYUN$1000000000000000'});
});

test('an aborted signal stops waiting at once', async t => {
	const {client} = clientFor(t.context.standIn);
	const controller = new AbortController();
	const running = client.runSql('SELECT sleep(60)', {signal: controller.signal});
	setTimeout(() => controller.abort(), 100);
	const error = await t.throwsAsync(running, {instanceOf: InterruptedError});
	t.true(isAbortError(error));
	t.is(error.exitCode, 130);
});

test('an endpoint that does not answer is a clear network error', async t => {
	const closed = http.createServer();
	await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
	const {port} = closed.address() as AddressInfo;
	await new Promise(resolve => closed.close(resolve));
	const {client, logger} = clientFor(t.context.standIn, {endpoint: `http://127.0.0.1:${port}/api`, attempts: 2});
	const error = await t.throwsAsync(client.getProject(), {instanceOf: ServiceError});
	t.is(error.message, `MaxCompute: GetProject could not reach http://127.0.0.1:${port}/api (ECONNREFUSED)`);
	t.is(logger.lines.filter(line => line.includes('network-error')).length, 2, 'a GET is retried after a network error');
});
