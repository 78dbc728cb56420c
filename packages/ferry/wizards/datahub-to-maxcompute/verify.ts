/** The verify step: the procedure's SELECT * FROM test, side by side. */
import {count, stepSummary, verdictLine, verifyStep} from '../../source/kit.js';
import {partitionRule} from './derived.js';
import {settings, type Context} from './procedure.js';
import {readBackSource, verificationPairs, type VerificationPlan} from './verification.js';

/** The records read back from every shard against the table's rows, per partition (rerun: safe). */
export async function verifyRecords(context: Context): Promise<void> {
	const shape = context.outputOf('preflight', 'shape');
	const shards = context.outputOf('topic', 'shards');
	const plan: VerificationPlan = {table: context.answers.maxcomputeTable, partitionColumn: context.answers.partitionColumn, fields: shape.fields, columns: shape.fields.filter(field => shape.columns.some(column => column.name === field.column)), rule: partitionRule(context), timeZone: context.answers.timeZone};
	const source = await readBackSource(context.clients.datahub, context.answers.datahubProject, context.answers.datahubTopic, shards, plan, context.signal);
	context.report(`${source.records.toLocaleString('en-US')} records read back from DataHub`);
	await verifyStep(context, {
		pairs: verificationPairs(plan, source.sample),
		source: async pair => source.outcome(pair),
		target: async (pair, signal) => {
			const result = await context.clients.maxcompute.runSql(`${pair.target};`, {settings, signal});
			return {columns: result.columns.map(name => ({name})), rows: result.rows};
		},
	}, report => stepSummary(verdictLine(report), `${count(source.records, 'record')} read back`));
}
