/**
 * The connector's unit of work: consecutive records of one shard that land in one partition, as the rows of one
 * `INSERT INTO … PARTITION (…) VALUES …` statement, cut before MaxCompute's limit on a statement's length (2 MB,
 * "SQL limitations": "An SQL statement cannot exceed 2 MB in length … also applies to SQL statements run through an
 * SDK").
 */
import {insertStatement, timestampToMs, valueLiteral} from './odps-sql.js';
import {timePartition} from './partition.js';
import type {Field} from './schema.js';
import type {ConnectorRecord, StoredRecord} from './store.js';
import type {ColumnDescription} from 'ferry/clouds/maxcompute/client';

export const maxStatementBytes = 2 * 1024 * 1024;
/** Rows of one statement at most, by default; reads from the shard file are this long too. */
export const defaultBatchRows = 20_000;

export type TableLayout = {dataColumns: ColumnDescription[]; partitionColumns: ColumnDescription[]};

export type InsertBatch = {fromSequence: number; toSequence: number; partition: [string, string][]; sql: string};

/** A record that cannot be written where the connector's partition mode says; the shard hangs on it. */
export class RecordProblem extends Error {}

export type BatchBuilder = {
	/** The first batch of `records` (consecutive, oldest first): as many as share the first one's partition and fit. */
	next(records: readonly StoredRecord[]): InsertBatch;
};

export function batchBuilder(connector: ConnectorRecord, fields: readonly Field[], layout: TableLayout, maxRows = defaultBatchRows): BatchBuilder {
	const {config} = connector;
	const timeContext = {unit: config.TimestampUnit, timeZone: config.TimeZone};
	const fieldIndex = (name: string) => fields.findIndex(field => field.name === name);
	/** Per table data column, the topic field that feeds it (-1: none, the column gets NULL). */
	const sources = layout.dataColumns.map(column => {
		const fieldName = connector.columnFields.find(name => (connector.columnNameMap[name] ?? name) === column.name);
		return fieldName === undefined ? -1 : fieldIndex(fieldName);
	});
	const partitionSources = layout.partitionColumns.map(column => fieldIndex(column.name));
	const eventTimeIndex = fieldIndex('event_time');
	/** Partitions by minute: a time window is whole minutes, so every instant of a minute lands in one partition. */
	const partitionsByMinute = new Map<number, [string, string][]>();

	function timePartitionOf(ms: number): [string, string][] {
		const minute = Math.floor(ms / 60_000);
		let partition = partitionsByMinute.get(minute);
		if (!partition) {
			partition = timePartition(config.PartitionConfig, ms, config.TimeZone, config.TimeRange);
			// Windows last 15 minutes or more: when both ends of the minute fall in this one, all of it does (not so
			// where a zone's offset has seconds, local mean time before 1900).
			const at = (instant: number) => JSON.stringify(timePartition(config.PartitionConfig, instant, config.TimeZone, config.TimeRange));
			if (partitionsByMinute.size < 100_000 && at(minute * 60_000) === JSON.stringify(partition) && at(minute * 60_000 + 59_999) === JSON.stringify(partition)) partitionsByMinute.set(minute, partition);
		}

		return partition;
	}

	function partitionOf(record: StoredRecord): [string, string][] {
		const values = record.data as (string | null)[];
		if (config.PartitionMode === 'USER_DEFINE') {
			return layout.partitionColumns.map((column, index) => {
				const value = values[partitionSources[index]!];
				if (value === null || value === undefined || value === '') throw new RecordProblem(`record ${record.sequence}: partition field ${column.name} is empty`);
				return [column.name, value];
			});
		}

		if (config.PartitionMode === 'EVENT_TIME') {
			const value = values[eventTimeIndex];
			if (value === null || value === undefined) throw new RecordProblem(`record ${record.sequence}: event_time is null`);
			return timePartitionOf(timestampToMs(value, config.TimestampUnit));
		}

		return timePartitionOf(record.systemTime);
	}

	function rowOf(record: StoredRecord): string[] {
		const values = record.data as (string | null)[];
		return sources.map(index => (index < 0 ? 'NULL' : valueLiteral(fields[index]!.type, values[index] ?? null, timeContext)));
	}

	/** A row's bytes in the statement: its literals, their separators, the parentheses and the comma before it. */
	const rowBytes = (row: readonly string[]) => row.reduce((sum, literal) => sum + Buffer.byteLength(literal), 0) + (row.length - 1) * 2 + 4;

	return {
		next(records) {
			const first = records[0]!;
			const partition = partitionOf(first);
			const key = JSON.stringify(partition);
			let bytes = Buffer.byteLength(insertStatement(config.Table, partition, []));
			const rows: string[][] = [];
			for (const record of records) {
				if (rows.length >= maxRows || (rows.length > 0 && JSON.stringify(partitionOf(record)) !== key)) break;
				const row = rowOf(record);
				const size = rowBytes(row);
				if (rows.length > 0 && bytes + size > maxStatementBytes) break;
				rows.push(row);
				bytes += size;
			}

			return {fromSequence: first.sequence, toSequence: first.sequence + rows.length - 1, partition, sql: insertStatement(config.Table, partition, rows)};
		},
	};
}
