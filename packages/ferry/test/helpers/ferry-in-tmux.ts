import {execFile} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {TestFn} from 'ava';
import {startTmuxTerminal, type TmuxTerminal} from './tmux-terminal.js';

const run = promisify(execFile);

/** The built CLI; FERRY_E2E_CLI points at a build of one's own (FERRY_BUILD_OUT), so a run never races a rebuild. */
export const e2eCliPath = process.env['FERRY_E2E_CLI'] ?? fileURLToPath(new URL('../../distribution/ferry.js', import.meta.url));

export type FerryInTmux = {
	/** A person's terminal: colour, UTF-8, a HOME without cloud configuration, nothing of the caller's FERRY_*. */
	environment: Record<string, string>;
	/** Starts `ferry ARGS` in a terminal of its own with its own FERRY_HOME (and so its own local cloud), named `name`. */
	start(name: string, options: {columns: number; rows: number; args?: string[]}): Promise<TmuxTerminal>;
};

/**
 * One end-to-end test file's ferry in tmux: checks the build and tmux before the tests, and afterwards kills every
 * terminal, stops every local cloud the tests started and removes their homes.
 */
export function ferryInTmux(test: TestFn, name: string): FerryInTmux {
	const root = mkdtempSync(path.join(os.tmpdir(), `ferry-e2e-${name}-`));
	const userHome = path.join(root, 'home');
	mkdirSync(userHome);
	const environment = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: userHome, LANG: 'C.UTF-8', TERM: 'xterm-256color'};
	const terminals: TmuxTerminal[] = [];
	const homes: string[] = [];

	test.before(async () => {
		if (!existsSync(e2eCliPath)) {
			throw new Error(`${e2eCliPath} is missing; run \`npm run build\` first (\`npm test\` does).`);
		}

		await run('tmux', ['-V']);
	});

	test.after.always(async () => {
		await Promise.all(terminals.map(async terminal => terminal.kill()));
		await Promise.all(homes.map(async home => run(process.execPath, [e2eCliPath, 'local-cloud', 'stop'], {env: {...environment, FERRY_HOME: home, CI: 'true'}, timeout: 60_000}).catch(() => undefined)));
		rmSync(root, {recursive: true, force: true});
	});

	return {
		environment,
		async start(terminalName, options) {
			const home = path.join(root, terminalName);
			homes.push(home);
			const terminal = await startTmuxTerminal({socket: `ferry-e2e-${name}-${process.pid}-${terminalName}`, columns: options.columns, rows: options.rows, command: [process.execPath, e2eCliPath, ...(options.args ?? [])], environment: {...environment, FERRY_HOME: home}});
			terminals.push(terminal);
			return terminal;
		},
	};
}

/**
 * Accepts the Connections answers as a person would: one Enter on the summary of resolved answers, and one per field
 * still asked one by one, until the plan review asks. Returns what it accepted.
 */
export async function acceptConnections(terminal: TmuxTerminal, timeoutMs: number): Promise<{summaries: Array<{count: number; screen: string}>; fields: string[]}> {
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
