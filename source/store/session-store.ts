import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {UsageError} from '../errors.js';
import type {Session} from '../engine/session.js';
import {writeFileAtomic} from './atomic-write.js';
import {ferryPaths} from './paths.js';

export function sessionDirectory(id: string): string {
	return path.join(ferryPaths().sessions, id);
}

export function sessionFiles(id: string) {
	const directory = sessionDirectory(id);
	return {
		directory,
		session: path.join(directory, 'session.json'),
		log: path.join(directory, 'session.log'),
		reportMarkdown: path.join(directory, 'report.md'),
		reportJson: path.join(directory, 'report.json'),
	};
}

export function saveSession(session: Session): void {
	session.updatedAt = new Date().toISOString();
	writeFileAtomic(sessionFiles(session.id).session, `${JSON.stringify(session, undefined, '\t')}\n`);
}

export function sessionExists(id: string): boolean {
	return existsSync(sessionFiles(id).session);
}

export function loadSession(id: string): Session {
	const file = sessionFiles(id).session;
	if (!existsSync(file)) {
		throw new UsageError(`No session ${id}`, {hint: 'List sessions with `ferry sessions`.'});
	}

	try {
		return JSON.parse(readFileSync(file, 'utf8')) as Session;
	} catch (error) {
		throw new UsageError(`Session ${id} cannot be read: ${(error as Error).message}`, {hint: `Inspect or delete ${file}.`});
	}
}

/** All sessions, newest first. Unreadable ones are skipped rather than failing the listing. */
export function listSessions(): Session[] {
	const root = ferryPaths().sessions;
	if (!existsSync(root)) {
		return [];
	}

	const sessions: Session[] = [];
	for (const entry of readdirSync(root, {withFileTypes: true})) {
		if (!entry.isDirectory()) {
			continue;
		}

		try {
			sessions.push(loadSession(entry.name));
		} catch {
			// A half-created session directory is not worth failing a listing for.
		}
	}

	return sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export function deleteSession(id: string): void {
	if (!sessionExists(id)) {
		throw new UsageError(`No session ${id}`, {hint: 'List sessions with `ferry sessions`.'});
	}

	rmSync(sessionDirectory(id), {recursive: true, force: true});
}

/** Resolves a session id given in full or as a unique prefix. */
export function resolveSessionId(idOrPrefix: string): string {
	if (sessionExists(idOrPrefix)) {
		return idOrPrefix;
	}

	const matches = listSessions().filter(session => session.id.startsWith(idOrPrefix));
	if (matches.length === 1 && matches[0]) {
		return matches[0].id;
	}

	throw new UsageError(matches.length === 0 ? `No session ${idOrPrefix}` : `${idOrPrefix} matches ${matches.length} sessions`, {hint: 'List sessions with `ferry sessions`.'});
}
