import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createObjectStore, type ObjectStore} from 'ferry/clouds/object-store/client';
import {createDataApiConnection, type DataApiConnectionOptions} from 'ferry/clouds/redshift/data-api-connection';
import {silentLogger} from 'ferry/log/logger';
import {localAwsAccountId, localRegion, localUnloadRoleArn, localUnloadRoleName} from '../../source/contract.js';
import {AwsAccount} from '../../source/iam/account.js';
import {redshiftTrustPolicy, unloadPolicy} from '../../source/iam/seed.js';
import {startObjectStoreStandIn} from '../../source/object-store/server.js';
import {startRedshiftStandIn, type RedshiftStandInHandle} from '../../source/redshift/stand-in.js';

export const redshiftKeys = {accessKeyId: 'AKIAFERRYREDSHIFT01', secret: 'redshift-local-secret-0123456789abcdef'};
export const s3Keys = {accessKeyId: 'AKIAFERRYS3LOCAL001', secret: 's3-local-secret-0123456789abcdef'};
export const unloadBucket = 'ferry-unload';

export type LocalRedshift = {
	dataDir: string;
	redshift: RedshiftStandInHandle;
	s3: {url: string; close(): Promise<void>};
	/** The AWS account behind S3 (its root keys are s3Keys) and UNLOAD's roles. */
	account: AwsAccount;
	objectStore: ObjectStore;
	start(): Promise<RedshiftStandInHandle>;
	connect(overrides?: Partial<DataApiConnectionOptions>): ReturnType<typeof createDataApiConnection>;
	close(): Promise<void>;
};

/**
 * An S3 stand-in with a bucket and a Redshift stand-in (TPC-H SF 0.01) writing UNLOAD output into it, with an AWS
 * account whose UNLOAD role (associated with the cluster, in-sync, the default) may write anywhere in the bucket.
 */
export async function startLocalRedshift(options: {iamRoleApplyMs?: number} = {}): Promise<LocalRedshift> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-redshift-test-'));
	const account = AwsAccount.open({
		dataDir: path.join(dataDir, 'iam'), accountId: localAwsAccountId, rootKeys: {accessKeyId: s3Keys.accessKeyId, secretAccessKey: s3Keys.secret}, seed: 'configured',
		seedRoles: [{name: localUnloadRoleName, trustPolicy: redshiftTrustPolicy, inline: {unload: unloadPolicy(unloadBucket, '')}}],
	});
	const s3 = await startObjectStoreStandIn({flavor: 's3', dataDir: path.join(dataDir, 's3'), region: localRegion, credentials: s3Keys, account});
	const objectStore = createObjectStore({
		kind: 's3', endpoint: s3.url, region: localRegion, forcePathStyle: true, logger: silentLogger,
		credentials: {accessKeyId: s3Keys.accessKeyId, secretAccessKey: s3Keys.secret},
	});
	await objectStore.createBucket(unloadBucket);
	const start = () => startRedshiftStandIn({
		dataDir: path.join(dataDir, 'redshift'),
		region: localRegion,
		credentials: redshiftKeys,
		unload: {endpoint: s3.url, region: localRegion},
		account,
		seedIamRoles: {iamRoles: [localUnloadRoleArn], defaultIamRoleArn: localUnloadRoleArn},
		...(options.iamRoleApplyMs === undefined ? {} : {iamRoleApplyMs: options.iamRoleApplyMs}),
	});
	const local: LocalRedshift = {
		dataDir,
		redshift: await start(),
		s3,
		account,
		objectStore,
		start,
		connect: overrides => createDataApiConnection({
			region: localRegion,
			database: 'dev',
			target: {kind: 'cluster', clusterIdentifier: 'ferry-local', dbUser: 'awsuser'},
			endpoint: local.redshift.url,
			credentials: {accessKeyId: redshiftKeys.accessKeyId, secretAccessKey: redshiftKeys.secret},
			pollIntervalMs: {min: 20, max: 100},
			retryBaseDelayMs: 10,
			...overrides,
		}),
		async close() {
			await local.redshift.close().catch(() => undefined);
			await s3.close();
			await rm(dataDir, {recursive: true, force: true});
		},
	};
	return local;
}
