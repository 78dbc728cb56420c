import test from 'ava';
import {createDataWorksClient} from '../../../source/clouds/dataworks/client.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {describeRun, parseJsonOutput, readSessionFile, useLocalCloud} from '../../helpers/cli.js';
import {localCloudAccess} from '../../helpers/local-cloud-access.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
const copyColumns = 'col0, col1, col2, col3, col4, col5, time_str';

/** The business date of today's daily instance: yesterday in China Standard Time, as yyyymmdd. */
function yesterdayCst(): string {
	const cst = new Date(Date.now() + (8 * 3_600_000) - 86_400_000);
	return cst.toISOString().slice(0, 10).replaceAll('-', '');
}

test.serial('schedule mode: a daily cycle reading pt=${bizdate}; the first scheduled instance is watched to the end and its own partition verified', async t => {
	const partition = yesterdayCst();
	const copy = await cloud.ferry(['sql', '--local', '--wizard', 'maxcompute-to-loghub', '--side', 'source', `INSERT INTO ak_biz_log_detail PARTITION (pt='${partition}') SELECT ${copyColumns} FROM ak_biz_log_detail WHERE pt = '20161226'`]);
	t.is(copy.exitCode, 0, describeRun(copy));

	const run = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'mode=schedule', '--set', 'logstore=scheduled', '--set', 'taskName=scheduled_task', '--set', 'topic=scheduled']);
	t.is(run.exitCode, 0, describeRun(run, 40));
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, document.verification?.summary.text);
	t.regex(run.stderr, /schedule: daily \(00 30 00 \* \* \?, bizdate=\$bizdate\); each instance reads pt=\$\{bizdate\}/);
	t.regex(run.stderr, new RegExp(`first scheduled instance \\d+: cycle time .*, reads pt=${partition}`));
	const session = readSessionFile(cloud.home, document.session.id)!;
	t.is(session.steps['run']?.outputs['partition'], partition);
	t.is(session.steps['task']?.checkpoints['scheduling'], '00 30 00 * * ?');
	const logs = document.verification!.comparisons.find(comparison => comparison.id === 'logs')!;
	t.is(logs.rows[0]?.cells[0]?.target, '1000', 'the scheduled partition\'s 1,000 rows became 1,000 logs');
});

test.serial('a failed instance: resume discards it and runs the task again, saying so; the logs are then exported once', async t => {
	const access = localCloudAccess(cloud.home);
	const dataworks = createDataWorksClient({endpoint: access.services['dataworks']!, regionId: 'ap-southeast-1', credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: access.alibaba.accessKeyId, accessKeySecret: access.alibaba.accessKeySecret})});
	// A LogHub data source whose key is wrong: the writer's first PutLogs is refused, so the instance fails having sent nothing.
	const content = {endpoint: access.services['log-service']!, project: 'ferry-logs', accessId: access.alibaba.accessKeyId};
	const {id} = await dataworks.createDataSource({projectId: 10_001, name: 'stale_loghub', dataSourceType: 'loghub', envType: 1, content: {...content, accessKey: 'not-the-key'}});

	const failed = await cloud.ferry(['run', 'maxcompute-to-loghub', '--local', '--yes', '--json', '--set', 'loghubDataSource=stale_loghub', '--set', 'logstore=rerun', '--set', 'taskName=rerun_task', '--set', 'topic=rerun']);
	t.not(failed.exitCode, 0, describeRun(failed));
	t.regex(failed.stderr, /The sync instance (\d+) failed/);
	const sessionId = parseJsonOutput<RunDocument>(failed).session.id;
	const failedInstance = readSessionFile(cloud.home, sessionId)!.steps['run']?.checkpoints['instanceId'];
	t.truthy(failedInstance);

	await dataworks.updateDataSource({dataSourceId: id!, content: {...content, accessKey: access.alibaba.accessKeySecret}});
	const resumed = await cloud.ferry(['resume', sessionId, '--yes', '--json']);
	t.is(resumed.exitCode, 0, describeRun(resumed, 40));
	t.regex(resumed.stderr, new RegExp(`instance ${String(failedInstance)} failed: running the task again`));
	const session = readSessionFile(cloud.home, sessionId)!;
	t.not(session.steps['run']?.outputs['instanceId'], failedInstance, 'a new backfill instance ran');
	t.is(session.steps['task']?.attempts, 1, 'the task was not submitted or deployed again');
	const document = parseJsonOutput<RunDocument>(resumed);
	t.true(document.verification?.equal, document.verification?.summary.text);
});
