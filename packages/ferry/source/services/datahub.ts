import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';
import type {Logger} from '../log/logger.js';

/** A DataHub client from a resolved profile. */
export async function dataHubFor(profile: ResolvedProfile, log: Logger) {
	const {createDataHubClient} = await import('../clouds/datahub/client.js');
	return createDataHubClient({endpoint: profile.alibaba.endpoints['datahub']!, credentials: profile.alibaba.credentials, logger: log});
}

/** DataHub: TUPLE topics and the DataConnector that syncs them into MaxCompute. */
export const datahub: ServiceDescriptor = {
	name: 'datahub',
	title: 'DataHub',
	vendor: 'alibaba',
	endpointKey: 'datahub',
	defaultEndpoint: region => `https://dh-${region}.aliyuncs.com`,
	async whoami({profile, log, signal}) {
		// DataHub has no caller-identity call; listing projects proves the keys and shows what they reach.
		const projects = await (await dataHubFor(profile, log)).listProjects({signal});
		return `${projects.length} project${projects.length === 1 ? '' : 's'} visible`;
	},
};
