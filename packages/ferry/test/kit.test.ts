import test from 'ava';
import {answerNumber, answerText, count, requiredOutput, StepError, stepSummary} from '../source/kit.js';

test('answers read as text and numbers; an empty answer is an empty string', t => {
	const context = {answers: {table: 'orders', batchSize: 1024, empty: undefined}};
	t.is(answerText(context, 'table'), 'orders');
	t.is(answerText(context, 'empty'), '');
	t.is(answerText(context, 'missing'), '');
	t.is(answerNumber(context, 'batchSize'), 1024);
});

test('a required output comes back as recorded; a missing one is a step error naming the step and the key', t => {
	const context = {outputs: {preflight: {shape: {columns: 3}}}};
	t.deepEqual(requiredOutput<{columns: number}>(context, 'preflight', 'shape'), {columns: 3});
	const missing = t.throws(() => requiredOutput(context, 'task', 'nodeId'), {instanceOf: StepError});
	t.is(missing.message, 'The task step\'s nodeId is missing from the session');
	t.regex(missing.hint ?? '', /Start a new run/);
});

test('step summaries join their parts with a dot and leave empty ones out', t => {
	t.is(stepSummary(count(8, 'table'), count(86_791, 'row'), false, undefined, ''), '8 tables · 86,791 rows');
	t.is(count(1, 'shard'), '1 shard');
});
