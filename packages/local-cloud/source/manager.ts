import {spawn} from 'node:child_process';
import {closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, statSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {ConfigurationError, InterruptedError, UsageError} from 'ferry/engine/errors';
import {ensurePrivateDirectory, writeFileAtomic} from 'ferry/store/atomic-write';
import {isDaemonRunning, localCloudFiles, readLocalCloudState, type FaultRule, type IdentitiesSeed, type LocalCloudState} from 'ferry/local/files';
import {describeProgress, readProgressFile, type LocalCloudProgress} from 'ferry/local/progress';
import {ferryPaths} from 'ferry/store/paths';
import {isProcessAlive} from 'ferry/store/process-alive';
import {healthProbeHeader} from './faults.js';

/** Ports by service or door name. */
export type DaemonOptions = {ports: Record<string, number>; scaleFactor: number; faults?: FaultRule[]; identities?: IdentitiesSeed};

/**
 * What the kept data was seeded with: the recorded choice, `configured` for data older than the choice, nothing for
 * fresh data.
 */
export function recordedIdentities(): IdentitiesSeed | undefined {
	const files = localCloudFiles();
	try {
		return (JSON.parse(readFileSync(files.identities, 'utf8')) as {identities: IdentitiesSeed}).identities;
	} catch {
		return existsSync(files.data) && readdirSync(files.data).length > 0 ? 'configured' : undefined;
	}
}

/** The identities a start seeds with: the data's own, which only `reset` changes. */
export function identitiesForStart(requested: IdentitiesSeed | undefined): IdentitiesSeed {
	const recorded = recordedIdentities();
	if (requested && recorded && requested !== recorded) {
		throw new UsageError(`The local cloud's data was seeded with identities ${recorded}, not ${requested}`, {hint: `Identities are seeded once: \`ferry local-cloud reset\` clears the data, then \`ferry local-cloud start --identities ${requested}\`.`});
	}

	return recorded ?? requested ?? 'configured';
}

export function writeLocalCloudState(state: LocalCloudState): void {
	writeFileAtomic(localCloudFiles().state, `${JSON.stringify(state, undefined, '\t')}\n`);
}

/** Ports chosen at the first start are kept, so endpoints stay the same across restarts. */
export function rememberedPorts(): DaemonOptions['ports'] {
	const {ports} = localCloudFiles();
	try {
		return JSON.parse(readFileSync(ports, 'utf8')) as DaemonOptions['ports'];
	} catch {
		return {};
	}
}

export function rememberPorts(ports: DaemonOptions['ports']): void {
	writeFileAtomic(localCloudFiles().ports, `${JSON.stringify(ports, undefined, '\t')}\n`);
}

async function answers(url: string): Promise<boolean> {
	try {
		await fetch(url, {signal: AbortSignal.timeout(2000), headers: {[healthProbeHeader]: '1'}});
		return true;
	} catch {
		return false;
	}
}

export async function serviceHealth(state: LocalCloudState): Promise<Array<{name: string; url: string; up: boolean}>> {
	return Promise.all(Object.entries(state.services).map(async ([name, url]) => ({name, url, up: await answers(healthUrl(url))})));
}

/** *.localhost names resolve only through ferry's own lookup, so health checks go to 127.0.0.1 directly. */
function healthUrl(url: string): string {
	const parsed = new URL(url);
	if (parsed.hostname.endsWith('.localhost')) {
		parsed.hostname = '127.0.0.1';
	}

	return parsed.toString();
}

/** What the daemon may inherit: it needs no cloud keys or secrets of the launching shell, only how to run. */
const keptVariables = new Set(['PATH', 'HOME', 'FERRY_HOME', 'LANG', 'TMPDIR', 'TZ']);

/** The launching shell's environment without credentials or secrets: kept names only, and never a secret-looking one. */
export function daemonEnvironment(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const kept: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(from)) {
		const allowed = keptVariables.has(name) || name.startsWith('NODE_') || name.startsWith('LC_');
		if (allowed && value !== undefined && !/SECRET|TOKEN|PASSWORD|KEY/i.test(name)) {
			kept[name] = value;
		}
	}

	return {...kept, FERRY_HOME: ferryPaths().data, FERRY_DAEMON: '1'};
}

let daemonOverride: {command: string; args: string[]} | undefined;

/** Test seam: starts `command args… OPTIONS_JSON` instead of the daemon (a stand-in that seeds slowly, or dies). Nothing restores it. */
export function setDaemonCommandForTests(command?: {command: string; args: string[]}): void {
	daemonOverride = command;
}

function daemonCommand(): {command: string; args: string[]} {
	if (daemonOverride) {
		return daemonOverride;
	}

	const here = fileURLToPath(import.meta.url);
	const extension = path.extname(here);
	const daemon = path.join(path.dirname(here), `daemon${extension}`);
	// Under tsx (tests) the daemon is TypeScript too, and reaches ferry's sources through their export condition.
	return {command: process.execPath, args: extension === '.ts' ? ['--conditions=ferry-source', '--import', 'tsx', daemon] : [daemon]};
}

export type StartLocalCloudOptions = {
	ports?: DaemonOptions['ports'];
	scaleFactor?: number;
	faults?: FaultRule[];
	/** What fresh data is seeded with; kept data keeps its own (a different choice is refused: reset first). */
	identities?: IdentitiesSeed;
	/**
	 * How long the daemon may go without reporting progress before the start is given up. A first start at a large
	 * scale factor seeds for minutes, but it reports every batch of rows, so only a stuck daemon waits this long.
	 * @default 120_000
	 */
	stallTimeoutMs?: number;
	/** Called with each new progress report of the daemon (polled every `pollMs`). */
	onProgress?: (progress: LocalCloudProgress) => void;
	/** @default 100 */
	pollMs?: number;
	/**
	 * How long a daemon that runs but whose services do not answer is waited for before it is reported as hung.
	 * @default 10_000
	 */
	hungAfterMs?: number;
	/**
	 * Ends the wait at once when aborted (Ctrl-C, SIGTERM, SIGHUP), with the signal's reason; the daemon goes on
	 * starting in the background, where the next start or run finds it.
	 */
	signal?: AbortSignal;
};

/** The last meaningful line the daemon wrote to its log after `offset` (this start's lines only), to say why it died. */
function lastLogLine(file: string, offset = 0): string | undefined {
	try {
		const lines = readFileSync(file).subarray(offset).toString('utf8').trimEnd().split('\n').map(line => line.trim()).filter(Boolean);
		return (lines.findLast(line => /error/i.test(line)) ?? lines.at(-1))?.slice(0, 300);
	} catch {
		return undefined;
	}
}

/** Space left for ferry's data; undefined when the file system cannot say. */
function freeBytes(directory: string): number | undefined {
	try {
		const stats = statfsSync(directory);
		return stats.bavail * stats.bsize;
	} catch {
		return undefined;
	}
}

/**
 * The error for a daemon that died while starting. Its log is offered only when this start wrote to it (after
 * `logOffset`): on a full disk it stays empty, and an empty log says nothing, so the error says what is known instead.
 */
export function startFailure(exitCode: number | string, logOffset: number, free = freeBytes(localCloudFiles().root)): ConfigurationError {
	const files = localCloudFiles();
	const size = statSync(files.log, {throwIfNoEntry: false})?.size ?? 0;
	const reason = size > logOffset ? lastLogLine(files.log, logOffset) : undefined;
	if (reason) {
		return new ConfigurationError(`The local cloud failed to start (daemon exit ${exitCode}): ${reason}`, {hint: `See ${files.log}; \`ferry local-cloud reset\` starts from fresh data.`});
	}

	if (free !== undefined && free < 1024 * 1024) {
		return new ConfigurationError(`The local cloud failed to start (daemon exit ${exitCode}): no space left on the device holding ${files.root}`, {hint: 'Free some disk space, then run `ferry local-cloud start` again.'});
	}

	return new ConfigurationError(`The local cloud failed to start: its daemon exited (${exitCode}) before writing to ${files.log}`, {hint: `Check that ${files.root} is writable and has free space, then run \`ferry local-cloud start\` again.`});
}

/**
 * Starts the daemon and waits until every stand-in answers. The wait ends early when the daemon dies, and times out
 * only when it makes no progress for `stallTimeoutMs`: seeding at scale factor 1 may take minutes and still be fine.
 */
export async function startLocalCloud(options: StartLocalCloudOptions = {}): Promise<LocalCloudState> {
	const running = readLocalCloudState();
	if (running) {
		const healthy = await healthyOrGone(running, options);
		if (healthy) {
			return healthy;
		}
	}

	const files = localCloudFiles();
	const identities = identitiesForStart(options.identities);
	ensurePrivateDirectory(files.data);
	writeFileAtomic(files.identities, `${JSON.stringify({identities})}
`);
	rmSync(files.state, {force: true});
	rmSync(files.progress, {force: true});
	const daemonOptions: DaemonOptions = {ports: {...rememberedPorts(), ...options.ports}, scaleFactor: options.scaleFactor ?? 0.01, identities, ...(options.faults?.length ? {faults: options.faults} : {})};
	const {command, args} = daemonCommand();
	const logFd = openSync(files.log, 'a', 0o600);
	const logOffset = fstatSync(logFd).size;
	const child = spawn(command, [...args, JSON.stringify(daemonOptions)], {
		detached: true,
		stdio: ['ignore', logFd, logFd],
		env: daemonEnvironment(),
	});
	closeSync(logFd);
	child.unref();
	let exited: number | undefined;
	child.once('exit', (code, signal) => {
		exited = code ?? (signal ? 128 : 1);
	});

	// Said at once: the daemon needs a moment to load before it can say anything itself.
	options.onProgress?.({phase: 'starting', sequence: 0, pid: child.pid ?? 0, updatedAt: new Date().toISOString()});
	const stallTimeoutMs = options.stallTimeoutMs ?? 120_000;
	const pollMs = options.pollMs ?? 100;
	let lastSequence: number | undefined;
	let lastProgressAt = Date.now();
	let lastHealthCheck = 0;
	const poll = () => {
		const progress = readProgressFile(files.progress);
		if (progress && progress.pid === child.pid && progress.sequence !== lastSequence) {
			lastSequence = progress.sequence;
			lastProgressAt = Date.now();
			options.onProgress?.(progress);
		}

		return progress;
	};

	const {signal} = options;
	for (;;) {
		throwIfInterrupted(signal);
		const progress = poll();

		if (exited !== undefined || (child.pid !== undefined && !isProcessAlive(child.pid))) {
			throw startFailure(exited ?? 'unknown', logOffset);
		}

		// Health checks cost a request per stand-in: only once the daemon says it is ready, or every second as a fallback.
		if (progress?.phase === 'ready' || Date.now() - lastHealthCheck >= 1000) {
			lastHealthCheck = Date.now();
			const state = readLocalCloudState();
			if (state && (await serviceHealth(state)).every(service => service.up)) {
				poll();
				return state;
			}
		}

		if (Date.now() - lastProgressAt > stallTimeoutMs) {
			const doing = progress ? describeProgress(progress) : 'starting';
			throw new ConfigurationError(`The local cloud made no progress for ${Math.round(stallTimeoutMs / 1000)} s (last: ${doing.charAt(0).toLowerCase()}${doing.slice(1)}); it is still running in the background`, {hint: `See ${files.log}; \`ferry local-cloud stop\` ends it, then start again.`});
		}

		await sleep(pollMs, undefined, signal ? {signal} : undefined).catch(error => {
			throwIfInterrupted(signal);
			throw error;
		});
	}
}

/**
 * A daemon the state file names and that runs (`isDaemonRunning`: alive, not a zombie, not a reused pid) is judged by
 * its services: answering, it is the local cloud; ending meanwhile (it was being torn down), it is waited out and a
 * fresh one starts on the remembered ports (undefined); still running with its services silent after `hungAfterMs`,
 * it is hung, and reported so with the way out.
 */
async function healthyOrGone(state: LocalCloudState, options: StartLocalCloudOptions): Promise<LocalCloudState | undefined> {
	const deadline = Date.now() + (options.hungAfterMs ?? 10_000);
	for (;;) {
		throwIfInterrupted(options.signal);
		if (!isDaemonRunning(state)) {
			return undefined;
		}

		const down = (await serviceHealth(state)).filter(service => !service.up).map(service => service.name);
		if (down.length === 0) {
			return state;
		}

		if (!isDaemonRunning(state)) {
			return undefined;
		}

		if (Date.now() >= deadline) {
			throw new ConfigurationError(`The local cloud's daemon (pid ${state.pid}) is running, but ${down.join(', ')} ${down.length === 1 ? 'does' : 'do'} not answer`, {hint: `It may be hung: \`ferry local-cloud stop\` ends it, then \`ferry local-cloud start\` starts a fresh one on the same ports (see ${localCloudFiles().log}).`});
		}

		await sleep(200, undefined, options.signal ? {signal: options.signal} : undefined).catch(error => {
			throwIfInterrupted(options.signal);
			throw error;
		});
	}
}

function throwIfInterrupted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		throw signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('Interrupted while the local cloud was starting; it goes on starting in the background', {cause: signal.reason});
	}
}

export async function stopLocalCloud(): Promise<boolean> {
	const state = readLocalCloudState();
	if (!state) {
		rmSync(localCloudFiles().state, {force: true});
		return false;
	}

	process.kill(state.pid, 'SIGTERM');
	const deadline = Date.now() + 15_000;
	while (isDaemonRunning(state) && Date.now() < deadline) {
		await sleep(100);
	}

	if (isDaemonRunning(state)) {
		process.kill(state.pid, 'SIGKILL');
	}

	rmSync(localCloudFiles().state, {force: true});
	return true;
}

/** Stops the local cloud and deletes its data; keys and ports are kept so profiles stay valid. */
export async function resetLocalCloud(): Promise<void> {
	await stopLocalCloud();
	rmSync(localCloudFiles().data, {recursive: true, force: true});
}
