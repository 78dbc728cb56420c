import {closeSync, linkSync, openSync, readFileSync, renameSync, rmSync} from 'node:fs';
import process from 'node:process';
import {exitCodes, FerryError} from '../engine/errors.js';
import {ensurePrivateDirectory, privateFileMode, writeBytesOf} from './atomic-write.js';
import {isSameProcessAlive, processStartTicks} from './process-alive.js';
import {sessionFiles} from './session-store.js';

/** What a lock file holds: the owner process, and when it started (to tell it from a later process with its pid). */
export type LockHolder = {pid: number; startedAt: string; processStart?: string};

/** Another live process runs this session. Exit 1, at once, before anything is touched. */
export class SessionBusyError extends FerryError {
	readonly holder: LockHolder;

	constructor(id: string, holder: LockHolder) {
		super(`Session ${id} is being run by another ferry process (pid ${holder.pid}, since ${holder.startedAt})`, exitCodes.stepFailed, {
			hint: `Wait for it to finish, or stop it (Ctrl-C in its terminal, or \`kill ${holder.pid}\`), then \`ferry resume ${id}\`.`,
			code: 'SESSION_BUSY',
		});
		this.name = 'SessionBusyError';
		this.holder = holder;
	}
}

export type SessionLock = {readonly id: string; release(): void};

function readHolder(file: string): LockHolder | undefined {
	try {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
		return typeof parsed.pid === 'number' && typeof parsed.startedAt === 'string' ? (parsed as LockHolder) : undefined;
	} catch {
		return undefined;
	}
}

function isLive(holder: LockHolder | undefined): holder is LockHolder {
	return holder !== undefined && isSameProcessAlive(holder.pid, holder.processStart);
}

/** The live process that holds the session's lock, if any. A lock left by a dead process counts as free. */
export function sessionLockHolder(id: string): LockHolder | undefined {
	const holder = readHolder(sessionFiles(id).lock);
	return isLive(holder) ? holder : undefined;
}

const held = new Map<string, {file: string; token: string}>();
let exitHookInstalled = false;

function releaseAllOnExit(): void {
	for (const id of held.keys()) {
		releaseLock(id);
	}
}

function releaseLock(id: string): void {
	const lock = held.get(id);
	if (!lock) {
		return;
	}

	held.delete(id);
	// Only a lock that is still ours is removed: one taken over meanwhile belongs to its new owner.
	try {
		if (readFileSync(lock.file, 'utf8') === lock.token) {
			rmSync(lock.file, {force: true});
		}
	} catch {
		// Already gone.
	}
}

/** Writes the lock content to a temp file and hard-links it into place: the link either creates the lock whole or fails with EEXIST. */
function tryCreate(file: string, token: string): boolean {
	const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
	// The temp file goes whatever happens, a full disk failing the write included.
	try {
		const fd = openSync(temporary, 'wx', privateFileMode);
		try {
			const bytes = Buffer.from(token);
			if (writeBytesOf(fd, bytes) < bytes.length) {
				throw Object.assign(new Error('short write of the session lock'), {code: 'ENOSPC'});
			}
		} finally {
			closeSync(fd);
		}

		linkSync(temporary, file);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return false;
		}

		throw error;
	} finally {
		rmSync(temporary, {force: true});
	}
}

/**
 * Takes the session's lock for this process, or throws SessionBusyError naming the live process that has it.
 * A lock whose process is gone (SIGKILL, power cut) is taken over. The lock is released by `release()`, and in any
 * case when the process exits (normally, on an error, or after Ctrl-C).
 */
export function acquireSessionLock(id: string): SessionLock {
	const files = sessionFiles(id);
	ensurePrivateDirectory(files.directory);
	const holder: LockHolder = {pid: process.pid, startedAt: new Date().toISOString()};
	const processStart = processStartTicks(process.pid);
	const token = `${JSON.stringify(processStart === undefined ? holder : {...holder, processStart})}\n`;
	for (let attempt = 0; attempt < 5; attempt++) {
		if (tryCreate(files.lock, token)) {
			held.set(id, {file: files.lock, token});
			if (!exitHookInstalled) {
				process.on('exit', releaseAllOnExit);
				exitHookInstalled = true;
			}

			return {id, release: () => releaseLock(id)};
		}

		const current = readHolder(files.lock);
		if (isLive(current)) {
			throw new SessionBusyError(id, current);
		}

		if (current === undefined && attempt === 0) {
			// Unreadable: possibly from an older ferry, or a disk that filled up; look once more before taking it over.
			continue;
		}

		// The holder is gone. Move its lock aside (one process wins the rename) and check what was moved: a lock
		// that a live process took over in the meantime is put back.
		const aside = `${files.lock}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
		try {
			renameSync(files.lock, aside);
		} catch {
			continue;
		}

		const moved = readHolder(aside);
		if (isLive(moved)) {
			try {
				linkSync(aside, files.lock);
			} catch {
				// Someone else holds it now; the check above reports them on the next attempt.
			}

			rmSync(aside, {force: true});
			throw new SessionBusyError(id, moved);
		}

		rmSync(aside, {force: true});
	}

	const last = readHolder(files.lock);
	throw new SessionBusyError(id, last ?? {pid: 0, startedAt: 'unknown'});
}
