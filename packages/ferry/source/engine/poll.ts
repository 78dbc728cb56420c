import {setTimeout as sleep} from 'node:timers/promises';
import {StepError} from './errors.js';

export type PollOptions<T> = {
	/** Reads the current state once. */
	read: () => Promise<T>;
	/** True when the wait is over (success or a final failure the caller inspects). */
	done: (state: T) => boolean;
	/** Called with every state read, e.g. to draw progress. */
	onState?: (state: T) => void;
	signal: AbortSignal;
	/** First pause between reads; it grows by `factor` up to `maxIntervalMs`. @default 250 */
	intervalMs?: number;
	/** @default 5000 */
	maxIntervalMs?: number;
	/** @default 1.5 */
	factor?: number;
	/** Gives up after this long with a StepError naming `what`. */
	timeoutMs: number;
	/** What is being waited for, for the timeout message, e.g. "the DataConnector to sync every shard". */
	what: string;
	/** Shown with the timeout error. */
	hint?: string;
};

/** Waits for a remote job or sync: reads, backs off, stops on abort, and gives up with a clear error after a bound. */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
	const deadline = Date.now() + options.timeoutMs;
	const factor = options.factor ?? 1.5;
	const maxInterval = options.maxIntervalMs ?? 5000;
	let interval = options.intervalMs ?? 250;
	for (;;) {
		options.signal.throwIfAborted();
		const state = await options.read();
		options.onState?.(state);
		if (options.done(state)) {
			return state;
		}

		if (Date.now() + interval > deadline) {
			throw new StepError(`Gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)} s`, {hint: options.hint ?? 'Resume later with `ferry resume`: the wait picks up where it stopped.'});
		}

		await sleep(interval, undefined, {signal: options.signal});
		interval = Math.min(maxInterval, Math.round(interval * factor));
	}
}
