import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type {Session} from '../../../source/engine/session.js';
import type {LocalCloudCredentials} from '@ferry/local-cloud/contract';
import {describeRun, filesUnder, listSessionIds, parseJsonOutput, sessionDirectory, useLocalCloud} from '../../helpers/cli.js';
import {redshiftToMaxComputeSteps, type RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
/** The session of the first run, which the listing tests read. */
let firstSessionId: string | undefined;

const stackLine = /^\s{4}at /m;

test.serial('a headless run prints one JSON document: every step done, verification equal, progress on stderr', async t => {
	const result = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	t.is(result.exitCode, 0, describeRun(result));
	const document = parseJsonOutput<RunDocument>(result);
	t.true(document.ok);
	t.is(document.exitCode, 0);
	t.is(document.session.state, 'done');
	t.deepEqual(document.steps.map(step => [step.id, step.state, step.attempts]), redshiftToMaxComputeSteps.map(id => [id, 'done', 1]));
	t.true(document.verification?.equal, document.verification?.summary.text);
	t.deepEqual(document.verification?.comparisons.map(comparison => comparison.id).filter(id => !id.startsWith('row-count:')), ['tables', 'tpch-q1']);
	t.is(document.verification?.comparisons.filter(comparison => comparison.kind === 'row-count').length, 8);

	// Progress goes to stderr through the plain renderer; stdout holds nothing but the document.
	t.regex(result.stderr, /^Step 1\/11 · Connections$/m);
	t.regex(result.stderr, /^Step 11\/11 · Verify$/m);
	t.regex(result.stderr, /✔ LOAD into MaxCompute/);
	t.regex(result.stderr, /All 10 queries return the same results on both sides/);
	t.notRegex(result.stderr, stackLine);
	firstSessionId = document.session.id;
});

test.serial('`ferry sessions` lists the run and `sessions show` returns the saved session', async t => {
	const sessionId = firstSessionId;
	if (!sessionId) {
		t.fail('the first test records the session id');
		return;
	}

	const listed = await cloud.ferry(['sessions', '--json']);
	t.is(listed.exitCode, 0, describeRun(listed));
	const summaries = parseJsonOutput<Array<{id: string; wizard: string; profile: string; state: string}>>(listed);
	t.like(summaries.find(summary => summary.id === sessionId), {wizard: 'redshift-to-maxcompute', profile: 'local', state: 'done'});

	const shown = await cloud.ferry(['sessions', 'show', sessionId, '--json']);
	t.is(shown.exitCode, 0, describeRun(shown));
	const session = parseJsonOutput<Session>(shown);
	t.is(session.id, sessionId);
	t.is(session.state, 'done');
	t.deepEqual(Object.keys(session.steps), redshiftToMaxComputeSteps);
	t.true(Object.values(session.steps).every(step => step.state === 'done'));
	t.true(Array.isArray(session.answers['tables']) && (session.answers['tables'] as string[]).includes('lineitem'));
	t.like(session.steps['verify']?.outputs, {equal: true});

	const missing = await cloud.ferry(['sessions', 'show', 'rtm-no-such-session', '--json']);
	t.is(missing.exitCode, 2, describeRun(missing));
	t.notRegex(missing.stderr, stackLine);
});

test.serial('a missing answer with --no-input exits 2 naming the flag, and creates no session', async t => {
	const before = listSessionIds(cloud.home);
	const result = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--no-input', '--set', 'unloadAuth=keys']);
	t.is(result.exitCode, 2, describeRun(result));
	t.regex(result.stderr, /Missing answer unloadAccessKeyId/);
	t.true(result.stderr.includes('--set unloadAccessKeyId='), result.stderr);
	t.notRegex(result.stderr, stackLine);
	t.deepEqual(listSessionIds(cloud.home), before);
});

test.serial('an unknown --set key and a malformed answers file exit 2 with a one-line cause and no stack trace', async t => {
	const unknown = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--set', 'tabels=orders']);
	t.is(unknown.exitCode, 2, describeRun(unknown));
	t.regex(unknown.stderr, /^✖ Unknown answer "tabels"$/m);
	t.notRegex(unknown.stderr, stackLine);

	const answersFile = path.join(cloud.home, 'broken.yaml');
	writeFileSync(answersFile, 'tables: [orders, lineitem\nparallelism: : 2\n');
	const malformed = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--answers', answersFile]);
	t.is(malformed.exitCode, 2, describeRun(malformed));
	const [cause, ...rest] = malformed.stderr.trimEnd().split('\n').filter(line => line.startsWith('✖'));
	t.regex(cause ?? '', /^✖ The answers file broken\.yaml is not valid YAML: .+/);
	t.deepEqual(rest, []);
	t.notRegex(malformed.stderr, stackLine);

	const malformedJson = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--answers', path.join(cloud.home, 'missing.json')]);
	t.is(malformedJson.exitCode, 2, describeRun(malformedJson));
	t.like(parseJsonOutput<RunDocument>(malformedJson), {ok: false, exitCode: 2});
	t.notRegex(malformedJson.stderr, stackLine);
});

test.serial('a secret from an --answers JSON file is used and appears nowhere afterwards', async t => {
	const keys = (JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'credentials.json'), 'utf8')) as LocalCloudCredentials).aws;
	const answersFile = path.join(cloud.home, 'answers.json');
	writeFileSync(answersFile, JSON.stringify({unloadAuth: 'keys', unloadAccessKeyId: keys.accessKeyId, unloadSecretAccessKey: keys.secretAccessKey, tables: ['region', 'nation']}), {mode: 0o600});
	const result = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--answers', answersFile]);
	t.is(result.exitCode, 0, describeRun(result));
	const document = parseJsonOutput<RunDocument>(result);
	t.true(document.verification?.equal, document.verification?.summary.text);

	const session = JSON.parse(readFileSync(path.join(sessionDirectory(cloud.home, document.session.id), 'session.json'), 'utf8')) as Session;
	t.is(session.answers['unloadAuth'], 'keys');
	t.false('unloadSecretAccessKey' in session.answers);
	const leaks = [
		...filesUnder(path.join(cloud.home, 'sessions')).filter(file => readFileSync(file, 'utf8').includes(keys.secretAccessKey)),
		...(result.stdout.includes(keys.secretAccessKey) ? ['stdout'] : []),
		...(result.stderr.includes(keys.secretAccessKey) ? ['stderr'] : []),
	];
	t.deepEqual(leaks, []);
});
