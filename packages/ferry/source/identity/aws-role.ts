/**
 * An IAM role an AWS service assumes for a run (Redshift's for UNLOAD): that it exists in the profile's account, that
 * its trust policy lets the service take it, that its policies allow what the run does (IAM's simulator where the
 * caller may use it, else its inline and attached policies read and evaluated), and that it is associated with the
 * cluster and in-sync. For each missing piece: the fix by hand, and the least-privilege calls ferry would make
 * (CreateRole, PutRolePolicy, ModifyClusterIamRoles).
 */
import type {IamClient} from '../clouds/iam/client.js';
import type {ClusterRoles, RedshiftManagementClient} from '../clouds/redshift/management-client.js';
import {ServiceError, StepError} from '../engine/errors.js';
import {pollUntil} from '../engine/poll.js';
import {newFinding, type IdentityAction, type IdentityFinding} from './findings.js';
import {decidePermissions, permissionText, readIdentityPolicy, trustsService, type PermissionDecision, type RequiredPermission} from './permissions.js';
import type {SourcedPolicy} from './policy.js';
import {shellJson, shellWord} from './shell-quote.js';

export type IamRoleArn = {account: string; path: string; name: string; arn: string};

/** `arn:aws:iam::123456789012:role/path/name` → its parts; undefined for anything else. */
export function parseIamRoleArn(arn: string): IamRoleArn | undefined {
	const match = /^arn:aws[\w-]*:iam::(\d{12}):role((?:\/[\w+=,.@-]+)*\/)?([\w+=,.@-]+)$/.exec(arn.trim());
	return match ? {account: match[1]!, path: match[2] ?? '/', name: match[3]!, arn: arn.trim()} : undefined;
}

export function serviceTrustPolicy(service: string): string {
	return JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]}, undefined, 2);
}

export type AwsRoleRequirement = {
	id: string;
	/** What the role is for, e.g. "UNLOAD writes S3". */
	purpose: string;
	roleArn: string;
	/** The profile's account (STS GetCallerIdentity): a role of another account cannot be checked or created. */
	callerAccount: string;
	/** The service principal that assumes it, e.g. `redshift.amazonaws.com`. */
	service: string;
	permissions: readonly RequiredPermission[];
	/** The inline policy ferry puts when permissions are missing: exactly `permissions`, nothing broader. */
	policy: {name: string; document: string};
	/** CreateRole's Description: names the session, so a resumed run knows the role as its own. */
	description: string;
	/** The provisioned cluster the role must be associated with (in-sync). */
	cluster?: string;
};

export type AwsRoleClients = {iam: IamClient; redshift?: RedshiftManagementClient};

function isAccessDenied(error: unknown): boolean {
	return error instanceof ServiceError && (error.status === 403 || /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(error.code ?? ''));
}

/** The role's policies as documents: inline (ListRolePolicies, GetRolePolicy) and managed (ListAttachedRolePolicies, GetPolicy, GetPolicyVersion). */
async function rolePolicies(iam: IamClient, roleName: string, finding: IdentityFinding, signal?: AbortSignal): Promise<SourcedPolicy[]> {
	finding.checkedWith.push(`IAM ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion ${roleName}`);
	const inline = await Promise.all((await iam.listRolePolicies(roleName, {signal})).map(async name => readIdentityPolicy(name, await iam.getRolePolicy(roleName, name, {signal}), 'aws')));
	const attached = await Promise.all((await iam.listAttachedRolePolicies(roleName, {signal})).map(async policy => readIdentityPolicy(policy.arn, await iam.managedPolicyDocument(policy.arn, {signal}), 'aws')));
	const policies: SourcedPolicy[] = [];
	for (const policy of [...inline, ...attached]) {
		if ('unreadable' in policy) {
			finding.notes.push(`policy ${policy.id} could not be read (${policy.unreadable}); its statements are not counted`);
		} else {
			policies.push(policy);
		}
	}

	return policies;
}

/** SimulatePrincipalPolicy where the caller may run it; else the role's documents, evaluated by ferry. */
async function decideRolePermissions(iam: IamClient, role: {arn: string; name: string}, permissions: readonly RequiredPermission[], finding: IdentityFinding, signal?: AbortSignal): Promise<PermissionDecision[]> {
	try {
		const results = await iam.simulatePrincipalPolicy(role.arn, permissions.map(permission => ({action: permission.action, resource: permission.resource, ...(permission.context ? {context: {...permission.context}} : {})})), {signal});
		finding.checkedWith.push(`IAM SimulatePrincipalPolicy ${role.name}`);
		return results.map((result, index) => ({
			permission: permissions[index]!,
			outcome: result.decision === 'allowed' ? 'allowed' : result.decision === 'implicitDeny' && result.missingContextKeys.length > 0 ? 'undecided' : 'denied',
			missingContextKeys: result.missingContextKeys,
		}));
	} catch (error) {
		if (!isAccessDenied(error)) {
			throw error;
		}

		finding.notes.push('the simulator is not allowed for these keys (iam:SimulatePrincipalPolicy); the role\'s policies were read instead');
		return decidePermissions(await rolePolicies(iam, role.name, finding, signal), permissions);
	}
}

function roleActions(requirement: AwsRoleRequirement, role: IamRoleArn, parts: {createRole: boolean; putPolicy: boolean; associate: boolean}): IdentityAction[] {
	const actions: IdentityAction[] = [];
	const trust = serviceTrustPolicy(requirement.service);
	if (parts.createRole) {
		actions.push({
			key: `iam:CreateRole:${role.name}`,
			service: 'IAM',
			call: 'CreateRole',
			parameters: {RoleName: role.name, ...(role.path === '/' ? {} : {Path: role.path}), Description: requirement.description, AssumeRolePolicyDocument: trust},
			cli: `aws iam create-role --role-name ${shellWord(role.name)}${role.path === '/' ? '' : ` --path ${shellWord(role.path)}`} --description ${shellWord(requirement.description)} --assume-role-policy-document ${shellJson(trust)}`,
			creates: {service: 'IAM', kind: 'role', name: role.name, removal: `aws iam delete-role --role-name ${shellWord(role.name)}`},
		});
	}

	if (parts.putPolicy) {
		actions.push({
			key: `iam:PutRolePolicy:${role.name}:${requirement.policy.name}`,
			service: 'IAM',
			call: 'PutRolePolicy',
			parameters: {RoleName: role.name, PolicyName: requirement.policy.name, PolicyDocument: requirement.policy.document},
			cli: `aws iam put-role-policy --role-name ${shellWord(role.name)} --policy-name ${shellWord(requirement.policy.name)} --policy-document ${shellJson(requirement.policy.document)}`,
			creates: {service: 'IAM', kind: 'inline policy', name: `${role.name}/${requirement.policy.name}`, removal: `aws iam delete-role-policy --role-name ${shellWord(role.name)} --policy-name ${shellWord(requirement.policy.name)}`},
		});
	}

	if (parts.associate && requirement.cluster) {
		actions.push({
			key: `redshift:ModifyClusterIamRoles:${requirement.cluster}:${role.arn}`,
			service: 'Redshift',
			call: 'ModifyClusterIamRoles',
			parameters: {ClusterIdentifier: requirement.cluster, AddIamRoles: role.arn, Then: 'DescribeClusters until the role is in-sync'},
			cli: `aws redshift modify-cluster-iam-roles --cluster-identifier ${shellWord(requirement.cluster)} --add-iam-roles ${role.arn}`,
			creates: {service: 'Redshift', kind: 'cluster IAM role', name: `${requirement.cluster} ← ${role.name}`, removal: `aws redshift modify-cluster-iam-roles --cluster-identifier ${shellWord(requirement.cluster)} --remove-iam-roles ${role.arn}`},
		});
	}

	return actions;
}

/** The role's state on the cluster, waiting out a short `adding` (the association applies within seconds to minutes). */
async function clusterRoleStatus(redshift: RedshiftManagementClient, cluster: string, arn: string, signal: AbortSignal, waitMs = 60_000): Promise<{cluster: ClusterRoles | undefined; status: string | undefined}> {
	const read = async () => {
		const described = await redshift.describeCluster(cluster, {signal});
		return {cluster: described, status: described?.iamRoles.find(role => role.arn === arn)?.status};
	};

	try {
		return await pollUntil({read, done: state => state.status !== 'adding', signal, intervalMs: 1000, timeoutMs: waitMs, what: `the role to be in-sync on ${cluster}`});
	} catch (error) {
		if (error instanceof StepError) {
			return read();
		}

		throw error;
	}
}

export async function checkAwsServiceRole(requirement: AwsRoleRequirement, clients: AwsRoleClients, signal: AbortSignal): Promise<IdentityFinding> {
	const role = parseIamRoleArn(requirement.roleArn);
	const finding = newFinding(requirement.id, `IAM role ${role?.name ?? requirement.roleArn} (${requirement.purpose})`);
	if (!role) {
		finding.problems.push({piece: 'role', text: `${requirement.roleArn} is not an IAM role ARN`, fix: 'give arn:aws:iam::<account>:role/<name> (--set unloadRoleArn=…)', creatable: false});
		return finding;
	}

	if (role.account !== requirement.callerAccount) {
		finding.problems.push({piece: 'account', text: `the role is in account ${role.account}, the profile's keys in ${requirement.callerAccount}`, fix: `use a role of account ${requirement.callerAccount}, or a profile of account ${role.account}`, creatable: false});
		return finding;
	}

	const missingPermissions = (decisions: readonly PermissionDecision[]) => decisions.filter(decision => decision.outcome === 'denied');
	const consoleRole = `IAM console → Roles → ${role.name}`;
	finding.checkedWith.push(`IAM GetRole ${role.name}`);
	const existing = await clients.iam.getRole(role.name, {signal});
	let createRole = false;
	let putPolicy = false;
	if (existing) {
		finding.found.push('exists');
		const trusted = trustsService(existing.trustPolicy, requirement.service, 'aws', role.arn);
		if (trusted === true) {
			finding.found.push(`trusts ${requirement.service}`);
		} else {
			const why = typeof trusted === 'object' ? `its trust policy cannot be read (${trusted.unreadable})` : `its trust policy does not let ${requirement.service} assume it`;
			finding.problems.push({piece: 'trust', text: why, fix: `${consoleRole} → Trust relationships → Edit trust policy, or \`aws iam update-assume-role-policy --role-name ${shellWord(role.name)} --policy-document ${shellJson(serviceTrustPolicy(requirement.service))}\``, creatable: false});
		}

		const decisions = await decideRolePermissions(clients.iam, {arn: existing.arn || role.arn, name: role.name}, requirement.permissions, finding, signal);
		for (const decision of decisions.filter(item => item.outcome === 'undecided')) {
			finding.notes.push(`${permissionText(decision.permission)} depends on ${decision.missingContextKeys.join(', ')}, which ferry cannot know: not decided`);
		}

		const denied = missingPermissions(decisions);
		if (denied.length > 0) {
			putPolicy = true;
			finding.problems.push({piece: 'permission', text: `may not ${denied.map(decision => permissionText(decision.permission)).join(', ')}`, fix: `${consoleRole} → Permissions → Add permissions → Create inline policy, or \`aws iam put-role-policy --role-name ${shellWord(role.name)} --policy-name ${shellWord(requirement.policy.name)} --policy-document ${shellJson(requirement.policy.document)}\``, creatable: true});
		} else {
			finding.found.push(`allows ${requirement.permissions.map(permission => permission.action).filter((action, index, all) => all.indexOf(action) === index).join(', ')}`);
		}
	} else {
		createRole = true;
		putPolicy = true;
		finding.problems.push({piece: 'role', text: `role ${role.name} does not exist`, fix: `IAM console → Roles → Create role → AWS service → ${requirement.service}, or \`aws iam create-role --role-name ${shellWord(role.name)} --assume-role-policy-document ${shellJson(serviceTrustPolicy(requirement.service))}\``, creatable: true});
		finding.problems.push({piece: 'permission', text: `no policy allows ${requirement.permissions.map(permission => permission.action).filter((action, index, all) => all.indexOf(action) === index).join(', ')}`, fix: `\`aws iam put-role-policy --role-name ${shellWord(role.name)} --policy-name ${shellWord(requirement.policy.name)} --policy-document ${shellJson(requirement.policy.document)}\``, creatable: true});
	}

	let associate = false;
	if (requirement.cluster && clients.redshift) {
		finding.checkedWith.push(`Redshift DescribeClusters ${requirement.cluster}`);
		const {cluster, status} = await clusterRoleStatus(clients.redshift, requirement.cluster, role.arn, signal);
		const consoleCluster = `Redshift console → Clusters → ${requirement.cluster} → Actions → Manage IAM roles`;
		if (!cluster) {
			finding.problems.push({piece: 'association', text: `cluster ${requirement.cluster} does not exist in this region`, fix: 'check --set redshiftCluster and the profile\'s AWS region', creatable: false});
		} else if (status === 'in-sync') {
			finding.found.push(`in-sync on cluster ${requirement.cluster}`);
		} else if (status === undefined) {
			associate = true;
			finding.problems.push({piece: 'association', text: `not associated with cluster ${requirement.cluster}`, fix: `${consoleCluster} → Associate IAM role, or \`aws redshift modify-cluster-iam-roles --cluster-identifier ${shellWord(requirement.cluster)} --add-iam-roles ${role.arn}\`, then wait until it is in-sync`, creatable: true});
		} else {
			finding.problems.push({piece: 'association', text: `its association with cluster ${requirement.cluster} is ${status}, not in-sync`, fix: `${consoleCluster}: wait until it is in-sync (or associate it again), then resume`, creatable: false});
		}
	} else if (requirement.cluster === undefined) {
		finding.notes.push('the cluster association is not checked (no provisioned cluster identifier for this connection)');
	}

	finding.actions = roleActions(requirement, role, {createRole, putPolicy, associate});
	return finding;
}
