/**
 * The MaxCompute privileges an account other than the project owner needs for a run (the DataConnector's: CreateInstance
 * on the project; Describe, Alter and Update on the table), read from the project's ACL (`SHOW GRANTS [FOR …]`, `LIST
 * USERS`) and, where the checking account may grant them, the statements that would (`ADD USER`, `GRANT … TO USER`).
 * The owner may do everything and needs no grant.
 */
import type {MaxComputeClient} from '../clouds/maxcompute/client.js';
import {quoteMaxComputeIdentifier} from '../clouds/maxcompute/ddl.js';
import {newFinding, type IdentityAction, type IdentityFinding} from './findings.js';

export type GrantsRequirement = {
	id: string;
	purpose: string;
	/** The account as MaxCompute names it: `ALIYUN$<uid>`, `RAM$<uid>:<user name>`. */
	account: string;
	/** Other names the same account goes by in the ACL's listings (`RAM$<uid>:<user id>`). */
	aliases?: readonly string[];
	project: string;
	projectPrivileges: readonly string[];
	table: string;
	tablePrivileges: readonly string[];
	/** The table is created by this run: nobody holds privileges on it yet. */
	tableIsNew: boolean;
	/** The checking client is this account itself (it cannot grant itself anything). */
	self: boolean;
};

/** The privileges `SHOW GRANTS` lists as allowed (`A`) and denied (`D`), by object (`project` or `table/<name>`). */
export type GrantListing = {allowed: Map<string, Set<string>>; denied: Map<string, Set<string>>};

/** Reads `SHOW GRANTS` output: `A       projects/p/tables/t: Describe | Alter` lines under each user or role block. */
export function parseGrants(text: string, project: string): GrantListing {
	const listing: GrantListing = {allowed: new Map(), denied: new Map()};
	for (const line of text.split('\n')) {
		const match = /^\s*([AD])\s+projects\/([^/:\s]+)(?:\/tables\/([^:\s]+))?\s*:\s*(.+)$/.exec(line);
		if (!match || match[2]!.toLowerCase() !== project.toLowerCase()) {
			continue;
		}

		const object = match[3] === undefined ? 'project' : `table/${match[3].toLowerCase()}`;
		const target = match[1] === 'A' ? listing.allowed : listing.denied;
		const privileges = target.get(object) ?? new Set<string>();
		for (const privilege of match[4]!.split('|').map(item => item.trim().toLowerCase()).filter(Boolean)) {
			privileges.add(privilege);
		}

		target.set(object, privileges);
	}

	return listing;
}

function holds(listing: GrantListing, object: string, privilege: string): boolean {
	const objects = object === 'project' ? ['project'] : [object, 'table/*'];
	const has = (map: Map<string, Set<string>>) => objects.some(name => {
		const privileges = map.get(name);
		return privileges !== undefined && (privileges.has(privilege.toLowerCase()) || privileges.has('all') || privileges.has('*'));
	});
	return has(listing.allowed) && !has(listing.denied);
}

/** The privileges of `wanted` the listing does not allow. */
export function missingPrivileges(listing: GrantListing, object: string, wanted: readonly string[]): string[] {
	return wanted.filter(privilege => !holds(listing, object, privilege));
}

export function grantStatement(privileges: readonly string[], object: {kind: 'project' | 'table'; name: string}, account: string): string {
	return `GRANT ${privileges.join(', ')} ON ${object.kind.toUpperCase()} ${object.kind === 'table' ? quoteMaxComputeIdentifier(object.name) : object.name} TO USER ${account};`;
}

export function revokeStatement(privileges: readonly string[], object: {kind: 'project' | 'table'; name: string}, account: string): string {
	return `REVOKE ${privileges.join(', ')} ON ${object.kind.toUpperCase()} ${object.kind === 'table' ? quoteMaxComputeIdentifier(object.name) : object.name} FROM USER ${account};`;
}

function sqlAction(key: string, statement: string, creates: IdentityAction['creates']): IdentityAction {
	return {key, service: 'MaxCompute', call: 'SQL', parameters: {Statement: statement}, cli: statement, ...(creates ? {creates} : {})};
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export async function checkMaxComputeGrants(requirement: GrantsRequirement, maxcompute: MaxComputeClient, signal: AbortSignal): Promise<IdentityFinding> {
	const {account, project, table} = requirement;
	const finding = newFinding(requirement.id, `MaxCompute account ${account} (${requirement.purpose})`);
	const names = [account, ...(requirement.aliases ?? [])];
	finding.checkedWith.push(`MaxCompute GetProject ${project}`);
	const owner = (await maxcompute.getProject({signal})).owner;
	if (owner !== undefined && names.some(name => sameName(name, owner))) {
		finding.found.push(`owns project ${project}: every privilege`);
		return finding;
	}

	const actions: IdentityAction[] = [];
	const ownerFix = (statement: string) => (requirement.self ? `the project owner runs \`${statement}\`` : `\`${statement}\``);
	if (!requirement.self) {
		finding.checkedWith.push('MaxCompute LIST USERS');
		const members = (await maxcompute.runSql('LIST USERS;', {signal})).text.split('\n').map(line => line.trim()).filter(Boolean);
		if (!members.some(member => names.some(name => sameName(name, member)))) {
			const statement = `ADD USER ${account};`;
			finding.problems.push({piece: 'member', text: `not a member of project ${project}`, fix: ownerFix(statement), creatable: true});
			actions.push(sqlAction(`maxcompute:add-user:${account}`, statement, {service: 'MaxCompute', kind: 'project member', name: `${account} in ${project}`, removal: `REMOVE USER ${account};`}));
		}
	}

	finding.checkedWith.push(`MaxCompute ${requirement.self ? 'SHOW GRANTS' : `SHOW GRANTS FOR ${account}`}`);
	const listing = parseGrants((await maxcompute.runSql(requirement.self ? 'SHOW GRANTS;' : `SHOW GRANTS FOR ${account};`, {signal})).text, project);
	const wanted: Array<{kind: 'project' | 'table'; name: string; object: string; privileges: readonly string[]}> = [
		{kind: 'project', name: project, object: 'project', privileges: requirement.projectPrivileges},
		{kind: 'table', name: table, object: `table/${table.toLowerCase()}`, privileges: requirement.tablePrivileges},
	];
	for (const {kind, name, object, privileges} of wanted.filter(item => item.privileges.length > 0)) {
		const missing = requirement.tableIsNew && kind === 'table' ? [...privileges] : missingPrivileges(listing, object, privileges);
		if (missing.length === 0) {
			finding.found.push(`${privileges.join(', ')} on ${kind} ${name}`);
			continue;
		}

		const statement = grantStatement(missing, {kind, name}, account);
		finding.problems.push({piece: 'grant', text: `lacks ${missing.join(', ')} on ${kind} ${name}${requirement.tableIsNew && kind === 'table' ? ' (created by this run)' : ''}`, fix: ownerFix(statement), creatable: !requirement.self});
		actions.push(sqlAction(`maxcompute:grant:${kind}:${name}:${account}`, statement, {service: 'MaxCompute', kind: 'grant', name: `${missing.join(', ')} on ${kind} ${name} to ${account}`, removal: revokeStatement(missing, {kind, name}, account)}));
	}

	finding.actions = requirement.self ? [] : actions;
	return finding;
}
