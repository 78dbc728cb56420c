import {localAlibabaAccountId, localMaxComputeProject, localRamRoleArn} from '../local-cloud/contract.js';
import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';
import type {Logger} from '../log/logger.js';

/** A MaxCompute client for one project, from a resolved profile. */
export async function maxComputeFor(profile: ResolvedProfile, project: string, log: Logger) {
	const {createMaxComputeClient} = await import('../clouds/maxcompute/client.js');
	return createMaxComputeClient({
		endpoint: profile.alibaba.endpoints['maxcompute']!,
		project,
		credentials: async () => profile.alibaba.credentials.getCredentials(),
		logger: log,
		region: profile.alibaba.region,
		...(profile.alibaba.logviewHost ? {logviewHost: profile.alibaba.logviewHost} : {}),
	});
}

/** MaxCompute (ODPS): SQL through the REST API. */
export const maxcompute: ServiceDescriptor = {
	name: 'maxcompute',
	title: 'MaxCompute',
	vendor: 'alibaba',
	endpointKey: 'maxcompute',
	defaultEndpoint: region => `https://service.${region}.maxcompute.aliyun.com/api`,
	whoamiSettings: [{key: 'maxcomputeProject', help: 'a MaxCompute project the keys may use', localDefault: localMaxComputeProject}],
	async whoami({profile, settings, log, signal}) {
		const client = await maxComputeFor(profile, settings['maxcomputeProject'] ?? '', log);
		return `${(await client.whoami({signal})).owner} (project ${client.project || '?'})`;
	},
	standIn: {
		needs: ['oss'],
		async start({dataDir, region, credentials, port, running}) {
			const [{startMaxComputeStandIn}, {createOssStandInReader}] = await Promise.all([import('../local-cloud/maxcompute/server.js'), import('../local-cloud/maxcompute/oss-reader.js')]);
			const ossKeys = {accessKeyId: credentials.alibaba.accessKeyId, secretAccessKey: credentials.alibaba.accessKeySecret};
			return startMaxComputeStandIn({
				dataDir,
				region,
				project: localMaxComputeProject,
				credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret},
				accountId: localAlibabaAccountId,
				ossReader: createOssStandInReader({ossEndpoint: running['oss']!.url, region, credentials: ossKeys, roleArns: [localRamRoleArn]}),
				...(port ? {port} : {}),
			});
		},
	},
};
