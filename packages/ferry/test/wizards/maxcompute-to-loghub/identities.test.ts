/**
 * The data sources' keys of the LogHub procedure, on fake clients: a RAM user whose policies do not allow writing the
 * logstore, or who lacks Select on the table, stops preflight with the commands that grant it (ferry does not change
 * its own account); the account itself may do everything; a data source kept with other keys is said.
 */
import test from 'ava';
import type {DataWorksClient} from '../../../source/clouds/dataworks/client.js';
import type {MaxComputeClient} from '../../../source/clouds/maxcompute/client.js';
import type {RamClient} from '../../../source/clouds/ram/client.js';
import {identityGate} from '../../../source/identity/findings.js';
import {checkDataSourceKeys, type DataSourceKeysInput} from '../../../wizards/maxcompute-to-loghub/identities.js';

const signal = new AbortController().signal;

function input(options: {arn: string; grants: string; policies: Array<{name: string; document: string}>; dataSourceKey?: string}): DataSourceKeysInput {
	return {
		caller: {accountId: '1000', userId: '2000', arn: options.arn, identityType: options.arn.includes(':user/') ? 'RAMUser' : 'Account', principalId: '2000'},
		accessKeyId: 'LTAIprofile',
		maxcompute: {
			project: 'p',
			async getProject() {
				return {name: 'p', owner: 'ALIYUN$1000', status: 'AVAILABLE'};
			},
			async runSql() {
				return {columns: [], rows: [], text: options.grants, truncated: false, instanceId: 'i'};
			},
		} as unknown as MaxComputeClient,
		ram: {
			async listPoliciesForUser() {
				return options.policies.map(policy => ({name: policy.name, type: 'Custom', defaultVersion: 'v1'}));
			},
			async getPolicyVersion(name: string) {
				return options.policies.find(policy => policy.name === name)!.document;
			},
		} as unknown as RamClient,
		dataworks: {
			async listDataSources(request: {name?: string}) {
				return {total: 1, pageNumber: 1, pageSize: 1, items: options.dataSourceKey ? [{id: 1, name: request.name, type: 'odps', subType: '', envType: 1, status: '', content: {accessId: options.dataSourceKey}}] : []};
			},
		} as unknown as DataWorksClient,
		workspaceId: 1,
		table: 'logs',
		region: 'ap-southeast-1',
		logProject: 'lp',
		logstore: 'ls',
		dataSources: ['ferry_odps'],
	};
}

const writer = JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: 'log:Post*', Resource: 'acs:log:*:*:project/lp/*'}]});

test('a RAM user allowed to write the logstore and to read the table passes', async t => {
	const findings = await checkDataSourceKeys(input({arn: 'acs:ram::1000:user/etl', grants: 'A       projects/p/tables/logs: Describe | Select', policies: [{name: 'w', document: writer}]}), signal);
	t.deepEqual(findings.map(finding => finding.problems), [[], []]);
	t.deepEqual(findings[1]!.found, ['may write the logstore']);
});

test('a RAM user lacking the logstore write and Select stops with the fixes, nothing creatable', async t => {
	const findings = await checkDataSourceKeys(input({arn: 'acs:ram::1000:user/etl', grants: 'A       projects/p/tables/logs: Describe', policies: []}), signal);
	t.deepEqual(findings.map(finding => finding.problems.map(problem => problem.text)), [['lacks Select on table logs'], ['may not log:PostLogStoreLogs on acs:log:ap-southeast-1:1000:project/lp/logstore/ls']]);
	const gate = identityGate(findings, 'yes', 'headless');
	t.false(gate.ok);
	t.regex(gate.ok ? '' : gate.hint, /the project owner runs `GRANT Select ON TABLE `logs` TO USER RAM\$1000:etl;`/);
	t.regex(gate.ok ? '' : gate.hint, /aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName ferry-loghub-writer --UserName etl/);
});

test('the account itself may do everything; a data source kept with other keys is said', async t => {
	const findings = await checkDataSourceKeys(input({arn: 'acs:ram::1000:root', grants: '', policies: [], dataSourceKey: 'LTAIother'}), signal);
	t.deepEqual(findings.map(finding => finding.problems), [[], []]);
	t.deepEqual(findings[0]!.found, ['owns project p: every privilege']);
	t.regex(findings[1]!.notes.join(' '), /data source ferry_odps exists with another AccessKey \(LTAIother\)/);
});
