/**
 * How the local MaxCompute reads `LOAD … FROM LOCATION 'oss://…'`: it lists and downloads the objects through the OSS
 * stand-in's S3 API, after checking the RAM role the statement names, as MaxCompute assumes that role to reach OSS.
 */
import {createWriteStream} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {createObjectStore, type ObjectStore} from 'ferry/clouds/object-store/client';
import {silentLogger, type Logger} from 'ferry/log/logger';
import type {OssLocation, OssReader} from './engine-contract.js';
import {OdpsError} from './engine/index.js';

export type OssStandInReaderOptions = {
	/** The OSS stand-in's URL, used for every location (the engine has already checked the region). */
	ossEndpoint?: string;
	/** Or: the S3-API endpoint serving an `oss://<host>/…` location, undefined when the host is unknown. */
	ossEndpointForRegion?: (endpointHost: string) => string | undefined;
	/** Region of the OSS buckets; by default read from the location's host (`oss-<region>[-internal].…`). */
	region?: string;
	credentials: {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
	/** The RAM roles the local account has, e.g. `acs:ram::1000000000000000:role/aliyunodpsdefaultrole`. */
	roleArns: readonly string[];
	logger?: Logger;
};

const defaultRoleName = 'aliyunodpsdefaultrole';

function regionOfHost(host: string): string | undefined {
	return /^oss-([a-z\d-]+?)(?:-internal)?\.(?:aliyuncs\.com|localhost)(?::\d+)?$/i.exec(host)?.[1];
}

/** RAM role ARNs compare case-insensitively in the role name (RAM stores names case-insensitively). */
function sameRole(left: string, right: string): boolean {
	return left.toLowerCase() === right.toLowerCase();
}

export function createOssStandInReader(options: OssStandInReaderOptions): OssReader {
	const stores = new Map<string, ObjectStore>();
	const storeFor = (location: OssLocation): ObjectStore => {
		const endpoint = options.ossEndpointForRegion?.(location.endpointHost) ?? options.ossEndpoint;
		const region = options.region ?? regionOfHost(location.endpointHost);
		if (!endpoint || !region) {
			throw new OdpsError('semanticAnalysis', `cannot reach OSS endpoint ${location.endpointHost} from the local MaxCompute`);
		}

		const key = `${endpoint} ${region}`;
		let store = stores.get(key);
		if (!store) {
			store = createObjectStore({kind: 'oss', endpoint, region, credentials: options.credentials, logger: options.logger ?? silentLogger, attempts: 3});
			stores.set(key, store);
		}

		return store;
	};

	function checkRole(roleArn: string | undefined): void {
		if (roleArn === undefined) {
			// Without odps.properties.rolearn MaxCompute uses the default role the one-click authorisation creates.
			if (!options.roleArns.some(arn => arn.toLowerCase().endsWith(`:role/${defaultRoleName}`))) {
				throw new OdpsError('semanticAnalysis', `no permission to access OSS: the account has not authorised MaxCompute through the role ${defaultRoleName}; set odps.properties.rolearn`);
			}

			return;
		}

		if (!options.roleArns.some(arn => sameRole(arn, roleArn))) {
			// STS AssumeRole's answer for a role the account does not have (verify the exact MaxCompute wrapping).
			throw new OdpsError('semanticAnalysis', `failed to assume role ${roleArn}: EntityNotExist.Role : The role not exists: ${roleArn}`);
		}
	}

	return {
		async fetchLocation(location, roleArn, targetDir, signal) {
			checkRole(roleArn);
			const store = storeFor(location);
			const prefix = location.prefix === '' || location.prefix.endsWith('/') ? location.prefix : `${location.prefix}/`;
			const root = path.resolve(targetDir);
			const files: string[] = [];
			try {
				for await (const object of store.list(location.bucket, prefix, {signal})) {
					if (object.key.endsWith('/')) {
						continue;
					}

					const relative = object.key.slice(prefix.length);
					const file = path.resolve(root, ...relative.split('/'));
					if (!file.startsWith(`${root}${path.sep}`)) {
						continue;
					}

					await mkdir(path.dirname(file), {recursive: true});
					const {body} = await store.getStream(location.bucket, object.key, {signal});
					await pipeline(body, createWriteStream(file), {signal});
					files.push(file);
				}
			} catch (error) {
				if (error instanceof OdpsError || signal?.aborted) {
					throw error;
				}

				const {code, message} = error as {code?: string; message?: string};
				throw new OdpsError('semanticAnalysis', `cannot read oss://${location.endpointHost}/${location.bucket}/${prefix}: ${code ? `${code} ` : ''}${message ?? String(error)}`);
			}

			return files;
		},
	};
}
