/**
 * A session's audit trail: `audit.jsonl` beside session.json, one JSON line per remote call, statement, user
 * decision, step start and end, and verification. Each line carries its sequence number and `prev`, the SHA-256 of
 * the previous line's bytes (the first line's: of a genesis string naming the session), so an edited, removed or
 * reordered line breaks the chain (`verifyAuditTrail`).
 *
 * Every line is appended with one write and an fsync before the call returns, so a kill leaves at most a missing
 * last line; a torn last line (a power cut, a full disk mid-write) is cut off when the trail is next opened, and the
 * repair is itself a line. Text is redacted before it is written: no secret reaches the file.
 */
import {createHash} from 'node:crypto';
import {closeSync, existsSync, fchmodSync, fsyncSync, ftruncateSync, fstatSync, openSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {LogObserver} from '../log/logger.js';
import {redactValue} from '../log/redact.js';
import {ensurePrivateDirectory, FileWriteError, privateFileMode, writeBytesOf} from './atomic-write.js';

/** A remote call, one line per attempt (`retries`: the attempts before this one). */
export type AuditCall = {
	type: 'call';
	service: string;
	operation: string;
	/** What the call was about: the URL without its query, or the service's resource name. */
	resource?: string;
	requestId?: string;
	status?: number | string;
	durationMs: number;
	retries: number;
	error?: string;
};

/** A statement sent to an engine (Redshift, MaxCompute): its text, redacted, and the engine's id for it. */
export type AuditStatement = {type: 'statement'; service: string; text: string; remoteId?: string};

export type AuditDecision = {
	type: 'decision';
	decision: 'plan-accepted' | 'plan-declined' | 'confirmed' | 'confirmation-refused' | 'rerun-accepted' | 'rerun-refused' | 'answer-changed';
	/** The confirmation typed, the answer changed (secret answers: that they were replaced, never the value). */
	detail?: string;
};

export type AuditStep = {type: 'step'; phase: 'start' | 'end'; attempt: number; state?: string; error?: string};

export type AuditVerification = {type: 'verification'; outcome: string; checks: number; equal: number; differing: number; notCompared: number};

export type AuditRepair = {type: 'repair'; droppedBytes: number; droppedSha256: string};

export type AuditEvent = (AuditCall | AuditStatement | AuditDecision | AuditStep | AuditVerification | AuditRepair) & {step?: string};

export type AuditLine = AuditEvent & {seq: number; prev: string; at: string};

export type AuditHead = {lines: number; hash: string};

export type AuditTrail = {
	/** Appends one line; throws a FileWriteError (the file as it was) when it cannot be written. */
	record(event: AuditEvent): void;
	/** The step later lines belong to (the runner runs one step at a time). */
	enterStep(step: string | undefined): void;
	head(): AuditHead;
	close(): void;
};

export const auditFileName = 'audit.jsonl';

export function genesisHash(sessionId: string): string {
	return sha256(`ferry audit trail of session ${sessionId}`);
}

export function sha256(bytes: string | Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** A trail that records nothing: runs outside a session (tests, `ferry plan`). */
export const noAuditTrail: AuditTrail = {
	record() {},
	enterStep() {},
	head: () => ({lines: 0, hash: ''}),
	close() {},
};

type Tail = {head: AuditHead; validBytes: number; torn: Buffer | undefined};

/**
 * Where the trail of `content` ends: the last line that is whole (ends with a newline) and valid JSON. What follows
 * it is torn. The chain itself is checked by `verifyAuditTrail`, not here: an append never rewrites history.
 */
function findTail(content: Buffer, sessionId: string): Tail {
	let end = content.length;
	while (end > 0) {
		const lineEnd = content[end - 1] === 0x0A ? end - 1 : end;
		const lineStart = content.lastIndexOf(0x0A, lineEnd - 1) + 1;
		const bytes = content.subarray(lineStart, lineEnd);
		const line = lineEnd < end ? parseLine(bytes.toString('utf8')) : undefined;
		if (line) {
			return {head: {lines: line.seq, hash: sha256(bytes)}, validBytes: end, torn: end < content.length ? content.subarray(end) : undefined};
		}

		end = lineStart;
	}

	return {head: {lines: 0, hash: genesisHash(sessionId)}, validBytes: 0, torn: content.length > 0 ? content : undefined};
}

function parseLine(text: string): AuditLine | undefined {
	try {
		const value = JSON.parse(text) as Partial<AuditLine>;
		return typeof value === 'object' && value !== null && Number.isInteger(value.seq) && typeof value.prev === 'string' ? value as AuditLine : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Opens (creating it, 0600 in the session's 0700 folder) the audit trail of a session for appending. A torn tail
 * is cut off and recorded as a `repair` line, so the chain goes on from the last whole line.
 */
export function openAuditTrail(directory: string, sessionId: string, options: {hint?: string} = {}): AuditTrail {
	const file = path.join(directory, auditFileName);
	let fd: number;
	let head: AuditHead;
	let torn: Buffer | undefined;
	try {
		ensurePrivateDirectory(directory);
		const tail = findTail(existsSync(file) ? readFileSync(file) : Buffer.alloc(0), sessionId);
		// O_APPEND: every write lands at the end, after a truncation too.
		fd = openSync(file, 'a', privateFileMode);
		fchmodSync(fd, privateFileMode);
		head = tail.head;
		torn = tail.torn;
		if (torn) {
			ftruncateSync(fd, tail.validBytes);
			fsyncSync(fd);
		}
	} catch (error) {
		throw new FileWriteError(file, error as NodeJS.ErrnoException, options.hint);
	}

	let step: string | undefined;
	const trail: AuditTrail = {
		record(event) {
			const line = redactValue({seq: head.lines + 1, prev: head.hash, at: new Date().toISOString(), ...(step && !('step' in event) ? {step} : {}), ...event});
			const text = JSON.stringify(line);
			const bytes = Buffer.from(`${text}\n`, 'utf8');
			const size = fstatSync(fd).size;
			try {
				const written = writeBytesOf(fd, bytes);
				if (written < bytes.length) {
					throw Object.assign(new Error(`short write (${written} of ${bytes.length} bytes)`), {code: 'ENOSPC'});
				}

				fsyncSync(fd);
			} catch (error) {
				// A line half written would break the chain for every later line: take it back.
				try {
					ftruncateSync(fd, size);
				} catch {
					// The next open cuts a torn tail off anyway.
				}

				throw new FileWriteError(file, error as NodeJS.ErrnoException, options.hint);
			}

			head = {lines: line.seq, hash: sha256(text)};
		},
		enterStep(next) {
			step = next;
		},
		head: () => ({...head}),
		close() {
			closeSync(fd);
		},
	};
	if (torn) {
		trail.record({type: 'repair', droppedBytes: torn.length, droppedSha256: sha256(torn)});
	}

	return trail;
}

export type AuditVerdict =
	| {intact: true; head: AuditHead; tornTail: boolean}
	| {intact: false; head: AuditHead; line: number; cause: string};

/**
 * Checks a trail's chain line by line. `head` is that of the last line that chains (the genesis when none does).
 * A torn last line (no newline, or not JSON) after an intact chain is reported, not counted as tampering: it is what
 * a cut write leaves, and the next `ferry resume` repairs it.
 */
export function verifyAuditTrail(content: Buffer, sessionId: string, anchor?: AuditHead): AuditVerdict {
	const verdict = verifyChain(content, sessionId, anchor);
	if (!verdict.intact || !anchor || anchor.lines === 0 || verdict.anchored === anchor.hash) {
		return stripAnchored(verdict);
	}

	const {head} = verdict;
	return head.lines < anchor.lines
		? {intact: false, head, line: head.lines + 1, cause: `the trail ends at line ${head.lines}, but the session recorded ${anchor.lines} lines: ${anchor.lines - head.lines === 1 ? `line ${anchor.lines} was` : `lines ${head.lines + 1} to ${anchor.lines} were`} removed from the end`}
		: {intact: false, head, line: anchor.lines, cause: `line ${anchor.lines} is not the line the session recorded (its hash differs): it was edited`};
}

function stripAnchored(verdict: AuditVerdict & {anchored?: string}): AuditVerdict {
	const {anchored: _anchored, ...rest} = verdict;
	return rest as AuditVerdict;
}

/** The chain walk; `anchored` is the hash of the line numbered `anchor.lines`, when the walk reached it. */
function verifyChain(content: Buffer, sessionId: string, anchor: AuditHead | undefined): AuditVerdict & {anchored?: string} {
	let anchored: string | undefined;
	let head: AuditHead = {lines: 0, hash: genesisHash(sessionId)};
	let start = 0;
	let number = 0;
	while (start < content.length) {
		number++;
		const newline = content.indexOf(0x0A, start);
		const bytes = content.subarray(start, newline === -1 ? content.length : newline);
		const next = newline === -1 ? content.length : newline + 1;
		const line = parseLine(bytes.toString('utf8'));
		if (!line) {
			if (next >= content.length) {
				return {intact: true, head, tornTail: true, ...(anchored ? {anchored} : {})};
			}

			return {intact: false, head, line: number, cause: `line ${number} is not an audit line (not JSON, or no seq and prev): it was edited`};
		}

		if (line.seq !== head.lines + 1) {
			const cause = line.seq > head.lines + 1
				? `line ${number} has sequence ${line.seq} where ${head.lines + 1} belongs: ${line.seq - head.lines - 1 === 1 ? `line ${head.lines + 1} was` : `lines ${head.lines + 1} to ${line.seq - 1} were`} removed`
				: `line ${number} has sequence ${line.seq} after line ${head.lines}: lines were reordered or repeated`;
			return {intact: false, head, line: number, cause};
		}

		if (line.prev !== head.hash) {
			const cause = number === 1
				? `line 1 does not start the trail of session ${sessionId}: it was edited, or the file belongs to another session`
				: `line ${number} does not chain to line ${number - 1}: line ${number - 1} was edited`;
			return {intact: false, head, line: number === 1 ? 1 : number - 1, cause};
		}

		if (newline === -1) {
			// Whole JSON but no newline: the write was cut after its last byte of JSON.
			return {intact: true, head, tornTail: true, ...(anchored ? {anchored} : {})};
		}

		head = {lines: line.seq, hash: sha256(bytes)};
		if (line.seq === anchor?.lines) {
			anchored = head.hash;
		}

		start = next;
	}

	return {intact: true, head, tornTail: false, ...(anchored ? {anchored} : {})};
}

/** The lines of a trail that parse, for reports (the chain is `verifyAuditTrail`'s business). */
export function parseAuditLines(content: Buffer): AuditLine[] {
	return content.toString('utf8').split('\n').flatMap(text => {
		const line = parseLine(text);
		return line ? [line] : [];
	});
}

/** The logger hook that turns every call and statement ferry's clients log into audit lines. */
export function auditObserver(trail: AuditTrail): LogObserver {
	return {
		request(entry) {
			trail.record({
				type: 'call',
				service: entry.service,
				operation: entry.operation,
				...(entry.url ? {resource: entry.method ? `${entry.method} ${entry.url}` : entry.url} : {}),
				...(entry.requestId ? {requestId: entry.requestId} : {}),
				...(entry.status === undefined ? {} : {status: entry.status}),
				durationMs: Math.round(entry.durationMs),
				retries: Math.max(0, (entry.attempt ?? 1) - 1),
				...(entry.error ? {error: entry.error} : {}),
			});
		},
		statement(entry) {
			trail.record({type: 'statement', service: entry.service, text: entry.text, ...(entry.remoteId ? {remoteId: entry.remoteId} : {})});
		},
	};
}
