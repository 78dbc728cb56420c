import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, useLocalCloud, waitForSession} from '../../helpers/cli.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
const steps = ['connections', 'preflight', 'plan', 'table', 'identities', 'project', 'topic', 'connector', 'write', 'sync', 'verify'];

async function targetRows(sessionId: string, sql: string): Promise<unknown[][]> {
	const result = await cloud.ferry(['sql', '--session', sessionId, '--side', 'target', '--json', sql]);
	if (result.exitCode !== 0) {
		throw new Error(`ferry sql failed:\n${describeRun(result)}`);
	}

	return parseJsonOutput<{rows: unknown[][]}>(result).rows;
}

test.serial('a headless local run writes, syncs and verifies equal; one extra row in MaxCompute makes verify exit 5 naming the partition and count', async t => {
	const run = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'records=3000', '--set', 'datahubTopic=headless', '--set', 'maxcomputeTable=headless_logs']);
	t.is(run.exitCode, 0, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.deepEqual(document.steps.map(step => [step.id, step.state]), steps.map(id => [id, 'done']));
	t.true(document.verification?.equal, document.verification?.summary.text);
	const sessionId = document.session.id;
	const [[rows]] = await targetRows(sessionId, 'SELECT count(*) FROM headless_logs') as [[string]];
	t.is(Number(rows), 3000);

	const [[partition]] = await targetRows(sessionId, 'SELECT max(ds) FROM headless_logs') as [[string]];
	const insert = await cloud.ferry(['sql', '--session', sessionId, '--side', 'target', `INSERT INTO headless_logs PARTITION (ds='${partition}') VALUES ('extra', 'row', 1.5)`]);
	t.is(insert.exitCode, 0, describeRun(insert));
	const verify = await cloud.ferry(['verify', sessionId, '--json']);
	t.is(verify.exitCode, 5, describeRun(verify));
	const report = parseJsonOutput<RunDocument>(verify).verification!;
	const rowCheck = report.comparisons.find(comparison => comparison.id === 'rows')!;
	t.false(rowCheck.equal);
	const differing = rowCheck.rows.find(row => !row.equal)!;
	t.deepEqual(differing.key, [partition]);
	t.like(differing.cells[0], {column: 'rows', source: '3000', target: '3001', difference: '+1'});
	t.regex(differing.cells[0]!.cause ?? '', /1 more rows: rows written to the table outside the DataConnector/);
});

test.serial('SIGKILL while the records are written: resume finishes the batch in flight without writing any record twice', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'records=20000', '--set', 'batchSize=100', '--set', 'datahubTopic=killed', '--set', 'maxcomputeTable=killed_logs']);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const atKill = await waitForSession(cloud.home, session => !before.has(session.id) && Number(session.steps['write']?.checkpoints['written'] ?? 0) >= 2000, {intervalMs: 20, exited: () => exited});
	child.kill('SIGKILL');
	const killed = await child;
	t.truthy(atKill, `the write step was never seen half-way:\n${describeRun(killed)}`);
	const sessionId = atKill!.id;
	const crashed = readSessionFile(cloud.home, sessionId)!;
	t.is(crashed.steps['write']?.state, 'running');
	t.true(Number(crashed.steps['write']?.checkpoints['written']) < 20_000, 'the kill came before the last batch');

	const resumed = await cloud.ferry(['resume', sessionId, '--yes', '--json']);
	t.is(resumed.exitCode, 0, describeRun(resumed));
	const document = parseJsonOutput<RunDocument>(resumed);
	t.true(document.verification?.equal, document.verification?.summary.text);
	const [[rows, distinct]] = await targetRows(sessionId, 'SELECT count(*), count(DISTINCT f2) FROM killed_logs') as [[string, string]];
	t.is(Number(rows), 20_000, 'every record reached MaxCompute exactly once');
	t.true(Number(distinct) > 1);
	const distinctRows = document.verification!.comparisons.find(comparison => comparison.id === 'distinct')!;
	t.is(distinctRows.rows[0]?.cells[0]?.source, '20000', 'the topic holds each (distinct) generated record once');
});

test.serial('every DataHub type, NULLs, quotes, newlines and non-ASCII text from a CSV file migrate and verify equal', async t => {
	const file = path.join(cloud.home, 'all-types.csv');
	writeFileSync(file, [
		'c_tinyint,c_smallint,c_int,c_bigint,c_float,c_double,c_decimal,c_boolean,c_datetime,c_string',
		'-128,-32768,-2147483648,-9223372036854775808,1.5,-0.000123456789,-12345678.123456,true,2026-11-01 08:30:00,plain',
		'127,32767,2147483647,9223372036854775807,3.25,1.7976931348623157e+300,99999999.999999,false,1970-01-01 00:00:00,"quote "" and , comma"',
		',,,,,,,,,',
		'0,0,0,0,0,0,0,false,2026-11-28 23:59:59,""',
		'1,2,3,4,5.5,6.25,7.000001,true,2000-02-29 12:00:00,"two',
		'lines and 中文 ✓ émoji 🚢"',
		'',
	].join('\n'));
	const columns = 'c_tinyint tinyint, c_smallint smallint, c_int int, c_bigint bigint, c_float float, c_double double, c_decimal decimal(18,6), c_boolean boolean, c_datetime datetime, c_string string';
	const run = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', `input=${file}`, '--set', 'datahubTopic=all_types', '--set', 'maxcomputeTable=all_types', '--set', `tableColumns=${columns}`]);
	t.is(run.exitCode, 0, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, JSON.stringify(document.verification?.comparisons.filter(comparison => !comparison.equal), undefined, 1).slice(0, 3000));
	const rows = await targetRows(document.session.id, 'SELECT c_bigint, c_decimal, c_string, c_datetime FROM all_types ORDER BY c_int');
	t.is(rows.length, 5);
	t.true(rows.some(row => row[2] === 'quote " and , comma'));
	t.true(rows.some(row => row[2] === 'two\nlines and 中文 ✓ émoji 🚢'));
	t.true(rows.some(row => row[2] === ''), 'the empty string stays an empty string');
	t.true(rows.some(row => row[0] === null && row[2] === null), 'an empty CSV field is NULL');
	t.true(rows.some(row => row[0] === '9223372036854775807' && row[1] === '99999999.999999'));
});

test.serial('a bad value in the input file stops preflight with its line and column, before anything is written', async t => {
	const file = path.join(cloud.home, 'bad.csv');
	writeFileSync(file, 'f1,f2,f3\na,b,1.5\nc,d,not-a-number\n');
	const run = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', `input=${file}`, '--set', 'datahubTopic=bad_input', '--set', 'maxcomputeTable=bad_input']);
	t.is(run.exitCode, 4, describeRun(run));
	t.regex(run.stderr, /bad\.csv line 3: column f3 \(DOUBLE\)/);
	t.notRegex(run.stderr, /\n\s+at /);
	const document = parseJsonOutput<RunDocument>(run);
	t.is(document.steps.find(step => step.id === 'table')?.state, 'pending');
});

test.serial('`ferry plan` prints every call the steps will make, the AccessKey redacted, and leaves nothing behind', async t => {
	const before = listSessionIds(cloud.home).length;
	const plan = await cloud.ferry(['plan', 'datahub-to-maxcompute', '--local', '--set', 'datahubTopic=planned']);
	t.is(plan.exitCode, 0, describeRun(plan));
	for (const call of ['CREATE TABLE IF NOT EXISTS `test`', 'CreateProject ferry_logs', 'CreateTopic planned: TUPLE, 2 shards', 'CreateConnector sink_odps', '"PartitionMode": "SYSTEM_TIME"', 'PutRecords: 10,000 records in batches of 500', 'SELECT `ds` AS `partition`, count(*) AS `rows`']) {
		t.true(plan.stdout.includes(call), call);
	}

	t.regex(plan.stdout, /"AccessKey": "<redacted>"/);
	const localSecret = (JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'credentials.json'), 'utf8')) as {alibaba: {accessKeySecret: string}}).alibaba.accessKeySecret;
	t.false(plan.stdout.includes(localSecret), 'the local cloud\'s secret is not in the plan');
	t.is(listSessionIds(cloud.home).length, before);
});

test.serial('EVENT_TIME partitions by each record\'s own event_time, and the verification computes the same partitions', async t => {
	const run = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'records=2000', '--set', 'partitionMode=EVENT_TIME', '--set', 'timeRange=15', '--set', 'partitionFormat=%Y%m%d%H%M', '--set', 'datahubTopic=event_time', '--set', 'maxcomputeTable=event_logs', '--set', 'tableColumns=f1 string, f2 string, event_time datetime']);
	t.is(run.exitCode, 0, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, document.verification?.summary.text);
	const rows = document.verification!.comparisons.find(comparison => comparison.id === 'rows')!;
	t.true(rows.rows.length > 1, `generated event times span several 15-minute partitions: ${rows.rows.map(row => row.key.join('')).join(', ')}`);

	const missing = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'partitionMode=EVENT_TIME', '--set', 'datahubTopic=no_event', '--set', 'maxcomputeTable=no_event']);
	t.is(missing.exitCode, 4, describeRun(missing));
	t.regex(missing.stderr, /EVENT_TIME partitions by a DATETIME column named event_time/);
});
