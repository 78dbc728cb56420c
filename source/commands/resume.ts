import process from 'node:process';
import type {ParsedArgs} from '../cli/cli-args.js';
import {UsageError} from '../engine/errors.js';
import {interruptRequested, type CommandIo} from '../cli/io.js';
import {decideMode} from '../cli/mode.js';
import {prepareProfile} from '../services/profile-endpoints.js';
import {executeSession} from '../cli/session-run.js';
import {interruptBeforeRun} from './run.js';
import {openSessionSecrets} from '../store/credentials-store.js';
import {getProfile} from '../store/profiles.js';
import {acquireSessionLock, sessionLockHolder} from '../store/session-lock.js';
import {listSessions, loadSession, resolveSessionId} from '../store/session-store.js';
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

	const profile = await getProfile(session.profile);
	// With the Ink app on screen, a stray stderr line would tear its frame.
	await prepareProfile(profile, {log: message => (args.flags.quiet || options.app ? undefined : io.stderr.write(`${message}\n`))});
	const mode = options.app ? 'interactive' : decideMode({noInput: args.flags.noInput, json: args.flags.json});
	const secrets = await openSessionSecrets(session.id);
	session.pid = process.pid;
	if (interruptRequested()) {
		return interruptBeforeRun({wizard, session, json: args.flags.json, io});
	}

	return executeSession({wizard, session, secrets, mode, flags: args.flags, io, ...(options.app ? {app: options.app} : {})});
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
