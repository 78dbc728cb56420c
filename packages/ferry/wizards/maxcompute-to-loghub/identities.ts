/**
 * The keys the two data sources hold (the profile's, `data-sources` step): the odps reader needs Describe and Select
 * on the table (MaxCompute's ACL, `SHOW GRANTS`), the loghub writer `log:PostLogStoreLogs` on the logstore (the RAM
 * policies of the user or role the keys belong to, evaluated by ferry). ferry does not change its own account's
 * permissions: what is missing stops preflight with the statement or command that grants it.
 */
import {checkMaxComputeGrants, decidePermissions, newFinding, permissionText, readIdentityPolicy, shellJson, shellWord, type AlibabaCaller, type DataWorksClient, type IdentityFinding, type MaxComputeClient, type RamClient} from '../../source/kit.js';

export type DataSourceKeysInput = {
	caller: AlibabaCaller;
	accessKeyId: string;
	maxcompute: MaxComputeClient;
	ram: RamClient;
	dataworks: DataWorksClient;
	workspaceId: number;
	table: string;
	region: string;
	logProject: string;
	logstore: string;
	dataSources: readonly string[];
};

/** The caller as MaxCompute's ACL and RAM name it. */
function callerNames(caller: AlibabaCaller): {maxcompute: string; user?: string; role?: string} {
	const user = /^acs:ram::\d+:user\/(.+)$/.exec(caller.arn)?.[1];
	const role = /^acs:ram::\d+:assumed-role\/([^/]+)\//.exec(caller.arn)?.[1];
	return {
		maxcompute: user ? `RAM$${caller.accountId}:${user}` : role ? `RAM$${caller.accountId}:role/${role}` : `ALIYUN$${caller.accountId}`,
		...(user ? {user} : {}),
		...(role ? {role} : {}),
	};
}

export async function checkDataSourceKeys(input: DataSourceKeysInput, signal: AbortSignal): Promise<IdentityFinding[]> {
	const names = callerNames(input.caller);
	const grants = await checkMaxComputeGrants({
		id: 'reader-grants',
		purpose: 'the odps reader reads the table',
		account: names.maxcompute,
		aliases: [`RAM$${input.caller.accountId}:${input.caller.userId}`],
		project: input.maxcompute.project,
		projectPrivileges: [],
		table: input.table,
		tablePrivileges: ['Describe', 'Select'],
		tableIsNew: false,
		self: true,
	}, input.maxcompute, signal);

	const writer = newFinding('writer-policy', `RAM identity ${input.caller.arn} (the loghub writer writes the logstore)`);
	writer.checkedWith.push('Alibaba Cloud STS GetCallerIdentity');
	const permission = {action: 'log:PostLogStoreLogs', resource: `acs:log:${input.region}:${input.caller.accountId}:project/${input.logProject}/logstore/${input.logstore}`};
	if (!names.user && !names.role) {
		writer.found.push('the account itself: every permission');
	} else {
		writer.checkedWith.push(`RAM ${names.user ? `ListPoliciesForUser ${names.user}` : `ListPoliciesForRole ${names.role!}`}, GetPolicyVersion`);
		const attached = names.user ? await input.ram.listPoliciesForUser(names.user, {signal}) : await input.ram.listPoliciesForRole(names.role!, {signal});
		const policies = [];
		for (const policy of attached) {
			const read = readIdentityPolicy(policy.name, await input.ram.getPolicyVersion(policy.name, policy.type, policy.defaultVersion, {signal}), 'alibaba');
			if ('unreadable' in read) {
				writer.notes.push(`policy ${policy.name} could not be read (${read.unreadable})`);
			} else {
				policies.push(read);
			}
		}

		const [decision] = decidePermissions(policies, [permission]);
		if (decision!.outcome === 'allowed') {
			writer.found.push('may write the logstore');
		} else if (decision!.outcome === 'undecided') {
			writer.notes.push(`${permissionText(permission)} depends on ${decision!.missingContextKeys.join(', ')}: not decided`);
		} else {
			const document = JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: 'log:PostLogStoreLogs', Resource: `acs:log:*:*:project/${input.logProject}/logstore/${input.logstore}`}]});
			const attach = names.user ? `aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName ferry-loghub-writer --UserName ${shellWord(names.user)}` : `aliyun ram AttachPolicyToRole --PolicyType Custom --PolicyName ferry-loghub-writer --RoleName ${shellWord(names.role!)}`;
			writer.problems.push({piece: 'permission', text: `may not ${permissionText(permission)}`, fix: `RAM console → Permissions → Policies → Create Policy, then grant it to ${names.user ?? names.role!}, or \`aliyun ram CreatePolicy --PolicyName ferry-loghub-writer --PolicyDocument ${shellJson(document)}\` and \`${attach}\``, creatable: false});
		}

		if (names.user) {
			writer.notes.push('policies of the user\'s groups are not read');
		}
	}

	for (const name of input.dataSources) {
		const existing = (await input.dataworks.listDataSources({projectId: input.workspaceId, name, envType: 1}, {signal})).items.find(item => item.name === name);
		const accessId = existing?.content['accessId'];
		if (typeof accessId === 'string' && accessId !== input.accessKeyId) {
			writer.notes.push(`data source ${name} exists with another AccessKey (${accessId}), which is kept and not checked`);
		}
	}

	return [grants, writer];
}
