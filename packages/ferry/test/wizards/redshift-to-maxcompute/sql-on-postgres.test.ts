/**
 * The Redshift-dialect SQL run through a real PostgreSQL parser and executor (PGlite): Redshift's identifier
 * and literal quoting are PostgreSQL's, so a statement that PostgreSQL reads as intended is quoted correctly.
 */
import {PGlite} from '@electric-sql/pglite';
import test from 'ava';
import {countQuery, tpchQ1, unloadStatement} from '../../../wizards/redshift-to-maxcompute/sql.js';
import {compareResults} from '../../../source/verify/compare.js';
import {tableListPair, tpchQ1Pair} from '../../../wizards/redshift-to-maxcompute/checks.js';

const schema = 'sales "eu"';
const table = 'o\'brien tåble';
const columns = ['naïve "col"', 'it\'s', 'back`tick'];

const database = new PGlite();

test.before(async () => {
	await database.exec(`
		CREATE SCHEMA "sales ""eu""";
		CREATE TABLE "sales ""eu"""."o'brien tåble" ("naïve ""col""" integer, "it's" text, "back\`tick" numeric(15,2));
		INSERT INTO "sales ""eu"""."o'brien tåble" VALUES (1, 'a''b', 10.50), (2, NULL, 0.01);
		CREATE TABLE lineitem (
			l_returnflag char(1), l_linestatus char(1), l_quantity numeric(15,2), l_extendedprice numeric(15,2),
			l_discount numeric(15,2), l_tax numeric(15,2), l_shipdate date);
		INSERT INTO lineitem VALUES
			('A', 'F', 17, 21168.23, 0.04, 0.02, '1992-03-13'),
			('A', 'F', 36, 45983.16, 0.09, 0.06, '1998-09-02'),
			('N', 'O', 8, 13309.60, 0.10, 0.02, '1996-01-29'),
			('R', 'F', 28, 28955.64, 0.09, 0.06, '1998-09-03');
		CREATE TABLE lineitem_ts AS SELECT l_returnflag, l_linestatus, l_quantity, l_extendedprice, l_discount, l_tax,
			l_shipdate::timestamp AS l_shipdate FROM lineitem;
	`);
});

test.after.always(async () => {
	await database.close();
});

test('the query inside UNLOAD reads back as the intended SELECT and runs', async t => {
	const {statement} = unloadStatement({schema, table, columns, s3Uri: 's3://b/p/t/t_', auth: {kind: 'role', roleArn: 'arn:aws:iam::1:role/r'}, cleanPath: true});
	const literal = /^UNLOAD \((.*)\) TO '/.exec(statement)![1]!;
	const decoded = await database.query<{q: string}>(`SELECT ${literal} AS q`);
	const query = decoded.rows[0]!.q;
	t.is(query, 'SELECT "naïve ""col""", "it\'s", "back`tick" FROM "sales ""eu"""."o\'brien tåble"');
	const result = await database.query<Record<string, unknown>>(query);
	t.deepEqual(result.fields.map(field => field.name), columns);
	t.deepEqual(result.rows.map(row => row['it\'s']), ['a\'b', null]);
});

test('the Redshift count query counts the odd table', async t => {
	const result = await database.query<{row_count: number}>(countQuery('redshift', schema, table));
	t.is(Number(result.rows[0]!.row_count), 2);
});

test('Q1 cuts off at 1998-09-02 inclusive, for a DATE or a TIMESTAMP l_shipdate', async t => {
	for (const name of ['lineitem', 'lineitem_ts']) {
		const result = await database.query<Record<string, string>>(tpchQ1('redshift', name, 'public'));
		t.deepEqual(result.rows.map(row => `${row['l_returnflag']}${row['l_linestatus']}:${row['count_order']}`), ['AF:2', 'NO:1'], name);
		t.is(result.rows[0]!['sum_base_price'], '67151.39');
	}
});

test('Q1 results read from PostgreSQL compare equal to the same figures in MaxCompute spellings', async t => {
	const result = await database.query<Record<string, unknown>>(tpchQ1('redshift', 'lineitem', 'public'));
	const source = {columns: result.fields.map(field => ({name: field.name})), rows: result.rows.map(row => result.fields.map(field => row[field.name]))};
	const target = {
		columns: source.columns.map(column => ({name: column.name.toUpperCase()})),
		rows: [
			['N', 'O', '8', '13309.60', '11978.6400', '12218.212800', '8.0', '13309.600000000000000000', '0.100000000000000000', '1'],
			['A', 'F', '53', '67151.39', '62166.1764', '65083.286952', '26.5', '33575.695000000000000000', '0.065000000000000000', '2'],
		],
	};
	const comparison = compareResults(tpchQ1Pair(), source, target);
	t.true(comparison.equal, JSON.stringify(comparison.rows, undefined, 1));
});

test('the table-list query runs against information_schema', async t => {
	const pair = tableListPair([{schema: 'public', table: 'lineitem'}, {schema: 'public', table: 'missing'}, {schema, table}]);
	const result = await database.query<{table_name: string}>(pair.source);
	t.deepEqual(result.rows.map(row => row.table_name).sort(), ['lineitem', 'o\'brien tåble']);
});
