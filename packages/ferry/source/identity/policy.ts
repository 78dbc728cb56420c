/**
 * Policy documents and how they decide a request: the one evaluator of ferry's identity checks (preflight reads a
 * role's policies and decides what it may do where the cloud has no simulator) and of the local cloud's identity
 * stand-ins (IAM and STS for AWS, RAM and STS for Alibaba Cloud, and the stand-ins that enforce what those identities
 * may do), which import it as `ferry/identity/policy`. Pure: no I/O, no clock unless a condition asks for one through
 * the request context.
 *
 *   const policy = parsePolicy(text, {dialect: 'aws', kind: 'identity'});   // throws PolicyDocumentError
 *   evaluatePolicies([{id: 'unload', policy}], {action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/key'})
 *     → {decision: 'allowed' | 'explicitDeny' | 'implicitDeny', matched: [...]}
 *
 * The semantics are the vendors' documented ones (AWS IAM User Guide: policy grammar, "Policy evaluation logic",
 * "Condition operators", "Resource" wildcards, "Policy variables"; Alibaba Cloud RAM "Policy elements"):
 * - an explicit Deny in any policy wins, then any Allow, else the request is implicitly denied;
 * - actions match case-insensitively, resources case-sensitively, both with `*` and `?`; in a resource `*` stays
 *   within its colon-separated segment unless it ends the segment (then it may run on past colons);
 * - Principal/NotPrincipal are read in trust policies: `"*"`, `{"AWS": account id | ARN | "*"}`, `{"Service": …}`
 *   (AWS) and `{"RAM": ["acs:ram::uid:root"]}`, `{"Service": ["odps.aliyuncs.com"]}` (Alibaba Cloud); naming an
 *   account (its id or its `:root` ARN) delegates to that account's own policies, which the caller must then check
 *   (the match says `principalMatch: 'account'`);
 * - conditions: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress (IPv4), Arn*, Null, the
 *   `…IfExists` suffix and the `ForAnyValue:`/`ForAllValues:` qualifiers; keys are case-insensitive; a key missing
 *   from the request fails a positive operator and passes a negated one;
 * - policy variables `${key}` (and `${key, 'default'}`, `${*}`, `${?}`, `${$}`) in resources and string/ARN
 *   condition values, for AWS only under Version 2012-10-17 as IAM documents.
 *
 * Document errors carry the `problem` and, in `message`, IAM's own wording (MalformedPolicyDocument texts); a RAM
 * stand-in maps `problem` to RAM's wording.
 */

export type PolicyDialect = 'aws' | 'alibaba';
/**
 * `identity`: attached to a user or role (no Principal). `trust`: a role's trust policy (Principal, no Resource).
 * `resource`: a resource-based policy such as a bucket policy (Principal and Resource).
 */
export type PolicyKind = 'identity' | 'trust' | 'resource';

/** `'*'` (everyone) or principal values by type: AWS, Service, Federated, CanonicalUser (AWS); RAM, Service, Federated (Alibaba Cloud). */
export type PrincipalSet = '*' | Readonly<Record<string, readonly string[]>>;

export type ConditionClause = {
	/** As written, e.g. `ForAnyValue:StringLikeIfExists`. */
	operator: string;
	key: string;
	values: readonly string[];
};

/** A position in the document text: 1-based line and column. */
export type TextPosition = {line: number; column: number};

export type PolicyStatement = {
	sid?: string;
	effect: 'Allow' | 'Deny';
	action?: readonly string[];
	notAction?: readonly string[];
	resource?: readonly string[];
	notResource?: readonly string[];
	principal?: PrincipalSet;
	notPrincipal?: PrincipalSet;
	conditions: readonly ConditionClause[];
	/** Where the statement's object starts (its `{`) and ends (just past its `}`), for SimulatePrincipalPolicy's MatchedStatements. */
	start: TextPosition;
	end: TextPosition;
};

export type Policy = {
	dialect: PolicyDialect;
	kind: PolicyKind;
	version?: string;
	id?: string;
	statements: readonly PolicyStatement[];
};

export type PolicyProblem =
	| 'syntax' | 'version' | 'effect' | 'principal-not-allowed' | 'principal-missing' | 'principal-invalid'
	| 'resource-not-allowed' | 'actions-missing' | 'resources-missing' | 'action-format' | 'trust-action' | 'resource-format';

export class PolicyDocumentError extends Error {
	readonly problem: PolicyProblem;
	constructor(problem: PolicyProblem, message: string) {
		super(message);
		this.name = 'PolicyDocumentError';
		this.problem = problem;
	}
}

/** Who is asking, for trust (resource-based) policies. */
export type RequestPrincipal =
	/** A service principal, e.g. `redshift.amazonaws.com`, `odps.aliyuncs.com`. */
	| {type: 'Service'; name: string}
	/** An account's root or one of its identities: `arn` is the caller's ARN, `alsoKnownAs` other ARNs that name it (a session's role). */
	| {type: 'AWS' | 'RAM'; account: string; arn: string; alsoKnownAs?: readonly string[]};

export type AuthorizationRequest = {
	/** `service:Action`, e.g. `s3:PutObject`. */
	action: string;
	/** The resource's ARN; `*` for actions that take none. */
	resource: string;
	/** Needed when a policy names principals (trust policies). */
	principal?: RequestPrincipal;
	/** Condition keys and their values (keys are case-insensitive), e.g. `{'aws:username': 'bob', 's3:prefix': 'unload/'}`. */
	context?: Readonly<Record<string, string | readonly string[]>>;
};

/** A policy and how results name it: `id` is SimulatePrincipalPolicy's SourcePolicyId, `type` its SourcePolicyType. */
export type SourcedPolicy = {id: string; type?: string; policy: Policy};

export type MatchedStatement = {
	policyId: string;
	policyType?: string;
	statement: PolicyStatement;
	/** For statements that name principals: the caller itself, or its account (delegated to the account's policies). */
	principalMatch?: 'principal' | 'account';
};

export type PolicyDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export type PolicyEvaluation = {
	decision: PolicyDecision;
	/** The statements that decided: the matching Deny statements when denied explicitly, else the matching Allow ones. */
	matched: readonly MatchedStatement[];
	/**
	 * Condition keys the request did not carry that kept a statement from applying (SimulatePrincipalPolicy's
	 * MissingContextValues): with them the decision might differ, so a checker cannot call it final.
	 */
	missingContextKeys: readonly string[];
};

// ---------------------------------------------------------------------------------------------------------------
// Parsing

const awsVersions = new Set(['2012-10-17', '2008-10-17']);
const statementFields = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const principalTypes: Record<PolicyDialect, ReadonlySet<string>> = {
	aws: new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']),
	alibaba: new Set(['RAM', 'Service', 'Federated']),
};

const conditionBases = new Set([
	'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
	'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
	'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
	'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

const syntaxError = () => new PolicyDocumentError('syntax', 'Syntax errors in policy.');

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An element that is one string or a non-empty list of strings. */
function stringList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : [value];
	if (list.length === 0 || list.some(item => typeof item !== 'string')) {
		throw syntaxError();
	}

	return list as string[];
}

/** Offsets of each statement object in the text: the one object, or each element of the array, under top-level "Statement". */
function statementRanges(text: string): Array<[number, number]> {
	let index = 0;
	const skipSpace = () => {
		while (index < text.length && /\s/.test(text[index]!)) {
			index++;
		}
	};

	const skipString = () => {
		index++;
		while (index < text.length && text[index] !== '"') {
			index += text[index] === '\\' ? 2 : 1;
		}

		index++;
	};

	const readString = () => {
		const start = index;
		skipString();
		return JSON.parse(text.slice(start, index)) as string;
	};

	const skipValue = (): [number, number] => {
		skipSpace();
		const start = index;
		if (text[index] === '"') {
			skipString();
		} else if (text[index] === '{' || text[index] === '[') {
			let depth = 0;
			do {
				const character = text[index];
				if (character === '"') {
					skipString();
					continue;
				}

				if (character === '{' || character === '[') {
					depth++;
				} else if (character === '}' || character === ']') {
					depth--;
				}

				index++;
			} while (depth > 0 && index < text.length);
		} else {
			while (index < text.length && !/[\s,}\]]/.test(text[index]!)) {
				index++;
			}
		}

		return [start, index];
	};

	skipSpace();
	index++; // the document's `{`
	for (;;) {
		skipSpace();
		if (text[index] !== '"') {
			return [];
		}

		const key = readString();
		skipSpace();
		index++; // `:`
		skipSpace();
		if (key === 'Statement') {
			if (text[index] === '{') {
				return [skipValue()];
			}

			const ranges: Array<[number, number]> = [];
			index++; // `[`
			for (;;) {
				skipSpace();
				if (text[index] === ']' || index >= text.length) {
					return ranges;
				}

				ranges.push(skipValue());
				skipSpace();
				if (text[index] === ',') {
					index++;
				}
			}
		}

		skipValue();
		skipSpace();
		if (text[index] !== ',') {
			return [];
		}

		index++;
	}
}

function positionAt(text: string, offset: number): TextPosition {
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	return {line, column: offset - (before.lastIndexOf('\n') + 1) + 1};
}

function parsePrincipal(value: unknown, dialect: PolicyDialect): PrincipalSet {
	if (value === '*') {
		return '*';
	}

	if (!isRecord(value) || Object.keys(value).length === 0) {
		throw syntaxError();
	}

	const set: Record<string, string[]> = {};
	for (const [type, entries] of Object.entries(value)) {
		if (!principalTypes[dialect].has(type)) {
			throw new PolicyDocumentError('principal-invalid', `Invalid principal in policy: "${type}":${JSON.stringify(entries)}`);
		}

		set[type] = stringList(entries);
	}

	return set;
}

function parseConditions(value: unknown): ConditionClause[] {
	if (value === undefined) {
		return [];
	}

	if (!isRecord(value)) {
		throw syntaxError();
	}

	const clauses: ConditionClause[] = [];
	for (const [operator, block] of Object.entries(value)) {
		const {base} = splitOperator(operator);
		if (!conditionBases.has(base) || (base === 'Null' && operator.endsWith('IfExists')) || !isRecord(block)) {
			throw syntaxError();
		}

		for (const [key, values] of Object.entries(block)) {
			const list = Array.isArray(values) ? values : [values];
			if (list.length === 0 || list.some(item => !['string', 'boolean', 'number'].includes(typeof item))) {
				throw syntaxError();
			}

			clauses.push({operator, key, values: list.map(String)});
		}
	}

	return clauses;
}

function checkAction(action: string, kind: PolicyKind): void {
	if (action === '*') {
		return;
	}

	const colons = action.split(':').length - 1;
	if (colons === 0) {
		throw new PolicyDocumentError('action-format', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
	}

	if (colons > 1) {
		throw new PolicyDocumentError('action-format', 'Actions/Condition can contain only one colon.');
	}

	if (kind === 'trust' && !/^sts:/i.test(action)) {
		throw new PolicyDocumentError('trust-action', 'AssumeRole policy may only specify STS AssumeRole actions.');
	}
}

function checkResource(resource: string, dialect: PolicyDialect): void {
	// At least the service ("vendor"), after AWS's partition; a trailing `*` may stand for the segments after it.
	const shape = dialect === 'aws' ? /^arn:[^:]*:[a-z0-9-]+(:|$)/ : /^acs:[a-z0-9-]+(:|$)/;
	if (resource !== '*' && !shape.test(resource)) {
		throw new PolicyDocumentError('resource-format', `Resource ${resource} must be in ARN format or "*".`);
	}
}

function parseStatement(raw: unknown, options: {dialect: PolicyDialect; kind: PolicyKind}, range: [number, number] | undefined, text: string): PolicyStatement {
	if (!isRecord(raw) || Object.keys(raw).some(key => !statementFields.has(key))) {
		throw syntaxError();
	}

	if (raw['Effect'] !== 'Allow' && raw['Effect'] !== 'Deny') {
		throw raw['Effect'] === undefined ? new PolicyDocumentError('effect', 'Missing required field Effect.') : new PolicyDocumentError('effect', `Invalid effect: ${String(raw['Effect'])}`);
	}

	if ((raw['Action'] !== undefined && raw['NotAction'] !== undefined) || (raw['Resource'] !== undefined && raw['NotResource'] !== undefined) || (raw['Principal'] !== undefined && raw['NotPrincipal'] !== undefined)) {
		throw syntaxError();
	}

	if (raw['Sid'] !== undefined && typeof raw['Sid'] !== 'string') {
		throw syntaxError();
	}

	const hasPrincipal = raw['Principal'] !== undefined || raw['NotPrincipal'] !== undefined;
	const hasResource = raw['Resource'] !== undefined || raw['NotResource'] !== undefined;
	if (options.kind === 'identity' && hasPrincipal) {
		throw new PolicyDocumentError('principal-not-allowed', 'Policy document should not specify a principal.');
	}

	if (options.kind === 'trust' && hasResource) {
		throw new PolicyDocumentError('resource-not-allowed', `Has prohibited field ${raw['Resource'] === undefined ? 'NotResource' : 'Resource'}.`);
	}

	if (raw['Action'] === undefined && raw['NotAction'] === undefined) {
		throw new PolicyDocumentError('actions-missing', 'Policy statement must contain actions.');
	}

	if (options.kind !== 'trust' && !hasResource) {
		throw new PolicyDocumentError('resources-missing', 'Policy statement must contain resources.');
	}

	if (options.kind !== 'identity' && !hasPrincipal) {
		throw new PolicyDocumentError('principal-missing', 'Missing required field Principal.');
	}

	const statement: PolicyStatement = {
		effect: raw['Effect'],
		conditions: parseConditions(raw['Condition']),
		start: positionAt(text, range?.[0] ?? 0),
		end: positionAt(text, range?.[1] ?? text.length),
		...(typeof raw['Sid'] === 'string' ? {sid: raw['Sid']} : {}),
	};
	for (const field of ['Action', 'NotAction'] as const) {
		if (raw[field] !== undefined) {
			const actions = stringList(raw[field]);
			for (const action of actions) {
				checkAction(action, options.kind);
			}

			statement[field === 'Action' ? 'action' : 'notAction'] = actions;
		}
	}

	for (const field of ['Resource', 'NotResource'] as const) {
		if (raw[field] !== undefined) {
			const resources = stringList(raw[field]);
			for (const resource of resources) {
				checkResource(resource, options.dialect);
			}

			statement[field === 'Resource' ? 'resource' : 'notResource'] = resources;
		}
	}

	if (raw['Principal'] !== undefined) {
		statement.principal = parsePrincipal(raw['Principal'], options.dialect);
	}

	if (raw['NotPrincipal'] !== undefined) {
		statement.notPrincipal = parsePrincipal(raw['NotPrincipal'], options.dialect);
	}

	return statement;
}

/**
 * Reads a policy document and checks it the way IAM (or RAM) does before storing it. Throws PolicyDocumentError.
 * Limits on size and the existence of named principals are the stand-ins' business, not the grammar's.
 */
export function parsePolicy(text: string, options: {dialect: PolicyDialect; kind: PolicyKind}): Policy {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw syntaxError();
	}

	if (!isRecord(raw) || Object.keys(raw).some(key => !['Version', 'Id', 'Statement'].includes(key))) {
		throw syntaxError();
	}

	const version = raw['Version'];
	if (version !== undefined && (typeof version !== 'string' || !(options.dialect === 'aws' ? awsVersions.has(version) : version === '1'))) {
		throw new PolicyDocumentError('version', 'The policy failed legacy parsing');
	}

	if (options.dialect === 'alibaba' && version === undefined) {
		throw new PolicyDocumentError('version', 'The policy failed legacy parsing');
	}

	const rawStatements = raw['Statement'];
	if (rawStatements === undefined || (Array.isArray(rawStatements) && rawStatements.length === 0)) {
		throw syntaxError();
	}

	const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
	const ranges = statementRanges(text);
	const statements = list.map((statement, index) => parseStatement(statement, options, ranges[index], text));
	return {
		dialect: options.dialect,
		kind: options.kind,
		statements,
		...(typeof version === 'string' ? {version} : {}),
		...(typeof raw['Id'] === 'string' ? {id: raw['Id']} : {}),
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

type PatternPart = {literal: string} | {wildcard: '*' | '?'};

type Context = {get(key: string): readonly string[] | undefined};

function contextOf(request: AuthorizationRequest): Context {
	const values = new Map<string, readonly string[]>();
	for (const [key, value] of Object.entries(request.context ?? {})) {
		values.set(key.toLowerCase(), typeof value === 'string' ? [value] : value);
	}

	return {get: key => values.get(key.toLowerCase())};
}

/** Splits a pattern into literals and wildcards, replacing policy variables when the policy's version has them. */
function patternParts(pattern: string, variables: Context | undefined): PatternPart[] | undefined {
	const parts: PatternPart[] = [];
	let index = 0;
	while (index < pattern.length) {
		const character = pattern[index]!;
		if (variables && character === '$' && pattern[index + 1] === '{') {
			const close = pattern.indexOf('}', index);
			if (close !== -1) {
				const inner = pattern.slice(index + 2, close);
				index = close + 1;
				if (inner === '*' || inner === '?' || inner === '$') {
					parts.push({literal: inner});
					continue;
				}

				const match = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
				const value = match ? variables.get(match[1]!)?.[0] ?? match[2] : undefined;
				if (value === undefined) {
					// A variable with no value makes the element match nothing (IAM: "the policy … doesn't match").
					return undefined;
				}

				parts.push({literal: value});
				continue;
			}
		}

		parts.push(character === '*' || character === '?' ? {wildcard: character} : {literal: character});
		index++;
	}

	return parts;
}

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function globRegExp(parts: readonly PatternPart[], options: {ignoreCase: boolean; segments: boolean}): RegExp {
	const source = parts.map((part, index) => {
		if ('literal' in part) {
			return escapeRegExp(part.literal);
		}

		if (!options.segments) {
			return part.wildcard === '*' ? '.*' : '.';
		}

		// In an ARN a wildcard stays within its segment, except a `*` that ends one (IAM User Guide, Resource).
		const next = parts[index + 1];
		const endsSegment = next === undefined || ('literal' in next && next.literal === ':');
		return part.wildcard === '*' ? (endsSegment ? '.*' : '[^:]*') : '[^:]';
	}).join('');
	return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's');
}

function globMatches(pattern: string, value: string, options: {ignoreCase: boolean; segments: boolean; variables?: Context}): boolean {
	const parts = patternParts(pattern, options.variables);
	return parts !== undefined && globRegExp(parts, options).test(value);
}

function actionMatches(pattern: string, action: string): boolean {
	return globMatches(pattern, action, {ignoreCase: true, segments: false});
}

function resourceMatches(pattern: string, resource: string, variables: Context | undefined): boolean {
	return globMatches(pattern, resource, {ignoreCase: false, segments: true, variables});
}

/** ArnLike and friends: the six colon-separated parts are compared one by one (the last takes the rest). */
function arnParts(arn: string): string[] {
	const parts = arn.split(':');
	return parts.length > 6 ? [...parts.slice(0, 5), parts.slice(5).join(':')] : parts;
}

function arnMatches(pattern: string, arn: string, like: boolean, variables: Context | undefined): boolean {
	const patterns = arnParts(pattern);
	const values = arnParts(arn);
	return patterns.length === values.length && patterns.every((part, index) => like
		? globMatches(part, values[index]!, {ignoreCase: false, segments: false, variables})
		: part === values[index]);
}

function ipv4(text: string): number | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const octets = match.slice(1).map(Number);
	return octets.every(octet => octet <= 255) ? octets.reduce((sum, octet) => (sum * 256) + octet, 0) : undefined;
}

function inCidr(address: string, cidr: string): boolean {
	const [network = '', bitsText = '32'] = cidr.split('/');
	const value = ipv4(address);
	const base = ipv4(network);
	const bits = Number(bitsText);
	if (value === undefined || base === undefined || !(bits >= 0 && bits <= 32)) {
		return false;
	}

	const size = 2 ** (32 - bits);
	return Math.floor(value / size) === Math.floor(base / size);
}

function dateValue(text: string): number {
	return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

function splitOperator(operator: string): {qualifier?: 'ForAnyValue' | 'ForAllValues'; base: string; ifExists: boolean} {
	let rest = operator;
	let qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
	for (const candidate of ['ForAnyValue', 'ForAllValues'] as const) {
		if (rest.startsWith(`${candidate}:`)) {
			qualifier = candidate;
			rest = rest.slice(candidate.length + 1);
		}
	}

	const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
	const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
	return {...(qualifier ? {qualifier} : {}), base, ifExists};
}

const negatedBases = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike']);

/** Whether one request value matches one policy value under the operator's positive form. */
function valueMatches(base: string, value: string, expected: string, variables: Context | undefined): boolean {
	const numeric = (compare: (a: number, b: number) => boolean) => {
		const a = Number(value);
		const b = Number(expected);
		return !Number.isNaN(a) && !Number.isNaN(b) && compare(a, b);
	};

	const date = (compare: (a: number, b: number) => boolean) => {
		const a = dateValue(value);
		const b = dateValue(expected);
		return !Number.isNaN(a) && !Number.isNaN(b) && compare(a, b);
	};

	const substituted = () => {
		const parts = patternParts(expected, variables);
		return parts?.map(part => ('literal' in part ? part.literal : part.wildcard)).join('');
	};

	switch (base) {
		case 'StringEquals':
		case 'StringNotEquals': {
			return substituted() === value;
		}

		case 'StringEqualsIgnoreCase':
		case 'StringNotEqualsIgnoreCase': {
			return substituted()?.toLowerCase() === value.toLowerCase();
		}

		case 'StringLike':
		case 'StringNotLike': {
			return globMatches(expected, value, {ignoreCase: false, segments: false, variables});
		}

		case 'NumericEquals':
		case 'NumericNotEquals': {
			return numeric((a, b) => a === b);
		}

		case 'NumericLessThan': {
			return numeric((a, b) => a < b);
		}

		case 'NumericLessThanEquals': {
			return numeric((a, b) => a <= b);
		}

		case 'NumericGreaterThan': {
			return numeric((a, b) => a > b);
		}

		case 'NumericGreaterThanEquals': {
			return numeric((a, b) => a >= b);
		}

		case 'DateEquals':
		case 'DateNotEquals': {
			return date((a, b) => a === b);
		}

		case 'DateLessThan': {
			return date((a, b) => a < b);
		}

		case 'DateLessThanEquals': {
			return date((a, b) => a <= b);
		}

		case 'DateGreaterThan': {
			return date((a, b) => a > b);
		}

		case 'DateGreaterThanEquals': {
			return date((a, b) => a >= b);
		}

		case 'Bool': {
			return value.toLowerCase() === expected.toLowerCase();
		}

		case 'BinaryEquals': {
			return value === expected;
		}

		case 'IpAddress':
		case 'NotIpAddress': {
			return inCidr(value, expected);
		}

		case 'ArnEquals':
		case 'ArnNotEquals': {
			return arnMatches(expected, value, false, variables);
		}

		case 'ArnLike':
		case 'ArnNotLike': {
			return arnMatches(expected, value, true, variables);
		}

		default: {
			return false;
		}
	}
}

function conditionHolds(clause: ConditionClause, context: Context, variables: Context | undefined): boolean {
	const {qualifier, base, ifExists} = splitOperator(clause.operator);
	const present = context.get(clause.key);
	if (base === 'Null') {
		const missing = present === undefined || present.length === 0;
		return clause.values.some(expected => (expected.toLowerCase() === 'true') === missing);
	}

	const negated = negatedBases.has(base);
	const positive = (value: string) => clause.values.some(expected => valueMatches(base, value, expected, variables));
	if (present === undefined || present.length === 0) {
		if (qualifier === 'ForAllValues') {
			return true;
		}

		return ifExists || (qualifier === undefined && negated);
	}

	if (qualifier === 'ForAllValues') {
		return present.every(value => (negated ? !positive(value) : positive(value)));
	}

	if (qualifier === 'ForAnyValue') {
		return present.some(value => (negated ? !positive(value) : positive(value)));
	}

	const matches = present.some(value => positive(value));
	return negated ? !matches : matches;
}

/** The root ARN of an account, in the dialect's own form. */
export function accountRootArn(dialect: PolicyDialect, account: string): string {
	return dialect === 'aws' ? `arn:aws:iam::${account}:root` : `acs:ram::${account}:root`;
}

function principalSetMatches(set: PrincipalSet, principal: RequestPrincipal | undefined, dialect: PolicyDialect): 'principal' | 'account' | undefined {
	if (set === '*') {
		return 'principal';
	}

	if (!principal) {
		return undefined;
	}

	if (principal.type === 'Service') {
		return set['Service']?.some(name => name.toLowerCase() === principal.name.toLowerCase()) ? 'principal' : undefined;
	}

	const names = [principal.arn, ...(principal.alsoKnownAs ?? [])];
	let match: 'principal' | 'account' | undefined;
	for (const entry of set[principal.type] ?? []) {
		if (entry === '*' || names.includes(entry)) {
			return 'principal';
		}

		if (entry === principal.account || entry === accountRootArn(dialect, principal.account)) {
			// The account's root itself is the principal; anyone else in the account is delegated to its policies.
			match = principal.arn === accountRootArn(dialect, principal.account) ? 'principal' : 'account';
		}
	}

	return match;
}

function statementApplies(statement: PolicyStatement, request: AuthorizationRequest, context: Context, policy: Policy): {applies: boolean; principalMatch?: 'principal' | 'account'; missing?: readonly string[]} {
	const variables = policy.dialect === 'aws' && policy.version === '2012-10-17' ? context : undefined;
	const actionMatched = statement.action
		? statement.action.some(pattern => actionMatches(pattern, request.action))
		: !statement.notAction!.some(pattern => actionMatches(pattern, request.action));
	if (!actionMatched) {
		return {applies: false};
	}

	if (statement.resource && !statement.resource.some(pattern => resourceMatches(pattern, request.resource, variables))) {
		return {applies: false};
	}

	if (statement.notResource?.some(pattern => resourceMatches(pattern, request.resource, variables))) {
		return {applies: false};
	}

	let principalMatch: 'principal' | 'account' | undefined;
	if (statement.principal) {
		principalMatch = principalSetMatches(statement.principal, request.principal, policy.dialect);
		if (!principalMatch) {
			return {applies: false};
		}
	}

	if (statement.notPrincipal) {
		if (principalSetMatches(statement.notPrincipal, request.principal, policy.dialect) === 'principal') {
			return {applies: false};
		}

		principalMatch = 'principal';
	}

	const failed = statement.conditions.filter(clause => !conditionHolds(clause, context, variables));
	if (failed.length > 0) {
		return {applies: false, missing: failed.map(clause => clause.key).filter(key => context.get(key) === undefined)};
	}

	return {applies: true, ...(principalMatch ? {principalMatch} : {})};
}

/**
 * Decides one request against every policy that applies to it (identity policies, or a trust policy): explicit
 * deny, else allow, else implicit deny. Permission boundaries, SCPs and session policies are not modelled.
 */
export function evaluatePolicies(policies: readonly SourcedPolicy[], request: AuthorizationRequest): PolicyEvaluation {
	const context = contextOf(request);
	const allows: MatchedStatement[] = [];
	const denies: MatchedStatement[] = [];
	const missing = new Set<string>();
	for (const {id, type, policy} of policies) {
		for (const statement of policy.statements) {
			const result = statementApplies(statement, request, context, policy);
			if (result.applies) {
				(statement.effect === 'Deny' ? denies : allows).push({policyId: id, statement, ...(type ? {policyType: type} : {}), ...(result.principalMatch ? {principalMatch: result.principalMatch} : {})});
			}

			for (const key of result.missing ?? []) {
				missing.add(key);
			}
		}
	}

	const missingContextKeys = [...missing];
	if (denies.length > 0) {
		return {decision: 'explicitDeny', matched: denies, missingContextKeys};
	}

	return allows.length > 0 ? {decision: 'allowed', matched: allows, missingContextKeys} : {decision: 'implicitDeny', matched: [], missingContextKeys};
}
