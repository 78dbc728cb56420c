import type {DataHubClients} from './clients.js';
import {createDataHubClients} from './clients.js';
import {about} from './about.js';
import {parameters} from './parameters.js';
import {quoteMaxComputeIdentifier} from '../../source/clouds/maxcompute/ddl.js';
import {topicsPerProjectLimit} from '../../source/clouds/datahub/limits.js';
import {encodeRecordSchema} from '../../source/clouds/datahub/schema.js';
import {count, defineWizard, ensureMaxComputeTable, formatBytes, formatDuration, maxComputeSide, pollUntil, PreflightError, runVerification, StepError, stepSummary, checkLine, verdictLine} from '../../source/kit.js';
import {procedure, settings, type Context} from './procedure.js';
import {deniedPermission, permissionDenied, permissionProbes, probePermissions} from './permissions.js';
import {generateRecords, readInputRecords, type WireRecord} from './records.js';
import {partitionValue} from './time.js';
import {compareTopicFields, fieldTypeFor, topicFieldsFor, type ColumnMapping, type TableColumn} from './type-mapping.js';
import {chooseSample, eventTimeField, readBackRecords, readShard, sourceOutcome, sourceRows, verificationPairs, type PartitionRule, type VerificationPlan} from './verification.js';

/** Attributes on every record, so a resumed write can tell which records of an unacknowledged batch arrived. */
const sessionAttribute = 'ferry_session';
const ordinalAttribute = 'ferry_record';
/** How far before a batch was sent a resumed write looks for its records (clock skew between ferry and DataHub). */
const readBackMarginMs = 5 * 60_000;

/** `f1 string, amount decimal(10,2)` → columns; commas inside parentheses belong to the type. */
export function parseColumnList(text: string): TableColumn[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of text) {
		depth += char === '(' || char === '<' ? 1 : char === ')' || char === '>' ? -1 : 0;
		if (char === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else {
			current += char;
		}
	}

	parts.push(current);
	return parts.map(part => part.trim()).filter(Boolean).map(part => {
		const match = /^`?([A-Za-z_]\w*)`?\s+(.+)$/s.exec(part);
		if (!match) {
			throw new PreflightError(`Cannot read the column ${JSON.stringify(part)} in tableColumns`, {hint: 'Write columns as in CREATE TABLE: "f1 string, f2 string, f3 double".'});
		}

		return {name: match[1]!, type: match[2]!.trim().toLowerCase()};
	});
}

/** The topic's fields: the table's columns, plus the partition column as a field when records carry it (USER_DEFINE). */
function fieldsFor(context: Context, columns: readonly TableColumn[]): ColumnMapping[] {
	const withPartition = context.answers.partitionMode === 'USER_DEFINE' ? [...columns, {name: context.answers.partitionColumn, type: 'string'}] : columns;
	const {mappings, problems} = topicFieldsFor(withPartition);
	if (problems.length > 0) {
		throw new PreflightError(`The table cannot be synced from a DataHub topic:\n${problems.map(problem => `- ${problem}`).join('\n')}`, {hint: 'Use a table with flat columns only, or another table.'});
	}

	return mappings;
}

function partitionRule(context: Context): PartitionRule {
	const mode = context.answers.partitionMode;
	return mode === 'USER_DEFINE'
		? {mode: 'USER_DEFINE', field: context.answers.partitionColumn}
		: {mode: mode === 'EVENT_TIME' ? 'EVENT_TIME' : 'SYSTEM_TIME', format: (context.answers.partitionFormat ?? ''), timeRangeMinutes: context.answers.timeRange!, timeZone: context.answers.timeZone};
}

async function recordsFor(context: Context, fields: readonly ColumnMapping[]): Promise<WireRecord[]> {
	const input = context.answers.input ?? '';
	return input ? readInputRecords(input, fields, context.answers.timeZone) : generateRecords(fields, context.answers.records!, context.sessionId.slice(-4));
}

function regionOf(endpoint: string | undefined, pattern: RegExp): string | undefined {
	return endpoint ? pattern.exec(endpoint)?.[1] : undefined;
}

function connectorConfig(context: Context, keys: {accessKeyId: string; accessKeySecret: string}): Record<string, unknown> {
	const rule = partitionRule(context);
	return {
		Project: context.answers.maxcomputeProject,
		Table: context.answers.maxcomputeTable,
		OdpsEndpoint: context.clients.maxcompute.endpoint,
		AccessId: keys.accessKeyId,
		AccessKey: keys.accessKeySecret,
		PartitionMode: rule.mode,
		...(rule.mode === 'USER_DEFINE' ? {PartitionConfig: {[context.answers.partitionColumn]: ''}} : {TimeRange: rule.timeRangeMinutes, PartitionConfig: {[context.answers.partitionColumn]: rule.format}}),
		TimeZone: context.answers.timeZone,
		TimestampUnit: context.answers.timestampUnit,
	};
}

const wizard = defineWizard<DataHubClients>({
	...about,
	version: 1,
	parameters,
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
			parameters: ['datahubProject', 'datahubTopic', 'shardCount', 'lifecycle', 'maxcomputeProject', 'maxcomputeTable', 'tableColumns', 'partitionColumn', 'partitionMode', 'partitionFormat', 'timeRange', 'timeZone', 'timestampUnit', 'input', 'records', 'batchSize', 'syncTimeoutMinutes'],
		}),
		procedure.step({
			id: 'preflight',
			title: 'Preflight',
			kind: 'task',
			rerun: 'safe',
			explain: 'Before anything changes: who ferry is on DataHub and MaxCompute, that both are in the same region, that every column of the table has a DataHub type, that the account the DataConnector writes with may describe, alter and update an existing table, that the project has room for the topic (500, DataHub\'s limit), and that every input record fits the schema.',
			async run(context) {
				const {datahub, maxcompute} = context.clients;
				const [projects, who] = await Promise.all([datahub.listProjects({signal: context.signal}), maxcompute.whoami({signal: context.signal})]);
				context.report(`DataHub: ${projects.length} projects visible · MaxCompute: ${who.owner}`);
				const dataHubRegion = regionOf(datahub.endpoint, /dh-([a-z0-9-]+?)(?:-int-vpc)?\.aliyun/);
				const maxComputeRegion = regionOf(maxcompute.endpoint, /service\.([a-z0-9-]+?)(?:-vpc)?\.maxcompute/);
				if (dataHubRegion && maxComputeRegion && dataHubRegion !== maxComputeRegion) {
					throw new PreflightError(`DataHub is in ${dataHubRegion} but the MaxCompute endpoint is in ${maxComputeRegion}`, {hint: 'A DataConnector writes to a MaxCompute project in its own region; use endpoints of one region.'});
				}

				const table = context.answers.maxcomputeTable;
				const partitionColumn = context.answers.partitionColumn;
				let tableExists: boolean;
				let described: Awaited<ReturnType<typeof maxcompute.describeTable>> = [];
				try {
					tableExists = await maxcompute.tableExists(table, {signal: context.signal});
					described = tableExists ? await maxcompute.describeTable(table, {signal: context.signal}) : [];
				} catch (error) {
					const denied = deniedPermission(error);
					throw denied ? permissionDenied(who.owner, maxcompute.project, table, denied === 'odps:(unnamed)' ? 'odps:Describe' : denied) : error;
				}

				let columns: TableColumn[];
				if (tableExists) {
					const partitions = described.filter(column => column.partition);
					if (!partitions.some(column => column.name.toLowerCase() === partitionColumn.toLowerCase())) {
						throw new PreflightError(`Table ${table} is not partitioned by ${partitionColumn} (its partition columns: ${partitions.map(column => column.name).join(', ') || 'none'})`, {hint: 'Set partitionColumn to the table\'s partition column, or choose another table.'});
					}

					columns = described.filter(column => !column.partition).map(column => ({name: column.name, type: column.type}));
					context.report(`table ${table} exists: ${columns.length} columns, partitioned by ${partitionColumn}`);
					// The connector writes with the profile's keys (connectorConfig), the same account as this client.
					const firstValue = context.answers.partitionMode === 'SYSTEM_TIME' ? partitionValue(Date.now(), (context.answers.partitionFormat ?? ''), context.answers.timeRange!, context.answers.timeZone) : undefined;
					const probed = await probePermissions(maxcompute, permissionProbes(table, columns.map(column => column.name), {column: partitionColumn, ...(firstValue === undefined ? {} : {firstValue})}), {account: who.owner, table}, context.signal);
					context.report(`the connector's account ${who.owner}: CreateInstance, ${probed.checked.join(', ')} allowed${probed.unchecked.map(item => ` · ${item.permission} not checked (${item.why})`).join('')}${firstValue === undefined ? ' · Alter not checked (the first partition is known only from the records)' : ''}`);
				} else {
					columns = parseColumnList(context.answers.tableColumns);
					context.report(`table ${table} will be created: ${columns.map(column => `${column.name} ${column.type}`).join(', ')}`);
				}

				if (context.answers.partitionMode === 'EVENT_TIME' && !columns.some(column => column.name.toLowerCase() === eventTimeField && JSON.stringify(fieldTypeFor(column.type)) === JSON.stringify({fieldType: 'TIMESTAMP'}))) {
					throw new PreflightError(`EVENT_TIME partitions by a DATETIME column named ${eventTimeField}, which ${table} does not have`, {hint: `Add \`${eventTimeField} datetime\` to the table (or to --set tableColumns=…), or use --set partitionMode=SYSTEM_TIME.`});
				}

				const fields = fieldsFor(context, columns);
				const project = context.answers.datahubProject;
				const topics = projects.includes(project) ? await datahub.listTopics(project, {signal: context.signal}) : [];
				if (!topics.includes(context.answers.datahubTopic) && topics.length >= topicsPerProjectLimit) {
					throw new PreflightError(`DataHub project ${project} already has ${topics.length} topics, DataHub's limit of ${topicsPerProjectLimit} per project`, {hint: 'Use an existing topic, another project, or ask Alibaba Cloud to raise the limit.'});
				}

				const records = await recordsFor(context, fields);
				context.report(`${records.length.toLocaleString('en-US')} records to write (${context.answers.input || 'generated log records'})`);
				context.output('shape', {tableExists, columns, fields, records: records.length});
				context.summary(stepSummary('2 services reachable', `table ${tableExists ? 'exists' : 'to create'}`, count(fields.length, 'field'), `${count(records.length, 'record')} to write`));
			},
		}),
		procedure.step({
			id: 'plan',
			title: 'Plan review',
			kind: 'review',
			rerun: 'safe',
			explain: 'Every call the next steps make, in the procedure\'s order: the table, the DataHub project and topic with its schema, the DataConnector and its settings, the writes and the checks. Nothing has changed yet.',
			async review(context) {
				const shape = context.outputOf('preflight', 'shape');
				const table = context.answers.maxcomputeTable;
				const config = connectorConfig(context, {accessKeyId: '<the profile\'s AccessKey ID>', accessKeySecret: '<redacted>'});
				const plan: VerificationPlan = {table, partitionColumn: context.answers.partitionColumn, fields: shape.fields, columns: shape.fields.filter(field => shape.columns.some(column => column.name === field.column)), rule: partitionRule(context), timeZone: context.answers.timeZone};
				return {
					title: `Plan: DataHub ${context.answers.datahubProject}/${context.answers.datahubTopic} → MaxCompute ${context.answers.maxcomputeProject}.${table}`,
					sections: [
						{title: `1. ${shape.tableExists ? 'Keep the existing table (its schema is checked)' : 'Create the table'}`, code: createTableStatement(context, shape.columns), language: 'sql'},
						{title: `2. CreateProject ${context.answers.datahubProject} (kept if it exists)`},
						{title: `3. CreateTopic ${context.answers.datahubTopic}: TUPLE, ${context.answers.shardCount} shards, ${context.answers.lifecycle} days (an existing topic is checked field by field)`, code: JSON.stringify(JSON.parse(encodeRecordSchema(shape.fields.map(field => ({name: field.column, type: field.fieldType})))), undefined, 2), language: 'json'},
						{title: '4. CreateConnector sink_odps (its id is saved and re-attached on resume)', code: JSON.stringify({ColumnFields: shape.fields.filter(field => context.answers.partitionMode === 'USER_DEFINE' || field.column !== context.answers.partitionColumn).map(field => field.column), Config: config}, undefined, 2), language: 'json'},
						{title: `5. PutRecords: ${shape.records.toLocaleString('en-US')} records in batches of ${context.answers.batchSize}, spread over the shards`},
						{title: '6. Watch the DataConnector\'s shard status until every shard has synced the last record written'},
						{title: '7. Verify: the records read back from DataHub against the table, side by side', code: verificationPairs(plan, []).map(pair => `-- ${pair.title}\n${pair.target};`).join('\n\n'), language: 'sql'},
					],
				};
			},
		}),
		procedure.step({
			id: 'table',
			title: 'Table',
			kind: 'task',
			rerun: 'safe',
			explain: 'The MaxCompute table the data lands in (step 1 of the procedure). An existing table with the same columns is kept; a different one stops with the differences.',
			async run(context) {
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
			},
		}),
		procedure.step({
			id: 'project',
			title: 'DataHub project',
			kind: 'task',
			rerun: 'safe',
			explain: 'The DataHub project that holds the topic (step 2). An existing project is used as it is.',
			async run(context) {
				const project = context.answers.datahubProject;
				const {created} = await context.clients.datahub.createProject(project, 'Created by ferry for the datahub-to-maxcompute procedure', {signal: context.signal});
				context.summary(`${project} ${created ? 'created' : 'exists: used as it is'}`);
			},
		}),
		procedure.step({
			id: 'topic',
			title: 'Topic',
			kind: 'task',
			rerun: 'safe',
			explain: 'A TUPLE topic whose schema matches the table: the same field names, types and order, as the procedure requires before a DataConnector can be created (step 3). An existing topic is checked field by field.',
			async run(context) {
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
			},
		}),
		procedure.step({
			id: 'connector',
			title: 'DataConnector',
			kind: 'task',
			rerun: 'safe',
			explain: 'A MaxCompute DataConnector (sink_odps) on the topic: it archives the topic into the table on its own schedule, into the partition its partition mode says. Its id is saved, so a resumed run re-attaches to it.',
			async run(context) {
				const {datahub, profile} = context.clients;
				const project = context.answers.datahubProject;
				const topic = context.answers.datahubTopic;
				const shape = context.outputOf('preflight', 'shape');
				const connectorId = await context.checkpoint.once('connectorId', async () => {
					const keys = await profile.alibaba.credentials.getCredentials();
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
			},
		}),
		procedure.step({
			id: 'write',
			title: 'Write records',
			kind: 'task',
			rerun: 'safe',
			// Safe only with its checkpoints: run from the start (an answer changed), it writes every record again.
			rerunFromStart: 'duplicates',
			explain: 'The records go to the topic in batches spread over the shards (step 4). Each acknowledged batch is saved; after a crash the batch in flight is looked up in the topic by its record numbers, so nothing is written twice.',
			async run(context) {
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
			},
		}),
		procedure.step({
			id: 'sync',
			title: 'Watch the sync',
			kind: 'task',
			rerun: 'safe',
			explain: 'The DataConnector syncs each shard to MaxCompute every five minutes or when 64 MB are waiting (the local cloud every few seconds). Its Sync Offset per shard is watched until every shard has synced the last record written.',
			async run(context) {
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
			},
		}),
		procedure.step({
			id: 'verify',
			title: 'Verify',
			kind: 'verify',
			rerun: 'safe',
			explain: 'The procedure\'s SELECT * FROM test, side by side: the records read back from every shard against the table\'s rows, per partition — counts, column sums and characters, distinct rows, and the first rows next to the records they came from.',
			async run(context) {
				const shape = context.outputOf('preflight', 'shape');
				const shards = context.outputOf('topic', 'shards');
				const plan: VerificationPlan = {table: context.answers.maxcomputeTable, partitionColumn: context.answers.partitionColumn, fields: shape.fields, columns: shape.fields.filter(field => shape.columns.some(column => column.name === field.column)), rule: partitionRule(context), timeZone: context.answers.timeZone};
				const records = await readBackRecords(context.clients.datahub, context.answers.datahubProject, context.answers.datahubTopic, shards, context.signal);
				const rows = sourceRows(records, plan);
				const sample = chooseSample(rows, plan);
				context.report(`${records.length.toLocaleString('en-US')} records read back from DataHub`);
				const report = await runVerification({
					pairs: verificationPairs(plan, sample),
					source: async pair => sourceOutcome(pair, rows, plan, sample),
					target: async (pair, signal) => {
						const result = await context.clients.maxcompute.runSql(`${pair.target};`, {settings, signal});
						return {columns: result.columns.map(name => ({name})), rows: result.rows};
					},
					sessionId: context.sessionId,
					signal: context.signal,
					onPair: (pair, outcome) => context.report(checkLine(pair.title, outcome)),
				});
				context.verified(report);
				context.report(report.summary.text);
				context.summary(stepSummary(verdictLine(report), `${count(records.length, 'record')} read back`));
			},
		}),
	],
});

function createTableStatement(context: Context, columns: readonly TableColumn[]): string {
	return `CREATE TABLE IF NOT EXISTS ${quoteMaxComputeIdentifier(context.answers.maxcomputeTable)} (${columns.map(column => `${quoteMaxComputeIdentifier(column.name)} ${column.type.toUpperCase()}`).join(', ')}) PARTITIONED BY (${quoteMaxComputeIdentifier(context.answers.partitionColumn)} STRING)`;
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

export default wizard;
