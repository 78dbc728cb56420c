import test from 'ava';
import {compareResults} from '../../source/verify/compare.js';
import {buildReport} from '../../source/verify/report.js';
import {comparisonRules, differingChecks, groupDigits, sideSummary, summaryRows, verdictLine} from '../../source/verify/report-summary.js';
import {rowCountPair, tableListPair, tpchQ1Pair} from '../../wizards/redshift-to-maxcompute/checks.js';
import {maxComputeQ1, redshiftQ1} from '../fixtures/tpch-q1-results.js';
import {reportWithDifferences} from '../ui/verification-fixture.js';

const at = '2026-11-21T10:00:00.000Z';
const count = (value: unknown) => ({columns: [{name: 'row_count', type: 'BIGINT'}], rows: [[value]]});

test('one summary row per check, in order, with what each side returned and the verdict', t => {
	const rows = summaryRows(reportWithDifferences());
	t.deepEqual(rows.map(row => [row.title, row.source, row.target, row.result]), [
		['TPC-H Q1 (pricing summary report)', '2 rows', '2 rows', 'differs'],
		['Rows in public.nation', '25', '50', 'differs'],
		['Rows in public.region', '5', '5', 'equal'],
	]);
	t.deepEqual(differingChecks(reportWithDifferences()).map(comparison => comparison.id), ['tpch-q1', 'row-count:public.nation']);
});

test('a side says what it returned: a count with grouped digits, tables, values, rows, or that it failed', t => {
	const lineitem = compareResults(rowCountPair({schema: 'public', table: 'lineitem'}), count(6_001_215), count('6001215'));
	t.is(sideSummary(lineitem, 'source'), '6,001,215');
	t.is(sideSummary(lineitem, 'target'), '6,001,215');

	const tables = compareResults(tableListPair([{schema: 'public', table: 'nation'}, {schema: 'public', table: 'region'}]), {columns: [{name: 'table_name'}], rows: [['nation'], ['region']]}, {columns: [{name: 'table_name'}], rows: [['nation']]});
	t.is(sideSummary(tables, 'source'), '2 tables');
	t.is(sideSummary(tables, 'target'), '1 table');

	const columns = compareResults({id: 'c', title: 'Column checks', source: '', target: '', keyColumns: []}, {columns: [{name: 'a'}, {name: 'b'}], rows: [[1, 2]]}, {columns: [{name: 'a'}, {name: 'b'}], rows: [[1, 2]]});
	t.is(sideSummary(columns, 'source'), '2 values');

	const q1 = compareResults(tpchQ1Pair(), redshiftQ1(), maxComputeQ1());
	t.is(sideSummary(q1, 'target'), '4 rows');

	const missing = compareResults(rowCountPair({schema: 'public', table: 'notes'}), count(3), {error: {message: 'ODPS-0130131: Table not found'}});
	t.is(sideSummary(missing, 'target'), 'failed');
	t.is(sideSummary(missing, 'source'), '–', 'not compared: the other side failed');
});

test('digits are grouped in whole numbers only', t => {
	t.is(groupDigits('86791'), '86,791');
	t.is(groupDigits('-1000'), '-1,000');
	t.is(groupDigits('999'), '999');
	t.is(groupDigits('37734107.00'), '37734107.00');
	t.is(groupDigits('2026-11-21'), '2026-11-21');
});

test('the rules are stated once for all checks, from the comparisons themselves', t => {
	const report = buildReport({startedAt: at, finishedAt: at, comparisons: [
		compareResults(tpchQ1Pair(), redshiftQ1(), maxComputeQ1()),
		compareResults(rowCountPair({schema: 'public', table: 'nation'}), count(25), count(25)),
		compareResults({id: 'x', title: 'Custom', source: '', target: '', keyColumns: [], tolerance: {relative: 1e-6}}, count(1), count(1)),
		compareResults({id: 'y', title: 'Other', source: '', target: '', keyColumns: [], tolerance: {relative: 1e-6}}, count(1), count(1)),
		compareResults({id: 'z', title: 'Third', source: '', target: '', keyColumns: [], tolerance: {relative: 1e-6}}, count(1), count(1)),
	]});
	const rules = comparisonRules(report);
	t.is(rules.length, 5);
	t.is(rules[0], 'Rows align by each check\'s key columns, or by position.');
	t.regex(rules[2]!, /\(avg_qty, avg_price, avg_disc\)/);
	// The most common tolerance is the rule; the others name their checks.
	t.regex(rules[2]!, /relative 1e-6 \(1e-9 for TPC-H Q1 \(pricing summary report\), Rows in public\.nation\)/);
	t.regex(rules[2]!, /Redshift keeps the argument's scale/);

	const logs = {id: 'logs', title: 'Logs', source: '', target: '', keyColumns: [], kind: 'row-count' as const, dialects: {source: 'maxcompute' as const, target: 'maxcompute' as const}};
	const keyless = buildReport({startedAt: at, finishedAt: at, comparisons: [compareResults(logs, count(25), count(25))]});
	t.is(comparisonRules(keyless)[0], 'Rows align by position.');
	t.regex(comparisonRules(keyless)[2]!, /^Floating-point columns are equal within a relative 1e-9,/);
	t.notRegex(comparisonRules(keyless).join(' '), /Redshift/, 'no engine note when no check names one');
	t.deepEqual(comparisonRules(buildReport({startedAt: at, finishedAt: at, comparisons: []})), []);
});

test('the verdict counts checks', t => {
	t.is(verdictLine(reportWithDifferences()), '2 of 3 checks differ');
	const report = reportWithDifferences();
	t.is(verdictLine({...report, comparisons: report.comparisons.filter(comparison => comparison.equal)}), 'All 1 checks equal');
	t.is(verdictLine(buildReport({startedAt: at, finishedAt: at, comparisons: []})), 'No checks were run');
});
