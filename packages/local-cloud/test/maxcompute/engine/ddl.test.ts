import test from 'ava';
import {createFixture, odps2, owner, project, rows} from './engine-helpers.js';

test('a new project runs the 1.0 type system: 2.0 types fail with the real error, INT widens to BIGINT', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;

	const error = await t.throwsAsync(engine.execute('CREATE TABLE t1 (a tinyint);', {}));
	t.is(error?.message, 'ODPS-0130071:[1,20] Semantic analysis exception - TINYINT type is not enabled in current mode');
	t.is((error as {code?: string}).code, 'ODPS-0130071');
	await t.throwsAsync(engine.execute('CREATE TABLE t1 (a varchar(4));', {}), {message: /VARCHAR\(4\) type is not enabled in current mode/});
	await t.throwsAsync(engine.execute('CREATE TABLE t1 (a decimal(13,2));', {}), {message: /DECIMAL\(13,2\) type is not enabled/});

	t.deepEqual(await engine.execute('CREATE TABLE t1 (a int, b string, c datetime, d decimal);', {}), {kind: 'message', text: 'OK'});
	const described = await engine.execute('DESC t1;', {});
	t.is(described.kind, 'message');
	if (described.kind !== 'message') return;
	t.regex(described.text, /\| a +\| bigint +\|/);
	t.regex(described.text, /\| d +\| decimal +\|/);
	t.deepEqual(described.table?.columns.map(column => column.type), ['bigint', 'string', 'datetime', 'decimal']);
});

test('setproject flags persist, list, and switch the type system on; per-query settings do too', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	await fixture.engine.execute('setproject odps.sql.type.system.odps2=true;', {});
	await fixture.engine.execute('setproject odps.sql.decimal.odps2=true odps.sql.hive.compatible=false;', {});
	const engine = await fixture.reopen();
	t.deepEqual(await engine.execute('setproject;', {}), {
		kind: 'message',
		text: 'odps.sql.decimal.odps2=true\nodps.sql.hive.compatible=false\nodps.sql.type.system.odps2=true\n',
	});
	await engine.execute('CREATE TABLE `Lineitem` (L_OrderKey int COMMENT \'key\', l_price decimal(13,2), l_flag varchar(64), l_ts timestamp) COMMENT \'tpch\' LIFECYCLE 7;', {});
	const described = await engine.execute('desc lineitem', {});
	t.is(described.kind === 'message' ? described.table?.columns.map(column => `${column.name}:${column.type}`).join(' ') : '',
		'l_orderkey:int l_price:decimal(13,2) l_flag:varchar(64) l_ts:timestamp');

	const other = await createFixture();
	t.teardown(other.cleanup);
	t.deepEqual(await other.engine.execute('set odps.sql.type.system.odps2=true;\nCREATE TABLE s (a smallint);', {}), {kind: 'message', text: 'OK'});
	t.deepEqual(await other.engine.execute('CREATE TABLE s2 (a smallint);', odps2), {kind: 'message', text: 'OK'});
});

test('decimal and varchar bounds, duplicate columns and existing tables give semantic errors', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await t.throwsAsync(engine.execute('CREATE TABLE d (a decimal(39,2));', odps2), {message: /^ODPS-0130071:\[1,19\] .*precision 39/});
	await t.throwsAsync(engine.execute('CREATE TABLE d (a decimal(38,20));', odps2), {message: /scale 20/});
	t.deepEqual(
		await engine.execute('CREATE TABLE d (a decimal(38,20));', {...odps2, 'odps.sql.decimal2.extended.scale.enable': 'true'}),
		{kind: 'message', text: 'OK'},
	);
	await t.throwsAsync(engine.execute('CREATE TABLE v (a varchar(65536));', odps2), {message: /varchar length/});
	await t.throwsAsync(engine.execute('CREATE TABLE c (a char(256));', odps2), {message: /char length/});
	await t.throwsAsync(engine.execute('CREATE TABLE r (a string, A bigint);', odps2), {message: /column repeated in creation: a/});

	await t.throwsAsync(engine.execute('CREATE TABLE d (x string);', odps2), {
		message: `ODPS-0130211:[1,14] Table or view already exists - table or view ${project}.d is already defined`,
	});
	t.deepEqual(await engine.execute('CREATE TABLE IF NOT EXISTS d (x string);', odps2), {kind: 'message', text: 'OK'});
	await t.throwsAsync(engine.execute('CREAT TABLE x (a string);', odps2), {message: /^ODPS-0130161:\[1,1\] Parse exception - invalid token 'CREAT'/});
});

test('SHOW TABLES, DROP TABLE, WHOAMI and unknown tables', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute('CREATE TABLE b (x string);', {});
	await engine.execute(`CREATE TABLE ${project}.a (x string);`, {});
	t.deepEqual(await engine.execute('show tables;', {}), {kind: 'message', text: `${owner}:a\n${owner}:b\n`});
	t.deepEqual(await engine.execute('DROP TABLE b;', {}), {kind: 'message', text: 'OK'});
	t.deepEqual(await engine.execute('DROP TABLE IF EXISTS b;', {}), {kind: 'message', text: 'OK'});
	await t.throwsAsync(engine.execute('DROP TABLE b;', {}), {
		message: `ODPS-0130131:[1,12] Table not found - table ${project}.b cannot be resolved`,
	});
	await t.throwsAsync(engine.execute('SELECT * FROM nope;', {}), {
		message: `ODPS-0130131:[1,15] Table not found - table ${project}.nope cannot be resolved`,
	});
	await t.throwsAsync(engine.execute('select missing_column from a', {}), {
		message: 'ODPS-0130071:[1,8] Semantic analysis exception - column missing_column cannot be resolved',
	});
	const whoami = await engine.execute('whoami;', {});
	t.is(whoami.kind, 'message');
	t.like(JSON.parse(whoami.kind === 'message' ? whoami.text : '{}'), {DisplayName: owner, Project: project});
	const listed = await rows(engine, 'select count(*) from a;');
	t.deepEqual(listed.columns, [{name: '_c0', type: 'bigint'}]);
	t.deepEqual(listed.rows, [['0']]);
});
