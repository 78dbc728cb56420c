import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import type {TestFn} from 'ava';
import {execa, type Result, type ResultPromise} from 'execa';
import type {Session} from '../../source/engine/session.js';

/** The built CLI, as `bin.ferry` names it: integration tests exercise what users run (`npm test` builds first). */
export const ferryCliPath = fileURLToPath(new URL('../../distribution/ferry.js', import.meta.url));

export type FerryResult = Result<{reject: false; input: string}>;

export type FerryOptions = {
	/** Extra environment, e.g. FERRY_SECRET_* variables. */
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
};

/** The environment of a headless run: a private FERRY_HOME, CI set, no colours, stdin closed. */
export function ferryEnvironment(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {...process.env, FERRY_HOME: home, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...extra};
}

/** Starts the built CLI with an empty stdin; the promise resolves (never rejects) when it exits. */
export function spawnFerry(home: string, args: readonly string[], options: FerryOptions = {}): ResultPromise<{reject: false; input: string}> {
	if (!existsSync(ferryCliPath)) {
		throw new Error(`${ferryCliPath} is missing; run \`npm run build\` first (\`npm test\` does).`);
	}

	return execa(process.execPath, [ferryCliPath, ...args], {
		env: ferryEnvironment(home, options.env),
		extendEnv: false,
		input: '',
		reject: false,
		// Output exactly as written, so a test can compare it with a file.
		stripFinalNewline: false,
		timeout: options.timeoutMs ?? 120_000,
	}) as ResultPromise<{reject: false; input: string}>;
}

export async function runFerry(home: string, args: readonly string[], options: FerryOptions = {}): Promise<FerryResult> {
	return spawnFerry(home, args, options);
}

/** A failure message with the tail of both streams, so a red test says why. */
export function describeRun(result: Pick<FerryResult, 'exitCode' | 'stdout' | 'stderr' | 'signal'>, lines = 25): string {
	const tail = (text: string) => text.trimEnd().split('\n').slice(-lines).join('\n');
	return `exit ${String(result.exitCode)}${result.signal ? ` (${result.signal})` : ''}\n--- stderr ---\n${tail(result.stderr)}\n--- stdout ---\n${tail(result.stdout)}`;
}

/** Parses the one JSON document a `--json` command prints on stdout. */
export function parseJsonOutput<T>(result: FerryResult): T {
	try {
		return JSON.parse(result.stdout) as T;
	} catch {
		throw new Error(`stdout is not one JSON document:\n${describeRun(result)}`);
	}
}

export type LocalCloudHome = {
	/** The FERRY_HOME of this test file; set once `test.before` ran. */
	readonly home: string;
	ferry(args: readonly string[], options?: FerryOptions): Promise<FerryResult>;
	spawn(args: readonly string[], options?: FerryOptions): ResultPromise<{reject: false; input: string}>;
};

/**
 * One temp FERRY_HOME and one local cloud per test file: started before the first test with
 * `ferry local-cloud start` (with `startArgs`, e.g. `--identities missing`), stopped and removed after the last one,
 * whatever happened.
 */
export function useLocalCloud(test: TestFn, options: {startArgs?: readonly string[]} = {}): LocalCloudHome {
	let home: string | undefined;
	const requireHome = () => {
		if (!home) {
			throw new Error('The local cloud is not started (test.before did not run)');
		}

		return home;
	};

	test.before(async () => {
		home = mkdtempSync(path.join(os.tmpdir(), 'ferry-integration-'));
		const started = await runFerry(home, ['local-cloud', 'start', ...(options.startArgs ?? [])], {timeoutMs: 150_000});
		if (started.exitCode !== 0) {
			throw new Error(`ferry local-cloud start failed:\n${describeRun(started)}\n--- daemon.log ---\n${readIfExists(path.join(home, 'local-cloud', 'daemon.log'))}`);
		}
	});

	test.after.always(async () => {
		if (!home) {
			return;
		}

		await runFerry(home, ['local-cloud', 'stop'], {timeoutMs: 30_000});
		rmSync(home, {recursive: true, force: true});
	});

	return {
		get home() {
			return requireHome();
		},
		async ferry(args, options) {
			return runFerry(requireHome(), args, options);
		},
		spawn(args, options) {
			return spawnFerry(requireHome(), args, options);
		},
	};
}

function readIfExists(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '(none)';
	}
}

export function sessionDirectory(home: string, sessionId: string): string {
	return path.join(home, 'sessions', sessionId);
}

/** Reads a session file as another process wrote it; undefined while it does not exist yet. */
export function readSessionFile(home: string, sessionId: string): Session | undefined {
	try {
		return JSON.parse(readFileSync(path.join(sessionDirectory(home, sessionId), 'session.json'), 'utf8')) as Session;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}
}

export function listSessionIds(home: string): string[] {
	const root = path.join(home, 'sessions');
	return existsSync(root) ? readdirSync(root) : [];
}

/**
 * Polls the sessions of a home until `predicate` holds for one of them (or the child exits, or time runs out).
 * Session files are written atomically, so a read never sees half a file.
 */
export async function waitForSession(home: string, predicate: (session: Session) => boolean, options: {intervalMs?: number; timeoutMs?: number; exited?: () => boolean} = {}): Promise<Session | undefined> {
	const deadline = Date.now() + (options.timeoutMs ?? 90_000);
	while (Date.now() < deadline && !options.exited?.()) {
		for (const id of listSessionIds(home)) {
			const session = readSessionFile(home, id);
			if (session && predicate(session)) {
				return session;
			}
		}

		await sleep(options.intervalMs ?? 100);
	}

	return undefined;
}

const signalNumbers = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;

/**
 * Waits until a process catches `signal` (Linux: the SigCgt mask in /proc/PID/status), so a test that signals "early in
 * a run" measures from the moment ferry's handler is installed, not from a Node start that a loaded machine slows
 * past the delay (a signal before any JavaScript runs meets the kernel's default, which no program can prevent).
 */
export async function untilSignalCaught(pid: number, signal: keyof typeof signalNumbers, timeoutMs = 30_000): Promise<boolean> {
	const bit = 1n << BigInt(signalNumbers[signal] - 1);
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
		const caught = /^SigCgt:\s*([\da-f]+)$/m.exec(status)?.[1];
		if (caught !== undefined && (BigInt(`0x${caught}`) & bit) !== 0n) {
			return true;
		}

		await sleep(5);
	}

	return false;
}

/** Every regular file under a folder, recursively. */
export function filesUnder(root: string): string[] {
	if (!existsSync(root)) {
		return [];
	}

	return readdirSync(root, {recursive: true, withFileTypes: true})
		.filter(entry => entry.isFile())
		.map(entry => path.join(entry.parentPath, entry.name));
}
