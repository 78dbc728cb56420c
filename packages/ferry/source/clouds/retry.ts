import {setTimeout as sleep} from 'node:timers/promises';

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
	onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
};

/** "Full jitter" back-off: a random delay between 0 and the capped exponential. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
	const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
	return Math.round(random() * cap);
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
	const attempts = options.attempts ?? 5;
	const base = options.baseDelayMs ?? 200;
	const max = options.maxDelayMs ?? 5000;
	for (let attempt = 1; ; attempt++) {
		options.signal?.throwIfAborted();
		try {
			return await operation(attempt);
		} catch (error) {
			if (attempt >= attempts || !options.isRetryable(error) || options.signal?.aborted) {
				throw error;
			}

			const delay = backoffDelay(attempt, base, max);
			options.onRetry?.(error, attempt, delay);
			await sleep(delay, undefined, {signal: options.signal});
		}
	}
}

/** HTTP statuses that mean "try again later". */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || status === 503 || status >= 500;
}
