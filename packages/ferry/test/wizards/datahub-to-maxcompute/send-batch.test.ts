import test from 'ava';
import type {PutRecord} from '../../../source/clouds/datahub/client.js';
import {ServiceError, StepError} from '../../../source/engine/errors.js';
import {sendBatch, type BatchSender} from '../../../wizards/datahub-to-maxcompute/send-batch.js';

const batch: PutRecord[] = Array.from({length: 6}, (_, ordinal) => ({shardId: String(ordinal % 2), values: [String(ordinal)], attributes: {ferry_record: String(ordinal)}}));

/** A topic that takes what it is sent; `lose` decides, per call, how many of the records it took before the answer is lost. */
function topic(lose: (call: number) => number | undefined, error = () => new ServiceError('DataHub', 'PutRecords could not reach http://dh (ECONNRESET)', {retryable: true, code: 'ECONNRESET'})) {
	const stored: number[] = [];
	const sent: number[][] = [];
	const lines: string[] = [];
	const sender: BatchSender<PutRecord> = {
		async send(records) {
			sent.push(records.map(record => Number(record.attributes!['ferry_record'])));
			const taken = lose(sent.length);
			stored.push(...records.slice(0, taken ?? records.length).map(record => Number(record.attributes!['ferry_record'])));
			if (taken !== undefined) {
				throw error();
			}

			return {written: records.length, failedAfterRetries: []};
		},
		lookUp: async () => new Set(stored),
		ordinalOf: record => Number(record.attributes!['ferry_record']),
		onResend: line => lines.push(line),
		signal: new AbortController().signal,
		delayMs: () => 1,
	};
	return {sender, stored, sent, lines};
}

test('an answer lost after DataHub took the whole batch: looked up, nothing sent again', async t => {
	const {sender, stored, sent, lines} = topic(call => (call === 1 ? 6 : undefined));
	await sendBatch(sender, batch);
	t.deepEqual(stored, [0, 1, 2, 3, 4, 5], 'each record once');
	t.is(sent.length, 1);
	t.deepEqual(lines, ['no clear answer (ECONNRESET); 6 of 6 records are in the topic, sending the other 0']);
});

test('an answer lost after part of the batch was taken, twice: only the missing records are sent, each record lands once', async t => {
	const {sender, stored, sent} = topic(call => (call === 1 ? 2 : call === 2 ? 1 : undefined));
	await sendBatch(sender, batch);
	t.deepEqual(sent, [[0, 1, 2, 3, 4, 5], [2, 3, 4, 5], [3, 4, 5]]);
	t.deepEqual([...stored].sort(), [0, 1, 2, 3, 4, 5]);
});

test('a refusal that is not worth another try, or too many lost answers, fail the step for `ferry resume`', async t => {
	const refused = topic(call => (call === 1 ? 0 : undefined), () => new ServiceError('DataHub', 'PutRecords: HTTP 400 InvalidParameter', {retryable: false, code: 'InvalidParameter'}));
	await t.throwsAsync(sendBatch(refused.sender, batch), {message: /InvalidParameter/});
	t.is(refused.sent.length, 1);
	const lost = topic(() => 0);
	await t.throwsAsync(sendBatch({...lost.sender, attempts: 3}, batch), {instanceOf: ServiceError});
	t.is(lost.sent.length, 3);
	const other = topic(() => 0, () => new StepError('not a service error') as unknown as ServiceError);
	await t.throwsAsync(sendBatch(other.sender, batch), {instanceOf: StepError});
});

test('an interrupt during the back-off ends the attempts at once', async t => {
	const controller = new AbortController();
	const {sender, sent} = topic(() => 0);
	const sending = sendBatch({...sender, signal: controller.signal, delayMs: () => 60_000}, batch);
	setTimeout(() => controller.abort(), 20);
	const started = Date.now();
	await t.throwsAsync(sending, {instanceOf: ServiceError});
	t.true(Date.now() - started < 5000);
	t.is(sent.length, 1);
});
