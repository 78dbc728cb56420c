/**
 * The IAM and STS stand-ins on the wire: the query protocol's XML (namespace, RequestId, URL-encoded policy
 * documents), IAM's errors and limits, the signature and session-token checks, callers authorized by their
 * policies, and S3 accepting a role session only with its token.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {ListBucketsCommand, S3Client} from '@aws-sdk/client-s3';
import test from 'ava';
import {localAwsAccountId, localRegion, type StandInHandle} from '../../source/contract.js';
import {AwsAccount} from '../../source/iam/account.js';
import {localSeedRoles} from '../../source/iam/seed.js';
import {iamLimits, startIamStandIn} from '../../source/iam/server.js';
import {startObjectStoreStandIn} from '../../source/object-store/server.js';
import {startStsStandIn} from '../../source/sts/server.js';
import {queryRequest, xmlValue, type QueryKeys} from '../helpers/query-request.js';

const root: QueryKeys = {accessKeyId: 'AKIAFERRYIAMROOT0001', secretAccessKey: 'iam-root-secret-0123456789abcdefghijklmn'};
let dataDir: string;
let account: AwsAccount;
let iam: StandInHandle;
let sts: StandInHandle;
let s3: StandInHandle;

test.before(async () => {
	dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-iam-test-'));
	account = AwsAccount.open({dataDir: path.join(dataDir, 'iam'), accountId: localAwsAccountId, rootKeys: root, seed: 'configured', seedRoles: localSeedRoles});
	iam = await startIamStandIn({account});
	sts = await startStsStandIn({account, region: localRegion});
	s3 = await startObjectStoreStandIn({flavor: 's3', dataDir: path.join(dataDir, 's3'), region: localRegion, credentials: {accessKeyId: root.accessKeyId, secret: root.secretAccessKey}, account});
});

test.after.always(async () => {
	await Promise.all([iam?.close(), sts?.close(), s3?.close()]);
	await rm(dataDir, {recursive: true, force: true});
});

const callIam = async (parameters: Record<string, string>, keys: QueryKeys | 'unsigned' = root) => queryRequest(iam.url, {service: 'iam', region: 'us-east-1', ...(keys === 'unsigned' ? {} : {keys}), parameters: {Version: '2010-05-08', ...parameters}});
const callSts = async (parameters: Record<string, string>, keys: QueryKeys = root) => queryRequest(sts.url, {service: 'sts', region: localRegion, keys, parameters: {Version: '2011-06-15', ...parameters}});
const trust = (principal: unknown) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole'}]});

test.serial('answers in IAM\'s namespace with a RequestId, and policy documents URL-encoded as IAM returns them', async t => {
	const document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/a b+c"}]}';
	const created = await callIam({Action: 'CreateRole', RoleName: 'wire', AssumeRolePolicyDocument: trust({Service: 'redshift.amazonaws.com'})});
	t.is(created.status, 200);
	t.regex(created.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<CreateRoleResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><CreateRoleResult><Role><Path>\/<\/Path><RoleName>wire<\/RoleName>/);
	t.regex(created.body, /<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/CreateRoleResponse>$/);
	t.is((await callIam({Action: 'PutRolePolicy', RoleName: 'wire', PolicyName: 'read', PolicyDocument: document})).status, 200);
	const got = await callIam({Action: 'GetRolePolicy', RoleName: 'wire', PolicyName: 'read'});
	t.is(xmlValue(got.body, 'PolicyDocument'), encodeURIComponent(document));
	t.is(decodeURIComponent(xmlValue(got.body, 'PolicyDocument')!), document);
	const seeded = await callIam({Action: 'GetRole', RoleName: 'ferry-local-unload'});
	t.regex(decodeURIComponent(xmlValue(seeded.body, 'AssumeRolePolicyDocument')!), /"Service": "redshift.amazonaws.com"/);
	t.regex(seeded.body, /<RoleLastUsed><\/RoleLastUsed>/);
});

test.serial('errors come as <ErrorResponse> with Type, Code, Message and the RequestId', async t => {
	const missing = await callIam({Action: 'GetRole', RoleName: 'nobody'});
	t.is(missing.status, 404);
	t.regex(missing.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code><Message>The role with name nobody cannot be found.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
	t.like(await callIam({Action: 'GetRolePolicy', RoleName: 'wire', PolicyName: 'none'}), {status: 404});
	t.regex((await callIam({Action: 'NoSuchAction'})).body, /<Code>InvalidAction<\/Code><Message>The action NoSuchAction is not valid for this web service.<\/Message>/);
	t.regex((await callIam({Action: 'ListRoles', Version: '2010-05-09'})).body, /<Code>InvalidAction<\/Code>/);
	t.regex((await callIam({Action: 'GetRole'})).body, /<Code>ValidationError<\/Code><Message>1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null<\/Message>/);
});

test.serial('names, paths and sizes as IAM documents them', async t => {
	const create = (fields: Record<string, string>) => callIam({Action: 'CreateRole', AssumeRolePolicyDocument: trust({Service: 'redshift.amazonaws.com'}), ...fields});
	t.regex((await create({RoleName: 'r'.repeat(65)})).body, /Member must have length less than or equal to 64/);
	t.is((await create({RoleName: 'r'.repeat(64)})).status, 200);
	t.regex((await create({RoleName: 'bad name'})).body, /Member must satisfy regular expression pattern: \[\\w\+=,.@-\]\+/);
	t.regex((await create({RoleName: 'pathless', Path: 'team/'})).body, /<Code>ValidationError<\/Code>.*at 'path'/);
	t.is((await create({RoleName: 'pathed', Path: '/team/a/'})).status, 200);
	const again = await create({RoleName: 'WIRE'});
	t.is(again.status, 409);
	t.regex(again.body, /<Code>EntityAlreadyExists<\/Code><Message>Role with name WIRE already exists.<\/Message>/);
	const longTrust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: Array.from({length: 100}, (_, index) => `service${index}.amazonaws.com`)}, Action: 'sts:AssumeRole'}]});
	t.regex((await create({RoleName: 'big-trust', AssumeRolePolicyDocument: longTrust})).body, new RegExp(`<Code>LimitExceeded</Code><Message>Cannot exceed quota for ACLSizePerRole: ${iamLimits.trustPolicyChars}</Message>`));
	t.regex((await create({RoleName: 'ghost', AssumeRolePolicyDocument: trust({AWS: 'arn:aws:iam::000000000000:role/ghost'})})).body, /<Code>MalformedPolicyDocument<\/Code><Message>Invalid principal in policy: "AWS":"arn:aws:iam::000000000000:role\/ghost"<\/Message>/);
	t.regex((await create({RoleName: 'resource', AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*'}]})})).body, /Has prohibited field Resource/);

	// Inline policies add up to 10,240 characters per role, white space not counted.
	const statement = (index: number) => ({Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${index}/${'k'.repeat(60)}`});
	const sized = JSON.stringify({Version: '2012-10-17', Statement: Array.from({length: 35}, (_, index) => statement(index))}, undefined, 8);
	t.true(sized.length > 5120 && sized.replaceAll(/\s/g, '').length < 5120, 'white space would push it over half the limit');
	t.is((await callIam({Action: 'PutRolePolicy', RoleName: 'wire', PolicyName: 'one', PolicyDocument: sized})).status, 200);
	t.is((await callIam({Action: 'PutRolePolicy', RoleName: 'wire', PolicyName: 'two', PolicyDocument: sized})).status, 200);
	t.regex((await callIam({Action: 'PutRolePolicy', RoleName: 'wire', PolicyName: 'three', PolicyDocument: sized})).body, /<Code>LimitExceeded<\/Code><Message>Maximum policy size of 10240 bytes exceeded for role wire<\/Message>/);

	for (let index = 0; index < iamLimits.attachedPerEntity; index++) {
		await callIam({Action: 'CreatePolicy', PolicyName: `p${index}`, PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [statement(index)]})});
		t.is((await callIam({Action: 'AttachRolePolicy', RoleName: 'wire', PolicyArn: `arn:aws:iam::000000000000:policy/p${index}`})).status, 200);
	}

	await callIam({Action: 'CreatePolicy', PolicyName: 'p10', PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [statement(10)]})});
	t.regex((await callIam({Action: 'AttachRolePolicy', RoleName: 'wire', PolicyArn: 'arn:aws:iam::000000000000:policy/p10'})).body, /Cannot exceed quota for PoliciesPerRole: 10/);
	t.regex((await callIam({Action: 'AttachRolePolicy', RoleName: 'wire', PolicyArn: 'arn:aws:iam::000000000000:policy/none'})).body, /<Code>NoSuchEntity<\/Code><Message>Policy arn:aws:iam::000000000000:policy\/none does not exist or is not attachable.<\/Message>/);
	t.is((await callIam({Action: 'DeleteRole', RoleName: 'pathed'})).status, 200);
	for (const name of ['one', 'two']) {
		await callIam({Action: 'DeleteRolePolicy', RoleName: 'wire', PolicyName: name});
	}

	await callIam({Action: 'DeleteRolePolicy', RoleName: 'wire', PolicyName: 'read'});
	t.regex((await callIam({Action: 'DeleteRole', RoleName: 'wire'})).body, /<Code>DeleteConflict<\/Code><Message>Cannot delete entity, must detach all policies first.<\/Message>/);
});

let bob: QueryKeys;

test.serial('an IAM user\'s keys: at most two, authorized by the user\'s policies, and GetUser of the caller', async t => {
	await callIam({Action: 'CreateUser', UserName: 'bob'});
	const first = await callIam({Action: 'CreateAccessKey', UserName: 'bob'});
	bob = {accessKeyId: xmlValue(first.body, 'AccessKeyId')!, secretAccessKey: xmlValue(first.body, 'SecretAccessKey')!};
	await callIam({Action: 'CreateAccessKey', UserName: 'bob'});
	t.regex((await callIam({Action: 'CreateAccessKey', UserName: 'bob'})).body, /Cannot exceed quota for AccessKeysPerUser: 2/);
	t.regex((await callIam({Action: 'GetUser'}, bob)).body, /<Code>AccessDenied<\/Code><Message>User: arn:aws:iam::000000000000:user\/bob is not authorized to perform: iam:GetUser on resource: arn:aws:iam::000000000000:user\/bob/);
	const denied = await callIam({Action: 'CreateRole', RoleName: 'bobs', AssumeRolePolicyDocument: trust({Service: 'redshift.amazonaws.com'})}, bob);
	t.is(denied.status, 403);
	t.regex(denied.body, /<Code>AccessDenied<\/Code><Message>User: arn:aws:iam::000000000000:user\/bob is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role\/bobs because no identity-based policy allows the iam:CreateRole action<\/Message>/);
	await callIam({Action: 'PutUserPolicy', UserName: 'bob', PolicyName: 'roles', PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [
		{Effect: 'Allow', Action: ['iam:CreateRole', 'iam:GetRole'], Resource: 'arn:aws:iam::000000000000:role/bob-*'},
		{Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*'},
		{Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::000000000000:user/${aws:username}'},
	]})});
	t.is(xmlValue((await callIam({Action: 'GetUser'}, bob)).body, 'Arn'), 'arn:aws:iam::000000000000:user/bob');
	t.is((await callIam({Action: 'CreateRole', RoleName: 'bob-unload', AssumeRolePolicyDocument: trust({AWS: '000000000000'})}, bob)).status, 200);
	t.is((await callIam({Action: 'GetRole', RoleName: 'ferry-local-unload'}, bob)).status, 403);
	t.regex((await callIam({Action: 'DeleteUser', UserName: 'bob'})).body, /Cannot delete entity, must delete access keys first./);
});

test.serial('signatures and session tokens: unsigned, unknown key, wrong secret, wrong scope, a session without or with a bad token, expired', async t => {
	t.regex((await callIam({Action: 'ListRoles'}, 'unsigned')).body, /<Code>MissingAuthenticationToken<\/Code>/);
	t.regex((await callIam({Action: 'ListRoles'}, {accessKeyId: 'AKIANOBODYNOBODY0000', secretAccessKey: 'x'})).body, /<Code>InvalidClientTokenId<\/Code><Message>The security token included in the request is invalid.<\/Message>/);
	t.regex((await callIam({Action: 'ListRoles'}, {...root, secretAccessKey: 'wrong'})).body, /<Code>SignatureDoesNotMatch<\/Code>/);
	const scoped = await queryRequest(iam.url, {service: 'iam', region: localRegion, keys: root, parameters: {Action: 'ListRoles', Version: '2010-05-08'}});
	t.regex(scoped.body, /<Code>SignatureDoesNotMatch<\/Code><Message>Credential should be scoped to a valid region, not 'ap-southeast-1'. <\/Message>/);
	const wrongService = await queryRequest(iam.url, {service: 'sts', region: 'us-east-1', keys: root, parameters: {Action: 'ListRoles', Version: '2010-05-08'}});
	t.regex(wrongService.body, /Credential should be scoped to correct service: 'iam'./);

	const assumed = await callSts({Action: 'AssumeRole', RoleArn: 'arn:aws:iam::000000000000:role/bob-unload', RoleSessionName: 'wire', DurationSeconds: '900'}, bob);
	t.is(assumed.status, 200, assumed.body);
	t.regex(assumed.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<AssumeRoleResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><AssumeRoleResult><Credentials>/);
	const session = {accessKeyId: xmlValue(assumed.body, 'AccessKeyId')!, secretAccessKey: xmlValue(assumed.body, 'SecretAccessKey')!, sessionToken: xmlValue(assumed.body, 'SessionToken')!};
	t.is(xmlValue((await callSts({Action: 'GetCallerIdentity'}, session)).body, 'Arn'), 'arn:aws:sts::000000000000:assumed-role/bob-unload/wire');
	t.regex((await callSts({Action: 'GetCallerIdentity'}, {...session, sessionToken: undefined})).body, /<Code>InvalidClientTokenId<\/Code>/);
	t.regex((await callSts({Action: 'GetCallerIdentity'}, {...session, sessionToken: 'forged'})).body, /<Code>InvalidClientTokenId<\/Code>/);
	t.regex((await callSts({Action: 'AssumeRole', RoleArn: 'arn:aws:iam::000000000000:role/bob-unload', RoleSessionName: 'long', DurationSeconds: '7200'}, bob)).body, /<Code>ValidationError<\/Code><Message>The requested DurationSeconds exceeds the MaxSessionDuration set for this role.<\/Message>/);

	// S3 takes the session only with its token.
	// The AWS SDK's own S3 client, with and without the session's token; its error says what S3 answered.
	const s3Request = async (keys: QueryKeys) => {
		const client = new S3Client({region: localRegion, endpoint: s3.url, forcePathStyle: true, credentials: keys, maxAttempts: 1});
		try {
			await client.send(new ListBucketsCommand({}));
			return {status: 200, body: ''};
		} catch (error) {
			const failure = error as Error & {Code?: string; $metadata?: {httpStatusCode?: number}};
			return {status: failure.$metadata?.httpStatusCode ?? 0, body: `<Code>${failure.Code ?? failure.name}</Code><Message>${failure.message}</Message>`};
		} finally {
			client.destroy();
		}
	};

	t.regex((await s3Request({accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey})).body, /<Code>InvalidAccessKeyId<\/Code>/);
	t.regex((await s3Request({...session, sessionToken: 'forged'})).body, /<Code>InvalidToken<\/Code><Message>The provided token is malformed or otherwise invalid.<\/Message>/);
	t.regex((await s3Request(session)).body, /<Code>AccessDenied<\/Code><Message>User: arn:aws:sts::000000000000:assumed-role\/bob-unload\/wire is not authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action<\/Message>/);
	t.is((await s3Request(root)).status, 200);

	// A session that has expired: STS and S3 say so.
	const expired = account.assumeRole({caller: account.keyHolder(bob.accessKeyId)!.caller}, {roleArn: 'arn:aws:iam::000000000000:role/bob-unload', sessionName: 'old', durationSeconds: 900}, Date.now() - (3600 * 1000));
	t.false('reason' in expired);
	const old = 'reason' in expired ? session : {accessKeyId: expired.session.accessKeyId, secretAccessKey: expired.session.secret, sessionToken: expired.session.token};
	t.regex((await callSts({Action: 'GetCallerIdentity'}, old)).body, /<Code>ExpiredToken<\/Code><Message>The security token included in the request is expired<\/Message>/);
	t.regex((await s3Request(old)).body, /<Code>ExpiredToken<\/Code><Message>The provided token has expired.<\/Message>/);
});

test.serial('the account is kept across restarts, with what it was seeded with', async t => {
	const reopened = AwsAccount.open({dataDir: path.join(dataDir, 'iam'), accountId: localAwsAccountId, rootKeys: root, seed: 'missing', seedRoles: localSeedRoles});
	t.is(reopened.seededWith, 'configured');
	t.truthy(reopened.user('bob'));
	const empty = AwsAccount.open({dataDir: path.join(dataDir, 'iam-missing'), accountId: localAwsAccountId, rootKeys: root, seed: 'missing', seedRoles: localSeedRoles});
	t.is(empty.seededWith, 'missing');
	t.deepEqual(empty.roles(), []);
});
