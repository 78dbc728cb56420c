import test from 'ava';
import {
	ConfigurationError,
	describeError,
	exitCodes,
	InterruptedError,
	isAbortError,
	PreflightError,
	ServiceError,
	StepError,
	UsageError,
} from '../source/errors.js';

test('each error class carries its exit code, hint and code', t => {
	t.is(new UsageError('u').exitCode, 2);
	t.is(new ConfigurationError('c').exitCode, 3);
	t.is(new PreflightError('p').exitCode, 4);
	t.is(new StepError('s').exitCode, 1);
	t.is(new InterruptedError().exitCode, 130);
	t.is(new InterruptedError().message, 'Interrupted');
	const cause = new Error('root');
	const error = new UsageError('bad', {hint: 'do this', code: 'E1', cause});
	t.like(error, {name: 'UsageError', message: 'bad', hint: 'do this', code: 'E1'});
	t.is(error.cause, cause);
	t.false('cause' in new UsageError('no cause'), 'no cause property unless given');
});

test('a service error is a step failure unless it is about authentication', t => {
	const throttled = new ServiceError('oss', 'SlowDown', {status: 503, requestId: 'R1', retryable: true});
	t.like(throttled, {message: 'oss: SlowDown', service: 'oss', status: 503, requestId: 'R1', retryable: true, exitCode: 1});
	t.like(new ServiceError('s3', 'InvalidAccessKeyId', {status: 403, auth: true}), {exitCode: 3, retryable: false});
});

test('describeError maps common system errors to a hint and exit code', t => {
	const errno = (code: string, message: string) => Object.assign(new Error(message), {code});
	t.deepEqual(describeError(errno('ENOSPC', 'write failed')), {message: 'No space left on the device (write failed)', hint: 'Free some disk space, then run `ferry resume` to continue.', exitCode: exitCodes.stepFailed});
	for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
		const described = describeError(errno(code, `connect ${code} 127.0.0.1:1`));
		t.is(described.exitCode, exitCodes.configuration, code);
		t.true(described.message.startsWith('Cannot reach the endpoint'), code);
		t.true(described.hint?.includes('ferry local-cloud status'), code);
	}

	t.deepEqual(describeError(new Error('plain')), {message: 'plain', hint: undefined, exitCode: 1});
	t.deepEqual(describeError('a string'), {message: 'a string', hint: undefined, exitCode: 1});
	t.deepEqual(describeError(new UsageError('u', {hint: 'h'})), {message: 'u', hint: 'h', exitCode: 2});
});

test('isAbortError recognises interruptions and AbortErrors only', t => {
	t.true(isAbortError(new InterruptedError()));
	const controller = new AbortController();
	controller.abort();
	t.true(isAbortError(controller.signal.reason));
	t.false(isAbortError(new Error('x')));
	t.false(isAbortError(new StepError('x')));
});
