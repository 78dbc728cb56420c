import test from 'ava';
import {createDataWorksClient} from '../../../source/clouds/dataworks/client.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, useLocalCloud, waitForSession} from '../../helpers/cli.js';
import {localCloudAccess} from '../../helpers/local-cloud-access.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
const days = ['20261101', '20261102', '20261103', '20261104', '20261105', '20261106'];
const rowsPerDay = 40;

async function sourceSql(statement: string): Promise<void> {
	const result = await cloud.ferry(['sql', '--local', '--wizard', 'maxcompute-to-loghub', '--side', 'source', statement]);
	if (result.exitCode !== 0) {
		throw new Error(`ferry sql failed:\n${describeRun(result)}`);
	}
}

/** A daily table: `rowsPerDay` rows in each of `days` (and one more day outside the ranges the tests name). */
async function seedDailyTable(table: string): Promise<void> {
	await sourceSql(`CREATE TABLE ${table} (id BIGINT, amount DOUBLE, msg STRING, time_str STRING) PARTITIONED BY (pt STRING)`);
	for (const day of [...days, '20261110']) {
		const rows = Array.from({length: rowsPerDay}, (_, index) => `(${index}, ${index * 1.5}, 'row ${index} of ${day}', '${day.slice(0, 4)}_${day.slice(4, 6)}_${day.slice(6)} ${String(index % 24).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00')`);
		await sourceSql(`INSERT INTO ${table} PARTITION (pt='${day}') VALUES ${rows.join(', ')}`);
	}
}

function dataWorks() {
	const access = localCloudAccess(cloud.home);
	return createDataWorksClient({endpoint: access.services['dataworks']!, regionId: 'ap-southeast-1', credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: access.alibaba.accessKeyId, accessKeySecret: access.alibaba.accessKeySecret})});
}

/** Each partition's `logs` check: the partition's rows against the logs in its window (a log written twice counts twice). */
function logsPerPartition(document: RunDocument): Record<string, {source: string | undefined; target: string | undefined}> {
	return Object.fromEntries(document.verification!.comparisons.filter(comparison => comparison.id.startsWith('logs:')).map(comparison => [comparison.id.slice('logs:'.length), {source: comparison.rows[0]?.cells[0]?.source, target: comparison.rows[0]?.cells[0]?.target}]));
}

const everyDayEqual = () => Object.fromEntries(days.map(day => [day, {source: String(rowsPerDay), target: String(rowsPerDay)}]));

test.serial('a range resolves to the existing daily partitions, runs one job per partition and verifies each partition in one report', async t => {
	await seedDailyTable('daily_range');
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'maxcomputeTable=daily_range', '--set', 'partition=pt=20261101..20261108', '--set', 'logstore=daily-range', '--set', 'taskName=daily_range_task', '--set', 'topic=range']);
	t.is(run.exitCode, 0, describeRun(run));
	t.regex(run.stderr, new RegExp(`pt=20261101\\.\\.20261108 resolves to 6 partitions: ${days.map(day => `pt=${day} \\(${rowsPerDay} rows\\)`).join(', ')}`));
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, document.verification?.summary.text);
	t.deepEqual(logsPerPartition(document), everyDayEqual());
	t.true(document.verification!.comparisons.filter(comparison => comparison.id.startsWith('sample:')).every(comparison => comparison.title.includes('(pt=2026110')), 'every check names its partition');
	for (const [index, day] of days.entries()) {
		t.regex(run.stderr, new RegExp(`pt=${day} \\(${index + 1}/6\\): instance \\d+ succeeded: ${rowsPerDay} read, ${rowsPerDay} written, 0 dirty`));
	}

	// One manual instance per partition, each with its own business date.
	const session = readSessionFile(cloud.home, document.session.id)!;
	const instances = await dataWorks().listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId: session.steps['task']?.outputs['nodeId'] as number, pageSize: 100});
	t.deepEqual(instances.items.map(instance => new Date((instance.bizdate ?? 0) + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '')).sort(), days);
});

test.serial('SIGKILL during a later partition\'s run: resume keeps the partitions done, re-attaches to the one running, and no partition is written twice', async t => {
	await seedDailyTable('daily_killed');
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'maxcomputeTable=daily_killed', '--set', 'partition=pt=2026110*', '--set', 'logstore=daily-killed', '--set', 'taskName=daily_killed_task', '--set', 'topic=killed']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const atKill = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps['run']?.checkpoints['20261104/instanceId'] !== undefined, {intervalMs: 20, exited: () => exited});
	child.kill('SIGKILL');
	const killed = await child;
	t.truthy(atKill, `the fourth partition's run was never seen started:\n${describeRun(killed)}`);
	const sessionId = atKill!.id;
	const checkpoints = readSessionFile(cloud.home, sessionId)!.steps['run']!.checkpoints;
	const doneAtKill = days.filter(day => checkpoints[`${day}/done`] !== undefined);
	t.deepEqual(doneAtKill.slice(0, 3), days.slice(0, 3), 'the first three partitions were done before the kill');

	const resumed = await cloud.ferry(['resume', sessionId, '--yes', '--json']);
	t.is(resumed.exitCode, 0, describeRun(resumed));
	for (const day of doneAtKill) {
		t.regex(resumed.stderr, new RegExp(`pt=${day} \\(\\d/6\\): instance \\d+ succeeded earlier \\(${rowsPerDay} written\\): not run again`));
	}

	if (!doneAtKill.includes('20261104')) {
		t.regex(resumed.stderr, new RegExp(`pt=20261104 \\(4/6\\): instance ${String(checkpoints['20261104/instanceId'])} is \\w+: re-attached`));
	}

	const document = parseJsonOutput<RunDocument>(resumed);
	t.true(document.verification?.equal, document.verification?.summary.text);
	t.deepEqual(logsPerPartition(document), everyDayEqual(), 'every partition has exactly its rows as logs: none was written twice');
	const session = readSessionFile(cloud.home, sessionId)!;
	const instances = await dataWorks().listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId: session.steps['task']?.outputs['nodeId'] as number, pageSize: 100});
	t.is(instances.items.length, days.length, 'one run per partition: the resume ran none of them again');
	t.true(instances.items.every(instance => instance.status === 'SUCCESS'));
});

test.serial('a range that matches nothing, a listed partition with no rows, and a range with mode=schedule stop at preflight (exit 4) with a hint', async t => {
	await seedDailyTable('daily_refused');
	const none = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'maxcomputeTable=daily_refused', '--set', 'partition=pt=20170101..20170131', '--set', 'logstore=refused', '--set', 'taskName=refused_task']);
	t.is(none.exitCode, 4, describeRun(none));
	t.regex(none.stderr, /The partition pt=20170101\.\.20170131 matches no partition of daily_refused/);
	t.regex(parseJsonOutput<RunDocument>(none).error?.hint ?? '', /Its latest partitions: .*pt=20261110/);

	const empty = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'maxcomputeTable=daily_refused', '--set', 'partition=pt=20261101,pt=20261107', '--set', 'logstore=refused', '--set', 'taskName=refused_task']);
	t.is(empty.exitCode, 4, describeRun(empty));
	t.regex(empty.stderr, /Partition pt=20261107 of daily_refused has no rows/);

	const scheduled = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'maxcomputeTable=daily_refused', '--set', 'partition=pt=20261101..20261106', '--set', 'mode=schedule', '--set', 'folderPath=Workflow/ferry/Data Integration', '--set', 'logstore=refused', '--set', 'taskName=refused_task']);
	t.is(scheduled.exitCode, 4, describeRun(scheduled));
	t.regex(scheduled.stderr, /A schedule exports one partition per instance, so the partition pt=20261101\.\.20261106 cannot be scheduled/);
	for (const run of [none, empty, scheduled]) {
		t.is(parseJsonOutput<RunDocument>(run).steps.find(step => step.id === 'log-service')?.state, 'pending', 'nothing was created');
	}
});
