/**
 * The local RAM stand-in (RPC, Version 2015-05-01, ram.aliyuncs.com): roles with trust policies, custom and system
 * policies with versions, attachments to roles and users, RAM users and their AccessKeys. Requests are signed either
 * way Alibaba Cloud's SDKs sign (../alibaba-rpc/); the account's own keys may call everything, a RAM user or a role
 * session what its policies allow (`ram:<Action>` on the entity's ARN, as the operations' "Authorization information"
 * tables give them: `acs:ram:*:<uid>:role/<name>`, `…:user/<name>`, `…:policy/<name>`, `acs:ram:*:system:policy/<name>`).
 * Answers have the SDK models' shapes (@alicloud/ram20150501 1.2.1); parameter limits and error codes are the API
 * reference's (AlibabaCloudDocs/ram, "Error messages" and each operation).
 */
import type {StandInHandle} from '../contract.js';
import {startRpcApi, type RpcAction, type RpcCaller, type RpcParams} from '../alibaba-rpc/rpc-api.js';
import {StandInError} from '../stand-in-kit.js';
import {IdentityError} from '../identity/alibaba.js';
import {gatewayKey, type AlibabaPrincipal} from '../identity/alibaba.js';
import {RamAccount, type AttachedPolicy, type PolicyType, type PolicyView, type RoleRecord, type UserRecord} from './account.js';

export const ramApiVersion = '2015-05-01';

export type RamStandInOptions = {account: RamAccount; port?: number};

// --- parameters, as the POP gateway and RAM check them ------------------------------------------------------------

/** The gateway's answer for a required parameter left out. */
const missing = (name: string) => new StandInError(400, `Missing${name}`, `${name} is mandatory for this action.`);
const beyondLength = (name: string) => new StandInError(400, `InvalidParameter.${name}.Length`, `The parameter - "${name}" beyond the length limit.`);
const invalidChars = (name: string) => new StandInError(400, `InvalidParameter.${name}.InvalidChars`, `The parameter - "${name}" contains invalid chars.`);

function optional(params: RpcParams, name: string): string | undefined {
	const value = params[name];
	return value === undefined || value === '' ? undefined : value;
}

function required(params: RpcParams, name: string): string {
	const value = optional(params, name);
	if (value === undefined) {
		throw missing(name);
	}

	return value;
}

type NameRule = {max: number; chars: RegExp};

/** RoleName: 1–64 letters, digits, `.`, `@`, `-`; UserName: 1–64 letters, digits, `.`, `_`, `-`; PolicyName: 1–128 letters, digits, `-`. */
const rules = {
	RoleName: {max: 64, chars: /^[A-Za-z\d.@-]+$/},
	UserName: {max: 64, chars: /^[A-Za-z\d._-]+$/},
	PolicyName: {max: 128, chars: /^[A-Za-z\d-]+$/},
} satisfies Record<string, NameRule>;

function checkedName(value: string, name: keyof typeof rules): string {
	const rule: NameRule = rules[name];
	if (value.length > rule.max) {
		throw beyondLength(name);
	}

	if (!rule.chars.test(value)) {
		throw invalidChars(name);
	}

	return value;
}

function name(params: RpcParams, parameter: keyof typeof rules): string {
	return checkedName(required(params, parameter), parameter);
}

function text(params: RpcParams, parameter: string, max: number, lengthCode = parameter): string | undefined {
	const value = optional(params, parameter);
	if (value !== undefined && value.length > max) {
		throw beyondLength(lengthCode);
	}

	return value;
}

function policyType(params: RpcParams, needed = true): PolicyType | undefined {
	const value = needed ? required(params, 'PolicyType') : optional(params, 'PolicyType');
	if (value === undefined) {
		return undefined;
	}

	if (value !== 'System' && value !== 'Custom') {
		throw new StandInError(400, 'InvalidParameter.PolicyType', 'The parameter - "PolicyType" is incorrect.');
	}

	return value;
}

function sessionDuration(params: RpcParams, parameter: string): number | undefined {
	const value = optional(params, parameter);
	if (value === undefined) {
		return undefined;
	}

	const seconds = Number(value);
	if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 43_200) {
		throw new StandInError(400, `InvalidParameter.${parameter}`, `The parameter - "${parameter}" MUST be in the range of 3600 and 43200.`);
	}

	return seconds;
}

/** Documents: 1–6,144 characters (the CreatePolicy model; the same bound is applied to trust policies). */
const documentMax = 6144;

function documentText(params: RpcParams, parameter: string, needed: boolean): string | undefined {
	const value = needed ? required(params, parameter) : optional(params, parameter);
	if (value !== undefined && value.length > documentMax) {
		throw beyondLength(parameter);
	}

	return value;
}

/** Marker and MaxItems (1–1000, default 100) of the List operations; the marker is the next entry's name. */
function page<T>(items: readonly T[], params: RpcParams, keyOf: (item: T) => string): {items: T[]; isTruncated: boolean; marker?: string} {
	const maxText = optional(params, 'MaxItems');
	const max = maxText === undefined ? 100 : Number(maxText);
	if (!Number.isInteger(max) || max < 1 || max > 1000) {
		throw new StandInError(400, 'InvalidParameter.MaxItems', 'The parameter - "MaxItems" MUST be in the range of 1 and 1000.');
	}

	const marker = optional(params, 'Marker');
	let start = 0;
	if (marker !== undefined) {
		const after = Buffer.from(marker, 'base64url').toString('utf8');
		start = items.findIndex(item => keyOf(item) === after);
		if (start === -1) {
			throw new StandInError(400, 'InvalidParameter.Marker', 'The parameter - "Marker" is incorrect.');
		}
	}

	const slice = items.slice(start, start + max);
	const next = items[start + max];
	return next === undefined ? {items: slice, isTruncated: false} : {items: slice, isTruncated: true, marker: Buffer.from(keyOf(next), 'utf8').toString('base64url')};
}

// --- answers in the SDK models' shapes ----------------------------------------------------------------------------

function roleJson(account: RamAccount, role: RoleRecord, withDocument: boolean): Record<string, unknown> {
	return {
		RoleId: role.roleId,
		RoleName: role.roleName,
		Arn: account.roleArnOf(role),
		Description: role.description,
		...(withDocument ? {AssumeRolePolicyDocument: role.assumeRolePolicyDocument} : {}),
		MaxSessionDuration: role.maxSessionDuration,
		CreateDate: role.createDate,
		UpdateDate: role.updateDate,
	};
}

function policyJson(view: PolicyView): Record<string, unknown> {
	return {
		PolicyName: view.policyName, PolicyType: view.policyType, Description: view.description, DefaultVersion: view.defaultVersion,
		AttachmentCount: view.attachmentCount, CreateDate: view.createDate, UpdateDate: view.updateDate,
	};
}

function versionJson(version: {versionId: string; document: string; createDate: string; isDefault: boolean}): Record<string, unknown> {
	return {VersionId: version.versionId, IsDefaultVersion: version.isDefault, PolicyDocument: version.document, CreateDate: version.createDate};
}

function attachedJson(list: readonly AttachedPolicy[]): Record<string, unknown> {
	return {Policies: {Policy: list.map(item => ({PolicyName: item.policyName, PolicyType: item.policyType, Description: item.description, DefaultVersion: item.defaultVersion, AttachDate: item.attachDate}))}};
}

function userJson(user: UserRecord, full: boolean): Record<string, unknown> {
	return {
		UserId: user.userId, UserName: user.userName, DisplayName: user.displayName, Comments: user.comments, Email: user.email, MobilePhone: user.mobilePhone,
		CreateDate: user.createDate, ...(full ? {UpdateDate: user.updateDate} : {}),
	};
}

// --- the stand-in ---------------------------------------------------------------------------------------------------

export async function startRamStandIn(options: RamStandInOptions): Promise<StandInHandle> {
	const {account} = options;
	const uid = account.accountId;
	const resource = {
		role: (roleName: string) => `acs:ram:*:${uid}:role/${roleName}`,
		user: (userName: string) => `acs:ram:*:${uid}:user/${userName}`,
		policy: (policyName: string, type: PolicyType) => (type === 'System' ? `acs:ram:*:system:policy/${policyName}` : `acs:ram:*:${uid}:policy/${policyName}`),
	};

	function callerOf(caller: RpcCaller): AlibabaPrincipal {
		return account.keyOf(caller.accessKeyId)!.principal;
	}

	/** RAM's NoPermission for an identity whose policies do not allow the action on every resource it names. */
	function permit(caller: RpcCaller, action: string, ...resources: string[]): AlibabaPrincipal {
		const principal = callerOf(caller);
		if (resources.some(target => account.authorize(principal, `ram:${action}`, target).decision !== 'allowed')) {
			throw new IdentityError(403, 'NoPermission', 'You are not authorized to do this action.');
		}

		return principal;
	}

	/** Wraps an action so RAM's own errors keep their status and code. */
	const action = (run: RpcAction): RpcAction => async (params, caller) => {
		try {
			return await run(params, caller);
		} catch (error) {
			throw error instanceof IdentityError ? new StandInError(error.status, error.code, error.message) : error;
		}
	};

	const actions: Record<string, RpcAction> = {
		// Roles
		CreateRole(params, caller) {
			const roleName = name(params, 'RoleName');
			const document = documentText(params, 'AssumeRolePolicyDocument', true)!;
			const description = text(params, 'Description', 1024);
			const maxSessionDuration = sessionDuration(params, 'MaxSessionDuration');
			permit(caller, 'CreateRole', resource.role(roleName));
			const role = account.createRole({roleName, assumeRolePolicyDocument: document, ...(description === undefined ? {} : {description}), ...(maxSessionDuration === undefined ? {} : {maxSessionDuration})});
			const {UpdateDate: _updated, ...created} = roleJson(account, role, true);
			return {Role: created};
		},
		GetRole(params, caller) {
			const roleName = name(params, 'RoleName');
			permit(caller, 'GetRole', resource.role(roleName));
			return {Role: roleJson(account, account.requireRole(roleName), true)};
		},
		ListRoles(params, caller) {
			permit(caller, 'ListRoles', resource.role('*'));
			const listed = page(account.listRoles(), params, role => role.roleName);
			return {IsTruncated: listed.isTruncated, ...(listed.marker ? {Marker: listed.marker} : {}), Roles: {Role: listed.items.map(role => roleJson(account, role, false))}};
		},
		UpdateRole(params, caller) {
			const roleName = name(params, 'RoleName');
			const document = documentText(params, 'NewAssumeRolePolicyDocument', false);
			const description = text(params, 'NewDescription', 1024);
			const maxSessionDuration = sessionDuration(params, 'NewMaxSessionDuration');
			permit(caller, 'UpdateRole', resource.role(roleName));
			const role = account.updateRole(roleName, {
				...(document === undefined ? {} : {assumeRolePolicyDocument: document}),
				...(description === undefined ? {} : {description}),
				...(maxSessionDuration === undefined ? {} : {maxSessionDuration}),
			});
			return {Role: roleJson(account, role, true)};
		},
		DeleteRole(params, caller) {
			const roleName = name(params, 'RoleName');
			permit(caller, 'DeleteRole', resource.role(roleName));
			account.deleteRole(roleName);
			return {};
		},

		// Policies
		CreatePolicy(params, caller) {
			const policyName = name(params, 'PolicyName');
			const document = documentText(params, 'PolicyDocument', true)!;
			const description = text(params, 'Description', 1024);
			permit(caller, 'CreatePolicy', resource.policy(policyName, 'Custom'));
			const view = account.createPolicy({policyName, policyDocument: document, ...(description === undefined ? {} : {description})});
			return {Policy: {PolicyName: view.policyName, PolicyType: view.policyType, Description: view.description, DefaultVersion: view.defaultVersion, CreateDate: view.createDate}};
		},
		GetPolicy(params, caller) {
			const policyName = name(params, 'PolicyName');
			const type = policyType(params)!;
			permit(caller, 'GetPolicy', resource.policy(policyName, type));
			const view = account.policy(policyName, type);
			return {
				Policy: {...policyJson(view), PolicyDocument: view.defaultDocument},
				DefaultPolicyVersion: {VersionId: view.defaultVersion, IsDefaultVersion: true, PolicyDocument: view.defaultDocument, CreateDate: view.defaultVersionCreateDate},
			};
		},
		GetPolicyVersion(params, caller) {
			const policyName = name(params, 'PolicyName');
			const type = policyType(params)!;
			const versionId = required(params, 'VersionId');
			if (!/^v\d+$/.test(versionId)) {
				throw new StandInError(400, 'InvalidParameter.VersionId.Format', 'The format of the parameter - "VersionId" is incorrect.');
			}

			permit(caller, 'GetPolicyVersion', resource.policy(policyName, type));
			return {PolicyVersion: versionJson(account.policyVersion(policyName, type, versionId))};
		},
		ListPolicyVersions(params, caller) {
			const policyName = name(params, 'PolicyName');
			const type = policyType(params)!;
			permit(caller, 'ListPolicyVersions', resource.policy(policyName, type));
			return {PolicyVersions: {PolicyVersion: account.policyVersions(policyName, type).map(versionJson)}};
		},
		CreatePolicyVersion(params, caller) {
			const policyName = name(params, 'PolicyName');
			const document = documentText(params, 'PolicyDocument', true)!;
			const setAsDefault = optional(params, 'SetAsDefault') === 'true';
			permit(caller, 'CreatePolicyVersion', resource.policy(policyName, 'Custom'));
			return {PolicyVersion: versionJson(account.createPolicyVersion(policyName, document, setAsDefault))};
		},
		SetDefaultPolicyVersion(params, caller) {
			const policyName = name(params, 'PolicyName');
			const versionId = required(params, 'VersionId');
			permit(caller, 'SetDefaultPolicyVersion', resource.policy(policyName, 'Custom'));
			account.setDefaultPolicyVersion(policyName, versionId);
			return {};
		},
		DeletePolicyVersion(params, caller) {
			const policyName = name(params, 'PolicyName');
			const versionId = required(params, 'VersionId');
			permit(caller, 'DeletePolicyVersion', resource.policy(policyName, 'Custom'));
			account.deletePolicyVersion(policyName, versionId);
			return {};
		},
		ListPolicies(params, caller) {
			const type = policyType(params, false);
			permit(caller, 'ListPolicies', resource.policy('*', 'Custom'));
			const listed = page(account.listPolicies(type), params, view => `${view.policyType}/${view.policyName}`);
			return {IsTruncated: listed.isTruncated, ...(listed.marker ? {Marker: listed.marker} : {}), Policies: {Policy: listed.items.map(policyJson)}};
		},
		DeletePolicy(params, caller) {
			const policyName = name(params, 'PolicyName');
			permit(caller, 'DeletePolicy', resource.policy(policyName, 'Custom'));
			account.deletePolicy(policyName);
			return {};
		},

		// Attachments
		AttachPolicyToRole(params, caller) {
			const policyName = name(params, 'PolicyName');
			const type = policyType(params)!;
			const roleName = name(params, 'RoleName');
			permit(caller, 'AttachPolicyToRole', resource.role(roleName), resource.policy(policyName, type));
			account.attachPolicyToRole(roleName, policyName, type);
			return {};
		},
		DetachPolicyFromRole(params, caller) {
			const policyName = name(params, 'PolicyName');
			const type = policyType(params)!;
			const roleName = name(params, 'RoleName');
			permit(caller, 'DetachPolicyFromRole', resource.role(roleName), resource.policy(policyName, type));
			account.detachPolicyFromRole(roleName, policyName, type);
			return {};
		},
		ListPoliciesForRole(params, caller) {
			const roleName = name(params, 'RoleName');
			permit(caller, 'ListPoliciesForRole', resource.role(roleName));
			return attachedJson(account.policiesForRole(roleName));
		},
		AttachPolicyToUser(params, caller) {
			const policyName = name(params, 'PolicyName');
			const type = policyType(params)!;
			const userName = name(params, 'UserName');
			permit(caller, 'AttachPolicyToUser', resource.user(userName), resource.policy(policyName, type));
			account.attachPolicyToUser(userName, policyName, type);
			return {};
		},
		DetachPolicyFromUser(params, caller) {
			const policyName = name(params, 'PolicyName');
			const type = policyType(params)!;
			const userName = name(params, 'UserName');
			permit(caller, 'DetachPolicyFromUser', resource.user(userName), resource.policy(policyName, type));
			account.detachPolicyFromUser(userName, policyName, type);
			return {};
		},
		ListPoliciesForUser(params, caller) {
			const userName = name(params, 'UserName');
			permit(caller, 'ListPoliciesForUser', resource.user(userName));
			return attachedJson(account.policiesForUser(userName));
		},

		// Users and keys
		CreateUser(params, caller) {
			const userName = name(params, 'UserName');
			const displayName = text(params, 'DisplayName', 128);
			const comments = text(params, 'Comments', 128);
			const email = optional(params, 'Email');
			const mobilePhone = optional(params, 'MobilePhone');
			if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
				throw new StandInError(400, 'InvalidParameter.Email.Format', 'The format of the parameter - "Email" is incorrect.');
			}

			if (mobilePhone !== undefined && !/^\d{1,4}-\d{4,15}$/.test(mobilePhone)) {
				throw new StandInError(400, 'InvalidParameter.MobilePhone.Format', 'The format of the parameter - "MobilePhone" is incorrect.');
			}

			permit(caller, 'CreateUser', resource.user(userName));
			const user = account.createUser({userName, ...(displayName === undefined ? {} : {displayName}), ...(comments === undefined ? {} : {comments}), ...(email === undefined ? {} : {email}), ...(mobilePhone === undefined ? {} : {mobilePhone})});
			return {User: userJson(user, false)};
		},
		GetUser(params, caller) {
			const userName = name(params, 'UserName');
			permit(caller, 'GetUser', resource.user(userName));
			return {User: userJson(account.requireUser(userName), true)};
		},
		ListUsers(params, caller) {
			permit(caller, 'ListUsers', resource.user('*'));
			const listed = page(account.listUsers(), params, user => user.userName);
			return {IsTruncated: listed.isTruncated, ...(listed.marker ? {Marker: listed.marker} : {}), Users: {User: listed.items.map(user => userJson(user, true))}};
		},
		DeleteUser(params, caller) {
			const userName = name(params, 'UserName');
			permit(caller, 'DeleteUser', resource.user(userName));
			account.deleteUser(userName);
			return {};
		},
		CreateAccessKey(params, caller) {
			const userName = selfOr(params, caller);
			permit(caller, 'CreateAccessKey', resource.user(userName));
			const key = account.createAccessKey(userName);
			return {AccessKey: {AccessKeyId: key.accessKeyId, AccessKeySecret: key.accessKeySecret, Status: key.status, CreateDate: key.createDate}};
		},
		ListAccessKeys(params, caller) {
			const userName = selfOr(params, caller);
			permit(caller, 'ListAccessKeys', resource.user(userName));
			return {AccessKeys: {AccessKey: account.requireUser(userName).accessKeys.map(key => ({AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: key.createDate}))}};
		},
		UpdateAccessKey(params, caller) {
			const userName = selfOr(params, caller);
			const accessKeyId = required(params, 'UserAccessKeyId');
			const status = required(params, 'Status');
			if (status !== 'Active' && status !== 'Inactive') {
				throw new StandInError(400, 'InvalidParameter.Status', 'The parameter - "Status" is incorrect.');
			}

			permit(caller, 'UpdateAccessKey', resource.user(userName));
			account.updateAccessKey(userName, accessKeyId, status);
			return {};
		},
		DeleteAccessKey(params, caller) {
			const userName = selfOr(params, caller);
			const accessKeyId = required(params, 'UserAccessKeyId');
			permit(caller, 'DeleteAccessKey', resource.user(userName));
			account.deleteAccessKey(userName, accessKeyId);
			return {};
		},
	};

	/** Key operations name a user, or act on the calling user itself (the account's own keys are not managed here). */
	function selfOr(params: RpcParams, caller: RpcCaller): string {
		const given = optional(params, 'UserName');
		if (given !== undefined) {
			return checkedName(given, 'UserName');
		}

		const principal = callerOf(caller);
		if (principal.kind !== 'user') {
			throw missing('UserName');
		}

		return principal.userName;
	}

	const handle = await startRpcApi({
		name: 'ram',
		product: 'Ram',
		serviceTitle: 'the local RAM',
		version: ramApiVersion,
		keyOf: accessKeyId => gatewayKey(account, accessKeyId),
		actions: Object.fromEntries(Object.entries(actions).map(([actionName, run]) => [actionName, action(run)])),
		...(options.port ? {port: options.port} : {}),
	});
	return {...handle, shared: account};
}
