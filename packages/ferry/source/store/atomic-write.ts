import {chmodSync, closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {exitCodes, FerryError} from '../engine/errors.js';
import {isProcessAlive} from './process-alive.js';

/** A file ferry could not write; the previous content of the file is intact. Exit 1. */
export class FileWriteError extends FerryError {
	constructor(file: string, cause: NodeJS.ErrnoException, hint: string | undefined) {
		const reason = cause.code === 'ENOSPC' ? 'no space left on the device' : cause.code === 'EACCES' || cause.code === 'EPERM' ? 'permission denied' : cause.message;
		super(`Could not write ${file}: ${reason}; the previous version is kept`, exitCodes.stepFailed, {
			cause,
			...(cause.code ? {code: cause.code} : {}),
			hint: hint ?? (cause.code === 'EACCES' || cause.code === 'EPERM' ? `Make ${path.dirname(file)} writable, then try again.` : 'Free disk space, then try again.'),
		});
		this.name = 'FileWriteError';
	}
}

type WriteBytes = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

const systemWrite: WriteBytes = (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length);
let writeBytes: WriteBytes = systemWrite;

/**
 * Test seam: replaces the system write (to inject ENOSPC or a short write, which no tmpfs is at hand for).
 * Pass nothing to restore it.
 */
export function setWriteBytesForTests(write?: WriteBytes): void {
	writeBytes = write ?? systemWrite;
}

/** ferry's own files (sessions, reports, job files, logs, the local cloud's state) are the owner's alone, whatever the umask. */
export const privateFileMode = 0o600;
/** And so are its directories (FERRY_HOME, the session folders, the local cloud's folder). */
export const privateDirectoryMode = 0o700;

/**
 * Creates a directory (and its missing parents) as 0700 whatever the umask; directories that already exist are left
 * as they are (FERRY_HOME may be a folder of the user's choosing).
 */
export function ensurePrivateDirectory(directory: string): void {
	const first = mkdirSync(directory, {recursive: true, mode: privateDirectoryMode});
	if (first === undefined) {
		return;
	}

	// The umask may have taken bits from the mode: set it on every directory this call created.
	for (let current = path.resolve(directory); ; current = path.dirname(current)) {
		chmodSync(current, privateDirectoryMode);
		if (current === path.resolve(first) || path.dirname(current) === current) {
			break;
		}
	}
}

/** Writes all of `bytes` to `fd` through the write seam; returns how many went in (fewer only when a write wrote nothing). */
export function writeBytesOf(fd: number, bytes: Uint8Array): number {
	let offset = 0;
	while (offset < bytes.length) {
		const written = writeBytes(fd, bytes, offset, bytes.length - offset);
		if (written <= 0) {
			return offset;
		}

		offset += written;
	}

	return offset;
}

const temporarySuffix = '.tmp';

function temporaryName(file: string): string {
	return `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}${temporarySuffix}`;
}

/**
 * Writes a file whole and durably, so that a crash or a full disk at any moment leaves either the old or the new
 * content, never a torn file: write a sibling temp file, check every byte went in (a write on a nearly full disk
 * can be short without failing), fsync it, rename it over the target, fsync the directory so the rename survives
 * a power cut. A failed write removes the temp file and throws a FileWriteError; `hint` says what to do next.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, mode = privateFileMode, options: {hint?: string} = {}): void {
	const directory = path.dirname(file);
	const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
	const temporary = temporaryName(file);
	let created = false;
	try {
		ensurePrivateDirectory(directory);
		const fd = openSync(temporary, 'wx', mode);
		created = true;
		try {
			// The mode exactly, whatever the umask.
			fchmodSync(fd, mode);
			const offset = writeBytesOf(fd, bytes);
			if (offset < bytes.length) {
				throw Object.assign(new Error(`short write (${offset} of ${bytes.length} bytes)`), {code: 'ENOSPC'});
			}

			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}

		renameSync(temporary, file);
		created = false;
		syncDirectory(directory);
	} catch (error) {
		if (created) {
			rmSync(temporary, {force: true});
		}

		throw new FileWriteError(file, error as NodeJS.ErrnoException, options.hint);
	}
}

/** Writes a JSON document the way ferry's stores keep them: tab-indented, one trailing newline. */
export function writeJsonFile(file: string, value: unknown, mode = privateFileMode, options: {hint?: string} = {}): void {
	writeFileAtomic(file, `${JSON.stringify(value, undefined, '\t')}\n`, mode, options);
}

function syncDirectory(directory: string): void {
	let fd: number | undefined;
	try {
		fd = openSync(directory, 'r');
		fsyncSync(fd);
	} catch (error) {
		// Some file systems (and Windows) cannot fsync a directory; the rename itself is still atomic there.
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') {
			throw error;
		}
	} finally {
		if (fd !== undefined) {
			closeSync(fd);
		}
	}
}

const temporaryPattern = /^(?<target>.+)\.(?<pid>\d+)\.[a-z\d]+\.tmp$/;

/**
 * Removes the temp files a killed writer left in a directory: those whose writer process is gone.
 * A temp file of a live process may be a write in progress, so it is left alone. Returns the names removed.
 */
export function removeStaleTemporaries(directory: string): string[] {
	let names: string[];
	try {
		names = readdirSync(directory);
	} catch {
		return [];
	}

	const removed: string[] = [];
	for (const name of names) {
		const pid = Number(temporaryPattern.exec(name)?.groups?.['pid']);
		if (!Number.isInteger(pid) || pid <= 0 || isProcessAlive(pid)) {
			continue;
		}

		try {
			rmSync(path.join(directory, name), {force: true});
			removed.push(name);
		} catch {
			// Not ours to remove (permissions): it does no harm where it is.
		}
	}

	return removed;
}
