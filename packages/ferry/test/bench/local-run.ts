/**
 * Benchmark: the whole redshift-to-maxcompute migration on the local cloud, at TPC-H SF 0.01 and 0.1. Each scale
 * gets a fresh FERRY_HOME, so seeding is measured from nothing and no session or port is shared with the user's.
 * Run directly with `node --import=tsx test/bench/local-run.ts [scale…]` after `npm run build`.
 */
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Session} from '../../source/engine/session.js';
import {exitCodes} from '../../source/engine/errors.js';
import {ferryPaths} from '../../source/store/paths.js';
import type {ReportSummary, VerificationReport} from '../../source/verify/report.js';
import type {Benchmark, Report} from './benchmark.js';
import {assertFerryBuilt, runFerry, tail} from './ferry-cli.js';
import {seconds} from './statistics.js';

const defaultScales = [0.01, 0.1];
const startTimeoutMs = 10 * 60_000;
const runTimeoutMs = 30 * 60_000;

/** What `ferry run … --json` prints (source/session-run.ts), as far as the benchmark reads it. */
export type RunDocument = {
	ok: boolean;
	exitCode: number;
	session: {id: string; state: string};
	steps: Array<{id: string; title: string; state: string}>;
	error?: {message: string; hint?: string};
	verification?: VerificationReport;
};

export type StepTiming = {id: string; title: string; state: string; durationMs?: number; share?: number};

export type LocalRunResult = {
	scaleFactor: number;
	seedingMs: number;
	runMs: number;
	exitCode: number | null;
	sessionId: string;
	steps: StepTiming[];
	/** Run time spent outside every step: process start-up, profile preparation, the final report. */
	outsideStepsMs: number;
	verification?: ReportSummary & {differing: string[]};
};

export function benchEnvironment(home: string): NodeJS.ProcessEnv {
	// Any FERRY_* setting of the caller (answers, secrets, ASCII output) would make the figures differ from a default run.
	const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('FERRY_'));
	return {...Object.fromEntries(inherited), FERRY_HOME: home, NO_COLOR: '1', FORCE_COLOR: '0'};
}

export function stepTimings(document: RunDocument, session: Session, runMs: number): {steps: StepTiming[]; outsideStepsMs: number} {
	let insideMs = 0;
	const steps = document.steps.map(step => {
		const record = session.steps[step.id];
		const timing: StepTiming = {id: step.id, title: step.title, state: record?.state ?? step.state};
		if (record?.startedAt && record.finishedAt) {
			timing.durationMs = Date.parse(record.finishedAt) - Date.parse(record.startedAt);
			timing.share = timing.durationMs / runMs;
			insideMs += timing.durationMs;
		}

		return timing;
	});
	return {steps, outsideStepsMs: Math.max(0, runMs - insideMs)};
}

export function reportSteps(report: Report, steps: StepTiming[], outsideStepsMs: number, runMs: number): void {
	const rows = [
		...steps.map(step => [step.title, step.state, step.durationMs === undefined ? '—' : seconds(step.durationMs), step.share === undefined ? '—' : percent(step.share)]),
		['(outside steps)', '', seconds(outsideStepsMs), percent(outsideStepsMs / runMs)],
	];
	const header = ['step', 'state', 'duration', 'share'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const line = (cells: string[]) => `  ${cells.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ')}`;
	report(line(header));
	for (const row of rows) {
		report(line(row));
	}
}

function percent(share: number): string {
	return `${(share * 100).toFixed(1)}%`;
}

function summariseVerification(verification: VerificationReport): ReportSummary & {differing: string[]} {
	const differing = verification.comparisons.filter(comparison => !comparison.equal).map(comparison => {
		const firstError = comparison.errors[0];
		return firstError ? `${comparison.title}: ${firstError.side}: ${firstError.message}` : comparison.title;
	});
	return {...verification.summary, differing};
}

/** Stops the home's local cloud; then ends any daemon the CLI could not, e.g. one still seeding when start timed out. */
export async function stopLocalCloud(env: NodeJS.ProcessEnv, report: Report): Promise<void> {
	const stop = await runFerry(['local-cloud', 'stop'], {env, timeoutMs: 60_000}).catch((error: unknown) => ({exitCode: null, stderr: String(error)}));
	if (stop.exitCode !== 0) {
		report(`ferry local-cloud stop failed (${stop.exitCode}): ${tail(stop.stderr, 3)}`);
	}

	for (const pid of processesUsingHome(env['FERRY_HOME']!)) {
		report(`ending leftover local-cloud process ${pid}`);
		killQuietly(pid);
	}
}

/**
 * Processes this benchmark started for a home: the detached daemon writes its pid to state.json only once every
 * stand-in is up, so before that it is found by the temp FERRY_HOME in its environment (Linux /proc).
 */
function processesUsingHome(home: string): number[] {
	const marker = `FERRY_HOME=${home}\0`;
	const pids: number[] = [];
	let entries: string[];
	try {
		entries = readdirSync('/proc').filter(entry => /^\d+$/.test(entry));
	} catch {
		return pids;
	}

	for (const entry of entries) {
		try {
			if (Number(entry) !== process.pid && readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) {
				pids.push(Number(entry));
			}
		} catch {
			// The process ended or belongs to another user.
		}
	}

	return pids;
}

function killQuietly(pid: number): void {
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
}

async function benchScale(scaleFactor: number, report: Report): Promise<LocalRunResult> {
	const home = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-bench-local-run-'));
	const env = benchEnvironment(home);
	// The daemon is detached, so Ctrl-C would not reach it: clean up before leaving.
	const onInterrupt = () => {
		for (const pid of processesUsingHome(home)) {
			killQuietly(pid);
		}

		rmSync(home, {recursive: true, force: true});
		process.exit(exitCodes.interrupted);
	};

	process.once('SIGINT', onInterrupt);
	try {
		report(`SF ${scaleFactor}: FERRY_HOME ${home}`);
		const start = await runFerry(['local-cloud', 'start', '--scale', String(scaleFactor)], {env, timeoutMs: startTimeoutMs});
		if (start.exitCode !== 0) {
			throw new Error(`ferry local-cloud start --scale ${scaleFactor} exited ${start.exitCode ?? start.signal}: ${tail(start.stderr)}`);
		}

		report(`  seeding (ferry local-cloud start --scale ${scaleFactor}): ${seconds(start.elapsedMs)}`);
		const run = await runFerry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json'], {env, timeoutMs: runTimeoutMs});
		let document: RunDocument;
		try {
			document = JSON.parse(run.stdout) as RunDocument;
		} catch {
			throw new Error(`ferry run exited ${run.exitCode ?? run.signal} without a JSON document: ${tail(run.stderr)}`);
		}

		report(`  run (ferry run redshift-to-maxcompute --local --yes --json): ${seconds(run.elapsedMs)}, exit ${run.exitCode}, session ${document.session.id} ${document.session.state}`);
		const session = JSON.parse(readFileSync(path.join(ferryPaths(env).sessions, document.session.id, 'session.json'), 'utf8')) as Session;
		const {steps, outsideStepsMs} = stepTimings(document, session, run.elapsedMs);
		reportSteps(report, steps, outsideStepsMs, run.elapsedMs);
		const verification = document.verification ? summariseVerification(document.verification) : undefined;
		if (verification) {
			report(`  verification: ${verification.text}`);
			for (const difference of verification.differing) {
				report(`    ✖ ${difference}`);
			}
		}

		if (run.exitCode !== exitCodes.ok && run.exitCode !== exitCodes.verification) {
			throw new Error(`ferry run exited ${run.exitCode ?? run.signal}: ${document.error?.message ?? tail(run.stderr)}`);
		}

		return {scaleFactor, seedingMs: start.elapsedMs, runMs: run.elapsedMs, exitCode: run.exitCode, sessionId: document.session.id, steps, outsideStepsMs, ...(verification ? {verification} : {})};
	} finally {
		await stopLocalCloud(env, report);
		await fs.rm(home, {recursive: true, force: true});
		process.off('SIGINT', onInterrupt);
	}
}

export async function benchLocalRun(report: Report, scales: readonly number[] = defaultScales): Promise<LocalRunResult[]> {
	assertFerryBuilt();
	const results: LocalRunResult[] = [];
	for (const scale of scales) {
		results.push(await benchScale(scale, report));
	}

	return results;
}

export const localRunBenchmark: Benchmark = {
	name: 'local-run',
	title: 'redshift-to-maxcompute on the local cloud, SF 0.01 and 0.1',
	run: async report => benchLocalRun(report),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const scales = process.argv.slice(2).map(Number);
	await benchLocalRun(line => {
		console.log(line);
	}, scales.length > 0 ? scales : defaultScales);
}
