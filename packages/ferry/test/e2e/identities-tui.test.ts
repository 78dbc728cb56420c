/**
 * A first-time setup in the real terminal UI, driven in tmux: on a local cloud started with `--identities missing`,
 * preflight finds what is missing and passes it to the plan, the plan shows the identity calls, and ferry creates
 * them only after the person types the confirmation; the outcome says what was created and where to find how to
 * remove it. Needs tmux and the built CLI.
 */
import {execFile} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import test from 'ava';
import {exitMarker, startTmuxTerminal, type TmuxTerminal} from '../helpers/tmux-terminal.js';

const run = promisify(execFile);
const cliPath = process.env['FERRY_E2E_CLI'] ?? fileURLToPath(new URL('../../distribution/ferry.js', import.meta.url));
const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-identities-'));
const ferryHome = path.join(root, 'ferry');
const userHome = path.join(root, 'home');
mkdirSync(userHome);
const ferryEnvironment = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: userHome, LANG: 'C.UTF-8', TERM: 'xterm-256color', FERRY_HOME: ferryHome};
let terminal: TmuxTerminal | undefined;

test.before(async () => {
	if (!existsSync(cliPath)) {
		throw new Error(`${cliPath} is missing; run \`npm run build\` first (\`npm test\` does).`);
	}

	await run('tmux', ['-V']).catch(() => {
		throw new Error('tmux is not installed; `.ci/run` installs it with apt-get.');
	});
	await run(process.execPath, [cliPath, 'local-cloud', 'start', '--identities', 'missing'], {env: {...ferryEnvironment, CI: 'true'}, timeout: 150_000});
});

test.after.always(async () => {
	await terminal?.kill();
	await run(process.execPath, [cliPath, 'local-cloud', 'stop'], {env: {...ferryEnvironment, CI: 'true'}, timeout: 60_000}).catch(() => undefined);
	rmSync(root, {recursive: true, force: true});
});

test.serial('missing identities are created after the plan only once "create" is typed, and the outcome says what was created', async t => {
	t.timeout(300_000);
	terminal = await startTmuxTerminal({socket: `ferry-e2e-identities-${process.pid}`, columns: 100, rows: 30, command: [process.execPath, cliPath, 'run', 'redshift-to-maxcompute', '--local'], environment: ferryEnvironment});
	await terminal.waitForScreen(/^❯ Accept these \d+ answers/m, 60_000);
	await terminal.press('Enter');

	const tables = await terminal.waitForScreen(/Step 3 of 11 · Tables[\s\S]*\d+ of \d+ selected/, 90_000);
	t.regex(tables.screen, /✔ Step 2 of 11 · Preflight/, 'missing identities that ferry may create do not stop preflight in the terminal');
	await terminal.press('Enter');

	// The plan opens on the identities: what is missing, checked with which calls (the calls themselves follow below).
	const plan = await terminal.waitForScreen(/Proceed\? \(y\/N\)/, 30_000);
	t.regex(plan.screen, /9 identity resources are missing; ferry creates exactly these after you accept the plan/);
	t.regex(plan.screen, /IAM role ferry-local-unload +missing: role ferry-local-unload +IAM GetRole ferry-local-unload,/);
	await terminal.press('y');

	const ask = await terminal.waitForScreen(/Type create to continue/, 30_000);
	t.regex(ask.screen, /ferry creates 9 identity resources the plan showed: IAM role ferry-local-unload/);
	await terminal.type('creat');
	await terminal.press('Enter');
	await terminal.waitForScreen(/Value must be exactly create/, 5000);
	await terminal.type('e');
	await terminal.waitForScreen(/❯ create/, 5000);
	await terminal.press('Enter');

	await terminal.waitForScreen(/Type ferry_local to continue/, 120_000);
	const created = await terminal.history();
	t.regex(created, /✔ Step 5 of 11 · Identities/);
	await terminal.type('ferry_local');
	await terminal.waitForScreen(/❯ ferry_local/, 5000);
	await terminal.press('Enter');

	const outcome = await terminal.waitForScreen(/Press Enter to exit/, 120_000);
	t.regex(outcome.screen, /✔ Done: All 10 checks equal/);
	t.regex(outcome.screen.replaceAll('\n', ' '), /ferry created 9 resources for this run .*ferry sessions show \S+/);
	await terminal.press('Enter');
	const exit = await terminal.waitForScreen(exitMarker, 15_000);
	t.is(exit.match[1], '0', exit.screen);
});
