/**
 * Who a request to an Alibaba Cloud stand-in comes from, and what that identity may do: the in-process face of the
 * local RAM account (its users, keys, roles, policies and STS sessions), which the RAM stand-in keeps and the other
 * Alibaba Cloud stand-ins ask, as the real services ask RAM and STS behind their APIs:
 *
 *   const key = identities.keyOf(accessKeyId);          // root, a RAM user's key, or an STS session's
 *   identities.authorize(key.principal, 'oss:GetObject', 'acs:oss:oss-ap-southeast-1:1000000000000000:bucket/key');
 *   identities.assumeRoleAsService({roleArn, service: 'odps.aliyuncs.com', sessionName: 'odps'}); // MaxCompute LOAD
 *
 * The account (its root keys) may do everything, as the owner does; a RAM user by the policies attached to it; an
 * STS session by its role's policies (and the session policy it was given). Decisions come from the shared
 * evaluator (`./policy.ts`).
 */
import type {PolicyEvaluation} from 'ferry/identity/policy';

export type AlibabaPrincipal =
	| {kind: 'account'; accountId: string; arn: string}
	| {kind: 'user'; accountId: string; userId: string; userName: string; arn: string}
	/** `sessionKeyId`: the STS AccessKeyId of the session, which a session policy belongs to. */
	| {kind: 'assumed-role'; accountId: string; roleId: string; roleName: string; sessionName: string; arn: string; roleArn: string; sessionKeyId: string};

export type AlibabaKey = {
	accessKeyId: string;
	secret: string;
	/** STS keys only: the token that must travel with the key. */
	securityToken?: string;
	/** STS keys only: when the key stops working (ISO 8601). */
	expiration?: string;
	/** A RAM user's key can be disabled (UpdateAccessKey); root and STS keys are always Active. */
	status: 'Active' | 'Inactive';
	principal: AlibabaPrincipal;
};

export type StsCredentials = {accessKeyId: string; accessKeySecret: string; securityToken: string; expiration: string};

export type AssumedRole = {credentials: StsCredentials; assumedRoleUser: {arn: string; assumedRoleId: string}};

/** An error as RAM or STS answers it: HTTP status, code and message. */
export class IdentityError extends Error {
	readonly status: number;
	readonly code: string;

	constructor(status: number, code: string, message: string) {
		super(message);
		this.name = 'IdentityError';
		this.status = status;
		this.code = code;
	}
}

export type AlibabaIdentities = {
	readonly accountId: string;
	/** The key behind an AccessKeyId, undefined when the account has none such (a deleted key, an unknown id). */
	keyOf(accessKeyId: string): AlibabaKey | undefined;
	/** A RAM user by name or by id. */
	findUser(nameOrId: string): {userId: string; userName: string} | undefined;
	/** Whether the account has a role of this name (in any case). */
	roleExists(roleName: string): boolean;
	/** Whether an STS key is past its expiration now. */
	isExpired(key: AlibabaKey): boolean;
	/** Decides one action on one resource for a principal (the account: always allowed). */
	authorize(principal: AlibabaPrincipal, action: string, resource: string, context?: Readonly<Record<string, string | readonly string[]>>): PolicyEvaluation;
	/**
	 * What a cloud service does when it acts through a role the customer named (MaxCompute's `odps.properties.rolearn`,
	 * a migration address's Role): AssumeRole as the service principal. Throws IdentityError with STS's code when the
	 * role does not exist or does not trust the service.
	 */
	assumeRoleAsService(request: {roleArn: string; service: string; sessionName: string; durationSeconds?: number}): AssumedRole;
};

export function accountArn(accountId: string): string {
	return `acs:ram::${accountId}:root`;
}

/** RAM answers role ARNs with the name in lower case, whatever case it was created in. */
export function roleArn(accountId: string, roleName: string): string {
	return `acs:ram::${accountId}:role/${roleName.toLowerCase()}`;
}

export function userArn(accountId: string, userName: string): string {
	return `acs:ram::${accountId}:user/${userName}`;
}

export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
	return `acs:ram::${accountId}:assumed-role/${roleName.toLowerCase()}/${sessionName}`;
}

/** `acs:ram::<uid>:role/<name>` → its parts; undefined when the text is not a role ARN. */
export function parseRoleArn(arn: string): {accountId: string; roleName: string} | undefined {
	const match = /^acs:ram::(\d+):role\/([^/]+)$/i.exec(arn.trim());
	return match ? {accountId: match[1]!, roleName: match[2]!} : undefined;
}

/** A key as an API gateway checks it: secret, an STS key's token and whether it expired, a disabled user key. */
export function gatewayKey(identities: AlibabaIdentities, accessKeyId: string): {secret: string; securityToken?: string; expired?: boolean; disabled?: boolean} | undefined {
	const key = identities.keyOf(accessKeyId);
	return key && {
		secret: key.secret,
		...(key.securityToken === undefined ? {} : {securityToken: key.securityToken, expired: identities.isExpired(key)}),
		...(key.status === 'Inactive' ? {disabled: true} : {}),
	};
}
