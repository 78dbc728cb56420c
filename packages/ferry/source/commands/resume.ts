import process from 'node:process';
import {stdoutCarriesData, type ParsedArgs} from '../cli/cli-args.js';
import {collectAnswers, tellCorrections} from '../cli/answers.js';
import {changeAnswers, type AnswerChange} from '../engine/answer-changes.js';
import {AnswerError, hintForSavedSession, resumeWithAnswer, validateAnswers} from '../engine/parameters.js';
import {UsageError} from '../engine/errors.js';
import type {Session} from '../engine/session.js';
import type {Answers, SecretStore, Wizard} from '../engine/wizard.js';
import {createFileLogger} from '../log/logger.js';
import {registerSecret} from '../log/redact.js';
import {interruptRequested, type CommandIo} from '../cli/io.js';
import {interruptSignal} from '../cli/signals.js';
import {lineWriter} from '../log/log-level.js';
import {decideMode} from '../cli/mode.js';
import {prepareProfile} from '../services/profile-endpoints.js';
import {openEventStream} from '../cli/events.js';
import {executeSession} from '../cli/session-run.js';
import {interruptBeforeRun} from './run.js';
import {openSessionSecrets} from '../store/credentials-store.js';
import {getProfile, profileSettings} from '../store/profiles.js';
import {acquireSessionLock, sessionLockHolder} from '../store/session-lock.js';
import {listSessions, loadSession, openSessionAudit, resolveSessionId, saveSession, sessionFiles} from '../store/session-store.js';
import type {InteractiveApp} from '../ui/interactive-app.js';
import {loadWizard} from '../../wizards/index.js';

export async function resumeSession(options: {sessionId: string; args: ParsedArgs; io: CommandIo; app?: InteractiveApp}): Promise<number> {
	const id = resolveSessionId(options.sessionId);
	// One process owns a session: a second resume refuses here, before it reads or touches anything.
	const lock = acquireSessionLock(id);
	try {
		return await resumeLocked(id, options);
	} finally {
		lock.release();
	}
}

async function resumeLocked(id: string, options: {args: ParsedArgs; io: CommandIo; app?: InteractiveApp}): Promise<number> {
	const {args, io} = options;
	const session = loadSession(id);
	const wizard = await loadWizard(session.wizard);
	if (session.wizardVersion !== wizard.version) {
		throw new UsageError(`Session ${session.id} was made by version ${session.wizardVersion} of ${wizard.id}; this ferry has version ${wizard.version}`, {hint: 'Start a new run; the old session stays for reference.'});
	}

	const events = openEventStream(args.flags.events, io.stdout);
	const secrets = await openSessionSecrets(session.id);
	const changes = await collectAnswers({parameters: wizard.parameters, answersFile: args.flags.answers, set: args.flags.set, answerEnv: false});
	checkSavedAnswers(wizard, session, new Set(Object.keys(changes.answers)));
	tellCorrections(changes.notices, lineWriter(io.stderr, args.flags.logLevel, {level: 'warn', muted: options.app !== undefined}));
	applyAnswerChanges({wizard, session, secrets, changes});
	const profile = await getProfile(session.profile);
	// With the Ink app on screen, a stray stderr line would tear its frame.
	await prepareProfile(profile, {log: lineWriter(io.stderr, args.flags.logLevel, {muted: options.app !== undefined}), signal: interruptSignal(), ...(options.app ? {onProgress: options.app.localCloudProgress} : {})});
	const mode = options.app ? 'interactive' : decideMode({noInput: args.flags.noInput, json: stdoutCarriesData(args.flags)});
	session.pid = process.pid;
	if (interruptRequested()) {
		return interruptBeforeRun({wizard, session, json: args.flags.json, io, events});
	}

	return executeSession({wizard, session, secrets, mode, flags: args.flags, io, ...(options.app ? {app: options.app} : {}), ...(events ? {events} : {})});
}

/**
 * The session's saved answers are checked as `ferry run` checks given ones, because session.json may have been
 * edited by hand: a wrong one stops here (exit 2, the key named, and how to change it) before anything runs. Answers
 * this resume changes are checked with their new values instead (`changeAnswers`).
 */
function checkSavedAnswers(wizard: Wizard<unknown>, session: Session, changing: ReadonlySet<string>): void {
	const known = new Set(wizard.parameters.map(parameter => parameter.key));
	const saved = new Set(Object.keys(session.answers).filter(key => known.has(key) && !changing.has(key)));
	const outputs = Object.fromEntries(Object.entries(session.steps).map(([id, record]) => [id, record.outputs]));
	try {
		validateAnswers(wizard.parameters, {answers: session.answers, outputs, profile: session.profile, settings: profileSettings(session.profile)}, {only: saved});
	} catch (error) {
		if (error instanceof AnswerError) {
			const parameter = wizard.parameters.find(candidate => candidate.key === error.key)!;
			throw new AnswerError(error.key, `The saved answer ${error.key} of session ${session.id} is not valid: ${error.message.replace(/^Invalid answer \w+: /, '')}`, {hint: `Put it back as it was in ${sessionFiles(session.id).session}, or change it with ${resumeWithAnswer(session.id, parameter)}. ${parameter.help}`});
		}

		throw error;
	}
}

/**
 * `ferry resume ID --set key=value` / `--answers FILE`: changes saved answers (validated as `ferry run` validates
 * them), and secrets into the session's credentials; the change is recorded in the session's log.
 */
function applyAnswerChanges(options: {wizard: Wizard<unknown>; session: Session; secrets: SecretStore; changes: {answers: Answers; secrets: Record<string, string>}}): void {
	const {wizard, session, secrets, changes} = options;
	const changedSecrets = Object.entries(changes.secrets).filter(([key, value]) => secrets.get(key) !== value);
	let changed: AnswerChange[];
	let reset: string[];
	try {
		({changes: changed, reset} = changeAnswers({wizard, session, answers: changes.answers, changedSecrets: changedSecrets.map(([key]) => key)}));
	} catch (error) {
		throw error instanceof AnswerError ? new AnswerError(error.key, error.message, {hint: hintForSavedSession(error, error.hint, wizard.parameters, session.id)}) : error;
	}

	if (changed.length === 0) {
		return;
	}

	for (const [key, value] of changedSecrets) {
		registerSecret(value);
		secrets.set(key, value);
	}

	saveSession(session);
	const log = createFileLogger(sessionFiles(session.id).log);
	const audit = openSessionAudit(session.id);
	try {
		for (const change of changed) {
			const text = change.secret ? `secret answer ${change.key} replaced` : `answer ${change.key} changed from ${JSON.stringify(change.from) ?? '(none)'} to ${JSON.stringify(change.to)}`;
			log.info(`resume: ${text}`);
			audit.record({type: 'decision', decision: 'answer-changed', detail: text});
		}
	} finally {
		audit.close();
	}

	if (reset.length > 0) {
		log.info(`resume: ${reset.join(', ')} will run again with the changed answers`);
	}
}

export default async function resume(args: ParsedArgs, io: CommandIo): Promise<number> {
	let [sessionId] = args.positionals;
	if (!sessionId) {
		const unfinished = listSessions().filter(session => session.state !== 'done' && session.state !== 'different');
		// A session a live process is running is not for the taking.
		const free = unfinished.find(session => sessionLockHolder(session.id) === undefined);
		if (!free) {
			const busy = unfinished[0] ? sessionLockHolder(unfinished[0].id) : undefined;
			throw new UsageError(busy ? `No unfinished session to resume: ${unfinished[0]!.id} is being run by pid ${busy.pid}` : 'No unfinished session to resume', {hint: 'List sessions with `ferry sessions`, or start one with `ferry run`.'});
		}

		sessionId = free.id;
	}

	return resumeSession({sessionId, args, io});
}
