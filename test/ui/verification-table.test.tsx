import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import {renderVerificationText} from '../../source/ui/plain-report.js';
import {asciiSymbols} from '../../source/ui/theme.js';
import {VerificationTable} from '../../source/ui/verification-table.js';
import {reportWithDifferences} from './verification-fixture.js';

function widest(text: string): number {
	return Math.max(...text.split('\n').map(line => line.length));
}

test('80 columns: side by side, the differing cell marked ≠ on its row, with difference and cause', async t => {
	const {lastFrame, unmount} = render(<VerificationTable report={reportWithDifferences()} columns={80} />);
	await delay(30);
	const frame = lastFrame() ?? '';
	t.regex(frame, /l_returnflag {2}l_linestatus │ source +target +=/);
	t.regex(frame, /^N +O +│ 74476040\.00 74476041\.00 ≠$/m);
	t.regex(frame, /^A +F +│ 37734107\.00 37734107\.00 =$/m);
	t.regex(frame, /\(N, O\) sum_qty: source 74476040\.00, target 74476041\.00, difference \+1/);
	t.regex(frame, /row_count: source 25, target 50, difference \+25 — likely cause: the\s+target holds exactly 2× the source rows/);
	t.regex(frame, /Rule: Rows aligned by l_returnflag, l_linestatus/);
	t.regex(frame, /✖ 2 of 3 checks differ/);
	t.true(widest(frame) <= 80);
	unmount();
});

test('60 columns: source and target stack per row; nothing is cut', async t => {
	const {lastFrame, unmount} = render(<VerificationTable report={reportWithDifferences()} columns={60} />);
	await delay(30);
	const frame = lastFrame() ?? '';
	t.regex(frame, /l_returnflag=N l_linestatus=O\n {2}sum_qty +source 74476040\.00\n +target 74476041\.00 ≠/);
	t.regex(frame, /sum_base_price source 111701729697\.74/);
	t.regex(frame, /likely cause: the target holds exactly 2× the source rows/);
	t.true(widest(frame) <= 60);
	unmount();
});

test('plain text: the same table without ANSI, ASCII symbols when asked', t => {
	const text = renderVerificationText(reportWithDifferences(), {columns: 80, symbols: asciiSymbols});
	// eslint-disable-next-line no-control-regex
	t.notRegex(text, /\u001B\[/);
	t.regex(text, /^N +O +\| 74476040\.00 74476041\.00 !=$/m);
	t.regex(text, /x 2 of 3 checks differ/);
	t.true(widest(text) <= 80);
});

test('summary says all checks equal when they are', t => {
	const report = reportWithDifferences();
	const equalOnly = {...report, comparisons: report.comparisons.filter(comparison => comparison.equal), equal: true};
	t.regex(renderVerificationText(equalOnly, {columns: 80}), /All 1 checks equal/);
});
