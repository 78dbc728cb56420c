import type {ParsedArgs} from '../cli/cli-args.js';
import {displayState, lastStep} from '../engine/session.js';
import {exitCodes, UsageError} from '../engine/errors.js';
import type {CommandIo} from '../cli/io.js';
import {decideMode} from '../cli/mode.js';
import {listProfileSummaries} from '../store/profiles.js';
import {listSessions} from '../store/session-store.js';
import {wizardCatalog} from '../../wizards/index.js';

export default async function home(args: ParsedArgs, io: CommandIo): Promise<number> {
	if (decideMode({noInput: args.flags.noInput, json: args.flags.json}) !== 'interactive') {
		throw new UsageError('The home screen needs a terminal', {hint: `Run a procedure headless with \`ferry run ${wizardCatalog[0]!.id} --local --yes\`, or see \`ferry --help\` for the others.`});
	}

	const {startInteractiveApp} = await import('../ui/interactive-app.js');
	let interrupted = false;
	const app = startInteractiveApp({stdout: io.stdout, stdin: io.stdin, onInterrupt() {
		// On the home screen nothing runs yet: Ctrl-C simply leaves.
		if (interrupted) {
			process.exit(exitCodes.interrupted);
		}

		interrupted = true;
		void app.close().then(() => process.exit(exitCodes.interrupted));
	}});
	const choice = await app.home({
		wizards: wizardCatalog.map(wizard => ({id: wizard.id, title: wizard.title, description: wizard.description})),
		sessions: listSessions().map(session => ({id: session.id, wizard: session.wizard, profile: session.profile, state: displayState(session), ...(lastStep(session) ? {lastStep: lastStep(session)!} : {}), updatedAt: session.updatedAt})),
		profiles: listProfileSummaries(),
	});
	switch (choice.action) {
		case 'start': {
			const {startRun} = await import('./run.js');
			return startRun({wizardId: choice.wizard, profileName: choice.profile, args, io, app});
		}

		case 'resume': {
			const {resumeSession} = await import('./resume.js');
			return resumeSession({sessionId: choice.sessionId, args, io, app});
		}

		case 'report': {
			const [{loadSession}, {loadWizard}, {findVerificationReport}] = await Promise.all([import('../store/session-store.js'), import('../../wizards/index.js'), import('../cli/session-run.js')]);
			const session = loadSession(choice.sessionId);
			const report = findVerificationReport(await loadWizard(session.wizard), session);
			const exitCode = session.exitCode ?? exitCodes.ok;
			await app.showOutcome({sessionId: session.id, exitCode, ...(report ? {report: report as never} : {})});
			await app.close();
			return exitCode;
		}

		case 'test-profile': {
			await app.close();
			const {default: profiles} = await import('./profiles.js');
			return profiles({...args, command: 'profiles', positionals: ['test', choice.profile]}, io);
		}

		default: {
			await app.close();
			return exitCodes.ok;
		}
	}
}
