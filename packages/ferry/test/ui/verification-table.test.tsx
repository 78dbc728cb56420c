import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import {compareResults} from '../../source/verify/compare.js';
import {buildReport, type VerificationReport} from '../../source/verify/report.js';
import {renderVerificationText} from '../../source/ui/plain-report.js';
import {asciiSymbols} from '../../source/ui/theme.js';
import {differencesShown} from '../../source/ui/verification-layout.js';
import {VerificationTable} from '../../source/ui/verification-table.js';
import {rowCountPair, tpchQ1Pair} from '../../wizards/redshift-to-maxcompute/checks.js';
import {reportWithDifferences} from './verification-fixture.js';

function widest(text: string): number {
	return Math.max(...text.split('\n').map(line => line.length));
}

/** Eight row counts (one per TPC-H table) and Q1: the Redshift procedure's report, with one table loaded twice. */
function eightTableReport(): VerificationReport {
	const tables = ['customer', 'lineitem', 'nation', 'orders', 'part', 'partsupp', 'region', 'supplier'];
	const rows: Record<string, number> = {customer: 1500, lineitem: 60_175, nation: 25, orders: 15_000, part: 2000, partsupp: 8000, region: 5, supplier: 100};
	const count = (value: number) => ({columns: [{name: 'row_count', type: 'BIGINT'}], rows: [[value]]});
	return buildReport({startedAt: '2026-11-21T08:07:00.000Z', finishedAt: '2026-11-21T08:07:05.000Z', comparisons: [
		...tables.map(table => compareResults(rowCountPair({schema: 'public', table}), count(rows[table]!), count(table === 'orders' ? 30_000 : rows[table]!))),
		compareResults(tpchQ1Pair(), {columns: [{name: 'l_returnflag'}, {name: 'l_linestatus'}, {name: 'sum_qty'}], rows: [['A', 'F', '1.00']]}, {columns: [{name: 'l_returnflag'}, {name: 'l_linestatus'}, {name: 'sum_qty'}], rows: [['A', 'F', '1.00']]}),
	]});
}

/** The rows of the summary table: from the header to the first blank line. */
function tableRows(text: string): string[] {
	const lines = text.split('\n');
	const header = lines.findIndex(line => /^Check +Source +Target +Result$/.test(line.trimEnd()));
	const end = lines.findIndex((line, index) => index > header && line.trim() === '');
	return lines.slice(header + 2, end);
}

for (const columns of [80, 60]) {
	test(`${columns} columns: the summary table first, every check exactly one row, nothing wider than the terminal`, async t => {
		const report = eightTableReport();
		const {lastFrame, unmount} = render(<VerificationTable report={report} columns={columns} />);
		await delay(30);
		const frame = lastFrame() ?? '';
		t.regex(frame.split('\n')[0] ?? '', /^Check +Source +Target +Result$/, 'the table comes first');
		const rows = tableRows(frame);
		t.is(rows.length, report.comparisons.length, frame);
		for (const [index, comparison] of report.comparisons.entries()) {
			const row = rows[index] ?? '';
			t.true(row.startsWith(comparison.title.slice(0, 12)), `row ${index} is ${comparison.title}: ${row}`);
			t.regex(row, comparison.equal ? /✔ equal$/ : /✖ differs$/);
		}

		t.regex(rows[3] ?? '', /Rows in public\.orders +15,000 +30,000 +✖ differs$/);
		t.is(frame.match(/^Rules: /gm)?.length, 1, 'the rules are stated once');
		t.notRegex(frame, /^Rule: /m, 'and not per check');
		// Details only for the one check that differs.
		t.regex(frame, /^✖ Rows in public\.orders$/m);
		t.notRegex(frame, /^✖ Rows in public\.nation$/m);
		t.regex(frame, /target holds exactly 2× the\s+source rows/);
		t.regex(frame, /✖ 1 of 9 checks differ$/);
		t.true(widest(frame) <= columns, `widest line ${widest(frame)}`);
		unmount();
	});
}

test('60 columns: long titles are cut with an ellipsis to keep one row; the details give the whole title', async t => {
	const report = reportWithDifferences();
	const long = {...report.comparisons[1]!, title: 'Rows of ak_biz_log_detail (pt=20161226) and logs in the time window of the export'};
	const withLong = {...report, comparisons: [report.comparisons[0]!, long, report.comparisons[2]!]};
	const {lastFrame, unmount} = render(<VerificationTable report={withLong} columns={60} />);
	await delay(30);
	const frame = lastFrame() ?? '';
	const rows = tableRows(frame);
	t.is(rows.length, 3);
	t.regex(rows[1] ?? '', /^Rows of ak_biz_log_detail.*… +25 +50 +✖ differs$/);
	t.regex(frame, /^✖ Rows of ak_biz_log_detail \(pt=20161226\) and logs in the\s+time\s+window of the export$/m);
	t.true(widest(frame) <= 60);
	unmount();
});

test('80 columns: a differing keyed check shows its differing row side by side, only the differing column', async t => {
	const {lastFrame, unmount} = render(<VerificationTable report={reportWithDifferences()} columns={80} />);
	await delay(30);
	const frame = lastFrame() ?? '';
	t.regex(frame, /TPC-H Q1 \(pricing summary report\) +2 rows +2 rows +✖ differs/);
	t.regex(frame, /l_returnflag {2}l_linestatus │ source +target +=/);
	t.regex(frame, /^N +O +│ 74476040\.00 74476041\.00 ≠$/m);
	t.notRegex(frame, /^A +F +│/m, 'an equal row is not detailed');
	t.notRegex(frame, /sum_base_price/, 'nor an equal column');
	t.regex(frame, /\(N, O\) sum_qty: source 74476040\.00, target 74476041\.00, difference \+1/);
	t.regex(frame, /row_count: source 25, target 50, difference \+25 — likely cause: the\s+target holds exactly 2× the source rows/);
	t.regex(frame, /Rules: Rows align by each check's key columns/);
	t.regex(frame, /✖ 2 of 3 checks differ/);
	t.true(widest(frame) <= 80);
	unmount();
});

test('60 columns: the differing row stacks source over target; nothing is cut', async t => {
	const {lastFrame, unmount} = render(<VerificationTable report={reportWithDifferences()} columns={60} />);
	await delay(30);
	const frame = lastFrame() ?? '';
	t.regex(frame, /l_returnflag=N l_linestatus=O\n {2}sum_qty source 74476040\.00\n +target 74476041\.00 ≠/);
	t.notRegex(frame, /l_returnflag=A/);
	t.regex(frame, /likely cause: the target holds exactly 2× the source rows/);
	t.true(widest(frame) <= 60);
	unmount();
});

test('a check with many differences shows the first ones and says how many more the saved report holds', t => {
	const rows = Array.from({length: 25}, (_value, index) => [index, index]);
	const comparison = compareResults(
		{id: 'many', title: 'Many', source: '', target: '', keyColumns: ['id']},
		{columns: [{name: 'id'}, {name: 'v'}], rows},
		{columns: [{name: 'id'}, {name: 'v'}], rows: rows.map(([id, value]) => [id, value! + 1])},
	);
	const text = renderVerificationText(buildReport({startedAt: '2026-11-21T08:07:00.000Z', finishedAt: '2026-11-21T08:07:05.000Z', comparisons: [comparison]}), {columns: 80});
	t.is(text.match(/^• \(\d+\) v:/gm)?.length, differencesShown);
	t.regex(text, new RegExp(`^• ${25 - differencesShown} more: the saved report lists every difference$`, 'm'));
});

test('plain text: the same layout without ANSI, ASCII symbols when asked', t => {
	const text = renderVerificationText(reportWithDifferences(), {columns: 80, symbols: asciiSymbols});
	// eslint-disable-next-line no-control-regex
	t.notRegex(text, /\u001B\[/);
	t.regex(text, /^Check +Source +Target +Result\n-+ {2}-+ {2}-+ {2}-+$/m);
	t.regex(text, /^Rows in public\.nation +25 +50 {2}x differs$/m);
	t.regex(text, /^N +O +\| 74476040\.00 74476041\.00 !=$/m);
	t.regex(text, /x 2 of 3 checks differ/);
	t.true(widest(text) <= 80);
});

test('summary says all checks equal when they are, and no details follow the rules', t => {
	const report = reportWithDifferences();
	const equalOnly = {...report, comparisons: report.comparisons.filter(comparison => comparison.equal), equal: true};
	const text = renderVerificationText(equalOnly, {columns: 80});
	t.regex(text, /All 1 checks equal/);
	t.deepEqual(text.trimEnd().split('\n').filter(line => line.startsWith('✖')), []);
});
