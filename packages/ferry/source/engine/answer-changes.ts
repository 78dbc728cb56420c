import {closestMatch} from './closest-match.js';
import {profileSettings} from '../store/profiles.js';
import {UsageError} from './errors.js';
import {AnswerError, parseAnswer, validateAnswers} from './parameters.js';
import {emptyStepRecord, type Session, type StepRecord} from './session.js';
import type {Answers, Step, StepOutputs, Wizard} from './wizard.js';

export type AnswerChange = {key: string; from: unknown; to: unknown; secret: boolean};

export type AnswerChanges = {
	changes: AnswerChange[];
	/** Steps set back to pending because they ran with an answer that changed, in order. */
	reset: string[];
};

function outputsOf(session: Session): StepOutputs {
	return Object.fromEntries(Object.entries(session.steps).map(([id, record]) => [id, record.outputs]));
}

/**
 * Changes answers of a saved session (`ferry resume ID --set key=value`), validated as `ferry run` validates them,
 * with what the session has learnt since (e.g. the discovered tables). Every step from the first one that asks a
 * changed answer ran with the old value, so it is set back to pending, its outputs and checkpoints dropped; its
 * attempts stay, so a step that would duplicate data still asks before it runs again. A replaced secret is recorded
 * as a change but sets no step back. Returns what changed.
 */
/** Whether a step has done remote work this session knows of: it finished, or recorded a checkpoint on the way. */
function hasWritten(record: StepRecord | undefined): boolean {
	return record !== undefined && (record.state === 'done' || Object.values(record.checkpoints).some(value => value !== undefined && value !== null));
}

/**
 * A change that would set back a step whose run from the start duplicates data (its `rerunFromStart`, else its
 * `rerun` policy, is `duplicates`) after it wrote anything is refused, with the reason and what to do instead: the
 * session is left as it was. Run again, that step would write its data a second time (into a new topic that syncs
 * into the same table, or the same logs again), which no later step can undo.
 */
function refuseDuplicatingReset(options: {wizard: Wizard<unknown>; session: Session; steps: ReadonlyArray<Step<unknown>>; changed: string[]}): void {
	const {wizard, session} = options;
	const blocking = options.steps.find(step => (step.rerunFromStart ?? step.rerun) === 'duplicates' && hasWritten(session.steps[step.id]));
	if (!blocking) {
		return;
	}

	const record = session.steps[blocking.id]!;
	const keys = options.changed.join(', ');
	const how = options.changed.map(key => `--set ${key}=…`).join(' ');
	throw new UsageError(
		`Cannot change ${keys} of session ${session.id}: "${blocking.title}" already ${record.state === 'done' ? 'ran' : 'wrote part of its data'} with the old ${options.changed.length === 1 ? 'answer' : 'answers'}, and running it again with the new one would write that data a second time`,
		{hint: `Nothing was changed. Start a new session with the new ${options.changed.length === 1 ? 'answer' : 'answers'} (\`ferry run ${wizard.id} ${how}\`), after removing what "${blocking.title}" wrote if it must not stay; or continue this one as it is with \`ferry resume ${session.id}\`.`},
	);
}

export function changeAnswers(options: {wizard: Wizard<unknown>; session: Session; answers: Answers; changedSecrets?: string[]}): AnswerChanges {
	const {wizard, session} = options;
	const parameters = new Map(wizard.parameters.map(parameter => [parameter.key, parameter]));
	const parsed: Answers = {};
	for (const [key, raw] of Object.entries(options.answers)) {
		const parameter = parameters.get(key);
		if (!parameter) {
			const match = closestMatch(key, [...parameters.keys()]);
			throw new AnswerError(key, `Unknown answer ${JSON.stringify(key)}`, {hint: `${match ? `Did you mean ${match}? ` : ''}Known answers: ${[...parameters.keys()].join(', ')}`});
		}

		parsed[key] = parseAnswer(parameter, raw);
	}

	validateAnswers(wizard.parameters, {answers: {...session.answers, ...parsed}, outputs: outputsOf(session), profile: session.profile, settings: profileSettings(session.profile)}, {only: new Set(Object.keys(parsed))});
	const changes: AnswerChange[] = Object.entries(parsed)
		.filter(([key, value]) => JSON.stringify(session.answers[key]) !== JSON.stringify(value))
		.map(([key, value]) => ({key, from: session.answers[key], to: value, secret: false}));
	changes.push(...(options.changedSecrets ?? []).map(key => ({key, from: undefined, to: undefined, secret: true})));
	if (changes.length === 0) {
		return {changes, reset: []};
	}

	// A replaced secret (a rotated password) changes no result of a finished step: only answers set steps back.
	const changedKeys = new Set(changes.filter(change => !change.secret).map(change => change.key));
	const askedAt = wizard.steps.findIndex(step => step.parameters?.some(key => changedKeys.has(key)));
	const toReset = askedAt < 0 ? [] : wizard.steps.slice(askedAt).filter(step => (session.steps[step.id]?.state ?? 'pending') !== 'pending' || hasWritten(session.steps[step.id]));
	refuseDuplicatingReset({wizard, session, steps: toReset, changed: [...changedKeys]});
	Object.assign(session.answers, parsed);
	const reset: string[] = [];
	for (const step of toReset) {
		const record = session.steps[step.id]!;
		session.steps[step.id] = {...emptyStepRecord(), attempts: record.attempts};
		reset.push(step.id);
	}

	if (session.state === 'done' || session.state === 'different') {
		session.state = 'interrupted';
		delete session.exitCode;
	}

	return {changes, reset};
}
