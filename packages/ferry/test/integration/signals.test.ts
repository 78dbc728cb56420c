import {existsSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, sessionDirectory, useLocalCloud, waitForSession} from '../helpers/cli.js';
import type {RunDocument} from '../helpers/run-document.js';

// SIGTERM (timeout, docker stop, systemd) and SIGHUP (a dropped SSH session) are an interrupt like Ctrl-C: the
// session is saved, the process ends promptly with 128 + the signal's number, and the session resumes.
const cloud = useLocalCloud(test);

/** Spawns a run, waits until `step` is running in its session, sends `signal`, and says how long the exit took. */
async function interruptDuring(args: string[], step: string, signal: NodeJS.Signals) {
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(args, {timeoutMs: 300_000});
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const running = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps[step]?.state === 'running', {intervalMs: 20, exited: () => exited, timeoutMs: 180_000});
	const sentAt = Date.now();
	child.kill(signal);
	const result = await child;
	return {result, running, elapsedMs: Date.now() - sentAt};
}

test.serial('SIGTERM during the DataHub sync watch: exit 143 within 2 s, the session interrupted; resume finishes verified', async t => {
	t.timeout(600_000);
	const {result, running, elapsedMs} = await interruptDuring(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'records=5000'], 'sync', 'SIGTERM');
	t.truthy(running, `the sync step was never seen running\n${describeRun(result)}`);
	t.is(result.signal, undefined, describeRun(result));
	t.is(result.exitCode, 143, describeRun(result));
	t.true(elapsedMs < 2000, `exited ${elapsedMs} ms after SIGTERM`);
	const document = parseJsonOutput<RunDocument>(result);
	t.is(document.exitCode, 143);
	t.is(document.session.state, 'interrupted');
	t.is(document.steps.find(step => step.id === 'sync')?.state, 'interrupted');
	t.regex(document.error?.hint ?? '', new RegExp(`ferry resume ${running!.id}`));
	t.false(existsSync(path.join(sessionDirectory(cloud.home, running!.id), 'session.lock')), 'the lock is released');

	const resumed = await cloud.ferry(['resume', running!.id, '--yes', '--json'], {timeoutMs: 300_000});
	t.is(resumed.exitCode, 0, describeRun(resumed));
	t.is(parseJsonOutput<RunDocument>(resumed).verification?.outcome, 'equal');
});

test.serial('a signal during the verification never records a difference: exit 143, interrupted, and `ferry verify` then finds it equal', async t => {
	t.timeout(600_000);
	const before = new Set(listSessionIds(cloud.home));
	const finished = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'records=5000'], {timeoutMs: 300_000});
	t.is(finished.exitCode, 0, describeRun(finished));
	const sessionId = listSessionIds(cloud.home).find(id => !before.has(id))!;

	const child = cloud.spawn(['verify', sessionId, '--json'], {timeoutMs: 120_000});
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const verifying = await waitForSession(cloud.home, session => session.id === sessionId && session.steps['verify']?.state === 'running' && session.pid === child.pid, {intervalMs: 10, exited: () => exited});
	t.truthy(verifying, 'the verify step was never seen running');
	child.kill('SIGTERM');
	const result = await child;
	t.is(result.exitCode, 143, describeRun(result));
	const document = parseJsonOutput<RunDocument>(result);
	t.is(document.session.state, 'interrupted');
	t.not(document.verification?.outcome, 'differs', 'an interrupted check is not a difference');
	t.is(readSessionFile(cloud.home, sessionId)?.state, 'interrupted');

	const again = await cloud.ferry(['verify', sessionId, '--json'], {timeoutMs: 120_000});
	t.is(again.exitCode, 0, describeRun(again));
	t.is(parseJsonOutput<RunDocument>(again).verification?.outcome, 'equal');
});

test.serial('SIGHUP during a run: exit 129 with the session interrupted', async t => {
	const {result, running} = await interruptDuring(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json'], 'unload', 'SIGHUP');
	t.truthy(running, describeRun(result));
	t.is(result.signal, undefined, describeRun(result));
	t.is(result.exitCode, 129, describeRun(result));
	t.is(parseJsonOutput<RunDocument>(result).session.state, 'interrupted');
	t.is(readSessionFile(cloud.home, running!.id)?.state, 'interrupted');
});

for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
	test.serial(`${signal} 300 ms into a run, before it began: exit ${code}, nothing half-done`, async t => {
		const before = new Set(listSessionIds(cloud.home));
		const child = cloud.spawn(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json']);
		await sleep(300);
		child.kill(signal);
		const result = await child;
		const created = listSessionIds(cloud.home).filter(id => !before.has(id));
		if (result.signal === signal) {
			// Node's own start-up (before any JavaScript runs, so before any handler can exist) takes over 300 ms on a
			// loaded machine; a signal then ends it by Node's default action, a shell still sees 128 + n, and nothing
			// was written yet.
			t.is(result.stdout, '', describeRun(result));
			t.deepEqual(created, []);
			t.log(`${signal} arrived during Node's start-up, before ferry's first line ran`);
			return;
		}

		t.is(result.exitCode, code, describeRun(result));
		const document = parseJsonOutput<RunDocument>(result);
		t.is(document.exitCode, code);
		t.true(created.length <= 1);
		if (created[0] !== undefined) {
			t.is(readSessionFile(cloud.home, created[0])?.state, 'interrupted');
		}
	});
}
