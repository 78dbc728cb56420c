/**
 * The local Alibaba Cloud account as RAM and STS keep it: RAM users and their AccessKeys, roles with their trust
 * policies, custom policies with versions, the policies attached to users and roles, and the STS sessions issued.
 * One JSON file (0600: it holds secrets) under the RAM stand-in's data dir, written whole after every change. The
 * account is the in-process `AlibabaIdentities` the other stand-ins ask (see ../identity/alibaba.ts).
 *
 * Errors are RAM's and STS's (codes, HTTP statuses and messages from the RAM API reference's "Error messages" and
 * each operation's page, AlibabaCloudDocs/ram; STS's from its AssumeRole page and "Errors when you use STS", doc 42775).
 */
import {randomBytes, randomInt} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from 'ferry/store/atomic-write';
import type {StandInHandle} from '../contract.js';
import {
	accountArn, assumedRoleArn, IdentityError, parseRoleArn, roleArn, userArn,
	type AlibabaIdentities, type AlibabaKey, type AlibabaPrincipal, type AssumedRole,
} from '../identity/alibaba.js';
import {evaluatePolicies, parsePolicy, PolicyDocumentError, type Policy, type PolicyEvaluation, type RequestPrincipal, type SourcedPolicy} from 'ferry/identity/policy';
import {systemPolicies, systemPolicyCreateDate, systemPolicyNamed} from './system-policies.js';

export type PolicyType = 'System' | 'Custom';

export type AccessKeyRecord = {accessKeyId: string; accessKeySecret: string; status: 'Active' | 'Inactive'; createDate: string};

export type UserRecord = {
	userId: string;
	userName: string;
	displayName: string;
	comments: string;
	email: string;
	mobilePhone: string;
	createDate: string;
	updateDate: string;
	accessKeys: AccessKeyRecord[];
};

export type RoleRecord = {
	roleId: string;
	roleName: string;
	description: string;
	assumeRolePolicyDocument: string;
	maxSessionDuration: number;
	createDate: string;
	updateDate: string;
};

export type PolicyVersionRecord = {versionId: string; document: string; createDate: string};

export type CustomPolicyRecord = {
	policyName: string;
	description: string;
	createDate: string;
	updateDate: string;
	defaultVersion: string;
	versions: PolicyVersionRecord[];
	/** The next version number to hand out (versions are never renumbered). */
	nextVersion: number;
};

export type AttachmentRecord = {policyName: string; policyType: PolicyType; attachDate: string};

export type SessionRecord = {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken: string;
	expiration: string;
	roleId: string;
	roleName: string;
	sessionName: string;
	/** The session policy given to AssumeRole, which narrows the role's permissions. */
	policy?: string;
};

type AccountFile = {
	version: 1;
	users: UserRecord[];
	roles: RoleRecord[];
	policies: CustomPolicyRecord[];
	/** By lower-cased role name and by user name. */
	roleAttachments: Record<string, AttachmentRecord[]>;
	userAttachments: Record<string, AttachmentRecord[]>;
	sessions: SessionRecord[];
};

export type AttachedPolicy = AttachmentRecord & {description: string; defaultVersion: string};

export type PolicyView = {
	policyName: string;
	policyType: PolicyType;
	description: string;
	createDate: string;
	updateDate: string;
	defaultVersion: string;
	attachmentCount: number;
	defaultDocument: string;
	defaultVersionCreateDate: string;
};

/** The limits of RAM's "Limits" page: two AccessKeys per user; 20 system and 5 custom policies per user or role. */
export const ramLimits = {accessKeysPerUser: 2, systemPoliciesPerEntity: 20, customPoliciesPerEntity: 5, versionsPerPolicy: 5, roles: 1000, users: 1000, customPolicies: 1500};

const stsDefaultDurationSeconds = 3600;
const stsMinDurationSeconds = 900;

function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function digits(count: number): string {
	let text = String(randomInt(1, 10));
	while (text.length < count) {
		text += String(randomInt(0, 10));
	}

	return text;
}

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
	return Array.from(randomBytes(length), byte => alphanumerics[byte % alphanumerics.length]).join('');
}

const notExist = {
	role: () => new IdentityError(404, 'EntityNotExist.Role', 'The role does not exist.'),
	user: () => new IdentityError(404, 'EntityNotExist.User', 'The user does not exist.'),
	policy: () => new IdentityError(404, 'EntityNotExist.Policy', 'The policy does not exist.'),
	version: () => new IdentityError(404, 'EntityNotExist.Policy.Version', 'The policy version does not exist.'),
	accessKey: () => new IdentityError(404, 'EntityNotExist.User.AccessKey', 'The user access key does not exist.'),
};

/** RAM's MalformedPolicyDocument carries the error's details as its message (the API reference: "{The error details}"). */
function malformed(error: PolicyDocumentError): IdentityError {
	return new IdentityError(400, 'MalformedPolicyDocument', error.message);
}

export type RamAccountOptions = {
	dataDir: string;
	accountId: string;
	/** The account's own (root) keys. */
	rootKeys: {accessKeyId: string; accessKeySecret: string};
	/** The clock, for tests of expiration. @default Date.now */
	now?: () => number;
};

export class RamAccount implements AlibabaIdentities {
	readonly accountId: string;
	readonly #file: string;
	readonly #rootKeys: RamAccountOptions['rootKeys'];
	readonly #now: () => number;
	#state: AccountFile;

	private constructor(options: RamAccountOptions, state: AccountFile) {
		this.accountId = options.accountId;
		this.#file = path.join(options.dataDir, 'account.json');
		this.#rootKeys = options.rootKeys;
		this.#now = options.now ?? Date.now;
		this.#state = state;
	}

	/** Opens the account kept under `dataDir`; `fresh` says it did not exist yet (so the caller seeds it). */
	static open(options: RamAccountOptions): {account: RamAccount; fresh: boolean} {
		const file = path.join(options.dataDir, 'account.json');
		let state: AccountFile | undefined;
		try {
			state = JSON.parse(readFileSync(file, 'utf8')) as AccountFile;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}
		}

		const account = new RamAccount(options, state ?? {version: 1, users: [], roles: [], policies: [], roleAttachments: {}, userAttachments: {}, sessions: []});
		if (!state) {
			account.#save();
		}

		return {account, fresh: !state};
	}

	#save(): void {
		const now = this.#now();
		this.#state.sessions = this.#state.sessions.filter(session => Date.parse(session.expiration) > now);
		writeFileAtomic(this.#file, JSON.stringify(this.#state, undefined, '\t'), 0o600);
	}

	#today(): string {
		return isoSeconds(this.#now());
	}

	// --- the in-process identity checks -------------------------------------------------------------------------

	keyOf(accessKeyId: string): AlibabaKey | undefined {
		if (accessKeyId === this.#rootKeys.accessKeyId) {
			return {accessKeyId, secret: this.#rootKeys.accessKeySecret, status: 'Active', principal: this.#accountPrincipal()};
		}

		for (const user of this.#state.users) {
			const key = user.accessKeys.find(candidate => candidate.accessKeyId === accessKeyId);
			if (key) {
				return {accessKeyId, secret: key.accessKeySecret, status: key.status, principal: this.#userPrincipal(user)};
			}
		}

		const session = this.#state.sessions.find(candidate => candidate.accessKeyId === accessKeyId);
		if (session) {
			return {
				accessKeyId,
				secret: session.accessKeySecret,
				securityToken: session.securityToken,
				expiration: session.expiration,
				status: 'Active',
				principal: {
					kind: 'assumed-role', accountId: this.accountId, roleId: session.roleId, roleName: session.roleName, sessionName: session.sessionName,
					arn: assumedRoleArn(this.accountId, session.roleName, session.sessionName), roleArn: roleArn(this.accountId, session.roleName), sessionKeyId: accessKeyId,
				},
			};
		}

		return undefined;
	}

	findUser(nameOrId: string): {userId: string; userName: string} | undefined {
		const user = this.#state.users.find(candidate => candidate.userName === nameOrId || candidate.userId === nameOrId);
		return user && {userId: user.userId, userName: user.userName};
	}

	roleExists(roleName: string): boolean {
		return this.#role(roleName) !== undefined;
	}

	isExpired(key: AlibabaKey): boolean {
		return key.expiration !== undefined && Date.parse(key.expiration) <= this.#now();
	}

	authorize(principal: AlibabaPrincipal, action: string, resource: string, context?: Readonly<Record<string, string | readonly string[]>>): PolicyEvaluation {
		if (principal.kind === 'account') {
			return {decision: 'allowed', matched: [], missingContextKeys: []};
		}

		const request = {action, resource, ...(context ? {context} : {})};
		if (principal.kind === 'user') {
			return evaluatePolicies(this.#policiesOf(this.#state.userAttachments[principal.userName] ?? []), request);
		}

		// A session stands for the role it was issued for: a role deleted and created again under its name is another one.
		const role = this.#state.roles.find(candidate => candidate.roleId === principal.roleId);
		const granted = evaluatePolicies(role ? this.#policiesOf(this.#state.roleAttachments[role.roleName.toLowerCase()] ?? []) : [], request);
		const session = this.#state.sessions.find(candidate => candidate.accessKeyId === principal.sessionKeyId);
		if (granted.decision !== 'allowed' || !session?.policy) {
			return granted;
		}

		// A session policy can only narrow: both must allow (STS AssumeRole, Policy).
		const narrowed = evaluatePolicies([{id: 'session', type: 'Session', policy: parsePolicy(session.policy, {dialect: 'alibaba', kind: 'identity'})}], request);
		return narrowed.decision === 'allowed' ? granted : narrowed;
	}

	assumeRoleAsService(request: {roleArn: string; service: string; sessionName: string; durationSeconds?: number}): AssumedRole {
		const role = this.#assumableRole(request.roleArn);
		// A service acting for this account is also written `<uid>@<service>` in trust policies (MaxCompute, STS auth).
		const trusted = [request.service, `${this.accountId}@${request.service}`].some(name => this.#trusts(role, {type: 'Service', name}));
		if (!trusted) {
			throw trustRefusal();
		}

		return this.#issueSession(role, request.sessionName, request.durationSeconds ?? stsDefaultDurationSeconds, undefined);
	}

	/** STS AssumeRole for a caller with keys (a RAM user or a role session). */
	assumeRole(caller: AlibabaPrincipal, request: {roleArn: string; sessionName: string; durationSeconds?: number; policy?: string}): AssumedRole {
		if (caller.kind === 'account') {
			throw new IdentityError(403, 'NoPermission', 'Roles may not be assumed by root accounts.');
		}

		const role = this.#assumableRole(request.roleArn);
		const duration = request.durationSeconds ?? stsDefaultDurationSeconds;
		if (duration < stsMinDurationSeconds || duration > role.maxSessionDuration) {
			throw new IdentityError(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.');
		}

		if (this.authorize(caller, 'sts:AssumeRole', roleArn(this.accountId, role.roleName)).decision !== 'allowed') {
			throw new IdentityError(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
		}

		const principal: RequestPrincipal = {type: 'RAM', account: this.accountId, arn: caller.arn, ...(caller.kind === 'assumed-role' ? {alsoKnownAs: [caller.roleArn]} : {})};
		if (!this.#trusts(role, principal)) {
			throw trustRefusal();
		}

		return this.#issueSession(role, request.sessionName, duration, request.policy);
	}

	#assumableRole(arn: string): RoleRecord {
		const parsed = parseRoleArn(arn);
		if (!parsed) {
			throw new IdentityError(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
		}

		const role = parsed.accountId === this.accountId ? this.#role(parsed.roleName) : undefined;
		if (!role) {
			throw new IdentityError(404, 'EntityNotExist.Role', 'The specified Role not exists.');
		}

		return role;
	}

	#trusts(role: RoleRecord, principal: RequestPrincipal): boolean {
		const trust = parsePolicy(role.assumeRolePolicyDocument, {dialect: 'alibaba', kind: 'trust'});
		return evaluatePolicies([{id: role.roleName, type: 'Trust', policy: trust}], {action: 'sts:AssumeRole', resource: '*', principal}).decision === 'allowed';
	}

	#issueSession(role: RoleRecord, sessionName: string, durationSeconds: number, policy: string | undefined): AssumedRole {
		const session: SessionRecord = {
			accessKeyId: `STS.${randomText(25)}`,
			accessKeySecret: randomText(44),
			securityToken: `CAIS${randomBytes(240).toString('base64')}`,
			expiration: isoSeconds(this.#now() + (durationSeconds * 1000)),
			roleId: role.roleId,
			roleName: role.roleName,
			sessionName,
			...(policy === undefined ? {} : {policy}),
		};
		this.#state.sessions.push(session);
		this.#save();
		return {
			credentials: {accessKeyId: session.accessKeyId, accessKeySecret: session.accessKeySecret, securityToken: session.securityToken, expiration: session.expiration},
			// AssumeRole's AssumedRoleUser: `acs:ram::$accountID:role/$roleName/$RoleSessionName` and `<role id>:<session name>`.
			assumedRoleUser: {arn: `${roleArn(this.accountId, role.roleName)}/${sessionName}`, assumedRoleId: `${role.roleId}:${sessionName}`},
		};
	}

	#accountPrincipal(): AlibabaPrincipal {
		return {kind: 'account', accountId: this.accountId, arn: accountArn(this.accountId)};
	}

	#userPrincipal(user: UserRecord): AlibabaPrincipal {
		return {kind: 'user', accountId: this.accountId, userId: user.userId, userName: user.userName, arn: userArn(this.accountId, user.userName)};
	}

	#policiesOf(attachments: readonly AttachmentRecord[]): SourcedPolicy[] {
		return attachments.flatMap(attachment => {
			const document = this.#documentOf(attachment.policyName, attachment.policyType);
			return document === undefined ? [] : [{id: attachment.policyName, type: attachment.policyType, policy: parsePolicy(document, {dialect: 'alibaba', kind: 'identity'})}];
		});
	}

	#documentOf(policyName: string, policyType: PolicyType): string | undefined {
		if (policyType === 'System') {
			return systemPolicyNamed(policyName)?.document;
		}

		const policy = this.#customPolicy(policyName);
		return policy?.versions.find(version => version.versionId === policy.defaultVersion)?.document;
	}

	// --- users and keys -----------------------------------------------------------------------------------------

	#user(userName: string): UserRecord | undefined {
		return this.#state.users.find(user => user.userName === userName);
	}

	requireUser(userName: string): UserRecord {
		const user = this.#user(userName);
		if (!user) {
			throw notExist.user();
		}

		return user;
	}

	listUsers(): readonly UserRecord[] {
		return this.#state.users;
	}

	createUser(fields: {userName: string; displayName?: string; comments?: string; email?: string; mobilePhone?: string}): UserRecord {
		if (this.#user(fields.userName)) {
			throw new IdentityError(409, 'EntityAlreadyExists.User', 'The user does already EXIST.');
		}

		if (this.#state.users.length >= ramLimits.users) {
			throw new IdentityError(409, 'LimitExceeded.User', 'The count of users beyond the current limits.');
		}

		const date = this.#today();
		const user: UserRecord = {
			userId: digits(16), userName: fields.userName, displayName: fields.displayName ?? fields.userName, comments: fields.comments ?? '',
			email: fields.email ?? '', mobilePhone: fields.mobilePhone ?? '', createDate: date, updateDate: date, accessKeys: [],
		};
		this.#state.users.push(user);
		this.#save();
		return user;
	}

	deleteUser(userName: string): void {
		const user = this.requireUser(userName);
		if (user.accessKeys.length > 0) {
			throw new IdentityError(409, 'DeleteConflict.User.AccessKey', 'The user CAN NOT has any access key while deleting the user.');
		}

		if ((this.#state.userAttachments[userName] ?? []).length > 0) {
			throw new IdentityError(409, 'DeleteConflict.User.Policy', 'The user CAN NOT has any attached policy while deleting the user.');
		}

		this.#state.users = this.#state.users.filter(candidate => candidate !== user);
		this.#save();
	}

	createAccessKey(userName: string): AccessKeyRecord {
		const user = this.requireUser(userName);
		if (user.accessKeys.length >= ramLimits.accessKeysPerUser) {
			throw new IdentityError(409, 'LimitExceeded.User.AccessKey', 'The access key count of the user access keys beyond the current limits.');
		}

		// Keys of RAM users look like the service's: LTAI + 20 characters, a 30-character secret.
		const key: AccessKeyRecord = {accessKeyId: `LTAI${randomText(20)}`, accessKeySecret: randomText(30), status: 'Active', createDate: this.#today()};
		user.accessKeys.push(key);
		this.#save();
		return key;
	}

	updateAccessKey(userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): void {
		const key = this.requireUser(userName).accessKeys.find(candidate => candidate.accessKeyId === accessKeyId);
		if (!key) {
			throw notExist.accessKey();
		}

		key.status = status;
		this.#save();
	}

	deleteAccessKey(userName: string, accessKeyId: string): void {
		const user = this.requireUser(userName);
		if (!user.accessKeys.some(key => key.accessKeyId === accessKeyId)) {
			throw notExist.accessKey();
		}

		user.accessKeys = user.accessKeys.filter(key => key.accessKeyId !== accessKeyId);
		this.#save();
	}

	// --- roles --------------------------------------------------------------------------------------------------

	/** Role names are unique regardless of case (the ARN carries the name in lower case). */
	#role(roleName: string): RoleRecord | undefined {
		return this.#state.roles.find(role => role.roleName.toLowerCase() === roleName.toLowerCase());
	}

	requireRole(roleName: string): RoleRecord {
		const role = this.#role(roleName);
		if (!role) {
			throw notExist.role();
		}

		return role;
	}

	listRoles(): readonly RoleRecord[] {
		return this.#state.roles;
	}

	roleArnOf(role: RoleRecord): string {
		return roleArn(this.accountId, role.roleName);
	}

	createRole(fields: {roleName: string; assumeRolePolicyDocument: string; description?: string; maxSessionDuration?: number}): RoleRecord {
		checkDocument(fields.assumeRolePolicyDocument, 'trust');
		if (this.#role(fields.roleName)) {
			throw new IdentityError(409, 'EntityAlreadyExists.Role', 'The role does already EXIST.');
		}

		if (this.#state.roles.length >= ramLimits.roles) {
			throw new IdentityError(409, 'LimitExceeded.Role', 'The count of roles beyond the current limits.');
		}

		const date = this.#today();
		const role: RoleRecord = {
			roleId: digits(16), roleName: fields.roleName, description: fields.description ?? '', assumeRolePolicyDocument: fields.assumeRolePolicyDocument,
			maxSessionDuration: fields.maxSessionDuration ?? 3600, createDate: date, updateDate: date,
		};
		this.#state.roles.push(role);
		this.#save();
		return role;
	}

	updateRole(roleName: string, changes: {assumeRolePolicyDocument?: string; description?: string; maxSessionDuration?: number}): RoleRecord {
		const role = this.requireRole(roleName);
		if (changes.assumeRolePolicyDocument !== undefined) {
			checkDocument(changes.assumeRolePolicyDocument, 'trust');
			role.assumeRolePolicyDocument = changes.assumeRolePolicyDocument;
		}

		if (changes.description !== undefined) {
			role.description = changes.description;
		}

		if (changes.maxSessionDuration !== undefined) {
			role.maxSessionDuration = changes.maxSessionDuration;
		}

		role.updateDate = this.#today();
		this.#save();
		return role;
	}

	deleteRole(roleName: string): void {
		const role = this.requireRole(roleName);
		if ((this.#state.roleAttachments[role.roleName.toLowerCase()] ?? []).length > 0) {
			throw new IdentityError(409, 'DeleteConflict.Role.Policy', 'The role CAN NOT has any attached policy while deleting the role.');
		}

		this.#state.roles = this.#state.roles.filter(candidate => candidate !== role);
		this.#save();
	}

	// --- policies -----------------------------------------------------------------------------------------------

	#customPolicy(policyName: string): CustomPolicyRecord | undefined {
		return this.#state.policies.find(policy => policy.policyName === policyName);
	}

	#attachmentCount(policyName: string, policyType: PolicyType): number {
		return [...Object.values(this.#state.roleAttachments), ...Object.values(this.#state.userAttachments)]
			.filter(list => list.some(item => item.policyName === policyName && item.policyType === policyType)).length;
	}

	/** A policy by name and type, as GetPolicy and ListPolicies describe it; throws EntityNotExist.Policy. */
	policy(policyName: string, policyType: PolicyType): PolicyView {
		if (policyType === 'System') {
			const policy = systemPolicyNamed(policyName);
			if (!policy) {
				throw notExist.policy();
			}

			return {
				policyName: policy.name, policyType, description: policy.description, createDate: systemPolicyCreateDate, updateDate: systemPolicyCreateDate,
				defaultVersion: 'v1', attachmentCount: this.#attachmentCount(policy.name, policyType), defaultDocument: policy.document, defaultVersionCreateDate: systemPolicyCreateDate,
			};
		}

		const policy = this.#customPolicy(policyName);
		if (!policy) {
			throw notExist.policy();
		}

		const version = policy.versions.find(candidate => candidate.versionId === policy.defaultVersion)!;
		return {
			policyName, policyType, description: policy.description, createDate: policy.createDate, updateDate: policy.updateDate, defaultVersion: policy.defaultVersion,
			attachmentCount: this.#attachmentCount(policyName, policyType), defaultDocument: version.document, defaultVersionCreateDate: version.createDate,
		};
	}

	listPolicies(policyType: PolicyType | undefined): PolicyView[] {
		const system = policyType === 'Custom' ? [] : systemPolicies.map(policy => this.policy(policy.name, 'System'));
		const custom = policyType === 'System' ? [] : this.#state.policies.map(policy => this.policy(policy.policyName, 'Custom'));
		return [...system, ...custom];
	}

	policyVersion(policyName: string, policyType: PolicyType, versionId: string): {versionId: string; document: string; createDate: string; isDefault: boolean} {
		const view = this.policy(policyName, policyType);
		if (policyType === 'System') {
			if (versionId !== 'v1') {
				throw notExist.version();
			}

			return {versionId, document: view.defaultDocument, createDate: view.createDate, isDefault: true};
		}

		const policy = this.#customPolicy(policyName)!;
		const version = policy.versions.find(candidate => candidate.versionId === versionId);
		if (!version) {
			throw notExist.version();
		}

		return {...version, isDefault: version.versionId === policy.defaultVersion};
	}

	policyVersions(policyName: string, policyType: PolicyType): Array<{versionId: string; document: string; createDate: string; isDefault: boolean}> {
		const view = this.policy(policyName, policyType);
		if (policyType === 'System') {
			return [{versionId: 'v1', document: view.defaultDocument, createDate: view.createDate, isDefault: true}];
		}

		const policy = this.#customPolicy(policyName)!;
		return policy.versions.map(version => ({...version, isDefault: version.versionId === policy.defaultVersion}));
	}

	createPolicy(fields: {policyName: string; policyDocument: string; description?: string}): PolicyView {
		checkDocument(fields.policyDocument, 'identity');
		if (this.#customPolicy(fields.policyName)) {
			// The API reference's text for this code says "group"; the code is the policy's.
			throw new IdentityError(409, 'EntityAlreadyExists.Policy', 'The policy does already EXIST.');
		}

		if (this.#state.policies.length >= ramLimits.customPolicies) {
			throw new IdentityError(409, 'LimitExceeded.Policy', 'The count of policy beyond the current limits.');
		}

		const date = this.#today();
		this.#state.policies.push({
			policyName: fields.policyName, description: fields.description ?? '', createDate: date, updateDate: date, defaultVersion: 'v1',
			versions: [{versionId: 'v1', document: fields.policyDocument, createDate: date}], nextVersion: 2,
		});
		this.#save();
		return this.policy(fields.policyName, 'Custom');
	}

	createPolicyVersion(policyName: string, document: string, setAsDefault: boolean): {versionId: string; document: string; createDate: string; isDefault: boolean} {
		checkDocument(document, 'identity');
		const policy = this.#customPolicy(policyName);
		if (!policy) {
			throw notExist.policy();
		}

		if (policy.versions.length >= ramLimits.versionsPerPolicy) {
			throw new IdentityError(409, 'LimitExceeded.Policy.Version', 'The count of policy version beyond the current limits.');
		}

		const version = {versionId: `v${policy.nextVersion}`, document, createDate: this.#today()};
		policy.nextVersion++;
		policy.versions.push(version);
		if (setAsDefault) {
			policy.defaultVersion = version.versionId;
		}

		policy.updateDate = version.createDate;
		this.#save();
		return {...version, isDefault: setAsDefault};
	}

	setDefaultPolicyVersion(policyName: string, versionId: string): void {
		const policy = this.#customPolicy(policyName);
		if (!policy) {
			throw notExist.policy();
		}

		if (!policy.versions.some(version => version.versionId === versionId)) {
			throw notExist.version();
		}

		policy.defaultVersion = versionId;
		policy.updateDate = this.#today();
		this.#save();
	}

	deletePolicyVersion(policyName: string, versionId: string): void {
		const policy = this.#customPolicy(policyName);
		if (!policy) {
			throw notExist.policy();
		}

		if (!policy.versions.some(version => version.versionId === versionId)) {
			throw notExist.version();
		}

		if (policy.defaultVersion === versionId) {
			throw new IdentityError(409, 'DeleteConflict.Policy.Version.Default', 'The default policy version CAN NOT been deleted directly.');
		}

		policy.versions = policy.versions.filter(version => version.versionId !== versionId);
		this.#save();
	}

	deletePolicy(policyName: string): void {
		const policy = this.#customPolicy(policyName);
		if (!policy) {
			throw notExist.policy();
		}

		if (Object.values(this.#state.userAttachments).some(list => list.some(item => item.policyName === policyName && item.policyType === 'Custom'))) {
			throw new IdentityError(409, 'DeleteConflict.Policy.User', 'The policy CAN NOT been attached to any user while deleting the policy.');
		}

		if (Object.values(this.#state.roleAttachments).some(list => list.some(item => item.policyName === policyName && item.policyType === 'Custom'))) {
			// The reference lists the user and group forms; the role form follows them.
			throw new IdentityError(409, 'DeleteConflict.Policy.Role', 'The policy CAN NOT been attached to any role while deleting the policy.');
		}

		if (policy.versions.length > 1) {
			throw new IdentityError(409, 'DeleteConflict.Policy.Version', 'The policy CAN NOT has any version except the default version.');
		}

		this.#state.policies = this.#state.policies.filter(candidate => candidate !== policy);
		this.#save();
	}

	// --- attachments --------------------------------------------------------------------------------------------

	#attach(list: AttachmentRecord[], policyName: string, policyType: PolicyType, already: () => IdentityError, limit: (type: PolicyType) => IdentityError): AttachmentRecord[] {
		this.policy(policyName, policyType);
		if (list.some(item => item.policyName === policyName && item.policyType === policyType)) {
			throw already();
		}

		const cap = policyType === 'System' ? ramLimits.systemPoliciesPerEntity : ramLimits.customPoliciesPerEntity;
		if (list.filter(item => item.policyType === policyType).length >= cap) {
			throw limit(policyType);
		}

		return [...list, {policyName, policyType, attachDate: this.#today()}];
	}

	attachPolicyToRole(roleName: string, policyName: string, policyType: PolicyType): void {
		const key = this.requireRole(roleName).roleName.toLowerCase();
		this.#state.roleAttachments[key] = this.#attach(
			this.#state.roleAttachments[key] ?? [], policyName, policyType,
			() => new IdentityError(409, 'EntityAlreadyExists.Role.Policy', 'The role has already been attached this policy.'),
			() => new IdentityError(409, 'LimitExceeded.Role.Policy', 'The count of policies attached to the role beyond the current limits.'),
		);
		this.#save();
	}

	detachPolicyFromRole(roleName: string, policyName: string, policyType: PolicyType): void {
		const key = this.requireRole(roleName).roleName.toLowerCase();
		const list = this.#state.roleAttachments[key] ?? [];
		if (!list.some(item => item.policyName === policyName && item.policyType === policyType)) {
			this.policy(policyName, policyType);
			throw new IdentityError(404, 'EntityNotExist.Role.Policy', 'The indicate policy of the role does not exist.');
		}

		this.#state.roleAttachments[key] = list.filter(item => !(item.policyName === policyName && item.policyType === policyType));
		this.#save();
	}

	attachPolicyToUser(userName: string, policyName: string, policyType: PolicyType): void {
		this.requireUser(userName);
		this.#state.userAttachments[userName] = this.#attach(
			this.#state.userAttachments[userName] ?? [], policyName, policyType,
			() => new IdentityError(409, 'EntityAlreadyExists.User.Policy', 'The user has already been attached this policy.'),
			() => new IdentityError(409, 'LimitExceeded.User.Policy', 'The policy count of the user attached policies beyond the current limits.'),
		);
		this.#save();
	}

	detachPolicyFromUser(userName: string, policyName: string, policyType: PolicyType): void {
		this.requireUser(userName);
		const list = this.#state.userAttachments[userName] ?? [];
		if (!list.some(item => item.policyName === policyName && item.policyType === policyType)) {
			this.policy(policyName, policyType);
			throw new IdentityError(404, 'EntityNotExist.User.Policy', 'The indicate policy of the user does not exist.');
		}

		this.#state.userAttachments[userName] = list.filter(item => !(item.policyName === policyName && item.policyType === policyType));
		this.#save();
	}

	#describeAttachments(list: readonly AttachmentRecord[]): AttachedPolicy[] {
		return list.map(item => {
			const view = this.policy(item.policyName, item.policyType);
			return {...item, description: view.description, defaultVersion: view.defaultVersion};
		});
	}

	policiesForRole(roleName: string): AttachedPolicy[] {
		return this.#describeAttachments(this.#state.roleAttachments[this.requireRole(roleName).roleName.toLowerCase()] ?? []);
	}

	policiesForUser(userName: string): AttachedPolicy[] {
		this.requireUser(userName);
		return this.#describeAttachments(this.#state.userAttachments[userName] ?? []);
	}
}

function trustRefusal(): IdentityError {
	return new IdentityError(403, 'NoPermission', 'No permission perform sts:AssumeRole on this Role. Maybe you are not authorized to perform sts:AssumeRole or the specified role does not trust you');
}

/** Parses a document as RAM stores it; a malformed one is RAM's MalformedPolicyDocument. */
export function checkDocument(text: string, kind: 'identity' | 'trust'): Policy {
	try {
		return parsePolicy(text, {dialect: 'alibaba', kind});
	} catch (error) {
		if (error instanceof PolicyDocumentError) {
			throw malformed(error);
		}

		throw error;
	}
}

/** The account a running RAM stand-in shares with the stand-ins that need it (`StandInHandle.shared`). */
export function ramAccountOf(handle: StandInHandle | undefined): RamAccount {
	const shared = handle?.shared;
	if (!(shared instanceof RamAccount)) {
		throw new Error('The RAM stand-in is not running in this process: the Alibaba Cloud stand-ins that check identities need it (add \'ram\' to their needs)');
	}

	return shared;
}
