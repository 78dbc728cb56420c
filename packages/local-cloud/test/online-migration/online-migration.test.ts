import test from 'ava';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createObjectStore, type ObjectStore} from 'ferry/clouds/object-store/client';
import {createOnlineMigrationClient, type OnlineMigrationClient} from 'ferry/clouds/online-migration/client';
import {resolveAlibabaCredentials} from 'ferry/clouds/credentials/alibaba';
import type {StandInHandle} from '../../source/contract.js';
import {ossAccessFor} from '../../source/object-store/access.js';
import {startObjectStoreStandIn} from '../../source/object-store/server.js';
import {RamAccount} from '../../source/ram/account.js';
import {trustPolicyFor} from '../../source/ram/seed.js';
import {startOnlineMigrationStandIn} from '../../source/online-migration/server.js';
import {ServiceError} from 'ferry/engine/errors';
import {createMemoryLogger} from 'ferry/log/logger';

const region = 'ap-southeast-1';
const accountId = '1000000000000042';
const aws = {accessKeyId: 'AKIALOCALSOURCE', secretAccessKey: 'aws-local-secret-0001'};
const oss = {accessKeyId: 'LTAIlocaloss', secretAccessKey: 'oss-local-secret-0001'};
const mgw = {accessKeyId: 'LTAIlocalmgw', secret: 'mgw-local-secret-0001'};
const role = 'ferry-mgw-import';

type Fixture = {
	dataDir: string;
	s3: StandInHandle;
	ossHandle: StandInHandle;
	service: StandInHandle;
	sourceStore: ObjectStore;
	destinationStore: ObjectStore;
	logger: ReturnType<typeof createMemoryLogger>;
	client: OnlineMigrationClient;
	sourceBytes: number;
	account: RamAccount;
};

let fixture: Fixture;
const objects = new Map<string, Buffer>([
	['unload/lineitem/part-000.parquet', Buffer.alloc(1024 * 1024 + 17, 7)],
	['unload/lineitem/part-001.parquet', Buffer.from('second object')],
	['unload/orders/part-000.parquet', Buffer.alloc(4096, 1)],
	['unload/orders/nested/deep key with spaces.parquet', Buffer.from('spaces')],
	['unload/empty.marker', Buffer.alloc(0)],
]);

async function startService(dataDir: string, ossUrl: string, account: RamAccount, port?: number) {
	return startOnlineMigrationStandIn({
		dataDir: path.join(dataDir, 'mgw'), region, accountId, credentials: mgw, identities: account, ...(port ? {port} : {}),
		oss: {endpoint: ossUrl, region},
	});
}

/** The migration role as the service's "Preparations" page has it: trusted by the service, List/Get/Put on the bucket. */
function seedMigrationRole(account: RamAccount): void {
	account.createRole({roleName: role, assumeRolePolicyDocument: trustPolicyFor('mgw.aliyuncs.com')});
	account.createPolicy({policyName: 'ferry-dest-write', policyDocument: JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: ['oss:List*', 'oss:Get*', 'oss:Put*', 'oss:AbortMultipartUpload'], Resource: ['acs:oss:*:*:ferry-dest', 'acs:oss:*:*:ferry-dest/*']}]})});
	account.attachPolicyToRole(role, 'ferry-dest-write', 'Custom');
}

test.before(async () => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-mgw-'));
	const s3 = await startObjectStoreStandIn({flavor: 's3', dataDir: path.join(dataDir, 's3'), region, credentials: {accessKeyId: aws.accessKeyId, secret: aws.secretAccessKey}});
	const {account} = RamAccount.open({dataDir, accountId, rootKeys: {accessKeyId: oss.accessKeyId, accessKeySecret: oss.secretAccessKey}});
	seedMigrationRole(account);
	const ossHandle = await startObjectStoreStandIn({flavor: 'oss', dataDir: path.join(dataDir, 'oss'), region, credentials: {accessKeyId: oss.accessKeyId, secret: oss.secretAccessKey}, access: ossAccessFor(account, region)});
	const service = await startService(dataDir, ossHandle.url, account);
	const logger = createMemoryLogger();
	const sourceStore = createObjectStore({kind: 's3', endpoint: s3.url, region, credentials: aws, logger, forcePathStyle: true});
	const destinationStore = createObjectStore({kind: 'oss', endpoint: ossHandle.url, region, credentials: oss, logger});
	await sourceStore.createBucket('redshift-unload');
	await destinationStore.createBucket('ferry-dest');
	let sourceBytes = 0;
	for (const [key, body] of objects) {
		await sourceStore.put('redshift-unload', key, body);
		sourceBytes += body.length;
	}

	const client = createOnlineMigrationClient({
		endpoint: service.url, region, accountId, logger,
		credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: mgw.accessKeyId, accessKeySecret: mgw.secret}),
		retry: {baseDelayMs: 5, maxDelayMs: 20},
	});
	fixture = {dataDir, s3, ossHandle, service, sourceStore, destinationStore, logger, client, sourceBytes, account};
});

test.after.always(async () => {
	if (fixture) {
		await fixture.service.close();
		await fixture.s3.close();
		await fixture.ossHandle.close();
		await rm(fixture.dataDir, {recursive: true, force: true});
	}
});

const sourceAddress = (name: string, overrides: Record<string, string> = {}) => ({
	name, type: 's3' as const, bucket: 'redshift-unload', prefix: 'unload/', domain: fixture.s3.url, accessId: aws.accessKeyId, accessSecret: aws.secretAccessKey, ...overrides,
});
const destinationAddress = (name: string, overrides: Record<string, string> = {}) => ({
	name, type: 'oss' as const, bucket: 'ferry-dest', prefix: 'imported/', regionId: `oss-${region}`, role, ...overrides,
});

test.serial('whoami proves the keys; a wrong secret is an auth error that is not retried', async t => {
	const identity = await fixture.client.whoami();
	t.is(identity.accountId, accountId);
	const logger = createMemoryLogger();
	const wrong = createOnlineMigrationClient({
		endpoint: fixture.service.url, region, accountId, logger,
		credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: mgw.accessKeyId, accessKeySecret: 'not-the-secret-0001'}),
		retry: {baseDelayMs: 1},
	});
	const error = await t.throwsAsync(wrong.whoami(), {instanceOf: ServiceError});
	t.is(error?.code, 'SignatureDoesNotMatch');
	t.is(error?.exitCode, 3);
	t.regex(error?.hint ?? '', /AccessKey/);
	t.is(logger.lines.filter(line => line.includes('online-migration.ListAddress')).length, 1);
	t.false(logger.lines.join('\n').includes('not-the-secret-0001'));

	const unknownKey = createOnlineMigrationClient({
		endpoint: fixture.service.url, region, accountId, logger,
		credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIunknown', accessKeySecret: mgw.secret}),
	});
	t.is((await t.throwsAsync(unknownKey.whoami(), {instanceOf: ServiceError}))?.code, 'InvalidAccessKeyId');
	const otherRegion = createOnlineMigrationClient({
		endpoint: fixture.service.url, region: 'cn-hangzhou', accountId, logger,
		credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: mgw.accessKeyId, accessKeySecret: mgw.secret}),
	});
	t.is((await t.throwsAsync(otherRegion.whoami(), {instanceOf: ServiceError}))?.code, 'SignatureDoesNotMatch');
});

test.serial('addresses: create, verify, read back without the secret, idempotent re-create, conflicting re-create', async t => {
	const created = await fixture.client.createAddress(sourceAddress('src_unload'));
	t.like(created, {name: 'src_unload', type: 's3', bucket: 'redshift-unload', prefix: 'unload/', accessId: aws.accessKeyId});
	t.false('accessSecret' in created);
	await fixture.client.createAddress(destinationAddress('dest_imported'));
	const verified = await fixture.client.verifyAddress('src_unload');
	t.is(verified.status, 'available');
	t.is((await fixture.client.verifyAddress('dest_imported')).status, 'available');
	t.is((await fixture.client.getAddress('src_unload')).status, 'available');

	// A resumed step creates the same address again: success, nothing changes.
	const again = await fixture.client.createAddress(sourceAddress('src_unload'));
	t.is(again.bucket, 'redshift-unload');
	const conflict = await t.throwsAsync(fixture.client.createAddress(sourceAddress('src_unload', {bucket: 'another-bucket'})), {instanceOf: ServiceError});
	t.is(conflict?.code, 'ImportAddressAlreadyExist');

	const missing = await t.throwsAsync(fixture.client.getAddress('no_such_address'), {instanceOf: ServiceError});
	t.is(missing?.code, 'NoSuchImportAddress');
	t.is(missing?.status, 404);
	t.regex(missing?.hint ?? '', /no_such_address/);
	t.false(fixture.logger.lines.join('\n').includes(aws.secretAccessKey), 'the S3 secret in the CreateAddress body is never logged');
});

test.serial('a job copies every object from the S3 source to the OSS destination, with counts, bytes and a report', async t => {
	const definition = {name: 'ferry_job_1', srcAddress: 'src_unload', destAddress: 'dest_imported', overwriteMode: 'always' as const, transferMode: 'all' as const};
	const job = await fixture.client.createJob(definition);
	t.is(job.status, 'IMPORT_JOB_BEGIN');
	t.is((await fixture.client.createJob(definition)).name, 'ferry_job_1', 'same definition again is success');
	t.is((await t.throwsAsync(fixture.client.createJob({...definition, destAddress: 'src_unload', srcAddress: 'dest_imported'}), {instanceOf: ServiceError}))?.code, 'ImportJobAlreadyExist');

	await fixture.client.updateJobStatus('ferry_job_1', 'IMPORT_JOB_LAUNCHING');
	const seen = new Set<string>();
	const {job: finished, run} = await fixture.client.waitForJob('ferry_job_1', {pollIntervalMs: 20, maxPollIntervalMs: 100, onProgress: progress => seen.add(progress.job.status)});
	t.is(finished.status, 'IMPORT_JOB_FINISHED');
	t.true(seen.has('IMPORT_JOB_FINISHED'));
	t.truthy(run);
	t.like(run, {runtimeId: '1', status: 'IMPORT_JOB_FINISHED', totalCount: objects.size, copiedCount: objects.size, failedCount: 0, totalSize: fixture.sourceBytes, copiedSize: fixture.sourceBytes});

	const destination = await fixture.destinationStore.inventory('ferry-dest', 'imported/');
	t.is(destination.count, objects.size);
	t.is(destination.bytes, fixture.sourceBytes);
	for (const [key, body] of objects) {
		const copied = await fixture.destinationStore.getStream('ferry-dest', `imported/${key.slice('unload/'.length)}`);
		const chunks: Buffer[] = [];
		for await (const chunk of copied.body) {
			chunks.push(chunk as Buffer);
		}

		t.true(Buffer.concat(chunks).equals(body), key);
	}

	const report = await fixture.client.getReport('ferry_job_1');
	t.like(report, {status: 'Finished', totalCount: objects.size, copiedCount: objects.size, failedCount: 0, skippedCount: 0});
	t.regex(report.failedListPrefix ?? '', /^aliyun_import_report\//);
	const reportObjects = await fixture.destinationStore.inventory('ferry-dest', 'aliyun_import_report/');
	t.true(reportObjects.count >= 1);
	const history = await fixture.client.listJobHistory('ferry_job_1');
	t.is(history.length, 1);
	t.true(fixture.logger.lines.some(line => /online-migration\.UpdateJob PUT http:\/\/127\.0\.0\.1:\d+\/job\/ferry_job_1 -> 200/.test(line)));
});

test.serial('a source with wrong keys or an unknown bucket is unavailable, and a job on it is interrupted with failure counts', async t => {
	await fixture.client.createAddress(sourceAddress('src_wrong_keys', {accessSecret: 'wrong-aws-secret-0001'}));
	const wrongKeys = await fixture.client.verifyAddress('src_wrong_keys');
	t.is(wrongKeys.status, 'unavailable');
	t.is(wrongKeys.errorCode, 'SignatureDoesNotMatch');
	await fixture.client.createAddress(sourceAddress('src_no_bucket', {bucket: 'no-such-bucket'}));
	const noBucket = await fixture.client.verifyAddress('src_no_bucket');
	t.is(noBucket.status, 'unavailable');
	t.is(noBucket.errorCode, 'NoSuchBucket');

	await fixture.client.createJob({name: 'ferry_job_bad_source', srcAddress: 'src_wrong_keys', destAddress: 'dest_imported', overwriteMode: 'always', transferMode: 'all'});
	await fixture.client.updateJobStatus('ferry_job_bad_source', 'IMPORT_JOB_LAUNCHING');
	const error = await t.throwsAsync(fixture.client.waitForJob('ferry_job_bad_source', {pollIntervalMs: 20, maxPollIntervalMs: 50}), {instanceOf: ServiceError});
	t.is(error?.code, 'IMPORT_JOB_INTERRUPTED');
	t.regex(error?.message ?? '', /1 failed|failed/);
	t.regex(error?.message ?? '', /SignatureDoesNotMatch/);
	const [run] = await fixture.client.listJobHistory('ferry_job_bad_source');
	t.is(run?.status, 'IMPORT_JOB_INTERRUPTED');
	t.true((run?.failedCount ?? 0) > 0);
});

test.serial('a destination whose RAM role is not authorised is unavailable and its job fails clearly', async t => {
	await fixture.client.createAddress(destinationAddress('dest_bad_role', {role: 'SomeoneElsesRole'}));
	const verified = await fixture.client.verifyAddress('dest_bad_role');
	t.is(verified.status, 'unavailable');
	t.is(verified.errorCode, 'EntityNotExist.Role');
	await fixture.client.createJob({name: 'ferry_job_bad_role', srcAddress: 'src_unload', destAddress: 'dest_bad_role', overwriteMode: 'always', transferMode: 'all'});
	await fixture.client.updateJobStatus('ferry_job_bad_role', 'IMPORT_JOB_LAUNCHING');
	const error = await t.throwsAsync(fixture.client.waitForJob('ferry_job_bad_role', {pollIntervalMs: 20, maxPollIntervalMs: 50}), {instanceOf: ServiceError});
	t.regex(error?.message ?? '', /EntityNotExist\.Role/);
});

test.serial('a job fails by its role: not trusting the migration service, then without OSS write; it runs once the role is fixed', async t => {
	const {account} = fixture;
	account.createRole({roleName: 'ferry-mgw-other', assumeRolePolicyDocument: trustPolicyFor('odps.aliyuncs.com')});
	await fixture.client.createAddress(destinationAddress('dest_other_role', {role: 'ferry-mgw-other', prefix: 'other/'}));
	const run = async (name: string) => {
		await fixture.client.createJob({name, srcAddress: 'src_unload', destAddress: 'dest_other_role', overwriteMode: 'always', transferMode: 'all'});
		await fixture.client.updateJobStatus(name, 'IMPORT_JOB_LAUNCHING');
		return fixture.client.waitForJob(name, {pollIntervalMs: 20, maxPollIntervalMs: 50});
	};

	const untrusted = await fixture.client.verifyAddress('dest_other_role');
	t.like(untrusted, {status: 'unavailable', errorCode: 'NoPermission'});
	t.regex(untrusted.errorMessage ?? '', /does not trust you/);
	const notTrusted = await t.throwsAsync(run('ferry_job_untrusted'), {instanceOf: ServiceError});
	t.regex(notTrusted?.message ?? '', /NoPermission/);

	account.updateRole('ferry-mgw-other', {assumeRolePolicyDocument: trustPolicyFor('mgw.aliyuncs.com')});
	account.attachPolicyToRole('ferry-mgw-other', 'AliyunOSSReadOnlyAccess', 'System');
	t.like(await fixture.client.verifyAddress('dest_other_role'), {status: 'available'}, 'read access finds the bucket');
	const readOnly = await t.throwsAsync(run('ferry_job_read_only'), {instanceOf: ServiceError});
	t.is(readOnly?.code, 'IMPORT_JOB_INTERRUPTED');
	t.regex(readOnly?.message ?? '', /AccessDenied/);
	const [history] = await fixture.client.listJobHistory('ferry_job_read_only');
	t.is(history?.copiedCount, 0);
	t.is(history?.failedCount, objects.size);
	t.deepEqual(await fixture.destinationStore.inventory('ferry-dest', 'other/').then(listed => listed.count), 0, 'nothing was written');

	account.attachPolicyToRole('ferry-mgw-other', 'ferry-dest-write', 'Custom');
	const finished = await run('ferry_job_fixed');
	t.is(finished.job.status, 'IMPORT_JOB_FINISHED');
	t.is((await fixture.destinationStore.inventory('ferry-dest', 'other/')).count, objects.size);
});

test.serial('injected 503s are retried; a missing job is NoSuchImportJob with a hint, not retried', async t => {
	fixture.service.injectFault({status: 503, code: 'ServiceUnavailable', count: 2});
	const job = await fixture.client.getJob('ferry_job_1');
	t.is(job.status, 'IMPORT_JOB_FINISHED');
	const getJobLines = fixture.logger.lines.filter(line => line.includes('online-migration.GetJob'));
	t.true(getJobLines.some(line => line.includes('-> 503')));
	t.true(getJobLines.some(line => line.includes('attempt 3') && line.includes('-> 200')));

	const before = fixture.logger.lines.length;
	const missing = await t.throwsAsync(fixture.client.getJob('no_such_job'), {instanceOf: ServiceError});
	t.is(missing?.code, 'NoSuchImportJob');
	t.regex(missing?.hint ?? '', /no_such_job/);
	t.is(fixture.logger.lines.slice(before).filter(line => line.includes('online-migration.GetJob')).length, 1);

	fixture.service.injectFault({status: 403, code: 'AccessDenied', count: 1});
	const denied = await t.throwsAsync(fixture.client.whoami(), {instanceOf: ServiceError});
	t.is(denied?.code, 'AccessDenied');
	t.is(denied?.exitCode, 3);
});

test.serial('state survives a restart of the stand-in', async t => {
	const {port} = fixture.service;
	await fixture.service.close();
	fixture.service = await startService(fixture.dataDir, fixture.ossHandle.url, fixture.account, port);
	const job = await fixture.client.getJob('ferry_job_1');
	t.is(job.status, 'IMPORT_JOB_FINISHED');
	t.is((await fixture.client.listJobHistory('ferry_job_1'))[0]?.copiedCount, objects.size);
	t.is((await fixture.client.getAddress('dest_imported')).role, role);
});

test.serial('an aborted wait stops promptly', async t => {
	await fixture.client.createJob({name: 'ferry_job_idle', srcAddress: 'src_unload', destAddress: 'dest_imported', overwriteMode: 'never', transferMode: ''});
	const controller = new AbortController();
	setTimeout(() => controller.abort(), 50);
	await t.throwsAsync(fixture.client.waitForJob('ferry_job_idle', {signal: controller.signal, pollIntervalMs: 20}), {name: 'InterruptedError'});
});
