import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import {TaskTree} from '../../source/ui/task-list.js';

test('a finished step keeps its last line (its summary) under it, even when it ran sub-tasks', async t => {
	const {lastFrame, unmount} = render(<TaskTree tasks={[{
		id: 'unload',
		title: 'Unload to S3',
		state: 'done',
		output: '8 tables · 86,791 rows unloaded',
		subtasks: [{id: 'lineitem', title: 'lineitem', state: 'done', output: '60,175 rows', subtasks: []}],
	}]} />);
	await delay(20);
	t.regex(lastFrame() ?? '', /✔ Unload to S3\n {2}8 tables · 86,791 rows unloaded\n/);
	unmount();
});

test('a running step with sub-tasks still leaves the progress lines to its sub-tasks', async t => {
	const {lastFrame, unmount} = render(<TaskTree tasks={[{
		id: 'unload',
		title: 'Unload to S3',
		state: 'waiting',
		output: 'created bucket ferry-unload',
		subtasks: [{id: 'lineitem', title: 'lineitem', state: 'running', output: '12.0 MiB / 40.0 MiB', subtasks: []}],
	}]} />);
	await delay(20);
	t.notRegex(lastFrame() ?? '', /created bucket/);
	t.regex(lastFrame() ?? '', /12\.0 MiB \/ 40\.0 MiB/);
	unmount();
});
