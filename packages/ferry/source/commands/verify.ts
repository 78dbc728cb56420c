import type {ParsedArgs} from '../cli/cli-args.js';
import {emptyStepRecord} from '../engine/session.js';
import {UsageError} from '../engine/errors.js';
import type {CommandIo} from '../cli/io.js';
import {resumeSession} from './resume.js';
import {loadSession, resolveSessionId, saveSession} from '../store/session-store.js';
import {loadWizard} from '../../wizards/index.js';

/** Runs the verification step of a session again: the other steps stay done, so only the queries run. */
export default async function verify(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [id] = args.positionals;
	const sessionId = id ?? args.flags.session;
	if (!sessionId) {
		throw new UsageError('ferry verify needs a session id', {hint: 'List sessions with `ferry sessions`.'});
	}

	const session = loadSession(resolveSessionId(sessionId));
	const wizard = await loadWizard(session.wizard);
	const verifyStep = wizard.steps.find(step => step.kind === 'verify');
	const unfinished = wizard.steps.filter(step => step !== verifyStep && session.steps[step.id]?.state !== 'done');
	if (!verifyStep || unfinished.length > 0) {
		throw new UsageError(`Session ${session.id} has not finished ${unfinished.map(step => step.title).join(', ') || 'its steps'}`, {hint: `Continue it with \`ferry resume ${session.id}\` first.`});
	}

	session.steps[verifyStep.id] = emptyStepRecord();
	saveSession(session);
	return resumeSession({sessionId: session.id, args: {...args, flags: {...args.flags, yes: true}}, io});
}
