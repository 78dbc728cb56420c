/**
 * ferry's own reading of IAM and RAM policy documents, to tell whether the identities a procedure needs may do what
 * it needs when the cloud's simulator is not available (IAM SimulatePrincipalPolicy denied; RAM has none). It follows
 * the documented evaluation of both clouds: an explicit Deny wins, then an Allow, else the implicit deny; Action,
 * NotAction, Resource, NotResource and Principal with `*` and `?` wildcards (actions case-insensitively); the common
 * string, ARN and boolean condition operators with `IfExists`. What it cannot decide for certain (an operator or a
 * policy variable it does not know) is `undecided`, never guessed: preflight then says the check could not be made.
 * Identity policies only: permission boundaries, SCPs, session and resource policies are not read.
 */

export type Decision = 'allowed' | 'implicitDeny' | 'explicitDeny' | 'undecided';

export type PolicyRequest = {
	action: string;
	resource: string;
	/** Condition keys and their values, e.g. `{'s3:prefix': 'unload/'}`. */
	context?: Readonly<Record<string, string>>;
};

export type Principal = {type: 'Service' | 'AWS' | 'RAM'; name: string};

type Statement = {
	effect: 'Allow' | 'Deny';
	actions?: string[];
	notActions?: string[];
	resources?: string[];
	notResources?: string[];
	principals?: Record<string, string[]> | '*';
	conditions: Array<{operator: string; key: string; values: string[]}>;
};

export type ParsedPolicy = {statements: Statement[]};

export class PolicyReadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PolicyReadError';
	}
}

const list = (value: unknown): string[] | undefined => {
	if (value === undefined) {
		return undefined;
	}

	return (Array.isArray(value) ? value : [value]).map(String);
};

/** A policy document as IAM (URL-encoded) or RAM (plain) returns it. */
export function parsePolicyDocument(text: string): ParsedPolicy {
	let decoded = text.trim();
	if (!decoded.startsWith('{')) {
		try {
			decoded = decodeURIComponent(decoded);
		} catch {
			throw new PolicyReadError('the policy document is neither JSON nor URL-encoded JSON');
		}
	}

	let document: unknown;
	try {
		document = JSON.parse(decoded);
	} catch (error) {
		throw new PolicyReadError(`the policy document is not JSON: ${(error as Error).message}`);
	}

	const raw = (document as {Statement?: unknown}).Statement;
	const statements = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Array<Record<string, unknown>>;
	return {
		statements: statements.map(statement => {
			const effect = statement['Effect'];
			if (effect !== 'Allow' && effect !== 'Deny') {
				throw new PolicyReadError(`a statement has Effect ${JSON.stringify(effect)}, not Allow or Deny`);
			}

			const principal = statement['Principal'];
			const principals = principal === '*' ? '*' as const : principal && typeof principal === 'object'
				? Object.fromEntries(Object.entries(principal as Record<string, unknown>).map(([type, names]) => [type, list(names) ?? []]))
				: undefined;
			const conditions = Object.entries((statement['Condition'] ?? {}) as Record<string, Record<string, unknown>>)
				.flatMap(([operator, entries]) => Object.entries(entries).map(([key, values]) => ({operator, key, values: list(values) ?? []})));
			return {
				effect,
				...(statement['Action'] === undefined ? {} : {actions: list(statement['Action'])}),
				...(statement['NotAction'] === undefined ? {} : {notActions: list(statement['NotAction'])}),
				...(statement['Resource'] === undefined ? {} : {resources: list(statement['Resource'])}),
				...(statement['NotResource'] === undefined ? {} : {notResources: list(statement['NotResource'])}),
				...(principals === undefined ? {} : {principals}),
				conditions,
			};
		}),
	};
}

/** `*` any run of characters, `?` one; undefined when the pattern holds a policy variable (`${…}`). */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean | undefined {
	if (pattern.includes('${')) {
		return undefined;
	}

	const source = pattern.split('').map(char => (char === '*' ? '.*' : char === '?' ? '.' : char.replaceAll(/[.+^$()|[\]{}\\]/g, '\\$&'))).join('');
	return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

type Tri = boolean | undefined;

function any(patterns: readonly string[], value: string, ignoreCase: boolean): Tri {
	let unknown = false;
	for (const pattern of patterns) {
		const matched = wildcardMatches(pattern, value, ignoreCase);
		if (matched === true) {
			return true;
		}

		unknown ||= matched === undefined;
	}

	return unknown ? undefined : false;
}

const not = (value: Tri): Tri => (value === undefined ? undefined : !value);
const and = (...values: Tri[]): Tri => (values.includes(false) ? false : values.includes(undefined) ? undefined : true);

/** Whether one condition holds; undefined for an operator this reader does not know. */
function conditionHolds(condition: Statement['conditions'][number], context: Readonly<Record<string, string>>): Tri {
	const ifExists = condition.operator.endsWith('IfExists');
	const operator = condition.operator.replace(/IfExists$/, '').replace(/^For(Any|All)Value:/, '');
	const actual = Object.entries(context).find(([key]) => key.toLowerCase() === condition.key.toLowerCase())?.[1];
	if (operator === 'Null') {
		return condition.values.includes(String(actual === undefined));
	}

	if (actual === undefined) {
		// A missing key satisfies no positive operator; IfExists makes it pass. A negated operator on a missing key holds.
		return ifExists || operator.startsWith('StringNot') || operator.startsWith('ArnNot');
	}

	switch (operator) {
		case 'StringEquals': {
			return condition.values.includes(actual);
		}

		case 'StringNotEquals': {
			return !condition.values.includes(actual);
		}

		case 'StringEqualsIgnoreCase': {
			return condition.values.some(value => value.toLowerCase() === actual.toLowerCase());
		}

		case 'StringNotEqualsIgnoreCase': {
			return !condition.values.some(value => value.toLowerCase() === actual.toLowerCase());
		}

		case 'StringLike':
		case 'ArnLike':
		case 'ArnEquals': {
			return any(condition.values, actual, false);
		}

		case 'StringNotLike':
		case 'ArnNotLike':
		case 'ArnNotEquals': {
			return not(any(condition.values, actual, false));
		}

		case 'Bool': {
			return condition.values.some(value => value.toLowerCase() === actual.toLowerCase());
		}

		default: {
			return undefined;
		}
	}
}

function principalMatches(statement: Statement, principal: Principal | undefined): Tri {
	if (statement.principals === undefined) {
		return principal === undefined;
	}

	if (principal === undefined) {
		return false;
	}

	if (statement.principals === '*') {
		return true;
	}

	const names = Object.entries(statement.principals).find(([type]) => type.toLowerCase() === principal.type.toLowerCase())?.[1] ?? [];
	return any(names, principal.name, principal.type === 'Service');
}

function statementApplies(statement: Statement, request: PolicyRequest, principal: Principal | undefined): Tri {
	const action = statement.actions ? any(statement.actions, request.action, true) : not(any(statement.notActions ?? [], request.action, true));
	const resource = statement.resources ? any(statement.resources, request.resource, false) : statement.notResources ? not(any(statement.notResources, request.resource, false)) : principal === undefined ? false : true;
	const conditions = and(...statement.conditions.map(condition => conditionHolds(condition, request.context ?? {})));
	return and(action, resource, conditions, principalMatches(statement, principal));
}

/**
 * The decision of a set of policies for one request: an explicit Deny that applies wins; then an Allow that applies;
 * `undecided` when a statement that could change the answer cannot be read for certain.
 */
export function evaluate(policies: readonly ParsedPolicy[], request: PolicyRequest, principal?: Principal): Decision {
	let allowed: Tri = false;
	let denied: Tri = false;
	for (const statement of policies.flatMap(policy => policy.statements)) {
		const applies = statementApplies(statement, request, principal);
		if (statement.effect === 'Deny') {
			denied = applies === true ? true : denied === true ? true : applies === undefined ? undefined : denied;
		} else {
			allowed = applies === true ? true : allowed === true ? true : applies === undefined ? undefined : allowed;
		}
	}

	if (denied === true) {
		return 'explicitDeny';
	}

	if (denied === undefined) {
		return 'undecided';
	}

	return allowed === true ? 'allowed' : allowed === undefined ? 'undecided' : 'implicitDeny';
}

/** Does a trust policy let this service take the role (sts:AssumeRole)? */
export function trusts(trustPolicy: ParsedPolicy, service: string): Decision {
	return evaluate([trustPolicy], {action: 'sts:AssumeRole', resource: '*'}, {type: 'Service', name: service});
}
