import test from 'ava';
import type {Session} from '../../../source/engine/session.js';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, useLocalCloud, waitForSession, type LocalCloudHome} from '../../helpers/cli.js';
import {redshiftToMaxComputeSteps, type RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);

/** Checkpoint keys the load step writes: `instance:<table>` when submitted, `done:<table>` when finished. */
function checkpointedInstances(session: Session): Record<string, string> {
	const checkpoints = session.steps['load']?.checkpoints ?? {};
	return Object.fromEntries(Object.entries(checkpoints).filter(([key]) => key.startsWith('instance:')).map(([key, value]) => [key.slice('instance:'.length), String(value)]));
}

async function countRows(home: LocalCloudHome, sessionId: string, side: 'source' | 'target', table: string): Promise<number> {
	const result = await home.ferry(['sql', '--session', sessionId, '--side', side, '--json', `SELECT COUNT(*) FROM ${table}`]);
	if (result.exitCode !== 0) {
		throw new Error(`ferry sql --side ${side} failed:\n${describeRun(result)}`);
	}

	const {rows} = parseJsonOutput<{rows: unknown[][]}>(result);
	return Number(rows[0]?.[0]);
}

test.serial('SIGKILL during LOAD: resume re-attaches to the submitted instances, skips finished steps and duplicates nothing', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	// Polled often: the local LOAD of all tables takes well under a second.
	const atKill = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps['load']?.state === 'running' && Object.keys(checkpointedInstances(session)).length > 0, {intervalMs: 20, exited: () => exited});
	child.kill('SIGKILL');
	const killed = await child;
	t.truthy(atKill, `the load step was never seen running with a checkpointed instance:\n${describeRun(killed)}`);
	t.is(killed.signal, 'SIGKILL');
	const sessionId = atKill!.id;

	// What the crash left on disk, the way resume will find it.
	const crashed = readSessionFile(cloud.home, sessionId)!;
	t.is(crashed.state, 'running');
	t.is(crashed.steps['load']?.state, 'running');
	const doneBeforeKill = redshiftToMaxComputeSteps.filter(id => crashed.steps[id]?.state === 'done');
	t.deepEqual(doneBeforeKill, redshiftToMaxComputeSteps.slice(0, redshiftToMaxComputeSteps.indexOf('load')));
	const submitted = checkpointedInstances(crashed);
	const inFlight = Object.keys(submitted).filter(table => crashed.steps['load']?.checkpoints[`done:${table}`] === undefined);
	t.true(inFlight.length > 0, 'at least one LOAD was submitted but not finished when ferry died');

	const resumed = await cloud.ferry(['resume', sessionId, '--yes', '--json']);
	t.is(resumed.exitCode, 0, describeRun(resumed));
	const document = parseJsonOutput<RunDocument>(resumed);
	t.true(document.ok);
	t.true(document.verification?.equal, document.verification?.summary.text);
	for (const step of document.steps) {
		t.is(step.state, 'done', step.id);
		if (doneBeforeKill.includes(step.id)) {
			t.is(step.attempts, 1, `${step.id} was not run again`);
		}
	}

	t.is(document.steps.find(step => step.id === 'load')?.attempts, 2);
	for (const id of doneBeforeKill) {
		t.true(resumed.stderr.includes(`· ${document.steps.find(step => step.id === id)!.title}: done earlier, skipped`), id);
	}

	// The LOADs submitted before the crash were re-attached by their ids, not started again.
	const finished = readSessionFile(cloud.home, sessionId)!;
	for (const [table, instanceId] of Object.entries(submitted)) {
		t.is((finished.steps['load']?.checkpoints[`done:${table}`] as {instanceId?: string} | undefined)?.instanceId, instanceId, table);
	}

	for (const table of inFlight) {
		t.true(resumed.stderr.includes(`re-attaching to instance ${submitted[table]}`), table);
	}

	const [source, target] = [await countRows(cloud, sessionId, 'source', 'lineitem'), await countRows(cloud, sessionId, 'target', 'lineitem')];
	t.true(source > 0);
	t.is(target, source);
});

test.serial('Ctrl-C during a task step exits 130 with the session interrupted; resume finishes it', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const running = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps['unload']?.state === 'running', {intervalMs: 20, exited: () => exited});
	child.kill('SIGINT');
	const interrupted = await child;
	t.truthy(running, `the unload step was never seen running:\n${describeRun(interrupted)}`);
	t.is(interrupted.exitCode, 130, describeRun(interrupted));
	const document = parseJsonOutput<RunDocument>(interrupted);
	t.false(document.ok);
	t.is(document.exitCode, 130);
	t.is(document.session.state, 'interrupted');
	t.regex(document.error?.hint ?? '', new RegExp(`ferry resume ${running!.id}`));

	const saved = readSessionFile(cloud.home, running!.id)!;
	t.is(saved.state, 'interrupted');
	t.is(saved.steps['unload']?.state, 'interrupted');
	t.is(saved.steps['plan']?.state, 'done');

	const resumed = await cloud.ferry(['resume', running!.id, '--yes', '--json']);
	t.is(resumed.exitCode, 0, describeRun(resumed));
	const finished = parseJsonOutput<RunDocument>(resumed);
	t.is(finished.session.state, 'done');
	t.true(finished.verification?.equal, finished.verification?.summary.text);
	t.deepEqual(finished.steps.filter(step => step.attempts !== 1).map(step => [step.id, step.attempts]), [['unload', 2]]);
});
