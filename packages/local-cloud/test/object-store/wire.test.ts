import {createHash} from 'node:crypto';
import http from 'node:http';
import {Readable} from 'node:stream';
import {
	DeleteBucketCorsCommand,
	DeleteObjectTaggingCommand,
	GetBucketAclCommand,
	ListMultipartUploadsCommand,
	ListObjectsV2Command,
	PutObjectAclCommand,
	PutObjectCommand,
	PutObjectTaggingCommand,
	S3Client,
} from '@aws-sdk/client-s3';
import test from 'ava';
import {ossV4DateTime, signOssV4} from 'ferry/clouds/alibaba/oss-v4-signature';
import {createRequestHandler} from 'ferry/clouds/http-agent';
import {crc64Ecma} from '../../source/object-store/crc64.js';
import {startStandIn, testRegion, type StandInFixture} from '../helpers/object-store.js';

let s3: StandInFixture;
let oss: StandInFixture;

test.before(async () => {
	s3 = await startStandIn('s3');
	oss = await startStandIn('oss');
	for (const fixture of [s3, oss]) {
		await fixture.client().createBucket('wire');
		await fixture.client().createBucket('empty');
	}
});

test.after.always(async () => {
	await s3?.close();
	await oss?.close();
});

function sdk(fixture: StandInFixture, region = testRegion): S3Client {
	return new S3Client({
		region,
		endpoint: fixture.handle.url,
		forcePathStyle: fixture === s3,
		credentials: {accessKeyId: fixture.credentials.accessKeyId, secretAccessKey: fixture.credentials.secret},
		requestHandler: createRequestHandler(),
		requestChecksumCalculation: 'WHEN_REQUIRED',
		maxAttempts: 1,
	});
}

type RawResponse = {status: number; headers: http.IncomingHttpHeaders; body: string};

/** One request to the stand-in's port with the Host header given, the way a client resolving *.localhost sends it. */
async function raw(port: number, options: {method: string; host: string; path: string; headers?: Record<string, string>; body?: Buffer | string}): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const request = http.request({host: '127.0.0.1', port, method: options.method, path: options.path, headers: {...options.headers, host: options.host}}, response => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8')}));
		});
		request.on('error', reject);
		request.end(options.body);
	});
}

/** An OSS V4-signed request as the official OSS SDKs send it (signed here with ferry's signer; the stand-in verifies with its own). */
async function ossV4Request(options: {method: string; bucket: string; key?: string; query?: Record<string, string>; headers?: Record<string, string>; body?: Buffer | string; secret?: string}): Promise<RawResponse> {
	const dateTime = ossV4DateTime(new Date());
	const headers: Record<string, string> = {'x-oss-date': dateTime, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', ...options.headers};
	const signed = signOssV4({method: options.method, resource: `/${options.bucket}/${options.key ?? ''}`, query: options.query, headers, dateTime, region: testRegion}, oss.credentials.accessKeyId, options.secret ?? oss.credentials.secret);
	const query = new URLSearchParams(options.query).toString();
	const path = `/${(options.key ?? '').split('/').map(segment => encodeURIComponent(segment)).join('/')}${query ? `?${query}` : ''}`;
	return raw(oss.handle.port, {method: options.method, host: `${options.bucket}.${new URL(oss.handle.url).host}`, path, headers: {...headers, authorization: signed.authorization}, body: options.body});
}

for (const flavor of ['s3', 'oss'] as const) {
	test(`${flavor}: unimplemented subresources answer 501 NotImplemented and leave objects and buckets alone`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const client = sdk(fixture);
		await fixture.client().put('wire', 'kept.txt', 'precious');
		const tagging = await t.throwsAsync(client.send(new PutObjectTaggingCommand({Bucket: 'wire', Key: 'kept.txt', Tagging: {TagSet: [{Key: 'a', Value: 'b'}]}})));
		t.is(tagging?.name, 'NotImplemented');
		t.is((tagging as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode, 501);
		await t.throwsAsync(client.send(new DeleteObjectTaggingCommand({Bucket: 'wire', Key: 'kept.txt'})), {name: 'NotImplemented'});
		await t.throwsAsync(client.send(new PutObjectAclCommand({Bucket: 'wire', Key: 'kept.txt', ACL: 'private'})), {name: 'NotImplemented'});
		await t.throwsAsync(client.send(new GetBucketAclCommand({Bucket: 'wire'})), {name: 'NotImplemented'});
		await t.throwsAsync(client.send(new ListMultipartUploadsCommand({Bucket: 'wire'})), {name: 'NotImplemented'});
		await t.throwsAsync(client.send(new DeleteBucketCorsCommand({Bucket: 'empty'})), {name: 'NotImplemented'});
		const object = await fixture.client().getStream('wire', 'kept.txt');
		t.is(Buffer.concat(await object.body.toArray() as Buffer[]).toString(), 'precious');
		t.true(await fixture.client().bucketExists('empty'));
	});

	test(`${flavor}: error bodies have no namespace, so SDKs read the code`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const error = await t.throwsAsync(fixture.client().getStream('wire', 'missing.txt'));
		t.regex(error?.message ?? '', /NoSuchKey/);
		const unsigned = flavor === 's3'
			? await raw(fixture.handle.port, {method: 'GET', host: `127.0.0.1:${fixture.handle.port}`, path: '/wire/x'})
			: await raw(fixture.handle.port, {method: 'GET', host: `wire.${new URL(fixture.handle.url).host}`, path: '/x'});
		t.is(unsigned.status, 403);
		t.regex(unsigned.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>/);
		t.notRegex(unsigned.body, /xmlns/);
	});

	test(`${flavor}: a garbled ListObjectsV2 continuation token is InvalidArgument, a real one pages on`, async t => {
		const fixture = flavor === 's3' ? s3 : oss;
		const client = sdk(fixture);
		for (const key of ['page/a', 'page/b', 'page/c']) {
			await fixture.client().put('wire', key, key);
		}

		const first = await client.send(new ListObjectsV2Command({Bucket: 'wire', Prefix: 'page/', MaxKeys: 2}));
		t.true(first.IsTruncated);
		const second = await client.send(new ListObjectsV2Command({Bucket: 'wire', Prefix: 'page/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken}));
		t.deepEqual(second.Contents?.map(object => object.Key), ['page/c']);
		for (const garbage of ['not-a-token', 'cGFnZS9i', `${first.NextContinuationToken!}x`]) {
			const error = await t.throwsAsync(client.send(new ListObjectsV2Command({Bucket: 'wire', Prefix: 'page/', ContinuationToken: garbage})));
			t.is(error?.name, 'InvalidArgument', garbage);
		}
	});
}

test('oss: NoSuchKey carries OSS\'s RequestId, HostId and EC, and names OSS, not AWS', async t => {
	const response = await ossV4Request({method: 'GET', bucket: 'wire', key: 'missing.txt'});
	t.is(response.status, 404);
	t.regex(response.body, /<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><RequestId>[0-9A-F]{24}<\/RequestId><HostId>wire\.oss-ap-southeast-1\.localhost<\/HostId><Key>missing.txt<\/Key><EC>0026-00000001<\/EC>/);
	const unknownKey = new S3Client({region: testRegion, endpoint: oss.handle.url, credentials: {accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x'}, requestHandler: createRequestHandler(), maxAttempts: 1});
	const error = await t.throwsAsync(unknownKey.send(new ListObjectsV2Command({Bucket: 'wire'})));
	t.is(error?.name, 'InvalidAccessKeyId');
	t.is(error?.message, 'The OSS Access Key Id you provided does not exist in our records.');
});

test('oss: the OSS V4 signature is accepted for put, get, head, list and delete; a wrong secret is SignatureDoesNotMatch', async t => {
	const body = 'signed the OSS way';
	const put = await ossV4Request({method: 'PUT', bucket: 'wire', key: 'v4/object.txt', headers: {'content-type': 'text/plain', 'x-oss-meta-origin': 'ali-oss'}, body});
	t.is(put.status, 200, put.body);
	const md5 = createHash('md5').update(body).digest('hex');
	t.is(put.headers.etag, `"${md5.toUpperCase()}"`);
	t.is(put.headers['x-oss-hash-crc64ecma'], crc64Ecma(body));
	const get = await ossV4Request({method: 'GET', bucket: 'wire', key: 'v4/object.txt'});
	t.is(get.body, body);
	t.is(get.headers['x-oss-meta-origin'], 'ali-oss');
	t.is(get.headers['x-oss-hash-crc64ecma'], crc64Ecma(body));
	const head = await ossV4Request({method: 'HEAD', bucket: 'wire', key: 'v4/object.txt'});
	t.is(head.headers['x-oss-hash-crc64ecma'], crc64Ecma(body));
	t.is(head.headers.etag, `"${md5.toUpperCase()}"`);
	const list = await ossV4Request({method: 'GET', bucket: 'wire', query: {'list-type': '2', prefix: 'v4/'}});
	t.regex(list.body, new RegExp(`<Key>v4/object.txt</Key>.*<ETag>&quot;${md5.toUpperCase()}&quot;</ETag>`));
	const wrong = await ossV4Request({method: 'GET', bucket: 'wire', key: 'v4/object.txt', secret: 'not-the-secret'});
	t.is(wrong.status, 403);
	t.regex(wrong.body, /<Code>SignatureDoesNotMatch<\/Code>.*<OSSAccessKeyId>.*<StringToSign>OSS4-HMAC-SHA256\n/s);
	t.regex(wrong.body, /<EC>0002-00000201<\/EC>/);
	const deleted = await ossV4Request({method: 'DELETE', bucket: 'wire', key: 'v4/object.txt'});
	t.is(deleted.status, 204);
	t.is(await oss.client().head('wire', 'v4/object.txt'), undefined);
});

test('oss: an AWS SigV4 scope naming another region is accepted, as OSS does (rclone signs us-east-1)', async t => {
	const client = sdk(oss, 'us-east-1');
	await client.send(new PutObjectCommand({Bucket: 'wire', Key: 'rclone.txt', Body: 'from rclone'}));
	const listed = await client.send(new ListObjectsV2Command({Bucket: 'wire', Prefix: 'rclone'}));
	t.deepEqual(listed.Contents?.map(object => object.Key), ['rclone.txt']);
	const wrongSecret = new S3Client({region: 'us-east-1', endpoint: oss.handle.url, credentials: {accessKeyId: oss.credentials.accessKeyId, secretAccessKey: 'wrong'}, requestHandler: createRequestHandler(), maxAttempts: 1});
	await t.throwsAsync(wrongSecret.send(new ListObjectsV2Command({Bucket: 'wire'})), {name: 'SignatureDoesNotMatch'});
});

test('oss: a multipart object\'s CRC-64 and upper-case ETag cover the whole object; ferry\'s own upload still completes', async t => {
	const part = 5 * 1024 * 1024;
	const body = Buffer.concat([Buffer.alloc(part, 1), Buffer.alloc(17, 2)]);
	const {etag} = await oss.client().upload('wire', 'multi.bin', Readable.from([body]), {partSize: part});
	t.regex(etag, /^[0-9a-f]{32}-2$/, 'ferry\'s client gives every ETag in lower case, whatever the service sends');
	const head = await ossV4Request({method: 'HEAD', bucket: 'wire', key: 'multi.bin'});
	t.is(head.headers['etag'], `"${etag.toUpperCase()}"`, 'OSS sends it upper-case on the wire');
	t.is(head.headers['x-oss-hash-crc64ecma'], crc64Ecma(body));
	t.is(head.headers['x-oss-object-type'], 'Multipart');
});

test('oss: x-oss-copy-source copies (never writes the empty body), x-oss-forbid-overwrite refuses to replace', async t => {
	await oss.client().put('wire', 'copy/source.txt', 'source bytes');
	const copied = await ossV4Request({method: 'PUT', bucket: 'wire', key: 'copy/target.txt', headers: {'x-oss-copy-source': '/wire/copy/source.txt'}});
	t.is(copied.status, 200, copied.body);
	const target = await oss.client().getStream('wire', 'copy/target.txt');
	t.is(Buffer.concat(await target.body.toArray() as Buffer[]).toString(), 'source bytes');
	const refused = await ossV4Request({method: 'PUT', bucket: 'wire', key: 'copy/target.txt', headers: {'x-oss-forbid-overwrite': 'true'}, body: 'overwrite'});
	t.is(refused.status, 409);
	t.regex(refused.body, /<Code>FileAlreadyExists<\/Code>/);
	const appended = await ossV4Request({method: 'POST', bucket: 'wire', key: 'copy/target.txt', query: {append: '', position: '0'}, body: 'more'});
	t.is(appended.status, 501);
	const still = await oss.client().getStream('wire', 'copy/target.txt');
	t.is(Buffer.concat(await still.body.toArray() as Buffer[]).toString(), 'source bytes');
});

test('s3: If-None-Match: * refuses to replace an existing object', async t => {
	await s3.client().put('wire', 'once.txt', 'first');
	const error = await t.throwsAsync(sdk(s3).send(new PutObjectCommand({Bucket: 'wire', Key: 'once.txt', Body: 'second', IfNoneMatch: '*'})));
	t.is(error?.name, 'PreconditionFailed');
	const object = await s3.client().getStream('wire', 'once.txt');
	t.is(Buffer.concat(await object.body.toArray() as Buffer[]).toString(), 'first');
});
