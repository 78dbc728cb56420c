/**
 * The last screen in the real terminal UI: maxcompute-to-loghub (the fastest procedure) run to the end in tmux at
 * 80 and at 60 columns, and the verification report read off the final screen — the summary table is there, and
 * every check is exactly one row of it.
 * Needs tmux (`.ci/run` installs it) and the built CLI (`npm test` builds first).
 */
import test from 'ava';
import {acceptConnections, ferryInTmux} from '../helpers/ferry-in-tmux.js';
import {exitMarker, widestRow} from '../helpers/tmux-terminal.js';

const ferry = ferryInTmux(test, 'report');
/** The checks maxcompute-to-loghub makes of its default table, in the report's order. */
const checks = [/^Rows of ak_biz_log_detail/, /^Column checks/, /^The first rows of/];

for (const [columns, rows] of [[80, 24], [60, 20]] as const) {
	test.serial(`the final screen at ${columns} columns holds the summary table, every check one row`, async t => {
		t.timeout(240_000);
		const terminal = await ferry.start(`report-${columns}`, {columns, rows});
		await terminal.waitForScreen(/❯ Start a procedure/, 20_000);
		await terminal.press('Enter');
		await terminal.waitForScreen(/Which procedure\?/, 10_000);
		await terminal.press('Down');
		await terminal.press('Down');
		await terminal.waitForScreen(/❯ MaxCompute → Log Service/, 5000);
		await terminal.press('Enter');
		await terminal.waitForScreen(/Which profile\?[\s\S]*❯ ?local/, 10_000);
		await terminal.press('Enter');
		await acceptConnections(terminal, 90_000);
		await terminal.press('y');

		const {screen} = await terminal.waitForScreen(/Session\s+(\S+)\.\s*\n\s*Press Enter to exit/, 150_000);
		const lines = screen.split('\n').map(line => line.trimEnd());
		const header = lines.findIndex(line => /^Check +Source +Target +Result$/.test(line));
		t.true(header >= 0, `the summary table's header is on the final screen:\n${screen}`);
		t.regex(lines[header + 1] ?? '', /^─+( {2}─+){3}$/, 'a rule under the header');
		const tableEnd = lines.findIndex((line, index) => index > header && line === '');
		const tableRows = lines.slice(header + 2, tableEnd);
		t.is(tableRows.length, checks.length, `one row per check:\n${tableRows.join('\n')}`);
		for (const [index, check] of checks.entries()) {
			t.regex(tableRows[index] ?? '', check);
			t.regex(tableRows[index] ?? '', /\S {2,}✔ equal$/, `a check's row ends with its result: ${tableRows[index]}`);
			t.is(lines.filter(line => check.test(line)).length, 1, 'and the check appears once: equal checks have no details');
		}

		t.regex(tableRows[0] ?? '', / 1,000 +1,000 +✔ equal$/, 'the counts of both sides');
		t.regex(screen, /Rules: Rows align by/);
		t.regex(screen, /✔ Done: All 3 checks equal\./);
		const report = lines.slice(header).join('\n');
		t.true(widestRow(report).width <= columns, `no row of the report wider than the terminal: ${widestRow(report).row}`);

		// The steps above the report end with their own summaries.
		const history = await terminal.history();
		// A finished-step line wraps at the terminal's width: words may be split over rows by whitespace.
		t.regex(history, /✔ Step 2 of 8 · Preflight — 3 services reachable\s+·\s+1,000\s+rows/);
		t.regex(history, /✔ Step 7 of 8 · Run and watch — instance \d+\s+succeeded\s+·\s+1,000\s+read\s+·\s+1,000\s+written\s+·\s+0\s+dirty/);

		await terminal.press('Enter');
		const exit = await terminal.waitForScreen(exitMarker, 15_000);
		t.is(exit.match[1], '0', `ferry exits 0:\n${exit.screen}`);
	});
}
