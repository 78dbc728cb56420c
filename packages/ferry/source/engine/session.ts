import {randomBytes} from 'node:crypto';
import process from 'node:process';
import type {Answers, CreatedResource} from './wizard.js';
import type {RowTolerance, SourceFact} from './source-facts.js';
import {isProcessAlive} from '../store/process-alive.js';
import {type CheckOutcome, verdictOfReport} from '../verify/outcome.js';

export const stepStates = ['pending', 'running', 'done', 'failed', 'interrupted'] as const;
export type StepState = (typeof stepStates)[number];

export type StepRecord = {
	state: StepState;
	startedAt?: string;
	finishedAt?: string;
	attempts: number;
	error?: {message: string; hint?: string};
	/** The step's own one-line outcome (`context.summary`), kept for listings and resumed runs. */
	summary?: string;
	outputs: Record<string, unknown>;
	checkpoints: Record<string, unknown>;
};

export const sessionStates = ['running', 'failed', 'interrupted', 'done', 'different'] as const;
export type SessionState = (typeof sessionStates)[number];

/** Everything needed to resume a run. Never holds a secret: those stay in the credentials file. */
export type Session = {
	id: string;
	wizard: string;
	wizardVersion: number;
	profile: string;
	createdAt: string;
	updatedAt: string;
	state: SessionState;
	currentStep?: string;
	answers: Answers;
	steps: Record<string, StepRecord>;
	/** Set when the run ends. */
	exitCode?: number;
	/** The process running the session, so a listing can tell a live run from one that was killed. */
	pid?: number;
	/** A session started by `ferry apply`: the plan it runs, and the facts it checks before the steps that depend on them. */
	plan?: SessionPlan;
	/** The audit trail's head at the last save: `ferry sessions verify-log` finds lines removed from the end with it. */
	audit?: {lines: number; hash: string};
};

export type SessionPlan = {hash: string; file: string; rowTolerance: RowTolerance; facts: SourceFact[]};

export function newSessionId(wizard: string, now = new Date()): string {
	const initials = wizard.split('-').map(part => part[0]).join('');
	const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
	return `${initials}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export function createSession(options: {wizard: string; wizardVersion: number; profile: string; stepIds: string[]; answers: Answers; now?: Date; pid?: number}): Session {
	const now = (options.now ?? new Date()).toISOString();
	return {
		id: newSessionId(options.wizard, options.now),
		wizard: options.wizard,
		wizardVersion: options.wizardVersion,
		profile: options.profile,
		createdAt: now,
		updatedAt: now,
		state: 'running',
		answers: options.answers,
		steps: Object.fromEntries(options.stepIds.map(id => [id, emptyStepRecord()])),
		// Recorded from the start, so a process killed before its first step leaves a session shown as killed.
		pid: options.pid ?? process.pid,
	};
}

export function emptyStepRecord(): StepRecord {
	return {state: 'pending', attempts: 0, outputs: {}, checkpoints: {}};
}

/**
 * The state to show: a session left "running" by a process that no longer exists was killed, and can be resumed; one
 * an older ferry called "different" though no comparison differed (its checks were interrupted or failed) is shown as
 * what it is, interrupted or failed.
 */
export function displayState(session: Session): string {
	if (session.state === 'running' && session.pid !== undefined && session.pid !== process.pid && !isProcessAlive(session.pid)) {
		return 'killed';
	}

	return session.state === 'different' ? differentAsJudged(session) : session.state;
}

function differentAsJudged(session: Session): SessionState {
	const verdicts = Object.values(session.steps).map(record => verdictOfReport(record.outputs[verificationKeys.report])).filter(verdict => verdict !== undefined);
	if (verdicts.length === 0 || verdicts.some(verdict => verdict.outcome === 'differs')) {
		return 'different';
	}

	return verdicts.some(verdict => verdict.cause === 'interrupted') ? 'interrupted' : 'failed';
}

/** The last step that finished or is under way, for listings. */
export function lastStep(session: Session): string | undefined {
	if (session.currentStep) {
		return session.currentStep;
	}

	const started = Object.entries(session.steps).filter(([, record]) => record.state !== 'pending');
	return started.at(-1)?.[0];
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stepProblem(id: string, value: unknown): string | undefined {
	if (!isRecord(value)) {
		return `step ${id} is not an object`;
	}

	if (!stepStates.includes(value['state'] as StepState)) {
		return `step ${id} has no valid state (${JSON.stringify(value['state'])})`;
	}

	if (typeof value['attempts'] !== 'number' || !Number.isInteger(value['attempts']) || value['attempts'] < 0) {
		return `step ${id} has no valid attempts count`;
	}

	for (const key of ['outputs', 'checkpoints']) {
		if (!isRecord(value[key])) {
			return `step ${id} has no ${key} object`;
		}
	}

	return undefined;
}

/**
 * Why a parsed session file is not a session ferry can run, or undefined when it is one. A file is never trusted
 * blindly: a `{}` or a hand edit gone wrong must not take down the listing of every other session.
 */
export function validateSession(value: unknown, expectedId?: string): string | undefined {
	if (!isRecord(value)) {
		return 'the file does not hold a JSON object';
	}

	for (const key of ['id', 'wizard', 'profile', 'createdAt', 'updatedAt']) {
		if (typeof value[key] !== 'string' || value[key] === '') {
			return `\`${key}\` is missing or not a string`;
		}
	}

	if (expectedId !== undefined && value['id'] !== expectedId) {
		return `it names session ${JSON.stringify(value['id'])}, not the ${expectedId} its folder is named after`;
	}

	if (typeof value['wizardVersion'] !== 'number') {
		return '`wizardVersion` is missing or not a number';
	}

	if (!sessionStates.includes(value['state'] as SessionState)) {
		return `\`state\` is not one of ${sessionStates.join(', ')} (${JSON.stringify(value['state'])})`;
	}

	if (!isRecord(value['answers'])) {
		return '`answers` is missing or not an object';
	}

	if (!isRecord(value['steps'])) {
		return '`steps` is missing or not an object';
	}

	for (const [id, record] of Object.entries(value['steps'])) {
		const problem = stepProblem(id, record);
		if (problem) {
			return problem;
		}
	}

	if (value['pid'] !== undefined && (typeof value['pid'] !== 'number' || !Number.isInteger(value['pid']))) {
		return '`pid` is not a process id';
	}

	return undefined;
}

/** Where a step keeps what it created (`StepContext.created`). */
export const createdKey = 'createdResources';

/** Everything the session's steps created, in step order. */
export function createdResourcesOf(session: Session): CreatedResource[] {
	return Object.values(session.steps).flatMap(record => (Array.isArray(record.outputs[createdKey]) ? record.outputs[createdKey] as CreatedResource[] : []));
}

/** The commands that remove what a session created, the last created first (a policy before its role). */
export function removalCommands(created: readonly CreatedResource[]): string[] {
	return [...created].reverse().map(resource => resource.removal);
}

/** The closing line of a run that created something, or undefined: where the list and the removal commands are. */
export function createdResourcesHint(session: Session): string | undefined {
	const created = createdResourcesOf(session);
	if (created.length === 0) {
		return undefined;
	}

	const names = created.map(resource => `${resource.service} ${resource.kind} ${resource.name}`);
	return `ferry created ${created.length === 1 ? 'one resource' : `${created.length} resources`} for this run (${names.join(', ')}); \`ferry sessions show ${session.id}\` lists them with the commands that remove them.`;
}

/** Where a verify step's result lives among its outputs (`verified` writes them; sessions of older ferries have them too). */
export const verificationKeys = {report: 'report', equal: 'equal'} as const;

/**
 * A verify step's saved result: its report, whether every check was equal, and its outcome by the one rule
 * (verify/outcome.ts: `differs` only when a comparison differed); undefined before it ran.
 */
export function verificationOf(record: StepRecord | undefined): {report: unknown; equal: boolean | undefined; outcome: CheckOutcome | undefined} {
	const equal = record?.outputs[verificationKeys.equal];
	const report = record?.outputs[verificationKeys.report];
	const saved = typeof equal === 'boolean' ? equal : undefined;
	const outcome = verdictOfReport(report)?.outcome ?? (saved === undefined ? undefined : (saved ? 'equal' : 'differs'));
	return {report, equal: saved, outcome};
}
