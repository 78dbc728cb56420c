import {readFileSync} from 'node:fs';
import test from 'ava';
import {createSession, type Session} from '../../source/engine/session.js';
import {knownCommands} from '../../source/cli/help.js';
import {main} from '../../source/cli/main.js';
import {openSessionSecrets} from '../../source/store/credentials-store.js';
import {saveSession, sessionExists} from '../../source/store/session-store.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;

function savedSession(id: string, state: Session['state'] = 'running'): Session {
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['connect', 'unload'], answers: {tables: ['orders']}});
	session.id = id;
	session.state = state;
	session.steps['connect']!.state = 'done';
	saveSession(session);
	return session;
}

test('--version prints the version from package.json', async t => {
	for (const argv of [['--version'], ['-v'], ['run', '--version']]) {
		const captured = captureIo();
		t.is(await main(argv, captured.io), 0);
		t.is(captured.stdout(), `${packageVersion}\n`);
		t.is(captured.stderr(), '');
	}
});

test('--help and `help` print the general help with examples', async t => {
	for (const argv of [['--help'], ['-h'], ['help']]) {
		const captured = captureIo();
		t.is(await main(argv, captured.io), 0);
		t.true(captured.stdout().startsWith('ferry — '), argv.join(' '));
		t.true(captured.stdout().includes('\nExamples\n'));
		t.true(captured.stdout().includes('Exit codes'));
	}
});

test('every command has its own help with examples', async t => {
	t.true(knownCommands().length >= 8);
	for (const command of knownCommands()) {
		const viaFlag = captureIo();
		t.is(await main([command, '--help'], viaFlag.io), 0, command);
		t.true(viaFlag.stdout().startsWith(`ferry ${command}`), command);
		t.true(viaFlag.stdout().includes('Examples'), command);
		const viaHelp = captureIo();
		t.is(await main(['help', command], viaHelp.io), 0);
		t.is(viaHelp.stdout(), viaFlag.stdout());
	}
});

test('an unknown flag exits 2 with a one-line message and a hint', async t => {
	const captured = captureIo();
	t.is(await main(['run', 'redshift-to-maxcompute', '--frobnicate'], captured.io), 2);
	t.is(captured.stdout(), '');
	t.deepEqual(captured.stderr().split('\n'), ['✖ Unknown option --frobnicate for ferry run', '  See `ferry run --help`.', '']);
});

test('`ferry sessions list --scale 5 --faults x` exits 2 naming --scale and whose option it is; with --json, a usage document', async t => {
	const captured = captureIo();
	t.is(await main(['sessions', 'list', '--scale', '5', '--faults', 'x'], captured.io), 2);
	t.is(captured.stdout(), '');
	t.deepEqual(captured.stderr().split('\n'), ['✖ Unknown option --scale for ferry sessions list', '  --scale is an option of `ferry local-cloud start`. See `ferry sessions list --help`.', '']);
	const json = captureIo();
	t.is(await main(['sessions', 'list', '--scal', '5', '--json'], json.io), 2);
	t.deepEqual(JSON.parse(json.stdout()), {ok: false, exitCode: 2, error: {message: 'Unknown option --scal for ferry sessions list', hint: 'See `ferry sessions list --help`.', code: 'usage'}});
});

test('an unknown wizard exits 2 before anything loads, naming the closest one and the help', async t => {
	const captured = captureIo();
	t.is(await main(['run', 'datahub', '--local', '--yes'], captured.io), 2);
	t.deepEqual(captured.stderr().split('\n'), ['✖ Unknown wizard "datahub" for ferry run', '  Did you mean datahub-to-maxcompute? Use one of redshift-to-maxcompute, datahub-to-maxcompute, maxcompute-to-loghub. See `ferry run --help`.', '']);
});

test('an unknown command exits 2 and suggests the nearest one', async t => {
	const captured = captureIo();
	t.is(await main(['sesions'], captured.io), 2);
	t.deepEqual(captured.stderr().split('\n'), ['✖ Unknown command "sesions"', '  Did you mean `ferry sessions`? See `ferry --help`.', '']);
	const other = captureIo();
	t.is(await main(['xyzzy'], other.io), 2);
	t.is(other.stderr(), '✖ Unknown command "xyzzy"\n  See `ferry --help`.\n');
});

test.serial('`ferry sessions --json` on an empty home prints []', async t => {
	useFerryHome(t);
	const captured = captureIo();
	t.is(await main(['sessions', '--json'], captured.io), 0);
	t.is(captured.stdout(), '[]\n');
	const plain = captureIo();
	t.is(await main(['sessions'], plain.io), 0);
	t.true(plain.stdout().startsWith('No sessions yet.'));
});

test.serial('`ferry sessions --json` lists summaries, newest first', async t => {
	useFerryHome(t);
	savedSession('r2m-20261121-093500-aaaa', 'failed');
	await new Promise(resolve => {
		setTimeout(resolve, 5);
	});
	savedSession('r2m-20261121-093600-bbbb', 'done');
	const captured = captureIo();
	t.is(await main(['sessions', 'list', '--json'], captured.io), 0);
	const listed = JSON.parse(captured.stdout()) as Array<Record<string, unknown>>;
	t.deepEqual(listed.map(item => [item['id'], item['state'], item['lastStep'], item['wizard'], item['profile']]), [
		['r2m-20261121-093600-bbbb', 'done', 'connect', 'redshift-to-maxcompute', 'local'],
		['r2m-20261121-093500-aaaa', 'failed', 'connect', 'redshift-to-maxcompute', 'local'],
	]);
	t.false('answers' in listed[0]!, 'a listing is a summary');
	const table = captureIo();
	t.is(await main(['sessions'], table.io), 0);
	const lines = table.stdout().trimEnd().split('\n');
	t.regex(lines[0]!, /^ID\s+WIZARD\s+PROFILE\s+STATE\s+LAST STEP\s+AGE$/);
	t.true(lines[1]!.startsWith('r2m-20261121-093600-bbbb'));
	t.is(lines.length, 3);
});

test.serial('`ferry sessions show` takes a unique prefix and prints the whole session as JSON', async t => {
	useFerryHome(t);
	const session = savedSession('r2m-20261121-093500-aaaa');
	const captured = captureIo();
	t.is(await main(['sessions', 'show', 'r2m-2026', '--json'], captured.io), 0);
	t.deepEqual(JSON.parse(captured.stdout()), JSON.parse(readFileSync(`${process.env['FERRY_HOME']!}/sessions/${session.id}/session.json`, 'utf8')) as unknown);
	const plain = captureIo();
	t.is(await main(['sessions', 'show', 'r2m'], plain.io), 0);
	t.true(plain.stdout().startsWith(`${session.id} · redshift-to-maxcompute · profile local · running`));
});

test.serial('`ferry sessions delete` removes the session and its secrets', async t => {
	useFerryHome(t);
	const session = savedSession('r2m-20261121-093500-aaaa');
	const keep = savedSession('r2m-20261121-093500-keep');
	const secrets = await openSessionSecrets(session.id);
	secrets.set('unloadSecretAccessKey', 'main-test-session-secret');
	(await openSessionSecrets(keep.id)).set('unloadSecretAccessKey', 'main-test-other-secret');
	const captured = captureIo();
	t.is(await main(['sessions', 'delete', 'r2m-20261121-093500-a', '--json'], captured.io), 0);
	t.deepEqual(JSON.parse(captured.stdout()), {deleted: session.id});
	t.false(sessionExists(session.id));
	t.true(sessionExists(keep.id));
	t.is((await openSessionSecrets(session.id)).get('unloadSecretAccessKey'), undefined);
	t.is((await openSessionSecrets(keep.id)).get('unloadSecretAccessKey'), 'main-test-other-secret');
});

test.serial('sessions usage errors exit 2; with --json the error is also a JSON document on stdout', async t => {
	useFerryHome(t);
	savedSession('r2m-1');
	savedSession('r2m-2');
	const ambiguous = captureIo();
	t.is(await main(['sessions', 'show', 'r2m', '--json'], ambiguous.io), 2);
	t.deepEqual(JSON.parse(ambiguous.stdout()), {ok: false, exitCode: 2, error: {message: 'r2m matches 2 sessions', hint: 'List sessions with `ferry sessions`.', code: 'usage'}});
	t.is(ambiguous.stderr(), '✖ r2m matches 2 sessions\n  List sessions with `ferry sessions`.\n');
	const missingId = captureIo();
	t.is(await main(['sessions', 'delete'], missingId.io), 2);
	t.true(missingId.stderr().startsWith('✖ ferry sessions delete needs a session id\n'));
	const unknown = captureIo();
	t.is(await main(['sessions', 'rename', 'x'], unknown.io), 2);
	t.true(unknown.stderr().startsWith('✖ Unknown sessions action "rename"\n'));
	const noSuch = captureIo();
	t.is(await main(['sessions', 'delete', 'zzz'], noSuch.io), 2);
	t.true(sessionExists('r2m-1') && sessionExists('r2m-2'));
});
