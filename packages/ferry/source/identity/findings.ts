/**
 * What preflight found about the identities a procedure needs, and what ferry would create for the missing ones. A
 * finding is data (saved in the session, shown in the plan): every missing piece with the exact console path or
 * command that fixes it by hand, and, where ferry may create it, the exact API calls with their policy documents.
 * The calls run only after the plan is accepted (`create.ts`), never broader than the finding names.
 */
import type {CreatedResource} from '../engine/wizard.js';

export type IdentityPiece = 'role' | 'trust' | 'permission' | 'association' | 'grant' | 'member' | 'account';

export type IdentityProblem = {
	piece: IdentityPiece;
	/** What is missing or wrong, e.g. "role ferry-unload does not exist". */
	text: string;
	/** How to fix it by hand: the console path, or the CLI command or statement. */
	fix: string;
	/** Whether the finding's actions fix it (a role ferry may create), or only a person can (a trust to change). */
	creatable: boolean;
};

/** The services an identity call goes to; `create.ts` runs each through the client of that service. */
export type IdentityService = 'IAM' | 'Redshift' | 'RAM' | 'MaxCompute';

export type IdentityAction = {
	/** Unique within a run: the checkpoint key of the call. */
	key: string;
	service: IdentityService;
	/** The API action (`CreateRole`), or `SQL` for a MaxCompute statement. */
	call: string;
	/** The request's parameters as sent (policy documents as their JSON text), or the statement for SQL. */
	parameters: Readonly<Record<string, string>>;
	/** The same with the vendor's CLI (aws, aliyun) or as the statement to run. */
	cli: string;
	/** What the call creates and how to remove it; absent for a call that creates nothing (a wait). */
	creates?: CreatedResource;
};

export type IdentityFinding = {
	/** e.g. `unload-role`. */
	id: string;
	/** e.g. "IAM role ferry-unload (UNLOAD writes S3)". */
	title: string;
	/** What is in place, one line each ("exists", "trusts redshift.amazonaws.com", "in-sync on cluster x"). */
	found: string[];
	problems: IdentityProblem[];
	/** What could not be decided (a condition key ferry cannot know, a check the caller may not run): said, not failed. */
	notes: string[];
	/** The calls that would fix every problem, in order; empty when something is missing that ferry must not create. */
	actions: IdentityAction[];
	/** The read calls preflight made to decide, for the plan (`IAM GetRole ferry-unload`). */
	checkedWith: string[];
};

export function newFinding(id: string, title: string): IdentityFinding {
	return {id, title, found: [], problems: [], notes: [], actions: [], checkedWith: []};
}

export function isSatisfied(finding: IdentityFinding): boolean {
	return finding.problems.length === 0;
}

/** Something is missing and the finding's calls fix all of it. */
export function isCreatable(finding: IdentityFinding): boolean {
	return finding.problems.length > 0 && finding.actions.length > 0 && finding.problems.every(problem => problem.creatable);
}

export function pendingActions(findings: readonly IdentityFinding[]): IdentityAction[] {
	return findings.flatMap(finding => finding.problems.length > 0 ? finding.actions : []);
}

/** What was found (with what was left undecided), or what is missing. */
export function findingDetail(finding: IdentityFinding): string {
	if (isSatisfied(finding)) {
		return `${finding.found.join(', ') || 'in place'}${finding.notes.length > 0 ? ` (${finding.notes.join('; ')})` : ''}`;
	}

	return finding.problems.map(problem => problem.text).join('; ');
}

/** One line for preflight's progress: ✔ with what was found, or ✖ with what is missing. */
export function findingLine(finding: IdentityFinding): string {
	return isSatisfied(finding)
		? `✔ ${finding.title}: ${findingDetail(finding)}`
		: `✖ ${finding.title}: ${findingDetail(finding)}${isCreatable(finding) ? ' (ferry can create it)' : ''}`;
}

/** `createIdentities`: whether ferry creates what is missing. */
export type CreateIdentitiesAnswer = 'ask' | 'yes' | 'no';

export type IdentityGate =
	| {ok: true; toCreate: IdentityAction[]}
	| {ok: false; message: string; hint: string; fixes: string[]; createHint?: string};

/**
 * Whether a run may go on past preflight with these findings: everything in place; or what is missing can be created
 * and creating it is accepted (`--set createIdentities=yes`, or asked with a typed confirmation after the plan in the
 * terminal UI, or shown by `ferry plan`). Otherwise the problems, each with its fix.
 */
export function identityGate(findings: readonly IdentityFinding[], answer: CreateIdentitiesAnswer, mode: 'interactive' | 'headless' | 'plan'): IdentityGate {
	const failing = findings.filter(finding => !isSatisfied(finding));
	if (failing.length === 0) {
		return {ok: true, toCreate: []};
	}

	const creatable = failing.every(finding => isCreatable(finding));
	const accepted = answer === 'yes' || (answer === 'ask' && mode !== 'headless');
	if (creatable && accepted) {
		return {ok: true, toCreate: pendingActions(findings)};
	}

	const problems = failing.flatMap(finding => finding.problems.map(problem => ({finding, problem})));
	const message = `Identities are missing: ${problems.map(({finding, problem}) => `${finding.title}: ${problem.text}`).join('; ')}`;
	const fixes = [...new Set(problems.map(({problem}) => problem.fix))];
	const createHint = creatable
		? answer === 'no'
			? 'Or let ferry create them: run again without --set createIdentities=no and accept the plan.'
			: 'Or let ferry create exactly these, scoped to this run (`ferry plan` shows the calls): --set createIdentities=yes.'
		: undefined;
	return {ok: false, message, fixes, ...(createHint ? {createHint} : {}), hint: `Fix by hand: ${fixes.join(' · ')}.${createHint ? ` ${createHint}` : ''}`};
}
