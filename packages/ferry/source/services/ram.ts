import type {AlibabaCredentialsProvider} from '../clouds/credentials/alibaba.js';
import type {Logger} from '../log/logger.js';
import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';

/** The RAM client of a resolved profile. */
export async function ramFor(profile: ResolvedProfile, log: Logger) {
	const {createRamClient} = await import('../clouds/ram/client.js');
	return createRamClient({endpoint: profile.alibaba.endpoints['ram']!, credentials: profile.alibaba.credentials, logger: log});
}

/** Alibaba Cloud STS for a resolved profile, with its own keys or others (a DataConnector's). */
export async function alibabaStsFor(profile: ResolvedProfile, log: Logger, credentials: AlibabaCredentialsProvider = profile.alibaba.credentials) {
	const {createAlibabaStsClient} = await import('../clouds/ram/client.js');
	return createAlibabaStsClient({endpoint: profile.alibaba.endpoints['sts']!, credentials, logger: log});
}

/** Resource Access Management (2015-05-01): users, AccessKeys, roles, policies and their attachments. */
export const ram: ServiceDescriptor = {
	name: 'ram',
	title: 'Resource Access Management (RAM)',
	vendor: 'alibaba',
	endpointKey: 'ram',
	// RAM is a central service: one endpoint for every region.
	defaultEndpoint: () => 'https://ram.aliyuncs.com',
};

/** Security Token Service (2015-04-01): who am I, and temporary keys for a RAM role. */
export const alibabaSts: ServiceDescriptor = {
	name: 'alibaba-sts',
	title: 'Alibaba Cloud Security Token Service (STS)',
	vendor: 'alibaba',
	endpointKey: 'sts',
	defaultEndpoint: region => `https://sts.${region}.aliyuncs.com`,
	async whoami({profile, log, signal}) {
		const caller = await (await alibabaStsFor(profile, log)).getCallerIdentity({signal});
		return `${caller.arn} (${caller.identityType})`;
	},
};
