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

test.serial('home: finished sessions are listed apart with their outcome, and choosing one asks for its report', async t => {
	const {app, stdout, stdin} = start();
	const finished = {id: 'dtm-20261120-1010-cd34', wizard: 'datahub-to-maxcompute', profile: 'local', state: 'done', lastStep: 'verify', updatedAt: new Date(Date.now() - 7_200_000).toISOString()};
	const different = {...finished, id: 'mtl-20261119-0900-ef56', wizard: 'maxcompute-to-loghub', state: 'different'};
	const choice = app.home({...homeData, sessions: [...homeData.sessions, finished, different]});
	const menu = await waitForFrame(() => stdout.text(), /Finished sessions/);
	t.regex(menu, /Resume a session {2}1 saved/, 'only the unfinished session counts as resumable');
	t.regex(menu, /Finished sessions {2}2 with a report/);
	await press(stdin, keys.down);
	await press(stdin, keys.enter);
	await waitForFrame(() => stdout.text(), /Which session\?/);
	const resumable = stdout.text().split('Which session?').at(-1) ?? '';
	t.notRegex(resumable, /dtm-20261120/, 'a finished session is not offered for resuming');
	await press(stdin, keys.escape);
	await waitForFrame(() => stdout.text(), text => text.split('Which session?').at(-1)?.includes('Start a procedure') ?? false);
	await press(stdin, keys.down, keys.down, keys.enter);
	const list = (await waitForFrame(() => stdout.text(), /Which finished session\?[\s\S]*Enter show report/)).split('Which finished session?').at(-1) ?? '';
	t.regex(list, /❯ ✔ datahub-to-maxcompute · local · done {2}2h ago · dtm-20261120-1010-cd34/);
	t.regex(list, /≠ maxcompute-to-loghub · local · different/);
	await press(stdin, keys.down, keys.enter);
	t.deepEqual(await choice, {action: 'report', sessionId: 'mtl-20261119-0900-ef56'});
	await app.close();
});

test.serial('home: at 40 columns a long profile description wraps, and the pointer keeps its space ("❯ local")', async t => {
	const {app, stdout, stdin} = start(40, 20);
	const choice = app.home({...homeData, profiles: [{name: 'local', description: 'The local cloud: stand-ins on 127.0.0.1 that speak the real protocols'}]});
	await waitForFrame(() => stdout.text(), /Start a procedure/);
	await press(stdin, keys.enter);
	await waitForFrame(() => stdout.text(), /Which procedure\?/);
	await press(stdin, keys.enter);
	const text = await waitForFrame(() => stdout.text(), /Which profile\?[\s\S]*local/);
	const profiles = text.split('Which profile?').at(-1) ?? '';
	t.regex(profiles, /^❯ local {2}The local/m);
	t.notRegex(text, /❯\S/, 'no list draws its pointer against the item');
	await press(stdin, keys.enter);
	t.deepEqual(await choice, {action: 'start', wizard: 'redshift-to-maxcompute', profile: 'local'});
	await app.close();
});

test.serial('the Done line is drawn again after the outcome screen is gone, so it stays on the terminal after exit', async t => {
	const {app, stdout, stdin} = start();
	const shown = app.showOutcome({sessionId: 'rtm-20261121-0807-ab12', exitCode: 0});
	await waitForFrame(() => stdout.text(), /Press Enter to exit/);
	await press(stdin, keys.enter);
	await shown;
	await app.close();
	const text = stdout.text();
	const afterPrompt = text.slice(text.lastIndexOf('Press Enter to exit'));
	// What follows the last frame with the prompt is what the terminal keeps: the Done line must be part of it.
	t.regex(afterPrompt, /✔ Done\. Session rtm-20261121-0807-ab12\./);
	t.notRegex(afterPrompt.slice('Press Enter to exit'.length), /Press Enter to exit/);
});
