import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

/** The built CLI, as `bin.ferry` in package.json names it: benchmarks measure what users run, not tsx. */
export const ferryCliPath = fileURLToPath(new URL('../../distribution/ferry.js', import.meta.url));

export function assertFerryBuilt(): void {
	if (!existsSync(ferryCliPath)) {
		throw new Error(`${ferryCliPath} is missing; run \`npm run build\` first (\`npm run bench\` does).`);
	}
}

export type FerryOutcome = {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	elapsedMs: number;
};

/** Runs the built CLI with stdin on /dev/null, the way a script or CI job would. */
export async function runFerry(args: readonly string[], options: {env: NodeJS.ProcessEnv; timeoutMs: number}): Promise<FerryOutcome> {
	assertFerryBuilt();
	const started = performance.now();
	const child = spawn(process.execPath, [ferryCliPath, ...args], {env: options.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code, closeSignal) => {
			resolve([code, closeSignal]);
		});
	});
	return {exitCode, signal, stdout, stderr, elapsedMs: performance.now() - started};
}

/** The last lines of a child's stderr, for a failure message. */
export function tail(text: string, lines = 8): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}
