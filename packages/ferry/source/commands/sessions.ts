import type {ParsedArgs} from '../cli/cli-args.js';
import {wizardCatalog} from '../../wizards/index.js';
import {createdResourcesOf, displayState, lastStep, removalCommands, type Session} from '../engine/session.js';
import {exitCodes, UsageError} from '../engine/errors.js';
import {formatAge, formatTable} from '../ui/format.js';
import type {CommandIo} from '../cli/io.js';
import {deleteSessionSecrets} from '../store/credentials-store.js';
import {SessionBusyError, sessionLockHolder} from '../store/session-lock.js';
import {verifyAuditTrail, type AuditVerdict} from '../store/audit-trail.js';
import {deleteSession, loadSession, readSessionAudit, resolveSessionId, scanSessions, sessionFiles, type BrokenSession} from '../store/session-store.js';

export function sessionSummary(session: Session) {
	return {id: session.id, wizard: session.wizard, profile: session.profile, state: displayState(session), lastStep: lastStep(session), createdAt: session.createdAt, updatedAt: session.updatedAt};
}

/** A session whose file cannot be read, listed rather than hidden, so it can be inspected or deleted. */
export function brokenSummary(broken: BrokenSession) {
	return {id: broken.id, state: 'broken', broken: broken.reason, file: broken.file};
}

export default async function sessions(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [action = 'list', id] = args.positionals;
	switch (action) {
		case 'list': {
			const {sessions: all, broken} = scanSessions();
			if (args.flags.json) {
				io.stdout.write(`${JSON.stringify([...all.map(session => sessionSummary(session)), ...broken.map(session => brokenSummary(session))], undefined, 2)}\n`);
			} else if (all.length === 0 && broken.length === 0) {
				io.stdout.write(`No sessions yet. Start one with \`ferry\` or \`ferry run ${wizardCatalog[0]!.id}\` (\`ferry --help\` lists the procedures).\n`);
			} else {
				const rows = all.map(session => [session.id, session.wizard, session.profile, displayState(session), lastStep(session) ?? '-', formatAge(session.updatedAt)]);
				io.stdout.write(formatTable(['ID', 'WIZARD', 'PROFILE', 'STATE', 'LAST STEP', 'AGE'], [...rows, ...broken.map(session => [session.id, '?', '?', 'broken', '-', '-'])]));
				for (const session of broken) {
					io.stdout.write(`\n${session.id} is broken: ${session.reason}. Inspect ${session.file}, or \`ferry sessions delete ${session.id}\`.`);
				}

				if (broken.length > 0) {
					io.stdout.write('\n');
				}
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
			io.stdout.write(`created ${session.createdAt}, updated ${formatAge(session.updatedAt)}\n`);
			io.stdout.write(session.plan ? `applied from ${session.plan.file}, plan ${session.plan.hash}\n\n` : '\n');
			io.stdout.write(formatTable(['STEP', 'STATE', 'ATTEMPTS', 'FINISHED', 'NOTE'], Object.entries(session.steps).map(([step, record]) => [step, record.state, String(record.attempts), record.finishedAt ?? '-', record.error?.message ?? ''])));
			const created = createdResourcesOf(session);
			if (created.length > 0) {
				io.stdout.write(`\nCreated by ferry:\n${formatTable(['SERVICE', 'KIND', 'NAME'], created.map(resource => [resource.service, resource.kind, resource.name]))}`);
				io.stdout.write(`\nTo remove them when no longer needed (in this order):\n${removalCommands(created).map(command => `  ${command}`).join('\n')}\n`);
			}

			io.stdout.write(`\nlog: ${files.log}\n`);
			return exitCodes.ok;
		}

		case 'delete': {
			const resolved = resolveSessionId(requireId(id, action));
			const holder = sessionLockHolder(resolved);
			if (holder) {
				throw new SessionBusyError(resolved, holder);
			}

			deleteSession(resolved);
			await deleteSessionSecrets(resolved);
			if (args.flags.json) {
				io.stdout.write(`${JSON.stringify({deleted: resolved})}\n`);
			} else {
				io.stdout.write(`Deleted session ${resolved}\n`);
			}

			return exitCodes.ok;
		}

		case 'verify-log': {
			const session = loadSession(resolveSessionId(requireId(id, action)));
			const file = sessionFiles(session.id).audit;
			const content = readSessionAudit(session.id);
			const verdict: AuditVerdict = content
				? verifyAuditTrail(content, session.id, session.audit)
				: {intact: false, head: {lines: 0, hash: ''}, line: 0, cause: `${file} does not exist${session.audit ? ': it was removed' : ' (a session started by a ferry without audit trails)'}`};
			if (args.flags.json) {
				io.stdout.write(`${JSON.stringify({ok: verdict.intact, exitCode: verdict.intact ? exitCodes.ok : exitCodes.verification, session: session.id, file, ...verdict}, undefined, 2)}\n`);
			} else if (verdict.intact) {
				io.stdout.write(`✔ The audit trail of ${session.id} is intact: ${verdict.head.lines} lines, head sha256 ${verdict.head.hash}\n`);
				if (verdict.tornTail) {
					io.stdout.write(`  Its last line is torn (a write cut short); \`ferry resume ${session.id}\` repairs it.\n`);
				}
			} else {
				io.stderr.write(`✖ The audit trail of ${session.id} is broken: ${verdict.cause}\n`);
				io.stderr.write(`  ${verdict.head.lines} lines chain intact before it (head sha256 ${verdict.head.hash || 'none'}); the file: ${file}\n`);
			}

			return verdict.intact ? exitCodes.ok : exitCodes.verification;
		}

		default: {
			throw new UsageError(`Unknown sessions action ${JSON.stringify(action)}`, {hint: 'Use `ferry sessions list`, `show ID`, `delete ID` or `verify-log ID`.'});
		}
	}
}

function requireId(id: string | undefined, action: string): string {
	if (!id) {
		throw new UsageError(`ferry sessions ${action} needs a session id`, {hint: 'List sessions with `ferry sessions`.'});
	}

	return id;
}
