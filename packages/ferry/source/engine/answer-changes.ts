import {profileSettings} from '../store/profiles.js';
import {AnswerError, parseAnswer, validateAnswers} from './parameters.js';
import {emptyStepRecord, type Session} from './session.js';
import type {Answers, StepOutputs, Wizard} from './wizard.js';

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
export function changeAnswers(options: {wizard: Wizard<unknown>; session: Session; answers: Answers; changedSecrets?: string[]}): AnswerChanges {
	const {wizard, session} = options;
	const parameters = new Map(wizard.parameters.map(parameter => [parameter.key, parameter]));
	const parsed: Answers = {};
	for (const [key, raw] of Object.entries(options.answers)) {
		const parameter = parameters.get(key);
		if (!parameter) {
			throw new AnswerError(key, `Unknown answer ${JSON.stringify(key)}`, {hint: `Known answers: ${[...parameters.keys()].join(', ')}`});
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

	Object.assign(session.answers, parsed);
	// A replaced secret (a rotated password) changes no result of a finished step: only answers set steps back.
	const changedKeys = new Set(changes.filter(change => !change.secret).map(change => change.key));
	const askedAt = wizard.steps.findIndex(step => step.parameters?.some(key => changedKeys.has(key)));
	const reset: string[] = [];
	if (askedAt >= 0) {
		for (const step of wizard.steps.slice(askedAt)) {
			const record = session.steps[step.id];
			if (record && record.state !== 'pending') {
				session.steps[step.id] = {...emptyStepRecord(), attempts: record.attempts};
				reset.push(step.id);
			}
		}
	}

	if (session.state === 'done' || session.state === 'different') {
		session.state = 'interrupted';
		delete session.exitCode;
	}

	return {changes, reset};
}
