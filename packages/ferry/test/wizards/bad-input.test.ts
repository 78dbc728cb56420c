/**
 * Issue 22 item 5: each bad input, run as a user runs it (`ferry run … --local --yes --set …`, headless), stops with
 * exit 2 (a wrong answer) or 4 (preflight), one line naming the cause and a hint, and nothing on the local cloud: no
 * MaxCompute table, no DataHub topic, no logstore.
 */
import {createWriteStream, writeFileSync} from 'node:fs';
import {once} from 'node:events';
import path from 'node:path';
import test from 'ava';
import {dataHubRequest} from '@ferry/local-cloud/test/helpers/datahub-request';
import {logRequest} from '@ferry/local-cloud/test/helpers/log-service-request';
import {describeRun, listSessionIds, parseJsonOutput, useLocalCloud, type FerryResult} from '../helpers/cli.js';
import {localCloudAccess} from '../helpers/local-cloud-access.js';

const cloud = useLocalCloud(test);
const datahubProject = 'ferry_logs';
const logProject = 'ferry-logs';

function inputFile(name: string, text: string): string {
	const file = path.join(cloud.home, name);
	writeFileSync(file, text);
	return file;
}

/** The message and hint lines of a refusal: `✖ cause` then the indented hint, and no stack trace. */
function refusal(t: import('ava').ExecutionContext, run: FerryResult, exitCode: number, cause: RegExp, hint: RegExp): void {
	t.is(run.exitCode, exitCode, describeRun(run));
	const lines = run.stderr.trimEnd().split('\n');
	const at = lines.findLastIndex(line => line.startsWith('✖ ') && !line.includes('[FAILED'));
	t.regex(lines[at] ?? '', cause, describeRun(run));
	t.regex(lines[at + 1] ?? '', hint, describeRun(run));
	t.notRegex(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

async function maxComputeTables(): Promise<string[]> {
	const shown = await cloud.ferry(['sql', '--local', '--wizard', 'datahub-to-maxcompute', '--side', 'target', '--json', 'SHOW TABLES']);
	if (shown.exitCode !== 0) {
		throw new Error(describeRun(shown));
	}

	return JSON.stringify(parseJsonOutput<unknown>(shown)).toLowerCase().match(/[\w$@]+/g) ?? [];
}

async function topicExists(topic: string): Promise<boolean> {
	const access = localCloudAccess(cloud.home);
	const answer = await dataHubRequest(access.services['datahub']!, {accessKeyId: access.alibaba.accessKeyId, secret: access.alibaba.accessKeySecret}, 'GET', `/projects/${datahubProject}/topics/${topic}`);
	return answer.status === 200;
}

async function logService(request: Parameters<typeof logRequest>[3]) {
	const access = localCloudAccess(cloud.home);
	return logRequest(Number(new URL(access.services['log-service']!).port), 'ap-southeast-1', {accessKeyId: access.alibaba.accessKeyId, secret: access.alibaba.accessKeySecret}, request);
}

async function logstoreExists(logstore: string): Promise<boolean> {
	return (await logService({method: 'GET', path: `/logstores/${logstore}`, project: logProject})).status === 200;
}

async function nothingCreated(t: import('ava').ExecutionContext, names: {table?: string; topic?: string; logstore?: string}): Promise<void> {
	if (names.table) {
		t.false((await maxComputeTables()).includes(names.table.toLowerCase()), `no table ${names.table}`);
	}

	if (names.topic) {
		t.false(await topicExists(names.topic), `no topic ${names.topic}`);
	}

	if (names.logstore) {
		t.false(await logstoreExists(names.logstore), `no logstore ${names.logstore}`);
	}
}

const dataHubRun = (topic: string, table: string, ...sets: string[]) => cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--set', `datahubTopic=${topic}`, '--set', `maxcomputeTable=${table}`, ...sets.flatMap(set => ['--set', set])]);

test.serial('a wrong answer stops the run with exit 2 before a session exists: table, topic, project, partition column and format', async t => {
	const sessions = listSessionIds(cloud.home).length;
	refusal(t, await dataHubRun('bad_table', `t${'x'.repeat(4999)}`), 2, /^✖ Invalid answer maxcomputeTable: MaxCompute table names are 1–128 bytes long; this one is 5,000$/, /--set maxcomputeTable=/);
	refusal(t, await dataHubRun('bad_table', 'my-table'), 2, /maxcomputeTable: MaxCompute table names hold only letters, digits and _; "-" is not one of them$/, /--set maxcomputeTable=/);
	refusal(t, await dataHubRun(`t${'x'.repeat(128)}`, 'bad_topic'), 2, /^✖ Invalid answer datahubTopic: DataHub topic names are 1–128 characters long; this one is 129$/, /--set datahubTopic=/);
	refusal(t, await dataHubRun('1topic', 'bad_topic'), 2, /datahubTopic: DataHub topic names start with a letter, not "1"$/, /--set datahubTopic=/);
	refusal(t, await dataHubRun('bad_project', 'bad_project', 'datahubProject=ab'), 2, /datahubProject: DataHub project names are 3–32 characters long; this one is 2$/, /--set datahubProject=/);
	refusal(t, await dataHubRun('bad_column', 'bad_column', 'partitionColumn=p-t'), 2, /partitionColumn: MaxCompute column names hold only/, /--set partitionColumn=/);
	refusal(t, await dataHubRun('bad_format', 'bad_format', 'partitionFormat=%Y/%m/%d'), 2, /partitionFormat: MaxCompute partition values hold only .*"\/" is not one of them$/, /--set partitionFormat=/);
	t.is(listSessionIds(cloud.home).length, sessions, 'no session');
	await nothingCreated(t, {table: 'bad_topic', topic: 'bad_table'});
});

test.serial('a 2-character topic is a DataHub topic (the Limits page: 1–128): the run creates it and verifies', async t => {
	const run = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'datahubTopic=ab', '--set', 'maxcomputeTable=two_character_topic', '--set', 'records=40']);
	t.is(run.exitCode, 0, describeRun(run));
	t.true(await topicExists('ab'), 'the look-ups that find nothing above do find what exists');
	t.true((await maxComputeTables()).includes('two_character_topic'));
});

test.serial('an input with no records is a preflight error (exit 4) before anything is created: a header alone, an empty file', async t => {
	const header = inputFile('header.csv', 'f1,f2,f3\n');
	refusal(t, await dataHubRun('header_only', 'header_only', `input=${header}`), 4, /^✖ .*header\.csv holds no records$/, /Add records below the header row \(f1,f2,f3\).*--set input=/);
	const empty = inputFile('empty.csv', '');
	refusal(t, await dataHubRun('empty_file', 'empty_file', `input=${empty}`), 4, /^✖ .*empty\.csv is empty$/, /Write a header row naming the columns \(f1,f2,f3\)/);
	await nothingCreated(t, {table: 'header_only', topic: 'header_only'});
	await nothingCreated(t, {table: 'empty_file', topic: 'empty_file'});
});

test.serial('a 100 MB field is a preflight error naming its line, found in seconds', async t => {
	const file = path.join(cloud.home, 'big-field.csv');
	const out = createWriteStream(file);
	out.write('f1,f2,f3\na,b,1\nc,');
	const megabyte = 'x'.repeat(1024 * 1024);
	for (let index = 0; index < 100; index++) {
		if (!out.write(megabyte)) {
			await once(out, 'drain');
		}
	}

	out.end(',2\n');
	await once(out, 'finish');
	const started = Date.now();
	refusal(t, await dataHubRun('big_field', 'big_field', `input=${file}`), 4, /^✖ .*big-field\.csv line 3: the value of column f2 is larger than DataHub's limit of 2 MB for one string field$/, /shorten it or leave the line out/);
	t.true(Date.now() - started < 30_000, `${Date.now() - started} ms`);
	await nothingCreated(t, {table: 'big_field', topic: 'big_field'});
});

test.serial('a wrong number of values and an unclosed quote name the line, what was expected and how to fix it (exit 4)', async t => {
	const count = inputFile('count.csv', 'f1,f2,f3\na,b,1\nc,d\n');
	refusal(t, await dataHubRun('column_count', 'column_count', `input=${count}`), 4, /^✖ .*count\.csv line 3 has 2 values, the header 3 \(f1,f2,f3\)$/, /one value per header column, separated by commas; quote a value that holds a comma/);
	const quote = inputFile('quote.csv', 'f1,f2,f3\na,b,1\n"c,d,2\ne,f,3\n');
	refusal(t, await dataHubRun('open_quote', 'open_quote', `input=${quote}`), 4, /^✖ .*quote\.csv line 3: a quoted value is not closed before the end of the file$/, /Add the closing quote on line 3/);
	await nothingCreated(t, {table: 'column_count', topic: 'column_count'});
	await nothingCreated(t, {table: 'open_quote', topic: 'open_quote'});
});

test.serial('a table column a topic cannot carry stops preflight (exit 4): system_time, a column name MaxCompute refuses', async t => {
	refusal(t, await dataHubRun('system_time', 'system_time_col', 'tableColumns=f1 string, system_time string'), 4, /^✖ The table cannot be synced from a DataHub topic: column system_time: system_time is not a DataHub field name \(the service keeps it for itself\)$/, /flat columns only, each named as a DataHub field may be/);
	refusal(t, await dataHubRun('long_column', 'long_column', `tableColumns=f${'x'.repeat(128)} string`), 4, /^✖ Cannot create the column f.* of tableColumns: MaxCompute column names are 1–128 bytes long; this one is 129$/, /--set tableColumns=/);
	await nothingCreated(t, {table: 'system_time_col', topic: 'system_time'});
	await nothingCreated(t, {table: 'long_column', topic: 'long_column'});
});

test.serial('maxcompute-to-loghub: a partition value holding = or ending in a backslash, and bad Log Service names, stop with exit 2', async t => {
	const sessions = listSessionIds(cloud.home).length;
	const loghubRun = (...sets: string[]) => cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--set', 'logstore=bad-input', ...sets.flatMap(set => ['--set', set])]);
	refusal(t, await loghubRun('partition=pt=2016=1226'), 2, /^✖ Invalid answer partition: Expected column=value, e\.g\. pt=20161226: MaxCompute partition values hold only .*"=" is not one of them$/, /--set partition=/);
	refusal(t, await loghubRun('partition=pt=2016\\'), 2, /partition: .*"\\\\" is not one of them$/, /--set partition=/);
	refusal(t, await loghubRun('partition=pt=1,region=sg'), 2, /partition: .*a single partition, column=value, is expected/, /--set partition=/);
	refusal(t, await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--set', 'logstore=Bad_Store']), 2, /^✖ Invalid answer logstore: Logstore names start with a lower-case letter or a digit, not "B"$/, /--set logstore=/);
	refusal(t, await loghubRun('logProject=my_logs'), 2, /logProject: Log Service project names hold only lower-case letters, digits and hyphens; "_" is not one of them$/, /--set logProject=/);
	refusal(t, await loghubRun('taskName=a/b'), 2, /taskName: DataWorks node names hold only/, /--set taskName=/);
	t.is(listSessionIds(cloud.home).length, sessions, 'no session');
	await nothingCreated(t, {logstore: 'bad-input'});
	t.is((await logService({method: 'GET', path: '/', project: logProject})).json.errorCode, 'ProjectNotExist', 'not even the project');
	t.is((await logService({method: 'POST', path: '/', body: {projectName: logProject, description: 'control'}})).status, 200);
	t.is((await logService({method: 'POST', path: '/logstores', project: logProject, body: {logstoreName: 'look-up-control', ttl: 1, shardCount: 1}})).status, 200);
	t.true(await logstoreExists('look-up-control'), 'the look-up finds a logstore that exists');
});

test.serial('redshift-to-maxcompute: bucket, prefix, role and schema names each service refuses stop with exit 2', async t => {
	const sessions = listSessionIds(cloud.home).length;
	const redshiftRun = (set: string) => cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--set', set]);
	refusal(t, await redshiftRun('ossBucket=my.landing'), 2, /^✖ Invalid answer ossBucket: OSS bucket names hold only lower-case letters, digits and hyphens; "\." is not one of them$/, /--set ossBucket=/);
	refusal(t, await redshiftRun('s3Bucket=192.168.5.4'), 2, /s3Bucket: S3 bucket names are not formatted as an IP address$/, /--set s3Bucket=/);
	refusal(t, await redshiftRun(`ossPrefix=${'p'.repeat(1023)}`), 2, /ossPrefix: OSS object names are at most 1,023 bytes/, /--set ossPrefix=/);
	refusal(t, await redshiftRun('migrationRoleName=my_role'), 2, /migrationRoleName: RAM role names hold only letters, digits, periods and hyphens; "_" is not one of them$/, /--set migrationRoleName=/);
	refusal(t, await redshiftRun('unloadRoleArn=arn:aws-cn:iam::123:role/r'), 2, /unloadRoleArn: Expected an IAM role ARN/, /--set unloadRoleArn=/);
	refusal(t, await redshiftRun(`sourceSchema=${'s'.repeat(128)}`), 2, /sourceSchema: Redshift identifiers are 1–127 bytes long; this one is 128$/, /--set sourceSchema=/);
	refusal(t, await redshiftRun('tables=order-items'), 2, /tables: order-items cannot be a MaxCompute table: MaxCompute table names hold only/, /--set tables=/);
	t.is(listSessionIds(cloud.home).length, sessions, 'no session');
});
