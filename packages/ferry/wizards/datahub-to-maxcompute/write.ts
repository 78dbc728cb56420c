/** The write step: the records go to the topic in batches spread over the shards, never twice. */
import {count, formatBytes, formatDuration, stepSummary} from '../../source/kit.js';
import {recordsFor} from './derived.js';
import type {Context} from './procedure.js';
import {readShard} from './verification.js';

/** PutRecords in batches; acknowledged batches are checkpointed and a batch in flight at a crash is looked up by record number (rerun: safe with its checkpoints). */
export async function writeRecords(context: Context<'write'>): Promise<void> {
	const {datahub} = context.clients;
	const project = context.answers.datahubProject;
	const topic = context.answers.datahubTopic;
	const shards = context.outputOf('topic', 'shards');
	const records = await recordsFor(context, context.outputOf('preflight', 'shape').fields);
	const batchSize = context.answers.batchSize;
	const attributes = (ordinal: number) => ({[sessionAttribute]: context.sessionId, [ordinalAttribute]: String(ordinal)});
	let written = context.checkpoint.get<number>('written') ?? 0;
	let bytes = context.checkpoint.get<number>('bytes') ?? 0;
	const inFlight = context.checkpoint.get<{from: number; to: number; sentAt: number}>('sending');
	const arrived = inFlight ? await ordinalsInTopic(context, shards, inFlight) : new Set<number>();
	if (inFlight) {
		context.report(`re-checking the batch in flight at the crash: ${arrived.size} of ${inFlight.to - inFlight.from} records had arrived`);
	}

	await context.tasks([{
		title: `PutRecords to ${project}/${topic}`,
		async run(task) {
			const started = Date.now();
			for (let from = written; from < records.length; from += batchSize) {
				const to = Math.min(records.length, from + batchSize);
				const batch = [];
				for (let ordinal = from; ordinal < to; ordinal++) {
					if (!arrived.has(ordinal)) {
						batch.push({shardId: shards[ordinal % shards.length]!, values: records[ordinal]!, attributes: attributes(ordinal)});
					}
				}

				context.checkpoint.set('sending', {from, to, sentAt: Date.now()});
				if (batch.length > 0) {
					await datahub.putRecords(project, topic, batch, {signal: task.signal});
				}

				written = to;
				bytes += batch.reduce((sum, record) => sum + record.values.reduce((size, value) => size + Buffer.byteLength(value ?? ''), 0), 0);
				context.checkpoint.set('written', written);
				context.checkpoint.set('bytes', bytes);
				const seconds = (Date.now() - started) / 1000;
				const rate = seconds > 1 ? written / seconds : 0;
				const eta = rate > 0 ? ` · ETA ${formatDuration(((records.length - written) / rate) * 1000)}` : '';
				task.output(`${written.toLocaleString('en-US')} / ${records.length.toLocaleString('en-US')} records · ${Math.round((written / records.length) * 100)}% · ${formatBytes(bytes)}${rate > 0 ? ` · ${Math.round(rate).toLocaleString('en-US')} records/s${eta}` : ''}`);
			}
		},
	}]);
	context.output('records', records.length);
	context.output('bytes', bytes);
	context.summary(stepSummary(count(records.length, 'record'), count(shards.length, 'shard'), formatBytes(bytes)));
}

/** Attributes on every record, so a resumed write can tell which records of an unacknowledged batch arrived. */
const sessionAttribute = 'ferry_session';

const ordinalAttribute = 'ferry_record';

/** How far before a batch was sent a resumed write looks for its records (clock skew between ferry and DataHub). */
const readBackMarginMs = 5 * 60_000;

/** Record numbers of this session between `from` and `to` already in the topic (written before a crash). */
async function ordinalsInTopic(context: Context, shards: readonly string[], batch: {from: number; to: number; sentAt: number}): Promise<Set<number>> {
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
