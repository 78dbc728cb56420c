import {ConfigurationError, maxComputeFor, objectStoreFor, onlineMigrationFor, profileNamed, redshiftFor, type Logger, type MaxComputeClient, type ObjectStore, type OnlineMigrationClient, type RedshiftAccess, type RedshiftConnection, type ResolvedProfile} from '../../source/kit.js';
import type {ClientAnswers} from './procedure.js';
import {identityClients, type IdentityClients} from './identities.js';

export type MigrationClients = {
	profile: ResolvedProfile;
	redshift: RedshiftConnection;
	s3: ObjectStore;
	oss: ObjectStore;
	onlineMigration: OnlineMigrationClient;
	maxcompute: MaxComputeClient;
	/** IAM, the Redshift management API, RAM and who the profile's keys are: made when first asked (preflight). */
	identities(signal: AbortSignal): Promise<IdentityClients>;
};

/** The way to Redshift the answers name: the Data API to a cluster or a workgroup, or a direct connection with its password. */
export function redshiftAccess(answers: ClientAnswers, secrets: {get(key: 'redshiftPassword'): string | undefined}): RedshiftAccess {
	const database = answers.redshiftDatabase ?? 'dev';
	const access = answers.redshiftAccess ?? 'data-api-cluster';
	if (access === 'direct') {
		const password = secrets.get('redshiftPassword');
		if (!password) {
			throw new ConfigurationError('No password for the direct Redshift connection', {hint: 'Resume interactively to enter it, or put redshiftPassword in the answers file.'});
		}

		return {kind: 'direct', host: answers.redshiftHost ?? '', port: Number(answers.redshiftPort ?? 5439), database, user: answers.redshiftUser ?? '', password};
	}

	const secretArn = answers.redshiftSecretArn ? answers.redshiftSecretArn : undefined;
	const target = access === 'data-api-serverless'
		? {kind: 'serverless' as const, workgroupName: String(answers.redshiftWorkgroup), ...(secretArn ? {secretArn} : {})}
		: {kind: 'cluster' as const, clusterIdentifier: String(answers.redshiftCluster), ...(answers.redshiftDbUser ? {dbUser: answers.redshiftDbUser} : {}), ...(secretArn ? {secretArn} : {})};
	return {kind: 'data-api', database, target};
}

/** One code path: the profile decides whether these reach AWS and Alibaba Cloud or the local cloud. */
export async function createMigrationClients(options: {profile: string; answers: ClientAnswers; secrets: {get(key: 'redshiftPassword'): string | undefined}; log: Logger}): Promise<MigrationClients> {
	const profile = await profileNamed(options.profile);
	const {answers, log} = options;
	const [redshift, s3, oss, onlineMigration, maxcompute] = await Promise.all([
		redshiftFor(profile, redshiftAccess(answers, options.secrets), log),
		objectStoreFor(profile, 's3', log),
		objectStoreFor(profile, 'oss', log, answers.ossRegion ?? profile.alibaba.region),
		onlineMigrationFor(profile, log),
		maxComputeFor(profile, answers.maxcomputeProject ?? '', log),
	]);
	let identities: Promise<IdentityClients> | undefined;
	return {
		profile, redshift, s3, oss, onlineMigration, maxcompute,
		identities(signal) {
			identities ??= identityClients(profile, log, signal);
			return identities;
		},
	};
}
