/** What several steps derive from the answers: the partition rule, the records to write, the DataConnector's configuration and the CREATE TABLE. */
import {quoteMaxComputeIdentifier} from '../../source/clouds/maxcompute/ddl.js';
import type {Context} from './procedure.js';
import type {RecordSource} from './records.js';
import type {TableColumn} from './type-mapping.js';
import type {PartitionRule} from './verification.js';

export function partitionRule(context: Context): PartitionRule {
	const mode = context.answers.partitionMode;
	return mode === 'USER_DEFINE'
		? {mode: 'USER_DEFINE', field: context.answers.partitionColumn}
		: {mode: mode === 'EVENT_TIME' ? 'EVENT_TIME' : 'SYSTEM_TIME', format: (context.answers.partitionFormat ?? ''), timeRangeMinutes: context.answers.timeRange!, timeZone: context.answers.timeZone};
}

/** The records to write: the input file (streamed), or generated ones; a USER_DEFINE partition value comes with each. */
export function recordSource(context: Context): RecordSource {
	const partitionField = context.answers.partitionMode === 'USER_DEFINE' ? {partitionField: context.answers.partitionColumn} : {};
	const input = context.answers.input ?? '';
	return input ? {kind: 'file', file: input, timeZone: context.answers.timeZone, ...partitionField} : {kind: 'generated', count: context.answers.records!, seed: context.sessionId.slice(-4), ...partitionField};
}

export function connectorConfig(context: Context, keys: {accessKeyId: string; accessKeySecret: string}): Record<string, unknown> {
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

export function createTableStatement(context: Context, columns: readonly TableColumn[]): string {
	return `CREATE TABLE IF NOT EXISTS ${quoteMaxComputeIdentifier(context.answers.maxcomputeTable)} (${columns.map(column => `${quoteMaxComputeIdentifier(column.name)} ${column.type.toUpperCase()}`).join(', ')}) PARTITIONED BY (${quoteMaxComputeIdentifier(context.answers.partitionColumn)} STRING)`;
}
