import {
	BatchExecuteStatementCommand, DescribeStatementCommand, DescribeTableCommand, ExecuteStatementCommand, GetStatementResultCommand,
	ListDatabasesCommand, ListSchemasCommand, ListStatementsCommand, ListTablesCommand, RedshiftDataClient, type DescribeStatementCommandOutput,
} from '@aws-sdk/client-redshift-data';
import test from 'ava';
import {localRegion} from '../../source/contract.js';
import {redshiftKeys, startLocalRedshift, type LocalRedshift} from '../helpers/redshift-local.js';

let local: LocalRedshift;
let client: RedshiftDataClient;

test.before(async () => {
	local = await startLocalRedshift();
	client = new RedshiftDataClient({
		region: localRegion, endpoint: local.redshift.url, maxAttempts: 1,
		credentials: {accessKeyId: redshiftKeys.accessKeyId, secretAccessKey: redshiftKeys.secret},
	});
});

test.after.always(async () => {
	client?.destroy();
	await local?.close();
});

const cluster = {ClusterIdentifier: 'ferry-local', Database: 'dev'};

async function finished(id: string): Promise<DescribeStatementCommandOutput> {
	for (;;) {
		const described = await client.send(new DescribeStatementCommand({Id: id}));
		if (['FINISHED', 'FAILED', 'ABORTED'].includes(described.Status ?? '')) {
			return described;
		}

		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

test.serial('named parameters are honoured and shown as QueryParameters; the IAM-identity mode is accepted', async t => {
	const {Id} = await client.send(new ExecuteStatementCommand({
		...cluster, Sql: 'select n_name, :label as label from nation where n_nationkey = :key', StatementName: 'by-key',
		Parameters: [{name: 'key', value: '7'}, {name: 'label', value: 'it\'s'}],
	}));
	const described = await finished(Id!);
	t.is(described.Status, 'FINISHED');
	t.is(described.QueryString, 'select n_name, :label as label from nation where n_nationkey = :key');
	t.deepEqual(described.QueryParameters, [{name: 'key', value: '7'}, {name: 'label', value: 'it\'s'}]);
	t.is(described.DbUser, undefined);
	const result = await client.send(new GetStatementResultCommand({Id}));
	t.deepEqual(result.Records, [[{stringValue: 'GERMANY'.padEnd(25)}, {stringValue: 'it\'s'}]]);
	const bad = await t.throwsAsync(client.send(new ExecuteStatementCommand({...cluster, Sql: 'select :x', Parameters: [{name: 'x-y', value: '1'}]})));
	t.is(bad.name, 'ValidationException');
});

test.serial('an unknown cluster is refused; a malformed id is a ValidationException, an unknown one ResourceNotFound', async t => {
	const unknown = await t.throwsAsync(client.send(new ExecuteStatementCommand({ClusterIdentifier: 'other-cluster', Database: 'dev', DbUser: 'awsuser', Sql: 'select 1'})));
	t.is(unknown.name, 'ValidationException');
	t.is(unknown.message, 'Redshift endpoint doesn\'t exist in this region.');
	const malformed = await t.throwsAsync(client.send(new DescribeStatementCommand({Id: 'not-an-id'})));
	t.is(malformed.name, 'ValidationException');
	t.regex(malformed.message, /Value 'not-an-id' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern/);
	const missing = await t.throwsAsync(client.send(new GetStatementResultCommand({Id: '00000000-0000-0000-0000-000000000000'})));
	t.is(missing.name, 'ResourceNotFoundException');
});

test.serial('BatchExecuteStatement runs in one transaction: sub-statement ids, results, and a rollback on failure', async t => {
	const {Id} = await client.send(new BatchExecuteStatementCommand({
		...cluster, DbUser: 'awsuser', Sqls: ['create table public.batch_probe (x int)', 'insert into public.batch_probe values (1), (2)', 'select count(*) from public.batch_probe'],
	}));
	const described = await finished(Id!);
	t.is(described.Status, 'FINISHED');
	t.deepEqual(described.SubStatements?.map(sub => [sub.Id, sub.Status, sub.ResultRows]), [[`${Id}:1`, 'FINISHED', -1], [`${Id}:2`, 'FINISHED', 2], [`${Id}:3`, 'FINISHED', 1]]);
	t.deepEqual((await client.send(new GetStatementResultCommand({Id: `${Id}:3`}))).Records, [[{longValue: 2}]]);

	const failing = await client.send(new BatchExecuteStatementCommand({
		...cluster, Sqls: ['insert into public.batch_probe values (3)', 'select * from public.no_such_table', 'select 1'],
	}));
	const failed = await finished(failing.Id!);
	t.is(failed.Status, 'FAILED');
	t.regex(failed.Error ?? '', /relation "public.no_such_table" does not exist/);
	t.deepEqual(failed.SubStatements?.map(sub => sub.Status), ['FINISHED', 'FAILED', 'ABORTED']);
	const count = await client.send(new ExecuteStatementCommand({...cluster, Sql: 'select count(*) from public.batch_probe'}));
	await finished(count.Id!);
	t.deepEqual((await client.send(new GetStatementResultCommand({Id: count.Id}))).Records, [[{longValue: 2}]]);
});

test.serial('ListStatements lists newest first, filters by status and name prefix, and pages', async t => {
	const listed = await client.send(new ListStatementsCommand({Status: 'ALL'}));
	t.is(listed.Statements?.length, 4);
	const times = listed.Statements!.map(statement => statement.CreatedAt!.getTime());
	t.deepEqual(times, [...times].sort((a, b) => b - a));
	const named = await client.send(new ListStatementsCommand({StatementName: 'by-'}));
	t.deepEqual(named.Statements?.map(statement => [statement.StatementName, statement.Status, statement.IsBatchStatement]), [['by-key', 'FINISHED', false]]);
	const batch = listed.Statements!.find(statement => statement.IsBatchStatement);
	t.is(batch?.QueryStrings?.length, 3);
	const first = await client.send(new ListStatementsCommand({Status: 'ALL', MaxResults: 2}));
	t.is(first.Statements?.length, 2);
	const second = await client.send(new ListStatementsCommand({Status: 'ALL', MaxResults: 2, NextToken: first.NextToken}));
	t.notDeepEqual(second.Statements?.map(statement => statement.Id), first.Statements?.map(statement => statement.Id));
	const failedOnly = await client.send(new ListStatementsCommand({Status: 'FAILED'}));
	t.true(failedOnly.Statements!.every(statement => statement.Status === 'FAILED'));
});

test.serial('ListDatabases, ListSchemas, ListTables and DescribeTable read the catalog', async t => {
	t.deepEqual((await client.send(new ListDatabasesCommand({...cluster, DbUser: 'awsuser'}))).Databases, ['dev']);
	const schemas = (await client.send(new ListSchemasCommand({...cluster, SchemaPattern: 'p%'}))).Schemas;
	t.true(schemas?.includes('public'));
	t.true(schemas?.includes('pg_catalog'));
	t.false(schemas?.includes('information_schema'));
	const tables = await client.send(new ListTablesCommand({...cluster, SchemaPattern: 'public', TablePattern: 'line%'}));
	t.deepEqual(tables.Tables, [{name: 'lineitem', schema: 'public', type: 'TABLE'}]);
	const described = await client.send(new DescribeTableCommand({...cluster, Schema: 'public', Table: 'region'}));
	t.is(described.TableName, 'region');
	t.deepEqual(described.ColumnList?.map(column => [column.name, column.typeName, column.precision, column.nullable]), [
		['r_regionkey', 'int4', 10, 0], ['r_name', 'bpchar', 25, 0], ['r_comment', 'varchar', 152, 0],
	]);
	const paged = await client.send(new DescribeTableCommand({...cluster, Schema: 'public', Table: 'lineitem', MaxResults: 10}));
	t.is(paged.ColumnList?.length, 10);
	t.truthy(paged.NextToken);
	const rest = await client.send(new DescribeTableCommand({...cluster, Schema: 'public', Table: 'lineitem', NextToken: paged.NextToken}));
	t.deepEqual(rest.ColumnList?.map(column => column.name), ['l_shipdate', 'l_commitdate', 'l_receiptdate', 'l_shipinstruct', 'l_shipmode', 'l_comment']);
	const wrongDatabase = await t.throwsAsync(client.send(new ListSchemasCommand({...cluster, Database: 'prod'})));
	t.is(wrongDatabase.name, 'DatabaseConnectionException');
});
