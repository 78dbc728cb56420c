import {randomBytes} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {startLocalCloudServices, type LocalCloud} from '../../source/all.js';
import type {IdentitiesSeed, LocalCloudCredentials} from '../../source/contract.js';
import {ramAccountOf, type RamAccount} from '../../source/ram/account.js';
import {standIns} from '../../source/registry.js';

export type LocalServices = {
	cloud: LocalCloud;
	credentials: LocalCloudCredentials;
	dataDir: string;
	/** The local RAM account, when `ram` runs. */
	account(): RamAccount;
	url(name: string): string;
	close(): Promise<void>;
};

/** The names given and every stand-in they need, in the registry's order. */
function withNeeds(names: readonly string[]): string[] {
	const wanted = new Set<string>();
	const add = (name: string) => {
		if (wanted.has(name)) {
			return;
		}

		wanted.add(name);
		for (const need of standIns.find(standIn => standIn.name === name)?.needs ?? []) {
			add(need);
		}
	};

	for (const name of names) {
		add(name);
	}

	return [...wanted];
}

/**
 * Some of the local cloud's stand-ins, started in this process the way the daemon starts them (wired by their
 * descriptors, seeded as a fresh data folder is), with fresh keys in a temp dir.
 */
export async function startLocalServices(names: readonly string[], options: {identities?: IdentitiesSeed; dataDir?: string; credentials?: LocalCloudCredentials} = {}): Promise<LocalServices> {
	const dataDir = options.dataDir ?? await mkdtemp(path.join(os.tmpdir(), 'ferry-local-services-'));
	const credentials: LocalCloudCredentials = options.credentials ?? {
		aws: {accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(20).toString('base64')},
		alibaba: {accessKeyId: `LTAI${randomBytes(10).toString('hex')}`, accessKeySecret: randomBytes(15).toString('base64')},
	};
	const wanted = withNeeds(names);
	const cloud = await startLocalCloudServices({
		dataDir, credentials, scaleFactor: 0.01, standIns: standIns.filter(standIn => wanted.includes(standIn.name)), ...(options.identities ? {identities: options.identities} : {}),
	});
	return {
		cloud,
		credentials,
		dataDir,
		account: () => ramAccountOf(cloud.services['ram']),
		url(name) {
			const handle = cloud.services[name];
			if (!handle) {
				throw new Error(`${name} is not running`);
			}

			return handle.url;
		},
		async close() {
			await cloud.close();
			if (!options.dataDir) {
				await rm(dataDir, {recursive: true, force: true});
			}
		},
	};
}
