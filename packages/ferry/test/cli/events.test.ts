import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {openEventStream} from '../../source/cli/events.js';
import type {RunnerUi, StepInfo} from '../../source/engine/runner.js';
import {createSession} from '../../source/engine/session.js';
import {registerSecret} from '../../source/log/redact.js';
import {verificationKeys} from '../../source/engine/session.js';
import {reportWithDifferences} from '../ui/verification-fixture.js';

const fixture = fileURLToPath(new URL('../fixtures/event-stream-run.ts', import.meta.url));

type Event = {event: string; time: string; session: string; step?: string; state?: string; [key: string]: unknown};

test('a consumer reading the pipe sees each event as it happens, before the run ends', async t => {
	const home = mkdtempSync(path.join(os.tmpdir(), 'ferry-events-'));
	t.teardown(() => rmSync(home, {recursive: true, force: true}));
	const child = spawn(process.execPath, ['--conditions=ferry-source', '--import=tsx', fixture, '--yes', '--events', '-'], {env: {...process.env, FERRY_HOME: home}, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', code => resolve(code));
	});
	const seen: Event[] = [];
	let answeredWhileRunning = false;
	for await (const line of createInterface({input: child.stdout})) {
		const event = JSON.parse(line) as Event;
		seen.push(event);
		// The step waits for this answer: the run cannot end before the consumer saw it start.
		if (event.event === 'progress' && event.step === 'wait') {
			answeredWhileRunning = child.exitCode === null;
			child.stdin.write('go\n');
		}
	}

	t.is(await exited, 0, stderr);
	t.true(answeredWhileRunning);
	t.deepEqual(seen.map(event => [event.event, event.step ?? '']), [
		['session', ''],
		['step.started', 'prepare'],
		['progress', 'prepare'],
		['step.finished', 'prepare'],
		['step.started', 'wait'],
		['progress', 'wait'],
		['progress', 'wait'],
		['step.finished', 'wait'],
		['result', ''],
	]);
	const id = seen[0]!.session;
	t.true(seen.every(event => event.session === id && !Number.isNaN(Date.parse(event.time))));
	t.like(seen[0], {wizard: 'event-stream-fixture', profile: 'local', log: path.join(home, 'sessions', id, 'session.log')});
	t.like(seen[1], {title: 'Prepare', index: 1, total: 2});
	t.like(seen[2], {line: 'prepared 3 things'});
	t.like(seen[3], {state: 'done', summary: '3 things', attempts: 1});
	t.is(typeof seen[3]!['durationMs'], 'number');
	t.like(seen[5], {task: 'rows', progress: {done: 1, total: 2, unit: 'rows'}});
	t.like(seen[6], {task: 'rows', progress: {done: 2, total: 2, unit: 'rows'}});
	t.like(seen.at(-1), {result: {ok: true, exitCode: 0, session: {id, state: 'done'}}});
});

const step: StepInfo = {id: 'copy', title: 'Copy', explain: '', kind: 'task', rerun: 'safe'};
const silentUi = {stepStarted() {}, stepSkipped() {}, stepFinished() {}, progress() {}} as unknown as RunnerUi;

function captured() {
	const lines: string[] = [];
	return {stream: {write: (text: string) => lines.push(text)}, events: () => lines.map(line => JSON.parse(line) as Event)};
}

test('a failed step is step.failed with its error; progress is at most four lines a second per task, the last one kept', t => {
	const out = captured();
	const session = createSession({wizard: 'w', wizardVersion: 1, profile: 'local', stepIds: ['copy'], answers: {}});
	const stream = openEventStream('-', out.stream)!;
	stream.begin(session, '/log');
	const ui = stream.follow(silentUi);
	ui.stepStarted(step, 1, 1);
	for (let index = 0; index < 100; index++) {
		ui.progress!(step, {task: 'orders', line: `${index} rows`});
	}

	ui.progress!(step, {task: 'lineitem', line: 'first'});
	ui.stepFinished(step, {state: 'failed', attempts: 1, outputs: {}, checkpoints: {}, error: {message: 'copy failed', hint: 'try again'}});
	ui.stepFinished(step, {state: 'interrupted', attempts: 2, outputs: {}, checkpoints: {}});
	stream.result({ok: false});
	const events = out.events();
	t.deepEqual(events.filter(event => event.event === 'progress').map(event => event['line']), ['0 rows', 'first', '99 rows'], 'the last held line comes before the step ends');
	t.like(events.find(event => event.event === 'step.failed'), {state: 'failed', error: {message: 'copy failed', hint: 'try again'}});
	t.like(events.filter(event => event.event === 'step.failed')[1], {state: 'interrupted', attempts: 2});
	t.is(events.at(-1)!.event, 'result');
});

test('secrets are redacted inside every string, quotes and backslashes included', t => {
	const secret = 'se"cr\\et-value-4242';
	registerSecret(secret);
	const out = captured();
	const stream = openEventStream('-', out.stream)!;
	stream.begin(createSession({wizard: 'w', wizardVersion: 1, profile: 'local', stepIds: [], answers: {}}), '/log');
	stream.follow(silentUi).progress!(step, {line: `using ${secret}`});
	t.false(out.events().map(event => JSON.stringify(event)).join('').includes('4242'));
	t.is(out.events()[1]!['line'], 'using [redacted]');
});

test('--events FILE writes the same lines to a private file; a path that cannot be opened is a usage error', t => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-events-file-'));
	t.teardown(() => rmSync(directory, {recursive: true, force: true}));
	const file = path.join(directory, 'events.jsonl');
	const stream = openEventStream(file, {write: () => t.fail('stdout is not used')})!;
	stream.begin(createSession({wizard: 'w', wizardVersion: 1, profile: 'local', stepIds: [], answers: {}}), '/log');
	t.is(JSON.parse(readFileSync(file, 'utf8').trim()).event, 'session', 'written at once, not at the end');
	stream.result({ok: true});
	t.deepEqual(readFileSync(file, 'utf8').trim().split('\n').map(line => (JSON.parse(line) as Event).event), ['session', 'result']);
	t.is(statSync(file).mode & 0o777, 0o600);
	t.throws(() => openEventStream(path.join(directory, 'missing', 'events.jsonl'), {write: () => true}), {name: 'UsageError', message: /Cannot open the event stream .*ENOENT/});
	t.is(openEventStream(undefined, {write: () => true}), undefined);
});

test('a verify step with a report gives a verification event before its end: the verdict and every check', t => {
	const out = captured();
	const session = createSession({wizard: 'w', wizardVersion: 1, profile: 'local', stepIds: ['verify'], answers: {}});
	const stream = openEventStream('-', out.stream)!;
	stream.begin(session, '/log');
	const verify: StepInfo = {id: 'verify', title: 'Verify', explain: '', kind: 'verify', rerun: 'safe'};
	const report = reportWithDifferences();
	stream.follow(silentUi).stepFinished(verify, {state: 'done', attempts: 1, outputs: {[verificationKeys.report]: report, [verificationKeys.equal]: false}, checkpoints: {}});
	stream.follow(silentUi).stepFinished(step, {state: 'done', attempts: 1, outputs: {}, checkpoints: {}});
	const events = out.events();
	t.deepEqual(events.map(event => event.event), ['session', 'verification', 'step.finished', 'step.finished'], 'a task step has none');
	const verification = events[1]!;
	t.like(verification, {step: 'verify', outcome: 'differs'});
	t.true((verification['differing'] as number) > 0);
	t.deepEqual((verification['checks'] as Array<{id: string}>).map(check => check.id), report.comparisons.map(comparison => comparison.id));
	t.regex(verification['report'] as string, new RegExp(`${session.id}/report\\.json$`));
});
