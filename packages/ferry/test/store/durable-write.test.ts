import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import test, {type ExecutionContext} from 'ava';
import {createSession} from '../../source/engine/session.js';
import {FileWriteError, removeStaleTemporaries, setWriteBytesForTests, writeFileAtomic} from '../../source/store/atomic-write.js';
import {getProfileKeys, setProfileKeys} from '../../source/store/credentials-store.js';
import {getProfile, saveProfile, type Profile} from '../../source/store/profiles.js';
import {loadSession, saveSession, sessionFiles} from '../../source/store/session-store.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function temporaryDirectory(t: ExecutionContext): string {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-durable-'));
	t.teardown(() => rmSync(directory, {recursive: true, force: true}));
	return directory;
}

/** A disk with `free` bytes left: writes are short once it fills up, then fail with ENOSPC, as Linux does. */
function nearlyFullDisk(t: ExecutionContext, free: number): void {
	let left = free;
	setWriteBytesForTests((_fd, _buffer, _offset, length) => {
		if (left === 0) {
			throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', errno: -28});
		}

		const written = Math.min(left, length);
		left -= written;
		return written;
	});
	t.teardown(() => setWriteBytesForTests());
}

const deadPid = 2 ** 22 + 12_345;

test.serial('a short write then ENOSPC keeps the previous file whole, removes the temp file and says what to do', t => {
	const directory = temporaryDirectory(t);
	const file = path.join(directory, 'session.json');
	writeFileAtomic(file, '{"version":1}\n');
	nearlyFullDisk(t, 10);
	const error = t.throws(() => writeFileAtomic(file, `{"version":2,"padding":"${'x'.repeat(4000)}"}\n`, 0o600, {hint: 'Free disk space, then `ferry resume X`.'}), {instanceOf: FileWriteError});
	t.is(error?.exitCode, 1);
	t.is(error?.code, 'ENOSPC');
	t.regex(error?.message ?? '', /no space left on the device; the previous version is kept/);
	t.is(error?.hint, 'Free disk space, then `ferry resume X`.');
	t.is(readFileSync(file, 'utf8'), '{"version":1}\n');
	t.deepEqual(readdirSync(directory), ['session.json']);
});

test.serial('a write that makes no progress is a failure, not a truncated file', t => {
	const directory = temporaryDirectory(t);
	const file = path.join(directory, 'report.json');
	writeFileAtomic(file, 'old');
	setWriteBytesForTests(() => 0);
	t.teardown(() => setWriteBytesForTests());
	t.throws(() => writeFileAtomic(file, 'new content'), {instanceOf: FileWriteError, code: 'ENOSPC'});
	t.is(readFileSync(file, 'utf8'), 'old');
	t.deepEqual(readdirSync(directory), ['report.json']);
});

test.serial('short writes that do progress are continued until every byte is in', t => {
	const file = path.join(temporaryDirectory(t), 'big.json');
	// The real system call, at most 7 bytes at a time.
	setWriteBytesForTests((fd, buffer, offset, length) => writeSync(fd, buffer, offset, Math.min(length, 7)));
	t.teardown(() => setWriteBytesForTests());
	const content = JSON.stringify({rows: Array.from({length: 200}, (_, index) => index)});
	writeFileAtomic(file, content);
	t.is(readFileSync(file, 'utf8'), content);
});

test.serial('saveSession on a full disk: session.json keeps its last good state and the hint names the session', t => {
	useFerryHome(t);
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['a'], answers: {}});
	saveSession(session);
	session.steps['a']!.state = 'done';
	nearlyFullDisk(t, 50);
	const error = t.throws(() => saveSession(session), {instanceOf: FileWriteError});
	t.is(error?.hint, `Free disk space, then \`ferry resume ${session.id}\`.`);
	setWriteBytesForTests();
	t.is(loadSession(session.id).steps['a']?.state, 'pending');
	t.deepEqual(readdirSync(sessionFiles(session.id).directory), ['session.json']);
});

test.serial('profiles and credentials (read by conf) are written by ferry: a full disk leaves both files intact', async t => {
	const home = useFerryHome(t);
	const profile: Profile = {name: 'prod', alibaba: {region: 'cn-hangzhou', credentials: {kind: 'stored'}}};
	await saveProfile(profile);
	await setProfileKeys('prod', {alibaba: {accessKeyId: 'LTAI-durable', accessKeySecret: 'durable-test-secret'}});
	const profilesFile = path.join(home, 'config', 'profiles.json');
	const credentialsFile = path.join(home, 'config', 'credentials.json');
	const [profilesBefore, credentialsBefore] = [readFileSync(profilesFile, 'utf8'), readFileSync(credentialsFile, 'utf8')];
	nearlyFullDisk(t, 20);
	await t.throwsAsync(saveProfile({...profile, description: 'x'.repeat(500)}), {instanceOf: FileWriteError});
	await t.throwsAsync(setProfileKeys('prod', {aws: {accessKeyId: 'AKIA-durable', secretAccessKey: 'durable-test-secret-2'}}), {instanceOf: FileWriteError});
	setWriteBytesForTests();
	t.is(readFileSync(profilesFile, 'utf8'), profilesBefore);
	t.is(readFileSync(credentialsFile, 'utf8'), credentialsBefore);
	t.deepEqual((await getProfile('prod')).alibaba, profile.alibaba);
	t.deepEqual(await getProfileKeys('prod'), {alibaba: {accessKeyId: 'LTAI-durable', accessKeySecret: 'durable-test-secret'}});
	t.deepEqual(readdirSync(path.join(home, 'config')).sort(), ['credentials.json', 'profiles.json']);
});

test.serial('temp files left by a killed writer are removed when the store next loads; a live writer\'s are kept', t => {
	useFerryHome(t);
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['a'], answers: {}});
	saveSession(session);
	const {directory} = sessionFiles(session.id);
	const stale = `session.json.${deadPid}.k1ll3d.tmp`;
	const live = `session.json.${process.pid}.wr1t1ng.tmp`;
	writeFileSync(path.join(directory, stale), '{"torn');
	writeFileSync(path.join(directory, live), '{"half');
	loadSession(session.id);
	t.false(existsSync(path.join(directory, stale)));
	t.true(existsSync(path.join(directory, live)));
	mkdirSync(path.join(directory, 'nested'));
	t.deepEqual(removeStaleTemporaries(directory), []);
});
