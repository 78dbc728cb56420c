import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import anyTest, {type TestFn} from 'ava';
import {XMLParser} from 'fast-xml-parser';
import {createMaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {signRequest} from 'ferry/clouds/maxcompute/signature';
import {silentLogger} from 'ferry/log/logger';
import type {StandInHandle} from '../../source/contract.js';
import {startMaxComputeStandIn} from '../../source/maxcompute/server.js';

// Shapes asserted here are the ones the vendor SDKs parse: pyodps odps/models/tables.py (Tables: Marker, MaxItems,
// Table), table.py (Table XML fields, TableSchema JSON fields incl. columns/partitionKeys), partitions.py/partition.py
// (Partitions, Partition/Column@Name/@Value, epoch times), instances.py/instance.py (Instances; ?instancesummary JSON
// Instance.JsonSummary/Summary; ?instanceprogress Progress/Stage@ID), and the Java SDK's Table/Partition/Instance.java.
const test = anyTest as TestFn<{dataDir: string; standIn: StandInHandle}>;
const keys = {accessKeyId: 'LTAImetadata0001', secret: 'metadata-secret-0001'};
const project = 'ferry_local';
const owner = 'ALIYUN$1000000000000000';
const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	parseTagValue: false,
	isArray: name => ['Table', 'Partition', 'Instance', 'Column', 'Stage'].includes(name),
});

test.before(async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-mc-rest-'));
	const standIn = await startMaxComputeStandIn({dataDir, region: 'ap-southeast-1', project, credentials: keys, accountId: '1000000000000000'});
	const client = createMaxComputeClient({endpoint: standIn.url, project, credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}, logger: silentLogger, poll: {initialMs: 20, maxMs: 100}});
	for (const name of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
		await client.runSql(`CREATE TABLE ${name} (id BIGINT);`);
	}

	await client.runSql("CREATE TABLE sales (id BIGINT COMMENT 'order id', amount DOUBLE) COMMENT 'daily sales' PARTITIONED BY (ds STRING COMMENT 'day', region STRING) LIFECYCLE 30;");
	await client.runSql("INSERT INTO sales PARTITION (ds='2024-01-01', region='eu') VALUES (1, 1.5), (2, 2.5);");
	await client.runSql("INSERT INTO sales PARTITION (ds='2024-01-01', region='us') VALUES (3, 3.5);");
	await client.runSql("INSERT INTO sales PARTITION (ds='2024-01-02', region='eu') VALUES (4, 4.5);");
	t.context = {dataDir, standIn};
});

test.after.always(async t => {
	await t.context.standIn.close();
	await rm(t.context.dataDir, {recursive: true, force: true});
});

async function get(standIn: StandInHandle, resource: string) {
	const headers: Record<string, string> = {Date: new Date().toUTCString()};
	Object.assign(headers, signRequest({method: 'GET', resource, headers}, {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}));
	const response = await fetch(`${standIn.url}${resource}`, {headers});
	return {status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text: await response.text()};
}

type TablesDocument = {Tables: {Table?: Array<{Name: string; TableId: string; Owner: string; Type: string; CreationTime: string}>; Marker?: string; MaxItems: string}};

test('GET tables pages with marker and maxitems; expectmarker=true always carries a Marker, empty on the last page', async t => {
	const names: string[] = [];
	let marker: string | undefined;
	let pages = 0;
	do {
		const answer = await get(t.context.standIn, `/projects/${project}/tables?expectmarker=true&maxitems=2&curr_project=${project}${marker ? `&marker=${marker}` : ''}`);
		t.is(answer.status, 200);
		t.regex(answer.contentType, /application\/xml/);
		const document = parser.parse(answer.text) as TablesDocument;
		t.is(document.Tables.MaxItems, '2');
		t.true('Marker' in document.Tables);
		for (const table of document.Tables.Table ?? []) {
			names.push(table.Name);
			t.is(table.Owner, owner);
			t.is(table.Type, 'MANAGED_TABLE');
			t.regex(table.TableId, /^[\da-f]{32}$/);
			t.false(Number.isNaN(Date.parse(table.CreationTime)));
		}

		marker = document.Tables.Marker;
		pages++;
	} while (marker);

	t.deepEqual(names, ['alpha', 'beta', 'delta', 'epsilon', 'gamma', 'sales']);
	t.is(pages, 3);

	const prefixed = parser.parse((await get(t.context.standIn, `/projects/${project}/tables?name=ga&curr_project=${project}`)).text) as TablesDocument;
	t.deepEqual(prefixed.Tables.Table?.map(table => table.Name), ['gamma']);
	t.false('Marker' in prefixed.Tables, 'without expectmarker the last page has no Marker');
	t.is(prefixed.Tables.MaxItems, '100');
});

test('GET a table answers its XML with the JSON Schema holding columns and partitionKeys', async t => {
	const answer = await get(t.context.standIn, `/projects/${project}/tables/sales?curr_project=${project}`);
	t.is(answer.status, 200);
	const document = parser.parse(answer.text) as {Table: Array<{Name: string; Comment: string; Owner: string; Schema: string; LastModifiedTime: string}>};
	const table = document.Table[0]!;
	t.is(table.Name, 'sales');
	t.is(table.Comment, 'daily sales');
	t.is(table.Owner, owner);
	const schema = JSON.parse(table.Schema) as {
		tableName: string; owner: string; comment: string; lifecycle: number; createTime: number; lastDDLTime: number; lastModifiedTime: number; recordNum: number; isVirtualView: boolean;
		columns: Array<{name: string; type: string; comment: string; isNullable: boolean}>;
		partitionKeys: Array<{name: string; type: string; comment: string}>;
	};
	t.like(schema, {tableName: 'sales', owner, comment: 'daily sales', lifecycle: 30, recordNum: 4, isVirtualView: false});
	t.deepEqual(schema.columns.map(column => [column.name, column.type, column.comment, column.isNullable]), [['id', 'bigint', 'order id', true], ['amount', 'double', '', true]]);
	t.deepEqual(schema.partitionKeys.map(column => [column.name, column.type, column.comment]), [['ds', 'string', 'day'], ['region', 'string', '']]);
	t.true(Number.isInteger(schema.createTime) && Math.abs(schema.createTime * 1000 - Date.now()) < 600_000, 'times in the schema are epoch seconds');

	const missing = await get(t.context.standIn, `/projects/${project}/tables/nobody?curr_project=${project}`);
	t.is(missing.status, 404);
	t.regex(missing.text, /<Code>NoSuchObject<\/Code>/);
	const extended = await get(t.context.standIn, `/projects/${project}/tables/sales?extended&curr_project=${project}`);
	t.is(extended.status, 200);
	t.regex(extended.text, /<Schema><!\[CDATA\[\{/);
});

type PartitionsDocument = {Partitions: {Partition?: Array<{Column?: Array<{'@_Name': string; '@_Value': string}>; Name?: string; CreationTime?: string; PartitionRecordCount?: string}>; Marker?: string; MaxItems: string}};

test('GET a table ?partitions lists Column Name/Value pairs with epoch times, pages, filters and reverses', async t => {
	const first = parser.parse((await get(t.context.standIn, `/projects/${project}/tables/sales?partitions&expectmarker=true&maxitems=2&curr_project=${project}`)).text) as PartitionsDocument;
	const specs = (document: PartitionsDocument) => (document.Partitions.Partition ?? []).map(partition => (partition.Column ?? []).map(column => `${column['@_Name']}=${column['@_Value']}`).join('/'));
	t.deepEqual(specs(first), ['ds=2024-01-01/region=eu', 'ds=2024-01-01/region=us']);
	t.deepEqual(first.Partitions.Partition?.map(partition => partition.PartitionRecordCount), ['2', '1']);
	t.regex(first.Partitions.Partition?.[0]?.CreationTime ?? '', /^\d{10}$/);
	t.truthy(first.Partitions.Marker);
	const second = parser.parse((await get(t.context.standIn, `/projects/${project}/tables/sales?partitions&expectmarker=true&maxitems=2&marker=${first.Partitions.Marker!}&curr_project=${project}`)).text) as PartitionsDocument;
	t.deepEqual(specs(second), ['ds=2024-01-02/region=eu']);
	t.is(second.Partitions.Marker, '');

	const filtered = parser.parse((await get(t.context.standIn, `/projects/${project}/tables/sales?partitions&expectmarker=true&partition=${encodeURIComponent("ds='2024-01-01'")}&curr_project=${project}`)).text) as PartitionsDocument;
	t.deepEqual(specs(filtered), ['ds=2024-01-01/region=eu', 'ds=2024-01-01/region=us']);
	const reversed = parser.parse((await get(t.context.standIn, `/projects/${project}/tables/sales?partitions&reverse&curr_project=${project}`)).text) as PartitionsDocument;
	t.deepEqual(specs(reversed), ['ds=2024-01-02/region=eu', 'ds=2024-01-01/region=us', 'ds=2024-01-01/region=eu']);
	const names = parser.parse((await get(t.context.standIn, `/projects/${project}/tables/sales?partitions&name&curr_project=${project}`)).text) as PartitionsDocument;
	t.deepEqual(names.Partitions.Partition?.map(partition => partition.Name), ['ds=2024-01-01/region=eu', 'ds=2024-01-01/region=us', 'ds=2024-01-02/region=eu']);

	const badColumn = await get(t.context.standIn, `/projects/${project}/tables/sales?partitions&partition=${encodeURIComponent("nope='x'")}&curr_project=${project}`);
	t.is(badColumn.status, 400);
	t.regex(badColumn.text, /<Code>InvalidParameter<\/Code>.*ODPS-0420061/s);
	const unpartitioned = parser.parse((await get(t.context.standIn, `/projects/${project}/tables/alpha?partitions&expectmarker=true&curr_project=${project}`)).text) as PartitionsDocument;
	t.is(unpartitioned.Partitions.Partition, undefined);
});

test('GET instances lists instances with their tasks, filters by status, pages; summary and progress have the SDK shapes', async t => {
	type InstancesDocument = {Instances: {Instance?: Array<{Name: string; Owner: string; StartTime: string; Status: string; Tasks: {Task: {'@_Type': string; Name: string; Status: string}}}>; Marker?: string; MaxItems: string}};
	const all: string[] = [];
	let marker = '';
	do {
		const document = parser.parse((await get(t.context.standIn, `/projects/${project}/instances?maxitems=4&curr_project=${project}${marker ? `&marker=${marker}` : ''}`)).text) as InstancesDocument;
		for (const instance of document.Instances.Instance ?? []) {
			all.push(instance.Name);
			t.is(instance.Owner, owner);
			t.is(instance.Status, 'Terminated');
			t.like(instance.Tasks.Task, {'@_Type': 'SQL', Name: 'AnonymousSQLTask', Status: 'Success'});
			t.false(Number.isNaN(Date.parse(instance.StartTime)));
		}

		marker = document.Instances.Marker ?? '';
	} while (marker);

	t.is(all.length, 9);
	t.deepEqual(all, [...all].sort());
	const running = parser.parse((await get(t.context.standIn, `/projects/${project}/instances?status=Running&curr_project=${project}`)).text) as InstancesDocument;
	t.is(running.Instances.Instance, undefined);
	const future = Math.floor(Date.now() / 1000) + 3600;
	const ranged = parser.parse((await get(t.context.standIn, `/projects/${project}/instances?daterange=${future}:&curr_project=${project}`)).text) as InstancesDocument;
	t.is(ranged.Instances.Instance, undefined);
	t.is((await get(t.context.standIn, `/projects/${project}/instances?status=Done&curr_project=${project}`)).status, 400);

	const instanceId = all[0]!;
	const summary = await get(t.context.standIn, `/projects/${project}/instances/${instanceId}?instancesummary&taskname=AnonymousSQLTask&curr_project=${project}`);
	t.is(summary.status, 200);
	t.regex(summary.contentType, /application\/json/);
	t.is(summary.headers.get('x-odps-task-finalized'), 'true');
	const body = JSON.parse(summary.text) as {Instance: {JsonSummary: string; Summary: string}};
	t.like(JSON.parse(body.Instance.JsonSummary) as object, {taskName: 'AnonymousSQLTask', status: 'Success'});
	t.is(typeof body.Instance.Summary, 'string');

	const progress = parser.parse((await get(t.context.standIn, `/projects/${project}/instances/${instanceId}?instanceprogress=AnonymousSQLTask&taskname=AnonymousSQLTask&curr_project=${project}`)).text) as {Progress: {Stage: Array<{'@_ID': string; Status: string; TotalWorkers: string; TerminatedWorkers: string; RunningWorkers: string; BackupWorkers: string; FinishedPercentage: string}>}};
	t.like(progress.Progress.Stage[0], {'@_ID': 'M1_job_0', Status: 'TERMINATED', TotalWorkers: '1', TerminatedWorkers: '1', RunningWorkers: '0', BackupWorkers: '0', FinishedPercentage: '100'});

	const otherTask = await get(t.context.standIn, `/projects/${project}/instances/${instanceId}?instancesummary&taskname=Other&curr_project=${project}`);
	t.is(otherTask.status, 404);
	const noTask = await get(t.context.standIn, `/projects/${project}/instances/${instanceId}?instancesummary&curr_project=${project}`);
	t.is(noTask.status, 400);
	t.regex(noTask.text, /ODPS-0420041/);
});

test('unknown sub-resources and parameters are refused with the service error, never answered with another document', async t => {
	const instanceId = (parser.parse((await get(t.context.standIn, `/projects/${project}/instances?maxitems=1&curr_project=${project}`)).text) as {Instances: {Instance: Array<{Name: string}>}}).Instances.Instance[0]!.Name;
	for (const resource of [
		`/projects/${project}/instances/${instanceId}?instancedetail&taskname=AnonymousSQLTask`,
		`/projects/${project}/instances/${instanceId}?source`,
		`/projects/${project}/instances/${instanceId}?result&taskstatus`,
		`/projects/${project}/tables/sales?tagging`,
		`/projects/${project}/tables?frobnicate=1`,
		`/projects/${project}/tables?maxitems=0`,
		`/projects/${project}/tables?marker=not%2Fours`,
		`/projects/${project}/instances?bogus`,
	]) {
		const answer = await get(t.context.standIn, resource);
		t.is(answer.status, 400, resource);
		t.regex(answer.text, /^<\?xml[^>]*>\n<Error><Code>InvalidParameter<\/Code><Message><!\[CDATA\[ODPS-0420061:Invalid parameter in HTTP request - /, resource);
	}
});
