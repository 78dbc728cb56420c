import {setTimeout as sleepFor} from 'node:timers/promises';

export type RetryOptions = {
	/** Attempts in total, including the first. @default 5 */
	attempts?: number;
	/** First back-off in milliseconds. @default 200 */
	baseDelayMs?: number;
	/** Longest back-off in milliseconds. @default 5000 */
	maxDelayMs?: number;
	signal?: AbortSignal;
	/** Whether an error is worth another attempt: throttling and 5xx only. */
	isRetryable: (error: unknown) => boolean;
	/** How long the service asked to be left alone after this error (its `Retry-After`), if it said. */
	retryAfterMs?: (error: unknown) => number | undefined;
	/** A longer `Retry-After` is not waited for: the error is thrown, to be run again later. @default 60000 */
	maxRetryAfterMs?: number;
	onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
	/** For tests: the back-off wait (it must end when the signal aborts) and the jitter. */
	sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
	random?: () => number;
};

/** "Full jitter" back-off: a random delay between 0 and the capped exponential. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
	const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
	return Math.round(random() * cap);
}

/** A wait that ends at once, rejecting with the abort reason, when the signal aborts. */
export async function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	await sleepFor(ms, undefined, signal ? {signal} : undefined);
}

/**
 * Runs the operation until it succeeds, an error is not retryable, the attempts run out or the signal aborts. Each
 * wait is the jittered back-off, or the service's `Retry-After` when that is longer.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
	const attempts = options.attempts ?? 5;
	const base = options.baseDelayMs ?? 200;
	const max = options.maxDelayMs ?? 5000;
	const sleep = options.sleep ?? abortableSleep;
	for (let attempt = 1; ; attempt++) {
		options.signal?.throwIfAborted();
		try {
			return await operation(attempt);
		} catch (error) {
			if (attempt >= attempts || !options.isRetryable(error) || options.signal?.aborted) {
				throw error;
			}

			const asked = options.retryAfterMs?.(error);
			if (asked !== undefined && asked > (options.maxRetryAfterMs ?? 60_000)) {
				throw error;
			}

			const delay = Math.max(asked ?? 0, backoffDelay(attempt, base, max, options.random));
			options.onRetry?.(error, attempt, delay);
			await sleep(delay, options.signal);
		}
	}
}

/** HTTP statuses that mean "try again later": throttling and 5xx, but not 501 and 505, which another try cannot change. */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * `Retry-After` in milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
	const text = value?.trim();
	if (!text) {
		return undefined;
	}

	if (/^\d+$/.test(text)) {
		return Number(text) * 1000;
	}

	const date = Date.parse(text);
	return Number.isNaN(date) || !/[a-z]/i.test(text) ? undefined : Math.max(0, date - now);
}
