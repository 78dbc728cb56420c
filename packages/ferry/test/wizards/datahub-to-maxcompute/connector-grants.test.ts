/**
 * The DataConnector writing with an account of its own (a RAM user whose AccessKey the run is given) that lacks
 * Update on the table: preflight stops (exit 4) with the GRANT statement to run; with creation accepted ferry, the
 * project's owner, grants exactly that, reads the grants again, and the records sync and verify. The profile's own
 * account lacking a grant cannot grant itself: preflight names the statement for the owner.
 */
import test from 'ava';
import {createRpcCaller} from '../../../source/clouds/alibaba/rpc-call.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {createMaxComputeClient, type MaxComputeClient} from '../../../source/clouds/maxcompute/client.js';
import {parseGrants} from '../../../source/identity/maxcompute-grants.js';
import type {CreatedResource} from '../../../source/engine/wizard.js';
import {silentLogger} from '../../../source/log/logger.js';
import {describeRun, parseJsonOutput, useLocalCloud} from '../../helpers/cli.js';
import {localCloudAccess} from '../../helpers/local-cloud-access.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
const account = '1000000000000000';
const connector = `RAM$${account}:ferry-connector`;
const table = 'granted_logs';
let connectorKey = {id: '', secret: ''};
let owner: MaxComputeClient;

type Document = RunDocument & {created: CreatedResource[]};

/** The connector's RAM user with an AccessKey, a member of the project with every grant it needs but Update (after the cloud started). */
async function setUp(): Promise<void> {
	const access = localCloudAccess(cloud.home);
	const credentials = resolveAlibabaCredentials({kind: 'keys', ...access.alibaba});
	const ram = createRpcCaller('RAM', '2015-05-01', {endpoint: access.services['ram']!, credentials});
	await ram('CreateUser', {UserName: 'ferry-connector'});
	const key = (await ram('CreateAccessKey', {UserName: 'ferry-connector'}))['AccessKey'] as {AccessKeyId: string; AccessKeySecret: string};
	connectorKey = {id: key.AccessKeyId, secret: key.AccessKeySecret};
	owner = createMaxComputeClient({endpoint: access.services['maxcompute']!, project: 'ferry_local', credentials: async () => access.alibaba, logger: silentLogger});
	await owner.runSql(`CREATE TABLE ${table} (f1 STRING, f2 STRING, f3 DOUBLE) PARTITIONED BY (ds STRING);`);
	for (const statement of [`ADD USER ${connector};`, `GRANT CreateInstance ON PROJECT ferry_local TO USER ${connector};`, `GRANT Describe, Alter ON TABLE ${table} TO USER ${connector};`]) {
		await owner.runSql(statement);
	}
}

const run = (args: readonly string[]) => cloud.ferry(args, {timeoutMs: 300_000, env: {FERRY_SECRET_CONNECTOR_ACCESS_KEY_SECRET: connectorKey.secret}});

test.serial('a connector account lacking Update: preflight stops with exit 4 and the GRANT statement; accepted, ferry grants exactly that and the run verifies', async t => {
	await setUp();
	const stopped = await run(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'records=200', '--set', 'datahubTopic=granted', '--set', `maxcomputeTable=${table}`, '--set', `connectorAccessKeyId=${connectorKey.id}`]);
	t.is(stopped.exitCode, 4, describeRun(stopped));
	const document = parseJsonOutput<Document>(stopped);
	t.regex(document.error!.message, new RegExp(`MaxCompute account RAM\\$${account}:ferry-connector \\(the DataConnector writes the table\\): lacks Update on table ${table}`));
	t.true(document.error!.hint?.includes(`\`GRANT Update ON TABLE \`${table}\` TO USER ${connector};\``), document.error!.hint);
	t.false(stopped.stdout.includes(connectorKey.secret) || stopped.stderr.includes(connectorKey.secret));

	const resumed = await run(['resume', document.session.id, '--set', 'createIdentities=yes', '--yes', '--json']);
	t.is(resumed.exitCode, 0, describeRun(resumed));
	const finished = parseJsonOutput<Document>(resumed);
	t.true(finished.verification?.equal);
	t.deepEqual(finished.created.map(resource => [resource.kind, resource.name, resource.removal]), [['grant', `Update on table ${table} to ${connector}`, `REVOKE Update ON TABLE \`${table}\` FROM USER ${connector};`]]);
	const grants = parseGrants((await owner.runSql(`SHOW GRANTS FOR ${connector};`)).text, 'ferry_local');
	t.deepEqual([...grants.allowed.get(`table/${table}`) ?? []].sort(), ['alter', 'describe', 'update']);
	t.false(resumed.stdout.includes(connectorKey.secret));
});

test.serial('the profile\'s own account cannot grant itself: a RAM user profile lacking Update stops with the statement for the owner', async t => {
	// The connector's account checking itself: its keys as the connector's, its grants read with SHOW GRANTS.
	const access = localCloudAccess(cloud.home);
	const self = createMaxComputeClient({endpoint: access.services['maxcompute']!, project: 'ferry_local', credentials: async () => ({accessKeyId: connectorKey.id, accessKeySecret: connectorKey.secret}), logger: silentLogger});
	await owner.runSql(`REVOKE Update ON TABLE ${table} FROM USER ${connector};`);
	const {checkMaxComputeGrants} = await import('../../../source/identity/maxcompute-grants.js');
	const finding = await checkMaxComputeGrants({id: 'g', purpose: 'p', account: connector, project: 'ferry_local', projectPrivileges: ['CreateInstance'], table, tablePrivileges: ['Describe', 'Alter', 'Update'], tableIsNew: false, self: true}, self, new AbortController().signal);
	t.deepEqual(finding.problems.map(problem => [problem.text, problem.creatable]), [[`lacks Update on table ${table}`, false]]);
	t.is(finding.problems[0]!.fix, `the project owner runs \`GRANT Update ON TABLE \`${table}\` TO USER ${connector};\``);
	t.deepEqual(finding.actions, []);
	t.deepEqual(finding.checkedWith, ['MaxCompute GetProject ferry_local', 'MaxCompute SHOW GRANTS']);
});
