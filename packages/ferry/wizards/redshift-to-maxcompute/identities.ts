/**
 * The identities of the Redshift procedure, each least-privilege for this run's buckets and prefixes:
 * - Steps 1.1–1.4: the IAM role Redshift assumes for UNLOAD, trusted by redshift.amazonaws.com, allowed to write
 *   (and, for CLEANPATH, delete and list) under the S3 prefix, associated with the cluster and in-sync;
 * - Step 2.3: the AWS keys Data Online Migration reads S3 with (the profile's): read and list the prefix — checked,
 *   never created (ferry creates no access key);
 * - Data Online Migration's RAM role, trusted by mgw.aliyuncs.com, allowed to write the landing prefix;
 * - Step 3.2: the RAM role MaxCompute assumes for LOAD, trusted by odps.aliyuncs.com, allowed to read the landing
 *   prefix.
 */
import {
	alibabaStsFor,
	awsStsFor,
	callerEntity,
	checkAwsServiceRole,
	checkRamServiceRole,
	iamFor,
	newFinding,
	parseIamRoleArn,
	parseRamRoleArn,
	permissionText,
	ramFor,
	redshiftManagementFor,
	StepError,
	type Answers,
	type IamClient,
	type IdentityFinding,
	type Logger,
	type RamClient,
	type RedshiftManagementClient,
	type RequiredPermission,
	type ResolvedProfile,
} from '../../source/kit.js';

export const redshiftService = 'redshift.amazonaws.com';
export const maxComputeService = 'odps.aliyuncs.com';
export const migrationService = 'mgw.aliyuncs.com';

export type IdentityClients = {iam: IamClient; redshift: RedshiftManagementClient; ram: RamClient; awsAccount: string; awsCaller: string; alibabaAccount: string};

export async function identityClients(profile: ResolvedProfile, log: Logger, signal: AbortSignal): Promise<IdentityClients> {
	const [iam, redshift, ram, sts, alibabaSts] = await Promise.all([iamFor(profile, log), redshiftManagementFor(profile, log), ramFor(profile, log), awsStsFor(profile, log), alibabaStsFor(profile, log)]);
	const [aws, alibaba] = await Promise.all([sts.getCallerIdentity({signal}), alibabaSts.getCallerIdentity({signal})]);
	return {iam, redshift, ram, awsAccount: aws.account, awsCaller: aws.arn, alibabaAccount: alibaba.accountId};
}

/** A policy name from a purpose and a bucket: letters, digits and hyphens (what IAM and RAM both take). */
function policyName(purpose: string, bucket: string): string {
	return `ferry-${purpose}-${bucket.replaceAll('.', '-')}`.slice(0, 128);
}

const objectsUnder = (prefix: string) => `${prefix}*`;
/** A key under the prefix, standing for every file a run writes there (the tables are chosen after preflight). */
const sampleKey = (prefix: string) => `${prefix}ferry-preflight/0000_part_00.parquet`;

export function unloadPermissions(bucket: string, prefix: string): RequiredPermission[] {
	return [
		{action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${sampleKey(prefix)}`},
		{action: 's3:DeleteObject', resource: `arn:aws:s3:::${bucket}/${sampleKey(prefix)}`},
		{action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, context: {'s3:prefix': prefix}},
	];
}

/** UNLOAD's inline policy: write, delete (CLEANPATH) and abort uploads under the prefix, list only the prefix. */
export function unloadPolicy(bucket: string, prefix: string): string {
	return JSON.stringify({
		Version: '2012-10-17',
		Statement: [
			{Sid: 'UnloadWrites', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: `arn:aws:s3:::${bucket}/${objectsUnder(prefix)}`},
			{Sid: 'UnloadLists', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: {StringLike: {'s3:prefix': objectsUnder(prefix)}}},
		],
	}, undefined, 2);
}

export function migrationSourcePermissions(bucket: string, prefix: string): RequiredPermission[] {
	return [
		{action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/${sampleKey(prefix)}`},
		{action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, context: {'s3:prefix': prefix}},
	];
}

/** OSS resources as RAM names them: `acs:oss:oss-<region>:<owner>:<bucket>[/<object>]`. */
const ossBucket = (region: string, account: string, bucket: string) => `acs:oss:oss-${region.replace(/^oss-/, '')}:${account}:${bucket}`;

export function loadPermissions(region: string, account: string, bucket: string, prefix: string): RequiredPermission[] {
	return [
		{action: 'oss:ListObjects', resource: ossBucket(region, account, bucket)},
		{action: 'oss:GetObject', resource: `${ossBucket(region, account, bucket)}/${sampleKey(prefix)}`},
	];
}

/** LOAD's policy: list the bucket, read under the landing prefix. */
export function loadPolicy(bucket: string, prefix: string): string {
	return JSON.stringify({
		Version: '1',
		Statement: [
			{Effect: 'Allow', Action: 'oss:ListObjects', Resource: `acs:oss:*:*:${bucket}`},
			{Effect: 'Allow', Action: 'oss:GetObject', Resource: `acs:oss:*:*:${bucket}/${objectsUnder(prefix)}`},
		],
	}, undefined, 2);
}

export function migrationPermissions(region: string, account: string, bucket: string, prefix: string): RequiredPermission[] {
	return [
		{action: 'oss:GetBucketInfo', resource: ossBucket(region, account, bucket)},
		{action: 'oss:ListObjects', resource: ossBucket(region, account, bucket)},
		{action: 'oss:PutObject', resource: `${ossBucket(region, account, bucket)}/${sampleKey(prefix)}`},
		{action: 'oss:GetObject', resource: `${ossBucket(region, account, bucket)}/${sampleKey(prefix)}`},
	];
}

/** Data Online Migration's policy: find and list the bucket, write (and check) under the landing prefix. */
export function migrationPolicy(bucket: string, prefix: string): string {
	return JSON.stringify({
		Version: '1',
		Statement: [
			{Effect: 'Allow', Action: ['oss:GetBucketInfo', 'oss:ListObjects'], Resource: `acs:oss:*:*:${bucket}`},
			{Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'], Resource: `acs:oss:*:*:${bucket}/${objectsUnder(prefix)}`},
		],
	}, undefined, 2);
}

const text = (answers: Answers, key: string) => String(answers[key] ?? '');

/** The cluster whose IAM roles UNLOAD uses: the answer for the Data API, else a direct host's first label on AWS. */
export function clusterIdentifier(answers: Answers): string | undefined {
	if (answers['redshiftAccess'] === 'data-api-serverless') {
		return undefined;
	}

	if (answers['redshiftCluster']) {
		return text(answers, 'redshiftCluster');
	}

	return /^([a-z][a-z\d-]*)\.[a-z\d]+\.[a-z\d-]+\.redshift\.amazonaws\.com$/i.exec(text(answers, 'redshiftHost'))?.[1];
}

/** The profile's AWS keys, which Data Online Migration reads S3 with: checked, never changed. */
async function checkMigrationSource(clients: IdentityClients, bucket: string, prefix: string, signal: AbortSignal): Promise<IdentityFinding> {
	const finding = newFinding('migration-source', 'AWS keys of the profile (Data Online Migration reads S3)');
	finding.checkedWith.push('AWS STS GetCallerIdentity');
	const caller = callerEntity(clients.awsCaller);
	if (caller.kind === 'root') {
		finding.found.push('the account\'s root: every permission');
		return finding;
	}

	if (caller.kind === 'other') {
		finding.notes.push(`${clients.awsCaller} cannot be simulated: not checked`);
		return finding;
	}

	const principal = caller.kind === 'user' ? caller.arn : (await clients.iam.getRole(caller.name, {signal}))?.arn;
	if (!principal) {
		finding.notes.push(`the role of ${clients.awsCaller} cannot be read: not checked`);
		return finding;
	}

	finding.checkedWith.push(`IAM SimulatePrincipalPolicy ${principal}`);
	const permissions = migrationSourcePermissions(bucket, prefix);
	try {
		const results = await clients.iam.simulatePrincipalPolicy(principal, permissions.map(permission => ({action: permission.action, resource: permission.resource, ...(permission.context ? {context: {...permission.context}} : {})})), {signal});
		const denied = results.filter(result => result.decision !== 'allowed' && result.missingContextKeys.length === 0);
		if (denied.length === 0) {
			finding.found.push('may read and list the unload prefix');
			return finding;
		}

		finding.problems.push({piece: 'permission', text: `may not ${denied.map(result => permissionText(result)).join(', ')}`, fix: `attach a policy allowing s3:GetObject on arn:aws:s3:::${bucket}/${prefix}* and s3:ListBucket on arn:aws:s3:::${bucket} to ${principal} (IAM console → Users or Roles → Permissions), or use a profile whose keys may`, creatable: false});
	} catch {
		finding.notes.push('the simulator is not allowed for these keys: not checked');
	}

	return finding;
}

export type IdentityCheck = {id: string; title: string; run(): Promise<IdentityFinding>};

/** Every identity this run needs, each a check of its own (preflight runs them all, so every problem shows at once). */
export function identityChecks(clientsOf: () => Promise<IdentityClients>, answers: Answers, sessionId: string, signal: AbortSignal): IdentityCheck[] {
	const s3Bucket = text(answers, 's3Bucket');
	const s3Prefix = text(answers, 's3Prefix');
	const ossBucketName = text(answers, 'ossBucket');
	const ossPrefix = text(answers, 'ossPrefix');
	const region = text(answers, 'ossRegion');
	const mark = `Created by ferry (session ${sessionId})`;
	const checks: IdentityCheck[] = [];
	if (answers['unloadAuth'] === 'role') {
		const cluster = clusterIdentifier(answers);
		checks.push({id: 'unload-role', title: 'IAM role for UNLOAD', run: async () => {
			const clients = await clientsOf();
			return checkAwsServiceRole({
				id: 'unload-role',
				purpose: 'Redshift UNLOAD writes S3',
				roleArn: text(answers, 'unloadRoleArn'),
				callerAccount: clients.awsAccount,
				service: redshiftService,
				permissions: unloadPermissions(s3Bucket, s3Prefix),
				policy: {name: policyName('unload', s3Bucket), document: unloadPolicy(s3Bucket, s3Prefix)},
				description: `${mark}: Redshift UNLOAD writes s3://${s3Bucket}/${s3Prefix}`,
				...(cluster ? {cluster} : {}),
			}, {iam: clients.iam, redshift: clients.redshift}, signal);
		}});
	}

	if (answers['transferMethod'] === 'online-migration') {
		checks.push({id: 'migration-source', title: 'AWS keys Data Online Migration reads S3 with', run: async () => checkMigrationSource(await clientsOf(), s3Bucket, s3Prefix, signal)});
		checks.push({id: 'migration-role', title: 'RAM role for Data Online Migration', run: async () => {
			const clients = await clientsOf();
			return checkRamServiceRole({
				id: 'migration-role',
				purpose: 'Data Online Migration writes OSS',
				roleName: text(answers, 'migrationRoleName'),
				callerAccount: clients.alibabaAccount,
				service: migrationService,
				permissions: migrationPermissions(region, clients.alibabaAccount, ossBucketName, ossPrefix),
				policy: {name: policyName('migration', ossBucketName), document: migrationPolicy(ossBucketName, ossPrefix), description: `${mark}: Data Online Migration writes oss://${ossBucketName}/${ossPrefix}`},
				description: `${mark}: Data Online Migration writes oss://${ossBucketName}/${ossPrefix}`,
			}, clients.ram, signal);
		}});
	}

	checks.push({id: 'load-role', title: 'RAM role for LOAD', run: async () => {
		const clients = await clientsOf();
		const loadRole = parseRamRoleArn(text(answers, 'loadRoleArn'));
		return checkRamServiceRole({
			id: 'load-role',
			purpose: 'MaxCompute LOAD reads OSS',
			roleName: loadRole?.name ?? text(answers, 'loadRoleArn'),
			callerAccount: clients.alibabaAccount,
			...(loadRole ? {arnAccount: loadRole.account} : {}),
			service: maxComputeService,
			permissions: loadPermissions(region, clients.alibabaAccount, ossBucketName, ossPrefix),
			policy: {name: policyName('load', ossBucketName), document: loadPolicy(ossBucketName, ossPrefix), description: `${mark}: MaxCompute LOAD reads oss://${ossBucketName}/${ossPrefix}`},
			description: `${mark}: MaxCompute LOAD reads oss://${ossBucketName}/${ossPrefix}`,
		}, clients.ram, signal);
	}});
	return checks;
}

/** Every identity again, one after the other (after the calls that created what was missing). */
export async function checkIdentities(clientsOf: () => Promise<IdentityClients>, answers: Answers, sessionId: string, signal: AbortSignal): Promise<IdentityFinding[]> {
	const findings: IdentityFinding[] = [];
	for (const check of identityChecks(clientsOf, answers, sessionId, signal)) {
		findings.push(await check.run());
	}

	return findings;
}

/**
 * UNLOAD refused for the role (Redshift's own words, kept): not associated or not in-sync, not trusted, or S3 denied
 * it. The error with a hint that says which and how to fix it; other errors pass unchanged.
 */
export function withUnloadRoleHint(error: unknown, answers: Answers, sessionId: string): unknown {
	const message = error instanceof Error ? error.message : String(error);
	const role = text(answers, 'unloadRoleArn');
	const cluster = clusterIdentifier(answers) ?? '<cluster>';
	const name = parseIamRoleArn(role)?.name ?? role;
	let hint: string | undefined;
	if (/is not authorized to assume IAM Role/i.test(message)) {
		hint = `The role is not associated with cluster ${cluster} (or not in-sync yet): \`aws redshift modify-cluster-iam-roles --cluster-identifier ${cluster} --add-iam-roles ${role}\` (Redshift console → Clusters → ${cluster} → Actions → Manage IAM roles), wait until it is in-sync, then \`ferry resume ${sessionId}\`.`;
	} else if (/Not authorized to get credentials of role/i.test(message)) {
		hint = `Redshift cannot assume ${name}: it must exist and trust redshift.amazonaws.com (IAM console → Roles → ${name} → Trust relationships). Fix it, then \`ferry resume ${sessionId}\`.`;
	} else if (/S3ServiceException.*(Access ?Denied|not authorized)/is.test(message)) {
		hint = `S3 refused the role ${name} under s3://${text(answers, 's3Bucket')}/${text(answers, 's3Prefix')}: it needs s3:PutObject, s3:DeleteObject and s3:ListBucket there (\`ferry plan\` shows the policy ferry would put). Fix it, then \`ferry resume ${sessionId}\`.`;
	}

	return hint ? new StepError(message, {hint, cause: error}) : error;
}
