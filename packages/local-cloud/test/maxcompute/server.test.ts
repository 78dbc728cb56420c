import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import anyTest, {type TestFn} from 'ava';
import {XMLParser} from 'fast-xml-parser';
import {buildSqlJobXml, createMaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {OdpsSqlError} from 'ferry/clouds/maxcompute/errors';
import {canonicalString, signatureV4, signRequest} from 'ferry/clouds/maxcompute/signature';
import {silentLogger} from 'ferry/log/logger';
import type {StandInHandle} from '../../source/contract.js';
import {startMaxComputeStandIn} from '../../source/maxcompute/server.js';
import {createEngineDouble} from '../helpers/maxcompute-engine-double.js';

const test = anyTest as TestFn<{dataDir: string; standIn: StandInHandle}>;

const keys = {accessKeyId: 'LTAIserverkey0001', secret: 'server-secret-Pw4nQ8'};
const project = 'ferry_local';
const parser = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false});

test.beforeEach(async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-mc-server-'));
	const standIn = await startMaxComputeStandIn({dataDir, region: 'ap-southeast-1', project, credentials: keys, accountId: '1000000000000000', engineModule: createEngineDouble()});
	t.context = {dataDir, standIn};
});

test.afterEach.always(async t => {
	await t.context.standIn.close();
	await rm(t.context.dataDir, {recursive: true, force: true});
});

async function call(standIn: StandInHandle, method: string, resource: string, options: {body?: string; headers?: Record<string, string>; sign?: boolean} = {}) {
	const headers: Record<string, string> = {Date: new Date().toUTCString(), ...options.body ? {'Content-Type': 'application/xml'} : {}, ...options.headers};
	if (options.sign !== false) {
		Object.assign(headers, signRequest({method, resource, headers}, {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}));
	}

	const response = await fetch(`${standIn.url}${resource}`, {method, headers, body: options.body});
	return {status: response.status, headers: response.headers, text: await response.text()};
}

async function waitTerminated(standIn: StandInHandle, instanceId: string) {
	for (let tries = 0; tries < 200; tries++) {
		const status = await call(standIn, 'GET', `/projects/${project}/instances/${instanceId}?curr_project=${project}`);
		if (status.text.includes('<Status>Terminated</Status>')) {
			return;
		}

		await new Promise(resolve => setTimeout(resolve, 10));
	}

	throw new Error('instance did not terminate');
}

async function submit(standIn: StandInHandle, sql: string) {
	const created = await call(standIn, 'POST', `/projects/${project}/instances?curr_project=${project}`, {body: buildSqlJobXml(sql, {a: 'b'}, 9)});
	const instanceId = created.headers.get('location')?.split('/').pop() ?? '';
	return {created, instanceId};
}

test('POST instances answers 201 with Location and a request id, and persists the instance as JSON, its SQL beside it', async t => {
	const {created, instanceId} = await submit(t.context.standIn, 'SELECT 1');
	t.is(created.status, 201);
	t.regex(created.headers.get('location') ?? '', new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/projects/${project}/instances/\\d{17}g[a-z\\d]{9}$`));
	t.regex(created.headers.get('x-odps-request-id') ?? '', /^[\dA-F]{24}$/);
	await waitTerminated(t.context.standIn, instanceId);
	await t.context.standIn.close();
	const stored = JSON.parse(await readFile(path.join(t.context.dataDir, 'instances', `${instanceId}.json`), 'utf8')) as {taskState: string; settings: Record<string, string>};
	t.is(stored.taskState, 'Success');
	t.is(await readFile(path.join(t.context.dataDir, 'instances', `${instanceId}.sql`), 'utf8'), 'SELECT 1;');
	t.deepEqual(stored.settings, {a: 'b'});
});

test('?taskstatus and ?result have the service shapes; non-ASCII results are Base64, ASCII ones plain', async t => {
	const people = await submit(t.context.standIn, 'SELECT * FROM people');
	await waitTerminated(t.context.standIn, people.instanceId);
	const status = parser.parse((await call(t.context.standIn, 'GET', `/projects/${project}/instances/${people.instanceId}?curr_project=${project}&taskstatus`)).text) as {Instance: {Status: string; Tasks: {Task: {'@_Type': string; Name: string; Status: string}}}};
	t.is(status.Instance.Status, 'Terminated');
	t.is(status.Instance.Tasks.Task['@_Type'], 'SQL');
	t.is(status.Instance.Tasks.Task.Name, 'AnonymousSQLTask');
	t.is(status.Instance.Tasks.Task.Status, 'Success');

	type Result = {Instance: {Tasks: {Task: {Result: {'#text': string; '@_Transform'?: string}; ResultDescriptor: string}}}};
	const encoded = parser.parse((await call(t.context.standIn, 'GET', `/projects/${project}/instances/${people.instanceId}?result&curr_project=${project}`)).text) as Result;
	t.is(encoded.Instance.Tasks.Task.Result['@_Transform'], 'Base64');
	t.true(Buffer.from(encoded.Instance.Tasks.Task.Result['#text'], 'base64').toString('utf8').startsWith('id,name,note\n'));
	t.deepEqual(JSON.parse(encoded.Instance.Tasks.Task.ResultDescriptor), {IsSelect: true, SelectResultStatus: 'FULL'});

	const ascii = await submit(t.context.standIn, 'SELECT * FROM ascii_only');
	await waitTerminated(t.context.standIn, ascii.instanceId);
	const plain = parser.parse((await call(t.context.standIn, 'GET', `/projects/${project}/instances/${ascii.instanceId}?result`)).text) as Result;
	t.is(plain.Instance.Tasks.Task.Result['@_Transform'], undefined);
	t.is(plain.Instance.Tasks.Task.Result['#text'], 'a\n"x,y"\n\\N\n');
});

test('a failed task carries the ODPS error text in ?result', async t => {
	const {instanceId} = await submit(t.context.standIn, 'SELECT * FROM missing');
	await waitTerminated(t.context.standIn, instanceId);
	const result = await call(t.context.standIn, 'GET', `/projects/${project}/instances/${instanceId}?result`);
	t.true(result.text.includes('<Status>Failed</Status>'));
	t.true(result.text.includes('ODPS-0130131:[1,15] Table not found - table ferry_local.missing cannot be resolved'));
});

test('authentication failures use the service codes', async t => {
	const missing = await call(t.context.standIn, 'GET', `/projects/${project}`, {sign: false});
	t.is(missing.status, 401);
	t.true(missing.text.includes('<Code>Unauthorized</Code>'));

	const tampered = await call(t.context.standIn, 'GET', `/projects/${project}`, {headers: {Authorization: `ODPS ${keys.accessKeyId}:AAAAAAAAAAAAAAAAAAAAAAAAAAA=`}, sign: false});
	t.is(tampered.status, 403);
	t.true(tampered.text.includes('<Code>SignatureNotMatch</Code>'));

	const stale = await call(t.context.standIn, 'GET', `/projects/${project}`, {headers: {Date: new Date(Date.now() - 3_600_000).toUTCString()}});
	t.is(stale.status, 403);
	t.true(stale.text.includes('<Code>RequestTimeTooSkewd</Code>'));
	t.true(stale.text.includes('ODPS-0410031'));
});

test('a v4-signed request is accepted, one for another region refused', async t => {
	const resource = `/projects/${project}?curr_project=${project}`;
	const date = new Date();
	const day = date.toISOString().slice(0, 10).replaceAll('-', '');
	const headers = {Date: date.toUTCString()};
	const canonical = canonicalString({method: 'GET', resource, headers});
	const sign = (region: string) => `ODPS ${keys.accessKeyId}/${day}/${region}/odps/aliyun_v4_request:${signatureV4(keys.secret, day, region, canonical)}`;
	const good = await call(t.context.standIn, 'GET', resource, {headers: {...headers, Authorization: sign('ap-southeast-1')}, sign: false});
	t.is(good.status, 200);
	t.true(good.text.includes(`<Name>${project}</Name>`));
	const wrongRegion = await call(t.context.standIn, 'GET', resource, {headers: {...headers, Authorization: sign('cn-hangzhou')}, sign: false});
	t.is(wrongRegion.status, 403);
});

test('malformed jobs, unknown instances and unknown paths get the service error shapes', async t => {
	const malformed = await call(t.context.standIn, 'POST', `/projects/${project}/instances`, {body: '<Instance><Job><Tasks><SQL><Name>x</Name></SQL></Tasks></Job></Instance>'});
	t.is(malformed.status, 400);
	t.true(malformed.text.includes('<Code>InvalidParameter</Code>'));
	const unknown = await call(t.context.standIn, 'GET', `/projects/${project}/instances/20260101000000000gnothing1`);
	t.is(unknown.status, 404);
	t.true(unknown.text.includes('<Code>NoSuchObject</Code>'));
	const project404 = await call(t.context.standIn, 'GET', '/projects/other/instances/x');
	t.is(project404.status, 404);
	t.true(project404.text.includes('<Code>NoSuchProject</Code>'));
	t.deepEqual((await readdir(path.join(t.context.dataDir, 'instances'))).length, 0);
});

test('stopping a waiting instance cancels it before it runs', async t => {
	const running = await submit(t.context.standIn, 'SELECT sleep(60)');
	const queued = await submit(t.context.standIn, 'SELECT 1');
	const stopBody = '<?xml version="1.0" encoding="UTF-8"?>\n<Instance><Status>Terminated</Status></Instance>';
	t.is((await call(t.context.standIn, 'PUT', `/projects/${project}/instances/${queued.instanceId}`, {body: stopBody})).status, 200);
	t.true((await call(t.context.standIn, 'GET', `/projects/${project}/instances/${queued.instanceId}?taskstatus`)).text.includes('<Status>Cancelled</Status>'));
	t.is((await call(t.context.standIn, 'PUT', `/projects/${project}/instances/${running.instanceId}`, {body: stopBody})).status, 200);
	await waitTerminated(t.context.standIn, running.instanceId);
});

test('with the DuckDB engine: DDL, inserts, a SELECT with NULLs and quotes, DESC and a failing statement', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-mc-engine-'));
	const standIn = await startMaxComputeStandIn({dataDir, region: 'ap-southeast-1', project, credentials: keys, accountId: '1000000000000000'});
	try {
		const client = createMaxComputeClient({endpoint: standIn.url, project, credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}, logger: silentLogger, poll: {initialMs: 20, maxMs: 100}});
		t.deepEqual(await client.whoami(), {owner: 'ALIYUN$1000000000000000'});
		t.is((await client.runSql('CREATE TABLE people (id BIGINT, name STRING, note STRING);')).text.trim(), 'OK');
		await client.runSql(`INSERT INTO people VALUES (1, 'Ada "the first", Lovelace', 'Zoë'), (2, NULL, 'a\\\\b');`);
		const result = await client.runSql('SELECT id, name, note FROM people ORDER BY id;');
		t.deepEqual(result.columns, ['id', 'name', 'note']);
		t.deepEqual(result.rows, [['1', 'Ada "the first", Lovelace', 'Zoë'], ['2', null, result.rows[1]?.[2] ?? '']]);
		t.regex(result.rows[1]?.[2] ?? '', /^a\\{1,2}b$/);
		const columns = await client.describeTable('people');
		t.deepEqual(columns.map(column => [column.name, column.type]), [['id', 'bigint'], ['name', 'string'], ['note', 'string']]);
		t.false(await client.tableExists('nobody'));
		const error = await t.throwsAsync(client.runSql('SELECT * FROM nobody;'), {instanceOf: OdpsSqlError});
		t.is(error.odpsCode, 'ODPS-0130131');
	} finally {
		await standIn.close();
		await rm(dataDir, {recursive: true, force: true});
	}
});
