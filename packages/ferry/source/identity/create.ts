/**
 * Makes the identity calls a plan showed, once each: every call is checkpointed (`checkpoint.once`), and before it
 * is sent ferry looks whether its result is already there (a role of that name, the same policy, the association,
 * the member), so a run killed anywhere and resumed creates nothing twice. A call that finds its result already in
 * place is recorded as created only when a mark of this session shows ferry made it (the run was killed between the
 * call and its checkpoint); what someone else made is used, never listed as ferry's.
 */
import type {IamClient} from '../clouds/iam/client.js';
import type {MaxComputeClient} from '../clouds/maxcompute/client.js';
import type {RamClient} from '../clouds/ram/client.js';
import type {RedshiftManagementClient} from '../clouds/redshift/management-client.js';
import {StepError} from '../engine/errors.js';
import {pollUntil} from '../engine/poll.js';
import type {Checkpoints, CreatedResource} from '../engine/wizard.js';
import type {IdentityAction} from './findings.js';
import {parsePolicy} from './policy.js';

export type IdentityCallClients = {iam?: IamClient; redshift?: RedshiftManagementClient; ram?: RamClient; maxcompute?: MaxComputeClient};

/** `created`: this run made it; `present`: it was there already (made by someone else, or before this session). */
type CallOutcome = {outcome: 'created' | 'present'};

export type CreateOptions = {
	clients: IdentityCallClients;
	checkpoint: Checkpoints;
	signal: AbortSignal;
	report(line: string): void;
	created(resource: CreatedResource): void;
	/** How long the association may take to be in-sync. @default 600000 */
	associationTimeoutMs?: number;
};

function need<T>(client: T | undefined, service: string): T {
	if (!client) {
		throw new StepError(`No ${service} client for the identity calls`, {hint: 'This is a bug in the procedure: report it.'});
	}

	return client;
}

/** Two policy documents say the same (formatting aside). */
function sameDocument(a: string, b: string): boolean {
	try {
		return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
	} catch {
		return a.trim() === b.trim();
	}
}

function checkDocument(document: string, dialect: 'aws' | 'alibaba'): void {
	// The documents are ferry's own; one that does not read is a bug, said before anything is sent.
	parsePolicy(document, {dialect, kind: 'identity'});
}

async function call(action: IdentityAction, options: CreateOptions, startedBefore: boolean): Promise<CallOutcome> {
	const {clients, signal} = options;
	const p = action.parameters;
	const mine = (present: boolean) => ({outcome: present && !startedBefore ? 'present' : 'created'} as CallOutcome);
	switch (`${action.service} ${action.call}`) {
		case 'IAM CreateRole': {
			const iam = need(clients.iam, 'IAM');
			const existing = await iam.getRole(p['RoleName']!, {signal});
			if (existing) {
				return {outcome: existing.description === p['Description'] ? 'created' : 'present'};
			}

			await iam.createRole({name: p['RoleName']!, trustPolicy: p['AssumeRolePolicyDocument']!, ...(p['Path'] ? {path: p['Path']} : {}), description: p['Description']!}, {signal});
			return {outcome: 'created'};
		}

		case 'IAM PutRolePolicy': {
			const iam = need(clients.iam, 'IAM');
			checkDocument(p['PolicyDocument']!, 'aws');
			const names = await iam.listRolePolicies(p['RoleName']!, {signal});
			if (names.includes(p['PolicyName']!)) {
				const current = await iam.getRolePolicy(p['RoleName']!, p['PolicyName']!, {signal});
				if (sameDocument(current, p['PolicyDocument']!)) {
					return mine(true);
				}

				throw new StepError(`Role ${p['RoleName']!} already has an inline policy ${p['PolicyName']!} with another document: ferry does not overwrite it`, {hint: `Compare it with the plan's document (\`aws iam get-role-policy --role-name ${p['RoleName']!} --policy-name ${p['PolicyName']!}\`), fix it by hand, then \`ferry resume\`.`});
			}

			await iam.putRolePolicy(p['RoleName']!, p['PolicyName']!, p['PolicyDocument']!, {signal});
			return {outcome: 'created'};
		}

		case 'Redshift ModifyClusterIamRoles': {
			const redshift = need(clients.redshift, 'Redshift management');
			const cluster = p['ClusterIdentifier']!;
			const arn = p['AddIamRoles']!;
			const before = await redshift.describeCluster(cluster, {signal});
			const present = before?.iamRoles.some(role => role.arn === arn) ?? false;
			if (!present) {
				await redshift.modifyClusterIamRoles(cluster, {add: [arn]}, {signal});
			}

			options.report(`waiting for ${arn} to be in-sync on ${cluster}`);
			const status = await pollUntil({
				read: async () => (await redshift.describeCluster(cluster, {signal}))?.iamRoles.find(role => role.arn === arn)?.status,
				done: status => status === 'in-sync' || status === undefined,
				signal,
				intervalMs: 1000,
				maxIntervalMs: 10_000,
				timeoutMs: options.associationTimeoutMs ?? 600_000,
				what: `IAM role ${arn} to be in-sync on cluster ${cluster}`,
				hint: `Watch it with \`aws redshift describe-clusters --cluster-identifier ${cluster} --query 'Clusters[0].IamRoles'\`, then \`ferry resume\`.`,
			});
			if (status === undefined) {
				throw new StepError(`Cluster ${cluster} dropped the association with ${arn} instead of applying it`, {hint: 'Redshift could not use the role (its trust policy, or iam:PassRole); look at the cluster\'s events, fix the cause, then `ferry resume`.'});
			}

			return mine(present);
		}

		case 'RAM CreateRole': {
			const ram = need(clients.ram, 'RAM');
			const existing = await ram.getRole(p['RoleName']!, {signal});
			if (existing) {
				return {outcome: existing.description === p['Description'] ? 'created' : 'present'};
			}

			await ram.createRole({name: p['RoleName']!, trustPolicy: p['AssumeRolePolicyDocument']!, description: p['Description']!}, {signal});
			return {outcome: 'created'};
		}

		case 'RAM CreatePolicy': {
			const ram = need(clients.ram, 'RAM');
			checkDocument(p['PolicyDocument']!, 'alibaba');
			const existing = await ram.getPolicy(p['PolicyName']!, 'Custom', {signal});
			if (existing) {
				const current = await ram.getPolicyVersion(existing.name, 'Custom', existing.defaultVersion, {signal});
				if (sameDocument(current, p['PolicyDocument']!)) {
					return {outcome: existing.description === p['Description'] ? 'created' : 'present'};
				}

				throw new StepError(`RAM already has a policy ${p['PolicyName']!} with another document: ferry does not overwrite it`, {hint: `Compare it with the plan's document (\`aliyun ram GetPolicy --PolicyType Custom --PolicyName ${p['PolicyName']!}\`), fix it by hand, then \`ferry resume\`.`});
			}

			await ram.createPolicy({name: p['PolicyName']!, document: p['PolicyDocument']!, description: p['Description']!}, {signal});
			return {outcome: 'created'};
		}

		case 'RAM AttachPolicyToRole': {
			const ram = need(clients.ram, 'RAM');
			const attached = await ram.listPoliciesForRole(p['RoleName']!, {signal});
			if (attached.some(policy => policy.name === p['PolicyName'] && policy.type === p['PolicyType'])) {
				return mine(true);
			}

			await ram.attachPolicyToRole({roleName: p['RoleName']!, policyName: p['PolicyName']!, policyType: p['PolicyType']!}, {signal});
			return {outcome: 'created'};
		}

		case 'MaxCompute SQL': {
			const maxcompute = need(clients.maxcompute, 'MaxCompute');
			const statement = p['Statement']!;
			const member = /^ADD USER (.+);$/i.exec(statement)?.[1];
			if (member) {
				const members = (await maxcompute.runSql('LIST USERS;', {signal})).text.split('\n').map(line => line.trim().toLowerCase());
				if (members.includes(member.toLowerCase())) {
					return mine(true);
				}
			}

			// GRANT is idempotent: granting a held privilege again changes nothing.
			await maxcompute.runSql(statement, {signal});
			return {outcome: 'created'};
		}

		default: {
			throw new StepError(`ferry cannot make the identity call ${action.service} ${action.call}`, {hint: 'This is a bug in the procedure: report it.'});
		}
	}
}

/** Makes every call in order, each once per session; returns what this run created. */
export async function createIdentities(actions: readonly IdentityAction[], options: CreateOptions): Promise<CreatedResource[]> {
	const created: CreatedResource[] = [];
	for (const action of actions) {
		const startedKey = `identity-started:${action.key}`;
		const startedBefore = options.checkpoint.get<boolean>(startedKey) === true;
		const result = await options.checkpoint.once(`identity:${action.key}`, async () => {
			options.checkpoint.set(startedKey, true);
			return call(action, options, startedBefore);
		});
		options.report(`${action.service} ${action.call}${action.creates ? ` ${action.creates.name}` : ''}: ${result.outcome === 'created' ? 'done' : 'already in place'}`);
		if (result.outcome === 'created' && action.creates) {
			options.created(action.creates);
			created.push(action.creates);
		}
	}

	return created;
}
