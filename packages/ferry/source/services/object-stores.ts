import type {ResolvedProfile} from './profile-endpoints.js';
import type {ServiceDescriptor, WhoamiContext} from './descriptor.js';

async function objectStoreOwner(kind: 's3' | 'oss', {profile, log, signal}: WhoamiContext): Promise<string> {
	const {createObjectStore} = await import('../clouds/object-store/client.js');
	const store = kind === 's3'
		? createObjectStore({kind, region: profile.aws.region, credentials: profile.aws.credentials, logger: log, profileName: profile.name, ...s3Endpoint(profile)})
		: createObjectStore({kind, region: profile.alibaba.region, credentials: ossKeys(profile), logger: log, profileName: profile.name, ...(profile.alibaba.endpoints['oss'] ? {endpoint: profile.alibaba.endpoints['oss']} : {})});
	const who = await store.whoami({signal});
	return who.displayName ?? who.id;
}

function s3Endpoint(profile: ResolvedProfile) {
	return profile.aws.endpoints['s3'] ? {endpoint: profile.aws.endpoints['s3'], forcePathStyle: true} : {};
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
