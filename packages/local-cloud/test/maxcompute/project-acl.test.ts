import test from 'ava';
import {createMaxComputeClient, type MaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {OdpsSqlError} from 'ferry/clouds/maxcompute/errors';
import {ServiceError} from 'ferry/engine/errors';
import {silentLogger} from 'ferry/log/logger';
import {localMaxComputeProject} from '../../source/contract.js';
import {startLocalServices, type LocalServices} from '../helpers/local-services.js';

let local: LocalServices;
let owner: MaxComputeClient;
let user: MaxComputeClient;
let userName: string;

function client(keys: {accessKeyId: string; accessKeySecret: string; securityToken?: string}): MaxComputeClient {
	return createMaxComputeClient({endpoint: local.url('maxcompute'), project: localMaxComputeProject, credentials: keys, logger: silentLogger, attempts: 1, poll: {initialMs: 20, maxMs: 100}});
}

test.before(async () => {
	local = await startLocalServices(['maxcompute']);
	owner = client(local.credentials.alibaba);
	const account = local.account();
	const created = account.createUser({userName: 'datahub-connector'});
	const key = account.createAccessKey('datahub-connector');
	userName = `RAM$1000000000000000:${created.userId}`;
	user = client({accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret});
	await owner.runSql('CREATE TABLE test (f1 STRING, f2 STRING, f3 DOUBLE) PARTITIONED BY (ds STRING);');
	await owner.runSql('INSERT INTO TABLE test PARTITION (ds=\'20261207\') VALUES (\'a\', \'b\', 1.5);');
});

test.after.always(async () => {
	await local?.close();
});

test.serial('a RAM user\'s keys: not a member, then no CreateInstance, then no table privilege, each refused as MaxCompute refuses it', async t => {
	const notMember = await t.throwsAsync(user.runSql('DESC test;'), {instanceOf: ServiceError});
	t.is(notMember.status, 403);
	t.regex(notMember.message, /ODPS-0420095: Access Denied - You don't exist in project ferry_local\./);

	await owner.runSql(`ADD USER RAM$datahub-connector;`);
	const noInstance = await t.throwsAsync(user.runSql('DESC test;'), {instanceOf: ServiceError});
	t.regex(noInstance.message, /ODPS-0420095: Access Denied - You have no privilege 'odps:CreateInstance' on \{acs:odps:\*:projects\/ferry_local\}/);

	await owner.runSql(`GRANT CreateInstance ON PROJECT ${localMaxComputeProject} TO USER ${userName};`);
	t.is((await user.whoami()).owner, userName, 'WHOAMI names the RAM user as MaxCompute does');
	const noDescribe = await t.throwsAsync(user.runSql('DESC test;'), {instanceOf: OdpsSqlError});
	t.is(noDescribe.odpsCode, 'ODPS-0130013');
	t.regex(noDescribe.odpsMessage, /^Authorization exception - Authorization Failed \[4019\], You have NO privilege 'odps:Describe' on \{acs:odps:\*:projects\/ferry_local\/tables\/test\}\. Context ID:[\da-f-]+\. --->Tips: CurrentProject:ferry_local; Pricipal:RAM\$1000000000000000:\d+/);
	const noUpdate = await t.throwsAsync(user.runSql('INSERT INTO TABLE test PARTITION (ds=\'20261208\') VALUES (\'c\', \'d\', 2.5);'), {instanceOf: OdpsSqlError});
	t.regex(noUpdate.odpsMessage, /NO privilege 'odps:Update'/);
});

test.serial('after GRANT Describe, Alter, Update ON TABLE the connector\'s statements run; SHOW GRANTS lists them; REVOKE takes one back', async t => {
	await owner.runSql(`GRANT Describe, Alter, Update ON TABLE test TO USER ${userName};`);
	t.true((await user.describeTable('test')).some(column => column.name === 'ds' && column.partition));
	await user.runSql('INSERT INTO TABLE test PARTITION (ds=\'20261208\') VALUES (\'c\', \'d\', 2.5);');
	t.is((await owner.runSql('SELECT count(*) FROM test;')).rows[0]?.[0], '2');
	const noSelect = await t.throwsAsync(user.runSql('SELECT * FROM test;'), {instanceOf: OdpsSqlError});
	t.regex(noSelect.odpsMessage, /NO privilege 'odps:Select'/, 'Select was not granted');

	const grants = await owner.runSql(`SHOW GRANTS FOR ${userName};`);
	t.is(grants.text.trimEnd(), `Authorization Type: ACL\n[user/${userName}]\nA       projects/ferry_local: CreateInstance\nA       projects/ferry_local/tables/test: Describe | Alter | Update`);
	t.is((await user.runSql('SHOW GRANTS;')).text, grants.text, 'a user may read its own grants');
	t.regex((await owner.runSql('LIST USERS;')).text, new RegExp(`^ALIYUN\\$1000000000000000\\n${userName.replace('$', '\\$')}\\n?$`));

	const notOwner = await t.throwsAsync(user.runSql(`GRANT Select ON TABLE test TO USER ${userName};`), {instanceOf: OdpsSqlError});
	t.is(notOwner.odpsCode, 'ODPS-0130013');

	await owner.runSql(`REVOKE Update ON TABLE test FROM USER ${userName};`);
	const revoked = await t.throwsAsync(user.runSql('INSERT INTO TABLE test PARTITION (ds=\'20261209\') VALUES (\'e\', \'f\', 3.5);'), {instanceOf: OdpsSqlError});
	t.regex(revoked.odpsMessage, /NO privilege 'odps:Update'/);
	t.true((await user.describeTable('test')).length > 0, 'Describe stays');

	const unknown = await t.throwsAsync(owner.runSql('ADD USER RAM$nobody-here;'), {instanceOf: OdpsSqlError});
	t.regex(unknown.odpsMessage, /Invalid account Name RAM\$nobody-here/);
});

test.serial('a role session is named RAM$<uid>:role/<role>; the owner\'s keys may do everything', async t => {
	const account = local.account();
	account.createRole({roleName: 'Reporting', assumeRolePolicyDocument: JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: 'sts:AssumeRole', Principal: {Service: ['odps.aliyuncs.com']}}]})});
	const session = account.assumeRoleAsService({roleArn: 'acs:ram::1000000000000000:role/reporting', service: 'odps.aliyuncs.com', sessionName: 'acl-test'}).credentials;
	const asRole = client({accessKeyId: session.accessKeyId, accessKeySecret: session.accessKeySecret, securityToken: session.securityToken});
	const refused = await t.throwsAsync(asRole.runSql('SELECT 1;'), {instanceOf: ServiceError});
	t.regex(refused.message, /You don't exist in project/);
	await owner.runSql('ADD USER `RAM$1000000000000000:role/Reporting`;');
	await owner.runSql('GRANT CreateInstance ON PROJECT ferry_local TO USER `RAM$1000000000000000:role/reporting`;');
	t.is((await asRole.whoami()).owner, 'RAM$1000000000000000:role/reporting');
	t.is((await owner.whoami()).owner, 'ALIYUN$1000000000000000');
	await owner.runSql('DROP TABLE IF EXISTS scratch;');
});
