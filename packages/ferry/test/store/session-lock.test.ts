import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {execa} from 'execa';
import {createSession} from '../../source/engine/session.js';
import {processStartTicks} from '../../source/store/process-alive.js';
import {acquireSessionLock, SessionBusyError, sessionLockHolder} from '../../source/store/session-lock.js';
import {saveSession, sessionFiles} from '../../source/store/session-store.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const lockModule = fileURLToPath(new URL('../../source/store/session-lock.ts', import.meta.url));

/** A live process that is not this one, to stand for another ferry holding a session. */
function otherProcess() {
	return execa(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {reject: false});
}

function writeLock(id: string, pid: number, processStart?: string): void {
	writeFileSync(sessionFiles(id).lock, `${JSON.stringify({pid, startedAt: '2026-11-28T09:00:00.000Z', ...(processStart ? {processStart} : {})})}\n`);
}

function newSession(): string {
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['a'], answers: {}});
	saveSession(session);
	return session.id;
}

test.serial('a lock held by a live process is refused with its pid; once that process is gone it is taken over', async t => {
	useFerryHome(t);
	const id = newSession();
	const holder = otherProcess();
	t.teardown(() => holder.kill('SIGKILL'));
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	writeLock(id, holder.pid!, processStartTicks(holder.pid!));
	t.is(sessionLockHolder(id)?.pid, holder.pid);
	const error = t.throws(() => acquireSessionLock(id), {instanceOf: SessionBusyError});
	t.is(error?.exitCode, 1);
	t.is(error?.message, `Session ${id} is being run by another ferry process (pid ${holder.pid}, since 2026-11-28T09:00:00.000Z)`);
	t.regex(error?.hint ?? '', new RegExp(`kill ${holder.pid}`));

	holder.kill('SIGKILL');
	await holder;
	t.is(sessionLockHolder(id), undefined, 'a dead holder holds nothing');
	const lock = acquireSessionLock(id);
	t.is((JSON.parse(readFileSync(sessionFiles(id).lock, 'utf8')) as {pid: number}).pid, process.pid);
	lock.release();
	t.false(existsSync(sessionFiles(id).lock));
});

test.serial('a recycled pid (same number, another start time) does not hold the lock', t => {
	useFerryHome(t);
	const id = newSession();
	writeLock(id, process.pid, 'not-our-start-time');
	t.is(sessionLockHolder(id), undefined);
	acquireSessionLock(id).release();
});

test.serial('one owner at a time; release only removes a lock that is still ours', t => {
	useFerryHome(t);
	const id = newSession();
	const lock = acquireSessionLock(id);
	t.throws(() => acquireSessionLock(id), {instanceOf: SessionBusyError});
	// Taken over by someone else meanwhile (say, after this process was wrongly thought dead).
	writeLock(id, 1);
	lock.release();
	t.true(existsSync(sessionFiles(id).lock));
});

test.serial('the lock is released when the process exits, also through process.exit after an error', async t => {
	const home = useFerryHome(t);
	const id = newSession();
	const script = `const {acquireSessionLock} = await import(${JSON.stringify(lockModule)}); acquireSessionLock(${JSON.stringify(id)}); process.stdout.write('held'); setTimeout(() => process.exit(130), 50);`;
	const child = await execa(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {env: {...process.env, FERRY_HOME: home}, reject: false});
	t.is(child.stdout, 'held', child.stderr);
	t.is(child.exitCode, 130);
	t.false(existsSync(sessionFiles(id).lock));
});
