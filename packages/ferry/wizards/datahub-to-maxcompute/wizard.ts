import {defineWizard, identitiesStep, maxComputeSide, StepError} from '../../source/kit.js';
import {about} from './about.js';
import {createDataHubClients, type DataHubClients} from './clients.js';
import {parameters} from './parameters.js';
import {facts} from './facts.js';
import {reviewPlan} from './plan.js';
import {runPreflight} from './preflight.js';
import {procedure} from './procedure.js';
import {recheckConnectorGrants} from './identities.js';
import {ensureConnector, ensureProject, ensureTable, ensureTopic} from './remote-objects.js';
import {watchSync} from './sync.js';
import {verifyRecords} from './verify.js';
import {writeRecords} from './write.js';

const wizard = defineWizard<DataHubClients>({
	...about,
	version: 1,
	parameters,
	facts,
	createClients: procedure.createClients(createDataHubClients),
	sides: {
		source: {
			title: 'DataHub',
			async query() {
				throw new StepError('DataHub has no SQL', {hint: 'Query the target, or read records with the DataHub console; `ferry verify` compares both sides.'});
			},
		},
		target: maxComputeSide<DataHubClients>(clients => clients.maxcompute),
	},
	steps: [
		procedure.step({
			id: 'connections',
			title: 'Connections',
			kind: 'form',
			rerun: 'safe',
			explain: 'The DataHub project and TUPLE topic, the MaxCompute project and table the DataConnector syncs into (with its partition column), how the connector partitions, and the records to write: a file of yours or generated log records.',
			parameters: ['datahubProject', 'datahubTopic', 'shardCount', 'lifecycle', 'maxcomputeProject', 'maxcomputeTable', 'tableColumns', 'partitionColumn', 'partitionMode', 'partitionFormat', 'timeRange', 'timeZone', 'timestampUnit', 'connectorAccessKeyId', 'connectorAccessKeySecret', 'input', 'records', 'batchSize', 'syncTimeoutMinutes'],
		}),
		procedure.step({
			id: 'preflight',
			title: 'Preflight',
			kind: 'task',
			rerun: 'safe',
			explain: 'Before anything changes: who ferry is on DataHub and MaxCompute, that both are in the same region, that every column of the table has a DataHub type, that the account the DataConnector writes with (the profile\'s, or the AccessKey given for it) holds CreateInstance on the project and Describe, Alter and Update on the table (its grants, and probes for the profile\'s own account), that the project has room for the topic (500, DataHub\'s limit), and that every input record fits the schema.',
			run: runPreflight,
		}),
		procedure.step({
			id: 'plan',
			title: 'Plan review',
			kind: 'review',
			rerun: 'safe',
			explain: 'Every call the next steps make, in the procedure\'s order: the table, the DataHub project and topic with its schema, the DataConnector and its settings, the writes and the checks. Nothing has changed yet.',
			review: reviewPlan,
		}),
		procedure.step({
			id: 'table',
			title: 'Table',
			kind: 'task',
			rerun: 'safe',
			explain: 'The MaxCompute table the data lands in (step 1 of the procedure). An existing table with the same columns is kept; a different one stops with the differences.',
			run: ensureTable,
		}),
		identitiesStep<DataHubClients>({
			explain: 'The grants the DataConnector\'s account lacks, given on the table that now exists, exactly as the plan showed (ADD USER when it is not a member, GRANT … TO USER …); then its grants are read again.',
			clients: context => ({maxcompute: context.clients.maxcompute}),
			recheck: recheckConnectorGrants,
		}),
		procedure.step({
			id: 'project',
			title: 'DataHub project',
			kind: 'task',
			rerun: 'safe',
			explain: 'The DataHub project that holds the topic (step 2). An existing project is used as it is.',
			run: ensureProject,
		}),
		procedure.step({
			id: 'topic',
			title: 'Topic',
			kind: 'task',
			rerun: 'safe',
			explain: 'A TUPLE topic whose schema matches the table: the same field names, types and order, as the procedure requires before a DataConnector can be created (step 3). An existing topic is checked field by field.',
			run: ensureTopic,
		}),
		procedure.step({
			id: 'connector',
			title: 'DataConnector',
			kind: 'task',
			rerun: 'safe',
			explain: 'A MaxCompute DataConnector (sink_odps) on the topic: it archives the topic into the table on its own schedule, into the partition its partition mode says. Its id is saved, so a resumed run re-attaches to it.',
			run: ensureConnector,
		}),
		procedure.step({
			id: 'write',
			title: 'Write records',
			kind: 'task',
			rerun: 'safe',
			// Safe only with its checkpoints: run from the start (an answer changed), it writes every record again.
			rerunFromStart: 'duplicates',
			explain: 'The records go to the topic in batches spread over the shards (step 4). Each acknowledged batch is saved; after a crash the batch in flight is looked up in the topic by its record numbers, so nothing is written twice.',
			run: writeRecords,
		}),
		procedure.step({
			id: 'sync',
			title: 'Watch the sync',
			kind: 'task',
			rerun: 'safe',
			explain: 'The DataConnector syncs each shard to MaxCompute every five minutes or when 64 MB are waiting (the local cloud every few seconds). Its Sync Offset per shard is watched until every shard has synced the last record written.',
			run: watchSync,
		}),
		procedure.step({
			id: 'verify',
			title: 'Verify',
			kind: 'verify',
			rerun: 'safe',
			explain: 'The procedure\'s SELECT * FROM test, side by side: the records read back from every shard against the table\'s rows, per partition — counts, column sums and characters, distinct rows, and the first rows next to the records they came from.',
			run: verifyRecords,
		}),
	],
});

export default wizard;
