import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {createSession, type Session} from '../../source/engine/session.js';
import {UsageError} from '../../source/engine/errors.js';
import {BrokenSessionError, deleteSession, listSessions, loadSession, resolveSessionId, saveSession, sessionExists, sessionFiles} from '../../source/store/session-store.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function makeSession(id: string): Session {
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['connect', 'unload'], answers: {tables: ['orders']}});
	session.id = id;
	return session;
}

test.serial('saveSession writes valid JSON under FERRY_HOME and stamps updatedAt', t => {
	const home = useFerryHome(t);
	const session = makeSession('r2m-20261121-093500-aaaa');
	session.updatedAt = '2000-01-01T00:00:00.000Z';
	saveSession(session);
	const file = path.join(home, 'sessions', session.id, 'session.json');
	t.is(sessionFiles(session.id).session, file);
	const stored = JSON.parse(readFileSync(file, 'utf8')) as Session;
	t.deepEqual(stored, session);
	t.not(stored.updatedAt, '2000-01-01T00:00:00.000Z');
	t.deepEqual(readdirSync(path.dirname(file)), ['session.json'], 'no temp file left behind');
	t.deepEqual(loadSession(session.id), session);
	t.true(sessionExists(session.id));
});

test.serial('listSessions is newest first by last update, and skips unreadable ones', async t => {
	const home = useFerryHome(t);
	t.deepEqual(listSessions(), [], 'no sessions directory yet');
	const a = makeSession('r2m-a');
	const b = makeSession('r2m-b');
	const c = makeSession('r2m-c');
	for (const session of [a, b, c]) {
		saveSession(session);
		await sleep(5);
	}

	saveSession(a);
	mkdirSync(path.join(home, 'sessions', 'half-created'));
	mkdirSync(path.join(home, 'sessions', 'torn'));
	writeFileSync(path.join(home, 'sessions', 'torn', 'session.json'), '{"id": "torn", ');
	writeFileSync(path.join(home, 'sessions', 'stray-file'), 'x');
	t.deepEqual(listSessions().map(session => session.id), ['r2m-a', 'r2m-c', 'r2m-b']);
});

test.serial('loadSession: a missing session is a usage error, a torn one a broken session (exit 1)', t => {
	const home = useFerryHome(t);
	t.throws(() => loadSession('nope'), {instanceOf: UsageError, message: 'No session nope'});
	mkdirSync(path.join(home, 'sessions', 'torn'), {recursive: true});
	writeFileSync(path.join(home, 'sessions', 'torn', 'session.json'), '{');
	const error = t.throws(() => loadSession('torn'), {instanceOf: BrokenSessionError});
	t.true(error?.message.startsWith('Session torn cannot be read'));
	t.is(error?.exitCode, 1);
	t.true(error?.hint?.includes(path.join(home, 'sessions', 'torn', 'session.json')));
});

test.serial('resolveSessionId accepts a full id or a unique prefix', t => {
	useFerryHome(t);
	saveSession(makeSession('r2m-20261121-093500-aaaa'));
	saveSession(makeSession('r2m-20261121-093500-abbb'));
	saveSession(makeSession('d2m-20261122-100000-cccc'));
	t.is(resolveSessionId('r2m-20261121-093500-aaaa'), 'r2m-20261121-093500-aaaa');
	t.is(resolveSessionId('d2m'), 'd2m-20261122-100000-cccc');
	t.is(resolveSessionId('r2m-20261121-093500-ab'), 'r2m-20261121-093500-abbb');
	const ambiguous = t.throws(() => resolveSessionId('r2m'), {instanceOf: UsageError});
	t.is(ambiguous?.message, 'r2m matches 2 sessions');
	t.is(ambiguous?.exitCode, 2);
	t.throws(() => resolveSessionId('zzz'), {instanceOf: UsageError, message: 'No session zzz'});
});

test.serial('deleteSession removes the whole session directory', t => {
	const home = useFerryHome(t);
	const session = makeSession('r2m-gone');
	saveSession(session);
	writeFileSync(sessionFiles(session.id).log, 'a log line\n');
	deleteSession(session.id);
	t.false(sessionExists(session.id));
	t.deepEqual(readdirSync(path.join(home, 'sessions')), []);
	t.throws(() => deleteSession(session.id), {instanceOf: UsageError, message: 'No session r2m-gone'});
});
