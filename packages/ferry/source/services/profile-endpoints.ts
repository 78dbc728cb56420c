import {resolveAlibabaCredentials, type AlibabaCredentialsProvider} from '../clouds/credentials/alibaba.js';
import {resolveAwsCredentials, type AwsCredentialIdentityProvider} from '../clouds/credentials/aws.js';
import {ConfigurationError} from '../engine/errors.js';
import {readLocalCloudState, readLocalCredentials} from '../local/files.js';
import {ensureLocalCloud} from '../local/local-cloud-package.js';
import type {LocalCloudProgress} from '../local/progress.js';
import {getProfileKeys} from '../store/credentials-store.js';
import type {CredentialSource, Profile} from '../store/profiles.js';
import type {Vendor} from './descriptor.js';
import {services} from './index.js';

/** A profile with its endpoints filled in and its credentials turned into providers. */
export type ResolvedProfile = {
	name: string;
	local: boolean;
	aws: {
		region: string;
		credentials: AwsCredentialIdentityProvider;
		/** Endpoint by service `endpointKey` (local stand-ins, the profile's overrides, or the services' defaults). */
		endpoints: Record<string, string>;
		/** Where the keys come from, for messages. */
		source: string;
	};
	alibaba: {
		region: string;
		accountId?: string;
		credentials: AlibabaCredentialsProvider;
		endpoints: Record<string, string>;
		logviewHost?: string;
		source: string;
	};
	/** The local stand-ins' other doors (e.g. a PostgreSQL wire), port by door name. */
	doorPorts?: Record<string, number>;
};

/** Each service's endpoint for one vendor: the local stand-in, the profile's override, or the service's default. */
function endpointsFor(vendor: Vendor, profile: Profile, localServices: Record<string, string> | undefined): Record<string, string> {
	const section = profile[vendor]!;
	const entries = services.filter(service => service.vendor === vendor).map(service => {
		if (localServices && !localServices[service.name]) {
			throw new ConfigurationError(`The running local cloud has no ${service.title} stand-in (it was started by an older ferry)`, {hint: 'Restart it: `ferry local-cloud stop`, then `ferry local-cloud start` (the data is kept).'});
		}

		const endpoint = localServices
			? localServices[service.name]
			: section.endpoints?.[service.endpointKey] ?? service.defaultEndpoint?.(section.region, vendor === 'alibaba' ? {...(profile.alibaba.accountId ? {accountId: profile.alibaba.accountId} : {})} : {});
		return [service.endpointKey, endpoint] as const;
	});
	return Object.fromEntries(entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
}

/**
 * Starts the local cloud when a local profile needs it. What it is doing goes to `onProgress` (the interactive app's
 * live line) or, without one, to `log` as plain lines, so a first start that seeds TPC-H is never a blank wait.
 */
export async function prepareProfile(profile: Profile, options: {log: (message: string) => void; onProgress?: (progress: LocalCloudProgress) => void; signal?: AbortSignal}): Promise<void> {
	if (usesLocalCloud(profile)) {
		await ensureLocalCloud(options);
	}
}

function usesLocalCloud(profile: Profile): boolean {
	return profile.aws?.credentials.kind === 'local' || profile.alibaba.credentials.kind === 'local';
}

function describeSource(source: CredentialSource): string {
	return source.kind === 'chain' ? `the vendor chain${source.profile ? ` (profile ${source.profile})` : ''}` : source.kind === 'stored' ? 'ferry\'s credentials file' : 'the local cloud';
}

/** A profile for Alibaba Cloud services only: AWS credentials are asked for only by a step that needs them. */
function missingAwsSection(name: string): AwsCredentialIdentityProvider {
	return async () => {
		throw new ConfigurationError(`Profile ${name} has no AWS settings`, {hint: `Add them with \`ferry profiles add ${name} --set awsRegion=… --set awsProfile=…\` (the same name replaces the profile).`});
	};
}

export async function resolveProfile(profile: Profile): Promise<ResolvedProfile> {
	const stored = await getProfileKeys(profile.name);
	const local = usesLocalCloud(profile);
	const state = local ? readLocalCloudState() : undefined;
	if (local && !state) {
		throw new ConfigurationError('The local cloud is not running', {hint: 'Start it with `ferry local-cloud start`.'});
	}

	const localKeys = local ? readLocalCredentials() : undefined;
	if (local && !localKeys) {
		throw new ConfigurationError('The local cloud\'s keys cannot be read', {hint: 'Start it with `ferry local-cloud start`, which makes them.'});
	}

	const awsCredentials = (() => {
		if (!profile.aws) {
			return missingAwsSection(profile.name);
		}

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
			region: profile.aws?.region ?? '',
			credentials: awsCredentials,
			endpoints: profile.aws ? endpointsFor('aws', profile, localServices) : {},
			source: profile.aws ? describeSource(profile.aws.credentials) : 'not configured',
		},
		alibaba: {
			region: profile.alibaba.region,
			...(state?.accounts ? {accountId: state.accounts.alibaba} : profile.alibaba.accountId ? {accountId: profile.alibaba.accountId} : {}),
			credentials: alibabaCredentials,
			endpoints: endpointsFor('alibaba', profile, localServices),
			...(profile.alibaba.logviewHost ? {logviewHost: profile.alibaba.logviewHost} : {}),
			source: describeSource(profile.alibaba.credentials),
		},
		...(state ? {doorPorts: state.doorPorts} : {}),
	};
}
