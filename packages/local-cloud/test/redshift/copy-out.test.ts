import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PGlite} from '@electric-sql/pglite';
import test from 'ava';
import {copyOutToSlices} from '../../source/redshift/copy-out.js';
import {copyStatement} from '../../source/redshift/unload.js';

test('COPY TO STDOUT is dealt row by row to the slices, as PostgreSQL CSV, across many protocol chunks', async t => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-copy-out-'));
	const db = await PGlite.create();
	t.teardown(async () => {
		await db.close();
		rmSync(directory, {recursive: true, force: true});
	});
	await db.exec(`create table items (id int, note text);
		insert into items select n, case when n % 5 = 0 then null when n % 7 = 0 then '' else 'a, "b" ' || repeat('x', n % 300) end from generate_series(1, 20000) n`);
	const files = [0, 1, 2].map(slice => path.join(directory, `slice-${slice}.csv`));
	const rows = await copyOutToSlices(db, 'copy (select * from items order by id) to stdout with (format csv)', files);
	t.is(rows, 20_000);
	const slices = files.map(file => readFileSync(file, 'utf8').trimEnd().split('\n'));
	t.deepEqual(slices.map(lines => lines.length), [6667, 6667, 6666]);
	t.is(slices[0]![0], '1,"a, ""b"" x"');
	t.is(slices[1]![0], '2,"a, ""b"" xx"');
	t.is(slices[1]![1], '5,', 'NULL is an unquoted empty field');
	t.is(slices[0]![2], '7,""', 'the empty string is quoted');
	t.true(slices[2]!.every((line, index) => line.startsWith(`${index * 3 + 3},`)), 'every third row, in order');
});

test('an error of the query is thrown, not written', async t => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-copy-out-'));
	const db = await PGlite.create();
	t.teardown(async () => {
		await db.close();
		rmSync(directory, {recursive: true, force: true});
	});
	await t.throwsAsync(copyOutToSlices(db, 'copy (select * from missing) to stdout with (format csv)', [path.join(directory, 'a.csv')]), {message: /relation "missing" does not exist/});
	const after = await db.query<{one: number}>('select 1 as one');
	t.is(after.rows[0]!.one, 1, 'the database still answers');
});

test('UNLOAD copies a plain table by name, and anything else (a view, a filter) as a query', async t => {
	const db = await PGlite.create();
	t.teardown(async () => db.close());
	await db.exec('create table "Items" (id int, "the note" text); create view recent as select * from "Items"');
	t.is(await copyStatement(db, 'SELECT "id", "the note" FROM "public"."Items"'), 'copy "public"."Items" ("id", "the note") to stdout with (format csv)');
	t.is(await copyStatement(db, 'select * from "Items";'), 'copy "Items" to stdout with (format csv)');
	t.is(await copyStatement(db, 'SELECT * FROM recent'), 'copy (SELECT * FROM recent) to stdout with (format csv)');
	t.is(await copyStatement(db, 'SELECT id FROM "Items" WHERE id > 1'), 'copy (SELECT id FROM "Items" WHERE id > 1) to stdout with (format csv)');
	t.is(await copyStatement(db, 'SELECT id FROM missing'), 'copy (SELECT id FROM missing) to stdout with (format csv)', 'the query form reports the error');
});
