import {execFile} from 'node:child_process';
import {rmSync} from 'node:fs';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** Printed by the pane's shell after ferry exits, so a test can read the exit code off the screen. */
export const exitMarker = /EXIT=(\d+)/;

export type TmuxTerminalOptions = {
	/** A socket name of its own, so the test never talks to a tmux server someone else is using. */
	socket: string;
	columns: number;
	rows: number;
	/** The program and its arguments, run under `env -i` with exactly `environment`. */
	command: readonly string[];
	environment: Record<string, string>;
	/** Pause after every key, as a person typing would leave between keys. */
	keyDelayMs?: number;
};

export type TmuxTerminal = {
	/** The visible screen, one string per row, with terminal-wrapped rows joined back (`-J`) so overlong lines show. */
	screen(): Promise<string>;
	/** Everything the pane has shown, scrollback included. */
	history(): Promise<string>;
	/** The visible screen with its colours as ANSI escapes. */
	screenWithColours(): Promise<string>;
	/** One named key (`Enter`, `Escape`, `C-c`, `Down`) or one literal character. */
	press(key: string): Promise<void>;
	/** Literal text, one character at a time. */
	type(text: string): Promise<void>;
	/** Literal text as one burst of keys, as a fast typist (or a paste) gives them; the key delay once at the end. */
	typeAtOnce(text: string): Promise<void>;
	/** Polls every 200 ms until the screen matches; on timeout fails with the last screen in the message. */
	waitForScreen(pattern: RegExp, timeoutMs: number): Promise<{screen: string; match: RegExpMatchArray}>;
	/** Ends this terminal's tmux server, and with it everything running in it, and removes its socket. */
	kill(): Promise<void>;
};

function shellQuote(word: string): string {
	return `'${word.replaceAll('\'', '\'\\\'\'')}'`;
}

/** Starts a detached tmux session running `command` and returns the keyboard and the screen of it. */
export async function startTmuxTerminal(options: TmuxTerminalOptions): Promise<TmuxTerminal> {
	const keyDelayMs = options.keyDelayMs ?? 150;
	const target = 'ferry';
	// The tmux server itself gets a clean UTF-8 environment; the test runner's CI, NO_COLOR and FERRY_* must not leak in.
	const tmuxEnvironment = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: options.environment['HOME'] ?? '/tmp', LANG: 'C.UTF-8'};
	const tmux = async (...args: string[]) => (await run('tmux', ['-u', '-L', options.socket, ...args], {env: tmuxEnvironment, maxBuffer: 16 * 1024 * 1024})).stdout;

	const assignments = Object.entries(options.environment).map(([name, value]) => `${name}=${shellQuote(value)}`);
	// The pane outlives the program, so its exit code stays readable until the server is killed.
	const shellCommand = `env -i ${assignments.join(' ')} ${options.command.map(shellQuote).join(' ')}; echo EXIT=$?; sleep 86400`;
	await tmux('new-session', '-d', '-s', target, '-x', String(options.columns), '-y', String(options.rows), shellCommand);

	const capture = async (...flags: string[]) => (await tmux('capture-pane', '-p', ...flags, '-t', target)).replace(/\n+$/, '');
	const terminal: TmuxTerminal = {
		screen: async () => capture('-J'),
		history: async () => capture('-J', '-S', '-'),
		screenWithColours: async () => capture('-e'),
		async press(key) {
			await tmux('send-keys', '-t', target, key);
			await delay(keyDelayMs);
		},
		async type(text) {
			for (const character of text) {
				await tmux('send-keys', '-t', target, '-l', character);
				await delay(keyDelayMs);
			}
		},
		async typeAtOnce(text) {
			await tmux('send-keys', '-t', target, '-l', '--', text);
			await delay(keyDelayMs);
		},
		async waitForScreen(pattern, timeoutMs) {
			const deadline = Date.now() + timeoutMs;
			let screen = '';
			for (;;) {
				screen = await terminal.screen();
				const match = screen.match(pattern);
				if (match) {
					return {screen, match};
				}

				if (Date.now() > deadline) {
					throw new Error(`The screen did not show ${String(pattern)} within ${timeoutMs} ms. Last screen:\n${screen}`);
				}

				await delay(200);
			}
		},
		async kill() {
			const socketPath = (await tmux('display-message', '-p', '#{socket_path}').catch(() => '')).trim();
			await tmux('kill-server').catch(() => undefined);
			// tmux 3.3 leaves the socket file behind when its server is killed.
			if (socketPath) {
				rmSync(socketPath, {force: true});
			}
		},
	};
	return terminal;
}

/** The widest row of a screen, in terminal columns (ferry's glyphs are all one column wide). */
export function widestRow(screen: string): {width: number; row: string} {
	let widest = {width: 0, row: ''};
	for (const row of screen.split('\n')) {
		const width = [...row.trimEnd()].length;
		if (width > widest.width) {
			widest = {width, row};
		}
	}

	return widest;
}
