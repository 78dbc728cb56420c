import {chmodSync, existsSync} from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import {ConfigurationError} from '../engine/errors.js';
import {registerSecret} from '../log/redact.js';
import type {SecretStore} from '../engine/wizard.js';
import {removeStaleTemporaries, writeJsonFile} from './atomic-write.js';
import {loadConf} from './load-conf.js';
import {ferryPaths} from './paths.js';

/**
 * ferry's own credentials file (mode 0600), used only when the vendors' chains are not wanted.
 * Holds keys entered in ferry for profiles, and the secret answers of sessions, each under its own key.
 */
export type StoredAwsKeys = {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
export type StoredAlibabaKeys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

type CredentialsFile = {
	profiles: Record<string, {aws?: StoredAwsKeys; alibaba?: StoredAlibabaKeys}>;
	sessions: Record<string, Record<string, string>>;
};

const keysSchema = {type: 'object', additionalProperties: {type: 'string'}};
const schema = {
	profiles: {
		type: 'object',
		additionalProperties: {
			type: 'object',
			properties: {aws: keysSchema, alibaba: keysSchema},
			additionalProperties: false,
		},
	},
	sessions: {type: 'object', additionalProperties: {type: 'object', additionalProperties: {type: 'string'}}},
} as const;

const defaults: CredentialsFile = {profiles: {}, sessions: {}};

let store: Conf<CredentialsFile> | undefined;
let storeDirectory: string | undefined;

async function open(): Promise<Conf<CredentialsFile>> {
	const directory = ferryPaths().config;
	if (store && storeDirectory === directory) {
		return store;
	}

	const ConfClass = await loadConf();
	// Stale temp files of writers that were killed; and the first file is written here, so conf never writes.
	removeStaleTemporaries(directory);
	const file = path.join(directory, 'credentials.json');
	if (!existsSync(file)) {
		writeJsonFile(file, defaults, 0o600);
	}

	try {
		store = new ConfClass<CredentialsFile>({
			cwd: directory,
			configName: 'credentials',
			configFileMode: 0o600,
			// A hand-edited file with a mistake must fail loudly, not be wiped.
			clearInvalidConfig: false,
			schema: schema as never,
			defaults,
		});
	} catch (error) {
		throw new ConfigurationError(`The credentials file is invalid: ${(error as Error).message}`, {hint: `Fix or remove ${directory}/credentials.json.`});
	}

	storeDirectory = directory;
	if (existsSync(store.path)) {
		chmodSync(store.path, 0o600);
	}

	for (const profile of Object.values(store.get('profiles'))) {
		registerSecret(profile.aws?.secretAccessKey);
		registerSecret(profile.aws?.sessionToken);
		registerSecret(profile.alibaba?.accessKeySecret);
		registerSecret(profile.alibaba?.securityToken);
	}

	for (const secrets of Object.values(store.get('sessions'))) {
		for (const value of Object.values(secrets)) {
			registerSecret(value);
		}
	}

	return store;
}

/**
 * conf reads and validates the file; ferry writes it (mode 0600), since conf's writer does not check that every
 * byte went in and can rename a short write over the good file on a full disk.
 */
function write(conf: Conf<CredentialsFile>, next: CredentialsFile): void {
	writeJsonFile(conf.path, next, 0o600);
}

export async function credentialsFilePath(): Promise<string> {
	return (await open()).path;
}

export async function getProfileKeys(profile: string): Promise<{aws?: StoredAwsKeys; alibaba?: StoredAlibabaKeys}> {
	return (await open()).get('profiles')[profile] ?? {};
}

export async function setProfileKeys(profile: string, keys: {aws?: StoredAwsKeys; alibaba?: StoredAlibabaKeys}): Promise<void> {
	const conf = await open();
	const profiles = conf.get('profiles');
	profiles[profile] = {...profiles[profile], ...keys};
	write(conf, {...conf.store, profiles});
	registerSecret(keys.aws?.secretAccessKey);
	registerSecret(keys.aws?.sessionToken);
	registerSecret(keys.alibaba?.accessKeySecret);
	registerSecret(keys.alibaba?.securityToken);
}

export async function deleteProfileKeys(profile: string): Promise<void> {
	const conf = await open();
	const profiles = conf.get('profiles');
	delete profiles[profile];
	write(conf, {...conf.store, profiles});
}

/** The secret answers of one session, read at start and written through on every change. */
export async function openSessionSecrets(sessionId: string): Promise<SecretStore & {move(to: string): void}> {
	const conf = await open();
	let id = sessionId;
	const current = () => conf.get('sessions')[id] ?? {};
	return {
		get: key => current()[key],
		set(key, value) {
			registerSecret(value);
			const sessions = conf.get('sessions');
			sessions[id] = {...sessions[id], [key]: value};
			write(conf, {...conf.store, sessions});
		},
		move(to) {
			const sessions = conf.get('sessions');
			if (sessions[id]) {
				sessions[to] = sessions[id] ?? {};
				delete sessions[id];
				write(conf, {...conf.store, sessions});
			}

			id = to;
		},
	};
}

export async function deleteSessionSecrets(sessionId: string): Promise<void> {
	const conf = await open();
	const sessions = conf.get('sessions');
	delete sessions[sessionId];
	write(conf, {...conf.store, sessions});
}
