import process from 'node:process';

export type Mode = 'interactive' | 'plain';

/**
 * Decided once: the Ink UI only when stdin and the UI stream are terminals and neither --no-input nor CI is set.
 * With --json, stdout carries the result document, so the UI (if any) draws on stderr.
 */
export function decideMode(options: {noInput: boolean; json: boolean}, env: NodeJS.ProcessEnv = process.env, streams = {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr}): Mode {
	const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
	const uiStream = options.json ? streams.stderr : streams.stdout;
	const terminal = Boolean(streams.stdin.isTTY) && Boolean(uiStream.isTTY) && env['TERM'] !== 'dumb';
	return terminal && !options.noInput && !ci ? 'interactive' : 'plain';
}
