import type {ServiceDescriptor} from './descriptor.js';

/** Amazon Redshift: the Data API (and, locally, the PostgreSQL wire as the door `redshift-pg`). */
export const redshift: ServiceDescriptor = {
	name: 'redshift',
	title: 'Amazon Redshift',
	vendor: 'aws',
	endpointKey: 'redshiftData',
	whoamiSettings: [
		{key: 'redshiftCluster', help: 'the cluster identifier'},
		{key: 'redshiftDbUser', help: 'the database user for temporary credentials'},
		{key: 'redshiftDatabase', help: 'the database'},
	],
	async whoami({profile, settings, log, signal}) {
		const {createDataApiConnection} = await import('../clouds/redshift/data-api-connection.js');
		const connection = createDataApiConnection({
			region: profile.aws.region,
			database: settings['redshiftDatabase'] ?? 'dev',
			target: {kind: 'cluster', clusterIdentifier: settings['redshiftCluster'] ?? '', ...(settings['redshiftDbUser'] ? {dbUser: settings['redshiftDbUser']} : {})},
			credentials: profile.aws.credentials,
			logger: log,
			...(profile.aws.endpoints['redshiftData'] ? {endpoint: profile.aws.endpoints['redshiftData']} : {}),
		});
		try {
			const who = await connection.whoami({signal});
			return `${who.user} on ${who.database}`;
		} finally {
			await connection.close();
		}
	},
};

/** Amazon Redshift's management API (DescribeClusters, ModifyClusterIamRoles): its own endpoint, the Data API's cluster. */
export const redshiftManagement: ServiceDescriptor = {
	name: 'redshift-management',
	title: 'Amazon Redshift management API',
	vendor: 'aws',
	endpointKey: 'redshift',
	defaultEndpoint: region => `https://redshift.${region}.amazonaws.com`,
};
