/**
 * `npm run bench [-- [--json] [name…]]`: runs the chosen benchmarks (all by default) one after the other and prints a
 * readable report on stdout; with --json the report lines go to stderr and one JSON document to stdout.
 * Benchmarks are not tests: they measure, they do not pass or fail on figures.
 */
import {existsSync} from 'node:fs';
import os from 'node:os';
import {fileURLToPath} from 'node:url';
import type {Benchmark, Report} from './benchmark.js';
import {firstFrameBenchmark} from './first-frame.js';
import {localCloudScaleBenchmark} from './local-cloud-scale.js';
import {localRunBenchmark} from './local-run.js';
import {proceduresBenchmark} from './procedures.js';
import {startupBenchmark} from './startup.js';
import {seconds} from './statistics.js';

/** Written by another engineer; it may not exist yet, so it is loaded by path and checked. */
const objectStoreCopyModule = new URL('./object-store-copy.ts', import.meta.url);

const objectStoreCopyBenchmark: Benchmark = {
	name: 'object-store-copy',
	title: '1 GiB from the S3 stand-in to the OSS stand-in (ferry copyPrefix, then rclone)',
	async run(report) {
		if (!existsSync(fileURLToPath(objectStoreCopyModule))) {
			report('skipped: test/bench/object-store-copy.ts does not exist yet');
			return {skipped: true};
		}

		const loaded = await import(objectStoreCopyModule.href) as {benchObjectStoreCopy?: unknown};
		if (typeof loaded.benchObjectStoreCopy !== 'function') {
			report('skipped: test/bench/object-store-copy.ts does not export benchObjectStoreCopy');
			return {skipped: true};
		}

		await (loaded.benchObjectStoreCopy as (report: Report) => Promise<void>)(report);
		return undefined;
	},
};

/** In this order: the 1 GiB copy goes last so the others do not run on a machine busy flushing it. */
const benchmarks: readonly Benchmark[] = [startupBenchmark, firstFrameBenchmark, proceduresBenchmark, localRunBenchmark, localCloudScaleBenchmark, objectStoreCopyBenchmark];

type Outcome = {name: string; title: string; ok: boolean; elapsedMs: number; lines: string[]; result?: unknown; error?: string};

function parseArguments(argv: readonly string[]): {json: boolean; selected: Benchmark[]} {
	const json = argv.includes('--json');
	const names = argv.filter(argument => argument !== '--json');
	const unknown = names.filter(name => !benchmarks.some(benchmark => benchmark.name === name));
	if (unknown.length > 0) {
		throw new Error(`Unknown benchmark ${unknown.join(', ')}; choose from ${benchmarks.map(benchmark => benchmark.name).join(', ')}`);
	}

	return {json, selected: names.length === 0 ? [...benchmarks] : benchmarks.filter(benchmark => names.includes(benchmark.name))};
}

function machine(): string {
	const cpus = os.cpus();
	return `node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, load ${os.loadavg().map(load => load.toFixed(2)).join(' ')}`;
}

async function main(argv: readonly string[]): Promise<number> {
	let options: ReturnType<typeof parseArguments>;
	try {
		options = parseArguments(argv);
	} catch (error) {
		console.error((error as Error).message);
		return 2;
	}

	const print = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
	const environment = machine();
	print(`ferry benchmarks — ${environment}`);
	const outcomes: Outcome[] = [];
	for (const benchmark of options.selected) {
		print('');
		print(`== ${benchmark.name}: ${benchmark.title}`);
		const lines: string[] = [];
		const report: Report = line => {
			lines.push(line);
			print(`  ${line}`);
		};

		const started = performance.now();
		try {
			const result = await benchmark.run(report);
			outcomes.push({name: benchmark.name, title: benchmark.title, ok: true, elapsedMs: performance.now() - started, lines, ...(result === undefined ? {} : {result})});
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			report(`FAILED: ${message}`);
			outcomes.push({name: benchmark.name, title: benchmark.title, ok: false, elapsedMs: performance.now() - started, lines, error: message});
		}
	}

	print('');
	print('== summary');
	for (const outcome of outcomes) {
		print(`  ${outcome.ok ? '✔' : '✖'} ${outcome.name.padEnd(18)} ${seconds(outcome.elapsedMs)}`);
	}

	if (options.json) {
		process.stdout.write(`${JSON.stringify({machine: environment, benchmarks: outcomes}, undefined, 2)}\n`);
	}

	return outcomes.every(outcome => outcome.ok) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
