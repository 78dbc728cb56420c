/**
 * Shell completion as a person uses it: a real bash, zsh and fish in tmux, `ferry completion SHELL` loaded the way
 * its help says, then keystrokes (send-keys, Tab) and what the pane shows (capture-pane). Each Tab runs the built
 * ferry's `__complete`.
 */
import {execFile} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import test, {type ExecutionContext} from 'ava';
import {e2eCliPath} from '../helpers/ferry-in-tmux.js';
import {startTmuxTerminal, type TmuxTerminal} from '../helpers/tmux-terminal.js';

const run = promisify(execFile);
const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-completion-'));
const sessions = ['rtm-20261121-0935-aaaa', 'dtm-20261122-1000-bbbb'];

test.before(async () => {
	// `ferry` on PATH, as an installed ferry is: a one-line wrapper around the build.
	mkdirSync(path.join(root, 'bin'));
	writeFileSync(path.join(root, 'bin', 'ferry'), `#!/bin/sh\nexec '${process.execPath}' '${e2eCliPath}' "$@"\n`);
	chmodSync(path.join(root, 'bin', 'ferry'), 0o755);
	// Two saved sessions and a profile of the user's own, as completion finds them.
	for (const id of sessions) {
		mkdirSync(path.join(root, 'ferry-home', 'sessions', id), {recursive: true});
	}

	mkdirSync(path.join(root, 'ferry-home', 'config'), {recursive: true});
	writeFileSync(path.join(root, 'ferry-home', 'config', 'profiles.json'), JSON.stringify({profiles: {'prod-eu': {name: 'prod-eu', alibaba: {region: 'eu-central-1', credentials: {kind: 'chain'}}}}}));
	// Each shell starts as its user would have set it up: a prompt of `$ `, then the line the help gives.
	writeFileSync(path.join(root, 'bashrc'), 'PS1=\'$ \'\nsource <(ferry completion bash)\n');
	mkdirSync(path.join(root, 'zsh'));
	writeFileSync(path.join(root, 'zsh', '.zshrc'), 'PS1=\'$ \'\nautoload -Uz compinit && compinit -u -d "$ZDOTDIR/.zcompdump"\nsource <(ferry completion zsh)\n');
	writeFileSync(path.join(root, 'config.fish'), 'function fish_prompt; echo -n \'$ \'; end\nset -g fish_greeting \'\'\nferry completion fish | source\n');
});

test.after.always(() => {
	rmSync(root, {recursive: true, force: true});
});

type Shell = 'bash' | 'zsh' | 'fish';

const commands: Record<Shell, () => string[]> = {
	bash: () => ['bash', '--noprofile', '--rcfile', path.join(root, 'bashrc'), '-i'],
	zsh: () => ['zsh', '-i'],
	fish: () => ['fish', '--no-config', '--init-command', `source ${path.join(root, 'config.fish')}`],
};

async function openShell(t: ExecutionContext, shell: Shell): Promise<TmuxTerminal> {
	await run(shell, ['--version']).catch(() => {
		throw new Error(`${shell} is not installed (.ci/run installs bash, zsh and fish)`);
	});
	const terminal = await startTmuxTerminal({
		socket: `ferry-completion-${shell}-${process.pid}`,
		columns: 120,
		rows: 30,
		command: commands[shell](),
		environment: {PATH: `${path.join(root, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: root, LANG: 'C.UTF-8', TERM: 'xterm-256color', FERRY_HOME: path.join(root, 'ferry-home'), ZDOTDIR: path.join(root, 'zsh')},
		keyDelayMs: 0,
	});
	t.teardown(async () => terminal.kill());
	await waitForPrompt(terminal, '');
	return terminal;
}

/** The line being edited: the last one that starts with the prompt (capture-pane drops a row's trailing blanks). */
function promptLine(screen: string): string | undefined {
	return screen.split('\n').findLast(line => /^\$(?: |$)/.test(line))?.trimEnd();
}

/** Waits until the line being edited is `$ line` (and, for an empty line, nothing is below it), and `also` matches. */
async function waitForPrompt(terminal: TmuxTerminal, line: string, also?: RegExp, timeoutMs = 10_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const screen = await terminal.screen();
		const shown = promptLine(screen);
		const last = screen.split('\n').findLast(row => row.trim() !== '')?.trimEnd();
		if (shown === `$ ${line}`.trimEnd() && (line !== '' || last === '$') && (also === undefined || also.test(screen))) {
			return screen;
		}

		if (Date.now() > deadline) {
			throw new Error(`The prompt never showed ${JSON.stringify(`$ ${line}`)}. Last screen:\n${screen}`);
		}

		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

/**
 * Types `typed`, presses Tab (twice for bash's listing), waits for `completed` on the prompt line, then drops the
 * line. When nothing is to be inserted, a key typed after the Tab shows that the Tab was handled (a shell takes keys
 * in order) and that it inserted nothing.
 */
async function tab(terminal: TmuxTerminal, typed: string, completed: string, options: {tabs?: number; listed?: RegExp} = {}): Promise<string> {
	await terminal.typeAtOnce(typed);
	await waitForPrompt(terminal, typed);
	let screen = '';
	for (let count = 0; count < (options.tabs ?? 1); count++) {
		await terminal.press('Tab');
		// bash lists on the second Tab, once the first has completed what it could.
		const last = count === (options.tabs ?? 1) - 1;
		screen = completed === typed && !options.listed ? '' : await waitForPrompt(terminal, completed, last ? options.listed : undefined);
	}

	if (screen === '') {
		await terminal.typeAtOnce('_');
		screen = await waitForPrompt(terminal, `${typed}_`);
	}

	await terminal.press('C-c');
	await waitForPrompt(terminal, '');
	return screen;
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
	test(`${shell}: Tab completes commands, a command's flags, wizard ids, session ids and profiles`, async t => {
		const terminal = await openShell(t, shell);
		// Commands and actions.
		await tab(terminal, 'ferry sess', 'ferry sessions');
		await tab(terminal, 'ferry local-cloud res', 'ferry local-cloud reset');
		// The flags of the command typed: --scale is local-cloud start's, and run has none that starts so.
		await tab(terminal, 'ferry local-cloud start --sc', 'ferry local-cloud start --scale');
		await tab(terminal, 'ferry run --sc', 'ferry run --sc');
		await tab(terminal, 'ferry run datahub-to-maxcompute --no-i', 'ferry run datahub-to-maxcompute --no-input');
		// Wizard ids, session ids (from the sessions folder), profile names (from the profiles file).
		await tab(terminal, 'ferry run data', 'ferry run datahub-to-maxcompute');
		await tab(terminal, 'ferry plan redshift-to-', 'ferry plan redshift-to-maxcompute');
		await tab(terminal, 'ferry resume dtm', `ferry resume ${sessions[1]!}`);
		await tab(terminal, 'ferry sessions show rtm', `ferry sessions show ${sessions[0]!}`);
		await tab(terminal, 'ferry run datahub-to-maxcompute --profile pr', 'ferry run datahub-to-maxcompute --profile prod-eu');
		// Several candidates: they are listed under the line.
		const listed = await tab(terminal, 'ferry local-cloud st', 'ferry local-cloud st', {tabs: shell === 'bash' ? 2 : 1, listed: /\bstop\b/});
		// From the line as typed (bash draws it again under its list).
		const below = listed.slice(listed.indexOf('$ ferry local-cloud st\n'));
		for (const action of ['start', 'status', 'stop']) {
			t.regex(below, new RegExp(`\\b${action}\\b`), `${shell} lists ${action}:\n${listed}`);
		}

		if (shell !== 'bash') {
			t.regex(below, /whether each stand-in answers/, 'zsh and fish show each candidate\'s description');
		}
	});
}
