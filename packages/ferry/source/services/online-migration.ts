import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';
import type {Logger} from '../log/logger.js';

/** A Data Online Migration client from a resolved profile (its account id names the service's tenant). */
export async function onlineMigrationFor(profile: ResolvedProfile, log: Logger) {
	const {createOnlineMigrationClient} = await import('../clouds/online-migration/client.js');
	return createOnlineMigrationClient({
		endpoint: profile.alibaba.endpoints['onlineMigration']!,
		accountId: profile.alibaba.accountId ?? '',
		credentials: profile.alibaba.credentials,
		logger: log,
		region: profile.alibaba.region,
	});
}

/** OSS Data Online Migration (hcs-mgw): copies S3 → OSS inside Alibaba Cloud. */
export const onlineMigration: ServiceDescriptor = {
	name: 'online-migration',
	title: 'OSS Data Online Migration',
	vendor: 'alibaba',
	endpointKey: 'onlineMigration',
	defaultEndpoint: region => `${region}.mgw.aliyuncs.com`,
	async whoami({profile, log}) {
		const client = await onlineMigrationFor(profile, log);
		return `account ${(await client.whoami({signal: AbortSignal.timeout(60_000)})).accountId}`;
	},
};
