/**
 * AWS credentials from the SDK's own Node chain: environment, SSO, shared ini profiles (`~/.aws/credentials`,
 * `~/.aws/config`), web identity, `credential_process`, container and EC2 instance roles.
 */
import {fromNodeProviderChain} from '@aws-sdk/credential-providers';
import {ConfigurationError} from '../../engine/errors.js';
import {registerSecret} from '../../log/redact.js';

/** The provider type the AWS SDK clients take as `credentials`. */
export type AwsCredentialIdentityProvider = ReturnType<typeof fromNodeProviderChain>;
type AwsCredentialIdentity = Awaited<ReturnType<AwsCredentialIdentityProvider>>;

export type AwsCredentialSource =
	| {kind: 'chain'; profile?: string}
	| {kind: 'keys'; accessKeyId: string; secretAccessKey: string; sessionToken?: string};

function remember(identity: AwsCredentialIdentity): AwsCredentialIdentity {
	registerSecret(identity.secretAccessKey);
	registerSecret(identity.sessionToken);
	return identity;
}

export function resolveAwsCredentials(source: AwsCredentialSource): AwsCredentialIdentityProvider {
	if (source.kind === 'keys') {
		if (!source.accessKeyId || !source.secretAccessKey) {
			throw new ConfigurationError('The AWS access key is incomplete.', {hint: 'Give both the access key ID and the secret access key, or use a profile: `ferry profiles add`.'});
		}

		const identity = remember({accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, ...(source.sessionToken ? {sessionToken: source.sessionToken} : {})});
		return async () => identity;
	}

	const chain = fromNodeProviderChain(source.profile ? {profile: source.profile} : {});
	const description = source.profile ? `AWS profile "${source.profile}"` : 'the AWS default credential chain';
	return async options => {
		try {
			return remember(await chain(options));
		} catch (error) {
			const profile = source.profile ?? process.env.AWS_PROFILE ?? 'default';
			throw new ConfigurationError(`No AWS credentials found in ${description}.`, {
				cause: error,
				hint: `Tried AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, SSO, the profile "${profile}" in ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'} and ${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'}, credential_process, and container or instance roles. Run \`aws configure\` (or \`aws sso login\`), or add keys with \`ferry profiles add\`.`,
			});
		}
	};
}
