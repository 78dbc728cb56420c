import {createHash, createHmac, type Hash, type Hmac} from 'node:crypto';
import {Readable} from 'node:stream';
import {GetObjectCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {SignatureV4} from '@smithy/signature-v4';
import type {SourceData} from '@smithy/types';
import test from 'ava';
import {createRequestHandler} from 'ferry/clouds/http-agent';
import {startStandIn, testRegion, type StandInFixture} from '../helpers/object-store.js';

let s3: StandInFixture;
let oss: StandInFixture;

test.before(async () => {
	s3 = await startStandIn('s3');
	oss = await startStandIn('oss');
	await s3.client().createBucket('raw');
	await oss.client().createBucket('raw');
});

test.after.always(async () => {
	await s3?.close();
	await oss?.close();
});

/** An SDK client with the SDK's defaults (CRC32 trailers, aws-chunked streaming), unlike ferry's OSS client. */
function defaultSdkClient(fixture: StandInFixture, forcePathStyle: boolean): S3Client {
	return new S3Client({
		region: testRegion,
		endpoint: fixture.handle.url,
		forcePathStyle,
		credentials: {accessKeyId: fixture.credentials.accessKeyId, secretAccessKey: fixture.credentials.secret},
		requestHandler: createRequestHandler(),
		maxAttempts: 1,
	});
}

function toBuffer(data: SourceData): Buffer {
	if (typeof data === 'string') {
		return Buffer.from(data, 'utf8');
	}

	return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** The checksum constructor SignatureV4 wants, on node:crypto. */
class NodeSha256 {
	private readonly hash: Hash | Hmac;

	constructor(secret?: SourceData) {
		this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
	}

	update(data: SourceData): void {
		this.hash.update(toBuffer(data));
	}

	async digest(): Promise<Uint8Array> {
		return this.hash.digest();
	}

	reset(): void {
		throw new Error('not needed');
	}
}

async function text(body: AsyncIterable<unknown>): Promise<string> {
	let result = '';
	for await (const chunk of body) {
		result += String(chunk);
	}

	return result;
}

test('s3: accepts an aws-chunked streamed upload with a CRC32 trailer, as the SDK sends it by default', async t => {
	const client = defaultSdkClient(s3, true);
	const body = Buffer.alloc(200_000, 'z');
	await client.send(new PutObjectCommand({Bucket: 'raw', Key: 'streamed', Body: Readable.from([body.subarray(0, 100_000), body.subarray(100_000)]), ContentLength: body.length}));
	const head = await s3.client().head('raw', 'streamed');
	t.is(head?.size, body.length);
	t.is(head?.etag, createHash('md5').update(body).digest('hex'));
});

test('oss: refuses an aws-chunked body without signed chunks with OSS\'s documented error', async t => {
	const client = defaultSdkClient(oss, false);
	const error = await t.throwsAsync(client.send(new PutObjectCommand({Bucket: 'raw', Key: 'streamed', Body: Readable.from([Buffer.from('hello')]), ContentLength: 5})));
	t.is(error?.name, 'InvalidArgument');
	t.is(error?.message, 'aws-chunked encoding is not supported with the specified x-amz-content-sha256 value.');
	t.is((error as unknown as {EC?: string}).EC, '0017-00000804');
});

test('oss: refuses a V1 (AWS AK:signature) request with OSS\'s EC for V1', async t => {
	const host = new URL(oss.handle.url).host;
	const response = await fetch(`http://127.0.0.1:${oss.handle.port}/`, {headers: {host: `raw.${host}`, authorization: `AWS ${oss.credentials.accessKeyId}:c2lnbmF0dXJl`, date: new Date().toUTCString()}});
	t.is(response.status, 403);
	const xml = await response.text();
	t.regex(xml, /<Code>AccessDenied<\/Code>/);
	t.regex(xml, /<EC>0002-00000080<\/EC>/);
	t.notRegex(xml, /xmlns|AWS/);
});

test('oss: refuses path-style addressing with SecondLevelDomainForbidden XML', async t => {
	const response = await fetch(`http://127.0.0.1:${oss.handle.port}/raw/key`);
	t.is(response.status, 403);
	t.regex(await response.text(), /<Code>SecondLevelDomainForbidden<\/Code>/);
});

test('s3: a bad signature answers S3\'s SignatureDoesNotMatch XML with the string to sign', async t => {
	const client = new S3Client({region: testRegion, endpoint: s3.handle.url, forcePathStyle: true, credentials: {accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'not-the-secret'}, maxAttempts: 1});
	const error = await t.throwsAsync(client.send(new GetObjectCommand({Bucket: 'raw', Key: 'anything'})));
	t.is(error?.name, 'SignatureDoesNotMatch');
	t.regex(String((error as unknown as {StringToSign?: string}).StringToSign), /^AWS4-HMAC-SHA256\n/);
	const unknown = new S3Client({region: testRegion, endpoint: s3.handle.url, forcePathStyle: true, credentials: {accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x'}, maxAttempts: 1});
	t.is((await t.throwsAsync(unknown.send(new GetObjectCommand({Bucket: 'raw', Key: 'anything'}))))?.name, 'InvalidAccessKeyId');
	const wrongRegion = new S3Client({region: 'us-west-2', endpoint: s3.handle.url, forcePathStyle: true, credentials: {accessKeyId: s3.credentials.accessKeyId, secretAccessKey: s3.credentials.secret}, maxAttempts: 1});
	t.is((await t.throwsAsync(wrongRegion.send(new GetObjectCommand({Bucket: 'raw', Key: 'anything'}))))?.name, 'AuthorizationHeaderMalformed');
});

// Presigned the way @aws-sdk/s3-request-presigner does it: an UNSIGNED-PAYLOAD hash hoisted into the query.
test('s3: a presigned GET is accepted, and refused once tampered', async t => {
	await s3.client().put('raw', 'presigned.txt', 'signed by query');
	const signer = new SignatureV4({service: 's3', region: testRegion, credentials: {accessKeyId: s3.credentials.accessKeyId, secretAccessKey: s3.credentials.secret}, sha256: NodeSha256, uriEscapePath: false, applyChecksum: false});
	const url = new URL(s3.handle.url);
	const presigned = await signer.presign({method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/raw/presigned.txt', query: {}, headers: {host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD'}}, {expiresIn: 60});
	const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
	const ok = await fetch(`${s3.handle.url}/raw/presigned.txt?${query}`);
	t.is(ok.status, 200);
	t.is(await ok.text(), 'signed by query');
	const tampered = await fetch(`${s3.handle.url}/raw/other.txt?${query}`);
	t.is(tampered.status, 403);
});

test('s3: multipart ETag is the MD5 of the part MD5s with the part count, and Range reads work', async t => {
	const store = s3.client();
	const part = 5 * 1024 * 1024;
	const body = Buffer.concat([Buffer.alloc(part, 1), Buffer.alloc(part, 2), Buffer.alloc(10, 3)]);
	const {etag} = await store.upload('raw', 'multi', Readable.from([body]), {partSize: part});
	const partMd5s = [body.subarray(0, part), body.subarray(part, 2 * part), body.subarray(2 * part)].map(piece => createHash('md5').update(piece).digest());
	t.is(etag, `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-3`);
	const tail = await store.getStream('raw', 'multi', {range: 'bytes=-12'});
	t.deepEqual([...Buffer.from(await text(tail.body), 'latin1')], [2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
});

test('s3: objects survive a restart of the stand-in', async t => {
	const first = await startStandIn('s3');
	await first.client().createBucket('durable');
	await first.client().put('durable', 'kept.txt', 'still here');
	await first.handle.close();
	const second = await startStandIn('s3', first.dataDir);
	const object = await second.client().getStream('durable', 'kept.txt');
	t.is(await text(object.body), 'still here');
	await second.handle.close();
	await first.close();
});

test('bucket names: S3 refuses an IP address and its reserved prefixes and suffixes, OSS any dot; keys past the limit are refused', async t => {
	const refused = async (fixture: StandInFixture, bucket: string) => {
		const error = await t.throwsAsync(fixture.client().createBucket(bucket));
		return (error as {code?: string}).code ?? error?.message;
	};

	for (const bucket of ['192.168.5.4', 'xn--bucket', 'sthree-bucket', 'amzn-s3-demo-bucket', 'bucket-s3alias', 'bucket--ol-s3', 'bucket.mrap', 'bucket--table-s3', 'a..b', 'Bucket', 'ab', 'b_c']) {
		t.is(await refused(s3, bucket), 'InvalidBucketName', bucket);
	}

	// (…--x-s3 names an S3 Express directory bucket, which the SDK signs for another service: it never gets here.)
	// OSS is virtual-hosted only: the SDK sends a name that is no DNS label path-style, which OSS refuses before CreateBucket.
	t.regex(await refused(oss, 'my.bucket') ?? '', /^(InvalidBucketName|SecondLevelDomainForbidden)$/);
	await s3.client().createBucket('my.unload-bucket');
	await oss.client().createBucket('sthree-is-fine-on-oss');

	const sdk = defaultSdkClient(s3, true);
	await sdk.send(new PutObjectCommand({Bucket: 'raw', Key: 'k'.repeat(1024), Body: 'x'}));
	const long = await t.throwsAsync(sdk.send(new PutObjectCommand({Bucket: 'raw', Key: 'k'.repeat(1025), Body: 'x'})));
	t.is(long?.name, 'KeyTooLongError');
	await oss.client().put('raw', 'k'.repeat(1023), Buffer.from('x'));
	const ossLong = await t.throwsAsync(oss.client().put('raw', 'k'.repeat(1024), Buffer.from('x')));
	t.is((ossLong as {code?: string}).code, 'InvalidObjectName');
});
