import {mkdtemp, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {localLandingBucket, localMigrationRoleName, localRamRoleName} from '../../source/contract.js';
import {IdentityError} from '../../source/identity/alibaba.js';
import {RamAccount} from '../../source/ram/account.js';
import {localLoadPolicyName, localMigrationPolicyName, localMigrationUserName, seedIdentities, trustPolicyFor} from '../../source/ram/seed.js';

const accountId = '1000000000000000';
const rootKeys = {accessKeyId: 'LTAIrootkey000001', accessKeySecret: 'root-secret'};
const landingObject = `acs:oss:oss-ap-southeast-1:${accountId}:${localLandingBucket}/unload_from_redshift/orders/part-0.parquet`;

async function withAccount(run: (account: RamAccount, dataDir: string, clock: {now: number}) => Promise<void> | void): Promise<void> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-ram-account-'));
	const clock = {now: Date.parse('2026-12-07T10:00:00Z')};
	try {
		await run(RamAccount.open({dataDir, accountId, rootKeys, now: () => clock.now}).account, dataDir, clock);
	} finally {
		await rm(dataDir, {recursive: true, force: true});
	}
}

test('configured: the LOAD role trusts MaxCompute and reads only the landing bucket; the migration role trusts the migration service and writes it', async t => {
	await withAccount(account => {
		seedIdentities(account, 'configured');
		const load = account.assumeRoleAsService({roleArn: `acs:ram::${accountId}:role/${localRamRoleName.toLowerCase()}`, service: 'odps.aliyuncs.com', sessionName: 'odps'});
		const loadKey = account.keyOf(load.credentials.accessKeyId)!;
		t.is(account.authorize(loadKey.principal, 'oss:GetObject', landingObject).decision, 'allowed');
		t.is(account.authorize(loadKey.principal, 'oss:PutObject', landingObject).decision, 'implicitDeny', 'LOAD\'s role only reads');
		t.is(account.authorize(loadKey.principal, 'oss:GetObject', `acs:oss:oss-ap-southeast-1:${accountId}:other-bucket/x`).decision, 'implicitDeny');
		t.throws(() => account.assumeRoleAsService({roleArn: `acs:ram::${accountId}:role/${localRamRoleName}`, service: 'mgw.aliyuncs.com', sessionName: 'mgw'}), {instanceOf: IdentityError, message: /does not trust you/});

		const migration = account.assumeRoleAsService({roleArn: `acs:ram::${accountId}:role/${localMigrationRoleName}`, service: 'mgw.aliyuncs.com', sessionName: 'mgw'});
		t.is(account.authorize(account.keyOf(migration.credentials.accessKeyId)!.principal, 'oss:PutObject', landingObject).decision, 'allowed');
		t.deepEqual(account.policiesForRole(localMigrationRoleName).map(policy => policy.policyName), [localMigrationPolicyName]);
		t.deepEqual(account.policiesForRole(localRamRoleName).map(policy => policy.policyName), [localLoadPolicyName]);
		t.deepEqual(account.policiesForUser(localMigrationUserName).map(policy => policy.policyName), ['AliyunOSSFullAccess', 'AliyunMGWFullAccess']);
	});
});

test('missing: no role, no custom policy, no user; the system policies are there', async t => {
	await withAccount(account => {
		seedIdentities(account, 'missing');
		t.deepEqual(account.listRoles(), []);
		t.deepEqual(account.listUsers(), []);
		t.deepEqual(account.listPolicies('Custom'), []);
		t.true(account.listPolicies('System').some(policy => policy.policyName === 'AliyunODPSRolePolicy'));
		t.throws(() => account.assumeRoleAsService({roleArn: `acs:ram::${accountId}:role/aliyunodpsdefaultrole`, service: 'odps.aliyuncs.com', sessionName: 'odps'}), {message: 'The specified Role not exists.'});
	});
});

test('the account is kept in a 0600 file across a reopen, sessions included; an STS key expires, and a session policy only narrows', async t => {
	await withAccount(async (account, dataDir, clock) => {
		account.createRole({roleName: 'Reader', assumeRolePolicyDocument: trustPolicyFor('odps.aliyuncs.com'), maxSessionDuration: 7200});
		account.attachPolicyToRole('reader', 'AliyunOSSReadOnlyAccess', 'System');
		const assumed = account.assumeRoleAsService({roleArn: `acs:ram::${accountId}:role/reader`, service: 'odps.aliyuncs.com', sessionName: 'odps', durationSeconds: 900});
		t.is(assumed.credentials.expiration, '2026-12-07T10:15:00Z');
		t.is((await stat(path.join(dataDir, 'account.json'))).mode & 0o777, 0o600);

		const reopened = RamAccount.open({dataDir, accountId, rootKeys, now: () => clock.now});
		t.false(reopened.fresh);
		const key = reopened.account.keyOf(assumed.credentials.accessKeyId)!;
		t.like(key.principal, {kind: 'assumed-role', roleName: 'Reader', arn: `acs:ram::${accountId}:assumed-role/reader/odps`});
		t.false(reopened.account.isExpired(key));
		clock.now += 901_000;
		t.true(reopened.account.isExpired(key));

		const user = reopened.account.createUser({userName: 'alice'});
		reopened.account.attachPolicyToUser('alice', 'AliyunSTSAssumeRoleAccess', 'System');
		reopened.account.updateRole('reader', {assumeRolePolicyDocument: JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: 'sts:AssumeRole', Principal: {RAM: [`acs:ram::${accountId}:user/alice`]}}]})});
		const caller = {kind: 'user' as const, accountId, userId: user.userId, userName: 'alice', arn: `acs:ram::${accountId}:user/alice`};
		const narrowed = reopened.account.assumeRole(caller, {roleArn: `acs:ram::${accountId}:role/reader`, sessionName: 'alice', policy: JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: 'oss:GetObject', Resource: 'acs:oss:*:*:only-this/*'}]})});
		const session = reopened.account.keyOf(narrowed.credentials.accessKeyId)!.principal;
		t.is(reopened.account.authorize(session, 'oss:GetObject', `acs:oss:oss-ap-southeast-1:${accountId}:only-this/a`).decision, 'allowed');
		t.is(reopened.account.authorize(session, 'oss:GetObject', `acs:oss:oss-ap-southeast-1:${accountId}:elsewhere/a`).decision, 'implicitDeny', 'the session policy narrows the role');
		t.is(reopened.account.authorize(session, 'oss:PutObject', `acs:oss:oss-ap-southeast-1:${accountId}:only-this/a`).decision, 'implicitDeny', 'and never widens it');
		t.throws(() => reopened.account.assumeRole(caller, {roleArn: `acs:ram::${accountId}:role/reader`, sessionName: 'alice', durationSeconds: 7201}), {message: 'The Min/Max value of DurationSeconds is 15min/1hr.'});
	});
});

test('RAM\'s entity errors: duplicates, missing entities, attachments, delete conflicts and limits', async t => {
	await withAccount(account => {
		account.createRole({roleName: 'Dup', assumeRolePolicyDocument: trustPolicyFor('odps.aliyuncs.com')});
		t.throws(() => account.createRole({roleName: 'dup', assumeRolePolicyDocument: trustPolicyFor('odps.aliyuncs.com')}), {message: 'The role does already EXIST.'});
		t.throws(() => account.createRole({roleName: 'trustless', assumeRolePolicyDocument: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":{"Service":["odps.aliyuncs.com"]}}]}'}), {instanceOf: IdentityError, message: /AssumeRole policy may only specify STS AssumeRole actions/});
		t.throws(() => account.attachPolicyToRole('nobody', 'AliyunOSSFullAccess', 'System'), {message: 'The role does not exist.'});
		t.throws(() => account.attachPolicyToRole('dup', 'NoSuchPolicy', 'System'), {message: 'The policy does not exist.'});
		account.attachPolicyToRole('dup', 'AliyunOSSFullAccess', 'System');
		t.throws(() => account.deleteRole('dup'), {message: 'The role CAN NOT has any attached policy while deleting the role.'});
		t.throws(() => account.detachPolicyFromRole('dup', 'AliyunOSSReadOnlyAccess', 'System'), {message: 'The indicate policy of the role does not exist.'});
		account.createUser({userName: 'bob'});
		account.createAccessKey('bob');
		account.createAccessKey('bob');
		t.throws(() => account.createAccessKey('bob'), {message: 'The access key count of the user access keys beyond the current limits.'});
		for (let index = 0; index < 5; index++) {
			account.createPolicy({policyName: `p${index}`, policyDocument: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"*"}]}'});
			account.attachPolicyToRole('dup', `p${index}`, 'Custom');
		}

		account.createPolicy({policyName: 'p5', policyDocument: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"*"}]}'});
		t.throws(() => account.attachPolicyToRole('dup', 'p5', 'Custom'), {message: 'The count of policies attached to the role beyond the current limits.'});
		t.throws(() => account.deletePolicy('p0'), {message: /CAN NOT been attached to any role/});
		const version = account.createPolicyVersion('p5', '{"Version":"1","Statement":[{"Effect":"Deny","Action":"oss:GetObject","Resource":"*"}]}', true);
		t.is(version.versionId, 'v2');
		t.is(account.policy('p5', 'Custom').defaultVersion, 'v2');
		t.throws(() => account.deletePolicyVersion('p5', 'v2'), {message: 'The default policy version CAN NOT been deleted directly.'});
	});
});
