/**
 * Sending one batch of PutRecords. PutRecords is not idempotent: DataHub gives every record it takes a new sequence,
 * and nothing in a request names records it has seen. So a batch whose answer was lost (a connection cut, a pooled
 * connection gone stale, a timeout, a 5xx) is not sent again blindly: after a back-off its records already in the
 * topic are looked up by their numbers, and only the others are sent. The client itself retries only answers that
 * show DataHub took nothing (429, 503) and records it refused by name.
 *
 * What this cannot rule out: a request that timed out on ferry's side and is still being taken when the look-up runs
 * (its records land after the look-up and are sent again). The back-off before the look-up makes that unlikely.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {backoffDelay, ServiceError} from '../../source/kit.js';

export type BatchSender<Item> = {
	send(records: Item[]): Promise<unknown>;
	/** The numbers of the batch's records already in the topic. */
	lookUp(): Promise<ReadonlySet<number>>;
	ordinalOf(record: Item): number;
	onResend(line: string): void;
	signal: AbortSignal;
	/** Attempts before the step fails (and `ferry resume` looks the batch up again). @default 4 */
	attempts?: number;
	/** For tests. */
	delayMs?: (attempt: number) => number;
};

export async function sendBatch<Item>(sender: BatchSender<Item>, batch: Item[]): Promise<void> {
	const attempts = sender.attempts ?? 4;
	let pending = batch;
	for (let attempt = 1; ; attempt++) {
		try {
			await sender.send(pending);
			return;
		} catch (error) {
			if (!(error instanceof ServiceError) || !error.retryable || attempt >= attempts || sender.signal.aborted) {
				throw error;
			}

			await sleep(sender.delayMs?.(attempt) ?? backoffDelay(attempt, 500, 5000), undefined, {signal: sender.signal}).catch(() => {
				throw error;
			});
			const arrived = await sender.lookUp();
			const before = pending.length;
			pending = pending.filter(record => !arrived.has(sender.ordinalOf(record)));
			sender.onResend(`no clear answer (${error.code ?? error.message}); ${before - pending.length} of ${before} records are in the topic, sending the other ${pending.length}`);
			if (pending.length === 0) {
				return;
			}
		}
	}
}
