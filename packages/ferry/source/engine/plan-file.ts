/**
 * A saved plan (`ferry plan … --out plan.json`): what `ferry apply` runs exactly. It holds the wizard and ferry
 * versions, every answer (secrets as references, never values), the profile and its endpoints, the source facts the
 * run depends on, the review as the plan showed it, and a SHA-256 over the canonical JSON of everything else.
 */
import {createHash} from 'node:crypto';
import {UsageError, PreflightError} from './errors.js';
import type {RowTolerance, SourceFact} from './source-facts.js';
import type {Answers, ReviewDocument} from './wizard.js';

export const planFormat = 'ferry-plan';
export const planFormatVersion = 1;

/** A secret answer in a plan: its key, so `apply` takes the value from the answers file or FERRY_SECRET_<KEY>. */
export type SecretReference = {secret: string};

export type PlanFile = {
	format: typeof planFormat;
	formatVersion: number;
	ferry: {version: string};
	wizard: {id: string; version: number};
	profile: {name: string; endpoints: Record<string, Record<string, string>>};
	answers: Record<string, unknown>;
	facts: {rowTolerance: RowTolerance; checkBefore: string[]; objects: SourceFact[]};
	review: ReviewDocument;
	/** `sha256:` and the hex digest of `canonicalJson` of the plan without this field. */
	hash: string;
};

/** JSON with object keys sorted at every level and no whitespace: the same plan always gives the same text. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) {
		return `[${value.map(item => canonicalJson(item ?? null)).join(',')}]`;
	}

	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
	}

	return JSON.stringify(value);
}

export function planHash(plan: Omit<PlanFile, 'hash'> | PlanFile): string {
	const {hash: _hash, ...content} = plan as PlanFile;
	return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
}

export function sealPlan(plan: Omit<PlanFile, 'hash'>): PlanFile {
	return {...plan, hash: planHash(plan)};
}

/** The plan's answers with each secret answer replaced by its reference. */
export function answersWithSecretReferences(answers: Answers, secretKeys: readonly string[]): Record<string, unknown> {
	return {...answers, ...Object.fromEntries(secretKeys.map(key => [key, {secret: key} satisfies SecretReference]))};
}

export function isSecretReference(value: unknown): value is SecretReference {
	return value !== null && typeof value === 'object' && Object.keys(value).length === 1 && typeof (value as SecretReference).secret === 'string';
}

/** The plan's answers and the keys of the secrets it refers to, split. */
export function splitPlanAnswers(plan: PlanFile): {answers: Answers; secretKeys: string[]} {
	const answers: Answers = {};
	const secretKeys: string[] = [];
	for (const [key, value] of Object.entries(plan.answers)) {
		if (isSecretReference(value)) {
			secretKeys.push(value.secret);
		} else {
			answers[key] = value;
		}
	}

	return {answers, secretKeys};
}

/**
 * Reads a plan file's text: refused (exit 2) when it is no plan, its hash does not match its content (it was edited
 * after it was made) or its format is newer than this ferry reads.
 */
export function parsePlanFile(text: string, file: string): PlanFile {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new UsageError(`${file} is not a plan: not valid JSON (${(error as Error).message})`, {hint: 'Make one with `ferry plan <wizard> --out plan.json`.'});
	}

	const plan = parsed as Partial<PlanFile> | null;
	if (plan === null || typeof plan !== 'object' || plan.format !== planFormat || typeof plan.hash !== 'string' || !plan.wizard || !plan.ferry || !plan.answers || !plan.facts || !plan.profile) {
		throw new UsageError(`${file} is not a ferry plan`, {hint: 'Make one with `ferry plan <wizard> --out plan.json`.'});
	}

	if (plan.formatVersion !== planFormatVersion) {
		throw new UsageError(`${file} is a plan of format ${String(plan.formatVersion)}; this ferry reads format ${planFormatVersion}`, {hint: 'Make the plan again with this ferry.'});
	}

	const expected = planHash(plan as PlanFile);
	if (expected !== plan.hash) {
		throw new UsageError(`${file} was changed after it was made: its content hash is ${expected}, the file says ${plan.hash}`, {hint: 'A plan is applied only as it was reviewed. Make it again with `ferry plan … --out`, and review it.'});
	}

	return plan as PlanFile;
}

function major(version: string): string {
	return version.split('.')[0] ?? version;
}

/** A plan made by another ferry major or another version of the wizard is not run (exit 4). */
export function checkPlanVersions(plan: PlanFile, current: {ferryVersion: string; wizardVersion: number}): void {
	if (major(plan.ferry.version) !== major(current.ferryVersion)) {
		throw new PreflightError(`The plan was made by ferry ${plan.ferry.version}; this is ferry ${current.ferryVersion}, another major version`, {hint: 'Make the plan again with this ferry and review it.'});
	}

	if (plan.wizard.version !== current.wizardVersion) {
		throw new PreflightError(`The plan was made for version ${plan.wizard.version} of ${plan.wizard.id}; this ferry has version ${current.wizardVersion}`, {hint: 'Make the plan again with this ferry and review it.'});
	}
}
