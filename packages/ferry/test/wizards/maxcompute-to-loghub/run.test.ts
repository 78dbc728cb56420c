import {writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {createDataWorksClient} from '../../../source/clouds/dataworks/client.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, useLocalCloud, waitForSession} from '../../helpers/cli.js';
import {localCloudAccess} from '../../helpers/local-cloud-access.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
const steps = ['connections', 'preflight', 'plan', 'log-service', 'data-sources', 'task', 'run', 'verify'];

async function sourceSql(sessionId: string, sql: string): Promise<unknown[][]> {
	const result = await cloud.ferry(['sql', '--session', sessionId, '--side', 'source', '--json', sql]);
	if (result.exitCode !== 0) {
		throw new Error(`ferry sql failed:\n${describeRun(result)}`);
	}

	return parseJsonOutput<{rows: unknown[][]}>(result).rows;
}

test.serial('a headless local run exports the seeded partition and verifies it in Log Service; one extra MaxCompute row makes verify exit 5 naming the count', async t => {
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'logstore=headless']);
	t.is(run.exitCode, 0, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.deepEqual(document.steps.map(step => [step.id, step.state]), steps.map(id => [id, 'done']));
	t.true(document.verification?.equal, document.verification?.summary.text);
	// The SDKs' HTTP library calls url.parse (DEP0169): Node's warning must not reach the user's terminal.
	t.notRegex(run.stderr, /Warning/);
	const sessionId = document.session.id;

	// Run once: the task is a MANUAL node of a manually triggered workflow, run once by it, never by the scheduler.
	const access = localCloudAccess(cloud.home);
	const dataworks = createDataWorksClient({endpoint: access.services['dataworks']!, regionId: 'ap-southeast-1', credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: access.alibaba.accessKeyId, accessKeySecret: access.alibaba.accessKeySecret})});
	t.like(await dataworks.findBusiness({projectId: 10_001, name: 'ferry_manual'}), {useType: 'MANUAL_BIZ'});
	const session = readSessionFile(cloud.home, sessionId)!;
	const file = await dataworks.getFile({projectId: 10_001, fileId: session.steps['task']?.outputs['fileId'] as number});
	t.like(file, {useType: 'MANUAL_BIZ', scheduling: {schedulerType: 'MANUAL', autoRerunTimes: 0}});
	const instances = await dataworks.listInstances({projectId: 10_001, projectEnv: 'PROD', nodeId: file.nodeId!});
	t.deepEqual(instances.items.map(instance => instance.dagType), ['MANUAL']);
	t.regex(run.stderr, /run of workflow ferry_manual for 2016-12-26: DAG \d+, instance \d+/);

	const insert = await cloud.ferry(['sql', '--session', sessionId, '--side', 'source', 'INSERT INTO ak_biz_log_detail PARTITION (pt=\'20161226\') VALUES (\'extra\', 1, 1.5, 2.25, true, \'one more row\', \'2016_12_26 12:00:00\')']);
	t.is(insert.exitCode, 0, describeRun(insert));
	const verify = await cloud.ferry(['verify', sessionId, '--json']);
	t.is(verify.exitCode, 5, describeRun(verify));
	const logs = parseJsonOutput<RunDocument>(verify).verification!.comparisons.find(comparison => comparison.id === 'logs')!;
	t.false(logs.equal);
	t.like(logs.rows[0]?.cells[0], {column: 'logs', source: '1001', target: '1000', difference: '-1'});
});

test.serial('a time format that does not parse the column stops preflight with exit 4, a sample value and the format; nothing is written', async t => {
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'timeFormat=bigint', '--set', 'logstore=bad-format', '--set', 'taskName=bad_format']);
	t.is(run.exitCode, 4, describeRun(run));
	t.regex(run.stderr, /The time format "bigint" does not parse the time_str value "2016_12_26 \d\d:\d\d:\d\d"/);
	t.notRegex(run.stderr, /\n\s+at /);
	const document = parseJsonOutput<RunDocument>(run);
	t.is(document.steps.find(step => step.id === 'log-service')?.state, 'pending', 'no Log Service object was created');
});

test.serial('SIGKILL while the job runs: resume re-attaches to the same DataWorks instance, with no second run and no duplicate logs', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'logstore=killed', '--set', 'taskName=killed_task', '--set', 'topic=killed']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const atKill = await waitForSession(cloud.home, session => !before.has(session.id) && session.steps['run']?.checkpoints['instanceId'] !== undefined, {intervalMs: 20, exited: () => exited});
	child.kill('SIGKILL');
	const killed = await child;
	t.truthy(atKill, `the instance was never seen submitted:\n${describeRun(killed)}`);
	const sessionId = atKill!.id;
	const instanceId = readSessionFile(cloud.home, sessionId)!.steps['run']?.checkpoints['instanceId'];
	t.truthy(instanceId);

	const resumed = await cloud.ferry(['resume', sessionId, '--yes', '--json']);
	t.is(resumed.exitCode, 0, describeRun(resumed));
	const document = parseJsonOutput<RunDocument>(resumed);
	t.true(document.verification?.equal, document.verification?.summary.text);
	const session = readSessionFile(cloud.home, sessionId)!;
	t.is(session.steps['run']?.outputs['instanceId'], instanceId, 'the resumed run watched the same instance');
	t.regex(resumed.stderr, new RegExp(`instance ${String(instanceId)} is \\w+: re-attached`));
	const logs = document.verification!.comparisons.find(comparison => comparison.id === 'logs')!;
	const [[rows]] = await sourceSql(sessionId, 'SELECT count(*) FROM ak_biz_log_detail WHERE pt = \'20161226\'') as [[string]];
	t.is(logs.rows[0]?.cells[0]?.target, String(rows), 'every row became exactly one log');
});

test.serial('BIGINT, DOUBLE, DECIMAL, BOOLEAN, DATETIME and STRING with quotes, newlines, non-ASCII and NULLs export and verify equal', async t => {
	const create = await cloud.ferry(['sql', '--local', '--wizard', 'maxcompute-to-loghub', '--side', 'source', 'CREATE TABLE all_types (c_bigint BIGINT, c_double DOUBLE, c_decimal DECIMAL(20,4), c_boolean BOOLEAN, c_datetime DATETIME, c_string STRING, ts BIGINT) PARTITIONED BY (ds STRING)']);
	t.is(create.exitCode, 0, describeRun(create));
	const rows = [
		'(9223372036854775807, 1.0E10, 12345678.1234, true, CAST(\'2026-11-01 08:30:00\' AS DATETIME), \'quote \\\' and "double"\', 1793521800)',
		'(-1, 0.1, -0.0001, false, CAST(\'1999-12-31 23:59:59\' AS DATETIME), \'中文 ✓ émoji 🚢\', 1793521801)',
		'(NULL, NULL, NULL, NULL, NULL, NULL, 1793521802)',
		'(0, -2.5, 0, true, CAST(\'2000-02-29 12:00:00\' AS DATETIME), \'two\\nlines\', 1793521803)',
	];
	const insert = await cloud.ferry(['sql', '--local', '--wizard', 'maxcompute-to-loghub', '--side', 'source', `INSERT INTO all_types PARTITION (ds='20261101') VALUES ${rows.join(', ')}`]);
	t.is(insert.exitCode, 0, describeRun(insert));
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'maxcomputeTable=all_types', '--set', 'partition=ds=20261101', '--set', 'time=ts', '--set', 'timeFormat=bigint', '--set', 'logstore=all-types', '--set', 'taskName=all_types_task', '--set', 'topic=types']);
	t.is(run.exitCode, 0, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, JSON.stringify(document.verification?.comparisons.filter(comparison => !comparison.equal), undefined, 1).slice(0, 3000));
	t.is(document.verification!.comparisons.find(comparison => comparison.id === 'logs')!.rows[0]?.cells[0]?.target, '4');
});

test.serial('a job file in the procedure\'s 1.0 form is checked like a built one: a batchSize over 4096 is refused at preflight', async t => {
	const file = path.join(cloud.home, 'job-1.0.json');
	writeFileSync(file, JSON.stringify({type: 'job', version: '1.0', configuration: {
		setting: {errorLimit: {record: '0'}, speed: {mbps: '1', concurrent: 1, dmu: 1, throttle: false}},
		reader: {plugin: 'odps', parameter: {column: ['*'], isCompress: 'false', partition: ['pt=20161226'], project: 'ferry_local', table: 'ak_biz_log_detail'}},
		writer: {plugin: 'loghub', parameter: {endpoint: '', accessId: '', accessKey: '', project: '', logstore: 'job-file', batchSize: '5000', topic: '', time: 'time_str', timeFormat: 'yyyy_MM_dd HH:mm:ss', column: ['col0', 'col1', 'col2', 'col3', 'col4', 'col5', 'time_str'], datasource: 'sls'}},
	}}));
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', `job=${file}`]);
	t.is(run.exitCode, 4, describeRun(run));
	t.regex(run.stderr, /writer\.batchSize is 5000; it must be a whole number from 1 to 4096/);
});

test.serial('a second export into a logstore that already holds this topic and window stops at preflight instead of duplicating logs', async t => {
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'logstore=headless', '--set', 'taskName=second_export']);
	t.is(run.exitCode, 4, describeRun(run));
	t.regex(run.stderr, /Logstore headless already holds [\d,]+ logs of topic "ferry" in this data's time window/);
});

test.serial('run once in an auto-triggered workflow stops at preflight (exit 4): deployed there, the task would run every day', async t => {
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'folderPath=Workflow/ferry/Data Integration', '--set', 'logstore=wrong-workflow', '--set', 'taskName=wrong_workflow']);
	t.is(run.exitCode, 4, describeRun(run));
	t.regex(run.stderr, /The workflow ferry is auto-triggered: a task deployed in it would run every day, not once/);
	const document = parseJsonOutput<RunDocument>(run);
	t.regex(document.error?.hint ?? '', /manually triggered workflow .*--set mode=schedule/);
	t.is(document.steps.find(step => step.id === 'log-service')?.state, 'pending', 'nothing was created');
});

test.serial('the procedure\'s own strftime time format is translated with a notice, saved as SimpleDateFormat, and the run verifies', async t => {
	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'timeFormat=%Y_%m_%d %H:%M:%S', '--set', 'logstore=percent-format', '--set', 'taskName=percent_format']);
	t.is(run.exitCode, 0, describeRun(run));
	t.regex(run.stderr, /timeFormat: "%Y_%m_%d %H:%M:%S" is a strftime-style pattern; the LogHub writer reads Java's SimpleDateFormat, so ferry uses "yyyy_MM_dd HH:mm:ss"/);
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, document.verification?.summary.text);
	t.is(readSessionFile(cloud.home, document.session.id)?.answers['timeFormat'], 'yyyy_MM_dd HH:mm:ss');
});
