import test from 'ava';
import {compareResults} from '../../source/verify/compare.js';
import {rowCountPair, tpchQ1Pair} from '../../wizards/redshift-to-maxcompute/checks.js';
import {buildReport, renderMarkdown, toJson} from '../../source/verify/report.js';
import {maxComputeQ1, redshiftQ1} from '../fixtures/tpch-q1-results.js';

const started = new Date('2026-11-21T10:00:00Z');
const finished = new Date('2026-11-21T10:02:30Z');

test('an equal run: the summary table first, the rule stated once, no details; report.equal true', t => {
	const report = buildReport({sessionId: 's-1', startedAt: started, finishedAt: finished, comparisons: [compareResults(tpchQ1Pair(), redshiftQ1(), maxComputeQ1())]});
	t.true(report.equal);
	t.is(report.summary.text, 'The query returns the same results on both sides.');
	const markdown = renderMarkdown(report);
	const lines = markdown.split('\n');
	const header = lines.indexOf('| Check | Source | Target | Result |');
	t.true(header > 0, markdown);
	t.is(lines[header + 2], '| TPC-H Q1 (pricing summary report) | 4 rows | 4 rows | ✓ equal |');
	t.true(lines.indexOf(lines.find(line => line.startsWith('**Rules:**'))!) > header, 'the rules come under the table');
	t.true(markdown.includes('relative 1e-9'));
	t.true(markdown.includes('Rows align by each check\'s key columns'));
	t.true(markdown.includes('Session `s-1`, started 2026-11-21T10:00:00.000Z'));
	t.false(markdown.includes('Differences'), 'an equal check has no details');
	t.false(markdown.includes('| A | F |'), 'nor its rows');
});

test('a differing run lists the differing cells with amount and cause', t => {
	const target = maxComputeQ1();
	target.rows[2]![3] = '56586554400.74';
	const comparisons = [
		compareResults(tpchQ1Pair(), redshiftQ1(), target),
		compareResults(rowCountPair({schema: 'public', table: 'lineitem'}), {columns: [{name: 'row_count'}], rows: [[6_001_215]]}, {columns: [{name: 'row_count'}], rows: [['12002430']]}),
		compareResults(rowCountPair({schema: 'public', table: 'notes'}), {columns: [{name: 'row_count'}], rows: [[3]]}, {error: {message: 'ODPS-0130131: Table not found'}}),
	];
	const report = buildReport({startedAt: started, finishedAt: finished, comparisons});
	t.false(report.equal);
	t.like(report.summary, {queries: 3, equalQueries: 0, differingQueries: 3, failedQueries: 1, differingCells: 2});
	const markdown = renderMarkdown(report);
	t.true(markdown.includes('| A | F | 37734107.00 | 37734107 | = | 56586554400.73 | 56586554400.74 | ≠ |'), markdown);
	t.true(markdown.includes('- (A, F) `sum_base_price`: source 56586554400.73, target 56586554400.74, difference +0.01'));
	t.true(markdown.includes('- row #1 `row_count`: source 6001215, target 12002430, difference +6001215 — likely cause: the target holds exactly 2× the source rows'));
	t.true(markdown.includes('- The target query failed: ODPS-0130131: Table not found — likely cause: the table is missing on the target'));
	t.true(markdown.includes('**Differences found:** 3 of 3 queries differ'));
	// The table first, one row per check, then the details of each (all three differ here).
	t.true(markdown.includes('| Rows in public.lineitem | 6,001,215 | 12,002,430 | ✗ differs |'), markdown);
	t.true(markdown.includes('| Rows in public.notes | – | failed | ✗ differs |'), 'a failed side says so; the other was not compared');
	t.true(markdown.indexOf('| Check | Source | Target | Result |') < markdown.indexOf('## Differences'));
	t.is(markdown.match(/^### /gm)?.length, 3);
	t.is(markdown.match(/\*\*Rules:\*\*/g)?.length, 1, 'the rules are stated once');
	// Only the row that differs is detailed.
	t.false(markdown.includes('| N | O |'), markdown);
});

test('details show only the differing checks, each with its differing rows', t => {
	const target = maxComputeQ1();
	target.rows[2]![3] = '56586554400.74';
	const comparisons = [
		compareResults(tpchQ1Pair(), redshiftQ1(), target),
		compareResults(rowCountPair({schema: 'public', table: 'nation'}), {columns: [{name: 'row_count'}], rows: [[25]]}, {columns: [{name: 'row_count'}], rows: [[25]]}),
	];
	const markdown = renderMarkdown(buildReport({startedAt: started, finishedAt: finished, comparisons}));
	t.true(markdown.includes('| Rows in public.nation | 25 | 25 | ✓ equal |'));
	t.is(markdown.match(/^### /gm)?.length, 1);
	t.true(markdown.includes('### TPC-H Q1 (pricing summary report) — ✗ differs'));
	t.false(markdown.includes('### Rows in public.nation'));
	t.true(markdown.includes('Rows aligned by l_returnflag, l_linestatus.'));
});

test('Markdown keeps NULL, empty strings and pipes apart', t => {
	const comparison = compareResults(
		{id: 'p', title: 'Odd values', source: '', target: '', keyColumns: ['id']},
		{columns: [{name: 'id'}, {name: 'v'}], rows: [[1, null], [2, 'a|b']]},
		{columns: [{name: 'id'}, {name: 'v'}], rows: [[1, ''], [2, 'a|c']]},
	);
	const markdown = renderMarkdown(buildReport({startedAt: started, finishedAt: finished, comparisons: [comparison]}));
	t.true(markdown.includes('| 1 | NULL | (empty) | ≠ |'));
	t.true(markdown.includes('| 2 | a\\|b | a\\|c | ≠ |'));
	t.true(markdown.includes('| Odd values | 2 rows | 2 rows | ✗ differs |'));
	t.true(markdown.includes('NULL on one side, an empty string on the other'));
});

test('JSON round-trips and an empty run is not equal', t => {
	const report = buildReport({startedAt: started, finishedAt: finished, comparisons: [compareResults(tpchQ1Pair(), redshiftQ1(), maxComputeQ1())]});
	const parsed = JSON.parse(toJson(report)) as typeof report;
	t.is(parsed.equal, true);
	t.is(parsed.comparisons[0]!.rows.length, 4);
	t.is(parsed.startedAt, '2026-11-21T10:00:00.000Z');
	t.false('sessionId' in parsed);
	const empty = buildReport({startedAt: started, finishedAt: finished, comparisons: []});
	t.false(empty.equal, 'nothing verified is not a pass');
});
