/**
 * `startLocalCloud` waits as long as the daemon makes progress, gives up when it stops making any, and says so at
 * once when it dies. A small script stands in for the daemon: it writes progress and state files the way daemon.ts does.
 */
import {readFileSync} from 'node:fs';
import process from 'node:process';
import test from 'ava';
import {ConfigurationError, InterruptedError} from '../../source/engine/errors.js';
import {setDaemonCommandForTests, startLocalCloud} from '@ferry/local-cloud/manager';
import {localCloudFiles} from '../../source/local/files.js';
import type {LocalCloudProgress} from '../../source/local/progress.js';
import {isProcessAlive} from '../../source/store/process-alive.js';
import {useFerryHome} from '../helpers/ferry-home.js';

/** A daemon that reports `reports` times, `everyMs` apart, then either writes its state (ready) or stays silent. */
function fakeDaemon(options: {reports: number; everyMs: number; then: 'ready' | 'silent' | 'die'}): string {
	const files = localCloudFiles();
	return `
const {writeFileSync, renameSync} = require('node:fs');
const write = (file, value) => { writeFileSync(file + '.tmp', JSON.stringify(value)); renameSync(file + '.tmp', file); };
let sequence = 0;
const report = change => write(${JSON.stringify(files.progress)}, {...change, sequence: ++sequence, pid: process.pid, updatedAt: new Date().toISOString()});
let done = 0;
const timer = setInterval(() => {
	report({phase: 'seeding', service: 'redshift', table: 'lineitem', rowsDone: done * 100, rowsTotal: ${options.reports * 100}});
	if (++done < ${options.reports}) return;
	clearInterval(timer);
	${options.then === 'ready'
		? `report({phase: 'ready'}); write(${JSON.stringify(files.state)}, {pid: process.pid, startedAt: new Date().toISOString(), scaleFactor: 0.01, services: {}, doorPorts: {}}); setInterval(() => {}, 1000);`
		: options.then === 'die' ? 'console.error(\'Error: listen EADDRINUSE 127.0.0.1:5439\'); process.exit(4);' : 'setInterval(() => {}, 1000);'}
}, ${options.everyMs});
`;
}

function useFakeDaemon(t: {teardown(fn: () => void): void}, script: string): void {
	setDaemonCommandForTests({command: process.execPath, args: ['-e', script]});
	t.teardown(() => {
		setDaemonCommandForTests();
		try {
			const {pid} = JSON.parse(readFileSync(localCloudFiles().progress, 'utf8')) as {pid: number};
			if (isProcessAlive(pid)) {
				process.kill(pid, 'SIGKILL');
			}
		} catch {
			// It wrote nothing, or is gone.
		}
	});
}

test.serial('a start that keeps making progress is never timed out, however long it takes in all', async t => {
	useFerryHome(t);
	useFakeDaemon(t, fakeDaemon({reports: 12, everyMs: 150, then: 'ready'}));
	const seen: LocalCloudProgress[] = [];
	const started = Date.now();
	const state = await startLocalCloud({stallTimeoutMs: 800, pollMs: 50, onProgress: progress => seen.push(progress)});
	t.true(Date.now() - started > 1500, 'the whole start took longer than the stall timeout');
	t.true(isProcessAlive(state.pid));
	t.is(seen[0]?.phase, 'starting', 'the caller hears at once that the start began');
	t.true(seen.filter(progress => progress.table === 'lineitem').length >= 5, `rows were reported as they went (${seen.length} reports)`);
	t.is(seen.at(-1)?.phase, 'ready');
	process.kill(state.pid, 'SIGKILL');
});

test.serial('a daemon that stops making progress is given up after the stall timeout, with what it last did', async t => {
	useFerryHome(t);
	useFakeDaemon(t, fakeDaemon({reports: 2, everyMs: 100, then: 'silent'}));
	const started = Date.now();
	const error = await t.throwsAsync(startLocalCloud({stallTimeoutMs: 700, pollMs: 50}), {instanceOf: ConfigurationError});
	t.true(Date.now() - started >= 700);
	t.regex(error?.message ?? '', /made no progress for 1 s \(last: seeding TPC-H lineitem: 100 of 200 rows\); it is still running in the background/);
	t.regex(error?.hint ?? '', /ferry local-cloud stop/);
});

test.serial('a daemon that dies ends the wait at once, with the reason from its log', async t => {
	useFerryHome(t);
	useFakeDaemon(t, fakeDaemon({reports: 1, everyMs: 50, then: 'die'}));
	const started = Date.now();
	const error = await t.throwsAsync(startLocalCloud({stallTimeoutMs: 60_000, pollMs: 50}), {instanceOf: ConfigurationError});
	t.true(Date.now() - started < 10_000, 'not after the stall timeout');
	t.regex(error?.message ?? '', /failed to start \(daemon exit 4\): Error: listen EADDRINUSE/);
});

test.serial('an interrupt ends the start wait within a second, with the signal\'s InterruptedError', async t => {
	useFerryHome(t);
	useFakeDaemon(t, fakeDaemon({reports: 100, everyMs: 200, then: 'ready'}));
	const controller = new AbortController();
	setTimeout(() => {
		controller.abort(new InterruptedError('Interrupted: the session is saved', {signal: 'SIGTERM'}));
	}, 300);
	const started = Date.now();
	const error = await t.throwsAsync(startLocalCloud({pollMs: 5000, signal: controller.signal}), {instanceOf: InterruptedError});
	t.true(Date.now() - started < 1300, `${Date.now() - started} ms`);
	t.is(error?.exitCode, 143);
});
