import test from 'ava';
import {type QueryResult, compareResults} from '../../source/verify/compare.js';
import {type QueryPair} from '../../source/verify/query-pair.js';
import {rowCountPair, tableListPair, tpchQ1Pair} from '../../wizards/redshift-to-maxcompute/checks.js';
import {maxComputeQ1, redshiftQ1} from '../fixtures/tpch-q1-results.js';

const plainPair: QueryPair = {id: 'p', title: 'Plain', source: 'SELECT 1', target: 'SELECT 1', keyColumns: ['id']};

function result(columns: Array<{name: string; type?: string}>, rows: unknown[][]): QueryResult {
	return {columns, rows};
}

function onlyCell(pair: QueryPair, source: QueryResult, target: QueryResult) {
	const comparison = compareResults(pair, source, target);
	const cell = comparison.rows[0]?.cells[0];
	if (!cell) {
		throw new Error('no cell compared');
	}

	return {comparison, cell};
}

test('Q1 from both engines is equal although rows, column case, scales and types differ', t => {
	const comparison = compareResults(tpchQ1Pair(), redshiftQ1(), maxComputeQ1());
	t.true(comparison.equal, JSON.stringify(comparison.rows.flatMap(row => row.cells.filter(cell => !cell.equal)), undefined, 1));
	t.deepEqual(comparison.rows.map(row => row.key.join('')), ['AF', 'NF', 'NO', 'RF']);
	t.deepEqual(comparison.valueColumns, ['sum_qty', 'sum_base_price', 'sum_disc_price', 'sum_charge', 'avg_qty', 'avg_price', 'avg_disc', 'count_order']);
	const first = comparison.rows[0]!.cells;
	t.is(first.find(cell => cell.column === 'sum_qty')!.rule, 'exact', 'SUM compares exactly: 37734107.00 = 37734107');
	t.is(first.find(cell => cell.column === 'avg_qty')!.rule, 'shorter-scale');
	t.is(first.find(cell => cell.column === 'avg_disc')!.rule, 'shorter-scale', '0.04 is 0.0499… cut to Redshift\'s 2 digits');
});

test('Q1: a one-cent difference in a DECIMAL sum is found, with its amount', t => {
	const target = maxComputeQ1();
	target.rows[2]![3] = '56586554400.74';
	const comparison = compareResults(tpchQ1Pair(), redshiftQ1(), target);
	t.false(comparison.equal);
	const differing = comparison.rows.flatMap(row => row.cells.filter(cell => !cell.equal).map(cell => ({key: row.key, ...cell})));
	t.is(differing.length, 1);
	t.deepEqual(differing[0]!.key, ['A', 'F']);
	t.is(differing[0]!.column, 'sum_base_price');
	t.is(differing[0]!.difference, '+0.01');
	// 0.01 in 5.6e10 is 1.8e-13 relative: a tolerance would have hidden it.
	t.is(differing[0]!.rule, 'exact');
});

test('DECIMAL compares exactly beyond double precision', t => {
	const {comparison, cell} = onlyCell(
		plainPair,
		result([{name: 'id'}, {name: 'amount', type: 'numeric'}], [[1, '1234567890123456789.12']]),
		result([{name: 'ID'}, {name: 'AMOUNT', type: 'decimal(38,2)'}], [[1, '1234567890123456789.13']]),
	);
	t.false(comparison.equal);
	t.false(cell.equal);
	t.is(cell.difference, '+0.01');
	t.is(cell.source, '1234567890123456789.12');
	t.is(cell.target, '1234567890123456789.13');
});

test('AVG: within the relative tolerance, at the shorter scale, or different', t => {
	const pair: QueryPair = {...plainPair, approximateColumns: ['avg_x'], tolerance: {relative: 1e-9}};
	const compare = (source: unknown, target: unknown, sourceType?: string, targetType?: string) => onlyCell(
		pair,
		result([{name: 'id'}, {name: 'avg_x', type: sourceType}], [[1, source]]),
		result([{name: 'id'}, {name: 'avg_x', type: targetType}], [[1, target]]),
	).cell;

	t.like(compare('25.522005853257337', '25.522005853257340', 'float8', 'double'), {equal: true, rule: 'tolerance'});
	t.like(compare(25.522_005_853_257_337, '2.5522005853257337E1'), {equal: true, rule: 'exact'});
	t.like(compare('25.52', '25.522005853257337', 'numeric', 'double'), {equal: true, rule: 'shorter-scale'});
	t.like(compare('25.53', '25.525', 'numeric', 'decimal(38,18)'), {equal: true, rule: 'shorter-scale'}, 'rounded half away from zero');
	// Redshift truncates AVG of an integer column to BIGINT.
	t.like(compare(25, '25.522005853257337', 'int8', 'double'), {equal: true, rule: 'shorter-scale'});
	t.like(compare('25.53', '25.522005853257337', 'numeric', 'double'), {equal: false, rule: 'tolerance'});
	t.like(compare('25.522005853257337', '25.522005953257337', 'float8', 'double'), {equal: false}, '1e-7 apart, beyond 1e-9 × 25.5');
	// A double printed without fraction digits has no scale to round to.
	t.like(compare('26', '25.99', 'float8', 'decimal(38,2)'), {equal: false});
});

test('REAL vs FLOAT compares in single precision', t => {
	const {cell} = onlyCell(
		plainPair,
		result([{name: 'id'}, {name: 'ratio', type: 'real'}], [[1, '0.1']]),
		result([{name: 'id'}, {name: 'ratio', type: 'float'}], [[1, '0.10000000149011612']]),
	);
	t.like(cell, {equal: true, rule: 'single-precision'});
});

test('NULL and the empty string differ, with a cause', t => {
	const {comparison, cell} = onlyCell(
		plainPair,
		result([{name: 'id'}, {name: 'note', type: 'varchar'}], [[1, null]]),
		result([{name: 'id'}, {name: 'note', type: 'string'}], [[1, '']]),
	);
	t.false(comparison.equal);
	t.like(cell, {equal: false, source: 'NULL', target: ''});
	t.regex(cell.cause ?? '', /NULL on one side, an empty string on the other/);
	const bothNull = onlyCell(plainPair, result([{name: 'id'}, {name: 'n'}], [[1, null]]), result([{name: 'id'}, {name: 'n'}], [[1, undefined]]));
	t.true(bothNull.cell.equal);
});

test('timestamps: equal across spellings, an hour offset is called a time zone', t => {
	const pair = plainPair;
	const columns = [{name: 'id'}, {name: 'shipped', type: 'timestamp'}];
	const equal = compareResults(pair,
		result(columns, [[1, '1998-09-02 00:00:00'], [2, '1998-09-03 10:00:00.123456']]),
		result(columns, [[1, '1998-09-02T00:00:00.000Z'], [2, '1998-09-03 10:00:00.123456000']]));
	t.true(equal.equal);

	const {cell} = onlyCell(pair, result(columns, [[1, '1998-09-02 00:00:00']]), result(columns, [[1, '1998-09-02 08:00:00.000000000']]));
	t.false(cell.equal);
	t.is(cell.difference, '+8 h');
	t.regex(cell.cause ?? '', /^time zone/);

	const halfHour = onlyCell(pair, result(columns, [[1, '2024-01-01 12:00:00']]), result(columns, [[1, '2024-01-01 06:30:00']])).cell;
	t.is(halfHour.difference, '-5 h 30 min');
	t.regex(halfHour.cause ?? '', /time zone/);

	const dates = [{name: 'id'}, {name: 'day', type: 'date'}];
	const shifted = onlyCell(pair, result(dates, [[1, '1998-09-02']]), result(dates, [[1, '1998-09-01']])).cell;
	t.is(shifted.difference, '-24 h');
	t.regex(shifted.cause ?? '', /date shifted by one day/);
	const farApart = onlyCell(pair, result(columns, [[1, '1998-09-02 00:00:00']]), result(columns, [[1, '1998-09-03 20:00:00']])).cell;
	t.is(farApart.cause, undefined, '44 h is no zone offset');
});

test('precision lost: timestamps cut to milliseconds, decimals cut to 18 digits', t => {
	const columns = [{name: 'id'}, {name: 'at', type: 'timestamp'}];
	const timestamp = onlyCell(plainPair, result(columns, [[1, '2020-01-01 10:00:00.123456']]), result(columns, [[1, '2020-01-01 10:00:00.123']])).cell;
	t.false(timestamp.equal);
	t.is(timestamp.difference, '-0.000456 s');
	t.regex(timestamp.cause ?? '', /precision lost: equal at 3 fractional second digits/);

	const decimals = [{name: 'id'}, {name: 'x', type: 'numeric'}];
	const decimal = onlyCell(plainPair, result(decimals, [[1, '1.12345678901234567890']]), result(decimals, [[1, '1.123456789012345679']])).cell;
	t.false(decimal.equal);
	t.regex(decimal.cause ?? '', /precision lost: equal when cut to 18 fractional digits/);

	const unrelated = onlyCell(plainPair, result(decimals, [[1, '1.5']]), result(decimals, [[1, '2.5']])).cell;
	t.is(unrelated.cause, undefined);
});

test('row counts: duplicate, partial and empty loads are named', t => {
	const pair = rowCountPair({schema: 'public', table: 'lineitem'});
	const count = (value: unknown) => result([{name: 'row_count'}], [[value]]);
	const cause = (source: unknown, target: unknown) => onlyCell(pair, count(source), count(target)).cell;

	t.true(cause(6_001_215, '6001215').equal);
	t.like(cause(6_001_215, '12002430'), {equal: false, difference: '+6001215'});
	t.regex(cause(6_001_215, '12002430').cause ?? '', /exactly 2× .* loaded 2 times/);
	t.regex(cause(6_001_215, '6001217').cause ?? '', /2 more rows: a duplicate load/);
	t.regex(cause(6_001_215, '6001000').cause ?? '', /215 fewer rows: a partial load/);
	t.regex(cause(6_001_215, '0').cause ?? '', /target table is empty/);
});

test('a missing target table is reported with its cause', t => {
	const tables = [{schema: 'public', table: 'lineitem'}, {schema: 'public', table: 'orders'}];
	const list = compareResults(tableListPair(tables),
		result([{name: 'table_name'}], [['lineitem'], ['orders']]),
		result([{name: 'table_name'}], [['lineitem']]));
	t.false(list.equal);
	t.deepEqual(list.missingRows.map(row => row.key), [['orders']]);
	t.regex(list.missingRows[0]!.cause, /missing on the target: the create-table or LOAD step failed/);

	const count = compareResults(rowCountPair(tables[1]!), result([{name: 'row_count'}], [[1_500_000]]), {error: {code: 'ODPS-0130131', message: 'ODPS-0130131:[1,22] Table not found - table proj.orders cannot be resolved'}});
	t.false(count.equal);
	t.is(count.errors[0]!.side, 'target');
	t.regex(count.errors[0]!.cause ?? '', /table is missing on the target/);
});

test('missing and extra rows are listed by key', t => {
	const target = maxComputeQ1();
	target.rows = target.rows.filter(row => !(row[0] === 'N' && row[1] === 'F'));
	target.rows.push(['X', 'F', '1', '1.00', '1.0000', '1.000000', '1', '1', '0', '1']);
	const comparison = compareResults(tpchQ1Pair(), redshiftQ1(), target);
	t.false(comparison.equal);
	t.deepEqual(comparison.missingRows.map(row => row.key), [['N', 'F']]);
	t.deepEqual(comparison.extraRows.map(row => row.key), [['X', 'F']]);
	t.regex(comparison.missingRows[0]!.cause, /only in the source/);
	t.is(comparison.sourceRowCount, 4);
	t.is(comparison.targetRowCount, 4);
	t.true(comparison.rows.every(row => row.equal), 'the other groups still compare equal');
});

test('keys align by value: CHAR padding, numbers and booleans', t => {
	const comparison = compareResults(
		{...plainPair, keyColumns: ['flag', 'n']},
		result([{name: 'flag', type: 'bpchar'}, {name: 'n', type: 'int4'}, {name: 'ok', type: 'bool'}], [['A  ', 1, true], ['B  ', 2, false]]),
		result([{name: 'FLAG', type: 'char(3)'}, {name: 'N', type: 'int'}, {name: 'OK', type: 'boolean'}], [['B', '2', 'false'], ['A', '1', 'true']]),
	);
	t.true(comparison.equal, JSON.stringify(comparison, undefined, 1));
});

test('booleans and text without declared types', t => {
	const columns = [{name: 'id'}, {name: 'v'}];
	t.true(onlyCell(plainPair, result(columns, [[1, true]]), result(columns, [[1, 't']])).cell.equal);
	t.false(onlyCell(plainPair, result(columns, [[1, true]]), result(columns, [[1, 'false']])).cell.equal);
	const padded = onlyCell(plainPair, result(columns, [[1, 'abc  ']]), result(columns, [[1, 'abc']])).cell;
	t.false(padded.equal);
	t.regex(padded.cause ?? '', /trailing blanks/);
	t.regex(onlyCell(plainPair, result(columns, [[1, 'Abc']]), result(columns, [[1, 'abc']])).cell.cause ?? '', /letter case/);
});

test('duplicate keys, missing columns and failed source queries make the comparison unequal', t => {
	const duplicate = compareResults(plainPair, result([{name: 'id'}, {name: 'v'}], [[1, 'a'], [1, 'b']]), result([{name: 'id'}, {name: 'v'}], [[1, 'a']]));
	t.false(duplicate.equal);
	t.deepEqual(duplicate.duplicateKeys, [['1']]);

	const columns = compareResults(plainPair, result([{name: 'id'}, {name: 'v'}, {name: 'w'}], [[1, 'a', 'b']]), result([{name: 'id'}, {name: 'v'}, {name: 'z'}], [[1, 'a', 'c']]));
	t.false(columns.equal);
	t.deepEqual(columns.missingColumns, ['w']);
	t.deepEqual(columns.extraColumns, ['z']);

	const failed = compareResults(plainPair, {error: {message: 'permission denied for relation lineitem'}}, result([{name: 'id'}], [[1]]));
	t.false(failed.equal);
	t.is(failed.errors[0]!.side, 'source');

	const noKey = compareResults(plainPair, result([{name: 'v'}], [['a']]), result([{name: 'v'}], [['a']]));
	t.false(noKey.equal);
	t.regex(noKey.errors[0]!.message, /key column id/);
});
