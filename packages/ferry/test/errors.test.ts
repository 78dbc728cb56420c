import test from 'ava';
import {
	ConfigurationError,
	describeError,
	exitCodeFor,
	exitCodes,
	InterruptedError,
	isAbortError,
	PreflightError,
	ServiceError,
	StepError,
	UsageError,
} from '../source/engine/errors.js';

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

test('one mapping from cause to exit code, however deep the cause surfaces', t => {
	const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:36363'), {code: 'ECONNREFUSED'});
	const cases: Array<[string, unknown, number]> = [
		['wrong credentials', new ServiceError('s3', 'InvalidAccessKeyId', {status: 403, auth: true}), 3],
		['wrong credentials found by preflight', new PreflightError('Preflight failed', {causes: [new ServiceError('s3', 'InvalidAccessKeyId', {status: 403, auth: true})]}), 3],
		['wrong credentials and a region mismatch at preflight', new PreflightError('Preflight failed', {causes: [new Error('region'), new ServiceError('oss', 'SignatureDoesNotMatch', {status: 403, auth: true})]}), 3],
		['a preflight check that failed by itself', new PreflightError('Preflight failed', {causes: [new Error('OSS is in cn-hangzhou')]}), 4],
		['the local cloud went away (plain)', refused(), 3],
		['the local cloud went away (fetch failed)', new TypeError('fetch failed', {cause: refused()}), 3],
		['the local cloud went away (happy eyeballs)', new TypeError('fetch failed', {cause: new AggregateError([refused(), refused()])}), 3],
		['the local cloud went away (a client\'s ServiceError)', new ServiceError('Data Online Migration', 'GetJob failed: connect ECONNREFUSED', {code: 'ECONNREFUSED', retryable: false}), 3],
		['the local cloud went away (wrapped in a step)', new StepError('LOAD failed', {cause: new ServiceError('MaxCompute', 'GetInstance failed', {cause: refused()})}), 3],
		['the local cloud went away at preflight', new PreflightError('Preflight failed', {causes: [new TypeError('fetch failed', {cause: refused()})]}), 3],
		['a missing schema', new StepError('Schema nope has no tables', {code: 'NoSuchSchema'}), 2],
		['a missing schema as a usage error', new UsageError('Schema nope has no tables'), 2],
		['Ctrl-C wrapped in a step', new StepError('stopped', {cause: new InterruptedError()}), 130],
		['a throttled request that ran out of retries', new ServiceError('oss', 'SlowDown', {status: 503, retryable: true}), 1],
		['a failed step', new StepError('boom'), 1],
	];
	for (const [cause, error, exitCode] of cases) {
		t.is(Number(exitCodeFor(error)), exitCode, cause);
		t.is(Number(describeError(error).exitCode), exitCode, cause);
	}

	t.regex(describeError(new StepError('LOAD failed', {cause: refused()})).hint ?? '', /ferry local-cloud status/);
	t.regex(describeError(new TypeError('fetch failed', {cause: refused()})).message, /Cannot reach the endpoint \(connect ECONNREFUSED/);
});

test('a "bad port" refused by fetch says which port problem it is, exit 3', t => {
	const described = describeError(new TypeError('fetch failed', {cause: new Error('bad port')}));
	t.is(Number(described.exitCode), 3);
	t.regex(described.message, /port is one that fetch refuses/);
	t.notRegex(described.message, /^\(?bad port\)?$/);
	t.regex(described.hint ?? '', /--ports/);
});
