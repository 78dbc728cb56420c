import test from 'ava';
import {renderResultCsv} from '../../../source/maxcompute/engine/index.js';
import {createFixture, odps2, rows} from './engine-helpers.js';

// TPC-H Q1 exactly as the procedure (redshift-to-maxcompute.md, Step 3) writes it.
const q1 = `SELECT l_returnflag, l_linestatus, SUM(l_quantity) as sum_qty,
SUM(l_extendedprice) AS sum_base_price, SUM(l_extendedprice*(1-l_discount)) AS sum_disc_price,
SUM(l_extendedprice*(1-l_discount)*(1+l_tax)) AS sum_charge, AVG(l_quantity) AS avg_qty,
AVG(l_extendedprice) AS avg_price, AVG(l_discount) AS avg_disc,  COUNT(*) AS count_order
FROM lineitem
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag,l_linestatus;`;

test('TPC-H Q1 gives exact DECIMAL sums, DECIMAL averages of DECIMAL, DOUBLE averages of INT', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute(`CREATE TABLE lineitem (L_OrderKey int, L_Quantity int, L_ExtendedPrice decimal(13,2), L_Discount decimal(13,2),
		L_Tax decimal(13,2), L_ReturnFlag varchar(64), L_LineStatus varchar(64), L_ShipDate timestamp, skip varchar(64));`, odps2);
	await engine.execute(`INSERT INTO TABLE lineitem VALUES
		(1, 17, 21168.23, 0.04, 0.02, 'N', 'O', TIMESTAMP '1996-03-13 00:00:00', NULL),
		(1, 36, 45983.16, 0.09, 0.06, 'N', 'O', TIMESTAMP '1996-04-12 00:00:00', NULL),
		(2, 8, 13309.60, 0.10, 0.02, 'N', 'O', TIMESTAMP '1996-01-29 00:00:00', NULL),
		(3, 45, 54058.05, 0.06, 0.00, 'R', 'F', TIMESTAMP '1994-02-02 00:00:00', NULL),
		(3, 49, 46796.47, 0.10, 0.00, 'R', 'F', TIMESTAMP '1993-11-09 00:00:00', NULL),
		(4, 30, 30690.90, 0.03, 0.08, 'A', 'F', TIMESTAMP '1998-12-01 00:00:00', NULL);`, odps2);

	const result = await rows(engine, q1);
	t.deepEqual(result.columns, [
		{name: 'l_returnflag', type: 'varchar(64)'},
		{name: 'l_linestatus', type: 'varchar(64)'},
		{name: 'sum_qty', type: 'bigint'},
		{name: 'sum_base_price', type: 'decimal(38,2)'},
		{name: 'sum_disc_price', type: 'decimal(38,4)'},
		{name: 'sum_charge', type: 'decimal(38,6)'},
		{name: 'avg_qty', type: 'double'},
		{name: 'avg_price', type: 'decimal(38,18)'},
		{name: 'avg_disc', type: 'decimal(38,18)'},
		{name: 'count_order', type: 'bigint'},
	]);
	// Expected values computed with Python's decimal module; e.g. R/F sum_disc_price = 54058.05*0.94 + 46796.47*0.90.
	t.deepEqual(result.rows, [
		['A', 'F', '30', '30690.90', '29770.1730', '32151.786840', '30.0', '30690.900000000000000000', '0.030000000000000000', '1'],
		['N', 'O', '61', '80460.99', '74144.8164', '77301.499752', '20.333333333333332', '26820.330000000000000000', '0.076666666666666667', '3'],
		['R', 'F', '94', '100854.52', '92931.3900', '92931.390000', '47.0', '50427.260000000000000000', '0.080000000000000000', '2'],
	]);

	const filtered = await rows(engine, `SELECT COUNT(*) FROM lineitem WHERE l_shipdate <= DATE '1998-09-02';`);
	t.deepEqual(filtered.rows, [['5']]);
});

test('INSERT OVERWRITE replaces, INSERT INTO appends, into partitions too; column count is checked', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute('CREATE TABLE src (id bigint, name string);', odps2);
	await engine.execute(`INSERT INTO src VALUES (1, 'a'), (2, 'b');`, odps2);
	await engine.execute('CREATE TABLE dst (id bigint, name string) PARTITIONED BY (ds string);', odps2);
	await engine.execute(`INSERT OVERWRITE TABLE dst PARTITION (ds='d1') SELECT id, name FROM src;`, odps2);
	await engine.execute(`INSERT OVERWRITE TABLE dst PARTITION (ds='d1') SELECT id, name FROM src;`, odps2);
	await engine.execute(`INSERT INTO TABLE dst PARTITION (ds) SELECT id, name, 'd2' FROM src;`, odps2);
	await engine.execute(`INSERT INTO TABLE dst PARTITION (ds) SELECT id, name, 'd2' FROM src;`, odps2);
	t.deepEqual((await rows(engine, 'SELECT ds, COUNT(*) c FROM dst GROUP BY ds ORDER BY ds LIMIT 10;')).rows, [
		['d1', '2'],
		['d2', '4'],
	]);
	await t.throwsAsync(engine.execute('INSERT OVERWRITE TABLE dst SELECT id, name FROM src;', odps2), {
		message: "ODPS-0130071:[1,24] Semantic analysis exception - the number of input partition columns (0) doesn't equal to table's partition columns (1)",
	});
	await t.throwsAsync(engine.execute(`INSERT INTO TABLE src SELECT id FROM src;`, odps2), {
		message: /Table ferry_test\.src has 2 columns, but query has 1 columns/,
	});
});

test('MaxCompute dialect: backticks, double-quoted strings, datetrunc, to_char, typed literals, _cN names', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute('CREATE TABLE `T` (`Ts` datetime, d date, flag boolean, b binary);', odps2);
	await engine.execute(`INSERT INTO t SELECT DATETIME '2024-05-06 07:08:09', DATE '2024-05-06', true, CAST("x" AS binary);`, odps2);
	const result = await rows(
		engine,
		`SELECT datetrunc(ts, 'mm'), to_char(ts, 'yyyy-mm-dd hh:mi:ss'), d, flag, 1L + 1, "a\\tb", ts FROM ferry_test.t;`,
	);
	t.deepEqual(result.columns.map(column => column.name), ['_c0', '_c1', 'd', 'flag', '_c4', '_c5', 'ts']);
	t.deepEqual(result.rows, [['2024-05-01 00:00:00', '2024-05-06 07:08:09', '2024-05-06', 'true', '2', 'a\tb', '2024-05-06 07:08:09']]);
	await t.throwsAsync(engine.execute('SELEC 1;', odps2), {message: /^ODPS-0130161:\[1,1\] Parse exception - invalid token 'SELEC'/});
});

test('state survives closing and reopening the engine', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	await fixture.engine.execute('CREATE TABLE kept (v decimal(10,3));', odps2);
	await fixture.engine.execute('INSERT INTO kept VALUES (1.005), (NULL);', odps2);
	const engine = await fixture.reopen();
	t.deepEqual((await rows(engine, 'SELECT SUM(v) AS s, COUNT(v) AS n FROM kept;')).rows, [['1.005', '1']]);
});

test('CSV rendering: NULL is \\N, empty string stays empty, a literal \\N is quoted, quotes and newlines are quoted', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const result = await rows(fixture.engine, `SELECT * FROM (VALUES (1, NULL), (2, ''), (3, '\\\\N'), (4, 'say "hi"\nnext, line'), (5, 'back\\\\slash')) AS t(id, v) ORDER BY id;`);
	t.deepEqual(result.rows.map(row => row[1]), [null, '', '\\N', 'say "hi"\nnext, line', 'back\\slash']);
	t.is(
		renderResultCsv(result),
		'id,v\n1,\\N\n2,\n3,"\\N"\n4,"say ""hi""\nnext, line"\n5,back\\slash\n',
	);
	t.is(renderResultCsv({kind: 'message', text: 'OK'}), 'OK');
});
