/**
 * The identity checks on fake clients: what an IAM or RAM role lacks (existence, trust, permissions, the cluster
 * association), which of it ferry may create and with which calls, what is left undecided, the MaxCompute grant
 * listing, and when a run may go past preflight.
 */
import test from 'ava';
import type {IamClient, IamRole, SimulationRequest} from '../../source/clouds/iam/client.js';
import type {RamClient, RamPolicyRef, RamRole} from '../../source/clouds/ram/client.js';
import type {ClusterIamRole, RedshiftManagementClient} from '../../source/clouds/redshift/management-client.js';
import {ServiceError} from '../../source/engine/errors.js';
import {checkAwsServiceRole, parseIamRoleArn, serviceTrustPolicy, type AwsRoleRequirement} from '../../source/identity/aws-role.js';
import {identityGate} from '../../source/identity/findings.js';
import {grantStatement, missingPrivileges, parseGrants} from '../../source/identity/maxcompute-grants.js';
import {checkRamServiceRole, parseRamRoleArn, ramServiceTrustPolicy, type RamRoleRequirement} from '../../source/identity/ram-role.js';
import {evaluatePolicies, parsePolicy} from '../../source/identity/policy.js';

const signal = new AbortController().signal;
const roleArn = 'arn:aws:iam::123456789012:role/service/unload';

type FakeIam = {role?: IamRole; inline?: Record<string, string>; simulator?: 'denied'; calls: string[]};

function fakeIam(state: FakeIam): IamClient {
	const policies = () => Object.values(state.inline ?? {}).map((document, index) => ({id: String(index), policy: parsePolicy(document, {dialect: 'aws', kind: 'identity'})}));
	return {
		async getRole(name: string) {
			state.calls.push(`GetRole ${name}`);
			return state.role?.name === name ? state.role : undefined;
		},
		async simulatePrincipalPolicy(_arn: string, requests: readonly SimulationRequest[]) {
			state.calls.push('SimulatePrincipalPolicy');
			if (state.simulator === 'denied') {
				throw new ServiceError('IAM', 'SimulatePrincipalPolicy: AccessDenied', {status: 403, code: 'AccessDenied'});
			}

			return requests.map(request => {
				const evaluation = evaluatePolicies(policies(), {action: request.action, resource: request.resource, ...(request.context ? {context: request.context} : {})});
				return {...request, decision: evaluation.decision, missingContextKeys: [...evaluation.missingContextKeys]};
			});
		},
		async listRolePolicies() {
			state.calls.push('ListRolePolicies');
			return Object.keys(state.inline ?? {});
		},
		async getRolePolicy(_role: string, name: string) {
			return state.inline![name]!;
		},
		async listAttachedRolePolicies() {
			return [];
		},
	} as unknown as IamClient;
}

function fakeRedshift(roles: ClusterIamRole[] | undefined): RedshiftManagementClient {
	return {
		async describeCluster(identifier: string) {
			return roles === undefined ? undefined : {identifier, status: 'available', iamRoles: roles};
		},
	} as unknown as RedshiftManagementClient;
}

const writePolicy = (condition?: Record<string, unknown>) => JSON.stringify({
	Version: '2012-10-17',
	Statement: [
		{Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::b/p/*', ...(condition ? {Condition: condition} : {})},
		{Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: {StringLike: {'s3:prefix': 'p/*'}}},
	],
});

const requirement: AwsRoleRequirement = {
	id: 'unload-role',
	purpose: 'UNLOAD',
	roleArn,
	callerAccount: '123456789012',
	service: 'redshift.amazonaws.com',
	permissions: [
		{action: 's3:PutObject', resource: 'arn:aws:s3:::b/p/t/0000_part_00.parquet'},
		{action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/p/t/0000_part_00.parquet'},
		{action: 's3:ListBucket', resource: 'arn:aws:s3:::b', context: {'s3:prefix': 'p/'}},
	],
	policy: {name: 'ferry-unload-b', document: writePolicy()},
	description: 'Created by ferry (session s)',
	cluster: 'c1',
};

const existingRole = (trust = serviceTrustPolicy('redshift.amazonaws.com')): IamRole => ({name: 'unload', path: '/service/', arn: roleArn, id: 'AROA', trustPolicy: trust});

test('role ARNs: path and name; RAM ARNs: account and the lower-case name', t => {
	t.deepEqual(parseIamRoleArn(roleArn), {account: '123456789012', path: '/service/', name: 'unload', arn: roleArn});
	t.deepEqual(parseIamRoleArn('arn:aws:iam::123456789012:role/plain'), {account: '123456789012', path: '/', name: 'plain', arn: 'arn:aws:iam::123456789012:role/plain'});
	t.is(parseIamRoleArn('arn:aws:iam::123456789012:user/bob'), undefined);
	t.deepEqual(parseRamRoleArn('acs:ram::1000000000000000:role/aliyunodpsdefaultrole'), {account: '1000000000000000', name: 'aliyunodpsdefaultrole', arn: 'acs:ram::1000000000000000:role/aliyunodpsdefaultrole'});
});

test('a missing IAM role: the role, its policy and the association are missing, and ferry would create exactly those', async t => {
	const state: FakeIam = {calls: []};
	const finding = await checkAwsServiceRole(requirement, {iam: fakeIam(state), redshift: fakeRedshift([])}, signal);
	t.deepEqual(finding.problems.map(problem => [problem.piece, problem.creatable]), [['role', true], ['permission', true], ['association', true]]);
	t.deepEqual(finding.actions.map(action => `${action.service} ${action.call}`), ['IAM CreateRole', 'IAM PutRolePolicy', 'Redshift ModifyClusterIamRoles']);
	t.deepEqual(finding.actions[0]!.parameters, {RoleName: 'unload', Path: '/service/', Description: 'Created by ferry (session s)', AssumeRolePolicyDocument: serviceTrustPolicy('redshift.amazonaws.com')});
	t.is(finding.actions[1]!.parameters['PolicyDocument'], writePolicy());
	t.is(finding.actions[2]!.cli, `aws redshift modify-cluster-iam-roles --cluster-identifier c1 --add-iam-roles ${roleArn}`);
	t.is(finding.actions[0]!.creates?.removal, 'aws iam delete-role --role-name unload');
	t.regex(finding.actions[0]!.cli, /^aws iam create-role --role-name unload --path \/service\/ --description 'Created by ferry \(session s\)' --assume-role-policy-document '\{"Version":"2012-10-17",/);
	t.deepEqual(state.calls, ['GetRole unload'], 'nothing is simulated for a role that does not exist');
});

test('a role in place: trusted, allowed (by the simulator), in-sync: nothing to do', async t => {
	const state: FakeIam = {role: existingRole(), inline: {mine: writePolicy()}, calls: []};
	const finding = await checkAwsServiceRole(requirement, {iam: fakeIam(state), redshift: fakeRedshift([{arn: roleArn, status: 'in-sync'}])}, signal);
	t.deepEqual(finding.problems, []);
	t.deepEqual(finding.found, ['exists', 'trusts redshift.amazonaws.com', 'allows s3:PutObject, s3:DeleteObject, s3:ListBucket', 'in-sync on cluster c1']);
	t.deepEqual(finding.checkedWith, ['IAM GetRole unload', 'IAM SimulatePrincipalPolicy unload', 'Redshift DescribeClusters c1']);
	t.deepEqual(finding.actions, []);
});

test('without the simulator the role\'s own policies are read and evaluated; a missing permission adds ferry\'s inline policy only', async t => {
	const listOnly = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b'}]});
	const state: FakeIam = {role: existingRole(), inline: {list: listOnly}, simulator: 'denied', calls: []};
	const finding = await checkAwsServiceRole(requirement, {iam: fakeIam(state), redshift: fakeRedshift([{arn: roleArn, status: 'in-sync'}])}, signal);
	t.true(state.calls.includes('ListRolePolicies'));
	t.regex(finding.notes.join(' '), /simulator is not allowed/);
	t.deepEqual(finding.problems.map(problem => problem.text), ['may not s3:PutObject on arn:aws:s3:::b/p/t/0000_part_00.parquet, s3:DeleteObject on arn:aws:s3:::b/p/t/0000_part_00.parquet']);
	t.deepEqual(finding.actions.map(action => action.call), ['PutRolePolicy']);
});

test('a condition on a key ferry cannot know leaves the permission undecided: said, not failed', async t => {
	const state: FakeIam = {role: existingRole(), inline: {ip: writePolicy({IpAddress: {'aws:SourceIp': '10.0.0.0/8'}})}, calls: []};
	const finding = await checkAwsServiceRole(requirement, {iam: fakeIam(state), redshift: fakeRedshift([{arn: roleArn, status: 'in-sync'}])}, signal);
	t.deepEqual(finding.problems, []);
	t.regex(finding.notes.join(' '), /s3:PutObject on .* depends on aws:SourceIp, which ferry cannot know: not decided/);
});

test('what ferry must not change is not creatable: a trust without the service, another account, an association being removed, no cluster', async t => {
	const s3Trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 's3.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
	const trust = await checkAwsServiceRole(requirement, {iam: fakeIam({role: existingRole(s3Trust), inline: {mine: writePolicy()}, calls: []}), redshift: fakeRedshift([{arn: roleArn, status: 'in-sync'}])}, signal);
	t.deepEqual(trust.problems.map(problem => [problem.piece, problem.creatable]), [['trust', false]]);
	t.regex(trust.problems[0]!.fix, /aws iam update-assume-role-policy --role-name unload/);
	t.false(identityGate([trust], 'yes', 'headless').ok);

	const other = await checkAwsServiceRole({...requirement, callerAccount: '999999999999'}, {iam: fakeIam({calls: []})}, signal);
	t.deepEqual(other.problems.map(problem => problem.piece), ['account']);

	const removing = await checkAwsServiceRole(requirement, {iam: fakeIam({role: existingRole(), inline: {mine: writePolicy()}, calls: []}), redshift: fakeRedshift([{arn: roleArn, status: 'removing'}])}, signal);
	t.deepEqual(removing.problems.map(problem => [problem.text, problem.creatable]), [['its association with cluster c1 is removing, not in-sync', false]]);

	const gone = await checkAwsServiceRole(requirement, {iam: fakeIam({role: existingRole(), inline: {mine: writePolicy()}, calls: []}), redshift: fakeRedshift(undefined)}, signal);
	t.deepEqual(gone.problems.map(problem => problem.text), ['cluster c1 does not exist in this region']);
});

type FakeRam = {role?: RamRole; attached?: Array<RamPolicyRef & {document: string}>};

function fakeRam(state: FakeRam): RamClient {
	return {
		async getRole(name: string) {
			return state.role?.name.toLowerCase() === name.toLowerCase() ? state.role : undefined;
		},
		async listPoliciesForRole() {
			return state.attached ?? [];
		},
		async getPolicyVersion(name: string) {
			return state.attached!.find(policy => policy.name === name)!.document;
		},
	} as unknown as RamClient;
}

const ramRequirement: RamRoleRequirement = {
	id: 'load-role',
	purpose: 'LOAD',
	roleName: 'aliyunodpsdefaultrole',
	callerAccount: '1000',
	service: 'odps.aliyuncs.com',
	permissions: [
		{action: 'oss:ListObjects', resource: 'acs:oss:oss-ap-southeast-1:1000:landing'},
		{action: 'oss:GetObject', resource: 'acs:oss:oss-ap-southeast-1:1000:landing/p/t.parquet'},
	],
	policy: {name: 'ferry-load-landing', document: JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: 'oss:GetObject', Resource: 'acs:oss:*:*:landing/p/*'}]}), description: 'd'},
	description: 'Created by ferry (session s)',
};

const loadRole: RamRole = {name: 'AliyunODPSDefaultRole', arn: 'acs:ram::1000:role/aliyunodpsdefaultrole', id: '3', trustPolicy: ramServiceTrustPolicy('odps.aliyuncs.com')};
const readOnly = {name: 'AliyunOSSReadOnlyAccess', type: 'System', defaultVersion: 'v1', document: JSON.stringify({Version: '1', Statement: [{Action: ['oss:Get*', 'oss:List*'], Effect: 'Allow', Resource: '*'}]})};

test('a RAM role with a system policy that covers the run is in place; one without any gets ferry\'s policy and its attachment', async t => {
	const covered = await checkRamServiceRole(ramRequirement, fakeRam({role: loadRole, attached: [readOnly]}), signal);
	t.deepEqual(covered.problems, []);
	t.deepEqual(covered.found, ['exists', 'trusts odps.aliyuncs.com', 'allows oss:ListObjects, oss:GetObject']);

	const bare = await checkRamServiceRole(ramRequirement, fakeRam({role: loadRole, attached: []}), signal);
	t.deepEqual(bare.actions.map(action => `${action.call} ${JSON.stringify(action.parameters['PolicyName'])}`), ['CreatePolicy "ferry-load-landing"', 'AttachPolicyToRole "ferry-load-landing"']);

	const missing = await checkRamServiceRole(ramRequirement, fakeRam({}), signal);
	t.deepEqual(missing.actions.map(action => action.call), ['CreateRole', 'CreatePolicy', 'AttachPolicyToRole']);
	t.is(missing.actions[0]!.parameters['AssumeRolePolicyDocument'], ramServiceTrustPolicy('odps.aliyuncs.com'));
});

test('ferry\'s own policy attached but too narrow is not overwritten; a trust of another service and another account are not creatable', async t => {
	const narrow = await checkRamServiceRole(ramRequirement, fakeRam({role: loadRole, attached: [{name: 'ferry-load-landing', type: 'Custom', defaultVersion: 'v1', document: ramRequirement.policy.document}]}), signal);
	t.deepEqual(narrow.problems.map(problem => [problem.text, problem.creatable]), [['may not oss:ListObjects on acs:oss:oss-ap-southeast-1:1000:landing', false]]);

	const mgw = await checkRamServiceRole(ramRequirement, fakeRam({role: {...loadRole, trustPolicy: ramServiceTrustPolicy('mgw.aliyuncs.com')}, attached: [readOnly]}), signal);
	t.deepEqual(mgw.problems.map(problem => problem.piece), ['trust']);

	const other = await checkRamServiceRole({...ramRequirement, arnAccount: '2000'}, fakeRam({}), signal);
	t.deepEqual(other.problems.map(problem => problem.piece), ['account']);
});

test('SHOW GRANTS: allowed and denied privileges by object, roles and wildcards included', t => {
	const listing = parseGrants([
		'Authorization Type: ACL',
		'[roles]',
		'writer',
		'[role/writer]',
		'A       projects/p/tables/*: Describe',
		'[user/RAM$1:bob]',
		'A       projects/p: CreateInstance | List',
		'A       projects/p/tables/logs: Alter | Select',
		'A       projects/other/tables/logs: All',
		'D       projects/p/tables/secret: Describe',
	].join('\n'), 'p');
	t.deepEqual(missingPrivileges(listing, 'project', ['CreateInstance']), []);
	t.deepEqual(missingPrivileges(listing, 'table/logs', ['Describe', 'Alter', 'Update']), ['Update']);
	t.deepEqual(missingPrivileges(listing, 'table/secret', ['Describe']), ['Describe']);
	t.deepEqual(missingPrivileges(parseGrants('A       projects/p/tables/logs: All', 'p'), 'table/logs', ['Describe', 'Update']), []);
	t.is(grantStatement(['Update'], {kind: 'table', name: 'logs'}, 'RAM$1:bob'), 'GRANT Update ON TABLE `logs` TO USER RAM$1:bob;');
});

test('the gate: in place goes on; creatable goes on when accepted (yes, or asked in the terminal, or in a plan), else stops with every fix', async t => {
	const missing = await checkRamServiceRole(ramRequirement, fakeRam({}), signal);
	t.true(identityGate([missing], 'yes', 'headless').ok);
	t.true(identityGate([missing], 'ask', 'interactive').ok);
	t.true(identityGate([missing], 'ask', 'plan').ok);
	const headless = identityGate([missing], 'ask', 'headless');
	t.false(headless.ok);
	t.regex(headless.ok ? '' : headless.hint, /aliyun ram CreateRole --RoleName aliyunodpsdefaultrole .*--set createIdentities=yes/s);
	const refused = identityGate([missing], 'no', 'interactive');
	t.false(refused.ok);
	t.regex(refused.ok ? '' : refused.hint, /without --set createIdentities=no/);
	t.deepEqual(identityGate([], 'no', 'headless'), {ok: true, toCreate: []});
});
