import type {Logger} from '../log/logger.js';
import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';

/** The IAM client of a resolved profile (the local stand-in, the profile's override, or IAM's one endpoint). */
export async function iamFor(profile: ResolvedProfile, log: Logger) {
	const {createIamClient} = await import('../clouds/iam/client.js');
	return createIamClient({region: profile.aws.region, credentials: profile.aws.credentials, logger: log, ...(profile.aws.endpoints['iam'] ? {endpoint: profile.aws.endpoints['iam']} : {})});
}

/** The AWS STS client of a resolved profile. */
export async function awsStsFor(profile: ResolvedProfile, log: Logger) {
	const {createAwsStsClient} = await import('../clouds/aws/sts-client.js');
	return createAwsStsClient({region: profile.aws.region, credentials: profile.aws.credentials, logger: log, ...(profile.aws.endpoints['sts'] ? {endpoint: profile.aws.endpoints['sts']} : {})});
}

/** AWS IAM: global, signed for us-east-1. */
export const iam: ServiceDescriptor = {
	name: 'iam',
	title: 'AWS IAM',
	vendor: 'aws',
	endpointKey: 'iam',
	defaultEndpoint: () => 'https://iam.amazonaws.com',
};

/** AWS STS: regional endpoints (the global one signs for us-east-1); AssumeRole and GetCallerIdentity. */
export const awsSts: ServiceDescriptor = {
	name: 'aws-sts',
	title: 'AWS STS',
	vendor: 'aws',
	endpointKey: 'sts',
	defaultEndpoint: region => `https://sts.${region}.amazonaws.com`,
	async whoami({profile, log, signal}) {
		const caller = await (await awsStsFor(profile, log)).getCallerIdentity({signal});
		return `${caller.arn} (account ${caller.account})`;
	},
};
