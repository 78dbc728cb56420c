import type {Logger} from '../log/logger.js';
import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';

/** A DataWorks client from a resolved profile. */
export async function dataWorksFor(profile: ResolvedProfile, log: Logger) {
	const {createDataWorksClient} = await import('../clouds/dataworks/client.js');
	return createDataWorksClient({endpoint: profile.alibaba.endpoints['dataworks']!, regionId: profile.alibaba.region, credentials: profile.alibaba.credentials, logger: log});
}

/** DataWorks (2020-05-18): data sources, batch sync tasks and the file/node/instance lifecycle that runs them. */
export const dataworks: ServiceDescriptor = {
	name: 'dataworks',
	title: 'DataWorks',
	vendor: 'alibaba',
	endpointKey: 'dataworks',
	defaultEndpoint: region => `https://dataworks.${region}.aliyuncs.com`,
	whoamiSettings: [{key: 'dataworksWorkspaceId', help: 'a DataWorks workspace id the keys may use'}],
	async whoami({profile, settings, log, signal}) {
		const workspace = await (await dataWorksFor(profile, log)).getProject(Number(settings['dataworksWorkspaceId']), {signal});
		return `workspace ${workspace.name} (${workspace.mode} mode)`;
	},
};
