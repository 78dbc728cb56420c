import {readFile, rm, mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import anyTest, {type TestFn} from 'ava';
import {parquetWriteBuffer} from 'hyparquet-writer';
import {createMaxComputeClient, type MaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {OdpsSqlError} from 'ferry/clouds/maxcompute/errors';
import {createObjectStore} from 'ferry/clouds/object-store/client';
import {silentLogger} from 'ferry/log/logger';
import {localLandingBucket, localMaxComputeProject, localRamRoleArn} from '../../source/contract.js';
import {createOssStandInReader} from '../../source/maxcompute/oss-reader.js';
import {trustPolicyFor} from '../../source/ram/seed.js';
import {startLocalServices, type LocalServices} from '../helpers/local-services.js';

const test = anyTest as TestFn<{local: LocalServices; staging: string}>;

const region = 'ap-southeast-1';
const accountId = '1000000000000000';
const location = {endpointHost: `oss-${region}-internal.aliyuncs.com`, bucket: localLandingBucket, prefix: 'tpch/people'};
const readPolicy = (actions: string[]) => JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: actions, Resource: [`acs:oss:*:*:${localLandingBucket}`, `acs:oss:*:*:${localLandingBucket}/*`]}]});

test.beforeEach(async t => {
	const local = await startLocalServices(['ram', 'oss']);
	const keys = local.credentials.alibaba;
	const store = createObjectStore({kind: 'oss', endpoint: local.url('oss'), region, credentials: {accessKeyId: keys.accessKeyId, secretAccessKey: keys.accessKeySecret}, logger: silentLogger});
	await store.createBucket(location.bucket);
	const parquet = Buffer.from(parquetWriteBuffer({columnData: [
		{name: 'name', data: ['Ada', 'Grace', 'Zoë'], type: 'STRING'},
		{name: 'age', data: [36n, 85n, 30n], type: 'INT64'},
	]}));
	await store.put(location.bucket, 'tpch/people/part-0000.parquet', parquet);
	await store.put(location.bucket, 'tpch/people/_SUCCESS', '');
	await store.put(location.bucket, 'tpch/other/part-0000.parquet', parquet);
	t.context = {local, staging: await mkdtemp(path.join(os.tmpdir(), 'ferry-mc-staging-'))};
});

test.afterEach.always(async t => {
	await t.context.local.close();
	await rm(t.context.staging, {recursive: true, force: true});
});

function reader(local: LocalServices) {
	return createOssStandInReader({ossEndpoint: local.url('oss'), region, identities: local.account()});
}

test('fetchLocation assumes the role and downloads exactly the objects under the location with its STS keys', async t => {
	const files = await reader(t.context.local).fetchLocation(location, localRamRoleArn, t.context.staging);
	t.deepEqual(files.map(file => path.relative(t.context.staging, file)).sort(), ['_SUCCESS', 'part-0000.parquet']);
	t.is((await readFile(path.join(t.context.staging, 'part-0000.parquet'))).subarray(0, 4).toString(), 'PAR1');
	t.is((await reader(t.context.local).fetchLocation(location, undefined, t.context.staging)).length, 2, 'without a role ARN the account\'s AliyunODPSDefaultRole is used');
});

test('a role that does not exist, does not trust MaxCompute, or cannot list or read the location fails as MaxCompute fails; fixed, it reads', async t => {
	const {local, staging} = t.context;
	const account = local.account();
	const fetch = async (role?: string) => reader(local).fetchLocation(location, role, staging);
	await t.throwsAsync(fetch(`acs:ram::${accountId}:role/nobody`), {message: `ODPS-0130071:Semantic analysis exception - external table checking failure, error message: assume role acs:ram::${accountId}:role/nobody failed - EntityNotExist.Role: The specified Role not exists.`});

	account.createRole({roleName: 'ferry-load-test', assumeRolePolicyDocument: trustPolicyFor('ecs.aliyuncs.com')});
	const role = `acs:ram::${accountId}:role/ferry-load-test`;
	await t.throwsAsync(fetch(role), {message: /^ODPS-0130071:Semantic analysis exception - external table checking failure, error message: assume role .* failed - NoPermission: No permission perform sts:AssumeRole on this Role\. .*does not trust you$/});

	account.updateRole('ferry-load-test', {assumeRolePolicyDocument: trustPolicyFor('odps.aliyuncs.com')});
	await t.throwsAsync(fetch(role), {message: /^ODPS-0130071:.*external table checking failure, error message: cannot list oss:\/\/oss-ap-southeast-1-internal\.aliyuncs\.com\/ferry-landing\/tpch\/people\/ - AccessDenied: You have no right to access this object because of bucket acl\.$/});

	account.createPolicy({policyName: 'list-only', policyDocument: readPolicy(['oss:ListObjects'])});
	account.attachPolicyToRole('ferry-load-test', 'list-only', 'Custom');
	await t.throwsAsync(fetch(role), {message: /^ODPS-0010000:System internal error - fuxi job failed, caused by: Status: 403, RequestId: [\dA-F]+, ErrorCode: AccessDenied, Message: You have no right to access this object because of bucket acl\.$/});

	account.attachPolicyToRole('ferry-load-test', 'AliyunOSSReadOnlyAccess', 'System');
	t.is((await fetch(role)).length, 2);

	account.createPolicy({policyName: 'deny-people', policyDocument: JSON.stringify({Version: '1', Statement: [{Effect: 'Deny', Action: 'oss:GetObject', Resource: `acs:oss:*:*:${localLandingBucket}/tpch/people/*`}]})});
	account.attachPolicyToRole('ferry-load-test', 'deny-people', 'Custom');
	await t.throwsAsync(fetch(role), {message: /ErrorCode: AccessDenied, Message: Access denied by bucket policy\.$/}, 'an explicit Deny wins over the system policy\'s Allow');
	await t.throwsAsync(reader(local).fetchLocation({...location, bucket: 'no-such-bucket'}, role, staging), {message: /^ODPS-0130071:.*NoSuchBucket/});
});

test('LOAD through the MaxCompute stand-in: denied for the role, then allowed once the role is fixed', async t => {
	const {local} = t.context;
	const withMaxCompute = await startLocalServices(['maxcompute'], {dataDir: path.join(t.context.staging, 'cloud'), credentials: local.credentials});
	try {
		// This cloud has its own OSS: land the file there too.
		const keys = local.credentials.alibaba;
		const store = createObjectStore({kind: 'oss', endpoint: withMaxCompute.url('oss'), region, credentials: {accessKeyId: keys.accessKeyId, secretAccessKey: keys.accessKeySecret}, logger: silentLogger});
		await store.createBucket(location.bucket);
		await store.put(location.bucket, 'tpch/people/part-0000.parquet', await readFile(await downloadOne(local, path.join(t.context.staging, 'one'))));
		const client: MaxComputeClient = createMaxComputeClient({endpoint: withMaxCompute.url('maxcompute'), project: localMaxComputeProject, credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret}, logger: silentLogger, poll: {initialMs: 20, maxMs: 100}});
		await client.runSql('CREATE TABLE people (name STRING, age BIGINT);');
		const load = (role: string) => `LOAD OVERWRITE TABLE people FROM LOCATION 'oss://${location.endpointHost}/${location.bucket}/${location.prefix}/' ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' WITH SERDEPROPERTIES ('odps.properties.rolearn'='${role}') STORED AS PARQUET;`;
		await client.runSql(load(localRamRoleArn), {settings: {'odps.sql.type.system.odps2': 'true'}});
		t.deepEqual((await client.runSql('SELECT name, age FROM people ORDER BY age;')).rows, [['Zoë', '30'], ['Ada', '36'], ['Grace', '85']]);

		const account = withMaxCompute.account();
		account.detachPolicyFromRole('AliyunODPSDefaultRole', 'ferry-local-landing-read', 'Custom');
		const denied = await t.throwsAsync(client.runSql(load(localRamRoleArn)), {instanceOf: OdpsSqlError});
		t.is(denied.odpsCode, 'ODPS-0130071');
		t.regex(denied.odpsMessage, /AccessDenied/);
		const missingRole = await t.throwsAsync(client.runSql(load(`acs:ram::${accountId}:role/nobody`)), {instanceOf: OdpsSqlError});
		t.regex(missingRole.odpsMessage, /EntityNotExist\.Role/);

		account.attachPolicyToRole('AliyunODPSDefaultRole', 'ferry-local-landing-read', 'Custom');
		await client.runSql(load(localRamRoleArn), {settings: {'odps.sql.type.system.odps2': 'true'}});
		t.is((await client.runSql('SELECT count(*) FROM people;')).rows[0]?.[0], '3');
	} finally {
		await withMaxCompute.close();
	}
});

test('a fresh account started with identities missing has no AliyunODPSDefaultRole: LOAD without a role fails', async t => {
	const missing = await startLocalServices(['ram', 'oss'], {identities: 'missing'});
	try {
		await t.throwsAsync(reader(missing).fetchLocation(location, undefined, t.context.staging), {message: /assume role acs:ram::1000000000000000:role\/aliyunodpsdefaultrole failed - EntityNotExist\.Role/});
	} finally {
		await missing.close();
	}
});

async function downloadOne(local: LocalServices, directory: string): Promise<string> {
	const [file] = (await reader(local).fetchLocation(location, localRamRoleArn, directory)).filter(name => name.endsWith('.parquet'));
	return file!;
}
