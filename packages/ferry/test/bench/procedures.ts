/**
 * Benchmarks of the two Alibaba-only procedures on the local cloud: the whole headless run with its step shares,
 * and the write paths they stand on — PutRecords into the DataHub stand-in and PutLogs into the Log Service
 * stand-in, through ferry's own clients, next to the services' documented per-shard limits.
 */
import {readFileSync} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createDataHubClient} from '../../source/clouds/datahub/client.js';
import {encodeRecordValue} from '../../source/clouds/datahub/schema.js';
import {createLogServiceClient} from '../../source/clouds/log-service/client.js';
import type {Session} from '../../source/engine/session.js';
import {startDataHubStandIn} from '@ferry/local-cloud/datahub/server';
import {startLogServiceStandIn} from '@ferry/local-cloud/log-service/server';
import {ferryPaths} from '../../source/store/paths.js';
import type {Benchmark, Report} from './benchmark.js';
import {assertFerryBuilt, runFerry, tail} from './ferry-cli.js';
import {benchEnvironment, reportSteps, stepTimings, stopLocalCloud, type RunDocument} from './local-run.js';
import {seconds} from './statistics.js';

const keys = {accessKeyId: 'LTAIbenchmark0001', secret: 'bench-secret-0001'};
const provider = {description: 'bench keys', getCredentials: async () => ({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret})};
const mib = 1024 * 1024;

async function benchRun(wizard: string, report: Report): Promise<{wizard: string; seedingMs: number; runMs: number; exitCode: number | null}> {
	const home = await fs.mkdtemp(path.join(os.tmpdir(), `ferry-bench-${wizard}-`));
	const env = benchEnvironment(home);
	try {
		const start = await runFerry(['local-cloud', 'start'], {env, timeoutMs: 10 * 60_000});
		if (start.exitCode !== 0) {
			throw new Error(`ferry local-cloud start exited ${start.exitCode}: ${tail(start.stderr)}`);
		}

		report(`${wizard}: local cloud started (and seeded) in ${seconds(start.elapsedMs)}`);
		const run = await runFerry(['run', wizard, '--local', '--yes', '--json'], {env, timeoutMs: 30 * 60_000});
		const document = JSON.parse(run.stdout) as RunDocument;
		report(`  run: ${seconds(run.elapsedMs)}, exit ${run.exitCode}, ${document.verification?.summary.text ?? document.error?.message ?? ''}`);
		const session = JSON.parse(readFileSync(path.join(ferryPaths(env).sessions, document.session.id, 'session.json'), 'utf8')) as Session;
		const {steps, outsideStepsMs} = stepTimings(document, session, run.elapsedMs);
		reportSteps(report, steps, outsideStepsMs, run.elapsedMs);
		return {wizard, seedingMs: start.elapsedMs, runMs: run.elapsedMs, exitCode: run.exitCode};
	} finally {
		await stopLocalCloud(env, report);
		await fs.rm(home, {recursive: true, force: true});
	}
}

/** 50,000 log-like records into a 2-shard topic in batches of 1,000, as the wizard writes them. */
async function benchPutRecords(report: Report) {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-bench-datahub-'));
	const standIn = await startDataHubStandIn({dataDir, region: 'ap-southeast-1', credentials: keys, sync: {intervalMs: 3_600_000}});
	try {
		const client = createDataHubClient({endpoint: standIn.url, credentials: provider});
		await client.createProject('bench', 'bench');
		await client.createTopic('bench', 'logs', {shardCount: 2, lifecycle: 1, fields: [{name: 'f1', type: 'STRING'}, {name: 'f2', type: 'STRING'}, {name: 'f3', type: 'DOUBLE'}], comment: 'bench'});
		const shards = (await client.waitForShardsActive('bench', 'logs')).map(shard => shard.shardId);
		const total = 50_000;
		const batch = 1000;
		let bytes = 0;
		const started = performance.now();
		for (let from = 0; from < total; from += batch) {
			const records = Array.from({length: batch}, (_, offset) => {
				const ordinal = from + offset;
				const values = [`web-0${ordinal % 5}`, `INFO GET /api/orders/${1000 + (ordinal % 9000)} 200 rid=${ordinal.toString(36)}`, encodeRecordValue('DOUBLE', (ordinal % 250_000) / 100)];
				bytes += values.reduce((sum, value) => sum + Buffer.byteLength(value ?? ''), 0);
				return {shardId: shards[ordinal % shards.length]!, values};
			});
			await client.putRecords('bench', 'logs', records);
		}

		const elapsed = (performance.now() - started) / 1000;
		const requests = total / batch;
		report(`PutRecords (DataHub stand-in, 2 shards, batches of ${batch}): ${Math.round(total / elapsed).toLocaleString('en-US')} records/s, ${(bytes / mib / elapsed).toFixed(2)} MiB/s of values, ${(requests / elapsed).toFixed(0)} requests/s`);
		report(`  the service's documented limit for 2 shards: 10 MB/s and 4,000 write requests/s (5 MB/s and 2,000 per shard)`);
		return {records: total, seconds: elapsed, recordsPerSecond: total / elapsed, mibPerSecond: bytes / mib / elapsed};
	} finally {
		await standIn.close();
		await fs.rm(dataDir, {recursive: true, force: true});
	}
}

/** 100,000 logs of seven keys through PutLogs (deflated protobuf, groups of 4,096, as the LogHub writer's maximum batch). */
async function benchPutLogs(report: Report) {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-bench-sls-'));
	const standIn = await startLogServiceStandIn({dataDir, region: 'ap-southeast-1', credentials: keys});
	try {
		const client = createLogServiceClient({endpoint: standIn.url, credentials: provider});
		await client.createProject('bench-logs', 'bench');
		await client.createLogstore('bench-logs', 'logs', {ttlDays: 30, shardCount: 2});
		const total = 100_000;
		const group = 4096;
		const now = Math.floor(Date.now() / 1000);
		let bytes = 0;
		const started = performance.now();
		for (let from = 0; from < total; from += group) {
			const logs = Array.from({length: Math.min(group, total - from)}, (_, offset) => {
				const ordinal = from + offset;
				const contents: Array<[string, string]> = [['col0', `u${ordinal % 97}`], ['col1', String(512 + ordinal)], ['col2', String((ordinal % 10_000) / 8)], ['col3', `${ordinal}.25`], ['col4', String(ordinal % 3 !== 0)], ['col5', '/item/1024 Mozilla/5.0'], ['time_str', '2026_11_28 10:00:00']];
				bytes += contents.reduce((sum, [key, value]) => sum + key.length + value.length, 0);
				return {time: now, contents};
			});
			await client.putLogs('bench-logs', 'logs', {topic: 'bench', source: '127.0.0.1', logs});
		}

		const elapsed = (performance.now() - started) / 1000;
		report(`PutLogs (Log Service stand-in, groups of ${group}): ${Math.round(total / elapsed).toLocaleString('en-US')} logs/s, ${(bytes / mib / elapsed).toFixed(2)} MiB/s of raw keys and values`);
		report('  the service\'s documented limit: 5 MB/s and 500 writes/s per shard');
		return {logs: total, seconds: elapsed, logsPerSecond: total / elapsed, mibPerSecond: bytes / mib / elapsed};
	} finally {
		await standIn.close();
		await fs.rm(dataDir, {recursive: true, force: true});
	}
}

export const proceduresBenchmark: Benchmark = {
	name: 'procedures',
	title: 'datahub-to-maxcompute and maxcompute-to-loghub on the local cloud; PutRecords and PutLogs throughput',
	async run(report) {
		assertFerryBuilt();
		const putRecords = await benchPutRecords(report);
		const putLogs = await benchPutLogs(report);
		const runs = [await benchRun('datahub-to-maxcompute', report), await benchRun('maxcompute-to-loghub', report)];
		return {putRecords, putLogs, runs};
	},
};
