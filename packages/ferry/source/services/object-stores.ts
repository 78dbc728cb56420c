import type {ResolvedProfile} from './profile-endpoints.js';
import type {ServiceDescriptor, WhoamiContext} from './descriptor.js';
import type {Logger} from '../log/logger.js';

/**
 * An S3 or OSS client from a resolved profile: S3 in the profile's AWS region (path-style on an endpoint of its own,
 * as the local cloud's), OSS in `region` (a bucket's, which may differ from the profile's) with the Alibaba Cloud keys.
 */
export async function objectStoreFor(profile: ResolvedProfile, kind: 's3' | 'oss', log: Logger, region = kind === 's3' ? profile.aws.region : profile.alibaba.region) {
	const {createObjectStore} = await import('../clouds/object-store/client.js');
	const endpoint = kind === 's3' ? profile.aws.endpoints['s3'] : profile.alibaba.endpoints['oss'];
	return createObjectStore({kind, region, credentials: kind === 's3' ? profile.aws.credentials : ossKeys(profile), logger: log, profileName: profile.name, ...(endpoint ? {endpoint, ...(kind === 's3' ? {forcePathStyle: true} : {})} : {})});
}

async function objectStoreOwner(kind: 's3' | 'oss', {profile, log, signal}: WhoamiContext): Promise<string> {
	const who = await (await objectStoreFor(profile, kind, log)).whoami({signal});
	return who.displayName ?? who.id;
}

/** OSS speaks the S3 API with Alibaba Cloud keys. */
export function ossKeys(profile: ResolvedProfile) {
	return async () => {
		const keys = await profile.alibaba.credentials.getCredentials();
		return {accessKeyId: keys.accessKeyId, secretAccessKey: keys.accessKeySecret, ...(keys.securityToken ? {sessionToken: keys.securityToken} : {})};
	};
}

export const s3: ServiceDescriptor = {
	name: 's3',
	title: 'Amazon S3',
	vendor: 'aws',
	endpointKey: 's3',
	whoami: async context => objectStoreOwner('s3', context),
};

export const oss: ServiceDescriptor = {
	name: 'oss',
	title: 'Alibaba Cloud OSS',
	vendor: 'alibaba',
	endpointKey: 'oss',
	whoami: async context => objectStoreOwner('oss', context),
};
