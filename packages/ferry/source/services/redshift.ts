import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';
import type {DataApiTarget} from '../clouds/redshift/data-api-connection.js';
import type {PgConnectionOptions} from '../clouds/redshift/pg-connection.js';
import type {Logger} from '../log/logger.js';

/** How a procedure reaches Redshift: the Data API (a cluster or a Serverless workgroup), or the PostgreSQL protocol. */
export type RedshiftAccess =
	| {kind: 'data-api'; database: string; target: DataApiTarget}
	| ({kind: 'direct'} & Pick<PgConnectionOptions, 'host' | 'port' | 'database' | 'user' | 'password'>);

/** A Redshift connection from a resolved profile (the Data API's region, credentials and endpoint) and the access. */
export async function redshiftFor(profile: ResolvedProfile, access: RedshiftAccess, log: Logger) {
	if (access.kind === 'direct') {
		const {createPgConnection} = await import('../clouds/redshift/pg-connection.js');
		const {kind: _kind, ...connection} = access;
		return createPgConnection({...connection, logger: log});
	}

	const {createDataApiConnection} = await import('../clouds/redshift/data-api-connection.js');
	return createDataApiConnection({
		region: profile.aws.region,
		database: access.database,
		target: access.target,
		credentials: profile.aws.credentials,
		logger: log,
		...(profile.aws.endpoints['redshiftData'] ? {endpoint: profile.aws.endpoints['redshiftData']} : {}),
	});
}

/** The Redshift management API client (DescribeClusters, ModifyClusterIamRoles) of a resolved profile. */
export async function redshiftManagementFor(profile: ResolvedProfile, log: Logger) {
	const {createRedshiftManagementClient} = await import('../clouds/redshift/management-client.js');
	return createRedshiftManagementClient({region: profile.aws.region, credentials: profile.aws.credentials, logger: log, ...(profile.aws.endpoints['redshift'] ? {endpoint: profile.aws.endpoints['redshift']} : {})});
}

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
		const connection = await redshiftFor(profile, {
			kind: 'data-api',
			database: settings['redshiftDatabase'] ?? 'dev',
			target: {kind: 'cluster', clusterIdentifier: settings['redshiftCluster'] ?? '', ...(settings['redshiftDbUser'] ? {dbUser: settings['redshiftDbUser']} : {})},
		}, log);
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
