import {createReadStream} from 'node:fs';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {PGLiteSocketServer} from '@electric-sql/pglite-socket';
import {createObjectStore} from '../../clouds/object-store/client.js';
import {silentLogger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import type {AwsKeys, StandInHandle} from '../contract.js';
import {createDataApiServer} from './data-api-server.js';
import {localDatabaseName, openDatabase} from './database.js';
import {StatementStore} from './statement-store.js';
import type {UnloadObjectStore} from './unload.js';

export type RedshiftStandInOptions = {
	dataDir: string;
	region: string;
	/** The AWS keys the Data API accepts (SigV4, service `redshift-data`). */
	credentials: {accessKeyId: string; secret: string};
	unload: {
		/** The S3 stand-in's URL. */
		endpoint: string;
		region: string;
		/** What an allowed IAM_ROLE resolves to when UNLOAD writes to S3. */
		credentials: {accessKeyId: string; secretAccessKey: string};
		allowedRoleArns: string[];
	};
	/** TPC-H scale factor of the seed data. @default 0.01 */
	scaleFactor?: number;
	/** Data API port. @default 0 (random) */
	port?: number;
	/** PostgreSQL wire-protocol port (plain TCP, no TLS). @default 0 (random) */
	pgPort?: number;
};

export type RedshiftStandInHandle = StandInHandle & {pgPort: number; database: string};

/** Redshift's slices per node on the smallest node types; UNLOAD writes one file or more per slice. */
const slices = 2;

export async function startRedshiftStandIn(options: RedshiftStandInOptions): Promise<RedshiftStandInHandle> {
	registerSecret(options.credentials.secret);
	registerSecret(options.unload.credentials.secretAccessKey);
	const {db} = await openDatabase(options.dataDir, options.scaleFactor ?? 0.01);
	const store = new StatementStore(path.join(options.dataDir, 'statements'));
	await store.load();

	let queue: Promise<unknown> = Promise.resolve();
	const serialise = <T>(work: () => Promise<T>): Promise<T> => {
		const result = queue.then(work, work);
		queue = result.catch(() => undefined);
		return result;
	};

	const openObjectStore = (credentials: AwsKeys): UnloadObjectStore => {
		const objectStore = createObjectStore({
			kind: 's3',
			endpoint: options.unload.endpoint,
			region: options.unload.region,
			credentials,
			logger: silentLogger,
			forcePathStyle: true,
			attempts: 2,
		});
		return {
			async listKeys(bucket, prefix) {
				const keys: string[] = [];
				for await (const object of objectStore.list(bucket, prefix)) {
					keys.push(object.key);
				}

				return keys;
			},
			async putFile(bucket, key, file) {
				await objectStore.upload(bucket, key, createReadStream(file), {contentType: 'application/octet-stream'});
			},
			async putText(bucket, key, text) {
				await objectStore.put(bucket, key, text, {contentType: 'application/json'});
			},
			async deleteKeys(bucket, keys) {
				const result = await objectStore.deleteMany(bucket, keys);
				if (result.errors.length > 0) {
					throw new Error(`S3ServiceException:${result.errors[0]!.message},Error ${result.errors[0]!.code}`);
				}
			},
		};
	};

	const dataApi = createDataApiServer({
		db,
		store,
		region: options.region,
		credentials: options.credentials,
		databaseName: localDatabaseName,
		serialise,
		unload: {
			allowedRoleArns: options.unload.allowedRoleArns,
			roleCredentials: options.unload.credentials,
			openObjectStore,
			slices,
		},
	});

	await new Promise<void>((resolve, reject) => {
		dataApi.server.once('error', reject);
		dataApi.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (dataApi.server.address() as AddressInfo).port;

	// PGlite is one connection: the socket server queues wire messages under PGlite's query lock, the same lock the
	// Data API's statements take, so the two never interleave mid-message. Clients should use the simple query protocol.
	const socketServer = new PGLiteSocketServer({db, host: '127.0.0.1', port: options.pgPort ?? 0, maxConnections: 8});
	await socketServer.start();
	const pgPort = Number(socketServer.getServerConn().split(':').at(-1));

	return {
		name: 'redshift',
		url: `http://127.0.0.1:${port}`,
		port,
		pgPort,
		database: localDatabaseName,
		injectFault: dataApi.injectFault,
		async close() {
			await socketServer.stop();
			await new Promise<void>(resolve => {
				dataApi.server.close(() => resolve());
				dataApi.server.closeAllConnections();
			});
			// Let a statement in flight finish writing before the database closes.
			await serialise(async () => undefined);
			await db.close();
		},
	};
}
