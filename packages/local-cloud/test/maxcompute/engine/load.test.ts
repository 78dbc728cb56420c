import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {createFixture, endpoint, nativeParquet, odps2, rows, writeParquet, type Fixture} from './engine-helpers.js';

const ordersDdl = `CREATE TABLE orders (
	o_orderkey int, o_totalprice decimal(15,2), o_shippriority smallint, o_orderdate timestamp,
	o_comment string, o_urgent boolean, o_ratio float, o_missing string
);`;

const loadOrders = (mode: 'OVERWRITE' | 'INTO', host = endpoint) => `LOAD ${mode} TABLE orders
FROM LOCATION 'oss://${host}/bucket/unload/orders/'
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
WITH SERDEPROPERTIES ('odps.properties.rolearn'='acs:ram::1000000000000000:role/aliyunodpsdefaultrole')
STORED AS PARQUET;`;

async function stageOrders(fixture: Fixture): Promise<void> {
	const dir = path.join(fixture.ossRoot, 'bucket', 'unload', 'orders');
	await mkdir(dir, {recursive: true});
	// Redshift-like names in upper case; an extra column the table lacks; the table's o_missing is absent from the file.
	await writeParquet(
		path.join(dir, '0000_part_00.parquet'),
		`SELECT * FROM (VALUES
			(1, 123.45::DECIMAL(15,2), 1::SMALLINT, TIMESTAMP '1996-01-02 03:04:05.123456', 'say "hi", ok', true, 0.5::REAL, 'x'),
			(2, -0.07::DECIMAL(15,2), 32767::SMALLINT, TIMESTAMP '1998-12-01 00:00:00', 'Zürich — 東京 ''q''', false, 1.1::REAL, 'y'),
			(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
		) AS t(O_OrderKey, O_TotalPrice, O_ShipPriority, O_OrderDate, O_Comment, O_Urgent, O_Ratio, Extra_Column)`,
	);
	await writeFile(path.join(dir, 'manifest'), JSON.stringify({entries: [{url: 's3://x/0000_part_00.parquet'}]}));
}

test('LOAD reads Parquet by column name with MaxCompute types and rendering', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await stageOrders(fixture);
	await engine.execute(ordersDdl, odps2);
	t.deepEqual(await engine.execute(loadOrders('OVERWRITE'), nativeParquet), {kind: 'message', text: 'OK'});

	const result = await rows(engine, 'SELECT * FROM orders ORDER BY o_orderkey LIMIT 100;');
	t.deepEqual(result.columns.map(column => `${column.name}:${column.type}`), [
		'o_orderkey:int',
		'o_totalprice:decimal(15,2)',
		'o_shippriority:smallint',
		'o_orderdate:timestamp',
		'o_comment:string',
		'o_urgent:boolean',
		'o_ratio:float',
		'o_missing:string',
	]);
	t.deepEqual(result.rows, [
		['1', '123.45', '1', '1996-01-02 03:04:05.123456', 'say "hi", ok', 'true', '0.5', null],
		['2', '-0.07', '32767', '1998-12-01 00:00:00', "Zürich — 東京 'q'", 'false', '1.1', null],
		[null, null, null, null, null, null, null, null],
	]);
});

test('LOAD OVERWRITE twice keeps one copy, LOAD INTO appends', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await stageOrders(fixture);
	await engine.execute(ordersDdl, odps2);
	await engine.execute(loadOrders('OVERWRITE'), nativeParquet);
	await engine.execute(loadOrders('OVERWRITE'), nativeParquet);
	t.deepEqual((await rows(engine, 'SELECT COUNT(*) FROM orders;')).rows, [['3']]);
	await engine.execute(loadOrders('INTO'), nativeParquet);
	t.deepEqual((await rows(engine, 'SELECT COUNT(*) AS n FROM orders;')).rows, [['6']]);
});

test('DECIMAL needs the native Parquet reader; a failed LOAD leaves the table unchanged', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await stageOrders(fixture);
	await engine.execute(ordersDdl, odps2);
	await engine.execute(loadOrders('INTO'), nativeParquet);
	const error = await t.throwsAsync(engine.execute(loadOrders('OVERWRITE'), odps2));
	t.regex(error?.message ?? '', /^ODPS-0123131:User defined function exception - .*DECIMAL is not supported by the Parquet reader in JNI mode/);
	t.deepEqual((await rows(engine, 'SELECT COUNT(*) FROM orders;')).rows, [['3']]);
});

test('LOAD from another region is rejected; so is a type mismatch between file and table', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await stageOrders(fixture);
	await engine.execute(ordersDdl, odps2);
	await t.throwsAsync(engine.execute(loadOrders('INTO', 'oss-cn-hangzhou-internal.aliyuncs.com'), nativeParquet), {
		message: /^ODPS-0130071:\[2,15\] Semantic analysis exception - OSS endpoint oss-cn-hangzhou-internal\.aliyuncs\.com is not in the region/,
	});
	t.deepEqual(await engine.execute(loadOrders('INTO', 'oss-ap-southeast-1.localhost:9000'), nativeParquet), {kind: 'message', text: 'OK'});

	await engine.execute('CREATE TABLE wrong (o_orderkey string);', odps2);
	await t.throwsAsync(
		engine.execute(loadOrders('INTO').replace('TABLE orders', 'TABLE wrong'), nativeParquet),
		{message: /^ODPS-0123131:User defined function exception - type mismatch in 0000_part_00\.parquet: column O_OrderKey holds INTEGER data but table column o_orderkey is STRING/},
	);
	await t.throwsAsync(engine.execute(loadOrders('INTO').replace('bucket', 'nobucket'), nativeParquet), {message: /NoSuchBucket/});
});

test('LOAD into partitions: static spec and key=value directories; SHOW PARTITIONS', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	for (const day of ['2024-01-01', '2024-01-02']) {
		const dir = path.join(fixture.ossRoot, 'bucket', 'events', `ds=${day}`);
		await mkdir(dir, {recursive: true});
		await writeParquet(path.join(dir, 'part.parquet'), `SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name)`);
	}

	await engine.execute('CREATE TABLE events (id int, name string) PARTITIONED BY (ds string);', odps2);
	const location = `FROM LOCATION 'oss://${endpoint}/bucket/events/' STORED AS PARQUET`;
	await engine.execute(`LOAD OVERWRITE TABLE events ${location};`, odps2);
	t.deepEqual(await engine.execute('SHOW PARTITIONS events;', odps2), {kind: 'message', text: 'ds=2024-01-01\nds=2024-01-02\n'});
	await engine.execute(`LOAD OVERWRITE TABLE events PARTITION (ds='2024-01-01') ${location.replace('events/', 'events/ds=2024-01-02/')};`, odps2);
	t.deepEqual((await rows(engine, 'SELECT ds, COUNT(*) FROM events GROUP BY ds ORDER BY ds;')).rows, [
		['2024-01-01', '2'],
		['2024-01-02', '2'],
	]);
	await t.throwsAsync(engine.execute('SHOW PARTITIONS orders_none;', odps2), {message: /^ODPS-0130131/});
});
