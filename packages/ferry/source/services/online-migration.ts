import type {ServiceDescriptor} from './descriptor.js';

/** OSS Data Online Migration (hcs-mgw): copies S3 → OSS inside Alibaba Cloud. */
export const onlineMigration: ServiceDescriptor = {
	name: 'online-migration',
	title: 'OSS Data Online Migration',
	vendor: 'alibaba',
	endpointKey: 'onlineMigration',
	defaultEndpoint: region => `${region}.mgw.aliyuncs.com`,
	async whoami({profile, log}) {
		const {createOnlineMigrationClient} = await import('../clouds/online-migration/client.js');
		const client = createOnlineMigrationClient({
			endpoint: profile.alibaba.endpoints['onlineMigration']!,
			accountId: profile.alibaba.accountId ?? '',
			credentials: profile.alibaba.credentials,
			logger: log,
			region: profile.alibaba.region,
		});
		return `account ${(await client.whoami({signal: AbortSignal.timeout(60_000)})).accountId}`;
	},
};
