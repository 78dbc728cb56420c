/**
 * rclone, an independent client, copies a tree from the local S3 stand-in to the local OSS stand-in and checks it,
 * configured as rclone documents for each (S3-compatible path-style for the S3 endpoint, OSS with
 * `provider = Alibaba`, virtual-hosted). Go does not resolve
 * *.localhost, so rclone reaches OSS through the *.localhost forward proxy, as `ferry local-cloud env` sets it up.
 */
import {execFile, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {startLocalhostProxy, type LocalhostProxy} from '../helpers/localhost-proxy.js';
import {startStandIn, testRegion, type StandInFixture} from '../helpers/object-store.js';

const hasRclone = spawnSync('rclone', ['version'], {encoding: 'utf8'}).status === 0;
let work: string;
let proxy: LocalhostProxy;
let s3: StandInFixture;
let oss: StandInFixture;
const files = new Map<string, Buffer>();

type RcloneResult = {code: number; stdout: string; stderr: string};

/** Remotes come from the environment (secrets never in argv); the user's own rclone.conf is not read. */
async function rclone(args: string[], options: {ossSecret?: string} = {}): Promise<RcloneResult> {
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: work,
		RCLONE_CONFIG: path.join(work, 'rclone.conf'),
		HTTP_PROXY: proxy.url,
		NO_PROXY: '',
		RCLONE_CONFIG_SRC_TYPE: 's3',
		RCLONE_CONFIG_SRC_PROVIDER: 'Other',
		RCLONE_CONFIG_SRC_ACCESS_KEY_ID: s3.credentials.accessKeyId,
		RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY: s3.credentials.secret,
		RCLONE_CONFIG_SRC_REGION: testRegion,
		RCLONE_CONFIG_SRC_ENDPOINT: `http://127.0.0.1:${s3.handle.port}`,
		RCLONE_CONFIG_SRC_FORCE_PATH_STYLE: 'true',
		RCLONE_CONFIG_DST_TYPE: 's3',
		RCLONE_CONFIG_DST_PROVIDER: 'Alibaba',
		RCLONE_CONFIG_DST_ACCESS_KEY_ID: oss.credentials.accessKeyId,
		RCLONE_CONFIG_DST_SECRET_ACCESS_KEY: options.ossSecret ?? oss.credentials.secret,
		RCLONE_CONFIG_DST_ENDPOINT: oss.handle.url,
		RCLONE_CONFIG_DST_ACL: 'private',
	};
	return new Promise(resolve => {
		execFile('rclone', ['--s3-disable-http2', '--retries', '1', '--low-level-retries', '2', ...args], {env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

if (hasRclone) {
	test.before(async () => {
		work = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-rclone-'));
		await fs.writeFile(path.join(work, 'rclone.conf'), '');
		proxy = await startLocalhostProxy();
		s3 = await startStandIn('s3');
		oss = await startStandIn('oss');
		const source = s3.client();
		await source.createBucket('rclone-source');
		files.set('data/small.txt', Buffer.from('a small file\n'));
		files.set('data/nested/ünïcode name.csv', Buffer.from('id,name\n1,"quoted, name"\n'));
		files.set('data/large.bin', randomBytes(12 * 1024 * 1024));
		for (const [key, body] of files) {
			await source.put('rclone-source', key, body);
		}

		await oss.client().createBucket('rclone-destination');
	});

	test.after.always(async () => {
		await s3?.close();
		await oss?.close();
		await proxy?.close();
		if (work) {
			await fs.rm(work, {recursive: true, force: true});
		}
	});

	test.serial('rclone copy S3 → OSS, then rclone check finds both sides identical', async t => {
		const copied = await rclone(['copy', 'src:rclone-source/data', 'dst:rclone-destination/copy', '--s3-chunk-size', '5M', '--s3-upload-cutoff', '5M']);
		t.is(copied.code, 0, copied.stderr);
		const checked = await rclone(['check', 'src:rclone-source/data', 'dst:rclone-destination/copy']);
		t.is(checked.code, 0, checked.stderr);
		t.regex(checked.stderr, /0 differences found/);
		const destination = oss.client();
		for (const [key, body] of files) {
			const head = await destination.head('rclone-destination', key.replace(/^data\//, 'copy/'));
			t.is(head?.size, body.length, key);
		}
	});

	test.serial('rclone check reports a changed object on OSS as a difference', async t => {
		await oss.client().put('rclone-destination', 'copy/small.txt', Buffer.from('changed\n'));
		const checked = await rclone(['check', 'src:rclone-source/data', 'dst:rclone-destination/copy']);
		t.not(checked.code, 0);
		t.regex(checked.stderr, /1 differences found/);
	});

	test.serial('a wrong OSS secret fails with OSS\'s SignatureDoesNotMatch', async t => {
		const listed = await rclone(['lsf', 'dst:rclone-destination'], {ossSecret: 'not-the-secret'});
		t.not(listed.code, 0);
		t.regex(listed.stderr, /SignatureDoesNotMatch/);
	});
} else {
	test.skip('rclone conformance: skipped because `rclone` is not on PATH; .ci/run installs it', () => {});
}
