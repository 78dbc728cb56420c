import {existsSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, sessionDirectory, untilSignalCaught, useLocalCloud, waitForSession} from '../helpers/cli.js';
import type {RunDocument} from '../helpers/run-document.js';

const cloud = useLocalCloud(test);

// First in the file, while the home holds no other unfinished session.
test.serial('two processes, one session: a second `ferry resume ID` refuses at once naming the owner pid; `ferry resume` skips it', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const owner = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	let exited = false;
	void owner.finally(() => {
		exited = true;
	});
	const running = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps['unload']?.state === 'running', {intervalMs: 20, exited: () => exited});
	t.truthy(running, 'the unload step was never seen running');
	const started = Date.now();
	const second = await cloud.ferry(['resume', running!.id, '--yes', '--json']);
	t.true(Date.now() - started < 15_000, 'refused at once, without waiting for the owner');
	t.is(second.exitCode, 1, describeRun(second));
	t.regex(second.stderr, new RegExp(`^✖ Session ${running!.id} is being run by another ferry process \\(pid ${owner.pid}, since `, 'm'));
	t.is(parseJsonOutput<{exitCode: number}>(second).exitCode, 1);
	// The only unfinished session is the one running: `ferry resume` without an id leaves it alone.
	const any = await cloud.ferry(['resume', '--yes', '--json']);
	t.is(any.exitCode, 2, describeRun(any));
	t.true(any.stderr.includes(`No unfinished session to resume: ${running!.id} is being run by pid ${owner.pid}`), describeRun(any));
	t.notRegex(readSessionFile(cloud.home, running!.id)?.steps['unload']?.state ?? '', /interrupted|failed/, 'the owner run was not disturbed');

	owner.kill('SIGINT');
	const finished = await owner;
	t.is(finished.exitCode, 130, describeRun(finished));
	t.is(readSessionFile(cloud.home, running!.id)?.steps['unload']?.attempts, 1, 'only the owner ever ran the unload');
});

// conf's when-exit re-sent every SIGINT to the process, so one Ctrl-C early in a run counted as two: exit with no
// JSON, and the session left "running" with no pid. One SIGINT must always be one clean interrupt. The delay counts
// from ferry's handler being installed: before that the signal meets Node's start, not ferry.
for (const delayMs of [300, 700, 1200]) {
	test.serial(`one SIGINT ${delayMs} ms into a run: exit 130, one JSON document, session interrupted, lock released`, async t => {
		const before = new Set(listSessionIds(cloud.home));
		const child = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
		t.true(await untilSignalCaught(child.pid!, 'SIGINT'), 'ferry never installed its SIGINT handler');
		await sleep(delayMs);
		child.kill('SIGINT');
		const result = await child;
		t.is(result.signal, undefined, describeRun(result));
		t.is(result.exitCode, 130, describeRun(result));
		t.false(result.stderr.includes('Interrupted again'), describeRun(result));
		const document = parseJsonOutput<RunDocument>(result);
		t.false(document.ok);
		t.is(document.exitCode, 130);
		const created = listSessionIds(cloud.home).filter(id => !before.has(id));
		t.true(created.length <= 1);
		if (created[0] === undefined) {
			// Interrupted before a session existed: nothing was changed, and the JSON says so.
			t.regex(document.error?.message ?? '', /Interrupted/);
			return;
		}

		t.is(document.session.id, created[0]);
		t.is(document.session.state, 'interrupted');
		const saved = readSessionFile(cloud.home, created[0])!;
		t.is(saved.state, 'interrupted');
		t.is(typeof saved.pid, 'number');
		t.false(existsSync(path.join(sessionDirectory(cloud.home, created[0]), 'session.lock')), 'the lock is released on exit');
		t.regex(document.error?.hint ?? '', new RegExp(`ferry resume ${created[0]}`));
	});
}

test.serial('a SIGKILL right after the session is created leaves it shown as killed, not running', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const created = await waitForSession(cloud.home, session => !before.has(session.id), {intervalMs: 5, exited: () => exited});
	child.kill('SIGKILL');
	await child;
	t.truthy(created, 'the session file never appeared');
	t.is(created!.pid, child.pid, 'the owner pid is in the very first session file');
	const listed = await cloud.ferry(['sessions', '--json']);
	const summary = parseJsonOutput<Array<{id: string; state: string}>>(listed).find(item => item.id === created!.id);
	t.is(summary?.state, 'killed');

	// The dead owner's lock does not hold the session hostage.
	const deleted = await cloud.ferry(['sessions', 'delete', created!.id, '--json']);
	t.is(deleted.exitCode, 0, describeRun(deleted));
});
