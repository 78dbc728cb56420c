/**
 * The official OSS SDK for Node (ali-oss), an independent client, against the local OSS stand-in with the V4
 * signature Alibaba recommends: put, get, list, head, copy and delete behave as OSS documents them, errors included.
 * OSS names buckets in the host (`bucket.oss-region.localhost`), which Node's resolver does not map to 127.0.0.1;
 * the SDK's own `agent` option supplies that lookup, as a user would for any *.localhost name.
 */
import {randomBytes} from 'node:crypto';
import test from 'ava';
import OSS from 'ali-oss';
import {startStandIn, testRegion, type StandInFixture} from '../helpers/object-store.js';
import {loopbackAgent as createLoopbackAgent} from '../helpers/loopback-agent.js';

let fixture: StandInFixture;
const bucket = 'ferry-ali-oss';

const loopbackAgent = createLoopbackAgent();

function client(options: {v4?: boolean; secret?: string} = {}) {
	// `agent` is an option of the SDK that its type definitions leave out.
	return new OSS({
		region: `oss-${testRegion}`,
		endpoint: fixture.handle.url,
		accessKeyId: fixture.credentials.accessKeyId,
		accessKeySecret: options.secret ?? fixture.credentials.secret,
		bucket,
		authorizationV4: options.v4 ?? true,
		agent: loopbackAgent,
		timeout: 30_000,
	} as OSS.Options);
}

test.before(async () => {
	fixture = await startStandIn('oss');
	await client().putBucket(bucket);
});

test.after.always(async () => {
	loopbackAgent.destroy();
	await fixture?.close();
});

test.serial('V4-signed put, head, get, list, copy and delete round-trip bytes and metadata', async t => {
	const oss = client();
	const body = randomBytes(300_000);
	const put = await oss.put('dir/a.bin', body, {headers: {'x-oss-meta-origin': 'conformance'}});
	t.is(put.res.status, 200);

	const head = await oss.head('dir/a.bin');
	t.is(Number((head.res.headers as Record<string, string>)['content-length']), body.length);
	t.is((head.meta as Record<string, string>)['origin'], 'conformance');

	const got = await oss.get('dir/a.bin');
	t.true(Buffer.compare(got.content as Buffer, body) === 0);

	await oss.put('dir/b.txt', Buffer.from('zwei'));
	await oss.copy('dir/c.txt', 'dir/b.txt');
	const listed = await oss.listV2({prefix: 'dir/', 'max-keys': '2'});
	t.deepEqual(listed.objects.map(object => object.name), ['dir/a.bin', 'dir/b.txt']);
	t.true(listed.isTruncated);
	const rest = await oss.listV2({prefix: 'dir/', 'continuation-token': listed.nextContinuationToken!});
	t.deepEqual(rest.objects.map(object => object.name), ['dir/c.txt']);

	await oss.delete('dir/a.bin');
	const missing = await t.throwsAsync(oss.head('dir/a.bin'));
	t.is((missing as {status?: number}).status, 404);
});

test.serial('errors carry OSS\'s codes: a missing key is NoSuchKey, a wrong secret SignatureDoesNotMatch', async t => {
	const noKey = await t.throwsAsync(client().get('no/such/key'));
	t.is((noKey as {code?: string}).code, 'NoSuchKey');
	t.is((noKey as {status?: number}).status, 404);

	const wrongSecret = await t.throwsAsync(client({secret: 'not-the-secret'}).put('x.txt', Buffer.from('x')));
	t.is((wrongSecret as {code?: string}).code, 'SignatureDoesNotMatch');
	t.is((wrongSecret as {status?: number}).status, 403);
});

test.serial('the V1 signature is refused the way OSS refuses it, with nothing written', async t => {
	const refused = await t.throwsAsync(client({v4: false}).put('v1.txt', Buffer.from('signed with V1')));
	t.is((refused as {status?: number}).status, 403);
	t.is((refused as {code?: string}).code, 'AccessDenied');
	t.regex((refused as Error).message, /V1 signature is no longer supported/);
	const missing = await t.throwsAsync(client().head('v1.txt'));
	t.is((missing as {status?: number}).status, 404);
});
