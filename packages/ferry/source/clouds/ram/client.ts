/**
 * ferry's RAM client (Resource Access Management 2015-05-01, RPC): the roles a procedure's Alibaba Cloud services
 * assume and the policies attached to them, read for preflight and, on request, created. Role ARNs come back with the
 * name in lower case, as RAM answers them. Alibaba Cloud STS GetCallerIdentity (2015-04-01) says who the profile's
 * keys are.
 */
import type {CallOptions, Json, RpcClientOptions} from '../alibaba/rpc-call.js';
import {createRpcCaller, rpcErrorCode} from '../alibaba/rpc-call.js';

export type RamRole = {name: string; arn: string; id: string; trustPolicy: string; description?: string};
export type RamPolicyRef = {name: string; type: 'System' | 'Custom' | string; defaultVersion: string};
export type RamPolicy = RamPolicyRef & {description?: string};
export type AlibabaCaller = {accountId: string; userId: string; arn: string; identityType: string; principalId: string};

export type RamClient = {
	/** The role, or undefined when RAM has none of that name (EntityNotExist.Role). */
	getRole(name: string, options?: CallOptions): Promise<RamRole | undefined>;
	listPoliciesForRole(roleName: string, options?: CallOptions): Promise<RamPolicyRef[]>;
	/** The policies attached to a RAM user (its own, not its groups'). */
	listPoliciesForUser(userName: string, options?: CallOptions): Promise<RamPolicyRef[]>;
	/** The policy, or undefined when there is none (EntityNotExist.Policy). */
	getPolicy(name: string, type: string, options?: CallOptions): Promise<RamPolicy | undefined>;
	getPolicyVersion(name: string, type: string, versionId: string, options?: CallOptions): Promise<string>;
	createRole(request: {name: string; trustPolicy: string; description?: string}, options?: CallOptions): Promise<RamRole>;
	createPolicy(request: {name: string; document: string; description?: string}, options?: CallOptions): Promise<RamPolicy>;
	attachPolicyToRole(request: {roleName: string; policyName: string; policyType: string}, options?: CallOptions): Promise<void>;
};

export type AlibabaStsClient = {getCallerIdentity(options?: CallOptions): Promise<AlibabaCaller>};

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

function readRole(value: unknown): RamRole {
	const role = (value ?? {}) as Json;
	return {
		name: text(role['RoleName']),
		arn: text(role['Arn']),
		id: text(role['RoleId']),
		trustPolicy: text(role['AssumeRolePolicyDocument']),
		...(role['Description'] ? {description: text(role['Description'])} : {}),
	};
}

function readPolicy(value: unknown): RamPolicy {
	const policy = (value ?? {}) as Json;
	return {name: text(policy['PolicyName']), type: text(policy['PolicyType']), defaultVersion: text(policy['DefaultVersion']) || 'v1', ...(policy['Description'] ? {description: text(policy['Description'])} : {})};
}

export function createRamClient(options: RpcClientOptions): RamClient {
	const call = createRpcCaller('RAM', '2015-05-01', options);
	return {
		async getRole(name, callOptions) {
			try {
				return readRole((await call('GetRole', {RoleName: name}, callOptions))['Role']);
			} catch (error) {
				if (rpcErrorCode(error) === 'EntityNotExist.Role') {
					return undefined;
				}

				throw error;
			}
		},
		async listPoliciesForRole(roleName, callOptions) {
			const answer = await call('ListPoliciesForRole', {RoleName: roleName}, callOptions);
			const policies = ((answer['Policies'] as Json | undefined)?.['Policy'] ?? []) as unknown[];
			return policies.map(policy => readPolicy(policy));
		},
		async listPoliciesForUser(userName, callOptions) {
			const answer = await call('ListPoliciesForUser', {UserName: userName}, callOptions);
			const policies = ((answer['Policies'] as Json | undefined)?.['Policy'] ?? []) as unknown[];
			return policies.map(policy => readPolicy(policy));
		},
		async getPolicy(name, type, callOptions) {
			try {
				return readPolicy((await call('GetPolicy', {PolicyName: name, PolicyType: type}, callOptions))['Policy']);
			} catch (error) {
				if (rpcErrorCode(error) === 'EntityNotExist.Policy') {
					return undefined;
				}

				throw error;
			}
		},
		async getPolicyVersion(name, type, versionId, callOptions) {
			const answer = await call('GetPolicyVersion', {PolicyName: name, PolicyType: type, VersionId: versionId}, callOptions);
			return text((answer['PolicyVersion'] as Json | undefined)?.['PolicyDocument']);
		},
		async createRole(request, callOptions) {
			return readRole((await call('CreateRole', {RoleName: request.name, AssumeRolePolicyDocument: request.trustPolicy, Description: request.description}, {...callOptions, once: true}))['Role']);
		},
		async createPolicy(request, callOptions) {
			return readPolicy((await call('CreatePolicy', {PolicyName: request.name, PolicyDocument: request.document, Description: request.description}, {...callOptions, once: true}))['Policy']);
		},
		async attachPolicyToRole(request, callOptions) {
			await call('AttachPolicyToRole', {RoleName: request.roleName, PolicyName: request.policyName, PolicyType: request.policyType}, {...callOptions, once: true});
		},
	};
}

export function createAlibabaStsClient(options: RpcClientOptions): AlibabaStsClient {
	const call = createRpcCaller('STS', '2015-04-01', options);
	return {
		async getCallerIdentity(callOptions) {
			const answer = await call('GetCallerIdentity', {}, callOptions);
			return {accountId: text(answer['AccountId']), userId: text(answer['UserId']), arn: text(answer['Arn']), identityType: text(answer['IdentityType']), principalId: text(answer['PrincipalId'])};
		},
	};
}
