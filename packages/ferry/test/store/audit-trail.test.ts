import {appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {createMemoryLogger} from '../../source/log/logger.js';
import {registerSecret} from '../../source/log/redact.js';
import {setWriteBytesForTests} from '../../source/store/atomic-write.js';
import {auditObserver, genesisHash, openAuditTrail, sha256, verifyAuditTrail, type AuditLine} from '../../source/store/audit-trail.js';

const sessionId = 'rtm-20261207-1640-ab12';

function folder(t: ExecutionContext): string {
	const directory = path.join(mkdtempSync(path.join(os.tmpdir(), 'ferry-audit-')), 'session');
	t.teardown(() => rmSync(path.dirname(directory), {recursive: true, force: true}));
	return directory;
}

/** A trail of `count` step lines, closed. */
function trailOf(directory: string, count: number): string {
	const trail = openAuditTrail(directory, sessionId);
	for (let index = 1; index <= count; index++) {
		trail.record({type: 'step', phase: 'start', attempt: index});
	}

	trail.close();
	return path.join(directory, 'audit.jsonl');
}

function lines(file: string): string[] {
	return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

test('each line holds its sequence and the SHA-256 of the line before; the first chains to the session\'s genesis', t => {
	const directory = folder(t);
	const file = trailOf(directory, 3);
	const written = lines(file);
	const parsed = written.map(line => JSON.parse(line) as AuditLine);
	t.deepEqual(parsed.map(line => line.seq), [1, 2, 3]);
	t.is(parsed[0]!.prev, genesisHash(sessionId));
	t.is(parsed[1]!.prev, sha256(written[0]!));
	t.is(parsed[2]!.prev, sha256(written[1]!));
	t.deepEqual(verifyAuditTrail(readFileSync(file), sessionId), {intact: true, head: {lines: 3, hash: sha256(written[2]!)}, tornTail: false});
	// The session folder's rules: 0700 folder, 0600 file.
	t.is(statSync(directory).mode & 0o777, 0o700);
	t.is(statSync(file).mode & 0o777, 0o600);
});

test('a reopened trail goes on from its last line', t => {
	const directory = folder(t);
	trailOf(directory, 2);
	const file = trailOf(directory, 2);
	t.deepEqual(lines(file).map(line => (JSON.parse(line) as AuditLine).seq), [1, 2, 3, 4]);
	t.true(verifyAuditTrail(readFileSync(file), sessionId).intact);
});

test('an edited line is found: the next line no longer chains to it', t => {
	const file = trailOf(folder(t), 4);
	const written = lines(file);
	written[1] = written[1]!.replace('"attempt":2', '"attempt":7');
	writeFileSync(file, `${written.join('\n')}\n`);
	const verdict = verifyAuditTrail(readFileSync(file), sessionId);
	t.false(verdict.intact);
	t.like(verdict, {line: 2, cause: 'line 3 does not chain to line 2: line 2 was edited', head: {lines: 2}});
});

test('a removed line and reordered lines are found by their sequence numbers', t => {
	const file = trailOf(folder(t), 5);
	const written = lines(file);
	writeFileSync(file, `${written.filter((_line, index) => index !== 2).join('\n')}\n`);
	t.like(verifyAuditTrail(readFileSync(file), sessionId), {intact: false, line: 3, cause: 'line 3 has sequence 4 where 3 belongs: line 3 was removed'});

	writeFileSync(file, `${[written[0], written[2], written[1], written[3]].join('\n')}\n`);
	t.like(verifyAuditTrail(readFileSync(file), sessionId), {intact: false, line: 2, cause: 'line 2 has sequence 3 where 2 belongs: line 2 was removed'});
	writeFileSync(file, `${[written[0], written[1], written[0]].join('\n')}\n`);
	t.like(verifyAuditTrail(readFileSync(file), sessionId), {intact: false, line: 3, cause: 'line 3 has sequence 1 after line 2: lines were reordered or repeated'});
});

test('a trail of another session, or a first line edited, does not start the chain', t => {
	const file = trailOf(folder(t), 2);
	t.like(verifyAuditTrail(readFileSync(file), 'rtm-20261207-1640-ffff'), {intact: false, line: 1, cause: 'line 1 does not start the trail of session rtm-20261207-1640-ffff: it was edited, or the file belongs to another session'});
});

test('with the head the session saved, the last line edited or lines cut from the end are found too', t => {
	const file = trailOf(folder(t), 4);
	const written = lines(file);
	const anchor = {lines: 4, hash: sha256(written[3]!)};
	t.true(verifyAuditTrail(readFileSync(file), sessionId, anchor).intact);
	writeFileSync(file, `${written.slice(0, 3).join('\n')}\n`);
	t.like(verifyAuditTrail(readFileSync(file), sessionId, anchor), {intact: false, line: 4, cause: 'the trail ends at line 3, but the session recorded 4 lines: line 4 was removed from the end'});
	writeFileSync(file, `${[...written.slice(0, 3), written[3]!.replace('"attempt":4', '"attempt":5')].join('\n')}\n`);
	t.like(verifyAuditTrail(readFileSync(file), sessionId, anchor), {intact: false, line: 4, cause: 'line 4 is not the line the session recorded (its hash differs): it was edited'});
});

test('a torn last line is reported, not taken for tampering; the next open cuts it off and records the repair', t => {
	const directory = folder(t);
	const file = trailOf(directory, 2);
	const head = verifyAuditTrail(readFileSync(file), sessionId).head;
	appendFileSync(file, '{"seq":3,"prev":"ab');
	t.deepEqual(verifyAuditTrail(readFileSync(file), sessionId), {intact: true, head, tornTail: true});

	trailOf(directory, 1);
	const parsed = lines(file).map(line => JSON.parse(line) as AuditLine);
	t.deepEqual(parsed.map(line => [line.seq, line.type]), [[1, 'step'], [2, 'step'], [3, 'repair'], [4, 'step']]);
	t.like(parsed[2], {droppedBytes: 19, droppedSha256: sha256('{"seq":3,"prev":"ab'), prev: head.hash});
	t.deepEqual(verifyAuditTrail(readFileSync(file), sessionId), {intact: true, head: {lines: 4, hash: sha256(lines(file)[3]!)}, tornTail: false});
});

test.serial('a full disk mid-line takes the half line back: the file stays a valid chain and the error says what to do', t => {
	const directory = folder(t);
	const trail = openAuditTrail(directory, sessionId, {hint: 'Free disk space, then `ferry resume`.'});
	trail.record({type: 'step', phase: 'start', attempt: 1});
	let left = 10;
	setWriteBytesForTests((_fd, _buffer, _offset, length) => {
		if (left === 0) {
			throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
		}

		const written = Math.min(left, length);
		left -= written;
		return written;
	});
	t.teardown(() => setWriteBytesForTests());
	const error = t.throws(() => trail.record({type: 'step', phase: 'end', attempt: 1, state: 'done'}));
	t.regex(error?.message ?? '', /audit\.jsonl: no space left on the device/);
	setWriteBytesForTests();
	trail.record({type: 'step', phase: 'end', attempt: 1, state: 'done'});
	trail.close();
	const file = path.join(directory, 'audit.jsonl');
	t.deepEqual(lines(file).map(line => (JSON.parse(line) as AuditLine).seq), [1, 2]);
	t.true(verifyAuditTrail(readFileSync(file), sessionId).intact);
});

test('calls and statements logged by a client reach the trail through the logger\'s observer, redacted, within their step', t => {
	const directory = folder(t);
	const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYAUDITKEY';
	registerSecret(secret);
	const trail = openAuditTrail(directory, sessionId);
	const log = createMemoryLogger(auditObserver(trail)).child('unload');
	trail.enterStep('unload');
	log.request({service: 'redshift-data', operation: 'ExecuteStatement', status: 200, durationMs: 12.4, requestId: 'req-1', attempt: 3});
	log.statement({service: 'redshift-data', text: `UNLOAD ('SELECT 1') TO 's3://b/p' SECRET_ACCESS_KEY '${secret}'`, remoteId: 'stmt-1'});
	trail.close();
	const parsed = lines(path.join(directory, 'audit.jsonl')).map(line => JSON.parse(line) as AuditLine);
	t.like(parsed[0], {type: 'call', step: 'unload', service: 'redshift-data', operation: 'ExecuteStatement', status: 200, durationMs: 12, requestId: 'req-1', retries: 2});
	t.like(parsed[1], {type: 'statement', step: 'unload', remoteId: 'stmt-1', text: 'UNLOAD (\'SELECT 1\') TO \'s3://b/p\' SECRET_ACCESS_KEY \'[redacted]\''});
	t.false(readFileSync(path.join(directory, 'audit.jsonl'), 'utf8').includes(secret));
});
