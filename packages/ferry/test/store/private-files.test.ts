import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import test from 'ava';
import {execa} from 'execa';
import {createSession} from '../../source/engine/session.js';
import {createFileLogger} from '../../source/log/logger.js';
import {setWriteBytesForTests, writeFileAtomic} from '../../source/store/atomic-write.js';
import {acquireSessionLock} from '../../source/store/session-lock.js';
import {saveSession, sessionFiles} from '../../source/store/session-store.js';
import {ferryCliPath} from '../helpers/cli.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const mode = (file: string) => statSync(file).mode & 0o777;

test.serial('ferry\'s folders are 0700 and its files 0600 whatever the umask: session, lock, log, report, job file', t => {
	const previous = process.umask(0);
	t.teardown(() => process.umask(previous));
	const home = path.join(useFerryHome(t), 'nested', 'home');
	process.env['FERRY_HOME'] = home;
	const session = createSession({wizard: 'test-wizard', wizardVersion: 1, profile: 'local', stepIds: ['a'], answers: {}});
	const lock = acquireSessionLock(session.id);
	t.teardown(() => lock.release());
	saveSession(session);
	const files = sessionFiles(session.id);
	createFileLogger(files.log).info('hello');
	writeFileAtomic(files.reportJson, '{}\n');
	writeFileAtomic(files.reportMarkdown, '# report\n');
	writeFileAtomic(path.join(files.directory, 'job.json'), '{}\n');
	for (const directory of [home, path.join(home, 'sessions'), files.directory]) {
		t.is(mode(directory).toString(8), '700', directory);
	}

	for (const file of [files.session, files.lock, files.log, files.reportJson, files.reportMarkdown, path.join(files.directory, 'job.json')]) {
		t.is(mode(file).toString(8), '600', file);
	}
});

test.serial('a full disk while the lock is written leaves no session.lock.<pid>.<rand>.tmp behind', t => {
	useFerryHome(t);
	setWriteBytesForTests(() => 0);
	t.teardown(() => setWriteBytesForTests());
	const id = 'dtm-20261207-000000-0000';
	t.throws(() => acquireSessionLock(id), {message: /short write|space/});
	t.deepEqual(readdirSync(sessionFiles(id).directory), []);
});

// A real full disk: a tmpfs filled to the last block (needs root and mount, as CI and the development machines have).
test.serial('a run started on a full disk exits 1 saying so, and leaves no session folder and no temp file', async t => {
	const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-full-disk-'));
	t.teardown(() => rmSync(root, {recursive: true, force: true}));
	const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', root], {reject: false});
	if (mounted.exitCode !== 0) {
		t.log(`no tmpfs here (${mounted.stderr.trim()}): the ENOSPC seam tests above cover the lock`);
		t.pass();
		return;
	}

	t.teardown(async () => {
		await execa('umount', [root], {reject: false});
	});
	const home = path.join(root, 'home');
	const ferry = async (args: string[]) => execa(process.execPath, [ferryCliPath, ...args], {env: {...process.env, FERRY_HOME: home, CI: 'true', NO_COLOR: '1'}, reject: false, input: ''});
	const added = await ferry(['profiles', 'add', 'remote', '--set', 'alibabaRegion=ap-southeast-1', '--set', 'alibabaAccountId=1234567890123456', '--set', 'alibabaProfile=default', '--set', 'maxcomputeProject=analytics']);
	t.is(added.exitCode, 0, added.stderr);
	await execa('dd', ['if=/dev/zero', `of=${path.join(root, 'fill')}`, 'bs=4k'], {reject: false});
	const run = await ferry(['run', 'datahub-to-maxcompute', '--profile', 'remote', '--yes', '--set', 'datahubProject=log_archive', '--set', 'datahubTopic=access_log', '--set', 'maxcomputeTable=access_log', '--set', 'records=10']);
	t.is(run.exitCode, 1, run.stderr);
	t.regex(run.stderr, /^✖ Could not create the session: No space left on the device/m);
	t.regex(run.stderr, /Nothing was created\. Free some disk space, then run the same command again\./);
	const sessions = path.join(home, 'sessions');
	t.deepEqual(readdirSync(sessions, {recursive: true}), [], 'no session folder, no temp file');
});
