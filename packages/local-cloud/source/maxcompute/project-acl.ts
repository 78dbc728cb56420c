/**
 * The project's ACL authorisation model, as MaxCompute keeps it for accounts other than the project owner: members
 * (`ADD USER`, `REMOVE USER`, `LIST USERS`) and the privileges granted to them on the project and its tables (`GRANT
 * … ON PROJECT|TABLE … TO USER …`, `REVOKE … FROM USER …`, `SHOW GRANTS [FOR …]`). The owner (the account,
 * `ALIYUN$<uid>`) may do everything; anyone else must be a member with the privilege the statement needs. Kept in one
 * JSON file under the stand-in's data dir.
 *
 * Names are the ones the "ADD USER" page documents: `ALIYUN$<account id>`, `RAM$<account id>:<RAM user id>` (also
 * accepted: `RAM$<account id>:<user name>`, `RAM$<user name>`, the older forms) and `RAM$<account id>:role/<role>`.
 * Privileges are those of "MaxCompute permissions": project Read, Write, List, CreateTable, CreateInstance,
 * CreateFunction, CreateResource, All; table Describe, Select, Alter, Update, Drop, ShowHistory, Download, All.
 * Denials are MaxCompute's: `ODPS-0130013:Authorization exception - Authorization Failed [4019], You have NO privilege
 * 'odps:<Action>' on {acs:odps:*:projects/<p>[/tables/<t>]}. Context ID:… --->Tips: CurrentProject:<p>; Pricipal:<name>`
 * (ODPS-0130013's page, whose Tips keep the service's spelling "Pricipal"), and for instances
 * `ODPS-0420095: Access Denied - You don't exist in project <p>.` / `… You have no privilege 'odps:CreateInstance' on
 * {acs:odps:*:projects/<p>}` (ODPS-0420095's page).
 */
import {randomUUID} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from 'ferry/store/atomic-write';
import type {AlibabaIdentities, AlibabaPrincipal} from '../identity/alibaba.js';
import {OdpsError, type StatementAccess} from './engine/index.js';

const projectPrivileges = ['Read', 'Write', 'List', 'CreateTable', 'CreateInstance', 'CreateFunction', 'CreateResource', 'All'] as const;
const tablePrivileges = ['Describe', 'Select', 'Alter', 'Update', 'Drop', 'ShowHistory', 'Download', 'All'] as const;

type Grant = {user: string; object: string; privileges: string[]};
type AclFile = {users: string[]; grants: Grant[]};

/** `project` or `table/<name>`. */
type AclObject = string;

function canonicalPrivilege(name: string, allowed: readonly string[]): string | undefined {
	return allowed.find(privilege => privilege.toLowerCase() === name.toLowerCase());
}

export type AclDenial = {status: number; code: string; message: string};

export class ProjectAcl {
	readonly #file: string;
	readonly #project: string;
	readonly #identities: AlibabaIdentities;
	#state: AclFile;

	private constructor(file: string, project: string, identities: AlibabaIdentities, state: AclFile) {
		this.#file = file;
		this.#project = project;
		this.#identities = identities;
		this.#state = state;
	}

	static open(options: {dataDir: string; project: string; identities: AlibabaIdentities}): ProjectAcl {
		const file = path.join(options.dataDir, 'acl.json');
		let state: AclFile = {users: [], grants: []};
		try {
			state = JSON.parse(readFileSync(file, 'utf8')) as AclFile;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}
		}

		return new ProjectAcl(file, options.project, options.identities, state);
	}

	#save(): void {
		writeFileAtomic(this.#file, JSON.stringify(this.#state, undefined, '\t'), 0o600);
	}

	get ownerName(): string {
		return `ALIYUN$${this.#identities.accountId}`;
	}

	/** The caller as MaxCompute names it (WHOAMI, an instance's owner). */
	nameOf(principal: AlibabaPrincipal): string {
		switch (principal.kind) {
			case 'account': {
				return this.ownerName;
			}

			case 'user': {
				return `RAM$${principal.accountId}:${principal.userId}`;
			}

			default: {
				return `RAM$${principal.accountId}:role/${principal.roleName.toLowerCase()}`;
			}
		}
	}

	/** A name as a statement writes it, in its canonical form; undefined when no such account, user or role exists. */
	resolve(written: string): string | undefined {
		const name = written.trim().replace(/^`(.*)`$/, '$1');
		const uid = this.#identities.accountId;
		if (name.toUpperCase() === `ALIYUN$${uid}`) {
			return this.ownerName;
		}

		const role = new RegExp(`^RAM\\$${uid}:role/(.+)$`, 'i').exec(name);
		if (role) {
			const roleName = role[1]!.toLowerCase();
			return this.#identities.roleExists(roleName) ? `RAM$${uid}:role/${roleName}` : undefined;
		}

		const user = new RegExp(`^RAM\\$(?:${uid}:)?(.+)$`, 'i').exec(name);
		const found = user ? this.#identities.findUser(user[1]!) : undefined;
		return found ? `RAM$${uid}:${found.userId}` : undefined;
	}

	isMember(name: string): boolean {
		return name === this.ownerName || this.#state.users.includes(name);
	}

	#granted(name: string, object: AclObject): Set<string> {
		return new Set(this.#state.grants.filter(grant => grant.user === name && grant.object === object).flatMap(grant => grant.privileges));
	}

	allows(name: string, privilege: string, table?: string): boolean {
		if (name === this.ownerName) {
			return true;
		}

		if (!this.isMember(name)) {
			return false;
		}

		const granted = this.#granted(name, table === undefined ? 'project' : `table/${table.toLowerCase()}`);
		return granted.has('All') || granted.has(privilege);
	}

	#resource(table?: string): string {
		return `acs:odps:*:projects/${this.#project}${table === undefined ? '' : `/tables/${table.toLowerCase()}`}`;
	}

	/** The denial of an SQL statement, in the task's result (ODPS-0130013). */
	denial(name: string, privilege: string, table?: string): OdpsError {
		const resource = this.#resource(table);
		return new OdpsError('authorization', `Authorization Failed [4019], You have NO privilege 'odps:${privilege}' on {${resource}}. Context ID:${randomUUID()}. --->Tips: CurrentProject:${this.#project}; Pricipal:${name}; No permission 'odps:${privilege}' on resource ${resource}`);
	}

	/** The HTTP refusal of an instance (ODPS-0420095), undefined when the caller may create one. */
	instanceDenial(name: string): AclDenial | undefined {
		if (!this.isMember(name)) {
			return {status: 403, code: 'NoPermission', message: `ODPS-0420095: Access Denied - You don't exist in project ${this.#project}.`};
		}

		return this.allows(name, 'CreateInstance') ? undefined : {status: 403, code: 'NoPermission', message: `ODPS-0420095: Access Denied - You have no privilege 'odps:CreateInstance' on {${this.#resource()}}`};
	}

	/** A REST read of the project's metadata: members only, with `privilege` (when given) on the project or table. */
	readDenial(name: string, privilege: string | undefined, table?: string): AclDenial | undefined {
		if (!this.isMember(name)) {
			return {status: 403, code: 'NoPermission', message: `ODPS-0420095: Access Denied - You don't exist in project ${this.#project}.`};
		}

		return privilege === undefined || this.allows(name, privilege, table) ? undefined : {status: 403, code: 'NoPermission', message: `ODPS-0420095: Access Denied - You have no privilege 'odps:${privilege}' on {${this.#resource(table)}}`};
	}

	/** What the engine checks a statement's privileges against, for one caller. */
	access(name: string): StatementAccess {
		return {
			name,
			check: (privilege, table) => {
				if (!this.allows(name, privilege, table)) {
					throw this.denial(name, privilege, table);
				}
			},
			ownerOnly: what => {
				if (name !== this.ownerName) {
					throw new OdpsError('authorization', `Authorization Failed [4019], You have NO privilege to do the restricted operation on {${this.#resource()}}: ${what} is for the project owner. --->Tips: CurrentProject:${this.#project}; Pricipal:${name}`);
				}
			},
			security: text => this.#security(name, text),
		};
	}

	#userOf(written: string): string {
		const resolved = this.resolve(written);
		if (!resolved) {
			// The FAQ's wording for a name MaxCompute cannot map to an account ("FAILED: Invalid account Name xxxxxx").
			throw new OdpsError('semanticAnalysis', `Invalid account Name ${written.trim()}`);
		}

		return resolved;
	}

	/** ADD USER, REMOVE USER, LIST USERS, GRANT, REVOKE and SHOW GRANTS, as one statement's text. */
	#security(caller: string, text: string): string {
		const statement = text.trim().replace(/;$/, '').trim();
		const showGrants = /^show\s+grants(?:\s+for\s+(.+))?$/is.exec(statement);
		if (showGrants) {
			const target = showGrants[1] === undefined ? caller : this.#userOf(showGrants[1]);
			if (target !== caller && caller !== this.ownerName) {
				this.access(caller).ownerOnly('SHOW GRANTS FOR another user');
			}

			return this.#showGrants(target);
		}

		this.access(caller).ownerOnly(statement.split(/\s+/, 2).join(' ').toUpperCase());
		const addUser = /^add\s+user\s+(.+)$/is.exec(statement);
		if (addUser) {
			const name = this.#userOf(addUser[1]!);
			if (name !== this.ownerName && !this.#state.users.includes(name)) {
				this.#state.users.push(name);
				this.#save();
			}

			return 'OK';
		}

		const removeUser = /^remove\s+user\s+(.+)$/is.exec(statement);
		if (removeUser) {
			const name = this.#userOf(removeUser[1]!);
			// MaxCompute keeps a removed user's grants and gives them back if the user is added again ("Remove a user").
			this.#state.users = this.#state.users.filter(user => user !== name);
			this.#save();
			return 'OK';
		}

		if (/^list\s+users$/is.test(statement)) {
			return [this.ownerName, ...this.#state.users].map(user => `${user}\n`).join('');
		}

		const grant = /^(grant|revoke)\s+(.+?)\s+on\s+(project|table)\s+(\S+)\s+(to|from)\s+user\s+(.+)$/is.exec(statement);
		if (grant) {
			return this.#grant(grant[1]!.toLowerCase() === 'grant', grant[2]!, grant[3]!.toLowerCase() as 'project' | 'table', grant[4]!.replaceAll('`', ''), grant[5]!.toLowerCase(), grant[6]!);
		}

		throw new OdpsError('parse', `the local MaxCompute's ACL understands ADD USER, REMOVE USER, LIST USERS, GRANT, REVOKE and SHOW GRANTS (got: ${statement.slice(0, 80)})`);
	}

	#grant(granting: boolean, privilegeList: string, kind: 'project' | 'table', objectName: string, preposition: string, userText: string): string {
		if ((granting && preposition !== 'to') || (!granting && preposition !== 'from')) {
			throw new OdpsError('parse', `${granting ? 'GRANT … TO USER' : 'REVOKE … FROM USER'} expected`);
		}

		const allowed = kind === 'project' ? projectPrivileges : tablePrivileges;
		const privileges = privilegeList.split(',').map(item => item.trim()).filter(Boolean).map(item => {
			const privilege = canonicalPrivilege(item, allowed);
			if (!privilege) {
				throw new OdpsError('semanticAnalysis', `invalid privilege '${item}' on a ${kind}: expected ${allowed.join(', ')}`);
			}

			return privilege;
		});
		if (kind === 'project' && objectName.toLowerCase() !== this.#project.toLowerCase()) {
			throw new OdpsError('semanticAnalysis', `project ${objectName} is not the current project ${this.#project}`);
		}

		const user = this.#userOf(userText.replace(/\s+privilegeproperties\s*\(.*\)$/is, ''));
		if (!this.isMember(user)) {
			throw new OdpsError('semanticAnalysis', `user ${user} does not exist in project ${this.#project}: ADD USER first`);
		}

		const table = objectName.split('.').at(-1)!.toLowerCase();
		const object: AclObject = kind === 'project' ? 'project' : `table/${table}`;
		const others = this.#state.grants.filter(grant => !(grant.user === user && grant.object === object));
		const current = this.#granted(user, object);
		for (const privilege of privileges) {
			if (granting) {
				current.add(privilege);
			} else {
				current.delete(privilege);
			}
		}

		this.#state.grants = current.size === 0 ? others : [...others, {user, object, privileges: [...current]}];
		this.#save();
		return 'OK';
	}

	/** `SHOW GRANTS` output: the authorisation type, the user, then one `A` (allow) line per object. */
	#showGrants(user: string): string {
		const lines = ['Authorization Type: ACL', `[user/${user}]`];
		for (const grant of this.#state.grants.filter(item => item.user === user)) {
			const object = grant.object === 'project' ? `projects/${this.#project}` : `projects/${this.#project}/tables/${grant.object.slice('table/'.length)}`;
			lines.push(`A       ${object}: ${grant.privileges.join(' | ')}`);
		}

		return `${lines.join('\n')}\n`;
	}
}
