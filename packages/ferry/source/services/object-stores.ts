import type {ResolvedProfile} from './profile-endpoints.js';
import type {ServiceDescriptor, WhoamiContext} from './descriptor.js';
import type {Logger} from '../log/logger.js';

/** An S3 client from a resolved profile (path-style on an endpoint of its own, as the local cloud's). */
export async function s3For(profile: ResolvedProfile, log: Logger) {
	const {createObjectStore} = await import('../clouds/object-store/client.js');
	return createObjectStore({kind: 's3', region: profile.aws.region, credentials: profile.aws.credentials, logger: log, profileName: profile.name, ...(profile.aws.endpoints['s3'] ? {endpoint: profile.aws.endpoints['s3'], forcePathStyle: true} : {})});
}

/** An OSS client for a region (a bucket's, which may differ from the profile's) from a resolved profile. */
export async function ossFor(profile: ResolvedProfile, region: string, log: Logger) {
	const {createObjectStore} = await import('../clouds/object-store/client.js');
	return createObjectStore({kind: 'oss', region, credentials: ossKeys(profile), logger: log, profileName: profile.name, ...(profile.alibaba.endpoints['oss'] ? {endpoint: profile.alibaba.endpoints['oss']} : {})});
}

async function objectStoreOwner(kind: 's3' | 'oss', {profile, log, signal}: WhoamiContext): Promise<string> {
	const store = kind === 's3' ? await s3For(profile, log) : await ossFor(profile, profile.alibaba.region, log);
	const who = await store.whoami({signal});
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
