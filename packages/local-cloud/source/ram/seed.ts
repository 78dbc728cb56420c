/**
 * What a fresh local Alibaba Cloud account holds. `configured`: every identity the procedures set up by hand, so they
 * run with no typing — the role MaxCompute assumes for LOAD (redshift-to-maxcompute Step 3.2, MaxCompute "STS
 * authorization": trusted by odps.aliyuncs.com, OSS read on the landing bucket), the role Data Online Migration
 * assumes to write the landing bucket (its "Preparations": a normal service role of the Online Migration service,
 * lower-case name, List/Get/Put on the destination bucket), and Step 2.2's RAM user with AliyunOSSFullAccess and
 * AliyunMGWFullAccess. `missing`: none of them, as a new account is (the system policies are always there).
 */
import {localLandingBucket, localMigrationRoleName, localRamRoleName, type IdentitiesSeed} from '../contract.js';
import {maxComputePrincipal} from '../maxcompute/oss-reader.js';
import {migrationServicePrincipal} from '../online-migration/runner.js';
import type {RamAccount} from './account.js';

export const localLoadPolicyName = 'ferry-local-landing-read';
export const localMigrationPolicyName = 'ferry-local-landing-write';
export const localMigrationUserName = 'ferry-migration';

export function trustPolicyFor(service: string): string {
	return JSON.stringify({Statement: [{Action: 'sts:AssumeRole', Effect: 'Allow', Principal: {Service: [service]}}], Version: '1'}, undefined, 2);
}

function bucketPolicy(actions: readonly string[], bucket: string): string {
	return JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: actions, Resource: [`acs:oss:*:*:${bucket}`, `acs:oss:*:*:${bucket}/*`]}]}, undefined, 2);
}

export function seedIdentities(account: RamAccount, seed: IdentitiesSeed): void {
	if (seed === 'missing') {
		return;
	}

	account.createRole({roleName: localRamRoleName, description: 'MaxCompute reads OSS with this role (LOAD, external tables).', assumeRolePolicyDocument: trustPolicyFor(maxComputePrincipal)});
	account.createPolicy({policyName: localLoadPolicyName, description: `Read the landing bucket ${localLandingBucket}.`, policyDocument: bucketPolicy(['oss:ListObjects', 'oss:GetObject'], localLandingBucket)});
	account.attachPolicyToRole(localRamRoleName, localLoadPolicyName, 'Custom');

	account.createRole({roleName: localMigrationRoleName, description: 'Data Online Migration writes the landing bucket with this role.', assumeRolePolicyDocument: trustPolicyFor(migrationServicePrincipal)});
	account.createPolicy({policyName: localMigrationPolicyName, description: `Migrate into the landing bucket ${localLandingBucket}.`, policyDocument: bucketPolicy(['oss:List*', 'oss:Get*', 'oss:Put*', 'oss:AbortMultipartUpload'], localLandingBucket)});
	account.attachPolicyToRole(localMigrationRoleName, localMigrationPolicyName, 'Custom');

	account.createUser({userName: localMigrationUserName, displayName: localMigrationUserName, comments: 'Runs the S3 → OSS migration (redshift-to-maxcompute Step 2.2).'});
	account.attachPolicyToUser(localMigrationUserName, 'AliyunOSSFullAccess', 'System');
	account.attachPolicyToUser(localMigrationUserName, 'AliyunMGWFullAccess', 'System');
}
