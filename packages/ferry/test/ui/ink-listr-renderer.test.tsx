import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import {Listr} from 'listr2';
import {createTaskStore, InkListrRenderer} from '../../source/ui/ink-listr-renderer.js';
import {TaskList} from '../../source/ui/task-list.js';

test('a real Listr run through the renderer shows ✔, output lines and nested sub-tasks in the frame', async t => {
	const store = createTaskStore();
	const {lastFrame, unmount} = render(<TaskList store={store} />);
	const seenWhileRunning: string[] = [];
	const list = new Listr(
		[
			{
				title: 'Unload to S3',
				task: async (_context, task) => {
					task.output = 'UNLOAD started';
					// The engine runs sub-tasks this way (runner.ts runSubTasks): a nested list run inside the task.
					await task
						.newListr(
							[
								{
									title: 'lineitem',
									task: async (_subContext, subTask) => {
										subTask.output = '12.0 MiB / 40.0 MiB · 30%';
										await delay(120);
										seenWhileRunning.push(lastFrame() ?? '');
										subTask.output = '40.0 MiB / 40.0 MiB · 100%';
									},
								},
								{title: 'orders', task: async () => delay(10)},
								{title: 'nation', skip: () => 'finished before the crash', task: async () => undefined},
							],
							{concurrent: false},
						)
						.run();
					task.output = '3 tables unloaded';
				},
			},
		],
		{renderer: InkListrRenderer, rendererOptions: {store}, registerSignalListeners: false},
	);
	await list.run();
	await delay(50);
	const running = seenWhileRunning[0] ?? '';
	t.regex(running, /Unload to S3/);
	t.regex(running, /^ {2}\S lineitem$/m, 'the sub-task is indented under its step');
	t.regex(running, /12\.0 MiB \/ 40\.0 MiB · 30%/);
	const frame = lastFrame() ?? '';
	t.regex(frame, /✔ Unload to S3/);
	t.regex(frame, /✔ lineitem/);
	t.regex(frame, /✔ orders/);
	t.regex(frame, /↓ nation/);
	t.regex(frame, /finished before the crash/);
	t.regex(frame, /40\.0 MiB \/ 40\.0 MiB · 100%/);
	unmount();
});

test('the final state is flushed at end() even when it changed inside the batching interval', async t => {
	const store = createTaskStore();
	const list = new Listr(
		[
			{
				title: 'Count rows',
				task: async (_context, task) => {
					task.output = 'counting';
					task.title = 'Count rows: 6,001,215';
				},
			},
		],
		{renderer: InkListrRenderer, rendererOptions: {store}, registerSignalListeners: false},
	);
	await list.run();
	const [view] = store.getSnapshot();
	t.is(view?.title, 'Count rows: 6,001,215');
	t.is(view?.state, 'done');
});

test('a failed task shows ✖ and its error', async t => {
	const store = createTaskStore();
	const {lastFrame, unmount} = render(<TaskList store={store} />);
	const list = new Listr(
		[{title: 'Create tables', task: async () => {
			throw new Error('ODPS-0130071: table already exists');
		}}],
		{renderer: InkListrRenderer, rendererOptions: {store}, registerSignalListeners: false},
	);
	await t.throwsAsync(list.run(), {message: /already exists/});
	await delay(50);
	t.regex(lastFrame() ?? '', /✖ Create tables/);
	t.regex(lastFrame() ?? '', /ODPS-0130071/);
	store.clear();
	await delay(20);
	t.is(lastFrame(), '');
	unmount();
});

test('the renderer refuses to run without a store', t => {
	const list = new Listr([{title: 'x', task: async () => undefined}], {renderer: InkListrRenderer, registerSignalListeners: false});
	return t.throwsAsync(list.run(), {instanceOf: TypeError});
});
