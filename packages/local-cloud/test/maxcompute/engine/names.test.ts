import test from 'ava';
import {createFixture, odps2, rows} from './engine-helpers.js';

test('CREATE TABLE refuses the names MaxCompute does not take: a table over 128 bytes or with other characters, such columns', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	const refused = async (sql: string, message: RegExp) => {
		const error = await t.throwsAsync(engine.execute(sql, odps2));
		t.regex(error?.message ?? '', message, sql.slice(0, 60));
		t.is((error as {code?: string}).code, 'ODPS-0130071');
	};

	await refused(`CREATE TABLE t${'x'.repeat(128)} (a string);`, /ODPS-0130071:\[1,14\] Semantic analysis exception - table name t.* is 129 bytes long, more than the limit of 128 bytes/);
	await refused('CREATE TABLE `my-table` (a string);', /invalid table name my-table: it must start with a letter/);
	await refused('CREATE TABLE `_t` (a string);', /invalid table name _t/);
	await refused(`CREATE TABLE t (c${'x'.repeat(128)} string);`, /column name c.* is 129 bytes long/);
	await refused('CREATE TABLE t (`a b` string);', /invalid column name a b/);
	await refused('CREATE TABLE t (a string) PARTITIONED BY (`p-t` string);', /invalid column name p-t/);
	t.deepEqual(await engine.execute(`CREATE TABLE t${'x'.repeat(127)} (\`名字\` string, _c string, c${'y'.repeat(127)} bigint);`, odps2), {kind: 'message', text: 'OK'});
	t.deepEqual(await engine.execute('SHOW TABLES;', odps2), {kind: 'message', text: `ALIYUN$ferry@local:t${'x'.repeat(127)}\n`});
});

test('a partition value MaxCompute does not take is refused, static (ODPS-0123031) or dynamic (its documented wording)', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute('CREATE TABLE dst (id bigint) PARTITIONED BY (ds string);', odps2);
	await engine.execute('CREATE TABLE src (id bigint, v string);', odps2);
	await engine.execute('INSERT INTO TABLE src SELECT 1, \'a=b\';', odps2);
	for (const value of ['a=b', '2016\\\\', 'a/b', 'a,b', '', `d${'1'.repeat(128)}`, '二〇一六', '-1', 'x\\ty']) {
		const error = await t.throwsAsync(engine.execute(`INSERT INTO TABLE dst PARTITION (ds='${value}') SELECT 1;`, odps2), undefined, value);
		t.regex(error?.message ?? '', /^ODPS-0123031:\[1,\d+\] Partition exception - invalid partition value: ds=/, value);
	}

	const dynamic = await t.throwsAsync(engine.execute('INSERT INTO TABLE dst PARTITION (ds) SELECT id, v FROM src;', odps2));
	t.is(dynamic?.message, 'ODPS-0123031:Partition exception - invalid dynamic partition value: ds=a=b');
	await t.throwsAsync(engine.execute('INSERT INTO TABLE dst PARTITION (ds) SELECT id, CAST(NULL AS STRING) FROM src;', odps2), {message: /invalid dynamic partition value: ds=NULL/});
	for (const value of ['20161226', '2026-11-28 16:00', 'v1.2:x_y$z#w!v@u', `d${'1'.repeat(127)}`]) {
		await engine.execute(`INSERT INTO TABLE dst PARTITION (ds='${value}') SELECT 1;`, odps2);
	}

	await engine.execute('INSERT INTO TABLE dst PARTITION (ds) SELECT id, \'sg\' FROM src;', odps2);
	t.deepEqual((await rows(engine, 'SELECT count(*) FROM dst;')).rows, [['5']]);
});
