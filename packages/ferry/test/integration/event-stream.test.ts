import {existsSync, readFileSync} from 'node:fs';
import test from 'ava';
import {describeRun, useLocalCloud} from '../helpers/cli.js';

const cloud = useLocalCloud(test);

type Event = {event: string; time: string; session: string; step?: string; [key: string]: unknown};

test('a headless local run with --events - is a JSON-lines stream on stdout: each step started and finished, progress, the verification, then the result', async t => {
	const run = await cloud.ferry(['run', 'datahub-to-maxcompute', '--local', '--yes', '--events', '-', '--set', 'records=600', '--set', 'batchSize=100', '--set', 'datahubTopic=events', '--set', 'maxcomputeTable=events_logs']);
	t.is(run.exitCode, 0, describeRun(run));
	const lines = run.stdout.trimEnd().split('\n');
	const events = lines.map(line => JSON.parse(line) as Event);
	const names = events.map(event => event.event);
	const [first] = events;
	const id = first!.session;
	t.like(first, {event: 'session', wizard: 'datahub-to-maxcompute', profile: 'local'});
	t.true(existsSync(first!['log'] as string), 'the session log it names exists');
	t.true(events.every(event => event.session === id && !Number.isNaN(Date.parse(event.time))), 'every event names the session and its time');
	t.true(events.every((event, index) => index === 0 || Date.parse(event.time) >= Date.parse(events[index - 1]!.time)), 'in the order they happened');

	// Every step starts, then finishes, one after another, in the procedure's order.
	const steps = events.filter(event => event.event === 'step.started').map(event => event.step);
	t.deepEqual(steps, ['connections', 'preflight', 'plan', 'table', 'identities', 'project', 'topic', 'connector', 'write', 'sync', 'verify']);
	for (const [index, step] of steps.entries()) {
		const started = events.findIndex(event => event.event === 'step.started' && event.step === step);
		const finished = events.findIndex(event => event.event === 'step.finished' && event.step === step);
		t.true(started < finished, `${step} starts before it finishes`);
		t.like(events[started], {title: (events[started]!['title'] as string), index: index + 1, total: steps.length});
		t.like(events[finished], {state: 'done', attempts: 1});
		t.is(typeof events[finished]!['durationMs'], 'number');
		const next = steps[index + 1];
		if (next) {
			t.true(finished < events.findIndex(event => event.event === 'step.started' && event.step === next), `${step} ends before ${next} starts`);
		}
	}

	// Progress of the write step's sub-task: the last line (never dropped by the rate limit) says every record went in.
	const writes = events.filter(event => event.event === 'progress' && event.step === 'write' && event['task'] !== undefined);
	t.true(writes.length > 0, 'the write step reports its progress');
	t.regex(writes.at(-1)!['task'] as string, /^PutRecords to /);
	t.regex(writes.at(-1)!['line'] as string, /^600 \/ 600 records · 100%/);

	// The verification, before its step ends: the verdict, every check, and the report's file.
	const verification = events.find(event => event.event === 'verification')!;
	t.truthy(verification, names.join(' '));
	t.like(verification, {step: 'verify', outcome: 'equal', differing: 0, notCompared: 0});
	const checks = verification['checks'] as Array<{id: string; outcome: string}>;
	t.true(checks.length > 0);
	t.true(checks.every(check => check.outcome === 'equal'), JSON.stringify(checks));
	t.is(verification['equal'], checks.length);
	t.true(names.indexOf('verification') < events.findIndex(event => event.event === 'step.finished' && event.step === 'verify'));
	const report = JSON.parse(readFileSync(verification['report'] as string, 'utf8')) as {outcome: string; comparisons: unknown[]};
	t.is(report.outcome, 'equal');
	t.is(report.comparisons.length, checks.length);

	// The result is the last line: the --json document, so a script reads the outcome from the same stream.
	t.is(names.at(-1), 'result');
	t.is(names.filter(name => name === 'result').length, 1);
	t.like(events.at(-1), {result: {ok: true, exitCode: 0, session: {id, state: 'done'}}});
	t.true(lines.every(line => line.startsWith('{"event":')), 'nothing but events on stdout');
	t.regex(run.stderr, /Session \S+ finished/, 'the progress for people goes to stderr');
});
