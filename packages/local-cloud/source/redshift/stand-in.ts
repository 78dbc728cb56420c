import {createReadStream} from 'node:fs';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {createObjectStore} from 'ferry/clouds/object-store/client';
import {silentLogger} from 'ferry/log/logger';
import {registerSecret} from 'ferry/log/redact';
import type {AwsKeys, StandInHandle} from '../contract.js';
import type {AwsAccount} from '../iam/account.js';
import {RedshiftCluster} from './cluster.js';
import {createDataApiServer} from './data-api-server.js';
import {localDatabaseName, localMasterUser, openDatabase} from './database.js';
import {startWireServer} from './pg-wire-server.js';
import {clusterRoleCredentials} from './role-credentials.js';
import {SharedBackend} from './sessions.js';
import {StatementStore} from './statement-store.js';
import {UnloadError, type UnloadObjectStore} from './unload.js';

export type RedshiftStandInOptions = {
	dataDir: string;
	region: string;
	/** The AWS keys the Data API accepts (SigV4, service `redshift-data`). */
	credentials: {accessKeyId: string; secret: string};
	unload: {
		/** The S3 stand-in's URL. */
		endpoint: string;
		region: string;
	};
	/** The AWS account whose IAM roles UNLOAD assumes (the IAM stand-in's). */
	account: AwsAccount;
	/** The IAM roles associated with the cluster (in-sync) when it is first created, and its default role. */
	seedIamRoles: {iamRoles: readonly string[]; defaultIamRoleArn?: string};
	/** How long ModifyClusterIamRoles takes to apply. @default 3000 */
	iamRoleApplyMs?: number;
	/** TPC-H scale factor of the seed data. @default 0.01 */
	scaleFactor?: number;
	/** Data API port. @default 0 (random) */
	port?: number;
	/** PostgreSQL wire-protocol port (plain TCP, no TLS). @default 0 (random) */
	pgPort?: number;
	/** The provisioned cluster's identifier (the Data API refuses others). @default 'ferry-local' */
	clusterIdentifier?: string;
};

export type RedshiftStandInHandle = StandInHandle & {pgPort: number; database: string; cluster: RedshiftCluster};

/** Redshift's slices per node on the smallest node types; UNLOAD writes one file or more per slice. */
const slices = 2;

export async function startRedshiftStandIn(options: RedshiftStandInOptions): Promise<RedshiftStandInHandle> {
	registerSecret(options.credentials.secret);
	const clusterIdentifier = options.clusterIdentifier ?? 'ferry-local';
	const cluster = RedshiftCluster.open({
		dataDir: options.dataDir, identifier: clusterIdentifier, region: options.region, accountId: options.account.accountId,
		seed: options.seedIamRoles, ...(options.iamRoleApplyMs === undefined ? {} : {applyMs: options.iamRoleApplyMs}),
	});
	const {db} = await openDatabase(options.dataDir, options.scaleFactor ?? 0.01);
	const store = new StatementStore(path.join(options.dataDir, 'statements'));
	await store.load();

	// Every door reaches PGlite's one backend through sessions of its own (sessions.ts).
	const backend = new SharedBackend(db);

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
					throw new UnloadError(`S3ServiceException:${result.errors[0]!.message},Error ${result.errors[0]!.code}`);
				}
			},
		};
	};

	const pipeline = {
		db,
		unload: {roleCredentials: clusterRoleCredentials({cluster, account: options.account, dbUser: localMasterUser}), openObjectStore, slices},
	};
	const dataApi = createDataApiServer({
		backend,
		pipeline,
		store,
		region: options.region,
		credentials: options.credentials,
		databaseName: localDatabaseName,
		clusterIdentifier,
		masterUser: localMasterUser,
	});

	await new Promise<void>((resolve, reject) => {
		dataApi.server.once('error', reject);
		dataApi.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (dataApi.server.address() as AddressInfo).port;

	// The master user's password on the wire is the local cloud's AWS secret key: random per FERRY_HOME, already
	// kept in its 0600 credentials file and redacted from logs.
	const wire = await startWireServer({
		backend,
		pipeline,
		databaseName: localDatabaseName,
		users: new Map([[localMasterUser, options.credentials.secret]]),
		host: '127.0.0.1',
		port: options.pgPort ?? 0,
	});
	const pgPort = wire.port;

	return {
		name: 'redshift',
		url: `http://127.0.0.1:${port}`,
		port,
		pgPort,
		database: localDatabaseName,
		cluster,
		shared: cluster,
		injectFault: dataApi.injectFault,
		async close() {
			await wire.close();
			await new Promise<void>(resolve => {
				dataApi.server.close(() => resolve());
				dataApi.server.closeAllConnections();
			});
			// Let a statement in flight finish writing before the database closes.
			await backend.idle();
			await db.close();
		},
	};
}
