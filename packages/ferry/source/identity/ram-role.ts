/**
 * A RAM role an Alibaba Cloud service assumes for a run (MaxCompute's for LOAD, Data Online Migration's for writing
 * OSS): that it exists in the profile's account, that its trust policy lets the service take it, and that the
 * policies attached to it allow what the run does (RAM has no simulator: GetRole, ListPoliciesForRole and
 * GetPolicyVersion, evaluated by ferry). For what is missing: the fix by hand, and the least-privilege calls ferry
 * would make (CreateRole, CreatePolicy, AttachPolicyToRole).
 */
import type {RamClient} from '../clouds/ram/client.js';
import {newFinding, type IdentityAction, type IdentityFinding} from './findings.js';
import {decidePermissions, permissionText, readIdentityPolicy, trustsService, type RequiredPermission} from './permissions.js';
import type {SourcedPolicy} from './policy.js';
import {shellJson, shellWord as word} from './shell-quote.js';

export type RamRoleArn = {account: string; name: string; arn: string};

/** `acs:ram::1234567890123456:role/name` → its parts (RAM writes the name in lower case in ARNs). */
export function parseRamRoleArn(arn: string): RamRoleArn | undefined {
	const match = /^acs:ram::(\d+):role\/([\w.-]+)$/i.exec(arn.trim());
	return match ? {account: match[1]!, name: match[2]!, arn: arn.trim()} : undefined;
}

export function ramRoleArn(account: string, name: string): string {
	return `acs:ram::${account}:role/${name.toLowerCase()}`;
}

export function ramServiceTrustPolicy(service: string): string {
	return JSON.stringify({Statement: [{Action: 'sts:AssumeRole', Effect: 'Allow', Principal: {Service: [service]}}], Version: '1'}, undefined, 2);
}

export type RamRoleRequirement = {
	id: string;
	purpose: string;
	/** The role's name (as the answer gives it, or from its ARN). */
	roleName: string;
	/** The profile's account (STS GetCallerIdentity). */
	callerAccount: string;
	/** The account an answered ARN names, when the answer is an ARN. */
	arnAccount?: string;
	service: string;
	permissions: readonly RequiredPermission[];
	/** The custom policy ferry creates and attaches when permissions are missing. */
	policy: {name: string; document: string; description: string};
	/** CreateRole's Description: names the session. */
	description: string;
};

async function attachedPolicies(ram: RamClient, roleName: string, finding: IdentityFinding, signal: AbortSignal): Promise<{policies: SourcedPolicy[]; names: string[]}> {
	finding.checkedWith.push(`RAM ListPoliciesForRole, GetPolicyVersion ${roleName}`);
	const attached = await ram.listPoliciesForRole(roleName, {signal});
	const policies: SourcedPolicy[] = [];
	for (const policy of attached) {
		const read = readIdentityPolicy(`${policy.type}:${policy.name}`, await ram.getPolicyVersion(policy.name, policy.type, policy.defaultVersion, {signal}), 'alibaba');
		if ('unreadable' in read) {
			finding.notes.push(`policy ${policy.name} could not be read (${read.unreadable}); its statements are not counted`);
		} else {
			policies.push(read);
		}
	}

	return {policies, names: attached.map(policy => policy.name)};
}

function roleActions(requirement: RamRoleRequirement, parts: {createRole: boolean; createPolicy: boolean}): IdentityAction[] {
	const {roleName, policy} = requirement;
	const trust = ramServiceTrustPolicy(requirement.service);
	const actions: IdentityAction[] = [];
	if (parts.createRole) {
		actions.push({
			key: `ram:CreateRole:${roleName.toLowerCase()}`,
			service: 'RAM',
			call: 'CreateRole',
			parameters: {RoleName: roleName, Description: requirement.description, AssumeRolePolicyDocument: trust},
			cli: `aliyun ram CreateRole --RoleName ${word(roleName)} --Description ${word(requirement.description)} --AssumeRolePolicyDocument ${shellJson(trust)}`,
			creates: {service: 'RAM', kind: 'role', name: roleName, removal: `aliyun ram DeleteRole --RoleName ${word(roleName)}`},
		});
	}

	if (parts.createPolicy) {
		actions.push({
			key: `ram:CreatePolicy:${policy.name}`,
			service: 'RAM',
			call: 'CreatePolicy',
			parameters: {PolicyName: policy.name, Description: policy.description, PolicyDocument: policy.document},
			cli: `aliyun ram CreatePolicy --PolicyName ${word(policy.name)} --Description ${word(policy.description)} --PolicyDocument ${shellJson(policy.document)}`,
			creates: {service: 'RAM', kind: 'policy', name: policy.name, removal: `aliyun ram DeletePolicy --PolicyName ${word(policy.name)}`},
		}, {
			key: `ram:AttachPolicyToRole:${roleName.toLowerCase()}:${policy.name}`,
			service: 'RAM',
			call: 'AttachPolicyToRole',
			parameters: {PolicyType: 'Custom', PolicyName: policy.name, RoleName: roleName},
			cli: `aliyun ram AttachPolicyToRole --PolicyType Custom --PolicyName ${word(policy.name)} --RoleName ${word(roleName)}`,
			creates: {service: 'RAM', kind: 'policy attachment', name: `${roleName} ← ${policy.name}`, removal: `aliyun ram DetachPolicyFromRole --PolicyType Custom --PolicyName ${word(policy.name)} --RoleName ${word(roleName)}`},
		});
	}

	return actions;
}

export async function checkRamServiceRole(requirement: RamRoleRequirement, ram: RamClient, signal: AbortSignal): Promise<IdentityFinding> {
	const {roleName, policy} = requirement;
	const finding = newFinding(requirement.id, `RAM role ${roleName} (${requirement.purpose})`);
	if (requirement.arnAccount !== undefined && requirement.arnAccount !== requirement.callerAccount) {
		finding.problems.push({piece: 'account', text: `the role is in account ${requirement.arnAccount}, the profile's keys in ${requirement.callerAccount}`, fix: `use a role of account ${requirement.callerAccount}, or a profile of account ${requirement.arnAccount}`, creatable: false});
		return finding;
	}

	const arn = ramRoleArn(requirement.callerAccount, roleName);
	const actionsList = [...new Set(requirement.permissions.map(permission => permission.action))].join(', ');
	const createPolicyFix = `RAM console → Permissions → Policies → Create Policy (JSON) and grant it to the role, or \`aliyun ram CreatePolicy --PolicyName ${word(policy.name)} --PolicyDocument ${shellJson(policy.document)}\` then \`aliyun ram AttachPolicyToRole --PolicyType Custom --PolicyName ${word(policy.name)} --RoleName ${word(roleName)}\``;
	finding.checkedWith.push(`RAM GetRole ${roleName}`);
	const existing = await ram.getRole(roleName, {signal});
	if (!existing) {
		finding.problems.push({piece: 'role', text: `role ${roleName} does not exist`, fix: `RAM console → Identities → Roles → Create Role → Alibaba Cloud Service (${requirement.service}), or \`aliyun ram CreateRole --RoleName ${word(roleName)} --AssumeRolePolicyDocument ${shellJson(ramServiceTrustPolicy(requirement.service))}\``, creatable: true});
		finding.problems.push({piece: 'permission', text: `no policy allows ${actionsList}`, fix: createPolicyFix, creatable: true});
		finding.actions = roleActions(requirement, {createRole: true, createPolicy: true});
		return finding;
	}

	finding.found.push('exists');
	const trusted = trustsService(existing.trustPolicy, requirement.service, 'alibaba', existing.arn || arn);
	if (trusted === true) {
		finding.found.push(`trusts ${requirement.service}`);
	} else {
		const why = typeof trusted === 'object' ? `its trust policy cannot be read (${trusted.unreadable})` : `its trust policy does not let ${requirement.service} assume it`;
		finding.problems.push({piece: 'trust', text: why, fix: `RAM console → Identities → Roles → ${roleName} → Trust Policy → Edit Trust Policy, or \`aliyun ram UpdateRole --RoleName ${word(roleName)} --NewAssumeRolePolicyDocument ${shellJson(ramServiceTrustPolicy(requirement.service))}\``, creatable: false});
	}

	const {policies, names} = await attachedPolicies(ram, roleName, finding, signal);
	const decisions = decidePermissions(policies, requirement.permissions);
	for (const decision of decisions.filter(item => item.outcome === 'undecided')) {
		finding.notes.push(`${permissionText(decision.permission)} depends on ${decision.missingContextKeys.join(', ')}, which ferry cannot know: not decided`);
	}

	const denied = decisions.filter(decision => decision.outcome === 'denied');
	if (denied.length === 0) {
		finding.found.push(`allows ${actionsList}`);
		return finding;
	}

	// ferry's own policy already attached but not enough (edited by hand, say) is not ferry's to overwrite.
	const ownAttached = names.includes(policy.name);
	finding.problems.push({piece: 'permission', text: `may not ${denied.map(decision => permissionText(decision.permission)).join(', ')}`, fix: createPolicyFix, creatable: !ownAttached});
	finding.actions = ownAttached ? [] : roleActions(requirement, {createRole: false, createPolicy: true});
	return finding;
}
