/**
 * awscli, an independent S3 client, against the local S3 and OSS stand-ins: what works against them must work the
 * same way against the real services, errors included. OSS's virtual-hosted names (`bucket.oss-region.localhost`)
 * do not resolve in Python, so awscli reaches them through a *.localhost forward proxy (HTTP_PROXY).
 */
import {spawnSync, execFile} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {startLocalhostProxy, type LocalhostProxy} from '../helpers/localhost-proxy.js';
import {startStandIn, testRegion, type StandInFixture} from '../helpers/object-store.js';

const awsVersion = spawnSync('aws', ['--version'], {encoding: 'utf8'});
const hasAws = awsVersion.status === 0;

type AwsResult = {code: number; stdout: string; stderr: string};

let work: string;
let proxy: LocalhostProxy;
const fixtures: Partial<Record<'s3' | 'oss', StandInFixture>> = {};

if (hasAws) {
	test.before(async () => {
		work = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-awscli-'));
		// The configuration awscli reads instead of the user's: OSS only takes virtual-hosted requests.
		await fs.writeFile(path.join(work, 'config-s3'), '[default]\n');
		await fs.writeFile(path.join(work, 'config-oss'), '[default]\ns3 =\n  addressing_style = virtual\n');
		proxy = await startLocalhostProxy();
		fixtures.s3 = await startStandIn('s3');
		fixtures.oss = await startStandIn('oss');
	});

	test.after.always(async () => {
		await fixtures.s3?.close();
		await fixtures.oss?.close();
		await proxy?.close();
		if (work) {
			await fs.rm(work, {recursive: true, force: true});
		}
	});
}

async function aws(flavor: 's3' | 'oss', args: string[]): Promise<AwsResult> {
	const fixture = fixtures[flavor]!;
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: work,
		AWS_ACCESS_KEY_ID: fixture.credentials.accessKeyId,
		AWS_SECRET_ACCESS_KEY: fixture.credentials.secret,
		AWS_DEFAULT_REGION: testRegion,
		AWS_CONFIG_FILE: path.join(work, `config-${flavor}`),
		AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
		AWS_EC2_METADATA_DISABLED: 'true',
		AWS_PAGER: '',
		// Newer botocore streams uploads aws-chunked with a CRC trailer, which OSS refuses (EC 0017-00000804); OSS's
		// guide for S3 clients turns it off the same way.
		AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
		AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
		...(flavor === 'oss' ? {HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '', no_proxy: ''} : {NO_PROXY: '*'}),
	};
	const endpoint = flavor === 's3' ? `http://127.0.0.1:${fixture.handle.port}` : fixture.handle.url;
	return new Promise(resolve => {
		execFile('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], {env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

async function ok(flavor: 's3' | 'oss', args: string[]): Promise<string> {
	const result = await aws(flavor, args);
	if (result.code !== 0) {
		throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
	}

	return result.stdout;
}

function md5(data: Buffer | string): string {
	return createHash('md5').update(data).digest('hex');
}

if (!hasAws) {
	test.skip('awscli conformance: skipped because `aws` (awscli) is not on PATH; .ci/run installs it', () => {});
}

for (const flavor of hasAws ? ['s3', 'oss'] as const : []) {
	const bucket = `conformance-${flavor}`;

	test.serial(`awscli ${flavor}: mb, put-object, head-object, get-object, delete-object`, async t => {
		await ok(flavor, ['s3', 'mb', `s3://${bucket}`]);
		const file = path.join(work, `${flavor}-small.txt`);
		await fs.writeFile(file, 'hello from awscli\n');
		const put = JSON.parse(await ok(flavor, ['s3api', 'put-object', '--bucket', bucket, '--key', 'dir/small.txt', '--body', file, '--metadata', 'origin=awscli'])) as {ETag: string};
		t.is(put.ETag.replaceAll('"', '').toLowerCase(), md5('hello from awscli\n'));
		if (flavor === 'oss') {
			t.is(put.ETag, `"${md5('hello from awscli\n').toUpperCase()}"`);
		}

		const head = JSON.parse(await ok(flavor, ['s3api', 'head-object', '--bucket', bucket, '--key', 'dir/small.txt'])) as {ContentLength: number; ETag: string; Metadata: Record<string, string>};
		t.is(head.ContentLength, 18);
		t.is(head.ETag, put.ETag);
		t.deepEqual(head.Metadata, {origin: 'awscli'});
		const out = path.join(work, `${flavor}-small.out`);
		await ok(flavor, ['s3api', 'get-object', '--bucket', bucket, '--key', 'dir/small.txt', out]);
		t.is(await fs.readFile(out, 'utf8'), 'hello from awscli\n');
		await ok(flavor, ['s3api', 'delete-object', '--bucket', bucket, '--key', 'dir/small.txt']);
		const gone = await aws(flavor, ['s3api', 'head-object', '--bucket', bucket, '--key', 'dir/small.txt']);
		t.not(gone.code, 0);
		t.regex(gone.stderr, /\(404\)/);
	});

	test.serial(`awscli ${flavor}: list-objects-v2 pages with --page-size and --max-items; s3 ls lists everything`, async t => {
		const file = path.join(work, `${flavor}-page.txt`);
		await fs.writeFile(file, 'x');
		const keys = Array.from({length: 7}, (_, index) => `page/${String(index).padStart(2, '0')}.txt`);
		for (const key of keys) {
			await ok(flavor, ['s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', file]);
		}

		const all = JSON.parse(await ok(flavor, ['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'page/', '--page-size', '2'])) as {Contents: Array<{Key: string}>};
		t.deepEqual(all.Contents.map(object => object.Key), keys);
		const firstThree = JSON.parse(await ok(flavor, ['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'page/', '--page-size', '2', '--max-items', '3'])) as {Contents: Array<{Key: string}>; NextToken?: string};
		t.deepEqual(firstThree.Contents.map(object => object.Key), keys.slice(0, 3));
		t.truthy(firstThree.NextToken);
		const rest = JSON.parse(await ok(flavor, ['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'page/', '--page-size', '2', '--starting-token', firstThree.NextToken!])) as {Contents: Array<{Key: string}>};
		t.deepEqual(rest.Contents.map(object => object.Key), keys.slice(3));
		const oneRequest = JSON.parse(await ok(flavor, ['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'page/', '--max-keys', '4', '--no-paginate'])) as {Contents: Array<{Key: string}>; IsTruncated: boolean; NextContinuationToken: string};
		t.is(oneRequest.Contents.length, 4);
		t.true(oneRequest.IsTruncated);
		const garbage = await aws(flavor, ['s3api', 'list-objects-v2', '--bucket', bucket, '--continuation-token', 'garbage', '--no-paginate']);
		t.not(garbage.code, 0);
		t.regex(garbage.stderr, /\(InvalidArgument\)/);
		const listing = await ok(flavor, ['s3', 'ls', `s3://${bucket}/page/`]);
		t.is(listing.trim().split('\n').length, 7);
		await ok(flavor, ['s3', 'rm', `s3://${bucket}/page/`, '--recursive']);
		// awscli exits 1 when a listing matches nothing.
		const empty = await aws(flavor, ['s3', 'ls', `s3://${bucket}/page/`]);
		t.is(empty.stdout.trim(), '');
		t.is(empty.stderr.trim(), '');
	});

	test.serial(`awscli ${flavor}: s3 cp of a 20 MB file goes multipart and comes back intact`, async t => {
		const body = randomBytes(20 * 1024 * 1024);
		const file = path.join(work, `${flavor}-big.bin`);
		await fs.writeFile(file, body);
		await ok(flavor, ['s3', 'cp', file, `s3://${bucket}/big.bin`]);
		const head = JSON.parse(await ok(flavor, ['s3api', 'head-object', '--bucket', bucket, '--key', 'big.bin'])) as {ContentLength: number; ETag: string};
		t.is(head.ContentLength, body.length);
		t.regex(head.ETag, /^"[0-9a-fA-F]{32}-\d+"$/);
		const back = path.join(work, `${flavor}-big.out`);
		await ok(flavor, ['s3', 'cp', `s3://${bucket}/big.bin`, back]);
		t.is(md5(await fs.readFile(back)), md5(body));
		await fs.rm(back);
		await fs.rm(file);
	});

	test.serial(`awscli ${flavor}: put-object-tagging is refused with NotImplemented and the object stays intact`, async t => {
		const file = path.join(work, `${flavor}-tagged.txt`);
		await fs.writeFile(file, 'keep me');
		await ok(flavor, ['s3api', 'put-object', '--bucket', bucket, '--key', 'tagged.txt', '--body', file]);
		const tagging = await aws(flavor, ['s3api', 'put-object-tagging', '--bucket', bucket, '--key', 'tagged.txt', '--tagging', 'TagSet=[{Key=a,Value=b}]']);
		t.not(tagging.code, 0);
		t.regex(tagging.stderr, /An error occurred \(NotImplemented\) when calling the PutObjectTagging operation/);
		const deleteTagging = await aws(flavor, ['s3api', 'delete-object-tagging', '--bucket', bucket, '--key', 'tagged.txt']);
		t.regex(deleteTagging.stderr, /\(NotImplemented\)/);
		const acl = await aws(flavor, ['s3api', 'get-bucket-acl', '--bucket', bucket]);
		t.regex(acl.stderr, /\(NotImplemented\)/);
		const uploads = await aws(flavor, ['s3api', 'list-multipart-uploads', '--bucket', bucket]);
		t.regex(uploads.stderr, /\(NotImplemented\)/);
		const out = path.join(work, `${flavor}-tagged.out`);
		await ok(flavor, ['s3api', 'get-object', '--bucket', bucket, '--key', 'tagged.txt', out]);
		t.is(await fs.readFile(out, 'utf8'), 'keep me');
	});

	test.serial(`awscli ${flavor}: a missing bucket is NoSuchBucket, by name, in awscli's message`, async t => {
		const result = await aws(flavor, ['s3api', 'list-objects-v2', '--bucket', `missing-${flavor}-bucket`]);
		t.not(result.code, 0);
		t.regex(result.stderr, /An error occurred \(NoSuchBucket\) when calling the ListObjectsV2 operation: The specified bucket does not exist/);
		const get = await aws(flavor, ['s3api', 'get-object', '--bucket', bucket, '--key', 'no-such-key', path.join(work, 'never')]);
		t.regex(get.stderr, /An error occurred \(NoSuchKey\) when calling the GetObject operation/);
	});
}
