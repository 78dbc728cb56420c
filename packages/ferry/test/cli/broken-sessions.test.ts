import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {createSession} from '../../source/engine/session.js';
import {main} from '../../source/cli/main.js';
import {saveSession} from '../../source/store/session-store.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function brokenSession(home: string, id: string, content: string): string {
	const directory = path.join(home, 'sessions', id);
	mkdirSync(directory, {recursive: true});
	writeFileSync(path.join(directory, 'session.json'), content);
	return path.join(directory, 'session.json');
}

function setUp(home: string) {
	const good = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['connect'], answers: {}});
	good.id = 'rtm-20261128-090000-good';
	good.state = 'failed';
	saveSession(good);
	brokenSession(home, 'rtm-20261128-090000-empt', '{}');
	brokenSession(home, 'rtm-20261128-090000-garb', '\u0000\u0000garbage');
	brokenSession(home, 'rtm-20261128-090000-step', JSON.stringify({...good, id: 'rtm-20261128-090000-step', steps: {connect: {state: 'weird'}}}));
}

test.serial('a `{}` or garbage session.json does not break `ferry sessions`: broken ones are listed with the reason', async t => {
	const home = useFerryHome(t);
	setUp(home);
	const json = captureIo();
	t.is(await main(['sessions', '--json'], json.io), 0, json.stderr());
	const listed = JSON.parse(json.stdout()) as Array<{id: string; state: string; broken?: string}>;
	t.deepEqual(listed.map(item => [item.id, item.state]), [
		['rtm-20261128-090000-good', 'failed'],
		['rtm-20261128-090000-empt', 'broken'],
		['rtm-20261128-090000-garb', 'broken'],
		['rtm-20261128-090000-step', 'broken'],
	]);
	t.is(listed[1]!.broken, '`id` is missing or not a string');
	t.regex(listed[2]!.broken ?? '', /^not valid JSON/);
	t.is(listed[3]!.broken, 'step connect has no valid state ("weird")');

	const plain = captureIo();
	t.is(await main(['sessions'], plain.io), 0);
	const text = plain.stdout();
	t.regex(text, /^rtm-20261128-090000-good\s+redshift-to-maxcompute\s+local\s+failed/m);
	t.regex(text, /^rtm-20261128-090000-empt\s+\?\s+\?\s+broken/m);
	t.true(text.includes('rtm-20261128-090000-empt is broken: `id` is missing or not a string. Inspect '));
	t.true(text.includes('`ferry sessions delete rtm-20261128-090000-empt`'));
});

test.serial('`sessions show` of a broken session exits 1 with one clear line; it can still be deleted', async t => {
	const home = useFerryHome(t);
	setUp(home);
	const show = captureIo();
	t.is(await main(['sessions', 'show', 'rtm-20261128-090000-empt'], show.io), 1);
	t.deepEqual(show.stderr().split('\n'), [
		'✖ Session rtm-20261128-090000-empt cannot be read: `id` is missing or not a string',
		`  Inspect or delete ${path.join(home, 'sessions', 'rtm-20261128-090000-empt', 'session.json')} (\`ferry sessions delete rtm-20261128-090000-empt\`).`,
		'',
	]);
	const json = captureIo();
	t.is(await main(['sessions', 'show', 'rtm-20261128-090000-garb', '--json'], json.io), 1);
	t.is((JSON.parse(json.stdout()) as {exitCode: number}).exitCode, 1);
	const resume = captureIo();
	t.is(await main(['resume', 'rtm-20261128-090000-step', '--json'], resume.io), 1);
	const deleted = captureIo();
	t.is(await main(['sessions', 'delete', 'rtm-20261128-090000-empt', '--json'], deleted.io), 0, deleted.stderr());
	const after = captureIo();
	t.is(await main(['sessions', '--json'], after.io), 0);
	t.is((JSON.parse(after.stdout()) as unknown[]).length, 3);
});
