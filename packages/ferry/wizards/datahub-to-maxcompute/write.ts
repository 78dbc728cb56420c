/** The write step: the records go to the topic in batches spread over the shards, never twice. */
import {count, formatBytes, formatDuration, stepSummary} from '../../source/kit.js';
import {recordSource} from './derived.js';
import type {Context} from './procedure.js';
import {recordBatches} from './records.js';
import {sendBatch} from './send-batch.js';
import {readShard} from './verification.js';

/** A batch of records by number, `from` up to `to`, and when it was sent. */
type Span = {from: number; to: number; sentAt: number};

/**
 * PutRecords in batches, the input streamed; acknowledged batches are checkpointed, and a batch in flight at a crash
 * or whose answer was lost is looked up by record number (rerun: safe with its checkpoints).
 */
export async function writeRecords(context: Context<'write'>): Promise<void> {
	const project = context.answers.datahubProject;
	const topic = context.answers.datahubTopic;
	const shards = context.outputOf('topic', 'shards');
	const shape = context.outputOf('preflight', 'shape');
	const total = shape.records;
	const batchSize = context.answers.batchSize;
	const attributes = (ordinal: number) => ({[sessionAttribute]: context.sessionId, [ordinalAttribute]: String(ordinal)});
	let written = context.checkpoint.get<number>('written') ?? 0;
	let bytes = context.checkpoint.get<number>('bytes') ?? 0;
	const inFlight = context.checkpoint.get<Span>('sending');
	const arrived = inFlight ? await ordinalsInTopic(context, shards, inFlight) : new Set<number>();
	if (inFlight) {
		context.report(`re-checking the batch in flight at the crash: ${arrived.size} of ${inFlight.to - inFlight.from} records had arrived`);
	}

	await context.tasks([{
		title: `PutRecords to ${project}/${topic}`,
		async run(task) {
			const started = Date.now();
			for await (const {from, records} of recordBatches(recordSource(context), shape.fields, written, batchSize)) {
				const span = {from, to: from + records.length, sentAt: Date.now()};
				const batch = records.flatMap((values, index) => (arrived.has(from + index) ? [] : [{shardId: shards[(from + index) % shards.length]!, values, attributes: attributes(from + index)}]));
				context.checkpoint.set('sending', span);
				if (batch.length > 0) {
					await sendBatch({
						send: pending => context.clients.datahub.putRecords(project, topic, pending, {signal: task.signal}),
						lookUp: async () => ordinalsInTopic(context, shards, span),
						ordinalOf: record => Number(record.attributes?.[ordinalAttribute]),
						onResend: line => context.log.warn(`PutRecords of records ${span.from}–${span.to - 1}: ${line}`),
						signal: task.signal,
					}, batch);
				}

				written = span.to;
				bytes += batch.reduce((sum, record) => sum + record.values.reduce((size, value) => size + Buffer.byteLength(value ?? ''), 0), 0);
				context.checkpoint.set('written', written);
				context.checkpoint.set('bytes', bytes);
				const seconds = (Date.now() - started) / 1000;
				const rate = seconds > 1 ? written / seconds : 0;
				const eta = rate > 0 ? ` · ETA ${formatDuration(((total - written) / rate) * 1000)}` : '';
				task.output(`${written.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} records · ${Math.round((written / total) * 100)}% · ${formatBytes(bytes)}${rate > 0 ? ` · ${Math.round(rate).toLocaleString('en-US')} records/s${eta}` : ''}`);
			}
		},
	}]);
	context.output('records', total);
	context.output('bytes', bytes);
	context.summary(stepSummary(count(total, 'record'), count(shards.length, 'shard'), formatBytes(bytes)));
}

/** Attributes on every record, so a resumed write can tell which records of an unacknowledged batch arrived. */
const sessionAttribute = 'ferry_session';

const ordinalAttribute = 'ferry_record';

/** How far before a batch was sent a resumed write looks for its records (clock skew between ferry and DataHub). */
const readBackMarginMs = 5 * 60_000;

/** Record numbers of this session between `from` and `to` already in the topic (written before a crash). */
async function ordinalsInTopic(context: Context, shards: readonly string[], batch: Span): Promise<Set<number>> {
	const found = new Set<number>();
	for (const shardId of shards) {
		for (const record of await readShard(context.clients.datahub, context.answers.datahubProject, context.answers.datahubTopic, shardId, {type: 'SYSTEM_TIME', systemTimeMs: batch.sentAt - readBackMarginMs}, context.signal)) {
			const ordinal = Number(record.attributes[ordinalAttribute]);
			if (record.attributes[sessionAttribute] === context.sessionId && ordinal >= batch.from && ordinal < batch.to) {
				found.add(ordinal);
			}
		}
	}

	return found;
}
