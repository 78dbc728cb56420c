/**
 * Benchmark: time from spawning `ferry` in a pseudo-terminal (util-linux `script`) to the home screen's first frame,
 * against the floor of a minimal Ink app bundled the same way (test/bench/minimal-ink-app.tsx), in the same run and
 * on the same pty; and ferry without Node's module compile cache (NODE_DISABLE_COMPILE_CACHE=1). Goal: ≤ 1.5× the floor.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import type {Benchmark, Report} from './benchmark.js';
import {fileURLToPath} from 'node:url';
import {assertFerryBuilt, ferryCliPath} from './ferry-cli.js';
import {median, milliseconds} from './statistics.js';

const rounds = 12;
const firstFrameText = 'Start a procedure';
const goalRatio = 1.5;

function shellQuote(text: string): string {
	return `'${text.replaceAll('\'', '\'\\\'\'')}'`;
}

/** Spawns ferry on a pty and resolves with the milliseconds until its first frame shows the home menu. */
function nodeCommand(script: string): string {
	return `${shellQuote(process.execPath)} ${shellQuote(script)}`;
}

/** `npm start` in the project, as the README tells a new user to run it (the tree is unchanged: no rebuild). */
const npmStart = `cd ${shellQuote(fileURLToPath(new URL('../..', import.meta.url)))} && npm start`;

async function timeFirstFrame(shellCommand: string, env: NodeJS.ProcessEnv): Promise<number> {
	const started = performance.now();
	const command = `stty cols 80 rows 24; ${shellCommand}`;
	const child = spawn('script', ['-qfec', command, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'pipe'], detached: true});
	return new Promise((resolve, reject) => {
		let screen = '';
		const timer = setTimeout(() => {
			finish(new Error(`no home screen within 20 s; the screen showed: ${screen.slice(-300)}`));
		}, 20_000);
		function finish(outcome: number | Error) {
			clearTimeout(timer);
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// Already gone.
			}

			if (outcome instanceof Error) {
				reject(outcome);
			} else {
				resolve(outcome);
			}
		}

		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			screen += chunk;
			if (stripVTControlCharacters(screen).includes(firstFrameText)) {
				finish(performance.now() - started);
			}
		});
		child.once('error', finish);
	});
}

/** Bundles the minimal Ink app with esbuild, as scripts/build.js bundles ferry. */
async function buildMinimalInkApp(directory: string): Promise<string> {
	const esbuild = await import('esbuild');
	await esbuild.build({
		entryPoints: {'minimal-ink-app': fileURLToPath(new URL('minimal-ink-app.tsx', import.meta.url))},
		outdir: directory,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node22.13',
		jsx: 'automatic',
		// React's production build: the development one is twice the code and checks every render.
		define: {'process.env.NODE_ENV': '"production"'},
		external: ['react-devtools-core'],
		logLevel: 'warning',
		banner: {js: 'import {createRequire as __benchRequire} from \'node:module\'; const require = __benchRequire(import.meta.url);'},
	});
	return path.join(directory, 'minimal-ink-app.js');
}

export type FirstFrameResult = {rounds: number; ferryMedianMs: number; minimalInkMedianMs: number; ratio: number; goalRatio: number; goalMet: boolean; noCacheMedianMs: number; npmStartMedianMs: number};

export async function benchFirstFrame(report: Report): Promise<FirstFrameResult> {
	assertFerryBuilt();
	const home = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-frame-'));
	const cacheDir = path.join(home, 'compile-cache');
	// ferry is interactive only outside CI, so the variable is left out of the child's environment.
	const {CI: _ci, ...inherited} = process.env;
	const base = {...inherited, FERRY_HOME: home, TERM: 'xterm-256color', NODE_COMPILE_CACHE: cacheDir};
	const noCache = {...base, NODE_DISABLE_COMPILE_CACHE: '1'};
	const ferry: number[] = [];
	const minimal: number[] = [];
	const uncached: number[] = [];
	const viaNpmStart: number[] = [];
	try {
		const minimalApp = await buildMinimalInkApp(home);
		// One discarded round each: the first fills the compile cache and the file cache.
		await timeFirstFrame(nodeCommand(ferryCliPath), base);
		await timeFirstFrame(nodeCommand(minimalApp), base);
		await timeFirstFrame(nodeCommand(ferryCliPath), noCache);
		await timeFirstFrame(npmStart, base);
		for (let round = 0; round < rounds; round++) {
			ferry.push(await timeFirstFrame(nodeCommand(ferryCliPath), base));
			minimal.push(await timeFirstFrame(nodeCommand(minimalApp), base));
			uncached.push(await timeFirstFrame(nodeCommand(ferryCliPath), noCache));
			viaNpmStart.push(await timeFirstFrame(npmStart, base));
		}
	} finally {
		rmSync(home, {recursive: true, force: true});
	}

	const ferryMedianMs = median(ferry);
	const minimalInkMedianMs = median(minimal);
	const noCacheMedianMs = median(uncached);
	const npmStartMedianMs = median(viaNpmStart);
	const ratio = ferryMedianMs / minimalInkMedianMs;
	report(`${rounds} runs each on a pty at 80×24, interleaved (${process.version})`);
	report(`ferry home screen               median ${milliseconds(ferryMedianMs)}`);
	report(`minimal bundled Ink app         median ${milliseconds(minimalInkMedianMs)}`);
	report(`ratio                           ${ratio.toFixed(2)}× (goal ≤ ${goalRatio}×: ${ratio <= goalRatio ? 'met' : 'not met'})`);
	report(`ferry, compile cache off        median ${milliseconds(noCacheMedianMs)}`);
	report(`npm start (tree unchanged)      median ${milliseconds(npmStartMedianMs)} (goal < 1 s)`);
	return {rounds, ferryMedianMs, minimalInkMedianMs, ratio, goalRatio, goalMet: ratio <= goalRatio, noCacheMedianMs, npmStartMedianMs};
}

export const firstFrameBenchmark: Benchmark = {
	name: 'first-frame',
	title: 'time to the home screen\'s first frame on a pty, against a minimal bundled Ink app',
	run: benchFirstFrame,
};
