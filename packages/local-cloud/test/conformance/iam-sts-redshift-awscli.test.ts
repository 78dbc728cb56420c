/**
 * awscli, an independent client of IAM, STS and the Redshift management API, against the local stand-ins: the
 * first-time setup of redshift-to-maxcompute Steps 1.1–1.4 and 2.3 by hand (a role Redshift may assume, its S3
 * policy, the cluster association; an IAM user with keys for S3), the policy simulator, temporary credentials that
 * S3 authorizes by the role's policies, and the services' own errors. IAM is signed for us-east-1, as awscli signs
 * it against the global endpoint.
 */
import {execFile, spawnSync} from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {localRegion, localUnloadRoleArn} from '../../source/contract.js';
import {startLocalAwsIdentities, type LocalAwsIdentities} from '../helpers/aws-identities.js';
import {s3Keys, unloadBucket} from '../helpers/redshift-local.js';

const hasAws = spawnSync('aws', ['--version'], {encoding: 'utf8'}).status === 0;

let work: string;
let local: LocalAwsIdentities;

type Keys = {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
const root: Keys = {accessKeyId: s3Keys.accessKeyId, secretAccessKey: s3Keys.secret};

if (hasAws) {
	test.before(async () => {
		work = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-awscli-iam-'));
		await fs.writeFile(path.join(work, 'config'), '[default]\n');
		local = await startLocalAwsIdentities({iamRoleApplyMs: 300});
	});

	test.after.always(async () => {
		await local?.close();
		if (work) {
			await fs.rm(work, {recursive: true, force: true});
		}
	});
}

type AwsResult = {code: number; stdout: string; stderr: string};

/** Keys go to awscli through its environment, never its argv. */
async function aws(service: 'iam' | 'sts' | 'redshift' | 's3api', args: string[], keys: Keys = root): Promise<AwsResult> {
	const endpoint = {iam: local.iam.url, sts: local.sts.url, redshift: local.management.url, s3api: local.s3.url}[service];
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH, HOME: work, NO_PROXY: '*',
		AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey, ...(keys.sessionToken ? {AWS_SESSION_TOKEN: keys.sessionToken} : {}),
		AWS_DEFAULT_REGION: service === 'iam' ? 'us-east-1' : localRegion,
		AWS_CONFIG_FILE: path.join(work, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
		AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1',
		AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required', AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
	};
	return new Promise(resolve => {
		execFile('aws', ['--endpoint-url', endpoint, '--output', 'json', service, ...args], {env, timeout: 120_000, cwd: work}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

async function ok<T>(service: 'iam' | 'sts' | 'redshift' | 's3api', args: string[], keys?: Keys): Promise<T> {
	const result = await aws(service, args, keys);
	if (result.code !== 0) {
		throw new Error(`aws ${service} ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
	}

	return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
}

async function file(name: string, value: unknown): Promise<string> {
	await fs.writeFile(path.join(work, name), typeof value === 'string' ? value : JSON.stringify(value, undefined, 2));
	return `file://${path.join(work, name)}`;
}

const awsTest = (title: string, implementation: (t: ExecutionContext) => Promise<void>) => {
	if (hasAws) {
		test.serial(title, implementation);
	} else {
		test(title, t => {
			t.log('awscli is not installed: skipped');
			t.pass();
		});
	}
};

const redshiftTrust = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'redshift.amazonaws.com'}, Action: 'sts:AssumeRole'}]};
const unloadWrite = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:PutObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${unloadBucket}`, `arn:aws:s3:::${unloadBucket}/cli/*`]}]};
type Role = {RoleName: string; Arn: string; RoleId: string; Path: string; AssumeRolePolicyDocument: unknown; MaxSessionDuration: number};

awsTest('iam create-role, get-role, put-role-policy, get-role-policy: documents round-trip, URL-encoded on the wire', async t => {
	const created = await ok<{Role: Role}>('iam', ['create-role', '--role-name', 'cli-unload', '--path', '/ferry/', '--assume-role-policy-document', await file('trust.json', redshiftTrust), '--description', 'UNLOAD from the CLI']);
	t.is(created.Role.Arn, 'arn:aws:iam::000000000000:role/ferry/cli-unload');
	t.regex(created.Role.RoleId, /^AROA[A-Z2-7]{17}$/);
	t.deepEqual(created.Role.AssumeRolePolicyDocument, redshiftTrust);
	const got = await ok<{Role: Role & {Description: string}}>('iam', ['get-role', '--role-name', 'CLI-UNLOAD']);
	t.like(got.Role, {RoleName: 'cli-unload', Path: '/ferry/', Description: 'UNLOAD from the CLI', MaxSessionDuration: 3600});
	t.deepEqual(got.Role.AssumeRolePolicyDocument, redshiftTrust);
	await ok('iam', ['put-role-policy', '--role-name', 'cli-unload', '--policy-name', 'write', '--policy-document', await file('write.json', unloadWrite)]);
	const policy = await ok<{PolicyDocument: unknown; PolicyName: string}>('iam', ['get-role-policy', '--role-name', 'cli-unload', '--policy-name', 'write']);
	t.deepEqual(policy, {RoleName: 'cli-unload', PolicyName: 'write', PolicyDocument: unloadWrite});
	t.deepEqual(await ok('iam', ['list-role-policies', '--role-name', 'cli-unload']), {PolicyNames: ['write']});
	const roles = await ok<{Roles: Role[]}>('iam', ['list-roles', '--path-prefix', '/ferry/']);
	t.deepEqual(roles.Roles.map(role => role.RoleName), ['cli-unload']);
});

awsTest('iam attach-role-policy with an AWS managed policy, list-attached-role-policies, get-policy and get-policy-version', async t => {
	await ok('iam', ['attach-role-policy', '--role-name', 'cli-unload', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
	t.deepEqual(await ok('iam', ['list-attached-role-policies', '--role-name', 'cli-unload']), {AttachedPolicies: [{PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'}]});
	const managed = await ok<{Policy: {DefaultVersionId: string; AttachmentCount: number}}>('iam', ['get-policy', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
	t.like(managed.Policy, {DefaultVersionId: 'v3', AttachmentCount: 1});
	const version = await ok<{PolicyVersion: {Document: {Statement: Array<{Action: string[]}>}; IsDefaultVersion: boolean}}>('iam', ['get-policy-version', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', '--version-id', 'v3']);
	t.true(version.PolicyVersion.IsDefaultVersion);
	t.deepEqual(version.PolicyVersion.Document.Statement[0]?.Action, ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*']);
	const own = await ok<{Policy: {Arn: string; DefaultVersionId: string}}>('iam', ['create-policy', '--policy-name', 'cli-read', '--policy-document', await file('read.json', {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]})]);
	t.like(own.Policy, {Arn: 'arn:aws:iam::000000000000:policy/cli-read', DefaultVersionId: 'v1'});
	const local = await ok<{Policies: Array<{PolicyName: string}>}>('iam', ['list-policies', '--scope', 'Local']);
	t.deepEqual(local.Policies.map(policy => policy.PolicyName), ['cli-read']);
});

awsTest('iam simulate-principal-policy: allowed, implicitDeny and explicitDeny with the statements that decided', async t => {
	const arn = 'arn:aws:iam::000000000000:role/ferry/cli-unload';
	await ok('iam', ['put-role-policy', '--role-name', 'cli-unload', '--policy-name', 'no-delete', '--policy-document', await file('deny.json', {Version: '2012-10-17', Statement: [{Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*'}]})]);
	type Result = {EvalActionName: string; EvalResourceName: string; EvalDecision: string; MatchedStatements: Array<{SourcePolicyId: string; StartPosition: {Line: number; Column: number}}>};
	const simulated = await ok<{EvaluationResults: Result[]}>('iam', ['simulate-principal-policy', '--policy-source-arn', arn,
		'--action-names', 's3:PutObject', 's3:GetObject', 's3:DeleteObject', 'ec2:RunInstances', '--resource-arns', `arn:aws:s3:::${unloadBucket}/cli/part-0.parquet`]);
	t.deepEqual(simulated.EvaluationResults.map(result => [result.EvalActionName, result.EvalDecision, result.MatchedStatements.map(match => match.SourcePolicyId)]), [
		['s3:PutObject', 'allowed', ['write']],
		['s3:GetObject', 'allowed', ['AmazonS3ReadOnlyAccess']],
		['s3:DeleteObject', 'explicitDeny', ['no-delete']],
		['ec2:RunInstances', 'implicitDeny', []],
	]);
	// The document as written by file(): the statement's `{` opens line 4 at column 5.
	t.deepEqual(simulated.EvaluationResults[0]?.MatchedStatements[0]?.StartPosition, {Line: 4, Column: 5});
	await ok('iam', ['delete-role-policy', '--role-name', 'cli-unload', '--policy-name', 'no-delete']);
});

type AccessKey = {UserName: string; AccessKeyId: string; SecretAccessKey: string; Status: string};
let userKeys: Keys;

awsTest('iam create-user, put-user-policy, create-access-key, list-access-keys; the keys reach S3 as far as their policy says', async t => {
	const user = await ok<{User: {Arn: string; UserId: string}}>('iam', ['create-user', '--user-name', 'cli-transfer']);
	t.is(user.User.Arn, 'arn:aws:iam::000000000000:user/cli-transfer');
	t.regex(user.User.UserId, /^AIDA/);
	await ok('iam', ['put-user-policy', '--user-name', 'cli-transfer', '--policy-name', 'read-unload', '--policy-document', await file('user.json', {
		Version: '2012-10-17',
		Statement: [
			{Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${unloadBucket}`, `arn:aws:s3:::${unloadBucket}/*`]},
			{Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::000000000000:role/cli-*'},
		],
	})]);
	const {AccessKey: key} = await ok<{AccessKey: AccessKey}>('iam', ['create-access-key', '--user-name', 'cli-transfer']);
	t.regex(key.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
	t.is(key.Status, 'Active');
	const listed = await ok<{AccessKeyMetadata: Array<{AccessKeyId: string; SecretAccessKey?: string}>}>('iam', ['list-access-keys', '--user-name', 'cli-transfer']);
	t.deepEqual(listed.AccessKeyMetadata.map(entry => [entry.AccessKeyId, entry.SecretAccessKey]), [[key.AccessKeyId, undefined]]);
	userKeys = {accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey};

	await file('readme.txt', 'hello');
	await ok('s3api', ['put-object', '--bucket', unloadBucket, '--key', 'cli/readme.txt', '--body', path.join(work, 'readme.txt')]);
	await ok('s3api', ['head-object', '--bucket', unloadBucket, '--key', 'cli/readme.txt'], userKeys);
	const listing = await ok<{Contents: Array<{Key: string}>}>('s3api', ['list-objects-v2', '--bucket', unloadBucket, '--prefix', 'cli/'], userKeys);
	t.deepEqual(listing.Contents.map(object => object.Key), ['cli/readme.txt']);
	const put = await aws('s3api', ['put-object', '--bucket', unloadBucket, '--key', 'cli/other.txt', '--body', path.join(work, 'readme.txt')], userKeys);
	t.not(put.code, 0);
	t.regex(put.stderr, new RegExp(`\\(AccessDenied\\) when calling the PutObject operation: User: arn:aws:iam::000000000000:user/cli-transfer is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${unloadBucket}/cli/other.txt" because no identity-based policy allows the s3:PutObject action`));
	const buckets = await aws('s3api', ['list-buckets'], userKeys);
	t.regex(buckets.stderr, /\(AccessDenied\).*is not authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action/);
});

awsTest('sts get-caller-identity for the root and a user; assume-role gives credentials S3 authorizes by the role\'s policies', async t => {
	t.deepEqual(await ok('sts', ['get-caller-identity']), {UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root'});
	t.like(await ok<Record<string, string>>('sts', ['get-caller-identity'], userKeys), {Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/cli-transfer'});

	const trustAccount = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {AWS: '000000000000'}, Action: 'sts:AssumeRole'}]};
	await ok('iam', ['create-role', '--role-name', 'cli-writer', '--assume-role-policy-document', await file('trust-account.json', trustAccount)]);
	await ok('iam', ['put-role-policy', '--role-name', 'cli-writer', '--policy-name', 'write', '--policy-document', await file('write.json', unloadWrite)]);
	const rootAttempt = await aws('sts', ['assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/cli-writer', '--role-session-name', 'root']);
	t.regex(rootAttempt.stderr, /\(AccessDenied\) when calling the AssumeRole operation: Roles may not be assumed by root accounts\./);

	type Assumed = {Credentials: {AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string}; AssumedRoleUser: {Arn: string; AssumedRoleId: string}};
	const assumed = await ok<Assumed>('sts', ['assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/cli-writer', '--role-session-name', 'cli-session', '--duration-seconds', '900'], userKeys);
	t.is(assumed.AssumedRoleUser.Arn, 'arn:aws:sts::000000000000:assumed-role/cli-writer/cli-session');
	t.regex(assumed.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:cli-session$/);
	t.regex(assumed.Credentials.AccessKeyId, /^ASIA/);
	t.true(Math.abs(Date.parse(assumed.Credentials.Expiration) - Date.now() - (900 * 1000)) < 60_000);
	const session: Keys = {accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken};
	t.is((await ok<{Arn: string}>('sts', ['get-caller-identity'], session)).Arn, 'arn:aws:sts::000000000000:assumed-role/cli-writer/cli-session');
	await ok('s3api', ['put-object', '--bucket', unloadBucket, '--key', 'cli/from-role.txt', '--body', path.join(work, 'readme.txt')], session);
	const read = await aws('s3api', ['get-object', '--bucket', unloadBucket, '--key', 'cli/from-role.txt', path.join(work, 'out.txt')], session);
	t.regex(read.stderr, /\(AccessDenied\).*assumed-role\/cli-writer\/cli-session is not authorized to perform: s3:GetObject/);
	const tokenless = await aws('s3api', ['head-bucket', '--bucket', unloadBucket], {accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey});
	t.not(tokenless.code, 0);

	// A user whose policy allows AssumeRole cannot take a role whose trust policy names neither it nor its account.
	const denied = await aws('sts', ['assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/ferry/cli-unload', '--role-session-name', 'cli-denied'], userKeys);
	t.regex(denied.stderr, /\(AccessDenied\) when calling the AssumeRole operation: User: arn:aws:iam::000000000000:user\/cli-transfer is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role\/ferry\/cli-unload/);
});

type Cluster = {ClusterIdentifier: string; ClusterStatus: string; IamRoles: Array<{IamRoleArn: string; ApplyStatus: string}>; DefaultIamRoleArn?: string; Endpoint: {Address: string; Port: number}};

async function clusterRoles(): Promise<Cluster> {
	return (await ok<{Clusters: Cluster[]}>('redshift', ['describe-clusters', '--cluster-identifier', 'ferry-local'])).Clusters[0]!;
}

awsTest('redshift describe-clusters and modify-cluster-iam-roles: adding, then in-sync; removing, then gone', async t => {
	const before = await clusterRoles();
	t.like(before, {ClusterIdentifier: 'ferry-local', ClusterStatus: 'available', DefaultIamRoleArn: localUnloadRoleArn, Endpoint: {Address: '127.0.0.1', Port: local.redshift.pgPort}});
	t.deepEqual(before.IamRoles, [{IamRoleArn: localUnloadRoleArn, ApplyStatus: 'in-sync'}]);
	const cliRole = 'arn:aws:iam::000000000000:role/ferry/cli-unload';
	const modified = await ok<{Cluster: Cluster}>('redshift', ['modify-cluster-iam-roles', '--cluster-identifier', 'ferry-local', '--add-iam-roles', cliRole, '--default-iam-role-arn', cliRole]);
	t.deepEqual(modified.Cluster.IamRoles, [{IamRoleArn: localUnloadRoleArn, ApplyStatus: 'in-sync'}, {IamRoleArn: cliRole, ApplyStatus: 'adding'}]);
	t.is(modified.Cluster.ClusterStatus, 'modifying');
	await new Promise(resolve => setTimeout(resolve, 400));
	const applied = await clusterRoles();
	t.deepEqual(applied.IamRoles.map(role => role.ApplyStatus), ['in-sync', 'in-sync']);
	t.is(applied.DefaultIamRoleArn, cliRole);
	const removing = await ok<{Cluster: Cluster}>('redshift', ['modify-cluster-iam-roles', '--cluster-identifier', 'ferry-local', '--remove-iam-roles', cliRole]);
	t.deepEqual(removing.Cluster.IamRoles.find(role => role.IamRoleArn === cliRole)?.ApplyStatus, 'removing');
	t.is(removing.Cluster.DefaultIamRoleArn, undefined);
	await new Promise(resolve => setTimeout(resolve, 400));
	t.deepEqual((await clusterRoles()).IamRoles, [{IamRoleArn: localUnloadRoleArn, ApplyStatus: 'in-sync'}]);
	await ok('redshift', ['modify-cluster-iam-roles', '--cluster-identifier', 'ferry-local', '--default-iam-role-arn', localUnloadRoleArn]);
});

awsTest('errors: IAM\'s NoSuchEntity, EntityAlreadyExists, MalformedPolicyDocument, DeleteConflict, ValidationError; Redshift\'s own', async t => {
	const missing = await aws('iam', ['get-role', '--role-name', 'nobody']);
	t.not(missing.code, 0);
	t.regex(missing.stderr, /An error occurred \(NoSuchEntity\) when calling the GetRole operation: The role with name nobody cannot be found\./);
	const twice = await aws('iam', ['create-role', '--role-name', 'cli-unload', '--assume-role-policy-document', await file('trust.json', redshiftTrust)]);
	t.regex(twice.stderr, /\(EntityAlreadyExists\) when calling the CreateRole operation: Role with name cli-unload already exists\./);
	const principal = await aws('iam', ['put-role-policy', '--role-name', 'cli-unload', '--policy-name', 'bad', '--policy-document', await file('bad.json', {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*'}]})]);
	t.regex(principal.stderr, /\(MalformedPolicyDocument\) when calling the PutRolePolicy operation: Policy document should not specify a principal\./);
	const nobody = await aws('iam', ['create-role', '--role-name', 'cli-ghost', '--assume-role-policy-document', await file('ghost.json', {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::000000000000:user/ghost'}, Action: 'sts:AssumeRole'}]})]);
	t.regex(nobody.stderr, /\(MalformedPolicyDocument\).*Invalid principal in policy: "AWS":"arn:aws:iam::000000000000:user\/ghost"/);
	const conflict = await aws('iam', ['delete-role', '--role-name', 'cli-unload']);
	t.regex(conflict.stderr, /\(DeleteConflict\) when calling the DeleteRole operation: Cannot delete entity, must delete policies first\./);
	const long = await aws('iam', ['create-role', '--role-name', 'r'.repeat(65), '--assume-role-policy-document', await file('trust.json', redshiftTrust)]);
	t.regex(long.stderr, /\(ValidationError\) when calling the CreateRole operation: 1 validation error detected: Value 'r{65}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64/);
	const unknownCluster = await aws('redshift', ['describe-clusters', '--cluster-identifier', 'nowhere']);
	t.regex(unknownCluster.stderr, /\(ClusterNotFound\) when calling the DescribeClusters operation: Cluster nowhere not found\./);
	await ok('iam', ['create-role', '--role-name', 'cli-glue', '--assume-role-policy-document', await file('glue.json', {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'glue.amazonaws.com'}, Action: 'sts:AssumeRole'}]})]);
	const untrusted = await aws('redshift', ['modify-cluster-iam-roles', '--cluster-identifier', 'ferry-local', '--add-iam-roles', 'arn:aws:iam::000000000000:role/cli-glue']);
	t.regex(untrusted.stderr, /\(InvalidParameterValue\) when calling the ModifyClusterIamRoles operation: The IAM role cli-glue is not valid\. The IAM role must delegate access to an Amazon Redshift account\./);
	const denied = await aws('redshift', ['describe-clusters'], userKeys);
	t.regex(denied.stderr, /\(AccessDenied\).*user\/cli-transfer is not authorized to perform: redshift:DescribeClusters on resource: arn:aws:redshift:ap-southeast-1:000000000000:cluster:ferry-local/);
});

awsTest('signatures: an unknown key is InvalidClientTokenId, a wrong secret SignatureDoesNotMatch, a non-us-east-1 scope refused by IAM', async t => {
	const unknown = await aws('iam', ['list-roles'], {accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40)});
	t.regex(unknown.stderr, /\(InvalidClientTokenId\) when calling the ListRoles operation: The security token included in the request is invalid\./);
	const wrong = await aws('sts', ['get-caller-identity'], {...root, secretAccessKey: 'y'.repeat(40)});
	t.regex(wrong.stderr, /\(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation: The request signature we calculated does not match/);
	const region = await aws('redshift', ['describe-clusters'], root);
	t.is(region.code, 0, region.stderr);
	const scoped = await new Promise<AwsResult>(resolve => {
		execFile('aws', ['--endpoint-url', local.iam.url, '--region', localRegion, 'iam', 'list-roles'], {env: {
			PATH: process.env.PATH, HOME: work, NO_PROXY: '*', AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey,
			AWS_CONFIG_FILE: path.join(work, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'), AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1',
		}}, (error, stdout, stderr) => resolve({code: error ? 1 : 0, stdout, stderr}));
	});
	t.regex(scoped.stderr, /\(SignatureDoesNotMatch\).*Credential should be scoped to a valid region/);
});
