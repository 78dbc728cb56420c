/**
 * Benchmark: time from spawning `ferry` in a pseudo-terminal (util-linux `script`) to the home screen's first frame,
 * with Node's module compile cache (what ferry enables) and without it (NODE_DISABLE_COMPILE_CACHE=1).
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import type {Benchmark, Report} from './benchmark.js';
import {assertFerryBuilt, ferryCliPath} from './ferry-cli.js';
import {median, milliseconds} from './statistics.js';

const rounds = 12;
const firstFrameText = 'Start a procedure';

function shellQuote(text: string): string {
	return `'${text.replaceAll('\'', '\'\\\'\'')}'`;
}

/** Spawns ferry on a pty and resolves with the milliseconds until its first frame shows the home menu. */
async function timeFirstFrame(env: NodeJS.ProcessEnv): Promise<number> {
	const started = performance.now();
	const command = `stty cols 80 rows 24; ${shellQuote(process.execPath)} ${shellQuote(ferryCliPath)}`;
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

export type FirstFrameResult = {rounds: number; compileCacheMedianMs: number; noCacheMedianMs: number};

export async function benchFirstFrame(report: Report): Promise<FirstFrameResult> {
	assertFerryBuilt();
	const home = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-frame-'));
	const cacheDir = path.join(home, 'compile-cache');
	// ferry is interactive only outside CI, so the variable is left out of the child's environment.
	const {CI: _ci, ...inherited} = process.env;
	const base = {...inherited, FERRY_HOME: home, TERM: 'xterm-256color', NODE_COMPILE_CACHE: cacheDir};
	const cached: number[] = [];
	const uncached: number[] = [];
	try {
		// One discarded round each: the first fills the compile cache and the file cache.
		await timeFirstFrame(base);
		await timeFirstFrame({...base, NODE_DISABLE_COMPILE_CACHE: '1'});
		for (let round = 0; round < rounds; round++) {
			cached.push(await timeFirstFrame(base));
			uncached.push(await timeFirstFrame({...base, NODE_DISABLE_COMPILE_CACHE: '1'}));
		}
	} finally {
		rmSync(home, {recursive: true, force: true});
	}

	const compileCacheMedianMs = median(cached);
	const noCacheMedianMs = median(uncached);
	report(`${rounds} runs each on a pty, alternating (${process.version})`);
	report(`home screen, compile cache on   median ${milliseconds(compileCacheMedianMs)}`);
	report(`home screen, compile cache off  median ${milliseconds(noCacheMedianMs)}`);
	return {rounds, compileCacheMedianMs, noCacheMedianMs};
}

export const firstFrameBenchmark: Benchmark = {
	name: 'first-frame',
	title: 'time to the home screen\'s first frame on a pty',
	run: benchFirstFrame,
};
