import type {Logger} from '../log/logger.js';
import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';

/** A Log Service client from a resolved profile. */
export async function logServiceFor(profile: ResolvedProfile, log: Logger) {
	const {createLogServiceClient} = await import('../clouds/log-service/client.js');
	return createLogServiceClient({endpoint: profile.alibaba.endpoints['logService']!, credentials: profile.alibaba.credentials, logger: log});
}

/** Simple Log Service (SLS): projects, logstores, indexes, PutLogs and analytic queries. */
export const logService: ServiceDescriptor = {
	name: 'log-service',
	title: 'Log Service',
	vendor: 'alibaba',
	endpointKey: 'logService',
	defaultEndpoint: region => `https://${region}.log.aliyuncs.com`,
	async whoami({profile, log, signal}) {
		// Log Service has no caller-identity call; listing projects proves the keys.
		const projects = await (await logServiceFor(profile, log)).listProjects({signal});
		return `${projects.length} project${projects.length === 1 ? '' : 's'} visible`;
	},
};
