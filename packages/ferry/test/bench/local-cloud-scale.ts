/**
 * Benchmark: the local cloud at three TPC-H scale factors. For each, a fresh FERRY_HOME: `ferry local-cloud start
 * --scale N` (the first start, which seeds the Redshift stand-in) and then a whole `ferry run redshift-to-maxcompute
 * --local --yes`, with the UNLOAD, transfer and LOAD steps' shares. The goal (issue 12): under a minute each at SF 1.
 * Run alone with `node --import=tsx test/bench/local-cloud-scale.ts [scale…]` after `npm run build`.
 */
import {fileURLToPath} from 'node:url';
import type {Benchmark, Report} from './benchmark.js';
import {benchLocalRun, type LocalRunResult} from './local-run.js';
import {seconds} from './statistics.js';

export const scaleFactors = [0.01, 0.1, 1];
const goalMs = 60_000;

function summarise(results: readonly LocalRunResult[], report: Report): void {
	report('');
	report('  SF      seeding   whole run');
	for (const result of results) {
		const mark = (ms: number) => `${seconds(ms).padStart(9)}${result.scaleFactor === 1 && ms > goalMs ? ' (over 1 min)' : ''}`;
		report(`  ${String(result.scaleFactor).padEnd(6)}${mark(result.seedingMs)}  ${mark(result.runMs)}`);
	}
}

export async function benchLocalCloudScale(report: Report, scales: readonly number[] = scaleFactors): Promise<LocalRunResult[]> {
	const results = await benchLocalRun(report, scales);
	summarise(results, report);
	return results;
}

export const localCloudScaleBenchmark: Benchmark = {
	name: 'local-cloud-scale',
	title: 'local cloud seeding and a whole redshift-to-maxcompute run at TPC-H SF 0.01, 0.1 and 1',
	run: async report => benchLocalCloudScale(report),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const scales = process.argv.slice(2).map(Number);
	await benchLocalCloudScale(line => {
		console.log(line);
	}, scales.length > 0 ? scales : scaleFactors);
}
