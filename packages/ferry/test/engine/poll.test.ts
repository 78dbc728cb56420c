import test from 'ava';
import {pollUntil} from '../../source/engine/poll.js';
import {StepError} from '../../source/engine/errors.js';

test('pollUntil reads until done, reporting every state, with growing pauses', async t => {
	const seen: number[] = [];
	let reads = 0;
	const started = Date.now();
	const state = await pollUntil({read: async () => ++reads, done: value => value >= 4, onState: value => seen.push(value), signal: AbortSignal.timeout(5000), intervalMs: 10, factor: 2, timeoutMs: 5000, what: 'four reads'});
	t.is(state, 4);
	t.deepEqual(seen, [1, 2, 3, 4]);
	t.true(Date.now() - started >= 10 + 20 + 40);
});

test('pollUntil gives up after its bound with a StepError that names the wait', async t => {
	const error = await t.throwsAsync(pollUntil({read: async () => 'RUNNING', done: () => false, signal: AbortSignal.timeout(5000), intervalMs: 20, timeoutMs: 100, what: 'the job to finish', hint: 'Check the job.'}));
	t.true(error instanceof StepError);
	t.regex(error!.message, /Gave up waiting for the job to finish after 0 s/);
	t.is((error as StepError).hint, 'Check the job.');
});

test('pollUntil stops at once when aborted', async t => {
	const controller = new AbortController();
	setTimeout(() => controller.abort(), 30);
	await t.throwsAsync(pollUntil({read: async () => 0, done: () => false, signal: controller.signal, intervalMs: 1000, timeoutMs: 60_000, what: 'nothing'}), {name: 'AbortError'});
});
