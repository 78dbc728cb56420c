/**
 * Alibaba Cloud's own SDKs, unchanged, against the local RAM, STS and OSS stand-ins: @alicloud/ram20150501 and
 * @alicloud/sts20150401 (generated clients on @alicloud/openapi-core, which sign with ACS3-HMAC-SHA256 by default),
 * @alicloud/pop-core (the legacy v1 signature) and ali-oss. A RAM user is created with a key, a role trusting the
 * account, a custom policy reading one prefix, attached; the user assumes the role and reads OSS with the STS keys,
 * and OSS refuses what the role may not do. The errors come back with RAM's and STS's codes.
 */
import test from 'ava';
import OSS from 'ali-oss';
import RPCClient from '@alicloud/pop-core';
import * as RamSdk from '@alicloud/ram20150501';
import * as StsSdk from '@alicloud/sts20150401';
import {loopbackAgent as createLoopbackAgent} from '../helpers/loopback-agent.js';
import {startLocalServices, type LocalServices} from '../helpers/local-services.js';

// The packages are CommonJS with the client as `exports.default`: from an ES module that is `default.default`.
const Ram = RamSdk.default.default;
const Sts = StsSdk.default.default;

type Keys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};
type SdkError = Error & {code?: string; statusCode?: number; data?: Record<string, unknown>};

const region = 'ap-southeast-1';
const bucket = 'ferry-ram-conformance';
const accountId = '1000000000000000';
let local: LocalServices;
const loopbackAgent = createLoopbackAgent();

test.before(async () => {
	local = await startLocalServices(['ram', 'alibaba-sts', 'oss']);
	const root = ossClient(rootKeys());
	await root.putBucket(bucket);
	await root.put('landing/orders/part-0.parquet', Buffer.from('PAR1 rows PAR1'));
	await root.put('private/secret.txt', Buffer.from('not for the role'));
});

test.after.always(async () => {
	loopbackAgent.destroy();
	await local?.close();
});

function rootKeys(): Keys {
	return {accessKeyId: local.credentials.alibaba.accessKeyId, accessKeySecret: local.credentials.alibaba.accessKeySecret};
}

/** The openapi-core Config fields the generated clients read; the endpoint is host:port, spoken over http. */
function config(keys: Keys, service: 'ram' | 'alibaba-sts') {
	return {
		accessKeyId: keys.accessKeyId,
		accessKeySecret: keys.accessKeySecret,
		...(keys.securityToken ? {securityToken: keys.securityToken} : {}),
		endpoint: new URL(local.url(service)).host,
		protocol: 'http',
		regionId: region,
	} as ConstructorParameters<typeof Ram>[0];
}

const ram = (keys: Keys = rootKeys()) => new Ram(config(keys, 'ram'));
const sts = (keys: Keys = rootKeys()) => new Sts(config(keys, 'alibaba-sts'));

function ossClient(keys: Keys) {
	// `agent` is an option of the SDK that its type definitions leave out.
	return new OSS({
		region: `oss-${region}`, endpoint: local.url('oss'), accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret,
		...(keys.securityToken ? {stsToken: keys.securityToken} : {}), bucket, authorizationV4: true, agent: loopbackAgent, timeout: 30_000,
	} as OSS.Options);
}

async function failure(t: {throwsAsync: (promise: Promise<unknown>) => Promise<unknown>}, promise: Promise<unknown>): Promise<SdkError> {
	return await t.throwsAsync(promise) as SdkError;
}

const trustAccount = JSON.stringify({Statement: [{Action: 'sts:AssumeRole', Effect: 'Allow', Principal: {RAM: [`acs:ram::${accountId}:root`]}}], Version: '1'});
const readLanding = JSON.stringify({
	Version: '1',
	Statement: [
		{Effect: 'Allow', Action: 'oss:ListObjects', Resource: `acs:oss:*:*:${bucket}`},
		{Effect: 'Allow', Action: 'oss:GetObject', Resource: `acs:oss:*:*:${bucket}/landing/*`},
	],
});

test.serial('a role, a policy, an attachment, a user with a key; the user assumes the role and reads OSS with STS keys', async t => {
	const created = await ram().createRole(new RamSdk.CreateRoleRequest({roleName: 'Ferry-Reader', assumeRolePolicyDocument: trustAccount, description: 'reads the landing prefix', maxSessionDuration: 7200}));
	t.like(created.body!.role, {roleName: 'Ferry-Reader', arn: `acs:ram::${accountId}:role/ferry-reader`, assumeRolePolicyDocument: trustAccount, maxSessionDuration: 7200});
	t.regex(created.body!.role?.roleId ?? '', /^\d{16}$/);
	t.regex(created.body!.role?.createDate ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	t.regex(created.body!.requestId ?? '', /^[\dA-F-]{36}$/);

	const policy = await ram().createPolicy(new RamSdk.CreatePolicyRequest({policyName: 'ferry-read-landing', policyDocument: readLanding, description: 'landing/ only'}));
	t.like(policy.body!.policy, {policyName: 'ferry-read-landing', policyType: 'Custom', defaultVersion: 'v1'});
	await ram().attachPolicyToRole(new RamSdk.AttachPolicyToRoleRequest({policyType: 'Custom', policyName: 'ferry-read-landing', roleName: 'ferry-reader'}));

	const attached = await ram().listPoliciesForRole(new RamSdk.ListPoliciesForRoleRequest({roleName: 'Ferry-Reader'}));
	t.deepEqual(attached.body!.policies?.policy?.map(item => [item.policyName, item.policyType, item.defaultVersion]), [['ferry-read-landing', 'Custom', 'v1']]);
	const version = await ram().getPolicyVersion(new RamSdk.GetPolicyVersionRequest({policyName: 'ferry-read-landing', policyType: 'Custom', versionId: 'v1'}));
	t.like(version.body!.policyVersion, {versionId: 'v1', isDefaultVersion: true, policyDocument: readLanding});
	const got = await ram().getRole(new RamSdk.GetRoleRequest({roleName: 'ferry-reader'}));
	t.like(got.body!.role, {roleName: 'Ferry-Reader', assumeRolePolicyDocument: trustAccount});

	const user = await ram().createUser(new RamSdk.CreateUserRequest({userName: 'conformance-user', displayName: 'Conformance', comments: 'SDK test'}));
	t.like(user.body!.user, {userName: 'conformance-user', displayName: 'Conformance', comments: 'SDK test'});
	const key = await ram().createAccessKey(new RamSdk.CreateAccessKeyRequest({userName: 'conformance-user'}));
	t.like(key.body!.accessKey, {status: 'Active'});
	const userKeys: Keys = {accessKeyId: key.body!.accessKey!.accessKeyId!, accessKeySecret: key.body!.accessKey!.accessKeySecret!};
	const listedKeys = await ram().listAccessKeys(new RamSdk.ListAccessKeysRequest({userName: 'conformance-user'}));
	t.deepEqual(listedKeys.body!.accessKeys?.accessKey?.map(item => item.accessKeyId), [userKeys.accessKeyId]);
	t.is((listedKeys.body!.accessKeys?.accessKey?.[0] as Record<string, unknown>)['accessKeySecret'], undefined, 'a listed key shows no secret');

	// Without sts:AssumeRole the user may not assume the role although the role trusts the account.
	const unallowed = await failure(t, sts(userKeys).assumeRole(new StsSdk.AssumeRoleRequest({roleArn: `acs:ram::${accountId}:role/ferry-reader`, roleSessionName: 'conformance'})));
	t.is(unallowed.code, 'NoPermission');
	t.is(unallowed.statusCode, 403);
	t.regex(unallowed.message, /You are not authorized to do this action\. You should be authorized by RAM\./);

	await ram().attachPolicyToUser(new RamSdk.AttachPolicyToUserRequest({policyType: 'System', policyName: 'AliyunSTSAssumeRoleAccess', userName: 'conformance-user'}));
	const userPolicies = await ram().listPoliciesForUser(new RamSdk.ListPoliciesForUserRequest({userName: 'conformance-user'}));
	t.deepEqual(userPolicies.body!.policies?.policy?.map(item => item.policyName), ['AliyunSTSAssumeRoleAccess']);

	const me = await sts(userKeys).getCallerIdentity();
	t.like(me.body, {accountId, identityType: 'RAMUser', arn: `acs:ram::${accountId}:user/conformance-user`, userId: user.body!.user?.userId});

	const assumed = await sts(userKeys).assumeRole(new StsSdk.AssumeRoleRequest({roleArn: `acs:ram::${accountId}:role/ferry-reader`, roleSessionName: 'conformance', durationSeconds: 900}));
	const credentials = assumed.body!.credentials!;
	t.regex(credentials.accessKeyId ?? '', /^STS\.\w+$/);
	t.true((credentials.securityToken ?? '').length > 100);
	t.true(Math.abs(Date.parse(credentials.expiration ?? '') - (Date.now() + 900_000)) < 60_000);
	t.like(assumed.body!.assumedRoleUser, {arn: `acs:ram::${accountId}:role/ferry-reader/conformance`, assumedRoleId: `${created.body!.role?.roleId}:conformance`});

	const session: Keys = {accessKeyId: credentials.accessKeyId!, accessKeySecret: credentials.accessKeySecret!, securityToken: credentials.securityToken!};
	const who = await sts(session).getCallerIdentity();
	t.like(who.body, {accountId, identityType: 'AssumedRoleUser', roleId: created.body!.role?.roleId, principalId: `${created.body!.role?.roleId}:conformance`});

	const oss = ossClient(session);
	const object = await oss.get('landing/orders/part-0.parquet');
	t.is((object.content as Buffer).toString(), 'PAR1 rows PAR1');
	const listed = await oss.listV2({prefix: 'landing/'});
	t.deepEqual(listed.objects.map(item => item.name), ['landing/orders/part-0.parquet']);

	const outside = await failure(t, oss.get('private/secret.txt'));
	t.is(outside.code, 'AccessDenied');
	t.is((outside as SdkError & {status?: number}).status, 403);
	const write = await failure(t, oss.put('landing/new.txt', Buffer.from('x')));
	t.is(write.code, 'AccessDenied');

	const tokenless = await failure(t, ossClient({accessKeyId: session.accessKeyId, accessKeySecret: session.accessKeySecret}).get('landing/orders/part-0.parquet'));
	t.is(tokenless.code, 'InvalidAccessKeyId');
});

test.serial('the legacy v1 signature (pop-core) reaches RAM and STS too', async t => {
	const keys = rootKeys();
	const ramRpc = new RPCClient({accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret, endpoint: local.url('ram'), apiVersion: '2015-05-01'});
	const role = await ramRpc.request<{Role: Record<string, unknown>}>('GetRole', {RoleName: 'AliyunODPSDefaultRole'}, {method: 'POST'});
	t.like(role.Role, {RoleName: 'AliyunODPSDefaultRole', Arn: `acs:ram::${accountId}:role/aliyunodpsdefaultrole`});
	t.regex(String(role.Role['AssumeRolePolicyDocument']), /odps\.aliyuncs\.com/);

	const system = await ramRpc.request<{Policies: {Policy: Array<Record<string, unknown>>}; IsTruncated: boolean}>('ListPolicies', {PolicyType: 'System', MaxItems: 100}, {method: 'GET'});
	t.false(system.IsTruncated);
	t.true(['AliyunOSSReadOnlyAccess', 'AliyunOSSFullAccess', 'AliyunMGWFullAccess', 'AliyunODPSRolePolicy'].every(name => system.Policies.Policy.some(policy => policy['PolicyName'] === name)));
	const readOnly = await ramRpc.request<{DefaultPolicyVersion: {PolicyDocument: string}}>('GetPolicy', {PolicyName: 'AliyunOSSReadOnlyAccess', PolicyType: 'System'}, {method: 'POST'});
	t.deepEqual(JSON.parse(readOnly.DefaultPolicyVersion.PolicyDocument).Statement[0].Action, ['oss:Get*', 'oss:List*']);

	const stsRpc = new RPCClient({accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret, endpoint: local.url('alibaba-sts'), apiVersion: '2015-04-01'});
	t.like(await stsRpc.request('GetCallerIdentity', {}, {method: 'POST'}), {AccountId: accountId, IdentityType: 'Account', Arn: `acs:ram::${accountId}:root`});
	const rootAssume = await failure(t, stsRpc.request('AssumeRole', {RoleArn: `acs:ram::${accountId}:role/aliyunodpsdefaultrole`, RoleSessionName: 'root'}, {method: 'POST'}));
	t.is(rootAssume.code, 'NoPermission');
	t.regex(rootAssume.message, /Roles may not be assumed by root accounts/);
});

test.serial('errors: RAM and STS codes, statuses and messages', async t => {
	const duplicate = await failure(t, ram().createRole(new RamSdk.CreateRoleRequest({roleName: 'FERRY-READER', assumeRolePolicyDocument: trustAccount})));
	t.like(duplicate, {code: 'EntityAlreadyExists.Role', statusCode: 409});

	const missing = await failure(t, ram().getRole(new RamSdk.GetRoleRequest({roleName: 'no-such-role'})));
	t.like(missing, {code: 'EntityNotExist.Role', statusCode: 404});
	t.regex(missing.message, /The role does not exist\./);

	const chars = await failure(t, ram().createRole(new RamSdk.CreateRoleRequest({roleName: 'bad_name', assumeRolePolicyDocument: trustAccount})));
	t.like(chars, {code: 'InvalidParameter.RoleName.InvalidChars', statusCode: 400});
	const long = await failure(t, ram().createRole(new RamSdk.CreateRoleRequest({roleName: 'r'.repeat(65), assumeRolePolicyDocument: trustAccount})));
	t.is(long.code, 'InvalidParameter.RoleName.Length');

	const malformed = await failure(t, ram().createPolicy(new RamSdk.CreatePolicyRequest({policyName: 'broken', policyDocument: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject"}]}'})));
	t.like(malformed, {code: 'MalformedPolicyDocument', statusCode: 400});
	const trustWithResource = await failure(t, ram().createRole(new RamSdk.CreateRoleRequest({roleName: 'odd', assumeRolePolicyDocument: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Principal":{"Service":["odps.aliyuncs.com"]}}]}'})));
	t.is(trustWithResource.code, 'MalformedPolicyDocument');

	const noPolicy = await failure(t, ram().attachPolicyToRole(new RamSdk.AttachPolicyToRoleRequest({policyType: 'Custom', policyName: 'no-such-policy', roleName: 'ferry-reader'})));
	t.like(noPolicy, {code: 'EntityNotExist.Policy', statusCode: 404});
	const again = await failure(t, ram().attachPolicyToRole(new RamSdk.AttachPolicyToRoleRequest({policyType: 'Custom', policyName: 'ferry-read-landing', roleName: 'ferry-reader'})));
	t.like(again, {code: 'EntityAlreadyExists.Role.Policy', statusCode: 409});
	const type = await failure(t, ram().getPolicy(new RamSdk.GetPolicyRequest({policyName: 'ferry-read-landing', policyType: 'Managed'})));
	t.is(type.code, 'InvalidParameter.PolicyType');
	const conflict = await failure(t, ram().deleteRole(new RamSdk.DeleteRoleRequest({roleName: 'ferry-reader'})));
	t.like(conflict, {code: 'DeleteConflict.Role.Policy', statusCode: 409});

	await ram().detachPolicyFromRole(new RamSdk.DetachPolicyFromRoleRequest({policyType: 'Custom', policyName: 'ferry-read-landing', roleName: 'ferry-reader'}));
	const updated = await ram().updateRole(new RamSdk.UpdateRoleRequest({roleName: 'ferry-reader', newDescription: 'no longer trusted', newAssumeRolePolicyDocument: JSON.stringify({Statement: [{Action: 'sts:AssumeRole', Effect: 'Allow', Principal: {Service: ['ecs.aliyuncs.com']}}], Version: '1'})}));
	t.like(updated.body!.role, {description: 'no longer trusted'});

	// The user (AliyunSTSAssumeRoleAccess) is no longer trusted by the role.
	const keys = await ram().createAccessKey(new RamSdk.CreateAccessKeyRequest({userName: 'conformance-user'}));
	const userKeys = {accessKeyId: keys.body!.accessKey!.accessKeyId!, accessKeySecret: keys.body!.accessKey!.accessKeySecret!};
	const untrusted = await failure(t, sts(userKeys).assumeRole(new StsSdk.AssumeRoleRequest({roleArn: `acs:ram::${accountId}:role/ferry-reader`, roleSessionName: 'conformance'})));
	t.like(untrusted, {code: 'NoPermission', statusCode: 403});
	t.regex(untrusted.message, /the specified role does not trust you/);
	const unknownRole = await failure(t, sts(userKeys).assumeRole(new StsSdk.AssumeRoleRequest({roleArn: `acs:ram::${accountId}:role/no-such-role`, roleSessionName: 'conformance'})));
	t.like(unknownRole, {code: 'EntityNotExist.Role', statusCode: 404});
	const badArn = await failure(t, sts(userKeys).assumeRole(new StsSdk.AssumeRoleRequest({roleArn: 'ferry-reader', roleSessionName: 'conformance'})));
	t.is(badArn.code, 'InvalidParameter.RoleArn');
	const badSession = await failure(t, sts(userKeys).assumeRole(new StsSdk.AssumeRoleRequest({roleArn: `acs:ram::${accountId}:role/ferry-reader`, roleSessionName: 'x'})));
	t.is(badSession.code, 'InvalidParameter.RoleSessionName');
	const third = await failure(t, ram().createAccessKey(new RamSdk.CreateAccessKeyRequest({userName: 'conformance-user'})));
	t.like(third, {code: 'LimitExceeded.User.AccessKey', statusCode: 409});

	// A RAM user without RAM permissions may not manage RAM.
	const denied = await failure(t, ram(userKeys).listRoles(new RamSdk.ListRolesRequest({})));
	t.like(denied, {code: 'NoPermission', statusCode: 403});

	const wrongSecret = await failure(t, ram({...rootKeys(), accessKeySecret: 'not-the-secret'}).listRoles(new RamSdk.ListRolesRequest({})));
	t.like(wrongSecret, {code: 'SignatureDoesNotMatch', statusCode: 400});
	t.notRegex(wrongSecret.message, new RegExp(rootKeys().accessKeySecret.replaceAll(/[+/=]/g, '.')));
});
