import {randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createObjectStore, type ObjectStore} from 'ferry/clouds/object-store/client';
import type {StandInHandle} from '../../source/contract.js';
import {startObjectStoreStandIn, type ObjectStoreFlavor} from '../../source/object-store/server.js';
import {createMemoryLogger, type Logger} from 'ferry/log/logger';

export const testRegion = 'ap-southeast-1';

export type StandInFixture = {
	handle: StandInHandle;
	dataDir: string;
	credentials: {accessKeyId: string; secret: string};
	client(options?: {secret?: string; logger?: Logger; forcePathStyle?: boolean; attempts?: number}): ObjectStore;
	close(): Promise<void>;
};

/** Starts an S3 or OSS stand-in on a random port with fresh keys in a temp dir. */
export async function startStandIn(flavor: ObjectStoreFlavor, existingDataDir?: string): Promise<StandInFixture> {
	const dataDir = existingDataDir ?? await fs.mkdtemp(path.join(os.tmpdir(), `ferry-${flavor}-`));
	const credentials = {accessKeyId: `AKID${randomBytes(8).toString('hex').toUpperCase()}`, secret: randomBytes(20).toString('base64')};
	const handle = await startObjectStoreStandIn({flavor, dataDir, region: testRegion, credentials});
	return {
		handle,
		dataDir,
		credentials,
		client: (options = {}) => createObjectStore({
			kind: flavor,
			endpoint: handle.url,
			region: testRegion,
			credentials: {accessKeyId: credentials.accessKeyId, secretAccessKey: options.secret ?? credentials.secret},
			logger: options.logger ?? createMemoryLogger(),
			forcePathStyle: options.forcePathStyle ?? flavor === 's3',
			profileName: 'test',
			attempts: options.attempts,
		}),
		async close() {
			await handle.close();
			if (!existingDataDir) {
				await fs.rm(dataDir, {recursive: true, force: true});
			}
		},
	};
}
