/**
 * Alibaba Cloud credentials from the vendor's own chain (@alicloud/credentials): environment variables, the aliyun CLI
 * `~/.aliyun/config.json` (profile from the argument, `ALIBABA_CLOUD_PROFILE` or `current`), the SDK INI file
 * `~/.alibabacloud/credentials`, OIDC, the ECS RAM role and a credentials URI. RAM-role-ARN profiles go through STS
 * inside the vendor providers, which also cache and refresh temporary keys.
 */
import {CLIProfileCredentialsProvider, DefaultCredentialsProvider, ProfileCredentialsProvider} from '@alicloud/credentials';
import {ConfigurationError} from '../../engine/errors.js';
import {registerSecret} from '../../log/redact.js';

/** An AccessKey pair, with the STS token of temporary keys. */
export type AlibabaKeys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

export type AlibabaCredentialSource =
	| {kind: 'chain'; profile?: string}
	| {kind: 'keys'; accessKeyId: string; accessKeySecret: string; securityToken?: string};

export type AlibabaCredentialsProvider = {
	getCredentials(): Promise<AlibabaKeys>;
	/** Where the keys come from, for messages (never the keys). */
	readonly description: string;
};

type VendorProvider = {getCredentials(): Promise<{accessKeyId: string; accessKeySecret: string; securityToken?: string}>};

const triedSources = [
	'environment variables ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN)',
	'the aliyun CLI profile in ~/.aliyun/config.json (ALIBABA_CLOUD_PROFILE or "current")',
	'the SDK credentials file ~/.alibabacloud/credentials (ALIBABA_CLOUD_CREDENTIALS_FILE)',
	'the ECS RAM role from the instance metadata service',
];

function remember(keys: {accessKeyId: string; accessKeySecret: string; securityToken?: string}): AlibabaKeys {
	registerSecret(keys.accessKeySecret);
	registerSecret(keys.securityToken);
	return keys.securityToken
		? {accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret, securityToken: keys.securityToken}
		: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret};
}

/** Tries the named profile in the CLI config, then in the INI file, and reports both failures. */
function namedProfileProvider(profile: string): VendorProvider {
	const attempts: Array<{name: string; build: () => VendorProvider}> = [
		{name: `~/.aliyun/config.json profile "${profile}"`, build: () => CLIProfileCredentialsProvider.builder().withProfileName(profile).build()},
		{name: `~/.alibabacloud/credentials profile "${profile}"`, build: () => ProfileCredentialsProvider.builder().withProfileName(profile).build()},
	];
	return {
		async getCredentials() {
			const failures: string[] = [];
			for (const attempt of attempts) {
				try {
					return await attempt.build().getCredentials();
				} catch (error) {
					failures.push(`${attempt.name}: ${error instanceof Error ? error.message : String(error)}`);
				}
			}

			throw new Error(failures.join('; '));
		},
	};
}

export function resolveAlibabaCredentials(source: AlibabaCredentialSource): AlibabaCredentialsProvider {
	if (source.kind === 'keys') {
		if (!source.accessKeyId || !source.accessKeySecret) {
			throw new ConfigurationError('The Alibaba Cloud AccessKey is incomplete.', {hint: 'Give both the AccessKey ID and the AccessKey secret, or use a profile: `ferry profiles add`.'});
		}

		const keys = remember(source);
		return {description: 'AccessKey from the ferry profile', getCredentials: async () => keys};
	}

	const description = source.profile ? `Alibaba Cloud profile "${source.profile}"` : 'the Alibaba Cloud default credential chain';
	let vendor: VendorProvider | undefined;
	return {
		description,
		async getCredentials() {
			try {
				vendor ??= source.profile ? namedProfileProvider(source.profile) : DefaultCredentialsProvider.builder().build();
				return remember(await vendor.getCredentials());
			} catch (error) {
				vendor = undefined;
				const tried = source.profile ? [`the profile "${source.profile}" in ~/.aliyun/config.json and ~/.alibabacloud/credentials`] : triedSources;
				throw new ConfigurationError(`No Alibaba Cloud credentials found in ${description}.`, {
					cause: error,
					hint: `Tried ${tried.join('; ')}. Run \`aliyun configure\`, set the environment variables, or add keys with \`ferry profiles add\`.`,
				});
			}
		},
	};
}
