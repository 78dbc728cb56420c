import {readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import type {Session} from '../../source/engine/session.js';
import {isProcessAlive} from '../../source/store/process-alive.js';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, useLocalCloud, waitForSession, type LocalCloudHome} from '../helpers/cli.js';
import type {RunDocument} from '../helpers/run-document.js';

// The local cloud dies under a run (SIGKILL of its daemon while Redshift runs the UNLOADs): ferry stops with a clear
// one-line error, and once the local cloud is started again, `ferry resume` reaches a verified result without
// duplicated rows: statements the restart aborted are submitted again, finished ones are not.
const cloud = useLocalCloud(test);

function daemonPid(home: string): number {
	return (JSON.parse(readFileSync(path.join(home, 'local-cloud', 'state.json'), 'utf8')) as {pid: number}).pid;
}

function submittedStatements(session: Session): string[] {
	return Object.keys(session.steps['unload']?.checkpoints ?? {}).filter(key => key.startsWith('statement:') && session.steps['unload']!.checkpoints[key]);
}

async function countRows(home: LocalCloudHome, sessionId: string, side: 'source' | 'target', table: string): Promise<number> {
	const result = await home.ferry(['sql', '--session', sessionId, '--side', side, '--json', `SELECT COUNT(*) FROM ${table}`]);
	if (result.exitCode !== 0) {
		throw new Error(`ferry sql --side ${side} failed:\n${describeRun(result)}`);
	}

	return Number(parseJsonOutput<{rows: unknown[][]}>(result).rows[0]?.[0]);
}

test.serial('SIGKILL of the local cloud during UNLOAD: restart it, resume, and the result is verified with no duplicates', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const unloading = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps['unload']?.state === 'running' && submittedStatements(session).length > 0, {intervalMs: 20, exited: () => exited});
	const pid = daemonPid(cloud.home);
	process.kill(pid, 'SIGKILL');
	const failed = await child;
	t.truthy(unloading, `the unload step was never seen running with a submitted statement:\n${describeRun(failed)}`);
	const sessionId = unloading!.id;
	while (isProcessAlive(pid)) {
		await sleep(50);
	}

	// ferry exits on its own, with the cause on one line and what to do.
	t.is(failed.signal, undefined);
	t.not(failed.exitCode, 0, describeRun(failed));
	const document = parseJsonOutput<RunDocument>(failed);
	t.false(document.ok);
	t.is(document.exitCode, 3, 'an endpoint that went away is exit 3');
	t.false(document.error?.message.includes('\n'), document.error?.message);
	t.regex(document.error?.message ?? '', /ECONNREFUSED|cannot reach|Cannot reach/i);
	t.regex(document.error?.hint ?? '', /ferry local-cloud (status|start)/);
	const crashed = readSessionFile(cloud.home, sessionId)!;
	t.is(crashed.state, 'failed');
	t.is(crashed.steps['unload']?.state, 'failed');

	const started = await cloud.ferry(['local-cloud', 'start'], {timeoutMs: 150_000});
	t.is(started.exitCode, 0, describeRun(started));

	const resumed = await cloud.ferry(['resume', sessionId, '--yes', '--json'], {timeoutMs: 300_000});
	t.is(resumed.exitCode, 0, describeRun(resumed));
	const finished = parseJsonOutput<RunDocument>(resumed);
	t.true(finished.ok);
	t.is(finished.session.state, 'done');
	t.true(finished.verification?.equal, finished.verification?.summary.text);
	t.deepEqual(finished.steps.filter(step => step.attempts !== 1).map(step => [step.id, step.attempts]), [['unload', 2]]);
	// Every statement saved before the kill was taken up again by its id: re-attached, or discarded and resubmitted.
	for (const key of submittedStatements(crashed)) {
		t.true(resumed.stderr.includes(`re-attaching to statement ${String(crashed.steps['unload']!.checkpoints[key])}`), key);
	}

	const tables = (readSessionFile(cloud.home, sessionId)!.answers['tables'] as string[] | undefined) ?? [];
	t.true(tables.length > 0);
	for (const table of tables) {
		const [source, target] = [await countRows(cloud, sessionId, 'source', table), await countRows(cloud, sessionId, 'target', table)];
		t.is(target, source, `${table}: MaxCompute has ${target} rows, Redshift ${source}`);
	}
});

// `kill -9` of the daemon, then `ferry local-cloud start` at once: a SIGKILLed daemon still answers `kill -0` until
// it is reaped (a zombie where nothing reaps it), and `start` used to say "running" with every service down.
test.serial('kill -9 of the daemon then `local-cloud start` at once, 10 times: always a healthy cloud; then resume finishes verified', async t => {
	t.timeout(900_000);
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const unloading = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps['unload']?.state === 'running', {intervalMs: 20, exited: () => exited});
	t.truthy(unloading, 'the unload step was never seen running');

	for (let round = 1; round <= 10; round++) {
		const pid = daemonPid(cloud.home);
		process.kill(pid, 'SIGKILL');
		const started = await cloud.ferry(['local-cloud', 'start', '--json'], {timeoutMs: 150_000});
		t.is(started.exitCode, 0, `round ${round}: ${describeRun(started)}`);
		const fresh = parseJsonOutput<{running: boolean; pid: number}>(started);
		t.not(fresh.pid, pid, `round ${round}: the killed daemon was taken for the running one`);
		const status = await cloud.ferry(['local-cloud', 'status', '--json']);
		t.is(status.exitCode, 0, `round ${round}: ${describeRun(status)}`);
		const services = parseJsonOutput<{services: Array<{name: string; up: boolean}>}>(status).services;
		t.deepEqual(services.filter(service => !service.up).map(service => service.name), [], `round ${round}`);
	}

	await child;
	const resumed = await cloud.ferry(['resume', unloading!.id, '--yes', '--json'], {timeoutMs: 300_000});
	t.is(resumed.exitCode, 0, describeRun(resumed));
	t.is(parseJsonOutput<RunDocument>(resumed).verification?.outcome, 'equal');
});
