import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {Listr} from 'listr2';
import type {StepRecord} from '../../source/engine/session.js';
import {InterruptedError} from '../../source/engine/errors.js';
import {startInteractiveApp} from '../../source/ui/interactive-app.js';
import {FakeStdin, FakeStdout} from '../helpers/fake-terminal.js';
import {keys, press, waitForFrame} from '../helpers/ink-input.js';

function start(columns = 80, rows = 24) {
	const stdout = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	let interrupts = 0;
	const app = startInteractiveApp({
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		onInterrupt() {
			interrupts++;
		},
	});
	return {app, stdout, stdin, interrupts: () => interrupts};
}

const homeData = {
	wizards: [
		{id: 'redshift-to-maxcompute', title: 'Redshift to MaxCompute', description: 'UNLOAD to S3, copy to OSS, LOAD into MaxCompute'},
		{id: 'datahub-to-maxcompute', title: 'DataHub to MaxCompute', description: 'A TUPLE topic synced by a DataConnector'},
	],
	sessions: [{id: 'rtm-20261121-0807-ab12', wizard: 'redshift-to-maxcompute', profile: 'local', state: 'interrupted', lastStep: 'unload', updatedAt: new Date(Date.now() - 180_000).toISOString()}],
	profiles: [{name: 'prod', description: 'Alibaba Cloud account'}, {name: 'local', description: 'the local cloud'}],
};

test.serial('home: arrow down and Enter choose the second wizard, then Enter takes the default profile local', async t => {
	const {app, stdout, stdin} = start();
	const choice = app.home(homeData);
	const screen = async (pattern: RegExp) => {
		const text = await waitForFrame(() => stdout.text(), pattern);
		// The new screen's input handler attaches in an effect after the frame is drawn.
		await delay(50);
		return text;
	};

	t.regex(await screen(/Resume a session/), /Resume a session/);
	await press(stdin, keys.enter);
	t.regex(await screen(/Which procedure\?/), /UNLOAD to S3, copy to OSS/, 'the highlighted wizard is described');
	await press(stdin, keys.down);
	t.regex(await screen(/A TUPLE topic synced by a DataConnector/), /A TUPLE topic/);
	await press(stdin, keys.enter);
	t.regex(await screen(/Which profile\?/), /Which profile\?/);
	await press(stdin, keys.enter);
	t.deepEqual(await choice, {action: 'start', wizard: 'datahub-to-maxcompute', profile: 'local'});
	await app.close();
});

test.serial('home: resume lists the session with its state, last step and age; Esc goes back', async t => {
	const {app, stdout, stdin} = start();
	const choice = app.home(homeData);
	await waitForFrame(() => stdout.text(), /Resume a session/);
	await delay(50);
	await press(stdin, keys.down, keys.enter);
	const text = await waitForFrame(() => stdout.text(), /3m ago/);
	t.regex(text, /redshift-to-maxcompute · local · interrupted/);
	t.regex(text, /at unload, 3m ago/);
	await delay(50);
	await press(stdin, keys.escape);
	await waitForFrame(() => stdout.text(), text => text.split('Which session?').at(-1)?.includes('Start a procedure') ?? false);
	await delay(50);
	await press(stdin, keys.down, keys.down, keys.down, keys.enter);
	t.deepEqual(await choice, {action: 'quit'});
	await app.close();
});

test.serial('home: Profiles lists the profiles, local first, and Enter asks to test the chosen one', async t => {
	const {app, stdout, stdin} = start();
	const choice = app.home(homeData);
	await waitForFrame(() => stdout.text(), /Profiles/);
	await delay(50);
	await press(stdin, keys.down, keys.down, keys.enter);
	await waitForFrame(() => stdout.text(), /Choose one to test it/);
	await delay(50);
	await press(stdin, keys.enter);
	t.deepEqual(await choice, {action: 'test-profile', profile: 'local'});
	await app.close();
});

test.serial('Ctrl-C calls onInterrupt and unwinds a prompt the engine waits on', async t => {
	const {app, stdin, interrupts} = start();
	const step = {id: 'tables', title: 'Tables', explain: 'Choose the tables.', kind: 'form' as const, rerun: 'safe' as const};
	app.runnerUi.stepStarted(step, 3, 10);
	const answers = app.runnerUi.askParameters(step, [{key: 'bucket', label: 'Bucket', help: '', type: 'string'}], {answers: {}, outputs: {}, profile: 'local'}, {get: () => undefined, set() {}});
	await delay(100);
	await press(stdin, keys.ctrlC);
	await t.throwsAsync(answers, {instanceOf: InterruptedError});
	t.is(interrupts(), 1);
	await press(stdin, keys.ctrlC);
	t.is(interrupts(), 2, 'a second Ctrl-C reaches main too');
	await app.close();
});

test.serial('a step runs its listr2 tasks inside the app; finished steps become one line each', async t => {
	const {app, stdout} = start(60, 20);
	const ui = app.runnerUi;
	const step = {id: 'unload', title: 'Unload to S3', explain: 'Redshift writes every table as Parquet files under the S3 prefix, in parallel slices.', kind: 'task' as const, rerun: 'safe' as const};
	ui.stepSkipped({...step, id: 'connect', title: 'Connect'}, 1, 2);
	ui.stepStarted(step, 2, 2);
	const rendering = ui.rendering();
	await new Listr([{title: 'Unload to S3', task: async (_context, task) => {
		await task.newListr([{title: 'lineitem', task: async (_sub, subTask) => {
			subTask.output = '12.0 MiB / 40.0 MiB · 30%';
			await delay(80);
		}}]).run();
		task.output = '8 tables';
	}}], {...(rendering as object), registerSignalListeners: false} as never).run();
	await delay(60);
	const during = stdout.text();
	t.true(during.includes('Step 2 of 2 · Unload to S3'));
	t.true(during.includes('Redshift writes every table as Parquet'));
	t.true(during.includes('12.0 MiB / 40.0 MiB · 30%'));
	const record: StepRecord = {state: 'done', attempts: 1, outputs: {}, checkpoints: {}};
	ui.stepFinished(step, record);
	await app.close();
	const text = stdout.text();
	t.regex(text, /↓ Step 1 of 2 · Connect — done earlier/);
	t.regex(text, /✔ Step 2 of 2 · Unload to S3 — 8 tables/);
	t.true(text.split('\n').every(line => line.length <= 60), 'nothing is wider than the terminal');
});

test.serial('showOutcome waits for Enter and says how to resume an interrupted run', async t => {
	const {app, stdout, stdin} = start();
	let done = false;
	const shown = app.showOutcome({sessionId: 'rtm-20261121-0807-ab12', exitCode: 130, error: {message: 'Interrupted'}}).then(() => {
		done = true;
	});
	await delay(100);
	t.regex(stdout.text(), /session saved; continue with `ferry resume\s+rtm-20261121-0807-ab12`/);
	t.regex(stdout.text(), /Press Enter to exit/);
	t.false(done);
	await press(stdin, keys.enter);
	await shown;
	t.true(done);
	await app.close();
});
