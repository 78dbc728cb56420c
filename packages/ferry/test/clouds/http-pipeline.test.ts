/**
 * The HTTP pipeline by itself: a scripted transport stands in for the network, and the back-off's sleep and jitter are
 * injected, so retry counts and delays are exact. The abort tests use real timers, to show the waits really end.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test from 'ava';
import {createHttpPipeline, type HttpCall, type HttpPipelineOptions} from '../../source/clouds/http-pipeline.js';
import type {HttpAnswer, HttpTransport, OutgoingRequest} from '../../source/clouds/http-transport.js';
import {parseRetryAfter} from '../../source/clouds/retry.js';
import {ConfigurationError, InterruptedError, ServiceError} from '../../source/engine/errors.js';
import {createMemoryLogger} from '../../source/log/logger.js';
import {registerSecret} from '../../source/log/redact.js';

type Step = {status: number; headers?: Record<string, string>; body?: string} | {error: string};

/** A transport that answers from a script, one step per request, and records what was sent. */
function scripted(steps: Step[]): HttpTransport & {sent: OutgoingRequest[]} {
	const sent: OutgoingRequest[] = [];
	const transport = async (request: OutgoingRequest): Promise<HttpAnswer> => {
		sent.push(request);
		const step = steps.shift() ?? {status: 200};
		if ('error' in step) {
			throw Object.assign(new Error(`connect ${step.error}`), {code: step.error});
		}

		return {status: step.status, headers: step.headers ?? {}, body: Buffer.from(step.body ?? '')};
	};

	return Object.assign(transport, {sent});
}

/** A generic service: `{"code": …}` bodies; 401/403 are credentials problems, 429 and 5xx retryable. */
function pipelineFor(transport: HttpTransport, extra: Partial<HttpPipelineOptions<HttpCall>> = {}) {
	const delays: number[] = [];
	const logger = createMemoryLogger();
	const pipeline = createHttpPipeline<HttpCall>({
		service: 'fake',
		logger,
		timeoutMs: 1000,
		retry: {attempts: 4, baseDelayMs: 100, maxDelayMs: 1000},
		transport,
		random: () => 1,
		sleep: async ms => {
			delays.push(ms);
		},
		requestId: response => response.headers.get('x-request-id') ?? undefined,
		classify(response) {
			if (response.status < 400) {
				return undefined;
			}

			const code = response.text ? (JSON.parse(response.text) as {code?: string}).code : undefined;
			return new ServiceError('fake', `HTTP ${response.status} ${code ?? ''}`, {
				status: response.status, code, auth: response.status === 401 || response.status === 403, retryable: response.status === 429 || response.status >= 500,
			});
		},
		unanswered: (failure, call) => new ServiceError('fake', `${call.operation}: ${failure.timedOutMs === undefined ? failure.code : `no answer within ${failure.timedOutMs} ms`}`, {code: failure.code, retryable: true}),
		...extra,
	});
	return {pipeline, delays, logger};
}

const get = (extra: Partial<HttpCall> = {}): HttpCall => ({operation: 'Get', method: 'GET', url: new URL('https://fake.example.com/things?Signature=abc123'), ...extra});

test('throttling and 5xx are retried with capped exponential back-off until the attempts run out', async t => {
	const transport = scripted([{status: 503}, {status: 429}, {status: 500}, {status: 502}]);
	const {pipeline, delays} = pipelineFor(transport);
	const error = await t.throwsAsync(pipeline.send(get()), {instanceOf: ServiceError});
	t.is(error.status, 502);
	t.is(transport.sent.length, 4);
	t.deepEqual(delays, [100, 200, 400], 'full jitter at its top: base × 2^(n-1)');
});

test('the back-off is capped, and a success ends the retries', async t => {
	const transport = scripted([{status: 503}, {status: 503}, {status: 503}, {status: 200, body: 'ok'}]);
	const {pipeline, delays} = pipelineFor(transport, {retry: {attempts: 5, baseDelayMs: 300, maxDelayMs: 500}});
	t.is((await pipeline.send(get())).text, 'ok');
	t.deepEqual(delays, [300, 500, 500]);
});

test('Retry-After in seconds or as an HTTP-date is waited for when it is longer than the back-off', async t => {
	const now = Date.parse('2026-03-01T10:00:00Z');
	const transport = scripted([
		{status: 503, headers: {'retry-after': '3'}},
		{status: 429, headers: {'retry-after': 'Sun, 01 Mar 2026 10:00:07 GMT'}},
		{status: 503, headers: {'retry-after': '0'}},
		{status: 200},
	]);
	const {pipeline, delays} = pipelineFor(transport, {now: () => now});
	await pipeline.send(get());
	t.deepEqual(delays, [3000, 7000, 400], 'the third waits the back-off, which is longer than Retry-After: 0');
});

test('a Retry-After longer than the limit ends the call at once, still retryable for a later run', async t => {
	const transport = scripted([{status: 503, headers: {'retry-after': '3600'}}]);
	const {pipeline, delays} = pipelineFor(transport, {retry: {attempts: 5, maxRetryAfterMs: 60_000}});
	const error = await t.throwsAsync(pipeline.send(get()), {instanceOf: ServiceError});
	t.true(error.retryable);
	t.is(transport.sent.length, 1);
	t.deepEqual(delays, []);
});

test('parseRetryAfter reads delay-seconds and HTTP-dates, and nothing else', t => {
	const now = Date.parse('2026-03-01T10:00:00Z');
	t.is(parseRetryAfter('120', now), 120_000);
	t.is(parseRetryAfter(' 0 ', now), 0);
	t.is(parseRetryAfter('Sun, 01 Mar 2026 10:01:00 GMT', now), 60_000);
	t.is(parseRetryAfter('Sunday, 01-Mar-26 10:00:30 GMT', now), 30_000, 'the obsolete RFC 850 form');
	t.is(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now), 0, 'a date in the past');
	for (const value of [undefined, null, '', '-5', '1.5', 'soon', '2026-03-01']) {
		t.is(parseRetryAfter(value, now), undefined, String(value));
	}
});

test('501 and 505 are never retried, even when classified retryable', async t => {
	for (const status of [501, 505]) {
		const transport = scripted([{status}, {status: 200}]);
		const {pipeline} = pipelineFor(transport);
		const error = await t.throwsAsync(pipeline.send(get()), {instanceOf: ServiceError});
		t.true(error.retryable, 'the classification says 5xx');
		t.is(transport.sent.length, 1, String(status));
	}
});

test('4xx answers are not retried; credentials problems exit 3', async t => {
	for (const [status, exitCode] of [[400, 1], [401, 3], [403, 3], [404, 1], [409, 1]] as const) {
		const transport = scripted([{status, body: '{"code":"Nope"}'}, {status: 200}]);
		const {pipeline} = pipelineFor(transport);
		const error = await t.throwsAsync(pipeline.send(get()), {instanceOf: ServiceError});
		t.is(error.exitCode, exitCode, String(status));
		t.is(transport.sent.length, 1, String(status));
	}
});

test('a non-idempotent call is retried only after 429 or 503, never after a 500, a reset or a timeout', async t => {
	const post = (extra: Partial<HttpCall> = {}) => get({method: 'POST', idempotent: false, ...extra});
	for (const status of [429, 503]) {
		const transport = scripted([{status}, {status: 200}]);
		await pipelineFor(transport).pipeline.send(post());
		t.is(transport.sent.length, 2, `${status} means the service did not take it`);
	}

	for (const step of [{status: 500}, {status: 502}, {error: 'ECONNRESET'}] as Step[]) {
		const transport = scripted([step, {status: 200}]);
		await t.throwsAsync(pipelineFor(transport).pipeline.send(post()), {instanceOf: ServiceError});
		t.is(transport.sent.length, 1, JSON.stringify(step));
	}

	const slow: HttpTransport = async (_request, signal) => new Promise((_resolve, reject) => {
		signal.addEventListener('abort', () => reject(signal.reason), {once: true});
	});
	const {pipeline, logger} = pipelineFor(slow, {timeoutMs: 30});
	const error = await t.throwsAsync(pipeline.send(post()), {instanceOf: ServiceError});
	t.regex(error.message, /no answer within 30 ms/);
	t.is(logger.lines.filter(line => line.includes('-> timeout')).length, 1);
});

test('a call marked for one attempt is tried once', async t => {
	const transport = scripted([{status: 503}, {status: 200}]);
	await t.throwsAsync(pipelineFor(transport).pipeline.send(get({attempts: 1})), {instanceOf: ServiceError});
	t.is(transport.sent.length, 1);
});

test('network failures of idempotent calls are retried; an error from the transport stage itself passes unchanged', async t => {
	const transport = scripted([{error: 'ECONNRESET'}, {error: 'ECONNREFUSED'}, {status: 200}]);
	const {pipeline, logger} = pipelineFor(transport);
	await pipeline.send(get());
	t.is(logger.lines.filter(line => line.includes('-> network-error')).length, 2);

	const refusing: HttpTransport = async () => {
		throw new ConfigurationError('HTTPS_PROXY names a proxy, and this Node.js cannot send through one');
	};

	const {pipeline: proxied, logger: quiet} = pipelineFor(refusing);
	await t.throwsAsync(proxied.send(get()), {instanceOf: ConfigurationError});
	t.is(quiet.lines.length, 0);
});

test('the sign stage runs before every attempt, and what it sends is what is logged', async t => {
	const transport = scripted([{status: 503}, {status: 200}]);
	let signed = 0;
	const {pipeline, logger} = pipelineFor(transport, {
		sign: request => ({...request, url: new URL('https://1234.fake.example.com/things?Signature=xyz'), headers: {...request.headers, authorization: `sig ${++signed}`}}),
	});
	await pipeline.send(get());
	t.deepEqual(transport.sent.map(request => request.headers.authorization), ['sig 1', 'sig 2']);
	t.true(logger.lines.every(line => line.includes('GET https://1234.fake.example.com/things ')));
});

test('one log line per attempt: method, URL without the query, status, duration, attempt, request id; secrets redacted', async t => {
	registerSecret('secret-token-Zq81');
	const transport = scripted([
		{status: 503, headers: {'x-request-id': 'RID-1'}, body: '{"code":"Busy"}'},
		{status: 200, headers: {'x-request-id': 'RID-2'}},
	]);
	const {pipeline, logger} = pipelineFor(transport);
	await pipeline.send(get({url: new URL('https://fake.example.com/p/secret-token-Zq81?Signature=abc123&token=secret-token-Zq81')}));
	t.is(logger.lines.length, 2);
	t.regex(logger.lines[0]!, /CALL {2}fake\.Get GET https:\/\/fake\.example\.com\/p\/\[redacted\] -> 503 \d+ms request-id RID-1 error: Busy$/);
	t.regex(logger.lines[1]!, /fake\.Get GET https:\/\/fake\.example\.com\/p\/\[redacted\] -> 200 \d+ms attempt 2 request-id RID-2$/);
	for (const line of logger.lines) {
		t.false(line.includes('Signature') || line.includes('abc123') || line.includes('secret-token-Zq81'), line);
	}
});

test('an abort during a back-off ends the call within a second, as InterruptedError', async t => {
	const transport = scripted([{status: 503, headers: {'retry-after': '30'}}, {status: 200}]);
	const {pipeline} = pipelineFor(transport, {sleep: undefined});
	const controller = new AbortController();
	const started = performance.now();
	setTimeout(() => controller.abort(), 50);
	const error = await t.throwsAsync(pipeline.send(get({signal: controller.signal})), {instanceOf: InterruptedError});
	t.is(error.exitCode, 130);
	t.true(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
	t.is(transport.sent.length, 1);
});

test('an abort during a request on the real transport ends it within a second; an aborted signal sends nothing', async t => {
	const server = http.createServer(() => undefined);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	const {pipeline, logger} = pipelineFor(undefined as unknown as HttpTransport, {transport: undefined, timeoutMs: 60_000});
	const controller = new AbortController();
	const started = performance.now();
	setTimeout(() => controller.abort(), 50);
	await t.throwsAsync(pipeline.send(get({url: new URL(`http://127.0.0.1:${port}/slow`), signal: controller.signal})), {instanceOf: InterruptedError});
	t.true(performance.now() - started < 1000);
	t.regex(logger.lines[0] ?? '', /-> aborted/);

	await t.throwsAsync(pipeline.send(get({url: new URL(`http://127.0.0.1:${port}/slow`), signal: AbortSignal.abort()})), {instanceOf: InterruptedError});
	t.is(logger.lines.length, 1, 'no request for an already aborted call');
});
