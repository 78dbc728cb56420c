/**
 * The files through which ferry and the local cloud (the `@ferry/local-cloud` package) meet: the daemon writes its
 * state (endpoints, ports, the settings the local profile publishes) and its keys under FERRY_HOME, and ferry reads
 * them. This module is the contract of those files; it has no code of the local cloud's.
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {registerSecret} from '../log/redact.js';
import {ferryPaths} from '../store/paths.js';
import {isSameProcessAlive} from '../store/process-alive.js';

/** Region of every local service: the procedures' own example region (Singapore). */
export const localRegion = 'ap-southeast-1';

export type AwsKeys = {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
export type AlibabaKeys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

/** Generated at the first start of a FERRY_HOME and kept in a 0600 file; never written to sessions or logs. */
export type LocalCloudCredentials = {aws: AwsKeys; alibaba: AlibabaKeys};

/** A standing fault (`local-cloud start --faults`), as the state file records it. */
export type FaultRule = {
	service: string;
	/** An HTTP status answered in the service's own error shape, `reset` (the connection is dropped) or `slow`. */
	kind: number | 'reset' | 'slow';
	/** The next `count` requests, or a share of every request (0 < rate ≤ 1). `slow` without either: every request. */
	count?: number;
	rate?: number;
	/** For `slow`: how long each affected request waits before it proceeds. */
	delaySeconds?: number;
};

/**
 * What fresh local-cloud data is seeded with (`local-cloud start --identities`): every role, policy and association
 * the procedures need (`configured`), or none of them, to rehearse a first-time setup (`missing`).
 */
export type IdentitiesSeed = 'configured' | 'missing';
export const identitiesSeeds: readonly IdentitiesSeed[] = ['configured', 'missing'];

export type LocalCloudState = {
	pid: number;
	/** When the daemon process started, in the kernel's clock ticks (/proc/PID/stat), to tell it from a reused pid. */
	processStart?: string;
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
	/** What the data was seeded with; absent from older daemons, which seeded `configured`. */
	identities?: IdentitiesSeed;
	/** The accounts the stand-ins belong to. */
	accounts?: {aws: string; alibaba: string};
	/**
	 * What the local profile publishes as answer defaults (answer key → value): the project, buckets, roles and
	 * cluster the local cloud seeded, so every procedure runs on it with no typing.
	 */
	settings?: Record<string, string>;
	/**
	 * Secret answers the local profile supplies, by answer key, as a reference into the keys file (`aws.secretAccessKey`):
	 * the state file holds no secret.
	 */
	secretSettings?: Record<string, string>;
};

export function localCloudFiles() {
	const root = ferryPaths().localCloud;
	return {
		root,
		data: path.join(root, 'data'),
		state: path.join(root, 'state.json'),
		ports: path.join(root, 'ports.json'),
		log: path.join(root, 'daemon.log'),
		/** What the daemon is doing while it starts (progress.ts). */
		progress: path.join(root, 'progress.json'),
		credentials: path.join(root, 'credentials.json'),
		/** What the data was seeded with; it lives with the data, so `reset` forgets it. */
		identities: path.join(root, 'data', 'identities.json'),
	};
}

/** The state file as the daemon last wrote it, whether or not its process still runs. */
export function readLocalCloudStateFile(): LocalCloudState | undefined {
	const {state} = localCloudFiles();
	if (!existsSync(state)) {
		return undefined;
	}

	try {
		const parsed = JSON.parse(readFileSync(state, 'utf8')) as LocalCloudState;
		return {...parsed, doorPorts: parsed.doorPorts ?? {}};
	} catch {
		return undefined;
	}
}

/**
 * The one judgement of whether the daemon a state file names still runs: its pid answers, it is not a zombie or
 * being reaped (/proc/PID/stat state Z or X: a SIGKILLed daemon still answers `kill -0` until it is reaped), and it
 * is the same process that wrote the file (its start time, so a reused pid is not taken for it). Whether its
 * services answer is the other half of its health, asked over the network by `startLocalCloud` and `status`.
 */
export function isDaemonRunning(state: Pick<LocalCloudState, 'pid' | 'processStart'>): boolean {
	return isSameProcessAlive(state.pid, state.processStart);
}

/** The state the daemon wrote, when its process runs (`isDaemonRunning`). */
export function readLocalCloudState(): LocalCloudState | undefined {
	const state = readLocalCloudStateFile();
	return state && isDaemonRunning(state) ? state : undefined;
}

/** The local cloud's keys, when a start has made them; their secrets are registered for redaction. */
export function readLocalCredentials(): LocalCloudCredentials | undefined {
	try {
		const credentials = JSON.parse(readFileSync(localCloudFiles().credentials, 'utf8')) as LocalCloudCredentials;
		registerSecret(credentials.aws.secretAccessKey);
		registerSecret(credentials.alibaba.accessKeySecret);
		return credentials;
	} catch {
		return undefined;
	}
}

/** The secret answers the running local cloud supplies (e.g. its Redshift master password), resolved from its keys. */
export function readLocalSecretSettings(): Record<string, string> {
	const references = readLocalCloudState()?.secretSettings ?? {};
	const credentials = readLocalCredentials();
	if (!credentials) {
		return {};
	}

	const resolved: Record<string, string> = {};
	for (const [key, reference] of Object.entries(references)) {
		const [vendor, field] = reference.split('.') as [keyof LocalCloudCredentials, string];
		const value = (credentials[vendor] as Record<string, string> | undefined)?.[field];
		if (value !== undefined) {
			resolved[key] = value;
		}
	}

	return resolved;
}
