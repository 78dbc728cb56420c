import path from 'node:path';
import {localAlibabaAccountId, localMaxComputeProject, localRamRoleArn, localRamRoleName, localRegion, localUnloadRoleArn, type LocalCloudCredentials, type LocalServiceName, type StandInHandle} from './contract.js';
import {createOssStandInReader} from './maxcompute/oss-reader.js';
import {startMaxComputeStandIn} from './maxcompute/server.js';
import {startObjectStoreStandIn} from './object-store/server.js';
import {startOnlineMigrationStandIn} from './online-migration/server.js';
import {startRedshiftStandIn} from './redshift/stand-in.js';

export type LocalCloudOptions = {
	dataDir: string;
	credentials: LocalCloudCredentials;
	scaleFactor: number;
	ports?: Partial<Record<LocalServiceName | 'redshift-pg', number>>;
};

export type LocalCloud = {
	services: Record<LocalServiceName, StandInHandle>;
	pgPort: number;
	close(): Promise<void>;
};

/**
 * Starts every stand-in in this process, wired together the way the real clouds are:
 * Redshift UNLOAD writes to S3, Data Online Migration copies S3 → OSS, MaxCompute LOAD reads OSS.
 */
export async function startLocalCloudServices(options: LocalCloudOptions): Promise<LocalCloud> {
	const {credentials, dataDir} = options;
	const ports = options.ports ?? {};
	const started: StandInHandle[] = [];
	try {
		const s3 = await startObjectStoreStandIn({flavor: 's3', dataDir: path.join(dataDir, 's3'), region: localRegion, credentials: {accessKeyId: credentials.aws.accessKeyId, secret: credentials.aws.secretAccessKey}, ...(ports.s3 ? {port: ports.s3} : {})});
		started.push(s3);
		const oss = await startObjectStoreStandIn({flavor: 'oss', dataDir: path.join(dataDir, 'oss'), region: localRegion, credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret}, ...(ports.oss ? {port: ports.oss} : {})});
		started.push(oss);
		const redshift = await startRedshiftStandIn({
			dataDir: path.join(dataDir, 'redshift'),
			region: localRegion,
			credentials: {accessKeyId: credentials.aws.accessKeyId, secret: credentials.aws.secretAccessKey},
			unload: {endpoint: s3.url, region: localRegion, credentials: credentials.aws, allowedRoleArns: [localUnloadRoleArn]},
			scaleFactor: options.scaleFactor,
			...(ports.redshift ? {port: ports.redshift} : {}),
			...(ports['redshift-pg'] ? {pgPort: ports['redshift-pg']} : {}),
		});
		started.push(redshift);
		const ossKeys = {accessKeyId: credentials.alibaba.accessKeyId, secretAccessKey: credentials.alibaba.accessKeySecret};
		const onlineMigration = await startOnlineMigrationStandIn({
			dataDir: path.join(dataDir, 'online-migration'),
			region: localRegion,
			accountId: localAlibabaAccountId,
			credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret},
			oss: {endpoint: oss.url, region: localRegion, credentials: ossKeys},
			roleNames: [localRamRoleName],
			...(ports['online-migration'] ? {port: ports['online-migration']} : {}),
		});
		started.push(onlineMigration);
		const maxcompute = await startMaxComputeStandIn({
			dataDir: path.join(dataDir, 'maxcompute'),
			region: localRegion,
			project: localMaxComputeProject,
			credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret},
			accountId: localAlibabaAccountId,
			ossReader: createOssStandInReader({ossEndpoint: oss.url, region: localRegion, credentials: ossKeys, roleArns: [localRamRoleArn]}),
			...(ports.maxcompute ? {port: ports.maxcompute} : {}),
		});
		started.push(maxcompute);
		return {
			services: {redshift, s3, oss, 'online-migration': onlineMigration, maxcompute},
			pgPort: redshift.pgPort,
			async close() {
				for (const handle of started.reverse()) {
					await handle.close().catch(() => undefined);
				}
			},
		};
	} catch (error) {
		for (const handle of started.reverse()) {
			await handle.close().catch(() => undefined);
		}

		throw error;
	}
}
