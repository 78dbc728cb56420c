import process from 'node:process';
import {collectAnswers, secretEnvName, tellCorrections} from '../cli/answers.js';
import {stdoutCarriesData, type ParsedArgs} from '../cli/cli-args.js';
import {validateAnswers} from '../engine/parameters.js';
import {environmentValue, firstByPrecedence} from '../engine/precedence.js';
import {createSession, type Session, type SessionPlan} from '../engine/session.js';
import type {Answers, Wizard} from '../engine/wizard.js';
import {describeError, InterruptedError, signalExitCodes, StepError, UsageError} from '../engine/errors.js';
import {interruptRequested, type CommandIo} from '../cli/io.js';
import {interruptSignal, receivedSignal} from '../cli/signals.js';
import {lineWriter} from '../log/log-level.js';
import {decideMode} from '../cli/mode.js';
import {prepareProfile} from '../services/profile-endpoints.js';
import {openEventStream, type EventStream} from '../cli/events.js';
import {executeSession, resultDocument} from '../cli/session-run.js';
import {openSessionSecrets} from '../store/credentials-store.js';
import {getProfile, localProfileName, profileSecrets, profileSettings} from '../store/profiles.js';
import {acquireSessionLock} from '../store/session-lock.js';
import {discardUnsavedSession, saveSession, sessionFiles} from '../store/session-store.js';
import type {InteractiveApp} from '../ui/interactive-app.js';
import {loadWizard, wizardCatalog} from '../../wizards/index.js';

/** The profile a command uses (precedence.ts): --local or --profile, else FERRY_PROFILE, else the local cloud. */
export function profileFromFlags(flags: Pick<ParsedArgs['flags'], 'local' | 'profile'>, env: NodeJS.ProcessEnv = process.env): string {
	if (flags.local && flags.profile && flags.profile !== localProfileName) {
		throw new UsageError('--local and --profile name different profiles', {hint: 'Pass one of them.'});
	}

	return firstByPrecedence({flags: flags.local ? localProfileName : flags.profile, environment: environmentValue(env, 'FERRY_PROFILE'), defaults: localProfileName})!.value;
}

/** In non-interactive mode, a missing answer that has no default stops the run before a session is created. */
function checkRequiredAnswers(wizard: Wizard<unknown>, answers: Record<string, unknown>, secrets: Record<string, string>, settings: Readonly<Record<string, string>>): void {
	for (const parameter of wizard.parameters) {
		const answered = parameter.type === 'secret' ? secrets[parameter.key] !== undefined : answers[parameter.key] !== undefined || settings[parameter.key] !== undefined;
		if (answered || parameter.optional || parameter.default !== undefined || (parameter.when && !parameter.when(answers))) {
			continue;
		}

		throw new UsageError(`Missing answer ${parameter.key} (${parameter.label})`, {
			hint: parameter.type === 'secret'
				? `Put "${parameter.key}" in the answers file (--answers FILE); secrets are never taken from --set.`
				: `Pass --set ${parameter.key}=${parameter.example ?? '<value>'} or put it in the answers file. ${parameter.help}`,
		});
	}
}

function stopIfInterrupted(): void {
	if (interruptRequested()) {
		throw new InterruptedError('Interrupted before the session was created: nothing was changed', {hint: 'Start again with `ferry run` when ready.', signal: receivedSignal() ?? 'SIGINT'});
	}
}

/**
 * A Ctrl-C that came after the session was created but before its run took over the signals: the session is saved
 * as interrupted and the result reported the way a run reports it (the JSON document with --json). Exit 130.
 */
export function interruptBeforeRun(options: {wizard: Wizard<unknown>; session: Session; json: boolean; io: CommandIo; events?: EventStream | undefined}): number {
	const {wizard, session, io} = options;
	const exitCode = signalExitCodes[receivedSignal() ?? 'SIGINT'];
	if (session.state === 'running') {
		session.state = 'interrupted';
		saveSession(session);
	}

	const error = {message: 'Interrupted: the session is saved', hint: `Continue with \`ferry resume ${session.id}\`.`, code: 'interrupted'};
	options.events?.begin(session, sessionFiles(session.id).log);
	options.events?.result(resultDocument(wizard, session, exitCode, error, undefined));
	if (options.json) {
		io.stdout.write(`${JSON.stringify(resultDocument(wizard, session, exitCode, error, undefined), undefined, 2)}\n`);
	}

	io.stderr.write(`✖ ${error.message}\n  ${error.hint}\n`);
	return exitCode;
}

/** A run of a saved plan (`ferry apply`): its answers instead of given ones, the secrets it refers to, what the session records. */
export type PlannedRun = {answers: Answers; secretKeys: readonly string[]; plan: SessionPlan};

export async function startRun(options: {wizardId: string; profileName: string; args: ParsedArgs; io: CommandIo; app?: InteractiveApp; planned?: PlannedRun}): Promise<number> {
	const {args, io, planned} = options;
	const wizard = await loadWizard(options.wizardId);
	const profile = await getProfile(options.profileName);
	// A plan is applied headless: its answers are settled, and the review is accepted with --yes.
	const mode = options.app ? 'interactive' : planned ? 'plain' : decideMode({noInput: args.flags.noInput, json: stdoutCarriesData(args.flags)});
	const collected = await collectAnswers({parameters: wizard.parameters, answersFile: args.flags.answers, set: args.flags.set, ...(planned ? {answerEnv: false} : {})});
	const {secrets: givenSecrets, notices} = collected;
	if (planned && Object.keys(collected.answers).length > 0) {
		throw new UsageError(`A plan runs its own answers; ${Object.keys(collected.answers).join(', ')} cannot be changed by ferry apply`, {hint: 'Put only the secrets the plan refers to in --answers; to change an answer, make a new plan and review it.'});
	}

	const answers = planned ? {...planned.answers} : collected.answers;
	tellCorrections(notices, lineWriter(io.stderr, args.flags.logLevel, {level: 'warn', muted: options.app !== undefined}));
	// Every answer that can be checked is checked now, in both modes: a session is never created around a wrong one.
	// The given answers first, before a local cloud starts; then with the settings the profile publishes once it runs.
	validateAnswers(wizard.parameters, {answers, outputs: {}, profile: profile.name, settings: profileSettings(profile.name)});
	// Before the local cloud starts and before the session exists: a path that cannot be written changes nothing.
	const events = openEventStream(args.flags.events, io.stdout);
	stopIfInterrupted();
	// With the Ink app on screen, a stray stderr line would tear its frame.
	await prepareProfile(profile, {log: lineWriter(io.stderr, args.flags.logLevel, {muted: options.app !== undefined}), signal: interruptSignal(), ...(options.app ? {onProgress: options.app.localCloudProgress} : {})});
	const settings = profileSettings(profile.name);
	const secrets = {...profileSecrets(profile.name), ...givenSecrets};
	validateAnswers(wizard.parameters, {answers, outputs: {}, profile: profile.name, settings});
	const missingSecret = planned?.secretKeys.find(key => secrets[key] === undefined);
	if (missingSecret) {
		throw new UsageError(`The plan refers to the secret ${missingSecret}, which was not given`, {hint: `Put "${missingSecret}" in the answers file (--answers FILE) or set ${secretEnvName(missingSecret)}.`});
	}

	if (mode === 'plain') {
		checkRequiredAnswers(wizard, answers, secrets, settings);
	}

	stopIfInterrupted();
	// The session records its owner from the start, and this process holds its lock until it exits.
	const session = createSession({wizard: wizard.id, wizardVersion: wizard.version, profile: profile.name, stepIds: wizard.steps.map(step => step.id), answers});
	if (planned) {
		session.plan = planned.plan;
	}

	let lock: ReturnType<typeof acquireSessionLock> | undefined;
	try {
		lock = acquireSessionLock(session.id);
		saveSession(session);
	} catch (error) {
		// Nothing of the session was saved (a full disk): no empty folder stays behind, and there is nothing to resume.
		lock?.release();
		discardUnsavedSession(session.id);
		throw new StepError(`Could not create the session: ${describeError(error).message}`, {cause: error, hint: 'Nothing was created. Free some disk space, then run the same command again.'});
	}

	try {
		const secretStore = await openSessionSecrets(session.id);
		for (const [key, value] of Object.entries(secrets)) {
			secretStore.set(key, value);
		}

		if (interruptRequested()) {
			return interruptBeforeRun({wizard, session, json: args.flags.json, io, events});
		}

		return await executeSession({wizard, session, secrets: secretStore, mode, flags: args.flags, io, ...(options.app ? {app: options.app} : {}), ...(events ? {events} : {})});
	} finally {
		lock.release();
	}
}

export default async function run(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [wizardId] = args.positionals;
	if (!wizardId) {
		throw new UsageError('ferry run needs a wizard', {hint: `Example: ferry run ${wizardCatalog[0]!.id} --local`});
	}

	return startRun({wizardId, profileName: profileFromFlags(args.flags), args, io});
}
