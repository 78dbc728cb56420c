/**
 * The local AWS account's identities: its root keys, IAM roles, users, managed policies and access keys, and the
 * STS sessions issued for roles. Kept in one 0600 JSON file under the IAM stand-in's data folder (it holds secrets),
 * written whole on every change.
 *
 * This is what every AWS stand-in asks in-process (they are started with the IAM stand-in's handle, see
 * `accountOf`): who holds an access key (`keyHolder`), may that caller do an action on a resource (`authorize`),
 * and may a service or a caller take a role (`assumeRole`). The answers follow IAM's documented evaluation through
 * ferry's identity/policy.ts; the account's root may do everything, as on AWS.
 */
import {randomBytes, randomUUID} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {registerSecret} from 'ferry/log/redact';
import {writeFileAtomic} from 'ferry/store/atomic-write';
import type {AwsKeys, IdentitiesSeed, StandInHandle} from '../contract.js';
import {evaluatePolicies, parsePolicy, type AuthorizationRequest, type PolicyEvaluation, type RequestPrincipal, type SourcedPolicy} from 'ferry/identity/policy';
import {awsManagedPolicies, type AwsManagedPolicy} from './aws-managed-policies.js';

export type RoleRecord = {
	name: string;
	path: string;
	id: string;
	createDate: string;
	trustPolicy: string;
	description?: string;
	maxSessionDuration: number;
	/** Inline policies by name, as submitted. */
	inline: Record<string, string>;
	/** Attached managed policies' ARNs. */
	attached: string[];
};

export type AccessKeyRecord = {id: string; secret: string; status: 'Active' | 'Inactive'; createDate: string};

export type UserRecord = {
	name: string;
	path: string;
	id: string;
	createDate: string;
	inline: Record<string, string>;
	attached: string[];
	keys: AccessKeyRecord[];
};

export type PolicyVersionRecord = {id: string; document: string; createDate: string};

export type ManagedPolicyRecord = {
	name: string;
	path: string;
	id: string;
	createDate: string;
	updateDate: string;
	description?: string;
	defaultVersion: string;
	versions: PolicyVersionRecord[];
	nextVersion: number;
};

export type SessionRecord = {
	accessKeyId: string;
	secret: string;
	token: string;
	/** Epoch milliseconds. */
	expiresAt: number;
	roleName: string;
	sessionName: string;
};

type AccountData = {
	/** `configured` or `missing`: what the first start seeded (local-cloud start --identities). */
	seededWith: IdentitiesSeed;
	roles: RoleRecord[];
	users: UserRecord[];
	policies: ManagedPolicyRecord[];
	sessions: SessionRecord[];
};

/** Who signs a request. */
export type Caller =
	| {kind: 'root'; account: string; arn: string; userId: string}
	| {kind: 'user'; account: string; arn: string; userId: string; userName: string}
	| {kind: 'assumed-role'; account: string; arn: string; userId: string; roleName: string; roleArn: string; sessionName: string};

/** An access key's secret and owner; a session's key also carries its token and expiry. */
export type KeyHolder = {secret: string; caller: Caller; sessionToken?: string; expiresAt?: number};

export type Authorization = PolicyEvaluation & {
	/** AWS's own text for a denial: "User: … is not authorized to perform: … on resource: … because …". */
	message: string;
};

export type AssumedRole = {session: SessionRecord; role: RoleRecord; caller: Caller & {kind: 'assumed-role'}};

export type AssumeRoleRefusal = {reason: 'root' | 'no-such-role' | 'not-trusted' | 'duration'; message: string};

/** What a role seeded at birth looks like (identities `configured`). */
export type SeedRole = {name: string; trustPolicy: string; inline: Record<string, string>; attached?: string[]; description?: string};

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(prefix: string, length: number): string {
	return prefix + [...randomBytes(length)].map(byte => idAlphabet[byte % idAlphabet.length]).join('');
}

function randomSecret(): string {
	return randomBytes(30).toString('base64').replaceAll(/[+/=]/g, '').slice(0, 40).padEnd(40, 'A');
}

/** IAM's dates, to the second: 2024-05-01T12:00:00Z. */
export function iamDate(date = new Date()): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class AwsAccount {
	readonly accountId: string;
	private readonly file: string;
	private readonly rootKeys: AwsKeys;
	private readonly data: AccountData;

	private constructor(file: string, accountId: string, rootKeys: AwsKeys, data: AccountData) {
		this.file = file;
		this.accountId = accountId;
		this.rootKeys = rootKeys;
		this.data = data;
	}

	/** Opens the account kept in `dataDir`, seeding it at the first start (`seedRoles` only when seeded `configured`). */
	static open(options: {dataDir: string; accountId: string; rootKeys: AwsKeys; seed: IdentitiesSeed; seedRoles: readonly SeedRole[]}): AwsAccount {
		mkdirSync(options.dataDir, {recursive: true});
		const file = path.join(options.dataDir, 'account.json');
		registerSecret(options.rootKeys.secretAccessKey);
		if (existsSync(file)) {
			const data = JSON.parse(readFileSync(file, 'utf8')) as AccountData;
			for (const secret of [...data.users.flatMap(user => user.keys.map(key => key.secret)), ...data.sessions.map(session => session.secret)]) {
				registerSecret(secret);
			}

			return new AwsAccount(file, options.accountId, options.rootKeys, data);
		}

		const account = new AwsAccount(file, options.accountId, options.rootKeys, {seededWith: options.seed, roles: [], users: [], policies: [], sessions: []});
		if (options.seed === 'configured') {
			for (const seed of options.seedRoles) {
				account.addRole({name: seed.name, path: '/', trustPolicy: seed.trustPolicy, maxSessionDuration: 3600, ...(seed.description ? {description: seed.description} : {})});
				const role = account.role(seed.name)!;
				role.inline = {...seed.inline};
				role.attached = [...seed.attached ?? []];
			}
		}

		account.save();
		return account;
	}

	get seededWith(): IdentitiesSeed {
		return this.data.seededWith;
	}

	get rootArn(): string {
		return `arn:aws:iam::${this.accountId}:root`;
	}

	save(): void {
		// Expired sessions are kept a while, so their keys are refused as expired (ExpiredToken) rather than unknown.
		const forgetBefore = Date.now() - (12 * 3600 * 1000);
		this.data.sessions = this.data.sessions.filter(session => session.expiresAt > forgetBefore);
		writeFileAtomic(this.file, `${JSON.stringify(this.data, undefined, '\t')}\n`, 0o600);
	}

	// --- entities ----------------------------------------------------------------------------------------------

	roles(): readonly RoleRecord[] {
		return this.data.roles;
	}

	role(name: string): RoleRecord | undefined {
		return this.data.roles.find(role => sameName(role.name, name));
	}

	roleArn(role: RoleRecord): string {
		return `arn:aws:iam::${this.accountId}:role${role.path}${role.name}`;
	}

	/** The role an ARN names (its path included), if it exists. */
	roleByArn(arn: string): RoleRecord | undefined {
		return this.data.roles.find(role => this.roleArn(role) === arn);
	}

	addRole(fields: Pick<RoleRecord, 'name' | 'path' | 'trustPolicy' | 'maxSessionDuration' | 'description'>): RoleRecord {
		const role: RoleRecord = {...fields, id: randomId('AROA', 17), createDate: iamDate(), inline: {}, attached: []};
		this.data.roles.push(role);
		return role;
	}

	deleteRole(role: RoleRecord): void {
		this.data.roles = this.data.roles.filter(candidate => candidate !== role);
		this.data.sessions = this.data.sessions.filter(session => !sameName(session.roleName, role.name));
	}

	users(): readonly UserRecord[] {
		return this.data.users;
	}

	user(name: string): UserRecord | undefined {
		return this.data.users.find(user => sameName(user.name, name));
	}

	userArn(user: UserRecord): string {
		return `arn:aws:iam::${this.accountId}:user${user.path}${user.name}`;
	}

	userByArn(arn: string): UserRecord | undefined {
		return this.data.users.find(user => this.userArn(user) === arn);
	}

	addUser(fields: Pick<UserRecord, 'name' | 'path'>): UserRecord {
		const user: UserRecord = {...fields, id: randomId('AIDA', 17), createDate: iamDate(), inline: {}, attached: [], keys: []};
		this.data.users.push(user);
		return user;
	}

	deleteUser(user: UserRecord): void {
		this.data.users = this.data.users.filter(candidate => candidate !== user);
	}

	addAccessKey(user: UserRecord): AccessKeyRecord {
		const key: AccessKeyRecord = {id: randomId('AKIA', 16), secret: randomSecret(), status: 'Active', createDate: iamDate()};
		registerSecret(key.secret);
		user.keys.push(key);
		return key;
	}

	customerPolicies(): readonly ManagedPolicyRecord[] {
		return this.data.policies;
	}

	policyArn(policy: ManagedPolicyRecord): string {
		return `arn:aws:iam::${this.accountId}:policy${policy.path}${policy.name}`;
	}

	addPolicy(fields: Pick<ManagedPolicyRecord, 'name' | 'path' | 'description'>, document: string): ManagedPolicyRecord {
		const now = iamDate();
		const policy: ManagedPolicyRecord = {...fields, id: randomId('ANPA', 17), createDate: now, updateDate: now, defaultVersion: 'v1', versions: [{id: 'v1', document, createDate: now}], nextVersion: 2};
		this.data.policies.push(policy);
		return policy;
	}

	deletePolicy(policy: ManagedPolicyRecord): void {
		this.data.policies = this.data.policies.filter(candidate => candidate !== policy);
	}

	/** A managed policy by ARN: the account's own, or one of the AWS managed policies the local cloud knows. */
	managedPolicy(arn: string): {kind: 'customer'; policy: ManagedPolicyRecord} | {kind: 'aws'; policy: AwsManagedPolicy} | undefined {
		const own = this.data.policies.find(policy => this.policyArn(policy) === arn);
		if (own) {
			return {kind: 'customer', policy: own};
		}

		const managed = awsManagedPolicies.find(policy => policy.arn === arn);
		return managed ? {kind: 'aws', policy: managed} : undefined;
	}

	/** How many roles and users a managed policy is attached to. */
	attachmentCount(arn: string): number {
		return [...this.data.roles, ...this.data.users].filter(entity => entity.attached.includes(arn)).length;
	}

	// --- keys and callers --------------------------------------------------------------------------------------

	/** Who holds an access key: the root, an IAM user (active keys only) or a role session that has not expired. */
	keyHolder(accessKeyId: string): KeyHolder | undefined {
		if (accessKeyId === this.rootKeys.accessKeyId) {
			return {secret: this.rootKeys.secretAccessKey, caller: this.rootCaller()};
		}

		for (const user of this.data.users) {
			const key = user.keys.find(candidate => candidate.id === accessKeyId && candidate.status === 'Active');
			if (key) {
				return {secret: key.secret, caller: this.userCaller(user)};
			}
		}

		const session = this.data.sessions.find(candidate => candidate.accessKeyId === accessKeyId);
		const role = session && this.role(session.roleName);
		if (session && role) {
			return {secret: session.secret, sessionToken: session.token, expiresAt: session.expiresAt, caller: this.sessionCaller(role, session.sessionName)};
		}

		return undefined;
	}

	rootCaller(): Caller & {kind: 'root'} {
		return {kind: 'root', account: this.accountId, arn: this.rootArn, userId: this.accountId};
	}

	userCaller(user: UserRecord): Caller & {kind: 'user'} {
		return {kind: 'user', account: this.accountId, arn: this.userArn(user), userId: user.id, userName: user.name};
	}

	sessionCaller(role: RoleRecord, sessionName: string): Caller & {kind: 'assumed-role'} {
		return {
			kind: 'assumed-role', account: this.accountId, arn: `arn:aws:sts::${this.accountId}:assumed-role/${role.name}/${sessionName}`,
			userId: `${role.id}:${sessionName}`, roleName: role.name, roleArn: this.roleArn(role), sessionName,
		};
	}

	// --- policies ----------------------------------------------------------------------------------------------

	/** The identity policies of a user or role, as the evaluator and SimulatePrincipalPolicy name them. */
	identityPolicies(entity: RoleRecord | UserRecord, kind: 'role' | 'user'): SourcedPolicy[] {
		const inline = Object.entries(entity.inline).map(([name, document]) => ({id: name, type: kind, policy: parsePolicy(document, {dialect: 'aws', kind: 'identity'})}));
		const attached = entity.attached.flatMap(arn => {
			const managed = this.managedPolicy(arn);
			if (!managed) {
				return [];
			}

			const document = managed.kind === 'aws' ? managed.policy.document : managed.policy.versions.find(version => version.id === managed.policy.defaultVersion)!.document;
			return [{id: managed.policy.name, type: managed.kind === 'aws' ? 'aws-managed' : 'user-managed', policy: parsePolicy(document, {dialect: 'aws', kind: 'identity'})}];
		});
		return [...inline, ...attached];
	}

	/** May the caller do the action on the resource? The root may do everything; others by their identity policies. */
	authorize(caller: Caller, request: Omit<AuthorizationRequest, 'principal'>, options: {quoteResource?: boolean} = {}): Authorization {
		if (caller.kind === 'root') {
			return {decision: 'allowed', matched: [], missingContextKeys: [], message: ''};
		}

		const policies = caller.kind === 'user'
			? this.identityPolicies(this.user(caller.userName)!, 'user')
			: this.identityPolicies(this.role(caller.roleName)!, 'role');
		const context = {
			'aws:PrincipalArn': caller.kind === 'user' ? caller.arn : caller.roleArn,
			'aws:PrincipalAccount': caller.account,
			'aws:userid': caller.userId,
			...(caller.kind === 'user' ? {'aws:username': caller.userName} : {}),
			...request.context,
		};
		const evaluation = evaluatePolicies(policies, {...request, context});
		return {...evaluation, message: denialMessage(caller.arn, request.action, request.resource, evaluation.decision, options.quoteResource ?? false)};
	}

	// --- roles -------------------------------------------------------------------------------------------------

	/**
	 * STS AssumeRole: the role's trust policy must let the caller (or the service) in; when it names only the
	 * caller's account, the caller's own policies must also allow sts:AssumeRole on the role (same-account rules).
	 */
	assumeRole(who: {caller: Caller} | {service: string}, request: {roleArn: string; sessionName: string; durationSeconds?: number}, now = Date.now()): AssumedRole | AssumeRoleRefusal {
		const callerArn = 'caller' in who ? who.caller.arn : who.service;
		const notAuthorized = `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`;
		if ('caller' in who && who.caller.kind === 'root') {
			return {reason: 'root', message: 'Roles may not be assumed by root accounts.'};
		}

		const role = this.roleByArn(request.roleArn);
		if (!role) {
			return {reason: 'no-such-role', message: notAuthorized};
		}

		const principal: RequestPrincipal = 'caller' in who
			? {type: 'AWS', account: who.caller.account, arn: who.caller.arn, ...(who.caller.kind === 'assumed-role' ? {alsoKnownAs: [who.caller.roleArn]} : {})}
			: {type: 'Service', name: who.service};
		const trust = evaluatePolicies([{id: 'trust', policy: parsePolicy(role.trustPolicy, {dialect: 'aws', kind: 'trust'})}], {action: 'sts:AssumeRole', resource: request.roleArn, principal});
		if (trust.decision !== 'allowed') {
			return {reason: 'not-trusted', message: notAuthorized};
		}

		const direct = trust.matched.some(match => match.principalMatch === 'principal');
		if (!direct && 'caller' in who && this.authorize(who.caller, {action: 'sts:AssumeRole', resource: request.roleArn}).decision !== 'allowed') {
			return {reason: 'not-trusted', message: notAuthorized};
		}

		const duration = request.durationSeconds ?? 3600;
		if (duration > role.maxSessionDuration) {
			return {reason: 'duration', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'};
		}

		const session: SessionRecord = {
			accessKeyId: randomId('ASIA', 16),
			secret: randomSecret(),
			token: `IQoJb3JpZ2luX2VjE${randomBytes(300).toString('base64')}`,
			expiresAt: now + (duration * 1000),
			roleName: role.name,
			sessionName: request.sessionName,
		};
		registerSecret(session.secret);
		registerSecret(session.token);
		this.data.sessions.push(session);
		this.save();
		return {session, role, caller: this.sessionCaller(role, request.sessionName)};
	}
}

/**
 * AWS's denial text (the same in IAM, STS and S3's AccessDenied messages): "User: ARN is not authorized to perform:
 * ACTION on resource: RESOURCE because no identity-based policy allows the ACTION action" for an implicit deny,
 * "… with an explicit deny in an identity-based policy" for an explicit one. S3 quotes the resource.
 */
export function denialMessage(callerArn: string, action: string, resource: string, decision: PolicyEvaluation['decision'], quoteResource: boolean): string {
	if (decision === 'allowed') {
		return '';
	}

	const on = resource === '*' ? '' : ` on resource: ${quoteResource ? `"${resource}"` : resource}`;
	const because = decision === 'explicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
	return `User: ${callerArn} is not authorized to perform: ${action}${on} ${because}`;
}

/** The account behind the IAM stand-in's handle, for the stand-ins that need it (`needs: ['iam']`). */
export function accountOf(handle: StandInHandle | undefined): AwsAccount {
	const shared = handle?.shared;
	if (!(shared instanceof AwsAccount)) {
		throw new Error('The IAM stand-in must run before the stand-ins that check identities (needs: [\'iam\'])');
	}

	return shared;
}

/** A request id in the form IAM and STS answer with. */
export function requestId(): string {
	return randomUUID();
}
