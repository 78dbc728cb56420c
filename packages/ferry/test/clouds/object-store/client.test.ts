import test from 'ava';
import {ConfigurationError, ServiceError} from '../../../source/engine/errors.js';
import {createObjectStore} from '../../../source/clouds/object-store/client.js';
import {createMemoryLogger, silentLogger} from '../../../source/log/logger.js';
import {startStandIn, testRegion, type StandInFixture} from '@ferry/local-cloud/test/helpers/object-store';

let s3: StandInFixture;
let oss: StandInFixture;

test.before(async () => {
	s3 = await startStandIn('s3');
	oss = await startStandIn('oss');
});

test.after.always(async () => {
	await s3?.close();
	await oss?.close();
});

for (const flavor of ['s3', 'oss'] as const) {
	test(`${flavor}: whoami names the owner of the keys`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const owner = await fixture.client().whoami();
		t.regex(owner.id, flavor === 's3' ? /^[0-9a-f]{64}$/ : /^\d{16}$/);
	});

	test(`${flavor}: lists more than 1000 keys page by page, and inventories them`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const logger = createMemoryLogger();
		const store = fixture.client({logger});
		const bucket = `paging-${flavor}`;
		t.false(await store.bucketExists(bucket));
		await store.createBucket(bucket);
		t.true(await store.bucketExists(bucket));
		const keys = Array.from({length: 1010}, (_, index) => `data/part-${String(index).padStart(5, '0')}.txt`);
		for (let start = 0; start < keys.length; start += 50) {
			await Promise.all(keys.slice(start, start + 50).map(async key => store.put(bucket, key, key)));
		}

		await store.put(bucket, 'other/file.txt', 'not under the prefix');
		logger.lines.length = 0;
		const listed: string[] = [];
		for await (const object of store.list(bucket, 'data/', {pageSize: 100})) {
			listed.push(object.key);
		}

		t.deepEqual(listed, keys);
		t.is(logger.lines.filter(line => line.includes('ListObjectsV2')).length, 11);

		const inventory = await store.inventory(bucket, 'data/');
		t.is(inventory.count, 1010);
		t.is(inventory.bytes, keys.reduce((sum, key) => sum + Buffer.byteLength(key), 0));
		t.is(inventory.objects[0]?.etag.length, 32);

		const result = await store.deleteMany(bucket, keys);
		t.deepEqual(result, {deleted: 1010, errors: []});
		t.is((await store.inventory(bucket, '')).count, 1);
	});

	test(`${flavor}: a wrong secret is a clear auth error and is not retried`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const logger = createMemoryLogger();
		const wrongSecret = 'this-is-the-wrong-secret-value';
		const error = await t.throwsAsync(fixture.client({secret: wrongSecret, logger}).whoami(), {instanceOf: ServiceError});
		t.is(error.code, 'SignatureDoesNotMatch');
		t.is(error.exitCode, 3);
		t.regex(error.hint ?? '', /profile "test"/);
		t.false(error.message.includes(wrongSecret));
		t.is(logger.lines.filter(line => line.includes('CALL')).length, 1);
		t.false(logger.lines.join('\n').includes(wrongSecret));
	});

	test.serial(`${flavor}: an injected 503 SlowDown is retried until it succeeds`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const logger = createMemoryLogger();
		fixture.handle.injectFault({status: 503, code: 'SlowDown', count: 2});
		const owner = await fixture.client({logger}).whoami();
		t.truthy(owner.id);
		const calls = logger.lines.filter(line => line.includes('CALL'));
		t.is(calls.length, 3);
		t.regex(calls[0] ?? '', /-> 503/);
		t.regex(calls[2] ?? '', /-> 200/);
	});

	test.serial(`${flavor}: an injected 403 is not retried`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const logger = createMemoryLogger();
		fixture.handle.injectFault({status: 403, code: 'AccessDenied', count: 1});
		const error = await t.throwsAsync(fixture.client({logger}).whoami(), {instanceOf: ServiceError});
		t.is(error.code, 'AccessDenied');
		t.is(logger.lines.filter(line => line.includes('CALL')).length, 1);
		t.truthy(await fixture.client().whoami());
	});

	test(`${flavor}: a missing bucket says how to fix it; a missing key is undefined`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const store = fixture.client();
		const error = await t.throwsAsync(store.inventory('no-such-bucket', ''), {instanceOf: ServiceError});
		t.is(error.code, 'NoSuchBucket');
		t.regex(error.hint ?? '', /Create the bucket/);
		await store.createBucket(`heads-${flavor}`);
		t.is(await store.head(`heads-${flavor}`, 'absent'), undefined);
		await store.put(`heads-${flavor}`, 'present', 'abc', {metadata: {origin: 'test'}});
		t.like(await store.head(`heads-${flavor}`, 'present'), {size: 3, etag: '900150983cd24fb0d6963f7d28e17f72', metadata: {origin: 'test'}});
		const ranged = await store.getStream(`heads-${flavor}`, 'present', {range: 'bytes=1-'});
		let text = '';
		for await (const chunk of ranged.body) {
			text += String(chunk);
		}

		t.is(text, 'bc');
	});
}

test('oss: a path-style request is refused with SecondLevelDomainForbidden', async t => {
	const error = await t.throwsAsync(oss.client({forcePathStyle: true}).bucketExists('some-bucket'), {instanceOf: ServiceError});
	t.is(error.status, 403);
	t.is(error.exitCode, 3);
	await oss.client().createBucket('path-style');
	const listError = await t.throwsAsync(oss.client({forcePathStyle: true}).inventory('path-style', ''), {instanceOf: ServiceError});
	t.is(listError.code, 'SecondLevelDomainForbidden');
	t.regex(listError.hint ?? '', /virtual-hosted/);
});

test('an unreachable endpoint is a configuration error', async t => {
	const store = createObjectStore({kind: 's3', endpoint: 'http://127.0.0.1:1', region: testRegion, credentials: {accessKeyId: 'AKID', secretAccessKey: 'secret-value'}, logger: silentLogger, forcePathStyle: true});
	const error = await t.throwsAsync(store.whoami(), {instanceOf: ConfigurationError});
	t.regex(error.message, /cannot reach http:\/\/127\.0\.0\.1:1/);
});

test('oss: the default endpoint drops the oss- prefix from the region', t => {
	const store = createObjectStore({kind: 'oss', region: 'oss-ap-southeast-1', credentials: {accessKeyId: 'AKID', secretAccessKey: 'secret-value'}, logger: silentLogger});
	t.is(store.endpoint, 'https://s3.oss-ap-southeast-1.aliyuncs.com');
	t.is(store.region, 'ap-southeast-1');
});
