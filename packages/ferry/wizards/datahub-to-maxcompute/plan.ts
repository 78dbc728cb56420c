/** The plan review step. */
import {encodeRecordSchema} from '../../source/clouds/datahub/schema.js';
import {identityReviewSections, type ReviewDocument} from '../../source/kit.js';
import {connectorConfig, createTableStatement, partitionRule} from './derived.js';
import type {Context} from './procedure.js';
import {verificationPairs, type VerificationPlan} from './verification.js';

/** The plan: every call the steps will make, the AccessKey redacted. */
export async function reviewPlan(context: Context): Promise<ReviewDocument> {
	const shape = context.outputOf('preflight', 'shape');
	const table = context.answers.maxcomputeTable;
	const config = connectorConfig(context, {accessKeyId: context.answers.connectorAccessKeyId || '<the profile\'s AccessKey ID>', accessKeySecret: '<redacted>'});
	const plan: VerificationPlan = {table, partitionColumn: context.answers.partitionColumn, fields: shape.fields, columns: shape.fields.filter(field => shape.columns.some(column => column.name === field.column)), rule: partitionRule(context), timeZone: context.answers.timeZone};
	return {
		title: `Plan: DataHub ${context.answers.datahubProject}/${context.answers.datahubTopic} → MaxCompute ${context.answers.maxcomputeProject}.${table}`,
		sections: [
			...identityReviewSections(context.outputs.preflight?.identities ?? []),
			{title: `1. ${shape.tableExists ? 'Keep the existing table (its schema is checked)' : 'Create the table'}`, code: createTableStatement(context, shape.columns), language: 'sql'},
			{title: `2. CreateProject ${context.answers.datahubProject} (kept if it exists)`},
			{title: `3. CreateTopic ${context.answers.datahubTopic}: TUPLE, ${context.answers.shardCount} shards, ${context.answers.lifecycle} days (an existing topic is checked field by field)`, code: JSON.stringify(JSON.parse(encodeRecordSchema(shape.fields.map(field => ({name: field.column, type: field.fieldType})))), undefined, 2), language: 'json'},
			{title: '4. CreateConnector sink_odps (its id is saved and re-attached on resume)', code: JSON.stringify({ColumnFields: shape.fields.filter(field => context.answers.partitionMode === 'USER_DEFINE' || field.column !== context.answers.partitionColumn).map(field => field.column), Config: config}, undefined, 2), language: 'json'},
			{title: `5. PutRecords: ${shape.records.toLocaleString('en-US')} records in batches of ${context.answers.batchSize}, spread over the shards`},
			{title: '6. Watch the DataConnector\'s shard status until every shard has synced the last record written'},
			{title: '7. Verify: the records read back from DataHub against the table, side by side', code: verificationPairs(plan, []).map(pair => `-- ${pair.title}\n${pair.target};`).join('\n\n'), language: 'sql'},
		],
	};
}
