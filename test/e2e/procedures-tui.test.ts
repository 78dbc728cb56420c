/**
 * datahub-to-maxcompute and maxcompute-to-loghub in the real terminal UI, driven in tmux as a person would, at 80
 * and 60 columns.
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
// FERRY_E2E_CLI: a build of one's own (FERRY_BUILD_OUT), so a test run never races a rebuild of distribution/.
const cliPath = process.env['FERRY_E2E_CLI'] ?? fileURLToPath(new URL('../../distribution/ferry.js', import.meta.url));
const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-procedures-'));
const userHome = path.join(root, 'home');
mkdirSync(userHome);
const socketPrefix = `ferry-e2e-pr-${process.pid}`;
const terminals: TmuxTerminal[] = [];
const homes: string[] = [];
const ferryEnvironment = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: userHome, LANG: 'C.UTF-8', TERM: 'xterm-256color'};

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

/**
 * Accepts the Connections answers as a person would: one Enter on the summary of resolved answers, and one per field
 * still asked one by one, until the plan review asks.
 */
async function acceptConnections(terminal: TmuxTerminal, timeoutMs: number): Promise<{summaries: Array<{count: number; screen: string}>; fields: string[]}> {
	const deadline = Date.now() + timeoutMs;
	const summaries: Array<{count: number; screen: string}> = [];
	const fields: string[] = [];
	for (;;) {
		const screen = await terminal.screen();
		if (/Proceed\? \(y\/N\)/.test(screen)) {
			return {summaries, fields};
		}

		const summary = /^❯ Accept these (\d+) answers/m.exec(screen);
		const field = /^(\S.*\(\d+\/\d+\))/m.exec(screen)?.[1];
		if (summary && /Enter accept all/.test(screen) && summaries.at(-1)?.screen !== screen) {
			summaries.push({count: Number(summary[1]), screen});
			await terminal.press('Enter');
		} else if (field && field !== fields.at(-1) && /Enter (accept|choose)/.test(screen)) {
			fields.push(field);
			await terminal.press('Enter');
		} else if (Date.now() > deadline) {
			throw new Error(`The form did not reach the plan review within ${timeoutMs} ms (${summaries.length} summaries, ${fields.length} fields). Last screen:\n${screen}`);
		} else {
			await new Promise(resolve => setTimeout(resolve, 200));
		}
	}
}

const procedures = [
	{id: 'datahub-to-maxcompute', title: /❯ DataHub → MaxCompute/, downs: 1, watched: /✔ Step 9 of 10 · Watch the sync/, checks: /All 4 checks equal/},
	{id: 'maxcompute-to-loghub', title: /❯ MaxCompute → Log Service/, downs: 2, watched: /✔ Step 7 of 8 · Run and watch/, checks: /All 3 checks equal/},
];

for (const procedure of procedures) {
	for (const [columns, rows] of [[80, 24], [60, 20]] as const) {
		test.serial(`a person runs ${procedure.id} from the home screen to the verification report at ${columns} columns`, async t => {
			t.timeout(240_000);
			// A local cloud of its own: a second export into the same logstore is refused (it would duplicate logs).
			const environment = {...ferryEnvironment, FERRY_HOME: path.join(root, `${procedure.id}-${columns}`)};
			homes.push(environment.FERRY_HOME);
			const terminal = await startTmuxTerminal({socket: `${socketPrefix}-${procedure.id}-${columns}`, columns, rows, command: [process.execPath, cliPath], environment});
			terminals.push(terminal);
			await terminal.waitForScreen(/❯ Start a procedure/, 20_000);
			await terminal.press('Enter');
			await terminal.waitForScreen(/Which procedure\?/, 10_000);
			for (let down = 0; down < procedure.downs; down++) {
				await terminal.press('Down');
			}

			await terminal.waitForScreen(procedure.title, 5000);
			await terminal.press('Enter');
			await terminal.waitForScreen(/Which profile\?[\s\S]*^❯ local/m, 10_000);
			await terminal.press('Enter');

			const {summaries, fields} = await acceptConnections(terminal, 90_000);
			const connections = summaries[0];
			t.true((connections?.count ?? 0) >= 10, `the Connections answers were shown on one screen (${connections?.count})`);
			t.is(summaries.length, 1, 'one Enter accepted them all');
			t.deepEqual(fields, [], 'on local no answer is asked one by one');
			t.regex(connections?.screen ?? '', /Step 1 of \d+ · Connections/);
			t.regex(connections?.screen ?? '', /more below/, `the list scrolls at ${columns}×${rows}`);
			t.regex(connections?.screen ?? '', /Enter accept all · ↑↓ move · e edit/);
			t.regex(connections?.screen ?? '', /^ {2}DataHub project|^ {2}MaxCompute project/m);
			t.true(widestRow(connections?.screen ?? '').width <= columns, `the summary fits: ${widestRow(connections?.screen ?? '').row}`);
			const review = await terminal.screen();
			t.regex(review, /Plan review/);
			t.true(widestRow(review).width <= columns, `the review fits: ${widestRow(review).row}`);
			await terminal.press('y');

			const outcome = await terminal.waitForScreen(/Session\s+(\S+)\.\s*\n\s*Press Enter to exit/, 150_000);
			const history = await terminal.history();
			t.regex(history, procedure.watched);
			t.regex(outcome.screen, procedure.checks);
			t.true(widestRow(outcome.screen).width <= columns, `no row wider than the terminal: ${widestRow(outcome.screen).row}`);
			await terminal.press('Enter');
			const exit = await terminal.waitForScreen(exitMarker, 15_000);
			t.is(exit.match[1], '0', `ferry exits 0:\n${exit.screen}`);
		});
	}
}
