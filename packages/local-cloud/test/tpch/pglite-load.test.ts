import {PGlite} from '@electric-sql/pglite';
import test from 'ava';
import {
	createTableStatements,
	encodeCsvRecord,
	generateCsv,
	generateRows,
	qualifiedTableName,
	tpchRowCounts,
	tpchTableNames,
} from '../../source/tpch/index.js';

const scaleFactor = 0.01;

/** TPC-H Q1 as ferry runs it on both sides (cloud-apis.md §10.5): cutoff as a literal, groups in key order. */
const q1 = `SELECT l_returnflag, l_linestatus,
	SUM(l_quantity) AS sum_qty,
	SUM(l_extendedprice) AS sum_base_price,
	SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
	SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
	AVG(l_quantity) AS avg_qty,
	AVG(l_extendedprice) AS avg_price,
	AVG(l_discount) AS avg_disc,
	COUNT(*) AS count_order
FROM tpch.lineitem
WHERE l_shipdate <= DATE '1998-09-02'
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus`;

type Q1Row = {
	l_returnflag: string;
	l_linestatus: string;
	sum_qty: string;
	sum_base_price: string;
	sum_disc_price: string;
	sum_charge: string;
	avg_qty: string;
	count_order: number | bigint | string;
};

function fixedPoint(value: bigint, scale: number): string {
	const text = value.toString().padStart(scale + 1, '0');
	return `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

/** Q1 computed from the generated rows with exact integer arithmetic, as the database should answer it. */
function expectedQ1(): Map<string, {sumQuantity: string; sumBase: string; sumDiscounted: string; sumCharge: string; count: number}> {
	const groups = new Map<string, {quantity: bigint; base: bigint; discounted: bigint; charge: bigint; count: number}>();
	const hundredths = (decimal: string | null | undefined) => BigInt((decimal ?? '').replace('.', ''));
	for (const row of generateRows('lineitem', scaleFactor)) {
		if ((row[10] ?? '') > '1998-09-02') {
			continue;
		}

		const key = `${row[8]}${row[9]}`;
		const group = groups.get(key) ?? {quantity: 0n, base: 0n, discounted: 0n, charge: 0n, count: 0};
		const price = hundredths(row[5]);
		const keep = 100n - hundredths(row[6]);
		group.quantity += hundredths(row[4]);
		group.base += price;
		group.discounted += price * keep;
		group.charge += price * keep * (100n + hundredths(row[7]));
		group.count++;
		groups.set(key, group);
	}

	return new Map([...groups].map(([key, group]) => [key, {
		sumQuantity: fixedPoint(group.quantity, 2),
		sumBase: fixedPoint(group.base, 2),
		sumDiscounted: fixedPoint(group.discounted, 4),
		sumCharge: fixedPoint(group.charge, 6),
		count: group.count,
	}]));
}

test('SF 0.01 loads into PGlite with one COPY per table under enforced keys, and Q1 returns the four groups', async t => {
	const database = await PGlite.create();
	t.teardown(async () => database.close());
	await database.exec('CREATE SCHEMA tpch');
	for (const statement of createTableStatements('tpch')) {
		await database.exec(statement);
	}

	const counts = tpchRowCounts(scaleFactor);
	for (const table of tpchTableNames) {
		const blob = new Blob([...generateCsv(table, scaleFactor)]);
		await database.query(`COPY ${qualifiedTableName(table, 'tpch')} FROM '/dev/blob' WITH (FORMAT csv)`, [], {blob});
		const result = await database.query<{count: number}>(`SELECT count(*)::integer AS count FROM ${qualifiedTableName(table, 'tpch')}`);
		t.is(result.rows[0]?.count, counts[table], table);
	}

	const {rows} = await database.query<Q1Row>(q1);
	t.deepEqual(rows.map(row => `${row.l_returnflag}${row.l_linestatus}`), ['AF', 'NF', 'NO', 'RF']);
	const expected = expectedQ1();
	for (const row of rows) {
		const want = expected.get(`${row.l_returnflag}${row.l_linestatus}`);
		if (want === undefined) {
			t.fail(`unexpected group ${row.l_returnflag}${row.l_linestatus}`);
			continue;
		}

		t.is(String(row.sum_qty), want.sumQuantity);
		t.is(String(row.sum_base_price), want.sumBase);
		t.is(String(row.sum_disc_price), want.sumDiscounted);
		t.is(String(row.sum_charge), want.sumCharge);
		t.is(Number(row.count_order), want.count);
		const averageQuantity = Number(row.avg_qty);
		t.true(averageQuantity > 24 && averageQuantity < 27, `avg_qty ${averageQuantity}`);
	}

	const shipped = rows.find(row => row.l_returnflag === 'N' && row.l_linestatus === 'O');
	t.true(Number(shipped?.count_order) > 25_000, 'most lines ship after 1995-06-17');
	const partial = rows.find(row => row.l_returnflag === 'N' && row.l_linestatus === 'F');
	t.true(Number(partial?.count_order) > 0 && Number(partial?.count_order) < 500, 'N/F is the small group it is in TPC-H');
});

test('values PostgreSQL CSV treats specially come back unchanged from COPY', async t => {
	const database = await PGlite.create();
	t.teardown(async () => database.close());
	await database.exec('CREATE TABLE tricky (id integer, value text)');
	const values = ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '', '\\.', ' padded ', null, 'Customer Complaints'];
	const csv = values.map((value, index) => encodeCsvRecord([String(index), value])).join('');
	await database.query('COPY tricky FROM \'/dev/blob\' WITH (FORMAT csv)', [], {blob: new Blob([csv])});
	const {rows} = await database.query<{value: string | null}>('SELECT value FROM tricky ORDER BY id');
	t.deepEqual(rows.map(row => row.value), values);
});
