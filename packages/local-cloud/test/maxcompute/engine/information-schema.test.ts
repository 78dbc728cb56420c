import test from 'ava';
import {createFixture, odps2, owner, project, rows} from './engine-helpers.js';

// The query ferry's verification step runs on MaxCompute (redshift-to-maxcompute, "compare tables").
const verificationQuery =
	"SELECT LOWER(table_name) AS table_name FROM information_schema.tables WHERE LOWER(table_name) IN ('customer', 'lineitem');";
const odps2Only = {'odps.sql.type.system.odps2': 'true'};

// Field order of the TABLES and COLUMNS views in the "Metadata views" doc (alibabacloud.com/help/doc-detail/135433).
const tablesColumns = [
	['table_catalog', 'string'],
	['table_schema', 'string'],
	['table_name', 'string'],
	['table_type', 'string'],
	['is_partitioned', 'boolean'],
	['owner_id', 'string'],
	['owner_name', 'string'],
	['create_time', 'datetime'],
	['last_modified_time', 'datetime'],
	['data_length', 'bigint'],
	['table_comment', 'string'],
	['life_cycle', 'bigint'],
	['is_archived', 'boolean'],
	['table_exstore_type', 'string'],
	['cluster_type', 'string'],
	['number_buckets', 'bigint'],
	['view_original_text', 'string'],
];
const columnsColumns = [
	['table_catalog', 'string'],
	['table_schema', 'string'],
	['table_name', 'string'],
	['column_name', 'string'],
	['ordinal_position', 'bigint'],
	['column_default', 'string'],
	['is_nullable', 'string'],
	['data_type', 'string'],
	['column_comment', 'string'],
	['is_partition_key', 'boolean'],
];

function secondsOf(text: string | null | undefined): number {
	if (text == null || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text)) throw new Error(`not a DATETIME to the second: ${String(text)}`);
	return Date.parse(`${text.replace(' ', 'T')}Z`) / 1000;
}

test('the verification query lists the migrated tables, the same with or without the odps2 settings', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	t.deepEqual((await rows(engine, verificationQuery, odps2Only)).rows, []);

	await engine.execute('CREATE TABLE customer (c_custkey int, c_name varchar(25));', odps2);
	await engine.execute('CREATE TABLE `LineItem` (l_orderkey bigint, l_price decimal(13,2)) PARTITIONED BY (ds string);', odps2);
	await engine.execute('CREATE TABLE orders (o_orderkey bigint);', odps2);

	const withOdps2 = await rows(engine, verificationQuery, odps2Only);
	t.deepEqual(withOdps2.columns, [{name: 'table_name', type: 'string'}]);
	t.deepEqual(
		withOdps2.rows.map(row => row[0]).sort(),
		['customer', 'lineitem'],
	);
	t.deepEqual((await rows(engine, verificationQuery, {})).rows.map(row => row[0]).sort(), ['customer', 'lineitem']);
	t.deepEqual((await rows(engine, `set odps.sql.type.system.odps2=true;\n${verificationQuery}`, {})).rows.map(row => row[0]).sort(), [
		'customer',
		'lineitem',
	]);
});

test('information_schema.tables has the documented fields and follows CREATE and DROP at once', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	const before = Math.floor(Date.now() / 1000);
	await engine.execute("CREATE TABLE sales (id bigint) COMMENT 'daily sales' PARTITIONED BY (ds string) LIFECYCLE 30;", odps2);
	await engine.execute('CREATE TABLE plain (v string);', odps2);

	const all = await rows(engine, 'SELECT * FROM information_schema.tables ORDER BY table_name;');
	t.deepEqual(all.columns.map(column => [column.name, column.type]), tablesColumns);
	t.deepEqual(
		all.rows.map(row => row.filter((_, index) => index !== 7 && index !== 8)),
		[
			['odps', project, 'plain', 'MANAGED_TABLE', 'false', 'ferry@local', owner, null, '', null, 'false', null, null, null, null],
			['odps', project, 'sales', 'MANAGED_TABLE', 'true', 'ferry@local', owner, null, 'daily sales', '30', 'false', null, null, null, null],
		],
	);
	const created = secondsOf(all.rows[1]?.[7]);
	t.true(created >= before && created <= Math.ceil(Date.now() / 1000), `create_time ${created} outside the test's run`);
	t.true(secondsOf(all.rows[1]?.[8]) >= created);

	await engine.execute('DROP TABLE sales;', odps2);
	t.deepEqual((await rows(engine, 'SELECT table_name FROM INFORMATION_SCHEMA.TABLES;')).rows, [['plain']]);
	await engine.execute('CREATE TABLE sales (id bigint, amount double);', odps2);
	t.deepEqual((await rows(engine, 'SELECT table_name, is_partitioned, table_comment FROM `information_schema`.`tables` ORDER BY table_name;')).rows, [
		['plain', 'false', ''],
		['sales', 'false', ''],
	]);
	await engine.execute('DROP TABLE plain;', odps2);
	await engine.execute('DROP TABLE sales;', odps2);
	t.deepEqual((await rows(engine, 'SELECT count(*) FROM information_schema.tables;')).rows, [['0']]);
});

test('information_schema.columns numbers data columns then partition keys, with declared types and comments', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute(
		"CREATE TABLE lineitem (l_orderkey int COMMENT 'order', l_price decimal(13,2), l_flag varchar(64)) PARTITIONED BY (ds string COMMENT 'day', region string);",
		odps2,
	);
	// Without odps2, INT becomes BIGINT (1.0 type system), and the view shows what was stored.
	await engine.execute('CREATE TABLE legacy (n int);', {});

	const all = await rows(engine, 'SELECT * FROM information_schema.columns ORDER BY table_name, ordinal_position;');
	t.deepEqual(all.columns.map(column => [column.name, column.type]), columnsColumns);
	t.deepEqual(all.rows, [
		['odps', project, 'legacy', 'n', '1', null, 'YES', 'BIGINT', '', 'false'],
		['odps', project, 'lineitem', 'l_orderkey', '1', null, 'YES', 'INT', 'order', 'false'],
		['odps', project, 'lineitem', 'l_price', '2', null, 'YES', 'DECIMAL(13,2)', '', 'false'],
		['odps', project, 'lineitem', 'l_flag', '3', null, 'YES', 'VARCHAR(64)', '', 'false'],
		['odps', project, 'lineitem', 'ds', '4', null, 'YES', 'STRING', 'day', 'true'],
		['odps', project, 'lineitem', 'region', '5', null, 'YES', 'STRING', '', 'true'],
	]);

	const joined = await rows(
		engine,
		`SELECT tables.table_name, c.column_name FROM information_schema.tables
		JOIN information_schema.columns c ON c.table_catalog = tables.table_catalog AND c.table_schema = tables.table_schema AND c.table_name = tables.table_name
		WHERE c.is_partition_key AND tables.is_partitioned ORDER BY c.ordinal_position;`,
	);
	t.deepEqual(joined.rows, [
		['lineitem', 'ds'],
		['lineitem', 'region'],
	]);

	await engine.execute('DROP TABLE lineitem;', odps2);
	t.deepEqual((await rows(engine, 'SELECT DISTINCT table_name FROM information_schema.columns;')).rows, [['legacy']]);
});

test('the views survive reopening the engine and never show DuckDB or catalog internals', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	await fixture.engine.execute('CREATE TABLE kept (v string);', odps2);
	const engine = await fixture.reopen();
	t.deepEqual((await rows(engine, 'SELECT table_name FROM information_schema.tables;')).rows, [['kept']]);
	t.deepEqual((await rows(engine, 'SELECT table_name, column_name FROM information_schema.columns;')).rows, [['kept', 'v']]);
	t.deepEqual((await rows(engine, `SELECT COUNT(*) AS n FROM ${project}.kept;`)).rows, [['0']]);
});

test('tables of other projects, and views the Information Schema lacks, fail with Table not found', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute('CREATE TABLE t (v string);', odps2);

	await t.throwsAsync(engine.execute('SELECT * FROM other_project.t;', odps2), {
		message: 'ODPS-0130131:[1,15] Table not found - table other_project.t cannot be resolved',
	});
	await t.throwsAsync(engine.execute('SELECT v FROM t JOIN other_project.t u ON t.v = u.v;', odps2), {
		message: 'ODPS-0130131:[1,22] Table not found - table other_project.t cannot be resolved',
	});
	// A comma join is not checked before DuckDB runs it; the mapped DuckDB error reads the same.
	await t.throwsAsync(engine.execute('SELECT * FROM t, other_project.t2;', odps2), {
		message: 'ODPS-0130131:[1,18] Table not found - table other_project.t2 cannot be resolved',
	});
	await t.throwsAsync(engine.execute('SELECT * FROM information_schema.partitions;', odps2), {
		message: 'ODPS-0130131:[1,15] Table not found - table information_schema.partitions cannot be resolved',
	});
	await t.throwsAsync(engine.execute('SELECT * FROM t, information_schema.schemata;', odps2), {
		message: 'ODPS-0130131:[1,18] Table not found - table information_schema.schemata cannot be resolved',
	});
	await t.throwsAsync(engine.execute('SELECT * FROM information_schema;', odps2), {
		message: `ODPS-0130131:[1,15] Table not found - table ${project}.information_schema cannot be resolved`,
	});
	await t.throwsAsync(engine.execute('DESC other_project.t;', odps2), {
		message: 'ODPS-0130131:[1,6] Table not found - table other_project.t cannot be resolved',
	});
	await t.throwsAsync(engine.execute("INSERT INTO other_project.t VALUES ('x');", odps2), {
		message: 'ODPS-0130131:[1,13] Table not found - table other_project.t cannot be resolved',
	});
	t.deepEqual((await rows(engine, `SELECT COUNT(*) AS n FROM ${project}.t;`)).rows, [['0']]);
});
