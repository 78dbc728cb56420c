/**
 * The last screen in the real terminal UI: maxcompute-to-loghub (the fastest procedure) run to the end in tmux at
 * 80 and at 60 columns, and the verification report read off the final screen — the summary table is there, and
 * every check is exactly one row of it.
 * Needs tmux (`.ci/run` installs it) and the built CLI (`npm test` builds first).
 */
import {execFile} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import test from 'ava';
import {exitMarker, startTmuxTerminal, type TmuxTerminal, widestRow} from '../helpers/tmux-terminal.js';

const run = promisify(execFile);
const cliPath = process.env['FERRY_E2E_CLI'] ?? fileURLToPath(new URL('../../distribution/ferry.js', import.meta.url));
const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-report-'));
const userHome = path.join(root, 'home');
mkdirSync(userHome);
const socketPrefix = `ferry-e2e-rp-${process.pid}`;
const terminals: TmuxTerminal[] = [];
const homes: string[] = [];
const ferryEnvironment = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: userHome, LANG: 'C.UTF-8', TERM: 'xterm-256color'};

/** The checks maxcompute-to-loghub makes of its default table, in the report's order. */
const checks = [/^Rows of ak_biz_log_detail/, /^Column checks/, /^The first rows of/];

test.before(async () => {
	if (!existsSync(cliPath)) {
		throw new Error(`${cliPath} is missing; run \`npm run build\` first (\`npm test\` does).`);
	}

	await run('tmux', ['-V']);
});

test.after.always(async () => {
	await Promise.all(terminals.map(async terminal => terminal.kill()));
	await Promise.all(homes.map(async home => run(process.execPath, [cliPath, 'local-cloud', 'stop'], {env: {...ferryEnvironment, FERRY_HOME: home, CI: 'true'}, timeout: 60_000}).catch(() => undefined)));
	rmSync(root, {recursive: true, force: true});
});

/** Accepts the Connections answers as a person would: Enter on the summary of resolved answers, and on each field still asked. */
async function acceptConnections(terminal: TmuxTerminal, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last: string | undefined;
	for (;;) {
		const screen = await terminal.screen();
		if (/Proceed\? \(y\/N\)/.test(screen)) {
			return;
		}

		const summary = /^❯ Accept these \d+ answers/m.test(screen) && /Enter accept all/.test(screen);
		const field = /^(\S.*\(\d+\/\d+\))/m.exec(screen)?.[1];
		const seen = summary ? screen : field && /Enter (accept|choose)/.test(screen) ? field : undefined;
		if (seen !== undefined && seen !== last) {
			last = seen;
			await terminal.press('Enter');
		} else if (Date.now() > deadline) {
			throw new Error(`The form did not reach the plan review within ${timeoutMs} ms. Last screen:\n${screen}`);
		} else {
			await new Promise(resolve => setTimeout(resolve, 200));
		}
	}
}

for (const [columns, rows] of [[80, 24], [60, 20]] as const) {
	test.serial(`the final screen at ${columns} columns holds the summary table, every check one row`, async t => {
		t.timeout(240_000);
		const environment = {...ferryEnvironment, FERRY_HOME: path.join(root, `report-${columns}`)};
		homes.push(environment.FERRY_HOME);
		const terminal = await startTmuxTerminal({socket: `${socketPrefix}-${columns}`, columns, rows, command: [process.execPath, cliPath], environment});
		terminals.push(terminal);
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
