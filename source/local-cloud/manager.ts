import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, openSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {ConfigurationError} from '../engine/errors.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {ferryPaths} from '../store/paths.js';
import {isProcessAlive} from '../store/process-alive.js';
import {healthProbeHeader, type FaultRule} from './faults.js';

export type LocalCloudState = {
	pid: number;
	startedAt: string;
	scaleFactor: number;
	/** Endpoint URL by service name. */
	services: Record<string, string>;
	/** Ports of the stand-ins' other doors (e.g. a PostgreSQL wire), by door name. */
	doorPorts: Record<string, number>;
	/** Standing faults in force (`local-cloud start --faults`), none when absent. */
	faults?: FaultRule[];
	/** The daemon's forward proxy for `*.localhost` names (http://127.0.0.1:PORT); its port is kept as `localhost-proxy`. */
	localhostProxy?: string;
};

/** Ports by service or door name. */
export type DaemonOptions = {ports: Record<string, number>; scaleFactor: number; faults?: FaultRule[]};

export function localCloudFiles() {
	const root = ferryPaths().localCloud;
	return {
		root,
		data: path.join(root, 'data'),
		state: path.join(root, 'state.json'),
		ports: path.join(root, 'ports.json'),
		log: path.join(root, 'daemon.log'),
	};
}

export function readLocalCloudState(): LocalCloudState | undefined {
	const {state} = localCloudFiles();
	if (!existsSync(state)) {
		return undefined;
	}

	try {
		const parsed = JSON.parse(readFileSync(state, 'utf8')) as LocalCloudState;
		return isProcessAlive(parsed.pid) ? {...parsed, doorPorts: parsed.doorPorts ?? {}} : undefined;
	} catch {
		return undefined;
	}
}

export function writeLocalCloudState(state: LocalCloudState): void {
	writeFileAtomic(localCloudFiles().state, `${JSON.stringify(state, undefined, '\t')}\n`, 0o644);
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
	writeFileAtomic(localCloudFiles().ports, `${JSON.stringify(ports, undefined, '\t')}\n`, 0o644);
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

function daemonCommand(): {command: string; args: string[]} {
	const here = fileURLToPath(import.meta.url);
	const extension = path.extname(here);
	const daemon = path.join(path.dirname(here), `daemon${extension}`);
	// Under tsx (tests) the daemon is TypeScript too.
	return {command: process.execPath, args: extension === '.ts' ? ['--import', 'tsx', daemon] : [daemon]};
}

export async function startLocalCloud(options: {ports?: DaemonOptions['ports']; scaleFactor?: number; faults?: FaultRule[]; timeoutMs?: number} = {}): Promise<LocalCloudState> {
	const running = readLocalCloudState();
	if (running) {
		return running;
	}

	const files = localCloudFiles();
	mkdirSync(files.root, {recursive: true});
	rmSync(files.state, {force: true});
	const daemonOptions: DaemonOptions = {ports: {...rememberedPorts(), ...options.ports}, scaleFactor: options.scaleFactor ?? 0.01, ...(options.faults?.length ? {faults: options.faults} : {})};
	const {command, args} = daemonCommand();
	const logFd = openSync(files.log, 'a', 0o600);
	const child = spawn(command, [...args, JSON.stringify(daemonOptions)], {
		detached: true,
		stdio: ['ignore', logFd, logFd],
		env: daemonEnvironment(),
	});
	child.unref();
	let exited: number | undefined;
	child.once('exit', code => {
		exited = code ?? 1;
	});

	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	while (Date.now() < deadline) {
		if (exited !== undefined) {
			throw new ConfigurationError(`The local cloud failed to start (exit ${exited})`, {hint: `See ${files.log}.`});
		}

		const state = readLocalCloudState();
		if (state && (await serviceHealth(state)).every(service => service.up)) {
			return state;
		}

		await sleep(200);
	}

	throw new ConfigurationError('The local cloud did not answer in time', {hint: `See ${files.log}; try \`ferry local-cloud stop\` then start again.`});
}

export async function stopLocalCloud(): Promise<boolean> {
	const state = readLocalCloudState();
	if (!state) {
		rmSync(localCloudFiles().state, {force: true});
		return false;
	}

	process.kill(state.pid, 'SIGTERM');
	const deadline = Date.now() + 15_000;
	while (isProcessAlive(state.pid) && Date.now() < deadline) {
		await sleep(100);
	}

	if (isProcessAlive(state.pid)) {
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
