import {resolveAlibabaCredentials, type AlibabaCredentialsProvider} from './clouds/credentials/alibaba.js';
import {resolveAwsCredentials, type AwsCredentialIdentityProvider} from './clouds/credentials/aws.js';
import {ConfigurationError} from './errors.js';
import {localAlibabaAccountId} from './local-cloud/contract.js';
import {loadLocalCredentials} from './local-cloud/local-credentials.js';
import {readLocalCloudState, startLocalCloud} from './local-cloud/manager.js';
import {getProfileKeys} from './store/credentials-store.js';
import type {CredentialSource, Profile} from './store/profiles.js';

/** A profile with its endpoints filled in and its credentials turned into providers. */
export type ResolvedProfile = {
	name: string;
	local: boolean;
	aws: {
		region: string;
		credentials: AwsCredentialIdentityProvider;
		endpoints: {redshiftData?: string; s3?: string};
		/** Where the keys come from, for messages. */
		source: string;
	};
	alibaba: {
		region: string;
		accountId?: string;
		credentials: AlibabaCredentialsProvider;
		endpoints: {oss?: string; maxcompute: string; onlineMigration?: string};
		logviewHost?: string;
		source: string;
	};
	/** The local Redshift stand-in's PostgreSQL port, for direct connections. */
	redshiftPgPort?: number;
};

export function defaultMaxComputeEndpoint(region: string): string {
	return `https://service.${region}.maxcompute.aliyun.com/api`;
}

/** Starts the local cloud when a local profile needs it. */
export async function prepareProfile(profile: Profile, options: {log: (message: string) => void}): Promise<void> {
	if (usesLocalCloud(profile) && !readLocalCloudState()) {
		options.log('Starting the local cloud (first start seeds TPC-H; this takes a few seconds)…');
		await startLocalCloud();
	}
}

function usesLocalCloud(profile: Profile): boolean {
	return profile.aws.credentials.kind === 'local' || profile.alibaba.credentials.kind === 'local';
}

function describeSource(source: CredentialSource): string {
	return source.kind === 'chain' ? `the vendor chain${source.profile ? ` (profile ${source.profile})` : ''}` : source.kind === 'stored' ? 'ferry\'s credentials file' : 'the local cloud';
}

export async function resolveProfile(profile: Profile): Promise<ResolvedProfile> {
	const stored = await getProfileKeys(profile.name);
	const local = usesLocalCloud(profile);
	const state = local ? readLocalCloudState() : undefined;
	if (local && !state) {
		throw new ConfigurationError('The local cloud is not running', {hint: 'Start it with `ferry local-cloud start`.'});
	}

	const localKeys = local ? loadLocalCredentials() : undefined;
	const awsCredentials = (() => {
		const source = profile.aws.credentials;
		if (source.kind === 'local') {
			return resolveAwsCredentials({kind: 'keys', ...localKeys!.aws});
		}

		if (source.kind === 'stored') {
			if (!stored.aws) {
				throw new ConfigurationError(`Profile ${profile.name} has no stored AWS keys`, {hint: `Add them with \`ferry profiles add ${profile.name}\`.`});
			}

			return resolveAwsCredentials({kind: 'keys', ...stored.aws});
		}

		return resolveAwsCredentials(source.profile ? {kind: 'chain', profile: source.profile} : {kind: 'chain'});
	})();
	const alibabaCredentials = (() => {
		const source = profile.alibaba.credentials;
		if (source.kind === 'local') {
			return resolveAlibabaCredentials({kind: 'keys', ...localKeys!.alibaba});
		}

		if (source.kind === 'stored') {
			if (!stored.alibaba) {
				throw new ConfigurationError(`Profile ${profile.name} has no stored Alibaba Cloud keys`, {hint: `Add them with \`ferry profiles add ${profile.name}\`.`});
			}

			return resolveAlibabaCredentials({kind: 'keys', ...stored.alibaba});
		}

		return resolveAlibabaCredentials(source.profile ? {kind: 'chain', profile: source.profile} : {kind: 'chain'});
	})();

	const localServices = state?.services;
	return {
		name: profile.name,
		local,
		aws: {
			region: profile.aws.region,
			credentials: awsCredentials,
			endpoints: localServices ? {redshiftData: localServices.redshift, s3: localServices.s3} : {...profile.aws.endpoints},
			source: describeSource(profile.aws.credentials),
		},
		alibaba: {
			region: profile.alibaba.region,
			...(local ? {accountId: localAlibabaAccountId} : profile.alibaba.accountId ? {accountId: profile.alibaba.accountId} : {}),
			credentials: alibabaCredentials,
			endpoints: localServices
				? {oss: localServices.oss, maxcompute: localServices.maxcompute, onlineMigration: localServices['online-migration']}
				: {...profile.alibaba.endpoints, maxcompute: profile.alibaba.endpoints?.maxcompute ?? defaultMaxComputeEndpoint(profile.alibaba.region)},
			...(profile.alibaba.logviewHost ? {logviewHost: profile.alibaba.logviewHost} : {}),
			source: describeSource(profile.alibaba.credentials),
		},
		...(state ? {redshiftPgPort: state.pgPort} : {}),
	};
}
