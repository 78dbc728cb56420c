import {localAlibabaAccountId, localDataWorksWorkspace, localMaxComputeProject} from '../local-cloud/contract.js';
import {silentLogger, type Logger} from '../log/logger.js';
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
	whoamiSettings: [{key: 'dataworksWorkspaceId', help: 'a DataWorks workspace id the keys may use', localDefault: String(localDataWorksWorkspace.id)}],
	async whoami({profile, settings, log, signal}) {
		const workspace = await (await dataWorksFor(profile, log)).getProject(Number(settings['dataworksWorkspaceId']), {signal});
		return `workspace ${workspace.name} (${workspace.mode} mode)`;
	},
	standIn: {
		needs: ['maxcompute', 'log-service'],
		async start({dataDir, region, credentials, port, running}) {
			const [{startDataWorksStandIn}, {createDiRunner}, {createLogServiceClient}, {createMaxComputeClient}, {seedLogDetailTable}] = await Promise.all([
				import('../local-cloud/dataworks/server.js'),
				import('../local-cloud/dataworks/di-runner.js'),
				import('../clouds/log-service/client.js'),
				import('../clouds/maxcompute/client.js'),
				import('../local-cloud/maxcompute/seed-log-detail.js'),
			]);
			const keys = {accessKeyId: credentials.alibaba.accessKeyId, accessKeySecret: credentials.alibaba.accessKeySecret};
			// The procedure's example table, so the procedure runs with no input.
			await seedLogDetailTable(createMaxComputeClient({endpoint: running['maxcompute']!.url, project: localMaxComputeProject, credentials: keys, logger: silentLogger}));
			// The LogHub writer reaches Log Service over its HTTP API, as DataX's writer does through the SLS SDK.
			const runner = createDiRunner({sink: {
				async putLogs(target, group) {
					const client = createLogServiceClient({endpoint: target.endpoint, credentials: {description: 'the LogHub data source', getCredentials: async () => ({accessKeyId: target.accessKeyId, accessKeySecret: target.accessKeySecret})}});
					await client.putLogs(target.project, target.logstore, {topic: group.topic, source: group.source, logs: group.logs.map(log => ({time: log.time, contents: log.contents}))});
				},
			}});
			return startDataWorksStandIn({dataDir, region, credentials: {accessKeyId: keys.accessKeyId, secret: keys.accessKeySecret}, accountId: localAlibabaAccountId, workspace: localDataWorksWorkspace, runner, ...(port ? {port} : {})});
		},
	},
};
