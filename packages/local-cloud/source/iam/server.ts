/**
 * The IAM stand-in (query protocol, Version 2010-05-08, SigV4 service `iam` scoped to us-east-1 as the global IAM
 * endpoint is): roles with trust policies, inline and managed policies, users with access keys, and
 * SimulatePrincipalPolicy, with IAM's names, limits and error codes (IAM API Reference, "IAM and AWS STS quotas").
 * Policy documents go in and come out URL-encoded, as IAM returns them; every call is authorized against the
 * caller's policies (the account's root may do everything).
 */
import type {StandInHandle} from '../contract.js';
import {evaluatePolicies, parsePolicy, PolicyDocumentError, type MatchedStatement, type Policy, type PolicyKind, type SourcedPolicy} from 'ferry/identity/policy';
import type {XmlElement} from '../object-store/xml.js';
import {constraintError, required, serveQueryService, type QueryOperation, type QueryParameters} from '../query-protocol.js';
import {StandInError} from '../stand-in-kit.js';
import {AwsAccount, iamDate, type Caller, type ManagedPolicyRecord, type RoleRecord, type UserRecord} from './account.js';
import {awsManagedPolicies, type AwsManagedPolicy} from './aws-managed-policies.js';

export const iamNamespace = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** IAM's limits (IAM User Guide, "IAM and AWS STS quotas"); policy sizes leave out white space, as IAM counts them. */
export const iamLimits = {
	trustPolicyChars: 2048,
	roleInlineChars: 10_240,
	userInlineChars: 2048,
	managedPolicyChars: 6144,
	attachedPerEntity: 10,
	accessKeysPerUser: 2,
	rolesPerAccount: 1000,
	policyVersions: 5,
} as const;

const namePattern = /^[\w+=,.@-]+$/;
const pathPattern = /^(\/|\/[\u0021-\u007E]+\/)$/;
const documentPattern = /^[\t\n\r\u0020-\u00FF]+$/;

function checkName(value: string, member: string, max: number): string {
	if (value.length < 1) {
		throw constraintError(member, value, 'Member must have length greater than or equal to 1');
	}

	if (value.length > max) {
		throw constraintError(member, value, `Member must have length less than or equal to ${max}`);
	}

	if (!namePattern.test(value)) {
		throw constraintError(member, value, String.raw`Member must satisfy regular expression pattern: [\w+=,.@-]+`);
	}

	return value;
}

function checkPath(value: string | undefined, member = 'path'): string {
	const path = value ?? '/';
	if (path.length > 512) {
		throw constraintError(member, path, 'Member must have length less than or equal to 512');
	}

	if (!pathPattern.test(path)) {
		throw constraintError(member, path, String.raw`Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`);
	}

	return path;
}

function checkDocument(value: string, member: string): string {
	if (value.length > 131_072) {
		throw constraintError(member, value, 'Member must have length less than or equal to 131072');
	}

	if (!documentPattern.test(value)) {
		throw constraintError(member, value, String.raw`Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`);
	}

	return value;
}

/** IAM's own size: the document without white space. */
export function policySize(document: string): number {
	return document.replaceAll(/\s/g, '').length;
}

const encodeDocument = (document: string) => encodeURIComponent(document);

function parseDocument(document: string, kind: PolicyKind): Policy {
	try {
		return parsePolicy(document, {dialect: 'aws', kind});
	} catch (error) {
		if (error instanceof PolicyDocumentError) {
			throw new StandInError(400, 'MalformedPolicyDocument', error.message);
		}

		throw error;
	}
}

function noSuchRole(name: string): StandInError {
	return new StandInError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
}

function noSuchUser(name: string): StandInError {
	return new StandInError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
}

/** Marker/MaxItems paging over a list already in IAM's order. */
function page<T>(items: readonly T[], parameters: QueryParameters): {items: T[]; truncated: boolean; marker?: string} {
	const maxText = parameters.get('MaxItems');
	const max = maxText === undefined ? 100 : Number(maxText);
	if (!Number.isInteger(max) || max < 1 || max > 1000) {
		throw constraintError('maxItems', maxText ?? '', max < 1 ? 'Member must have value greater than or equal to 1' : 'Member must have value less than or equal to 1000');
	}

	const markerText = parameters.get('Marker');
	const start = markerText === undefined ? 0 : Number(Buffer.from(markerText, 'base64url').toString('utf8').replace(/^ferry-iam-/, ''));
	if (!Number.isInteger(start) || start < 0) {
		throw new StandInError(400, 'InvalidInput', 'Invalid Marker.');
	}

	const slice = items.slice(start, start + max);
	const truncated = start + max < items.length;
	return {items: slice, truncated, ...(truncated ? {marker: Buffer.from(`ferry-iam-${start + max}`).toString('base64url')} : {})};
}

function paged<T>(items: readonly T[], parameters: QueryParameters, name: string, render: (item: T) => XmlElement | string): XmlElement {
	const {items: slice, truncated, marker} = page(items, parameters);
	return {[name]: {member: slice.map(render)}, IsTruncated: truncated, ...(marker ? {Marker: marker} : {})};
}

type Entity = {kind: 'role'; record: RoleRecord} | {kind: 'user'; record: UserRecord};

export function createIamOperations(account: AwsAccount): Record<string, QueryOperation> {
	const save = () => account.save();

	/** Every IAM call is an `iam:` action on a resource: the account's root may do everything, others by policy. */
	const authorize = (caller: Caller, action: string, resource: string) => {
		const result = account.authorize(caller, {action: `iam:${action}`, resource});
		if (result.decision !== 'allowed') {
			throw new StandInError(403, 'AccessDenied', result.message);
		}
	};

	const roleArnFor = (name: string, path = '/') => `arn:aws:iam::${account.accountId}:role${path}${name}`;
	const userArnFor = (name: string, path = '/') => `arn:aws:iam::${account.accountId}:user${path}${name}`;

	const requireRole = (name: string) => account.role(name) ?? (() => {
		throw noSuchRole(name);
	})();

	const requireUser = (name: string) => account.user(name) ?? (() => {
		throw noSuchUser(name);
	})();

	const roleXml = (role: RoleRecord, detail: 'full' | 'list'): XmlElement => ({
		Path: role.path,
		RoleName: role.name,
		RoleId: role.id,
		Arn: account.roleArn(role),
		CreateDate: role.createDate,
		AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
		Description: role.description,
		MaxSessionDuration: role.maxSessionDuration,
		...(detail === 'full' ? {RoleLastUsed: {}} : {}),
	});

	const userXml = (user: UserRecord): XmlElement => ({Path: user.path, UserName: user.name, UserId: user.id, Arn: account.userArn(user), CreateDate: user.createDate});

	const policyXml = (policy: ManagedPolicyRecord | AwsManagedPolicy, arn: string, withDescription: boolean): XmlElement => ({
		PolicyName: policy.name,
		PolicyId: policy.id,
		Arn: arn,
		Path: policy.path,
		DefaultVersionId: policy.defaultVersion,
		AttachmentCount: account.attachmentCount(arn),
		PermissionsBoundaryUsageCount: 0,
		IsAttachable: true,
		...(withDescription && policy.description ? {Description: policy.description} : {}),
		CreateDate: policy.createDate,
		UpdateDate: policy.updateDate,
	});

	/** A trust policy as IAM accepts it: the grammar, its size, and every principal of this account must exist. */
	const checkTrustPolicy = (document: string) => {
		checkDocument(document, 'policyDocument');
		const policy = parseDocument(document, 'trust');
		if (policySize(document) > iamLimits.trustPolicyChars) {
			throw new StandInError(409, 'LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${iamLimits.trustPolicyChars}`);
		}

		for (const statement of policy.statements) {
			const set = statement.principal ?? statement.notPrincipal;
			for (const arn of set && set !== '*' ? set['AWS'] ?? [] : []) {
				const own = new RegExp(`^arn:aws:iam::${account.accountId}:(user|role)(/.*)$`).exec(arn);
				const exists = !own || (own[1] === 'user' ? account.userByArn(arn) : account.roleByArn(arn));
				if (!exists) {
					throw new StandInError(400, 'MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${arn}"`);
				}
			}
		}
	};

	const putInline = (entity: Entity, name: string, document: string) => {
		checkName(name, 'policyName', 128);
		checkDocument(document, 'policyDocument');
		parseDocument(document, 'identity');
		const others = Object.entries(entity.record.inline).filter(([other]) => other !== name).reduce((sum, [, text]) => sum + policySize(text), 0);
		const limit = entity.kind === 'role' ? iamLimits.roleInlineChars : iamLimits.userInlineChars;
		if (others + policySize(document) > limit) {
			throw new StandInError(409, 'LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${entity.kind} ${entity.record.name}`);
		}

		entity.record.inline[name] = document;
		save();
	};

	const attach = (entity: Entity, arn: string) => {
		if (!account.managedPolicy(arn)) {
			throw new StandInError(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
		}

		if (entity.record.attached.includes(arn)) {
			return;
		}

		if (entity.record.attached.length >= iamLimits.attachedPerEntity) {
			throw new StandInError(409, 'LimitExceeded', `Cannot exceed quota for PoliciesPer${entity.kind === 'role' ? 'Role' : 'User'}: ${iamLimits.attachedPerEntity}`);
		}

		entity.record.attached.push(arn);
		save();
	};

	const detach = (entity: Entity, arn: string) => {
		if (!entity.record.attached.includes(arn)) {
			throw new StandInError(404, 'NoSuchEntity', `Policy ${arn} was not found.`);
		}

		entity.record.attached = entity.record.attached.filter(attached => attached !== arn);
		save();
	};

	const attachedXml = (arns: readonly string[]) => arns.map(arn => ({PolicyName: account.managedPolicy(arn)?.policy.name ?? arn.split('/').at(-1), PolicyArn: arn}));

	/** The seven policy calls IAM has alike for a role and a user: inline (Put, Get, List, Delete) and managed (Attach, Detach, ListAttached). */
	const principalPolicyOperations = (kind: 'Role' | 'User'): Record<string, QueryOperation> => {
		const nameParameter = `${kind}Name`;
		const nameField = `${kind.toLowerCase()}Name`;
		const entityOf = (parameters: QueryParameters): Entity => {
			const name = checkName(required(parameters, nameParameter, nameField), nameField, 64);
			return kind === 'Role' ? {kind: 'role', record: requireRole(name)} : {kind: 'user', record: requireUser(name)};
		};

		const arnOf = (entity: Entity) => (entity.kind === 'role' ? account.roleArn(entity.record) : account.userArn(entity.record));
		const authorized = (operation: string, parameters: QueryParameters, caller: Caller): Entity => {
			const entity = entityOf(parameters);
			authorize(caller, operation, arnOf(entity));
			return entity;
		};

		const inlineName = (entity: Entity, parameters: QueryParameters) => {
			const name = checkName(required(parameters, 'PolicyName', 'policyName'), 'policyName', 128);
			if (entity.record.inline[name] === undefined) {
				throw new StandInError(404, 'NoSuchEntity', `The ${entity.kind} policy with name ${name} cannot be found.`);
			}

			return name;
		};

		return {
			[`Put${kind}Policy`](parameters, caller) {
				putInline(authorized(`Put${kind}Policy`, parameters, caller), required(parameters, 'PolicyName', 'policyName'), required(parameters, 'PolicyDocument', 'policyDocument'));
				return undefined;
			},
			[`Get${kind}Policy`](parameters, caller) {
				const entity = authorized(`Get${kind}Policy`, parameters, caller);
				const name = inlineName(entity, parameters);
				return {[nameParameter]: entity.record.name, PolicyName: name, PolicyDocument: encodeDocument(entity.record.inline[name]!)};
			},
			[`List${kind}Policies`](parameters, caller) {
				const entity = authorized(`List${kind}Policies`, parameters, caller);
				return paged(Object.keys(entity.record.inline).toSorted(), parameters, 'PolicyNames', name => name);
			},
			[`Delete${kind}Policy`](parameters, caller) {
				const entity = authorized(`Delete${kind}Policy`, parameters, caller);
				delete entity.record.inline[inlineName(entity, parameters)];
				save();
				return undefined;
			},
			[`Attach${kind}Policy`](parameters, caller) {
				attach(authorized(`Attach${kind}Policy`, parameters, caller), required(parameters, 'PolicyArn', 'policyArn'));
				return undefined;
			},
			[`Detach${kind}Policy`](parameters, caller) {
				detach(authorized(`Detach${kind}Policy`, parameters, caller), required(parameters, 'PolicyArn', 'policyArn'));
				return undefined;
			},
			[`ListAttached${kind}Policies`](parameters, caller) {
				return paged(attachedXml(authorized(`ListAttached${kind}Policies`, parameters, caller).record.attached), parameters, 'AttachedPolicies', entry => entry);
			},
		};
	};

	const requirePolicy = (arn: string) => {
		const found = account.managedPolicy(arn);
		if (!found) {
			throw new StandInError(404, 'NoSuchEntity', `Policy ${arn} was not found.`);
		}

		return found;
	};

	/** The user a call names, or the calling user itself (IAM's default for GetUser, CreateAccessKey, ListAccessKeys). */
	const targetUser = (parameters: QueryParameters, caller: Caller): UserRecord | 'root' => {
		const name = parameters.get('UserName');
		if (name !== undefined) {
			return requireUser(checkName(name, 'userName', 128));
		}

		if (caller.kind === 'user') {
			return requireUser(caller.userName);
		}

		if (caller.kind === 'root') {
			return 'root';
		}

		throw new StandInError(400, 'ValidationError', 'Must specify userName when calling with non-User credentials');
	};

	const simulate: QueryOperation = (parameters, caller) => {
		const source = required(parameters, 'PolicySourceArn', 'policySourceArn');
		authorize(caller, 'SimulatePrincipalPolicy', source);
		const match = new RegExp(`^arn:aws:iam::${account.accountId}:(user|role)/(?:.*/)?([^/]+)$`).exec(source);
		if (!match) {
			throw new StandInError(400, 'InvalidInput', `Invalid Entity Arn: ${source} does not clearly define entity type and name.`);
		}

		const entity: RoleRecord | UserRecord = match[1] === 'user' ? requireUser(match[2]!) : requireRole(match[2]!);
		const actions = parameters.list('ActionNames');
		if (actions.length === 0) {
			throw new StandInError(400, 'ValidationError', '1 validation error detected: Value null at \'actionNames\' failed to satisfy constraint: Member must not be null');
		}

		const resources = parameters.list('ResourceArns');
		const inputs = parameters.list('PolicyInputList').map((document, index) => ({id: `PolicyInputList.${index + 1}`, policy: parseDocument(document, 'identity')}));
		const policies: SourcedPolicy[] = [...account.identityPolicies(entity, match[1] === 'user' ? 'user' : 'role'), ...inputs];
		const context: Record<string, string[]> = {};
		for (const name of parameters.names()) {
			const entry = /^ContextEntries\.member\.(\d+)\.ContextKeyName$/.exec(name);
			if (entry) {
				context[parameters.get(name)!] = parameters.list(`ContextEntries.member.${entry[1]}.ContextKeyValues`);
			}
		}

		const matchedXml = (matched: readonly MatchedStatement[]) => ({
			member: matched.map(({policyId, policyType, statement}) => ({
				SourcePolicyId: policyId,
				...(policyType ? {SourcePolicyType: policyType} : {}),
				StartPosition: {Line: statement.start.line, Column: statement.start.column},
				EndPosition: {Line: statement.end.line, Column: statement.end.column},
			})),
		});
		const results = actions.flatMap(action => (resources.length === 0 ? ['*'] : resources).map(resource => {
			const evaluation = evaluatePolicies(policies, {action, resource, context});
			return {
				EvalActionName: action,
				EvalResourceName: resource,
				EvalDecision: evaluation.decision,
				MatchedStatements: matchedXml(evaluation.matched),
				MissingContextValues: {member: [...evaluation.missingContextKeys]},
				...(resources.length === 0 ? {} : {
					EvalDecisionDetails: {},
					ResourceSpecificResults: {member: [{EvalResourceName: resource, EvalResourceDecision: evaluation.decision, MatchedStatements: matchedXml(evaluation.matched), MissingContextValues: {member: [...evaluation.missingContextKeys]}, EvalDecisionDetails: {}}]},
				}),
			};
		}));
		return paged(results, parameters, 'EvaluationResults', result => result);
	};

	return {
		...principalPolicyOperations('Role'),
		...principalPolicyOperations('User'),
		CreateRole(parameters, caller) {
			const name = checkName(required(parameters, 'RoleName', 'roleName'), 'roleName', 64);
			const path = checkPath(parameters.get('Path'));
			authorize(caller, 'CreateRole', roleArnFor(name, path));
			const trustPolicy = required(parameters, 'AssumeRolePolicyDocument', 'assumeRolePolicyDocument');
			const description = parameters.get('Description');
			if (description !== undefined && description.length > 1000) {
				throw constraintError('description', description, 'Member must have length less than or equal to 1000');
			}

			const duration = Number(parameters.get('MaxSessionDuration') ?? 3600);
			if (!Number.isInteger(duration) || duration < 3600 || duration > 43_200) {
				throw constraintError('maxSessionDuration', String(parameters.get('MaxSessionDuration')), duration < 3600 ? 'Member must have value greater than or equal to 3600' : 'Member must have value less than or equal to 43200');
			}

			if (account.role(name)) {
				throw new StandInError(409, 'EntityAlreadyExists', `Role with name ${name} already exists.`);
			}

			checkTrustPolicy(trustPolicy);
			if (account.roles().length >= iamLimits.rolesPerAccount) {
				throw new StandInError(409, 'LimitExceeded', `Cannot exceed quota for RolesPerAccount: ${iamLimits.rolesPerAccount}`);
			}

			const role = account.addRole({name, path, trustPolicy, maxSessionDuration: duration, ...(description === undefined ? {} : {description})});
			save();
			return {Role: roleXml(role, 'list')};
		},

		GetRole(parameters, caller) {
			const name = checkName(required(parameters, 'RoleName', 'roleName'), 'roleName', 64);
			const role = requireRole(name);
			authorize(caller, 'GetRole', account.roleArn(role));
			return {Role: roleXml(role, 'full')};
		},

		ListRoles(parameters, caller) {
			authorize(caller, 'ListRoles', '*');
			const prefix = parameters.get('PathPrefix') ?? '/';
			const roles = account.roles().filter(role => role.path.startsWith(prefix)).toSorted((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
			return paged(roles, parameters, 'Roles', role => roleXml(role, 'list'));
		},

		DeleteRole(parameters, caller) {
			const role = requireRole(checkName(required(parameters, 'RoleName', 'roleName'), 'roleName', 64));
			authorize(caller, 'DeleteRole', account.roleArn(role));
			if (Object.keys(role.inline).length > 0) {
				throw new StandInError(409, 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
			}

			if (role.attached.length > 0) {
				throw new StandInError(409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
			}

			account.deleteRole(role);
			save();
			return undefined;
		},

		UpdateAssumeRolePolicy(parameters, caller) {
			const role = requireRole(checkName(required(parameters, 'RoleName', 'roleName'), 'roleName', 64));
			authorize(caller, 'UpdateAssumeRolePolicy', account.roleArn(role));
			const document = required(parameters, 'PolicyDocument', 'policyDocument');
			checkTrustPolicy(document);
			role.trustPolicy = document;
			save();
			return undefined;
		},

		CreatePolicy(parameters, caller) {
			const name = checkName(required(parameters, 'PolicyName', 'policyName'), 'policyName', 128);
			const path = checkPath(parameters.get('Path'));
			const arn = `arn:aws:iam::${account.accountId}:policy${path}${name}`;
			authorize(caller, 'CreatePolicy', arn);
			const document = checkDocument(required(parameters, 'PolicyDocument', 'policyDocument'), 'policyDocument');
			if (account.customerPolicies().some(policy => policy.name.toLowerCase() === name.toLowerCase())) {
				throw new StandInError(409, 'EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`);
			}

			parseDocument(document, 'identity');
			if (policySize(document) > iamLimits.managedPolicyChars) {
				throw new StandInError(409, 'LimitExceeded', `Cannot exceed quota for PolicySize: ${iamLimits.managedPolicyChars}`);
			}

			const description = parameters.get('Description');
			const policy = account.addPolicy({name, path, ...(description === undefined ? {} : {description})}, document);
			save();
			return {Policy: policyXml(policy, account.policyArn(policy), false)};
		},

		GetPolicy(parameters, caller) {
			const arn = required(parameters, 'PolicyArn', 'policyArn');
			authorize(caller, 'GetPolicy', arn);
			const {policy} = requirePolicy(arn);
			return {Policy: policyXml(policy, arn, true)};
		},

		GetPolicyVersion(parameters, caller) {
			const arn = required(parameters, 'PolicyArn', 'policyArn');
			authorize(caller, 'GetPolicyVersion', arn);
			const versionId = required(parameters, 'VersionId', 'versionId');
			const found = requirePolicy(arn);
			const version = found.kind === 'aws'
				? (versionId === found.policy.defaultVersion ? {id: versionId, document: found.policy.document, createDate: found.policy.updateDate} : undefined)
				: found.policy.versions.find(candidate => candidate.id === versionId);
			if (!version) {
				throw new StandInError(404, 'NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
			}

			return {PolicyVersion: {Document: encodeDocument(version.document), VersionId: version.id, IsDefaultVersion: version.id === found.policy.defaultVersion, CreateDate: version.createDate}};
		},

		ListPolicies(parameters, caller) {
			authorize(caller, 'ListPolicies', '*');
			const scope = parameters.get('Scope') ?? 'All';
			if (!['All', 'AWS', 'Local'].includes(scope)) {
				throw constraintError('scope', scope, 'Member must satisfy enum value set: [All, AWS, Local]');
			}

			const onlyAttached = parameters.get('OnlyAttached') === 'true';
			const prefix = parameters.get('PathPrefix') ?? '/';
			const entries = [
				...(scope === 'Local' ? [] : awsManagedPolicies.map(policy => ({policy, arn: policy.arn}))),
				...(scope === 'AWS' ? [] : account.customerPolicies().map(policy => ({policy, arn: account.policyArn(policy)}))),
			].filter(({policy, arn}) => policy.path.startsWith(prefix) && (!onlyAttached || account.attachmentCount(arn) > 0));
			return paged(entries, parameters, 'Policies', ({policy, arn}) => policyXml(policy, arn, false));
		},

		CreateUser(parameters, caller) {
			const name = checkName(required(parameters, 'UserName', 'userName'), 'userName', 64);
			const path = checkPath(parameters.get('Path'));
			authorize(caller, 'CreateUser', userArnFor(name, path));
			if (account.user(name)) {
				throw new StandInError(409, 'EntityAlreadyExists', `User with name ${name} already exists.`);
			}

			const user = account.addUser({name, path});
			save();
			return {User: userXml(user)};
		},

		GetUser(parameters, caller) {
			const user = targetUser(parameters, caller);
			if (user === 'root') {
				return {User: {UserId: account.accountId, Arn: account.rootArn, CreateDate: iamDate(new Date(0))}};
			}

			authorize(caller, 'GetUser', account.userArn(user));
			return {User: userXml(user)};
		},

		DeleteUser(parameters, caller) {
			const user = requireUser(checkName(required(parameters, 'UserName', 'userName'), 'userName', 128));
			authorize(caller, 'DeleteUser', account.userArn(user));
			if (user.keys.length > 0) {
				throw new StandInError(409, 'DeleteConflict', 'Cannot delete entity, must delete access keys first.');
			}

			if (Object.keys(user.inline).length > 0) {
				throw new StandInError(409, 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
			}

			if (user.attached.length > 0) {
				throw new StandInError(409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
			}

			account.deleteUser(user);
			save();
			return undefined;
		},

		CreateAccessKey(parameters, caller) {
			const user = targetUser(parameters, caller);
			if (user === 'root') {
				throw new StandInError(400, 'InvalidInput', 'The local IAM does not create access keys for the account\'s root user; create an IAM user and give it keys.');
			}

			authorize(caller, 'CreateAccessKey', account.userArn(user));
			if (user.keys.length >= iamLimits.accessKeysPerUser) {
				throw new StandInError(409, 'LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${iamLimits.accessKeysPerUser}`);
			}

			const key = account.addAccessKey(user);
			save();
			return {AccessKey: {UserName: user.name, AccessKeyId: key.id, Status: key.status, SecretAccessKey: key.secret, CreateDate: key.createDate}};
		},

		ListAccessKeys(parameters, caller) {
			const user = targetUser(parameters, caller);
			if (user === 'root') {
				return {AccessKeyMetadata: {}, IsTruncated: false};
			}

			authorize(caller, 'ListAccessKeys', account.userArn(user));
			return paged(user.keys, parameters, 'AccessKeyMetadata', key => ({UserName: user.name, AccessKeyId: key.id, Status: key.status, CreateDate: key.createDate}));
		},

		DeleteAccessKey(parameters, caller) {
			const user = targetUser(parameters, caller);
			const id = required(parameters, 'AccessKeyId', 'accessKeyId');
			const key = user === 'root' ? undefined : user.keys.find(candidate => candidate.id === id);
			if (user === 'root' || !key) {
				throw new StandInError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
			}

			authorize(caller, 'DeleteAccessKey', account.userArn(user));
			user.keys = user.keys.filter(candidate => candidate !== key);
			save();
			return undefined;
		},

		SimulatePrincipalPolicy: simulate,
	};
}

export type IamStandInOptions = {account: AwsAccount; port?: number};

/** IAM is global: its endpoint signs for us-east-1 whatever the caller's region. */
export async function startIamStandIn(options: IamStandInOptions): Promise<StandInHandle> {
	const handle = await serveQueryService({
		name: 'iam',
		service: 'iam',
		regions: ['us-east-1'],
		version: '2010-05-08',
		namespace: iamNamespace,
		account: options.account,
		operations: createIamOperations(options.account),
		...(options.port ? {port: options.port} : {}),
	});
	return {...handle, shared: options.account};
}
