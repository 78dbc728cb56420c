/** The remote objects of the procedure, each created once: the table, the DataHub project, the topic and the DataConnector. */
import {count, ensureMaxComputeTable, StepError, stepSummary} from '../../source/kit.js';
import {connectorConfig, createTableStatement} from './derived.js';
import {connectorKeys} from './identities.js';
import {settings, type Context} from './procedure.js';
import {compareTopicFields} from './type-mapping.js';

/** The MaxCompute table: kept when it has the columns preflight saw, created when missing (rerun: safe). */
export async function ensureTable(context: Context): Promise<void> {
	const shape = context.outputOf('preflight', 'shape');
	const table = context.answers.maxcomputeTable;
	const ensured = await ensureMaxComputeTable(context.clients.maxcompute, {
		name: table,
		columns: shape.columns,
		create: createTableStatement(context, shape.columns),
		settings,
		differs: difference => new StepError(`Table ${table} changed since preflight:\n${difference}`, {hint: 'Start a new run so the topic is derived from the table as it is now.'}),
		signal: context.signal,
	});
	context.summary(ensured.created ? `${table} created · ${count(ensured.columns, 'column')}` : `${table} kept · ${count(ensured.columns, 'column')} as expected`);
}

/** The DataHub project, created or used as it is (rerun: safe). */
export async function ensureProject(context: Context): Promise<void> {
	const project = context.answers.datahubProject;
	const {created} = await context.clients.datahub.createProject(project, 'Created by ferry for the datahub-to-maxcompute procedure', {signal: context.signal});
	context.summary(`${project} ${created ? 'created' : 'exists: used as it is'}`);
}

/** The TUPLE topic, created or checked field by field against the table, and its ACTIVE shards (rerun: safe). */
export async function ensureTopic(context: Context<'topic'>): Promise<void> {
	const {datahub} = context.clients;
	const shape = context.outputOf('preflight', 'shape');
	const project = context.answers.datahubProject;
	const topic = context.answers.datahubTopic;
	const {created} = await datahub.createTopic(project, topic, {shardCount: context.answers.shardCount, lifecycle: context.answers.lifecycle, fields: shape.fields.map(field => ({name: field.column, type: field.fieldType})), comment: 'Created by ferry', signal: context.signal});
	if (!created) {
		const existing = await datahub.getTopic(project, topic, {signal: context.signal});
		const differences = existing.recordType === 'TUPLE' ? compareTopicFields(existing.schema?.fields ?? [], shape.fields) : [`the topic is ${existing.recordType}, not TUPLE`];
		if (differences.length > 0) {
			throw new StepError(`Topic ${project}/${topic} exists with a schema that does not match the table:\n${differences.map(line => `- ${line}`).join('\n')}`, {hint: 'Use another topic name (--set datahubTopic=…) or a table that matches it.'});
		}
	}

	const shards = await datahub.waitForShardsActive(project, topic, {signal: context.signal, timeoutMs: 5 * 60_000, onProgress: progress => context.report(`${progress.active}/${progress.total} shards ACTIVE`)});
	const active = shards.filter(shard => shard.state === 'ACTIVE').map(shard => shard.shardId);
	context.output('shards', active);
	context.summary(stepSummary(`${topic} ${created ? 'created' : 'exists with the same schema'}`, count(shape.fields.length, 'field'), `${count(active.length, 'shard')} ACTIVE`));
}

/** The DataConnector, created once per session (its id is a checkpoint) and checked to write to this table (rerun: safe). */
export async function ensureConnector(context: Context<'connector'>): Promise<void> {
	const {datahub, profile} = context.clients;
	const project = context.answers.datahubProject;
	const topic = context.answers.datahubTopic;
	const shape = context.outputOf('preflight', 'shape');
	const connectorId = await context.checkpoint.once('connectorId', async () => {
		const keys = await connectorKeys(profile, context.answers, context.secret('connectorAccessKeySecret')).keys.getCredentials();
		const columnFields = shape.fields.filter(field => context.answers.partitionMode === 'USER_DEFINE' || field.column !== context.answers.partitionColumn).map(field => field.column);
		const {connectorId, created} = await datahub.createConnector(project, topic, 'sink_odps', {columnFields, config: connectorConfig(context, keys), signal: context.signal});
		context.report(created ? `created ${connectorId}` : `a DataConnector to MaxCompute exists: ${connectorId}`);
		return connectorId;
	});
	const connector = await datahub.getConnector(project, topic, connectorId, {signal: context.signal});
	const target = `${connector.config['Project'] ?? ''}.${connector.config['Table'] ?? ''}`;
	if (target.toLowerCase() !== `${context.answers.maxcomputeProject}.${context.answers.maxcomputeTable}`.toLowerCase()) {
		throw new StepError(`The topic's DataConnector ${connectorId} writes to ${target}, not to ${context.answers.maxcomputeProject}.${context.answers.maxcomputeTable}`, {hint: 'A topic has one MaxCompute DataConnector: use another topic, or delete that connector in the DataHub console.'});
	}

	context.output('connectorId', connectorId);
	context.summary(`${connectorId} · ${connector.state} · ${target}`);
}
