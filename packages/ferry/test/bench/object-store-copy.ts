/**
 * Benchmark: copy 1 GiB (16 × 64 MiB) from the S3 stand-in to the OSS stand-in with ferry's copyPrefix, then with
 * `rclone copy` when it is installed. The stand-ins and each copier run in their own processes, so each RSS is the copier's own.
 * Run directly with `node --import=tsx test/bench/object-store-copy.ts`.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {createObjectStore, type ObjectStore} from '../../source/clouds/object-store/client.js';
import {copyPrefix} from '../../source/clouds/object-store/copy.js';
import {compareInventories} from '../../source/clouds/object-store/parity.js';
import {startObjectStoreStandIn} from '@ferry/local-cloud/object-store/server';
import {silentLogger} from '../../source/log/logger.js';

const region = 'ap-southeast-1';
const objectCount = 16;
const objectSize = 64 * 1024 * 1024;
const mebibyte = 1024 * 1024;
const thisFile = fileURLToPath(import.meta.url);

/** Streams `size` bytes that differ per object and per MiB, generated on the fly. */
function generatedBody(size: number, seed: number): Readable {
	const block = randomBytes(mebibyte);
	let sent = 0;
	return new Readable({
		read() {
			if (sent >= size) {
				this.push(null);
				return;
			}

			const chunk = Buffer.from(block.subarray(0, Math.min(mebibyte, size - sent)));
			chunk.writeUInt32LE(seed, 0);
			chunk.writeUInt32LE(sent / mebibyte, 4);
			sent += chunk.length;
			this.push(chunk);
		},
	});
}

type Servers = {s3Url: string; ossUrl: string; ossPort: number; child: ChildProcess};

async function startServers(dataDir: string, credentials: {accessKeyId: string; secret: string}): Promise<Servers> {
	const child = spawn(process.execPath, ['--import=tsx', thisFile, '--serve-stand-ins', dataDir], {
		env: {...process.env, FERRY_BENCH_ACCESS_KEY_ID: credentials.accessKeyId, FERRY_BENCH_SECRET: credentials.secret},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((resolve, reject) => {
		let buffered = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			const newline = buffered.indexOf('\n');
			if (newline !== -1) {
				resolve(buffered.slice(0, newline));
			}
		});
		child.once('exit', code => reject(new Error(`the stand-in process exited with ${code}`)));
	});
	return {...JSON.parse(line) as Omit<Servers, 'child'>, child};
}

async function serveStandIns(dataDir: string): Promise<void> {
	const credentials = {accessKeyId: process.env.FERRY_BENCH_ACCESS_KEY_ID ?? '', secret: process.env.FERRY_BENCH_SECRET ?? ''};
	const s3 = await startObjectStoreStandIn({flavor: 's3', dataDir: path.join(dataDir, 's3'), region, credentials});
	const oss = await startObjectStoreStandIn({flavor: 'oss', dataDir: path.join(dataDir, 'oss'), region, credentials});
	process.stdout.write(`${JSON.stringify({s3Url: s3.url, ossUrl: oss.url, ossPort: oss.port})}\n`);
	process.on('SIGTERM', () => {
		void Promise.all([s3.close(), oss.close()]).then(() => process.exit(0));
	});
}

type CopyOutcome = {seconds: number; peakRss: number; externalPeakRss: number; copied: number; bytesCopied: number; objects: Awaited<ReturnType<typeof copyPrefix>>['objects']};

/** The copy runs in a fresh process so its memory is not mixed with the setup's. */
async function runFerryCopyInChild(servers: Servers, credentials: {accessKeyId: string; secret: string}, mode: 'stream' | 'multipart'): Promise<CopyOutcome> {
	const child = spawn(process.execPath, ['--import=tsx', thisFile, '--copy', mode], {
		env: {...process.env, FERRY_BENCH_ACCESS_KEY_ID: credentials.accessKeyId, FERRY_BENCH_SECRET: credentials.secret, FERRY_BENCH_S3: servers.s3Url, FERRY_BENCH_OSS: servers.ossUrl},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const sampler = rssSampler(() => childRss(child.pid!));
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
	const externalPeakRss = sampler.stop();
	if (code !== 0) {
		throw new Error(`the ferry copy process exited with ${code}`);
	}

	return {...JSON.parse(output) as Omit<CopyOutcome, 'externalPeakRss'>, externalPeakRss};
}

async function copyInThisProcess(mode: string): Promise<void> {
	const keys = {accessKeyId: process.env.FERRY_BENCH_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.FERRY_BENCH_SECRET ?? ''};
	const source = createObjectStore({kind: 's3', endpoint: process.env.FERRY_BENCH_S3, region, credentials: keys, logger: silentLogger, forcePathStyle: true});
	const destination = createObjectStore({kind: 'oss', endpoint: process.env.FERRY_BENCH_OSS, region, credentials: keys, logger: silentLogger});
	const sampler = rssSampler(() => process.memoryUsage().rss);
	const started = performance.now();
	const result = await copyPrefix({
		from: {store: source, bucket: 'bench-source', prefix: 'data/'},
		to: {store: destination, bucket: 'bench-destination', prefix: `ferry-${mode}/`},
		concurrency: 4,
		partSize: 8 * mebibyte,
		queueSize: 1,
		multipartThreshold: mode === 'stream' ? objectSize : 0,
		logger: silentLogger,
	});
	const seconds = (performance.now() - started) / 1000;
	process.stdout.write(JSON.stringify({seconds, peakRss: sampler.stop(), copied: result.copied, bytesCopied: result.bytesCopied, objects: result.objects}));
}

/** Samples a process's resident set every 50 ms and keeps the peak. */
function rssSampler(read: () => number | undefined): {stop: () => number} {
	let peak = read() ?? 0;
	const timer = setInterval(() => {
		peak = Math.max(peak, read() ?? 0);
	}, 50);
	return {
		stop() {
			clearInterval(timer);
			peak = Math.max(peak, read() ?? 0);
			return peak;
		},
	};
}

function childRss(pid: number): number | undefined {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/**
 * rclone's Go resolver does not map `*.localhost` to loopback, and OSS needs virtual-hosted names. rclone therefore
 * reaches the stand-ins through this forwarding proxy (HTTP_PROXY), which sends every request to 127.0.0.1 with the
 * Host header untouched, so signatures and virtual-hosted addressing are exactly what rclone produced.
 */
async function startLoopbackProxy(): Promise<{url: string; close: () => Promise<void>}> {
	const server = http.createServer((request, response) => {
		const target = new URL(request.url ?? '/');
		const headers = {...request.headers};
		delete headers['proxy-connection'];
		const upstream = http.request({host: '127.0.0.1', port: target.port, method: request.method, path: `${target.pathname}${target.search}`, headers}, answer => {
			response.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(response);
		});
		upstream.on('error', () => response.destroy());
		request.pipe(upstream);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: async () => new Promise<void>(resolve => {
			server.close(() => resolve());
			server.closeAllConnections();
		}),
	};
}

const mib = (bytes: number) => (bytes / mebibyte).toFixed(1);

async function runRclone(report: (line: string) => void, servers: Servers, credentials: {accessKeyId: string; secret: string}, destination: ObjectStore): Promise<void> {
	const version = spawnSync('rclone', ['version'], {encoding: 'utf8'});
	if (version.error || version.status !== 0) {
		report('rclone: not installed (Debian package `rclone`); skipping the comparison');
		return;
	}

	report(`rclone: ${version.stdout.split('\n')[0]}`);
	// Secrets go through the environment, never argv.
	const env: NodeJS.ProcessEnv = {...process.env};
	// aws-sdk-go refuses rclone's own transport when AWS_CA_BUNDLE is set; the stand-ins are plain http anyway.
	delete env.AWS_CA_BUNDLE;
	for (const name of ['NO_PROXY', 'no_proxy', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) {
		delete env[name];
	}

	const proxy = await startLoopbackProxy();
	env.HTTP_PROXY = proxy.url;
	report('rclone: reaches the stand-ins through a loopback forwarding proxy, because Go does not resolve *.localhost (see startLoopbackProxy)');
	for (const [name, endpoint, pathStyle] of [['SRC', servers.s3Url, 'true'], ['DST', servers.ossUrl, 'false']] as const) {
		Object.assign(env, {
			[`RCLONE_CONFIG_${name}_TYPE`]: 's3',
			[`RCLONE_CONFIG_${name}_PROVIDER`]: 'Other',
			[`RCLONE_CONFIG_${name}_ENV_AUTH`]: 'false',
			[`RCLONE_CONFIG_${name}_ACCESS_KEY_ID`]: credentials.accessKeyId,
			[`RCLONE_CONFIG_${name}_SECRET_ACCESS_KEY`]: credentials.secret,
			[`RCLONE_CONFIG_${name}_ENDPOINT`]: endpoint,
			[`RCLONE_CONFIG_${name}_REGION`]: region,
			[`RCLONE_CONFIG_${name}_FORCE_PATH_STYLE`]: pathStyle,
			[`RCLONE_CONFIG_${name}_LIST_VERSION`]: '2',
		});
	}

	const started = performance.now();
	const child = spawn('rclone', ['copy', 'src:bench-source/data/', 'dst:bench-destination/rclone/', '--transfers', '4', '--checkers', '8', '--s3-upload-concurrency', '1', '--s3-chunk-size', '8M'], {env, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	const sampler = rssSampler(() => childRss(child.pid!));
	const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
	const peak = sampler.stop();
	const seconds = (performance.now() - started) / 1000;
	await proxy.close();
	if (code !== 0) {
		report(`rclone: failed with exit code ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
		return;
	}

	const inventory = await destination.inventory('bench-destination', 'rclone/');
	report(`rclone: ${inventory.count} objects, ${mib(inventory.bytes)} MiB in ${seconds.toFixed(2)} s = ${(inventory.bytes / mebibyte / seconds).toFixed(1)} MiB/s, peak RSS ${mib(peak)} MiB`);
}

export async function benchObjectStoreCopy(report: (line: string) => void): Promise<void> {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-bench-object-store-'));
	const credentials = {accessKeyId: `AKID${randomBytes(8).toString('hex').toUpperCase()}`, secret: randomBytes(24).toString('base64')};
	const servers = await startServers(dataDir, credentials);
	try {
		const keys = {accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secret};
		const source = createObjectStore({kind: 's3', endpoint: servers.s3Url, region, credentials: keys, logger: silentLogger, forcePathStyle: true});
		const destination = createObjectStore({kind: 'oss', endpoint: servers.ossUrl, region, credentials: keys, logger: silentLogger});
		await source.createBucket('bench-source');
		await destination.createBucket('bench-destination');

		const writeStarted = performance.now();
		for (let index = 0; index < objectCount; index += 4) {
			await Promise.all(Array.from({length: 4}, async (_, offset) =>
				source.upload('bench-source', `data/object-${String(index + offset).padStart(2, '0')}.bin`, generatedBody(objectSize, index + offset), {partSize: 16 * mebibyte})));
		}

		const totalBytes = objectCount * objectSize;
		report(`setup: wrote ${objectCount} × ${mib(objectSize)} MiB to the S3 stand-in in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s`);

		for (const mode of ['stream', 'multipart'] as const) {
			const copy = await runFerryCopyInChild(servers, credentials, mode);
			const differences = compareInventories(
				await source.inventory('bench-source', 'data/'),
				await destination.inventory('bench-destination', `ferry-${mode}/`),
				copy.objects,
			);
			report(`ferry copyPrefix (${mode === 'stream' ? 'streamed PUT per object' : 'multipart, 8 MiB parts, queue 1'}): ${copy.copied} objects, ${mib(copy.bytesCopied)} MiB in ${copy.seconds.toFixed(2)} s = ${(totalBytes / mebibyte / copy.seconds).toFixed(1)} MiB/s, peak RSS ${mib(copy.peakRss)} MiB (process.memoryUsage, 50 ms samples; ${mib(copy.externalPeakRss)} MiB seen from /proc; limit 200 MB ${copy.peakRss < 200e6 ? 'met' : 'EXCEEDED'}), parity ${differences.length === 0 ? 'ok' : `${differences.length} differences: ${differences[0]?.message}`}`);
		}

		await runRclone(report, servers, credentials, destination);
	} finally {
		servers.child.kill('SIGTERM');
		await new Promise(resolve => servers.child.once('exit', resolve));
		await fs.rm(dataDir, {recursive: true, force: true});
	}
}

if (process.argv[1] === thisFile) {
	if (process.argv[2] === '--serve-stand-ins') {
		await serveStandIns(process.argv[3] ?? '');
	} else if (process.argv[2] === '--copy') {
		await copyInThisProcess(process.argv[3] ?? 'stream');
	} else {
		await benchObjectStoreCopy(line => {
			console.log(line);
		});
	}
}
