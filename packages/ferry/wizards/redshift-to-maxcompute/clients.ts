import type {MaxComputeClient} from '../../source/clouds/maxcompute/client.js';
import {maxComputeFor} from '../../source/kit.js';
import {createObjectStore, type ObjectStore} from '../../source/clouds/object-store/client.js';
import {createOnlineMigrationClient, type OnlineMigrationClient} from '../../source/clouds/online-migration/client.js';
import type {RedshiftConnection} from '../../source/clouds/redshift/connection.js';
import {createDataApiConnection} from '../../source/clouds/redshift/data-api-connection.js';
import {createPgConnection} from '../../source/clouds/redshift/pg-connection.js';
import type {Answers, SecretStore} from '../../source/engine/wizard.js';
import {ConfigurationError} from '../../source/engine/errors.js';
import type {Logger} from '../../source/log/logger.js';
import {resolveProfile, type ResolvedProfile} from '../../source/services/profile-endpoints.js';
import {getProfile} from '../../source/store/profiles.js';

export type MigrationClients = {
	profile: ResolvedProfile;
	redshift: RedshiftConnection;
	s3: ObjectStore;
	oss: ObjectStore;
	onlineMigration: OnlineMigrationClient;
	maxcompute: MaxComputeClient;
};

export function createRedshiftConnection(profile: ResolvedProfile, answers: Answers, secrets: SecretStore, log: Logger): RedshiftConnection {
	const database = String(answers['redshiftDatabase'] ?? 'dev');
	const access = String(answers['redshiftAccess'] ?? 'data-api-cluster');
	if (access === 'direct') {
		const password = secrets.get('redshiftPassword');
		if (!password) {
			throw new ConfigurationError('No password for the direct Redshift connection', {hint: 'Resume interactively to enter it, or put redshiftPassword in the answers file.'});
		}

		const host = String(answers['redshiftHost'] ?? '');
		return createPgConnection({host, port: Number(answers['redshiftPort'] ?? 5439), database, user: String(answers['redshiftUser'] ?? ''), password, logger: log});
	}

	const secretArn = answers['redshiftSecretArn'] ? String(answers['redshiftSecretArn']) : undefined;
	const target = access === 'data-api-serverless'
		? {kind: 'serverless' as const, workgroupName: String(answers['redshiftWorkgroup']), ...(secretArn ? {secretArn} : {})}
		: {kind: 'cluster' as const, clusterIdentifier: String(answers['redshiftCluster']), ...(answers['redshiftDbUser'] ? {dbUser: String(answers['redshiftDbUser'])} : {}), ...(secretArn ? {secretArn} : {})};
	return createDataApiConnection({
		region: profile.aws.region,
		database,
		target,
		credentials: profile.aws.credentials,
		logger: log,
		...(profile.aws.endpoints['redshiftData'] ? {endpoint: profile.aws.endpoints['redshiftData']} : {}),
	});
}

/** One code path: the profile decides whether these reach AWS and Alibaba Cloud or the local cloud. */
export async function createMigrationClients(options: {profile: string; answers: Answers; secrets: SecretStore; log: Logger}): Promise<MigrationClients> {
	const profile = await resolveProfile(await getProfile(options.profile));
	const {answers, log} = options;
	const ossRegion = String(answers['ossRegion'] ?? profile.alibaba.region);
	const alibabaKeys = async () => {
		const keys = await profile.alibaba.credentials.getCredentials();
		return {accessKeyId: keys.accessKeyId, secretAccessKey: keys.accessKeySecret, ...(keys.securityToken ? {sessionToken: keys.securityToken} : {})};
	};

	return {
		profile,
		redshift: createRedshiftConnection(profile, answers, options.secrets, log),
		s3: createObjectStore({kind: 's3', region: profile.aws.region, credentials: profile.aws.credentials, logger: log, profileName: profile.name, ...(profile.aws.endpoints['s3'] ? {endpoint: profile.aws.endpoints['s3'], forcePathStyle: true} : {})}),
		oss: createObjectStore({kind: 'oss', region: ossRegion, credentials: alibabaKeys, logger: log, profileName: profile.name, ...(profile.alibaba.endpoints['oss'] ? {endpoint: profile.alibaba.endpoints['oss']} : {})}),
		onlineMigration: createOnlineMigrationClient({
			endpoint: profile.alibaba.endpoints['onlineMigration']!,
			accountId: profile.alibaba.accountId ?? '',
			credentials: profile.alibaba.credentials,
			logger: log,
			region: profile.alibaba.region,
		}),
		maxcompute: await maxComputeFor(profile, String(answers['maxcomputeProject'] ?? ''), log),
	};
}
