import test from 'ava';
import {ServiceError} from '../../source/engine/errors.js';
import {backoffDelay, isRetryableStatus, withRetry} from '../../source/clouds/retry.js';

const retryable = (error: unknown) => error instanceof ServiceError && error.retryable;

test('retries a retryable error and returns the later success', async t => {
	const attempts: number[] = [];
	const retries: Array<{attempt: number; delayMs: number}> = [];
	const result = await withRetry(async attempt => {
		attempts.push(attempt);
		if (attempt < 3) {
			throw new ServiceError('oss', 'SlowDown', {status: 503, retryable: true});
		}

		return 'ok';
	}, {isRetryable: retryable, baseDelayMs: 1, maxDelayMs: 4, onRetry: (_error, attempt, delayMs) => retries.push({attempt, delayMs})});
	t.is(result, 'ok');
	t.deepEqual(attempts, [1, 2, 3]);
	t.deepEqual(retries.map(retry => retry.attempt), [1, 2]);
	for (const retry of retries) {
		t.true(retry.delayMs >= 0 && retry.delayMs <= 4);
	}
});

test('does not retry an error isRetryable refuses', async t => {
	let calls = 0;
	const error = await t.throwsAsync(withRetry(async () => {
		calls++;
		throw new ServiceError('oss', 'AccessDenied', {status: 403, auth: true});
	}, {isRetryable: retryable, baseDelayMs: 1}));
	t.is(calls, 1);
	t.is(error?.message, 'oss: AccessDenied');
});

test('stops after the given number of attempts and throws the last error', async t => {
	let calls = 0;
	const error = await t.throwsAsync(withRetry(async attempt => {
		calls++;
		throw new ServiceError('s3', `InternalError ${attempt}`, {status: 500, retryable: true});
	}, {isRetryable: retryable, attempts: 3, baseDelayMs: 1, maxDelayMs: 2}));
	t.is(calls, 3);
	t.is(error?.message, 's3: InternalError 3');
});

test('an already aborted signal stops before the first attempt', async t => {
	const controller = new AbortController();
	controller.abort(new Error('stop'));
	let calls = 0;
	await t.throwsAsync(withRetry(async () => {
		calls++;
	}, {isRetryable: () => true, signal: controller.signal}), {message: 'stop'});
	t.is(calls, 0);
});

test('an abort during the back-off ends the wait at once', async t => {
	const controller = new AbortController();
	let calls = 0;
	const started = Date.now();
	const run = withRetry(async () => {
		calls++;
		throw new ServiceError('s3', 'SlowDown', {status: 503, retryable: true});
	}, {isRetryable: retryable, baseDelayMs: 60_000, maxDelayMs: 60_000, signal: controller.signal, onRetry() {
		setTimeout(() => controller.abort(), 20);
	}});
	const error = await t.throwsAsync(run);
	t.is(error?.name, 'AbortError');
	t.is(calls, 1);
	t.true(Date.now() - started < 5000, 'did not sit out the back-off');
});

test('an abort after a failed attempt throws that error without another attempt', async t => {
	const controller = new AbortController();
	let calls = 0;
	const error = await t.throwsAsync(withRetry(async () => {
		calls++;
		controller.abort();
		throw new ServiceError('s3', 'SlowDown', {status: 503, retryable: true});
	}, {isRetryable: retryable, baseDelayMs: 1, signal: controller.signal}));
	t.is(calls, 1);
	t.is(error?.message, 's3: SlowDown');
});

test('backoffDelay is full jitter under a capped exponential', t => {
	t.is(backoffDelay(1, 200, 5000, () => 0), 0);
	t.is(backoffDelay(1, 200, 5000, () => 0.999_999), 200);
	t.is(backoffDelay(2, 200, 5000, () => 0.999_999), 400);
	t.is(backoffDelay(4, 200, 5000, () => 0.999_999), 1600);
	t.is(backoffDelay(6, 200, 5000, () => 0.999_999), 5000, 'capped at maxDelayMs');
	t.is(backoffDelay(30, 200, 5000, () => 0.5), 2500);
	for (let attempt = 1; attempt <= 12; attempt++) {
		const delay = backoffDelay(attempt, 200, 5000);
		t.true(Number.isInteger(delay) && delay >= 0 && delay <= Math.min(5000, 200 * 2 ** (attempt - 1)), `attempt ${attempt}: ${delay}`);
	}
});

test('retryable statuses are throttling and 5xx only', t => {
	for (const status of [429, 500, 502, 503, 504]) {
		t.true(isRetryableStatus(status), String(status));
	}

	for (const status of [200, 400, 401, 403, 404, 409, 412]) {
		t.false(isRetryableStatus(status), String(status));
	}
});
