import test from 'ava';
import {compareResults} from '../../source/verify/compare.js';
import {checkOutcome, verdictOf} from '../../source/verify/outcome.js';
import {buildReport, renderMarkdown} from '../../source/verify/report.js';
import {summaryRows, verdictLine} from '../../source/verify/report-summary.js';
import {renderVerificationText} from '../../source/ui/plain-report.js';
import {asciiSymbols} from '../../source/ui/theme.js';
import {rowCountPair} from '../../wizards/redshift-to-maxcompute/checks.js';

const count = (value: number) => ({columns: [{name: 'row_count'}], rows: [[value]]});
const interrupted = {error: {message: 'Interrupted: the session is saved', kind: 'interrupted' as const}};
const refused = {error: {message: 'MaxCompute: ODPS-0130071: Semantic analysis exception', kind: 'query-failed' as const}};
const unreachable = {error: {message: 'Cannot reach the endpoint (connect ECONNREFUSED 127.0.0.1:1)', kind: 'side-failed' as const}};
const pair = (table: string) => rowCountPair({schema: 'public', table});
const started = new Date('2026-11-21T10:00:00Z');

test('a check whose side was interrupted, refused or unreachable is not compared, never "differs"', t => {
	for (const [failure, cause] of [[interrupted, 'interrupted'], [refused, 'query-failed'], [unreachable, 'side-failed']] as const) {
		const comparison = compareResults(pair('orders'), count(3), failure);
		t.is(comparison.outcome, 'not-compared', cause);
		t.false(comparison.equal);
		t.like(comparison.notCompared, {cause, sides: ['target']});
		t.is(checkOutcome(comparison), 'not-compared');
	}

	// Both sides interrupted, or one interrupted and one refused: the interrupt is the cause (resume runs it again).
	t.like(compareResults(pair('orders'), interrupted, refused).notCompared, {cause: 'interrupted', sides: ['source', 'target']});
});

test('a target with no such table while the source answered is a difference; with the source failed too, not compared', t => {
	const missing = {error: {message: 'ODPS-0130131: Table not found', kind: 'query-failed' as const}};
	t.is(compareResults(pair('notes'), count(3), missing).outcome, 'differs');
	t.is(compareResults(pair('notes'), interrupted, missing).outcome, 'not-compared');
});

test('the verdict: differs only when a comparison differed; otherwise not compared when any check did not run', t => {
	const equal = compareResults(pair('a'), count(1), count(1));
	const differs = compareResults(pair('b'), count(1), count(2));
	const stopped = compareResults(pair('c'), count(1), interrupted);
	const failed = compareResults(pair('d'), refused, count(1));
	t.like(verdictOf([equal, stopped, failed]), {outcome: 'not-compared', equal: 1, differing: 0, notCompared: 2, cause: 'interrupted', causes: {interrupted: 1, 'query-failed': 1}});
	t.like(verdictOf([equal, differs, failed]), {outcome: 'differs', differing: 1, notCompared: 1});
	t.like(verdictOf([equal]), {outcome: 'equal'});
	t.is(verdictOf([]).outcome, 'not-compared', 'no check ran: nothing was compared');
});

test('the report (Markdown, text, JSON) says which checks did not run and why, and calls nothing different', t => {
	const comparisons = [
		compareResults(pair('nation'), count(25), count(25)),
		compareResults(pair('orders'), count(15_000), interrupted),
		compareResults(pair('lineitem'), refused, count(60_175)),
	];
	const report = buildReport({sessionId: 's-1', startedAt: started, finishedAt: started, comparisons});
	t.is(report.outcome, 'not-compared');
	t.false(report.equal);
	t.like(report.summary, {queries: 3, equalQueries: 1, differingQueries: 0, notComparedQueries: 2});
	t.regex(report.summary.text, /^No difference found, but the verification is incomplete: 1 of 3 queries return the same results; 2 not compared \(interrupted: 1, the query failed: 1\)\.$/);
	t.is(verdictLine(report), '1 of 3 checks equal · 2 not compared (interrupted: 1, the query failed: 1)');
	t.deepEqual(summaryRows(report).map(row => [row.result, row.notCompared]), [['equal', undefined], ['not-compared', 'interrupted'], ['not-compared', 'query-failed']]);

	const markdown = renderMarkdown(report);
	t.false(markdown.includes('✗'), markdown);
	t.false(markdown.includes('## Differences'), markdown);
	t.true(markdown.includes('**Incomplete:**'), markdown);
	t.true(markdown.includes('| Rows in public.orders | – | interrupted | – not compared: interrupted |'), markdown);
	t.true(markdown.includes('| Rows in public.lineitem | failed | – | – not compared: the query failed |'), markdown);
	t.true(markdown.includes('## Not compared'), markdown);
	t.true(markdown.includes('- Rows in public.orders (`row-count:public.orders`): interrupted — target: Interrupted: the session is saved'), markdown);

	const text = renderVerificationText(report, {columns: 120, symbols: asciiSymbols});
	t.false(text.includes('x differs'), text);
	t.regex(text, /Rows in public\.orders +– +interrupted +! not compared: interrupted/);
	t.regex(text, /\* Rows in public\.lineitem - the query failed: source: MaxCompute: ODPS-0130071/);
	t.true(text.trimEnd().endsWith('! 1 of 3 checks equal · 2 not compared (interrupted: 1, the query failed: 1)'), text);

	const json = JSON.parse(JSON.stringify(report)) as typeof report;
	t.deepEqual(json.comparisons.map(comparison => comparison.outcome), ['equal', 'not-compared', 'not-compared']);
	t.deepEqual(json.comparisons.map(comparison => comparison.notCompared?.cause), [undefined, 'interrupted', 'query-failed']);
});

test('a report saved by an older ferry (no kinds, no outcome) is judged by the same rule', t => {
	const old = {comparisons: [{errors: [{side: 'target', message: 'Interrupted: the session is saved'}], rows: [], missingRows: [], extraRows: [], missingColumns: [], extraColumns: [], duplicateKeys: [], equal: false}]};
	t.like(verdictOf(old.comparisons as never), {outcome: 'not-compared', cause: 'interrupted'});
	const missingTable = {errors: [{side: 'target', message: 'ODPS-0130131: Table not found', cause: 'the table is missing on the target: the create-table or LOAD step failed'}], rows: [], missingRows: [], extraRows: [], missingColumns: [], extraColumns: [], duplicateKeys: [], equal: false};
	t.is(verdictOf([missingTable] as never).outcome, 'differs');
});
