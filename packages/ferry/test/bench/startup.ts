/**
 * Benchmark: how long `ferry --version` takes against a bare `node -e 0`, i.e. what ferry's own module graph costs
 * at start-up. Goal: under 1.5× node's own start-up.
 * Run directly with `node --import=tsx test/bench/startup.ts` after `npm run build`.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {Benchmark, Report} from './benchmark.js';
import {assertFerryBuilt, ferryCliPath} from './ferry-cli.js';
import {median, milliseconds} from './statistics.js';

const rounds = 30;
const goalRatio = 1.5;

export type StartupResult = {
	rounds: number;
	ferryMedianMs: number;
	nodeMedianMs: number;
	ratio: number;
	goalRatio: number;
	goalMet: boolean;
	ferryMs: number[];
	nodeMs: number[];
};

function packageVersion(): string {
	const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
	return manifest.version;
}

/** Times one process from spawn to exit; a failing or wrong answer would make the figure meaningless, so it throws. */
function timeProcess(args: readonly string[], expectedStdout: string): number {
	const started = performance.now();
	const result = spawnSync(process.execPath, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	const elapsed = performance.now() - started;
	if (result.error) {
		throw result.error;
	}

	if (result.status !== 0 || result.stdout.trim() !== expectedStdout) {
		throw new Error(`\`node ${args.join(' ')}\` exited ${result.status} with ${JSON.stringify(result.stdout.trim())} (expected ${JSON.stringify(expectedStdout)}): ${result.stderr.trim()}`);
	}

	return elapsed;
}

export async function benchStartup(report: Report): Promise<StartupResult> {
	assertFerryBuilt();
	const version = packageVersion();
	const ferry = () => timeProcess([ferryCliPath, '--version'], version);
	const node = () => timeProcess(['-e', '0'], '');
	// One discarded round each, so the first measured ferry run does not pay for a cold file cache.
	ferry();
	node();
	const ferryMs: number[] = [];
	const nodeMs: number[] = [];
	// Alternating spreads any drift in machine load over both commands evenly.
	for (let round = 0; round < rounds; round++) {
		ferryMs.push(ferry());
		nodeMs.push(node());
	}

	const ferryMedianMs = median(ferryMs);
	const nodeMedianMs = median(nodeMs);
	const ratio = ferryMedianMs / nodeMedianMs;
	const spread = (values: number[]) => `min ${milliseconds(Math.min(...values))}, max ${milliseconds(Math.max(...values))}`;
	report(`${rounds} runs each, alternating (${process.version})`);
	report(`ferry --version  median ${milliseconds(ferryMedianMs)} (${spread(ferryMs)})`);
	report(`node -e 0        median ${milliseconds(nodeMedianMs)} (${spread(nodeMs)})`);
	report(`ratio ${ratio.toFixed(2)}× — goal < ${goalRatio}×: ${ratio < goalRatio ? 'met' : 'NOT met'}`);
	return {rounds, ferryMedianMs, nodeMedianMs, ratio, goalRatio, goalMet: ratio < goalRatio, ferryMs, nodeMs};
}

export const startupBenchmark: Benchmark = {
	name: 'startup',
	title: 'ferry --version vs node -e 0',
	run: benchStartup,
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	await benchStartup(line => {
		console.log(line);
	});
}
