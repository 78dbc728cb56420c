import {createHash} from 'node:crypto';
import {Readable} from 'node:stream';
import test from 'ava';
import {copyPrefix} from '../../../source/clouds/object-store/copy.js';
import {compareInventories} from '../../../source/clouds/object-store/parity.js';
import {createMemoryLogger} from '../../../source/log/logger.js';
import {startStandIn, type StandInFixture} from '@ferry/local-cloud/test/helpers/object-store';

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

function pattern(size: number, seed: number): Buffer {
	const buffer = Buffer.alloc(size);
	for (let index = 0; index + 4 <= size; index += 4) {
		buffer.writeUInt32LE((index * 2_654_435_761 + seed) >>> 0, index);
	}

	return buffer;
}

test('copies a prefix S3 → OSS with multipart, passes parity, and a rerun skips everything', async t => {
	const source = s3.client();
	const destination = oss.client();
	await source.createBucket('unload');
	await destination.createBucket('landing');
	const bodies = new Map<string, Buffer>([
		['lineitem/part-0000.parquet', pattern(13 * 1024 * 1024 + 17, 1)],
		['lineitem/part-0001.parquet', pattern(6 * 1024 * 1024, 2)],
		['lineitem/manifest', Buffer.from('{"entries":[]}')],
		['lineitem/empty', Buffer.alloc(0)],
	]);
	for (const [key, body] of bodies) {
		// The large one goes up multipart with 5 MiB parts, so its source ETag is a multipart ETag.
		await source.upload('unload', `redshift/${key}`, Readable.from([body]), {partSize: 5 * 1024 * 1024});
	}

	const sourceInventory = await source.inventory('unload', 'redshift/');
	t.regex(sourceInventory.objects.find(object => object.key.endsWith('0000.parquet'))!.etag, /-3$/);

	const progress: number[] = [];
	const logger = createMemoryLogger();
	const first = await copyPrefix({
		from: {store: source, bucket: 'unload', prefix: 'redshift/'},
		to: {store: destination, bucket: 'landing', prefix: 'from-s3/'},
		partSize: 5 * 1024 * 1024,
		// The 13 MiB object goes multipart, the others as streamed PUTs: both paths are covered.
		multipartThreshold: 8 * 1024 * 1024,
		concurrency: 2,
		logger,
		onProgress: p => progress.push(p.bytesDone),
	});
	t.is(first.copied, 4);
	t.is(first.skipped, 0);
	for (const object of first.objects) {
		t.is(object.md5, createHash('md5').update(bodies.get(object.key)!).digest('hex'), object.key);
	}

	t.is(progress.at(-1), sourceInventory.bytes);
	const big = first.objects.find(object => object.key === 'lineitem/part-0000.parquet')!;
	t.regex(big.destinationEtag, /-3$/);
	const downloaded = await destination.getStream('landing', 'from-s3/lineitem/part-0000.parquet');
	const chunks: Buffer[] = [];
	for await (const chunk of downloaded.body) {
		chunks.push(chunk as Buffer);
	}

	t.true(Buffer.concat(chunks).equals(bodies.get('lineitem/part-0000.parquet')!));

	const destinationInventory = await destination.inventory('landing', 'from-s3/');
	t.deepEqual(compareInventories(sourceInventory, destinationInventory, first.objects), []);

	const rerunLogger = createMemoryLogger();
	const second = await copyPrefix({
		from: {store: source, bucket: 'unload', prefix: 'redshift/'},
		to: {store: destination, bucket: 'landing', prefix: 'from-s3/'},
		logger: rerunLogger,
	});
	t.is(second.skipped, 4);
	t.is(second.copied, 0);
	t.false(rerunLogger.lines.some(line => /PutObject|UploadPart/.test(line)));

	// A destination object overwritten with other bytes of the same size is caught by parity and recopied.
	await destination.put('landing', 'from-s3/lineitem/manifest', '{"entries":[0]}'.slice(0, 14));
	const tampered = await destination.inventory('landing', 'from-s3/');
	const differences = compareInventories(sourceInventory, tampered, first.objects);
	t.is(differences.length, 1);
	t.like(differences[0], {kind: 'checksum', key: 'lineitem/manifest'});
	const third = await copyPrefix({
		from: {store: source, bucket: 'unload', prefix: 'redshift/'},
		to: {store: destination, bucket: 'landing', prefix: 'from-s3/'},
		logger: createMemoryLogger(),
	});
	t.is(third.copied, 1);
	t.deepEqual(compareInventories(sourceInventory, await destination.inventory('landing', 'from-s3/'), [...first.objects.filter(object => object.key !== 'lineitem/manifest'), ...third.objects.filter(object => object.status === 'copied')]), []);
});

test('a copy survives injected 503s on the destination', async t => {
	const source = s3.client();
	const destination = oss.client();
	await source.createBucket('flaky-src');
	await destination.createBucket('flaky-dst');
	await source.put('flaky-src', 'a.txt', 'alpha');
	await source.put('flaky-src', 'b.txt', 'bravo');
	oss.handle.injectFault({status: 503, code: 'SlowDown', count: 2});
	const result = await copyPrefix({
		from: {store: source, bucket: 'flaky-src', prefix: ''},
		to: {store: destination, bucket: 'flaky-dst', prefix: 'copy/'},
		concurrency: 1,
		logger: createMemoryLogger(),
	});
	t.is(result.copied, 2);
	t.deepEqual(compareInventories(await source.inventory('flaky-src', ''), await destination.inventory('flaky-dst', 'copy/'), result.objects), []);
});
