import type {ParsedArgs} from '../cli-args.js';
import {displayState, lastStep, type Session} from '../engine/session.js';
import {exitCodes, UsageError} from '../errors.js';
import {formatAge, formatTable} from '../format.js';
import type {CommandIo} from '../main.js';
import {deleteSessionSecrets} from '../store/credentials-store.js';
import {deleteSession, listSessions, loadSession, resolveSessionId, sessionFiles} from '../store/session-store.js';

export function sessionSummary(session: Session) {
	return {id: session.id, wizard: session.wizard, profile: session.profile, state: displayState(session), lastStep: lastStep(session), createdAt: session.createdAt, updatedAt: session.updatedAt};
}

export default async function sessions(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [action = 'list', id] = args.positionals;
	switch (action) {
		case 'list': {
			const all = listSessions();
			if (args.flags.json) {
				io.stdout.write(`${JSON.stringify(all.map(session => sessionSummary(session)), undefined, 2)}\n`);
			} else if (all.length === 0) {
				io.stdout.write('No sessions yet. Start one with `ferry` or `ferry run redshift-to-maxcompute`.\n');
			} else {
				io.stdout.write(formatTable(['ID', 'WIZARD', 'PROFILE', 'STATE', 'LAST STEP', 'AGE'], all.map(session => [session.id, session.wizard, session.profile, displayState(session), lastStep(session) ?? '-', formatAge(session.updatedAt)])));
			}

			return exitCodes.ok;
		}

		case 'show': {
			const session = loadSession(resolveSessionId(requireId(id, action)));
			if (args.flags.json) {
				io.stdout.write(`${JSON.stringify(session, undefined, 2)}\n`);
				return exitCodes.ok;
			}

			const files = sessionFiles(session.id);
			io.stdout.write(`${session.id} · ${session.wizard} · profile ${session.profile} · ${displayState(session)}\n`);
			io.stdout.write(`created ${session.createdAt}, updated ${formatAge(session.updatedAt)}\n\n`);
			io.stdout.write(formatTable(['STEP', 'STATE', 'ATTEMPTS', 'FINISHED', 'NOTE'], Object.entries(session.steps).map(([step, record]) => [step, record.state, String(record.attempts), record.finishedAt ?? '-', record.error?.message ?? ''])));
			io.stdout.write(`\nlog: ${files.log}\n`);
			return exitCodes.ok;
		}

		case 'delete': {
			const resolved = resolveSessionId(requireId(id, action));
			deleteSession(resolved);
			await deleteSessionSecrets(resolved);
			if (args.flags.json) {
				io.stdout.write(`${JSON.stringify({deleted: resolved})}\n`);
			} else {
				io.stdout.write(`Deleted session ${resolved}\n`);
			}

			return exitCodes.ok;
		}

		default: {
			throw new UsageError(`Unknown sessions action ${JSON.stringify(action)}`, {hint: 'Use `ferry sessions list`, `show ID` or `delete ID`.'});
		}
	}
}

function requireId(id: string | undefined, action: string): string {
	if (!id) {
		throw new UsageError(`ferry sessions ${action} needs a session id`, {hint: 'List sessions with `ferry sessions`.'});
	}

	return id;
}
