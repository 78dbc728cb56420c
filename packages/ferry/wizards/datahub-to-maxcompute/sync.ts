/** The sync step: the DataConnector's progress, shard by shard. */
import {count, pollUntil, StepError, stepSummary} from '../../source/kit.js';
import type {Context} from './procedure.js';

/** Watches the DataConnector's Sync Offset per shard until every shard has synced the last record written (rerun: safe). */
export async function watchSync(context: Context<'sync'>): Promise<void> {
	const {datahub} = context.clients;
	const project = context.answers.datahubProject;
	const topic = context.answers.datahubTopic;
	const shards = context.outputOf('topic', 'shards');
	const connectorId = context.outputOf('connector', 'connectorId');
	const targets = Object.fromEntries(await Promise.all(shards.map(async shardId => [shardId, await lastSequence(context, shardId)] as const)));
	const timeoutMinutes = context.answers.syncTimeoutMinutes;
	const statuses = await pollUntil({
		read: async () => datahub.getConnectorShardStatus(project, topic, connectorId, {signal: context.signal}),
		done(states) {
			const hung = states.find(state => state.state === 'CONTEXT_HANG');
			if (hung) {
				throw new StepError(`The DataConnector stopped on shard ${hung.shardId}: ${hung.lastErrorMessage || 'CONTEXT_HANG'}`, {hint: 'Fix the cause (the table, its permissions, the IP whitelist), restart the connector in the DataHub console, then `ferry resume`.'});
			}

			return shards.every(shardId => (states.find(state => state.shardId === shardId)?.currentSequence ?? -1) >= (targets[shardId] ?? -1));
		},
		onState(states) {
			context.report(shards.map(shardId => `shard ${shardId}: ${Math.max(0, (states.find(state => state.shardId === shardId)?.currentSequence ?? -1) + 1).toLocaleString('en-US')}/${((targets[shardId] ?? -1) + 1).toLocaleString('en-US')}`).join(' · '));
		},
		signal: context.signal,
		intervalMs: 500,
		maxIntervalMs: 10_000,
		timeoutMs: timeoutMinutes * 60_000,
		what: 'the DataConnector to sync every shard',
		hint: `The service syncs every 5 minutes or 64 MB. Resume later with \`ferry resume ${context.sessionId}\`, or raise --set syncTimeoutMinutes (now ${timeoutMinutes}).`,
	});
	context.output('shards', statuses);
	context.report(`every shard synced (${shards.map(shardId => `${shardId}: ${(targets[shardId] ?? -1) + 1}`).join(', ')} records)`);
	context.summary(stepSummary(`${count(shards.length, 'shard')} synced`, count(shards.reduce((total, shardId) => total + (targets[shardId] ?? -1) + 1, 0), 'record')));
}

/** The sequence of a shard's newest record, or -1 when it has none. */
async function lastSequence(context: Context, shardId: string): Promise<number> {
	try {
		const cursor = await context.clients.datahub.getCursor(context.answers.datahubProject, context.answers.datahubTopic, shardId, {type: 'LATEST'}, {signal: context.signal});
		return cursor.sequence;
	} catch (error) {
		if ((error as {code?: string}).code === 'SeekOutOfRange') {
			return -1;
		}

		throw error;
	}
}
