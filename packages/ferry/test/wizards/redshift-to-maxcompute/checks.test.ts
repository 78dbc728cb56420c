import test from 'ava';
import {defaultRelativeTolerance} from '../../../source/verify/query-pair.js';
import {builtInPairs, rowCountPair, tableListPair, tpchQ1Pair} from '../../../wizards/redshift-to-maxcompute/checks.js';

const tables = [
	{schema: 'public', table: 'lineitem'},
	{schema: 'public', table: 'Orders'},
	{schema: 'sales', table: 'o\'brien', targetTable: 'obrien'},
];

test('the built-in pairs: tables, one count per table, and Q1 when lineitem is migrated', t => {
	const pairs = builtInPairs(tables);
	t.deepEqual(pairs.map(pair => pair.id), ['tables', 'row-count:public.lineitem', 'row-count:public.Orders', 'row-count:sales.o\'brien', 'tpch-q1']);
	t.deepEqual(builtInPairs([{schema: 'public', table: 'nation'}]).map(pair => pair.id), ['tables', 'row-count:public.nation']);
});

test('table list pair names every table on both sides, quoted for each dialect', t => {
	const pair = tableListPair(tables);
	t.is(pair.kind, 'tables');
	t.deepEqual(pair.keyColumns, ['table_name']);
	t.is(pair.source, 'SELECT LOWER(table_name) AS table_name FROM information_schema.tables WHERE (table_schema = \'public\' AND LOWER(table_name) IN (\'lineitem\', \'orders\')) OR (table_schema = \'sales\' AND LOWER(table_name) IN (\'o\'\'brien\'))');
	t.is(pair.target, 'SELECT LOWER(table_name) AS table_name FROM information_schema.tables WHERE LOWER(table_name) IN (\'lineitem\', \'orders\', \'obrien\')');
});

test('row count pair uses the target table name on MaxCompute', t => {
	const pair = rowCountPair(tables[2]!);
	t.is(pair.source, 'SELECT COUNT(*) AS row_count FROM "sales"."o\'brien"');
	t.is(pair.target, 'SELECT COUNT(*) AS row_count FROM `obrien`');
	t.deepEqual(pair.keyColumns, []);
});

test('Q1 pair: keys, approximate AVG columns, default tolerance', t => {
	const pair = tpchQ1Pair();
	t.deepEqual(pair.keyColumns, ['l_returnflag', 'l_linestatus']);
	t.deepEqual(pair.approximateColumns, ['avg_qty', 'avg_price', 'avg_disc']);
	t.deepEqual(pair.tolerance, {relative: defaultRelativeTolerance});
	t.true(pair.source.includes('"public"."lineitem"'));
	t.true(pair.target.includes('`lineitem`'));
});
