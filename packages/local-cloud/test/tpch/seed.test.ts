import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PGlite} from '@electric-sql/pglite';
import test, {type ExecutionContext} from 'ava';
import {generateCsv, seedTpch, tpchRowCounts, tpchTableNames, tpchTables, type SeedProgress} from '../../source/tpch/index.js';

const scaleFactor = 0.01;

/** On disk: PGlite's in-memory file system loads several times slower. */
async function openDatabase(t: ExecutionContext): Promise<PGlite> {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-seed-'));
	const db = await PGlite.create({dataDir: directory});
	t.teardown(async () => {
		await db.close();
		rmSync(directory, {recursive: true, force: true});
	});
	return db;
}

async function tableDigest(db: PGlite, table: string): Promise<string> {
	const result = await db.query<{digest: string}>(`select md5(string_agg(t::text, '|' order by t::text)) as digest from public.${table} t`);
	return result.rows[0]!.digest;
}

test('seeding by batches on a worker thread loads every row and reports each batch', async t => {
	const db = await openDatabase(t);
	const reports: SeedProgress[] = [];
	await seedTpch(db, scaleFactor, {rowsPerBatch: 7000, onProgress: progress => reports.push(progress)});
	const counts = tpchRowCounts(scaleFactor);
	for (const table of tpchTableNames) {
		const result = await db.query<{count: number}>(`select count(*)::int as count from public.${table}`);
		t.is(result.rows[0]!.count, counts[table], table);
	}

	const keys = await db.query<{table_name: string; constraint_name: string; columns: string[]}>(`select k.table_name, k.constraint_name, array_agg(k.column_name::text order by k.ordinal_position) as columns
		from information_schema.table_constraints c join information_schema.key_column_usage k using (constraint_schema, constraint_name)
		where c.constraint_type = 'PRIMARY KEY' and c.table_schema = 'public' group by 1, 2 order by 1`);
	t.deepEqual(keys.rows, [...tpchTables].sort((a, b) => a.name.localeCompare(b.name)).map(table => ({table_name: table.name, constraint_name: `${table.name}_pkey`, columns: table.primaryKey})), 'each table has its primary key, as declared');
	const lineitem = reports.filter(report => report.table === 'lineitem');
	t.is(lineitem[0]?.rowsDone, 0, 'a table is announced before its first batch');
	t.is(lineitem.length, 1 + Math.ceil(counts.lineitem / 7000), 'then one report per batch');
	t.is(reports.at(-1)?.allRowsDone, reports.at(-1)?.allRowsTotal);
	t.true(reports.every((report, index) => index === 0 || report.allRowsDone >= reports[index - 1]!.allRowsDone), 'progress never goes back');
});

test('the worker and this thread generate the same rows as generateCsv; seeding again replaces them', async t => {
	const [onWorker, inline] = await Promise.all([openDatabase(t), openDatabase(t)]);
	await seedTpch(onWorker, scaleFactor);
	await seedTpch(inline, scaleFactor, {worker: false, rowsPerBatch: 999});
	await seedTpch(inline, scaleFactor, {worker: false});
	for (const table of ['supplier', 'orders', 'lineitem']) {
		t.is(await tableDigest(onWorker, table), await tableDigest(inline, table), table);
	}

	const counts = await inline.query<{count: number}>('select count(*)::int as count from public.region');
	t.is(counts.rows[0]!.count, 5, 'the second seeding replaced the first');
	const first = [...generateCsv('nation', scaleFactor)].join('').split('\n')[0]!;
	const row = await onWorker.query<{n_name: string}>('select n_name from public.nation where n_nationkey = 0');
	t.true(first.includes(row.rows[0]!.n_name.trimEnd()));
});
