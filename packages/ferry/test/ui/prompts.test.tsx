import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import type {ReviewDocument} from '../../source/engine/wizard.js';
import {RerunGuard} from '../../source/ui/rerun-guard.js';
import {ReviewScreen} from '../../source/ui/review-screen.js';
import {TypedConfirmation} from '../../source/ui/typed-confirmation.js';
import {keys, press, waitForFrame} from '../helpers/ink-input.js';

const document: ReviewDocument = {
	title: 'Plan: Redshift to MaxCompute',
	sections: [
		{title: 'Unload', body: 'Each table is unloaded as Parquet to the staging prefix.', code: Array.from({length: 30}, (_, index) => `UNLOAD ('SELECT * FROM public.t${index}') TO 's3://ferry-stage/t${index}/'`).join('\n')},
		{title: 'Load', body: 'LOAD OVERWRITE replaces the target tables.', warnings: ['tpch.lineitem on MaxCompute will be overwritten']},
	],
};

function review() {
	const answers: boolean[] = [];
	const instance = render(<ReviewScreen document={document} height={10} columns={80} onAnswer={answer => answers.push(answer)} />);
	return {...instance, answers};
}

test.serial('review: Enter does not proceed; only y does', async t => {
	const first = review();
	await delay(50);
	t.regex(await waitForFrame(first.lastFrame, /Proceed\? \(y\/N\)/), /Proceed\? \(y\/N\)/);
	await press(first.stdin, keys.enter);
	t.deepEqual(first.answers, [false]);
	first.unmount();

	const second = review();
	await delay(50);
	await press(second.stdin, 'x', 'y');
	t.deepEqual(second.answers, [true]);
	second.unmount();
});

test.serial('review: a long document scrolls with ↓ and PgDn down to the warnings', async t => {
	const instance = review();
	await delay(50);
	t.notRegex(instance.lastFrame() ?? '', /t29/);
	t.regex(await waitForFrame(instance.lastFrame, /more below/), /more below/);
	await press(instance.stdin, keys.down);
	t.regex(await waitForFrame(instance.lastFrame, /lines 2–/), /lines 2–/);
	await press(instance.stdin, keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown);
	const frame = await waitForFrame(instance.lastFrame, /will be overwritten/);
	t.regex(frame, /⚠ tpch\.lineitem on MaxCompute will be overwritten/);
	t.regex(frame, /· end/);
	t.deepEqual(instance.answers, []);
	instance.unmount();
});

test.serial('typed confirmation refuses a wrong word and accepts the exact one', async t => {
	const answers: boolean[] = [];
	const instance = render(<TypedConfirmation message="LOAD OVERWRITE replaces tpch.lineitem" expected="tpch.lineitem" onAnswer={answer => answers.push(answer)} />);
	await delay(50);
	await press(instance.stdin, 'tpch.lineitems', keys.enter);
	t.regex(await waitForFrame(instance.lastFrame, /Value must be exactly tpch\.lineitem/), /Value must be exactly tpch\.lineitem/);
	t.deepEqual(answers, []);
	await press(instance.stdin, 'y', keys.enter);
	t.deepEqual(answers, [], 'y is not a confirmation');
	await press(instance.stdin, keys.backspace, keys.backspace, keys.enter);
	t.deepEqual(answers, [true]);
	instance.unmount();
});

test.serial('typed confirmation: Esc cancels', async t => {
	const answers: boolean[] = [];
	const instance = render(<TypedConfirmation message="Drops the topic" expected="ferry_topic" onAnswer={answer => answers.push(answer)} />);
	await delay(50);
	await press(instance.stdin, 'ferry', keys.escape);
	t.deepEqual(answers, [false]);
	instance.unmount();
});

test.serial('rerun guard explains the duplicate-data policy and defaults to no', async t => {
	const answers: boolean[] = [];
	const instance = render(<RerunGuard step={{title: 'Load into MaxCompute', rerun: 'duplicates'}} record={{state: 'failed', attempts: 1, outputs: {}, checkpoints: {}, error: {message: 'ODPS-0110061: quota exceeded'}}} onAnswer={answer => answers.push(answer)} />);
	await delay(50);
	const frame = instance.lastFrame() ?? '';
	t.regex(frame, /would duplicate data/);
	t.regex(frame, /ODPS-0110061/);
	t.regex(frame, /\(y\/N\)/);
	await press(instance.stdin, keys.enter);
	t.deepEqual(answers, [false]);
	instance.unmount();
});
