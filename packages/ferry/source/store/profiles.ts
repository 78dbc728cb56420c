import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import {ConfigurationError, UsageError} from '../engine/errors.js';
import {localRegion, readLocalCloudState, readLocalSecretSettings} from '../local/files.js';
import {removeStaleTemporaries, writeJsonFile} from './atomic-write.js';
import {deleteProfileKeys} from './credentials-store.js';
import {loadConf} from './load-conf.js';
import {ferryPaths} from './paths.js';

/**
 * A profile names the endpoints of each cloud and where its credentials come from.
 * - chain: the vendor's own chain (env, shared files, SSO, RAM/STS roles), optionally a named vendor profile;
 * - stored: keys entered in ferry, kept in ferry's 0600 credentials file;
 * - local: the keys of the local cloud under FERRY_HOME.
 */
export type CredentialSource = {kind: 'chain'; profile?: string} | {kind: 'stored'} | {kind: 'local'};

export type Profile = {
	name: string;
	description?: string;
	/** Absent in a profile for Alibaba Cloud services only. */
	aws?: {
		region: string;
		credentials: CredentialSource;
		endpoints?: Record<string, string>;
	};
	alibaba: {
		region: string;
		/** The account UID: Data Online Migration puts it in its host name. */
		accountId?: string;
		credentials: CredentialSource;
		endpoints?: Record<string, string>;
		logviewHost?: string;
	};
	/** What the services' whoami needs besides keys and endpoints (e.g. maxcomputeProject), by setting key. */
	settings?: Record<string, string>;
};

export const localProfileName = 'local';

export const localProfile: Profile = {
	name: localProfileName,
	description: 'The local cloud: stand-ins on 127.0.0.1 that speak the real protocols (no account needed)',
	aws: {region: localRegion, credentials: {kind: 'local'}},
	alibaba: {region: localRegion, credentials: {kind: 'local'}},
};

const profileNamePattern = /^[a-z\d][a-z\d_-]{0,62}$/i;

const credentialSchema = {
	type: 'object',
	properties: {kind: {enum: ['chain', 'stored', 'local']}, profile: {type: 'string'}},
	required: ['kind'],
	additionalProperties: false,
};
const endpointsSchema = {type: 'object', additionalProperties: {type: 'string'}};
const schema = {
	profiles: {
		type: 'object',
		additionalProperties: {
			type: 'object',
			required: ['name', 'alibaba'],
			properties: {
				name: {type: 'string'},
				description: {type: 'string'},
				aws: {type: 'object', required: ['region', 'credentials'], properties: {region: {type: 'string'}, credentials: credentialSchema, endpoints: endpointsSchema}},
				alibaba: {
					type: 'object',
					required: ['region', 'credentials'],
					properties: {region: {type: 'string'}, accountId: {type: 'string'}, credentials: credentialSchema, endpoints: endpointsSchema, logviewHost: {type: 'string'}},
				},
				settings: {type: 'object', additionalProperties: {type: 'string'}},
			},
		},
	},
} as const;

type ProfilesFile = {profiles: Record<string, Profile>};

const defaults: ProfilesFile = {profiles: {}};

let store: Conf<ProfilesFile> | undefined;
let storeDirectory: string | undefined;

async function open(): Promise<Conf<ProfilesFile>> {
	const directory = ferryPaths().config;
	if (store && storeDirectory === directory) {
		return store;
	}

	const ConfClass = await loadConf();
	// Stale temp files of writers that were killed; and the first file is written here, so conf never writes.
	removeStaleTemporaries(directory);
	const file = path.join(directory, 'profiles.json');
	if (!existsSync(file)) {
		writeJsonFile(file, defaults, 0o600);
	}

	try {
		store = new ConfClass<ProfilesFile>({
			cwd: directory,
			configName: 'profiles',
			clearInvalidConfig: false,
			schema: schema as never,
			defaults,
		});
	} catch (error) {
		throw new ConfigurationError(`The profiles file is invalid: ${(error as Error).message}`, {hint: `Fix or remove ${directory}/profiles.json.`});
	}

	storeDirectory = directory;
	return store;
}

/**
 * conf reads and validates the file; ferry writes it, since conf's writer does not check that every byte went in
 * and can rename a short write over the good file on a full disk.
 */
function write(conf: Conf<ProfilesFile>, next: ProfilesFile): void {
	writeJsonFile(conf.path, next, 0o600);
}

export async function listProfiles(): Promise<Profile[]> {
	const stored = Object.values((await open()).get('profiles'));
	return [localProfile, ...stored.filter(profile => profile.name !== localProfileName)];
}

export type ProfileSummary = {name: string; description: string};

/**
 * The profiles' names and one-line descriptions for a menu, read without conf: its schema compiler costs more than
 * the rest of the home screen's start-up. The file is validated in full when a profile is used (`getProfile`); an
 * unreadable file is reported the same way here.
 */
export function listProfileSummaries(): ProfileSummary[] {
	const file = path.join(ferryPaths().config, 'profiles.json');
	let stored: Profile[] = [];
	if (existsSync(file)) {
		try {
			const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProfilesFile>;
			stored = Object.values(parsed.profiles ?? {}).filter(profile => typeof profile?.name === 'string' && typeof profile.alibaba?.region === 'string');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EACCES') {
				throw new ConfigurationError(`ferry may not read its profiles file ${file}`, {hint: 'Give your user read access to it, or point FERRY_HOME at a directory of your own.'});
			}

			throw new ConfigurationError(`The profiles file is invalid: ${(error as Error).message}`, {hint: `Fix or remove ${file}.`});
		}
	}

	return [localProfile, ...stored.filter(profile => profile.name !== localProfileName)].map(profile => ({
		name: profile.name,
		description: profile.description ?? `${profile.aws ? `AWS ${profile.aws.region} · ` : ''}Alibaba Cloud ${profile.alibaba.region}`,
	}));
}

export async function getProfile(name: string): Promise<Profile> {
	if (name === localProfileName) {
		return localProfile;
	}

	const profile = (await open()).get('profiles')[name];
	if (!profile) {
		throw new ConfigurationError(`No profile named ${name}`, {hint: 'List profiles with `ferry profiles`, add one with `ferry profiles add`.'});
	}

	return profile;
}

export function validateProfileName(name: string): string | undefined {
	if (name === localProfileName) {
		return 'The name local is reserved for the built-in local-cloud profile';
	}

	return profileNamePattern.test(name) ? undefined : 'Use letters, digits, - and _ (up to 63 characters)';
}

export async function saveProfile(profile: Profile): Promise<void> {
	const problem = validateProfileName(profile.name);
	if (problem) {
		throw new UsageError(`Invalid profile name ${JSON.stringify(profile.name)}: ${problem}`);
	}

	const conf = await open();
	const profiles = conf.get('profiles');
	profiles[profile.name] = profile;
	write(conf, {...conf.store, profiles});
}

export async function removeProfile(name: string): Promise<void> {
	if (name === localProfileName) {
		throw new UsageError('The local profile is built in and cannot be removed');
	}

	const conf = await open();
	const profiles = conf.get('profiles');
	if (!profiles[name]) {
		throw new UsageError(`No profile named ${name}`, {hint: 'List profiles with `ferry profiles`.'});
	}

	delete profiles[name];
	write(conf, {...conf.store, profiles});
	await deleteProfileKeys(name);
}

/**
 * A profile's settings, the answer defaults it publishes: the local cloud's (from its state file) for the local
 * profile, the profile's own otherwise. Read without conf, like the summaries, because forms ask for them often.
 */
export function profileSettings(name: string): Record<string, string> {
	if (name === localProfileName) {
		return {...readLocalCloudState()?.settings};
	}

	const file = path.join(ferryPaths().config, 'profiles.json');
	try {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProfilesFile>;
		return {...parsed.profiles?.[name]?.settings};
	} catch {
		return {};
	}
}

/** Secret answers a profile supplies: the local cloud's own (its Redshift password); a real profile supplies none. */
export function profileSecrets(name: string): Record<string, string> {
	return name === localProfileName ? readLocalSecretSettings() : {};
}
