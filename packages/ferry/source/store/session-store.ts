import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {exitCodes, FerryError, UsageError} from '../engine/errors.js';
import {validateSession, type Session} from '../engine/session.js';
import {removeStaleTemporaries, writeJsonFile} from './atomic-write.js';
import {auditFileName, openAuditTrail, type AuditTrail} from './audit-trail.js';
import {ferryPaths} from './paths.js';

export function sessionDirectory(id: string): string {
	return path.join(ferryPaths().sessions, id);
}

export function sessionFiles(id: string) {
	const directory = sessionDirectory(id);
	return {
		directory,
		session: path.join(directory, 'session.json'),
		lock: path.join(directory, 'session.lock'),
		log: path.join(directory, 'session.log'),
		audit: path.join(directory, auditFileName),
		reportMarkdown: path.join(directory, 'report.md'),
		reportJson: path.join(directory, 'report.json'),
	};
}

/** A session whose file cannot be read or does not hold a session. Exit 1: nothing the user typed was wrong. */
export class BrokenSessionError extends FerryError {
	readonly sessionId: string;
	readonly reason: string;

	constructor(id: string, reason: string, file: string) {
		super(`Session ${id} cannot be read: ${reason}`, exitCodes.stepFailed, {hint: `Inspect or delete ${file} (\`ferry sessions delete ${id}\`).`});
		this.name = 'BrokenSessionError';
		this.sessionId = id;
		this.reason = reason;
	}
}

export function saveSession(session: Session): void {
	session.updatedAt = new Date().toISOString();
	writeJsonFile(sessionFiles(session.id).session, session, 0o600, {hint: `Free disk space, then \`ferry resume ${session.id}\`.`});
}

/** Opens a session's audit trail for appending (a torn last line is repaired); close it when the run ends. */
export function openSessionAudit(id: string): AuditTrail {
	return openAuditTrail(sessionDirectory(id), id, {hint: `Free disk space, then \`ferry resume ${id}\`.`});
}

/** A session's audit.jsonl as bytes, or undefined when the session has none (started by an older ferry). */
export function readSessionAudit(id: string): Buffer | undefined {
	const file = sessionFiles(id).audit;
	return existsSync(file) ? readFileSync(file) : undefined;
}

/**
 * Removes the folder of a session whose first save never happened (a full disk, a lock that could not be written),
 * so a run that could not start leaves no empty session folder behind.
 */
export function discardUnsavedSession(id: string): void {
	if (!sessionExists(id)) {
		rmSync(sessionDirectory(id), {recursive: true, force: true});
	}
}

export function sessionExists(id: string): boolean {
	return existsSync(sessionFiles(id).session);
}

/** Loads and validates a session; a missing one is a usage error, a broken one a BrokenSessionError. */
export function loadSession(id: string): Session {
	const file = sessionFiles(id).session;
	if (!existsSync(file)) {
		throw new UsageError(`No session ${id}`, {hint: 'List sessions with `ferry sessions`.'});
	}

	// A writer killed between its temp file and the rename leaves the temp file behind.
	removeStaleTemporaries(sessionDirectory(id));
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		const reason = error instanceof SyntaxError ? `not valid JSON (${error.message})` : (error as Error).message;
		throw new BrokenSessionError(id, reason, file);
	}

	const problem = validateSession(parsed, id);
	if (problem) {
		throw new BrokenSessionError(id, problem, file);
	}

	return parsed as Session;
}

export type BrokenSession = {id: string; reason: string; file: string};

/** Every session directory: the readable sessions, newest first, and the broken ones with the reason. */
export function scanSessions(): {sessions: Session[]; broken: BrokenSession[]} {
	const root = ferryPaths().sessions;
	if (!existsSync(root)) {
		return {sessions: [], broken: []};
	}

	const sessions: Session[] = [];
	const broken: BrokenSession[] = [];
	for (const entry of readdirSync(root, {withFileTypes: true})) {
		if (!entry.isDirectory()) {
			continue;
		}

		const file = sessionFiles(entry.name).session;
		if (!existsSync(file)) {
			// A directory whose first write never finished: nothing in it to show.
			continue;
		}

		try {
			sessions.push(loadSession(entry.name));
		} catch (error) {
			broken.push({id: entry.name, reason: error instanceof BrokenSessionError ? error.reason : (error as Error).message, file});
		}
	}

	sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	broken.sort((a, b) => a.id.localeCompare(b.id));
	return {sessions, broken};
}

/** The readable sessions, newest first. Broken ones are left out here; `scanSessions` reports them. */
export function listSessions(): Session[] {
	return scanSessions().sessions;
}

export function deleteSession(id: string): void {
	if (!sessionExists(id)) {
		throw new UsageError(`No session ${id}`, {hint: 'List sessions with `ferry sessions`.'});
	}

	rmSync(sessionDirectory(id), {recursive: true, force: true});
}

/** Resolves a session id given in full or as a unique prefix (broken sessions included, so they can be shown and deleted). */
export function resolveSessionId(idOrPrefix: string): string {
	if (sessionExists(idOrPrefix)) {
		return idOrPrefix;
	}

	const {sessions, broken} = scanSessions();
	const matches = [...sessions.map(session => session.id), ...broken.map(session => session.id)].filter(id => id.startsWith(idOrPrefix));
	if (matches.length === 1 && matches[0]) {
		return matches[0];
	}

	throw new UsageError(matches.length === 0 ? `No session ${idOrPrefix}` : `${idOrPrefix} matches ${matches.length} sessions`, {hint: 'List sessions with `ferry sessions`.'});
}
