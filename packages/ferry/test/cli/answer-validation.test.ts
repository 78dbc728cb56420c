import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {startRun} from '../../source/commands/run.js';
import {parseCliArgs} from '../../source/cli/cli-args.js';
import {main} from '../../source/cli/main.js';
import {createSession} from '../../source/engine/session.js';
import {openSessionSecrets} from '../../source/store/credentials-store.js';
import {loadSession, saveSession, sessionFiles} from '../../source/store/session-store.js';
import type {InteractiveApp} from '../../source/ui/interactive-app.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function sessionIds(home: string): string[] {
	const root = path.join(home, 'sessions');
	return existsSync(root) ? readdirSync(root) : [];
}

test.serial('a wrong --set answer stops `ferry run` with exit 2 before a session exists', async t => {
	const home = useFerryHome(t);
	for (const set of ['s3Bucket=BAD_', 'parallelism=99', 'parallelism=four', 'redshiftAccess=telnet', 'ossRegion=Mars']) {
		const captured = captureIo();
		t.is(await main(['run', 'redshift-to-maxcompute', '--local', '--yes', '--set', set], captured.io), 2, set);
		const [message, hint] = captured.stderr().split('\n');
		t.regex(message ?? '', new RegExp(`^✖ (Invalid answer )?${set.split('=')[0]!}`), set);
		t.regex(hint ?? '', /--set /, set);
		t.false(captured.stderr().includes('ferry resume'), 'no session to resume');
	}

	t.deepEqual(sessionIds(home), []);
});

test.serial('answers files are checked the same way', async t => {
	const home = useFerryHome(t);
	const file = path.join(home, 'answers.json');
	writeFileSync(file, JSON.stringify({customChecks: [{title: 'no queries'}]}));
	const captured = captureIo();
	t.is(await main(['run', 'redshift-to-maxcompute', '--local', '--yes', '--answers', file], captured.io), 2);
	t.regex(captured.stderr(), /Invalid answer customChecks: Check 1 needs a title, a source and a target query/);
	t.deepEqual(sessionIds(home), []);
});

test.serial('the interactive flow\'s handoff to the runner checks the answers too', async t => {
	const home = useFerryHome(t);
	const captured = captureIo();
	// The app is never reached: the answer is refused first.
	await t.throwsAsync(startRun({wizardId: 'redshift-to-maxcompute', profileName: 'local', args: parseCliArgs(['run', 'redshift-to-maxcompute', '--set', 'ossBucket=Not A Bucket']), io: captured.io, app: {} as InteractiveApp}), {name: 'AnswerError', message: /Invalid answer ossBucket/});
	t.deepEqual(sessionIds(home), []);
});

test.serial('`ferry resume ID --set` refuses a wrong answer, naming the resume command, and changes nothing', async t => {
	useFerryHome(t);
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['connections', 'preflight'], answers: {s3Bucket: 'kept-bucket'}});
	session.state = 'failed';
	saveSession(session);
	const captured = captureIo();
	t.is(await main(['resume', session.id, '--set', 's3Bucket=BAD_', '--yes'], captured.io), 2);
	t.regex(captured.stderr(), /Invalid answer s3Bucket/);
	t.true(captured.stderr().includes(`\`ferry resume ${session.id} --set s3Bucket=my-unload-bucket\``), captured.stderr());
	t.is(loadSession(session.id).answers['s3Bucket'], 'kept-bucket');
	const secret = captureIo();
	t.is(await main(['resume', session.id, '--set', 'unloadSecretAccessKey=abc', '--yes'], secret.io), 2);
	t.regex(secret.stderr(), /is a secret and cannot be passed with --set/);
});

test('`ferry resume --help` shows how to change an answer', async t => {
	const captured = captureIo();
	t.is(await main(['resume', '--help'], captured.io), 0);
	t.regex(captured.stdout(), /\$ ferry resume \S+ --set \w+=\S+/);
	t.regex(captured.stdout(), /FERRY_SECRET_/);
});

test.serial('`ferry resume ID --set/--answers` saves the change, secrets in the credentials file, and logs it without the secret', async t => {
	const home = useFerryHome(t);
	// A profile that does not exist stops the resume right after the answers are changed, before any cloud is reached.
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'gone', stepIds: ['connections', 'preflight'], answers: {s3Bucket: 'old-bucket', unloadAuth: 'keys'}});
	session.state = 'failed';
	session.steps['connections']!.state = 'done';
	session.steps['connections']!.attempts = 1;
	saveSession(session);
	const file = path.join(home, 'fix.yaml');
	writeFileSync(file, 'unloadSecretAccessKey: resume-test-secret-value\n');
	const captured = captureIo();
	t.not(await main(['resume', session.id, '--set', 's3Bucket=new-bucket', '--answers', file, '--yes'], captured.io), 0);
	const saved = loadSession(session.id);
	t.is(saved.answers['s3Bucket'], 'new-bucket');
	t.false(JSON.stringify(saved).includes('resume-test-secret-value'));
	t.is(saved.steps['connections']?.state, 'pending', 'the form that asked the answer runs again');
	t.is((await openSessionSecrets(session.id)).get('unloadSecretAccessKey'), 'resume-test-secret-value');
	const log = readFileSync(sessionFiles(session.id).log, 'utf8');
	t.regex(log, /resume: answer s3Bucket changed from "old-bucket" to "new-bucket"/);
	t.regex(log, /resume: secret answer unloadSecretAccessKey replaced/);
	t.false(log.includes('resume-test-secret-value'));
});
