/**
 * UNLOAD enforces the identities when it runs, as Redshift does: a role not associated with the cluster (or no
 * longer in-sync), a role whose trust policy leaves Redshift out, and a role whose policies do not allow the S3
 * calls UNLOAD makes each fail with Redshift's own error, and succeed once fixed through IAM and the Redshift
 * management API.
 */
import test from 'ava';
import {ServiceError} from 'ferry/engine/errors';
import {localRegion, localUnloadRoleArn} from '../../source/contract.js';
import {startLocalAwsIdentities, type LocalAwsIdentities} from '../helpers/aws-identities.js';
import {queryRequest, type QueryKeys} from '../helpers/query-request.js';
import {s3Keys, unloadBucket} from '../helpers/redshift-local.js';

const root: QueryKeys = {accessKeyId: s3Keys.accessKeyId, secretAccessKey: s3Keys.secret};
const roleArn = 'arn:aws:iam::000000000000:role/unload-test';
let local: LocalAwsIdentities;

test.before(async () => {
	local = await startLocalAwsIdentities({iamRoleApplyMs: 100});
});

test.after.always(async () => {
	await local?.close();
});

async function iam(parameters: Record<string, string>): Promise<void> {
	const answer = await queryRequest(local.iam.url, {service: 'iam', region: 'us-east-1', keys: root, parameters: {Version: '2010-05-08', ...parameters}});
	if (answer.status !== 200) {
		throw new Error(`IAM ${parameters['Action']}: ${answer.body}`);
	}
}

async function modifyClusterIamRoles(parameters: Record<string, string>): Promise<void> {
	const answer = await queryRequest(local.management.url, {service: 'redshift', region: localRegion, keys: root, parameters: {Action: 'ModifyClusterIamRoles', Version: '2012-12-01', ClusterIdentifier: 'ferry-local', ...parameters}});
	if (answer.status !== 200) {
		throw new Error(`ModifyClusterIamRoles: ${answer.body}`);
	}
}

async function inSync(): Promise<void> {
	while (local.redshift.cluster.modifying) {
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

/** Object actions on the bucket's `prefix`, and s3:ListBucket on the bucket when listed. */
function policy(actions: string[], prefix: string): string {
	const objectActions = actions.filter(action => action !== 's3:ListBucket');
	return JSON.stringify({Version: '2012-10-17', Statement: [
		...(objectActions.length > 0 ? [{Effect: 'Allow', Action: objectActions, Resource: `arn:aws:s3:::${unloadBucket}/${prefix}*`}] : []),
		...(actions.includes('s3:ListBucket') ? [{Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${unloadBucket}`}] : []),
	]});
}

const trust = (service: string) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]});

/** Runs an UNLOAD through the Data API; resolves to Redshift's error text, or undefined when it finished. */
async function unload(prefix: string, role: string, options = ''): Promise<string | undefined> {
	const connection = local.connect();
	try {
		const {statementId} = await connection.execute(`UNLOAD ('select * from region') TO 's3://${unloadBucket}/${prefix}' IAM_ROLE ${role === 'default' ? 'default' : `'${role}'`} FORMAT AS PARQUET ${options}`);
		await connection.waitFor(statementId);
		return undefined;
	} catch (error) {
		if (error instanceof ServiceError) {
			return error.message;
		}

		throw error;
	} finally {
		await connection.close();
	}
}

test.serial('a role not associated with the cluster is refused, and works once ModifyClusterIamRoles has applied it', async t => {
	await iam({Action: 'CreateRole', RoleName: 'unload-test', AssumeRolePolicyDocument: trust('redshift.amazonaws.com')});
	await iam({Action: 'PutRolePolicy', RoleName: 'unload-test', PolicyName: 'write', PolicyDocument: policy(['s3:PutObject', 's3:DeleteObject', 's3:ListBucket'], 'identities/')});
	t.regex(await unload('identities/a/region_', roleArn) ?? '', /User arn:aws:redshift:ap-southeast-1:000000000000:dbuser:ferry-local\/awsuser is not authorized to assume IAM Role arn:aws:iam::000000000000:role\/unload-test$/);
	await modifyClusterIamRoles({'AddIamRoles.IamRoleArn.1': roleArn});
	// Still `adding`: not yet usable.
	t.regex(await unload('identities/a/region_', roleArn) ?? '', /is not authorized to assume IAM Role/);
	await inSync();
	t.is(await unload('identities/a/region_', roleArn), undefined);
	t.deepEqual((await local.objectStore.inventory(unloadBucket, 'identities/a/')).objects.map(object => object.key), ['identities/a/region_0000_part_00.parquet', 'identities/a/region_0001_part_00.parquet']);
});

test.serial('a role detached after it was checked fails the UNLOAD that runs afterwards', async t => {
	await modifyClusterIamRoles({'RemoveIamRoles.IamRoleArn.1': roleArn});
	t.regex(await unload('identities/b/region_', roleArn) ?? '', /is not authorized to assume IAM Role arn:aws:iam::000000000000:role\/unload-test/);
	await inSync();
	t.regex(await unload('identities/b/region_', roleArn) ?? '', /is not authorized to assume IAM Role/);
	await modifyClusterIamRoles({'AddIamRoles.IamRoleArn.1': roleArn});
	await inSync();
	t.is(await unload('identities/b/region_', roleArn), undefined);
});

test.serial('a trust policy that leaves Redshift out: "Not authorized to get credentials of role", until the trust is fixed', async t => {
	await iam({Action: 'UpdateAssumeRolePolicy', RoleName: 'unload-test', PolicyDocument: trust('glue.amazonaws.com')});
	t.regex(await unload('identities/c/region_', roleArn) ?? '', /Not authorized to get credentials of role arn:aws:iam::000000000000:role\/unload-test$/);
	await iam({Action: 'UpdateAssumeRolePolicy', RoleName: 'unload-test', PolicyDocument: trust('redshift.amazonaws.com')});
	t.is(await unload('identities/c/region_', roleArn), undefined);
});

test.serial('policies that do not allow the writes: S3ServiceException with S3\'s AccessDenied, for PutObject, ListBucket and CLEANPATH\'s DeleteObject', async t => {
	const denial = (action: string, resource: string) => new RegExp(`S3ServiceException:User: arn:aws:sts::000000000000:assumed-role/unload-test/RedshiftIamRoleSession is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action,Status 403,Error AccessDenied,Rid [0-9A-F]+,ExtRid \\S+,CanRetry 1$`);
	// Outside the prefix the policy names.
	t.regex(await unload('elsewhere/region_', roleArn) ?? '', /S3ServiceException:User: .* is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::ferry-unload\/elsewhere\/region_0000_part_00.parquet"/);
	await iam({Action: 'PutRolePolicy', RoleName: 'unload-test', PolicyName: 'write', PolicyDocument: policy(['s3:PutObject'], 'identities/')});
	t.regex(await unload('identities/d/region_', roleArn) ?? '', denial('s3:ListBucket', `arn:aws:s3:::${unloadBucket}`));
	await iam({Action: 'PutRolePolicy', RoleName: 'unload-test', PolicyName: 'write', PolicyDocument: policy(['s3:ListBucket'], 'identities/')});
	t.regex(await unload('identities/d/region_', roleArn) ?? '', denial('s3:PutObject', `arn:aws:s3:::${unloadBucket}/identities/d/region_0000_part_00.parquet`));
	await iam({Action: 'PutRolePolicy', RoleName: 'unload-test', PolicyName: 'write', PolicyDocument: policy(['s3:ListBucket', 's3:PutObject'], 'identities/')});
	t.is(await unload('identities/d/region_', roleArn), undefined);
	// A rerun with CLEANPATH deletes the files first, which needs s3:DeleteObject.
	t.regex(await unload('identities/d/region_', roleArn, 'CLEANPATH') ?? '', /S3ServiceException:Access Denied,Error AccessDenied/);
	await iam({Action: 'PutRolePolicy', RoleName: 'unload-test', PolicyName: 'write', PolicyDocument: policy(['s3:ListBucket', 's3:PutObject', 's3:DeleteObject'], 'identities/')});
	t.is(await unload('identities/d/region_', roleArn, 'CLEANPATH'), undefined);
});

test.serial('IAM_ROLE default is the cluster\'s DefaultIamRoleArn', async t => {
	t.is(await unload('identities/e/region_', 'default'), undefined, 'the seeded default');
	await modifyClusterIamRoles({'RemoveIamRoles.IamRoleArn.1': localUnloadRoleArn});
	t.regex(await unload('identities/f/region_', 'default') ?? '', /IAM_ROLE default was given, but the cluster ferry-local has no default IAM role/);
	await modifyClusterIamRoles({DefaultIamRoleArn: roleArn});
	t.is(await unload('identities/f/region_', 'default'), undefined);
});
