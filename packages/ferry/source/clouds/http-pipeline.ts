/**
 * The call pipeline of ferry's hand-written clients (DataHub, MaxCompute, Log Service, DataWorks, Data Online
 * Migration), one stage each, as Shopify cli-kit's `http.ts` composes them:
 *
 *   sign → timeout and abort → transport → classify → log → retry
 *
 * - sign: the client's signer runs before every attempt (fresh date, fresh credentials);
 * - timeout and abort: each attempt gets the client's timeout and the caller's signal;
 * - transport: `http-transport.ts`, the only sender (local names to 127.0.0.1, proxies for real endpoints);
 * - classify: the client turns the service's error shape (and a request that got no answer) into ferry's typed
 *   errors: credentials problems exit 3, throttling and 5xx retryable, other 4xx not;
 * - log: one redacted line per attempt: method, URL without the query, status, duration, the service's request id;
 * - retry: jittered exponential back-off, or the service's `Retry-After`; never 501 or 505; a call marked
 *   non-idempotent is retried only after an answer that shows the service did not take it (429, 503), never after a
 *   timeout or a cut connection; waits end as soon as the caller aborts.
 */
import {FerryError, InterruptedError, ServiceError} from '../engine/errors.js';
import {silentLogger, type Logger} from '../log/logger.js';
import {createHttpTransport, type HttpMethod, type HttpTransport, type OutgoingRequest} from './http-transport.js';
import {parseRetryAfter, withRetry} from './retry.js';

export type {HttpMethod, OutgoingRequest} from './http-transport.js';

export type HttpCall = {
	/** The service's name for the call, for the log and errors (e.g. `PutRecords`). */
	operation: string;
	method: HttpMethod;
	/** The full URL, query included, as it is sent. */
	url: URL;
	headers?: Record<string, string>;
	body?: string | Buffer;
	signal?: AbortSignal;
	/** False for a call that must not run twice (a submit, a start): see the retry stage. @default true */
	idempotent?: boolean;
	/** This call's attempts, instead of the client's (1: tried once, left to the caller). */
	attempts?: number;
};

export type HttpResponse = {status: number; headers: Headers; body: Buffer; text: string};

/** A request that got no answer: refused, reset, timed out. */
export type NetworkFailure = {cause: unknown; code: string; timedOutMs: number | undefined; request: OutgoingRequest};

export type RetrySettings = {
	/** @default 5 */
	attempts?: number;
	/** @default 200 */
	baseDelayMs?: number;
	/** @default 5000 */
	maxDelayMs?: number;
	/** A longer `Retry-After` ends the call instead (the error stays retryable for a later run). @default 60000 */
	maxRetryAfterMs?: number;
};

export type HttpPipelineOptions<Call extends HttpCall> = {
	/** The service's name in log lines, e.g. `datahub`. */
	service: string;
	logger?: Logger;
	/** Per attempt. */
	timeoutMs: number;
	retry?: RetrySettings;
	sign?: (request: OutgoingRequest, call: Call) => Promise<OutgoingRequest> | OutgoingRequest;
	/** The service's request id of an answer (a header, or the body). */
	requestId: (response: HttpResponse) => string | undefined;
	/** The error an answer stands for, or undefined for a success. */
	classify: (response: HttpResponse, call: Call) => FerryError | undefined;
	/** The error for a request that got no answer. */
	unanswered: (failure: NetworkFailure, call: Call) => FerryError;
	/** @default 'Interrupted' */
	interruptedMessage?: string;
	/** For tests: another sender, and the back-off's clock. */
	transport?: HttpTransport;
	sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
	random?: () => number;
	now?: () => number;
};

export type HttpPipeline<Call extends HttpCall> = {send(call: Call): Promise<HttpResponse>};

/** What the retry stage needs to know of a failed attempt besides the error. */
type AttemptFailure = {status: number | undefined; retryAfterMs: number | undefined; answered: boolean};

/** Statuses no other attempt can change. */
const finalStatuses = new Set([501, 505]);
/** Answers that show the service refused the request before doing anything with it. */
const refusedStatuses = new Set([429, 503]);

export function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
	const headers = new Headers();
	for (const [name, value] of Object.entries(raw)) {
		for (const item of [value ?? []].flat()) {
			headers.append(name, item);
		}
	}

	return headers;
}

export function createHttpPipeline<Call extends HttpCall>(options: HttpPipelineOptions<Call>): HttpPipeline<Call> {
	const logger = options.logger ?? silentLogger;
	const transport = options.transport ?? createHttpTransport({maxSockets: 16});
	const now = options.now ?? Date.now;
	const failures = new WeakMap<object, AttemptFailure>();

	const interrupted = (signal: AbortSignal | undefined, error: unknown) =>
		(error instanceof InterruptedError ? error : new InterruptedError(options.interruptedMessage ?? 'Interrupted', {cause: signal?.reason ?? error}));

	async function attempt(call: Call, attemptNumber: number): Promise<HttpResponse> {
		const unsigned: OutgoingRequest = {method: call.method, url: call.url, headers: {...call.headers}, ...(call.body === undefined ? {} : {body: call.body})};
		const request = options.sign ? await options.sign(unsigned, call) : unsigned;
		const timeout = AbortSignal.timeout(options.timeoutMs);
		const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
		const started = performance.now();
		const log = (status: number | string, requestId?: string, error?: string) => logger.request({
			service: options.service, operation: call.operation, method: request.method, url: `${request.url.origin}${request.url.pathname}`,
			status, durationMs: performance.now() - started, attempt: attemptNumber, ...(requestId ? {requestId} : {}), ...(error ? {error} : {}),
		});

		let answer;
		try {
			answer = await transport(request, signal);
		} catch (cause) {
			if (call.signal?.aborted) {
				log('aborted');
				throw interrupted(call.signal, cause);
			}

			if (cause instanceof FerryError) {
				throw cause;
			}

			const timedOut = timeout.aborted;
			const code = timedOut ? 'Timeout' : networkCode(cause);
			const error = options.unanswered({cause, code, timedOutMs: timedOut ? options.timeoutMs : undefined, request}, call);
			log(timedOut ? 'timeout' : 'network-error', undefined, error.code ?? error.message);
			failures.set(error, {status: undefined, retryAfterMs: undefined, answered: false});
			throw error;
		}

		const response: HttpResponse = {status: answer.status, headers: toHeaders(answer.headers), body: answer.body, text: answer.body.toString('utf8')};
		const error = options.classify(response, call);
		const requestId = error instanceof ServiceError ? error.requestId ?? options.requestId(response) : options.requestId(response);
		if (error) {
			log(response.status, requestId, error.code ?? error.message.slice(0, 120));
			failures.set(error, {status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()), answered: true});
			throw error;
		}

		log(response.status, requestId);
		return response;
	}

	function isRetryable(call: Call, error: unknown): boolean {
		const failure = typeof error === 'object' && error !== null ? failures.get(error) : undefined;
		if (!(error instanceof ServiceError) || !error.retryable || !failure) {
			return false;
		}

		if (failure.status !== undefined && finalStatuses.has(failure.status)) {
			return false;
		}

		return call.idempotent !== false || (failure.answered && failure.status !== undefined && refusedStatuses.has(failure.status));
	}

	return {
		async send(call) {
			try {
				return await withRetry(attemptNumber => attempt(call, attemptNumber), {
					attempts: call.attempts ?? options.retry?.attempts ?? 5,
					baseDelayMs: options.retry?.baseDelayMs ?? 200,
					maxDelayMs: options.retry?.maxDelayMs ?? 5000,
					...(options.retry?.maxRetryAfterMs === undefined ? {} : {maxRetryAfterMs: options.retry.maxRetryAfterMs}),
					...(call.signal ? {signal: call.signal} : {}),
					isRetryable: error => isRetryable(call, error),
					retryAfterMs: error => (typeof error === 'object' && error !== null ? failures.get(error)?.retryAfterMs : undefined),
					...(options.sleep ? {sleep: options.sleep} : {}),
					...(options.random ? {random: options.random} : {}),
				});
			} catch (error) {
				throw call.signal?.aborted ? interrupted(call.signal, error) : error;
			}
		},
	};
}

function networkCode(cause: unknown): string {
	const direct = (cause as {code?: unknown}).code;
	const nested = (cause as {cause?: {code?: unknown}}).cause?.code;
	const code = typeof direct === 'string' ? direct : nested;
	return typeof code === 'string' ? code : 'NetworkError';
}
