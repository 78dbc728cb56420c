import {readFileSync, writeFileSync} from 'node:fs';
import test from 'ava';
import {main} from '../../source/cli/main.js';
import {createSession} from '../../source/engine/session.js';
import {openSessionAudit, saveSession, sessionFiles} from '../../source/store/session-store.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function sessionWithTrail(id: string, count: number): string {
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['connect'], answers: {}});
	session.id = id;
	const audit = openSessionAudit(id);
	for (let attempt = 1; attempt <= count; attempt++) {
		audit.record({type: 'step', phase: 'start', attempt});
	}

	session.audit = audit.head();
	audit.close();
	saveSession(session);
	return sessionFiles(id).audit;
}

async function verifyLog(id: string) {
	const io = captureIo();
	const code = await main(['sessions', 'verify-log', id], io.io);
	return {code, stdout: io.stdout(), stderr: io.stderr()};
}

test.serial('verify-log: an intact trail exits 0 with its line count and head hash', async t => {
	useFerryHome(t);
	sessionWithTrail('rtm-20261207-1700-aaaa', 3);
	const result = await verifyLog('rtm-20261207-1700-aaaa');
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /^✔ The audit trail of rtm-20261207-1700-aaaa is intact: 3 lines, head sha256 [\da-f]{64}\n$/);
});

test.serial('verify-log: an edited line exits 5 naming it', async t => {
	useFerryHome(t);
	const file = sessionWithTrail('rtm-20261207-1700-bbbb', 4);
	writeFileSync(file, readFileSync(file, 'utf8').replace('"attempt":2', '"attempt":9'));
	const result = await verifyLog('rtm-20261207-1700-bbbb');
	t.is(result.code, 5);
	t.regex(result.stderr, /^✖ The audit trail of rtm-20261207-1700-bbbb is broken: line 3 does not chain to line 2: line 2 was edited\n/);
});

test.serial('verify-log: a deleted line, or the last one, exits 5 naming it', async t => {
	useFerryHome(t);
	const file = sessionWithTrail('rtm-20261207-1700-cccc', 4);
	const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
	writeFileSync(file, `${lines.filter((_line, index) => index !== 1).join('\n')}\n`);
	let result = await verifyLog('rtm-20261207-1700-cccc');
	t.is(result.code, 5);
	t.regex(result.stderr, /line 2 has sequence 3 where 2 belongs: line 2 was removed/);
	writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n`);
	result = await verifyLog('rtm-20261207-1700-cccc');
	t.is(result.code, 5);
	t.regex(result.stderr, /line 4 was removed from the end/);
	const json = captureIo();
	t.is(await main(['sessions', 'verify-log', 'rtm-20261207-1700-cccc', '--json'], json.io), 5);
	t.like(JSON.parse(json.stdout()), {ok: false, intact: false, line: 4});
});
