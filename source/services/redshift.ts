import {localUnloadRoleArn} from '../local-cloud/contract.js';
import type {ServiceDescriptor} from './descriptor.js';

/** Amazon Redshift: the Data API (and, locally, the PostgreSQL wire as the door `redshift-pg`). */
export const redshift: ServiceDescriptor = {
	name: 'redshift',
	title: 'Amazon Redshift',
	vendor: 'aws',
	endpointKey: 'redshiftData',
	whoamiSettings: [
		{key: 'redshiftCluster', help: 'the cluster identifier', localDefault: 'ferry-local'},
		{key: 'redshiftDbUser', help: 'the database user for temporary credentials', localDefault: 'awsuser'},
		{key: 'redshiftDatabase', help: 'the database', localDefault: 'dev'},
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
	standIn: {
		needs: ['s3'],
		doors: ['redshift-pg'],
		async start({dataDir, region, credentials, port, doorPorts, scaleFactor, running}) {
			const {startRedshiftStandIn} = await import('../local-cloud/redshift/stand-in.js');
			const handle = await startRedshiftStandIn({
				dataDir,
				region,
				credentials: {accessKeyId: credentials.aws.accessKeyId, secret: credentials.aws.secretAccessKey},
				unload: {endpoint: running['s3']!.url, region, credentials: credentials.aws, allowedRoleArns: [localUnloadRoleArn]},
				scaleFactor,
				...(port ? {port} : {}),
				...(doorPorts['redshift-pg'] ? {pgPort: doorPorts['redshift-pg']} : {}),
			});
			return {...handle, doorPorts: {'redshift-pg': handle.pgPort}};
		},
	},
};
