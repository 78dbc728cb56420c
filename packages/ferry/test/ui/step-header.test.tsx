import test from 'ava';
import {render} from 'ink-testing-library';
import {FinishedStepLine} from '../../source/ui/step-header.js';

const step = {key: 's', index: 6, total: 8, title: 'Sync task', outcome: 'done' as const};

test('a finished step\'s long summary wraps under its label, never with a space carried to the next line', t => {
	// The first line of this one ends exactly at the width: Ink's own wrap would start the second with that space.
	const {lastFrame} = render(<FinishedStepLine columns={100} step={{...step, summary: 'task file 500001004 · node 700001006 deployed to production · manual, in workflow ferry_manual'}} />);
	t.deepEqual(lastFrame()!.split('\n'), [
		'✔ Step 6 of 8 · Sync task — task file 500001004 · node 700001006 deployed to production · manual, in',
		'  workflow ferry_manual',
	]);
});

test('a label longer than the line wraps too, and a short step stays on one line', t => {
	const narrow = render(<FinishedStepLine columns={20} step={{...step, title: 'Create the tables', summary: 'eight tables'}} />);
	t.deepEqual(narrow.lastFrame()!.split('\n'), ['✔ Step 6 of 8 ·', '  Create the tables', '  — eight tables']);
	const short = render(<FinishedStepLine columns={80} step={{...step, summary: 'kept'}} />);
	t.is(short.lastFrame(), '✔ Step 6 of 8 · Sync task — kept');
});
