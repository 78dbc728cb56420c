/**
 * ferry's IAM client (2010-05-08, AWS SDK v3): the roles and policies a procedure's identities are made of, read,
 * simulated and, on request, created. IAM is global: its requests are signed for us-east-1 whatever the profile's
 * region. IAM sends policy documents URL-encoded (RFC 3986); this client hands them on as the JSON text.
 */
import {
	CreateRoleCommand,
	DeleteRoleCommand,
	DeleteRolePolicyCommand,
	GetPolicyCommand,
	GetPolicyVersionCommand,
	GetRoleCommand,
	GetRolePolicyCommand,
	GetUserPolicyCommand,
	IAMClient,
	ListAttachedRolePoliciesCommand,
	ListAttachedUserPoliciesCommand,
	ListRolePoliciesCommand,
	ListUserPoliciesCommand,
	PutRolePolicyCommand,
	SimulatePrincipalPolicyCommand,
	type PolicyEvaluationDecisionType,
} from '@aws-sdk/client-iam';
import {awsErrorCode, createSdkCaller, sdkClientConfig, type AwsClientOptions, type CallOptions} from '../aws/sdk-call.js';

export type IamRole = {name: string; path: string; arn: string; id: string; trustPolicy: string; description?: string};
export type AttachedPolicy = {name: string; arn: string};
export type SimulationRequest = {action: string; resource: string; context?: Record<string, string>};
export type SimulationResult = SimulationRequest & {
	decision: PolicyEvaluationDecisionType | string;
	/** Condition keys the policies use that the request did not give (MissingContextValues): the decision is not final. */
	missingContextKeys: string[];
};

export type IamClient = {
	/** The role, or undefined when IAM has none of that name (NoSuchEntity). */
	getRole(name: string, options?: CallOptions): Promise<IamRole | undefined>;
	listRolePolicies(roleName: string, options?: CallOptions): Promise<string[]>;
	getRolePolicy(roleName: string, policyName: string, options?: CallOptions): Promise<string>;
	listAttachedRolePolicies(roleName: string, options?: CallOptions): Promise<AttachedPolicy[]>;
	listUserPolicies(userName: string, options?: CallOptions): Promise<string[]>;
	getUserPolicy(userName: string, policyName: string, options?: CallOptions): Promise<string>;
	listAttachedUserPolicies(userName: string, options?: CallOptions): Promise<AttachedPolicy[]>;
	getPolicy(arn: string, options?: CallOptions): Promise<{arn: string; defaultVersionId: string}>;
	getPolicyVersion(arn: string, versionId: string, options?: CallOptions): Promise<string>;
	/** The managed policy's default version's document. */
	managedPolicyDocument(arn: string, options?: CallOptions): Promise<string>;
	/** One request per action and resource (each its own context), as IAM's policy simulator decides it. */
	simulatePrincipalPolicy(sourceArn: string, requests: readonly SimulationRequest[], options?: CallOptions): Promise<SimulationResult[]>;
	createRole(request: {name: string; path?: string; trustPolicy: string; description?: string}, options?: CallOptions): Promise<IamRole>;
	putRolePolicy(roleName: string, policyName: string, document: string, options?: CallOptions): Promise<void>;
	deleteRolePolicy(roleName: string, policyName: string, options?: CallOptions): Promise<void>;
	deleteRole(roleName: string, options?: CallOptions): Promise<void>;
};

/** A policy document as IAM answers it (URL-encoded JSON), as its JSON text; text that is JSON already is kept. */
export function decodePolicyDocument(text: string): string {
	const trimmed = text.trim();
	if (trimmed === '' || trimmed.startsWith('{')) {
		return trimmed;
	}

	try {
		return decodeURIComponent(trimmed);
	} catch {
		return trimmed;
	}
}

/** IAM's own service name in errors and logs. */
export const iamService = 'IAM';

function readRole(role: {RoleName?: string; Path?: string; Arn?: string; RoleId?: string; AssumeRolePolicyDocument?: string; Description?: string} | undefined): IamRole {
	return {
		name: role?.RoleName ?? '',
		path: role?.Path ?? '/',
		arn: role?.Arn ?? '',
		id: role?.RoleId ?? '',
		trustPolicy: decodePolicyDocument(role?.AssumeRolePolicyDocument ?? ''),
		...(role?.Description ? {description: role.Description} : {}),
	};
}

/** Every page of a Marker/IsTruncated listing. */
async function allPages<T>(read: (marker: string | undefined) => Promise<{items: T[]; marker?: string; truncated?: boolean}>): Promise<T[]> {
	const items: T[] = [];
	let marker: string | undefined;
	do {
		const page = await read(marker);
		items.push(...page.items);
		marker = page.truncated ? page.marker : undefined;
	} while (marker);

	return items;
}

export function createIamClient(options: AwsClientOptions): IamClient {
	// IAM's one endpoint signs for us-east-1 (its SigV4 scope), whatever region the profile works in.
	const client = new IAMClient(sdkClientConfig({...options, region: 'us-east-1'}, 'https://iam.amazonaws.com'));
	const call = createSdkCaller(iamService, options);
	// Each command's own output type is named at the call; the SDK's overloads do not carry it through a helper.
	const send = async <T>(operation: string, command: object, callOptions?: CallOptions) => call(operation, async signal => client.send(command as never, {abortSignal: signal}) as Promise<T>, callOptions);

	const iam: IamClient = {
		async getRole(name, callOptions) {
			try {
				const output = await send<{Role?: Parameters<typeof readRole>[0]}>('GetRole', new GetRoleCommand({RoleName: name}), callOptions);
				return readRole(output.Role);
			} catch (error) {
				if (awsErrorCode(error) === 'NoSuchEntity') {
					return undefined;
				}

				throw error;
			}
		},
		async listRolePolicies(roleName, callOptions) {
			return allPages(async marker => {
				const output = await send<{PolicyNames?: string[]; Marker?: string; IsTruncated?: boolean}>('ListRolePolicies', new ListRolePoliciesCommand({RoleName: roleName, Marker: marker}), callOptions);
				return {items: output.PolicyNames ?? [], ...(output.Marker ? {marker: output.Marker} : {}), truncated: output.IsTruncated ?? false};
			});
		},
		async getRolePolicy(roleName, policyName, callOptions) {
			return decodePolicyDocument((await send<{PolicyDocument?: string}>('GetRolePolicy', new GetRolePolicyCommand({RoleName: roleName, PolicyName: policyName}), callOptions)).PolicyDocument ?? '');
		},
		async listAttachedRolePolicies(roleName, callOptions) {
			return allPages(async marker => {
				const output = await send<{AttachedPolicies?: Array<{PolicyName?: string; PolicyArn?: string}>; Marker?: string; IsTruncated?: boolean}>('ListAttachedRolePolicies', new ListAttachedRolePoliciesCommand({RoleName: roleName, Marker: marker}), callOptions);
				return {items: (output.AttachedPolicies ?? []).map(policy => ({name: policy.PolicyName ?? '', arn: policy.PolicyArn ?? ''})), ...(output.Marker ? {marker: output.Marker} : {}), truncated: output.IsTruncated ?? false};
			});
		},
		async listUserPolicies(userName, callOptions) {
			return allPages(async marker => {
				const output = await send<{PolicyNames?: string[]; Marker?: string; IsTruncated?: boolean}>('ListUserPolicies', new ListUserPoliciesCommand({UserName: userName, Marker: marker}), callOptions);
				return {items: output.PolicyNames ?? [], ...(output.Marker ? {marker: output.Marker} : {}), truncated: output.IsTruncated ?? false};
			});
		},
		async getUserPolicy(userName, policyName, callOptions) {
			return decodePolicyDocument((await send<{PolicyDocument?: string}>('GetUserPolicy', new GetUserPolicyCommand({UserName: userName, PolicyName: policyName}), callOptions)).PolicyDocument ?? '');
		},
		async listAttachedUserPolicies(userName, callOptions) {
			return allPages(async marker => {
				const output = await send<{AttachedPolicies?: Array<{PolicyName?: string; PolicyArn?: string}>; Marker?: string; IsTruncated?: boolean}>('ListAttachedUserPolicies', new ListAttachedUserPoliciesCommand({UserName: userName, Marker: marker}), callOptions);
				return {items: (output.AttachedPolicies ?? []).map(policy => ({name: policy.PolicyName ?? '', arn: policy.PolicyArn ?? ''})), ...(output.Marker ? {marker: output.Marker} : {}), truncated: output.IsTruncated ?? false};
			});
		},
		async getPolicy(arn, callOptions) {
			const output = await send<{Policy?: {Arn?: string; DefaultVersionId?: string}}>('GetPolicy', new GetPolicyCommand({PolicyArn: arn}), callOptions);
			return {arn: output.Policy?.Arn ?? arn, defaultVersionId: output.Policy?.DefaultVersionId ?? 'v1'};
		},
		async getPolicyVersion(arn, versionId, callOptions) {
			return decodePolicyDocument((await send<{PolicyVersion?: {Document?: string}}>('GetPolicyVersion', new GetPolicyVersionCommand({PolicyArn: arn, VersionId: versionId}), callOptions)).PolicyVersion?.Document ?? '');
		},
		async managedPolicyDocument(arn, callOptions) {
			const policy = await iam.getPolicy(arn, callOptions);
			return iam.getPolicyVersion(arn, policy.defaultVersionId, callOptions);
		},
		async simulatePrincipalPolicy(sourceArn, requests, callOptions) {
			const results: SimulationResult[] = [];
			// One call per request: each resource may need its own context (s3:prefix for ListBucket).
			for (const request of requests) {
				const output = await send<{EvaluationResults?: Array<{EvalActionName?: string; EvalResourceName?: string; EvalDecision?: string; MissingContextValues?: string[]}>}>('SimulatePrincipalPolicy', new SimulatePrincipalPolicyCommand({
					PolicySourceArn: sourceArn,
					ActionNames: [request.action],
					ResourceArns: [request.resource],
					ContextEntries: Object.entries(request.context ?? {}).map(([key, value]) => ({ContextKeyName: key, ContextKeyValues: [value], ContextKeyType: 'string'})),
				}), callOptions);
				const result = output.EvaluationResults?.[0];
				results.push({...request, decision: result?.EvalDecision ?? 'implicitDeny', missingContextKeys: result?.MissingContextValues ?? []});
			}

			return results;
		},
		async createRole(request, callOptions) {
			const output = await send<{Role?: Parameters<typeof readRole>[0]}>('CreateRole', new CreateRoleCommand({
				RoleName: request.name,
				AssumeRolePolicyDocument: request.trustPolicy,
				...(request.path ? {Path: request.path} : {}),
				...(request.description ? {Description: request.description} : {}),
			}), {...callOptions});
			return readRole(output.Role);
		},
		async putRolePolicy(roleName, policyName, document, callOptions) {
			await send('PutRolePolicy', new PutRolePolicyCommand({RoleName: roleName, PolicyName: policyName, PolicyDocument: document}), callOptions);
		},
		async deleteRolePolicy(roleName, policyName, callOptions) {
			await send('DeleteRolePolicy', new DeleteRolePolicyCommand({RoleName: roleName, PolicyName: policyName}), callOptions);
		},
		async deleteRole(roleName, callOptions) {
			await send('DeleteRole', new DeleteRoleCommand({RoleName: roleName}), callOptions);
		},
	};
	return iam;
}
