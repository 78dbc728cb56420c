/**
 * The Redshift procedure on a local cloud started with `--identities missing` (a fresh account): preflight stops
 * (exit 4) naming every missing role, policy and cluster association with its fix; `ferry plan` shows every identity
 * call; resumed with creation accepted, the run creates exactly those, checks them again and finishes verified; a
 * second run creates nothing; a role detached from the cluster after preflight fails UNLOAD with Redshift's own
 * error and a hint, and the session resumes once it is attached again.
 */
import test from 'ava';
import {createIamClient} from '../../../source/clouds/iam/client.js';
import {createRamClient} from '../../../source/clouds/ram/client.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {createRedshiftManagementClient} from '../../../source/clouds/redshift/management-client.js';
import type {Session} from '../../../source/engine/session.js';
import type {CreatedResource} from '../../../source/engine/wizard.js';
import {describeRun, parseJsonOutput, readSessionFile, useLocalCloud} from '../../helpers/cli.js';
import {localCloudAccess} from '../../helpers/local-cloud-access.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test, {startArgs: ['--identities', 'missing']});
const stackLine = /^\s{4}at /m;
const unloadRole = 'arn:aws:iam::000000000000:role/ferry-local-unload';
let firstSession = '';

type Document = RunDocument & {created: CreatedResource[]};

async function awsKeys() {
	const env = parseJsonOutput<{set: Record<string, string>}>(await cloud.ferry(['local-cloud', 'env', '--shell', 'json']));
	return {accessKeyId: env.set['AWS_ACCESS_KEY_ID']!, secretAccessKey: env.set['AWS_SECRET_ACCESS_KEY']!};
}

async function clients() {
	const access = localCloudAccess(cloud.home);
	const credentials = await awsKeys();
	return {
		iam: createIamClient({region: 'ap-southeast-1', endpoint: access.services['iam']!, credentials}),
		redshift: createRedshiftManagementClient({region: 'ap-southeast-1', endpoint: access.services['redshift-management']!, credentials}),
		ram: createRamClient({endpoint: access.services['ram']!, credentials: resolveAlibabaCredentials({kind: 'keys', ...access.alibaba})}),
	};
}

test.serial('a fresh account: preflight stops with exit 4 naming each missing role, policy and association, and creates nothing', async t => {
	const result = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	t.is(result.exitCode, 4, describeRun(result));
	const document = parseJsonOutput<Document>(result);
	t.like(document.steps.find(step => step.id === 'preflight'), {state: 'failed'});
	t.true(document.steps.filter(step => step.id !== 'connections' && step.id !== 'preflight').every(step => step.state === 'pending'));
	const {message, hint = ''} = document.error!;
	t.regex(message, /IAM role for UNLOAD — role ferry-local-unload does not exist; no policy allows s3:PutObject, s3:DeleteObject, s3:ListBucket; not associated with cluster ferry-local/);
	t.regex(message, /RAM role for Data Online Migration — role ferry-local-migration does not exist/);
	t.regex(message, /RAM role for LOAD — role aliyunodpsdefaultrole does not exist/);
	for (const fix of ['aws iam create-role --role-name ferry-local-unload', 'aws iam put-role-policy --role-name ferry-local-unload', `aws redshift modify-cluster-iam-roles --cluster-identifier ferry-local --add-iam-roles ${unloadRole}`, 'aliyun ram CreateRole --RoleName ferry-local-migration', 'aliyun ram AttachPolicyToRole --PolicyType Custom --PolicyName ferry-load-ferry-landing --RoleName aliyunodpsdefaultrole', 'Redshift console → Clusters → ferry-local → Actions → Manage IAM roles']) {
		t.true(hint.includes(fix), fix);
	}

	t.is(hint.split('--set createIdentities=yes').length - 1, 1, 'the way out is said once');
	t.deepEqual(document.created, []);
	t.notRegex(result.stderr, stackLine);
	const {iam, redshift} = await clients();
	t.is(await iam.getRole('ferry-local-unload'), undefined);
	t.deepEqual((await redshift.describeCluster('ferry-local'))?.iamRoles, []);
	firstSession = document.session.id;
});

test.serial('`ferry plan` shows every identity call with its policy document and CLI form', async t => {
	const refused = await cloud.ferry(['plan', 'redshift-to-maxcompute', '--local']);
	t.is(refused.exitCode, 0, 'ask: the plan shows what would be created');
	const plan = refused.stdout;
	t.regex(plan, /## Identity calls ferry makes/);
	for (const call of ['# 1. IAM CreateRole — role ferry-local-unload', '# 2. IAM PutRolePolicy — inline policy ferry-local-unload/ferry-unload-ferry-unload', '# 3. Redshift ModifyClusterIamRoles — cluster IAM role ferry-local ← ferry-local-unload', 'RAM CreateRole — role ferry-local-migration', 'RAM CreatePolicy — policy ferry-load-ferry-landing', 'RAM AttachPolicyToRole — policy attachment aliyunodpsdefaultrole ← ferry-load-ferry-landing']) {
		t.true(plan.includes(call), call);
	}

	t.regex(plan, /"Resource": "arn:aws:s3:::ferry-unload\/unload_from_redshift\/\*"/);
	t.regex(plan, /"s3:prefix": "unload_from_redshift\/\*"/);
	t.regex(plan, /"Service": "redshift\.amazonaws\.com"/);
	t.regex(plan, /"acs:oss:\*:\*:ferry-landing\/unload_from_redshift\/\*"/);
	t.regex(plan, /\$ aws iam create-role --role-name ferry-local-unload/);
	t.notRegex(plan, /CreateAccessKey|create-access-key/);
	t.regex(plan, /\| IAM role ferry-local-unload \(Redshift UNLOAD writes S3\) \| missing: .* \| IAM GetRole ferry-local-unload, Redshift DescribeClusters ferry-local \|/);

	const no = await cloud.ferry(['plan', 'redshift-to-maxcompute', '--local', '--set', 'createIdentities=no']);
	t.is(no.exitCode, 4, describeRun(no));
	t.regex(no.stderr, /role ferry-local-unload does not exist/);
});

test.serial('resumed with creation accepted: exactly the missing identities are created, checked again, and the run finishes verified', async t => {
	const result = await cloud.ferry(['resume', firstSession, '--set', 'createIdentities=yes', '--yes', '--json'], {timeoutMs: 600_000});
	t.is(result.exitCode, 0, describeRun(result));
	const document = parseJsonOutput<Document>(result);
	t.true(document.verification?.equal);
	t.deepEqual(document.created.map(resource => `${resource.service} ${resource.kind} ${resource.name}`), [
		'IAM role ferry-local-unload',
		'IAM inline policy ferry-local-unload/ferry-unload-ferry-unload',
		'Redshift cluster IAM role ferry-local ← ferry-local-unload',
		'RAM role ferry-local-migration',
		'RAM policy ferry-migration-ferry-landing',
		'RAM policy attachment ferry-local-migration ← ferry-migration-ferry-landing',
		'RAM role aliyunodpsdefaultrole',
		'RAM policy ferry-load-ferry-landing',
		'RAM policy attachment aliyunodpsdefaultrole ← ferry-load-ferry-landing',
	]);
	t.regex(result.stderr, /✔ IAM role ferry-local-unload \(Redshift UNLOAD writes S3\): exists, trusts redshift\.amazonaws\.com, allows s3:PutObject, s3:DeleteObject, s3:ListBucket, in-sync on cluster ferry-local/);
	t.regex(result.stderr, /9 created · 4 identities checked again and in place/);

	const {iam, redshift, ram} = await clients();
	const role = await iam.getRole('ferry-local-unload');
	t.regex(role?.description ?? '', new RegExp(`Created by ferry \\(session ${firstSession}\\)`));
	t.deepEqual(await iam.listRolePolicies('ferry-local-unload'), ['ferry-unload-ferry-unload']);
	t.deepEqual((await redshift.describeCluster('ferry-local'))?.iamRoles, [{arn: unloadRole, status: 'in-sync'}]);
	t.deepEqual((await ram.listPoliciesForRole('aliyunodpsdefaultrole')).map(policy => policy.name), ['ferry-load-ferry-landing']);

	const shown = await cloud.ferry(['sessions', 'show', firstSession]);
	t.regex(shown.stdout, /Created by ferry:/);
	t.regex(shown.stdout, /IAM\s+role\s+ferry-local-unload/);
	const removal = shown.stdout.slice(shown.stdout.indexOf('To remove them'));
	t.true(removal.indexOf('aliyun ram DetachPolicyFromRole --PolicyType Custom --PolicyName ferry-load-ferry-landing --RoleName aliyunodpsdefaultrole') < removal.indexOf('aliyun ram DeleteRole --RoleName aliyunodpsdefaultrole'));
	t.true(removal.indexOf(`aws redshift modify-cluster-iam-roles --cluster-identifier ferry-local --remove-iam-roles ${unloadRole}`) < removal.indexOf('aws iam delete-role --role-name ferry-local-unload'));
});

test.serial('a second run finds every identity in place and creates nothing', async t => {
	const result = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--set', 'createIdentities=no'], {timeoutMs: 600_000});
	t.is(result.exitCode, 0, describeRun(result));
	const document = parseJsonOutput<Document>(result);
	t.deepEqual(document.created, []);
	t.regex(result.stderr, /4 identities in place · nothing created/);
	t.notRegex(result.stderr, /ferry created/);
});

test.serial('a role detached from the cluster after preflight fails UNLOAD with Redshift\'s error and a hint; attached again, the session resumes', async t => {
	// Stopped at the review (no --yes): preflight has passed with the role in-sync.
	const stopped = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--json', '--no-input']);
	t.is(stopped.exitCode, 2, describeRun(stopped));
	const sessionId = parseJsonOutput<Document>(stopped).session.id;
	t.is(readSessionFile(cloud.home, sessionId)?.steps['preflight']?.state, 'done');

	const {redshift} = await clients();
	await redshift.modifyClusterIamRoles('ferry-local', {remove: [unloadRole]});
	const failed = await cloud.ferry(['resume', sessionId, '--yes', '--json'], {timeoutMs: 300_000});
	t.is(failed.exitCode, 1, describeRun(failed));
	const document = parseJsonOutput<Document>(failed);
	t.like(document.steps.find(step => step.id === 'unload'), {state: 'failed'});
	t.regex(document.error!.message, /is not authorized to assume IAM Role arn:aws:iam::000000000000:role\/ferry-local-unload/);
	t.regex(document.error!.hint ?? '', /not associated with cluster ferry-local .*aws redshift modify-cluster-iam-roles --cluster-identifier ferry-local --add-iam-roles arn:aws:iam::000000000000:role\/ferry-local-unload.*ferry resume/);

	await redshift.modifyClusterIamRoles('ferry-local', {add: [unloadRole]});
	for (let waited = 0; (await redshift.describeCluster('ferry-local'))?.iamRoles.find(role => role.arn === unloadRole)?.status !== 'in-sync' && waited < 60; waited++) {
		await new Promise(resolve => setTimeout(resolve, 500));
	}

	const resumed = await cloud.ferry(['resume', sessionId, '--yes', '--json'], {timeoutMs: 600_000});
	t.is(resumed.exitCode, 0, describeRun(resumed));
	t.true(parseJsonOutput<Document>(resumed).verification?.equal);
	const session: Session | undefined = readSessionFile(cloud.home, sessionId);
	t.is(session?.steps['unload']?.attempts, 2);
});
