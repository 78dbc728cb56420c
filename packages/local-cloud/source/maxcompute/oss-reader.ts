/**
 * How the local MaxCompute reads `LOAD … FROM LOCATION 'oss://…'`: as MaxCompute does, it assumes the RAM role the
 * statement names (`odps.properties.rolearn`, else the account's AliyunODPSDefaultRole) as the service principal
 * odps.aliyuncs.com, then lists and downloads the objects through the OSS stand-in with the STS keys it got, so the
 * role's trust policy and its OSS permissions decide, in STS and OSS themselves.
 *
 * The failures read like MaxCompute's: a role that cannot be assumed, or a location that cannot be listed, fails the
 * statement's checks as `ODPS-0130071:… Semantic analysis exception - external table checking failure, error message:
 * …` (the form of MaxCompute's answer for a wrong OSS location, developer.aliyun.com/ask/116881), carrying STS's or
 * OSS's own code and message (STS AssumeRole's error codes; OSS's 403 errors); an object that cannot be read fails the
 * job as `ODPS-0010000:System internal error - fuxi job failed, caused by: Status: 403, RequestId: …, ErrorCode: …,
 * Message: …` (developer.aliyun.com/ask/501502). The words that join them (`assume role … failed`) are ours: the exact
 * text MaxCompute prints for a role it cannot assume was not found in the pages read offline.
 */
import {createWriteStream} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {createObjectStore, type ObjectStore} from 'ferry/clouds/object-store/client';
import {ServiceError} from 'ferry/engine/errors';
import {silentLogger, type Logger} from 'ferry/log/logger';
import {IdentityError, roleArn as roleArnOf, type AlibabaIdentities, type StsCredentials} from '../identity/alibaba.js';
import type {OssLocation, OssReader} from './engine-contract.js';
import {OdpsError} from './engine/index.js';

export type OssStandInReaderOptions = {
	/** The OSS stand-in's URL, used for every location (the engine has already checked the region). */
	ossEndpoint?: string;
	/** Or: the S3-API endpoint serving an `oss://<host>/…` location, undefined when the host is unknown. */
	ossEndpointForRegion?: (endpointHost: string) => string | undefined;
	/** Region of the OSS buckets; by default read from the location's host (`oss-<region>[-internal].…`). */
	region?: string;
	/** The account whose roles MaxCompute assumes (the project owner's). */
	identities: AlibabaIdentities;
	logger?: Logger;
};

/** The role MaxCompute's one-click authorisation creates, used when a statement names none. */
export const defaultRoleName = 'AliyunODPSDefaultRole';
export const maxComputePrincipal = 'odps.aliyuncs.com';

function regionOfHost(host: string): string | undefined {
	return /^oss-([a-z\d-]+?)(?:-internal)?\.(?:aliyuncs\.com|localhost)(?::\d+)?$/i.exec(host)?.[1];
}

function checkingFailure(message: string): OdpsError {
	return new OdpsError('semanticAnalysis', `external table checking failure, error message: ${message}`);
}

/** What OSS said: its code and own message, which the client keeps as the cause of its error. */
function ossAnswer(error: unknown): {status: number | undefined; requestId: string | undefined; code: string; message: string} {
	const cause = (error as {cause?: unknown}).cause as {message?: string} | undefined;
	return error instanceof ServiceError
		? {status: error.status, requestId: error.requestId, code: error.code ?? 'Unknown', message: cause?.message ?? error.message}
		: {status: undefined, requestId: undefined, code: 'Unknown', message: error instanceof Error ? error.message : String(error)};
}

export function createOssStandInReader(options: OssStandInReaderOptions): OssReader {
	const {identities} = options;
	const storeFor = (location: OssLocation, credentials: StsCredentials): ObjectStore => {
		const endpoint = options.ossEndpointForRegion?.(location.endpointHost) ?? options.ossEndpoint;
		const region = options.region ?? regionOfHost(location.endpointHost);
		if (!endpoint || !region) {
			throw new OdpsError('semanticAnalysis', `cannot reach OSS endpoint ${location.endpointHost} from the local MaxCompute`);
		}

		return createObjectStore({
			kind: 'oss', endpoint, region, logger: options.logger ?? silentLogger, attempts: 3,
			credentials: {accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.accessKeySecret, sessionToken: credentials.securityToken},
		});
	};

	function assume(roleArn: string): StsCredentials {
		try {
			return identities.assumeRoleAsService({roleArn, service: maxComputePrincipal, sessionName: 'odps-load'}).credentials;
		} catch (error) {
			if (error instanceof IdentityError) {
				throw checkingFailure(`assume role ${roleArn} failed - ${error.code}: ${error.message}`);
			}

			throw error;
		}
	}

	return {
		async fetchLocation(location, roleArn, targetDir, signal) {
			const role = roleArn ?? roleArnOf(identities.accountId, defaultRoleName);
			const store = storeFor(location, assume(role));
			const prefix = location.prefix === '' || location.prefix.endsWith('/') ? location.prefix : `${location.prefix}/`;
			const where = `oss://${location.endpointHost}/${location.bucket}/${prefix}`;
			const root = path.resolve(targetDir);
			const objects: string[] = [];
			try {
				for await (const object of store.list(location.bucket, prefix, {signal})) {
					if (!object.key.endsWith('/')) {
						objects.push(object.key);
					}
				}
			} catch (error) {
				if (signal?.aborted) {
					throw error;
				}

				const answer = ossAnswer(error);
				throw checkingFailure(`cannot list ${where} - ${answer.code}: ${answer.message}`);
			}

			const files: string[] = [];
			for (const key of objects) {
				const file = path.resolve(root, ...key.slice(prefix.length).split('/'));
				if (!file.startsWith(`${root}${path.sep}`)) {
					continue;
				}

				try {
					await mkdir(path.dirname(file), {recursive: true});
					const {body} = await store.getStream(location.bucket, key, {signal});
					await pipeline(body, createWriteStream(file), {signal});
				} catch (error) {
					if (signal?.aborted) {
						throw error;
					}

					const answer = ossAnswer(error);
					throw new OdpsError('systemInternal', `fuxi job failed, caused by: Status: ${answer.status ?? 0}, RequestId: ${answer.requestId ?? ''}, ErrorCode: ${answer.code}, Message: ${answer.message}`);
				}

				files.push(file);
			}

			return files;
		},
	};
}
