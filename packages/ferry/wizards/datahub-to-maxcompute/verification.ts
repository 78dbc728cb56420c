/**
 * The procedure's last step ("SELECT * FROM test") as a side-by-side check: the records read back from DataHub
 * through cursors against the rows the DataConnector wrote to MaxCompute. Per partition: the row count and, per
 * column, non-NULL counts, exact sums of integers and DECIMALs, sums of DOUBLEs within a tolerance, characters of
 * strings and TRUE counts; distinct rows (duplicates); and a sample of rows next to the records they came from.
 * The DataHub side is read a page at a time and folded into those aggregates as it arrives: memory holds the
 * aggregates, a digest per distinct row (source/verify/distinct.ts) and the sample's candidates, never the records.
 */
import {decodeRecordValue, microsToDate} from '../../source/clouds/datahub/schema.js';
import {quoteMaxComputeIdentifier, quoteMaxComputeString} from '../../source/clouds/maxcompute/ddl.js';
import {DistinctCounter, defaultRelativeTolerance, formatDecimal, parseDecimal, type CursorRequest, type DataHubClient, type DataHubRecord, type Decimal, type QueryOutcome, type QueryPair, StepError} from '../../source/kit.js';
import {formatDateTime, partitionValue} from './time.js';
import type {ColumnMapping} from './type-mapping.js';

export type PartitionRule =
	| {mode: 'SYSTEM_TIME' | 'EVENT_TIME'; format: string; timeRangeMinutes: number; timeZone: string}
	| {mode: 'USER_DEFINE'; field: string};

/** The field EVENT_TIME partitions by (DataHub's rule: a TIMESTAMP field of this name). */
export const eventTimeField = 'event_time';

export type VerificationPlan = {
	table: string;
	partitionColumn: string;
	/** The topic's fields in order (in USER_DEFINE mode the partition field is one of them). */
	fields: readonly ColumnMapping[];
	/** The table's data columns (the fields less the partition field). */
	columns: readonly ColumnMapping[];
	rule: PartitionRule;
	timeZone: string;
};

/** A record as its row: the partition value and each column's typed value. */
export type SourceRow = {partition: string; values: unknown[]};

const sampleSize = 5;
/** The sample is chosen among this many first rows: those whose keys no other row of the side repeats. */
const sampleCandidates = 50;

/** A shard's records from a cursor position to its newest, a page at a time; none when the shard holds nothing from there. */
export async function* shardPages(datahub: DataHubClient, project: string, topic: string, shardId: string, from: CursorRequest, signal: AbortSignal): AsyncGenerator<DataHubRecord[]> {
	let cursor: string;
	try {
		cursor = (await datahub.getCursor(project, topic, shardId, from, {signal})).cursor;
	} catch (error) {
		if ((error as {code?: string}).code === 'SeekOutOfRange') {
			return;
		}

		throw error;
	}

	for (;;) {
		const page = await datahub.getRecords(project, topic, shardId, cursor, 1000, {signal});
		if (page.records.length > 0) {
			yield page.records;
		}

		if (page.records.length === 0 || page.nextCursor === cursor) {
			return;
		}

		cursor = page.nextCursor;
	}
}

/** A shard's records from a cursor position to its newest, all at once. */
export async function readShard(datahub: DataHubClient, project: string, topic: string, shardId: string, from: CursorRequest, signal: AbortSignal): Promise<DataHubRecord[]> {
	const records: DataHubRecord[] = [];
	for await (const page of shardPages(datahub, project, topic, shardId, from, signal)) {
		records.push(...page);
	}

	return records;
}

/** Every record of every shard, oldest first, through cursors, folded into the DataHub side of the checks. */
export async function readBackSource(datahub: DataHubClient, project: string, topic: string, shardIds: readonly string[], plan: VerificationPlan, signal: AbortSignal): Promise<SourceSide> {
	const side = new SourceAggregate(plan);
	for (const shardId of shardIds) {
		for await (const page of shardPages(datahub, project, topic, shardId, {type: 'OLDEST'}, signal)) {
			for (const record of page) {
				side.add(record);
			}
		}
	}

	return side.finish();
}

/** A DATETIME column shows a TIMESTAMP as wall-clock time in the connector's zone; other values decode as typed. */
function rowValue(mapping: ColumnMapping, text: string | null, timeZone: string): unknown {
	const value = decodeRecordValue(mapping.fieldType, text);
	return mapping.fieldType === 'TIMESTAMP' && typeof value === 'bigint' ? formatDateTime(microsToDate(value).getTime(), timeZone) : value;
}

function sourceRowOf(plan: VerificationPlan): (record: DataHubRecord) => SourceRow {
	const {rule} = plan;
	const partitionIndex = rule.mode === 'USER_DEFINE' ? plan.fields.findIndex(field => field.column.toLowerCase() === plan.partitionColumn.toLowerCase()) : -1;
	const eventIndex = plan.fields.findIndex(field => field.column.toLowerCase() === eventTimeField);
	const columnIndexes = plan.columns.map(column => plan.fields.indexOf(column));
	// Zone offsets are whole seconds, so records of the same second share a partition: a shard's records arrive in
	// time order, and the last second's partition spares the wall-clock conversion for most of them.
	let last = {second: Number.NaN, partition: ''};
	const partitionOf = (record: DataHubRecord): string => {
		if (rule.mode === 'USER_DEFINE') {
			return String(record.values[partitionIndex] ?? '');
		}

		const at = rule.mode === 'SYSTEM_TIME' ? record.systemTimeMs : microsToDate(BigInt(record.values[eventIndex] ?? '0')).getTime();
		const second = Math.floor(at / 1000);
		if (second !== last.second) {
			last = {second, partition: partitionValue(at, rule.format, rule.timeRangeMinutes, rule.timeZone)};
		}

		return last.partition;
	};

	return record => ({
		partition: partitionOf(record),
		values: columnIndexes.map((fieldIndex, position) => rowValue(plan.columns[position]!, record.values[fieldIndex] ?? null, plan.timeZone)),
	});
}

/** Folds a column's values one at a time into one aggregate's result. */
type Accumulator = {add(value: unknown): void; result(): unknown};

type Aggregate = {alias: string; sql: (column: string) => string; start: () => Accumulator; type: string; approximate?: boolean};

function aliasFor(column: string, index: number, suffix: string): string {
	return /^[A-Za-z_]\w*$/.test(column) ? `${column.toLowerCase()}_${suffix}` : `c${index + 1}_${suffix}`;
}

function counting(matches: (value: unknown) => boolean): Accumulator {
	let count = 0;
	return {
		add(value) {
			if (matches(value)) {
				count++;
			}
		},
		result: () => count,
	};
}

function decimalSum(): Accumulator {
	let total: Decimal | undefined;
	return {
		add(value) {
			const decimal = value === null || value === undefined ? undefined : parseDecimal(String(value));
			if (!decimal) {
				return;
			}

			if (!total) {
				total = decimal;
				return;
			}

			const scale = Math.max(total.scale, decimal.scale);
			total = {coefficient: total.coefficient * 10n ** BigInt(scale - total.scale) + decimal.coefficient * 10n ** BigInt(scale - decimal.scale), scale};
		},
		result: () => (total ? formatDecimal(total) : null),
	};
}

function numberSum(of: (value: unknown) => number | undefined): Accumulator {
	let sum = 0;
	let seen = false;
	return {
		add(value) {
			const number = of(value);
			if (number !== undefined) {
				sum += number;
				seen = true;
			}
		},
		result: () => (seen ? sum : null),
	};
}

function aggregatesFor(mapping: ColumnMapping, index: number): Aggregate[] {
	const count: Aggregate = {alias: aliasFor(mapping.column, index, 'count'), sql: column => `count(${column})`, start: () => counting(value => value !== null), type: 'bigint'};
	switch (mapping.fieldType) {
		case 'TINYINT':
		case 'SMALLINT':
		case 'INTEGER':
		case 'BIGINT':
		case 'DECIMAL': {
			return [count, {alias: aliasFor(mapping.column, index, 'sum'), sql: column => `sum(${column})`, start: decimalSum, type: 'decimal'}];
		}

		case 'FLOAT':
		case 'DOUBLE': {
			return [count, {alias: aliasFor(mapping.column, index, 'sum'), sql: column => `sum(${column})`, start: () => numberSum(value => (typeof value === 'number' ? value : undefined)), type: 'double', approximate: true}];
		}

		case 'STRING': {
			return [count, {alias: aliasFor(mapping.column, index, 'chars'), sql: column => `sum(length(${column}))`, start: () => numberSum(value => (typeof value === 'string' ? [...value].length : undefined)), type: 'bigint'}];
		}

		case 'BOOLEAN': {
			return [count, {alias: aliasFor(mapping.column, index, 'true'), sql: column => `count(CASE WHEN ${column} THEN 1 END)`, start: () => counting(value => value === true), type: 'bigint'}];
		}

		case 'TIMESTAMP': {
			return [count];
		}
	}
}

const dialects = {source: 'datahub', target: 'maxcompute'} as const;

/** What a row-count difference means when a DataConnector fills the table. */
const connectorCauses = {
	empty: 'the DataConnector has not synced this partition (yet), or writes to another table',
	repeated: 'the records were synced {times} times (the table was filled again, or another connector writes to it)',
	more: 'rows written to the table outside the DataConnector, or records synced twice',
	fewer: 'records not synced yet (the connector syncs every 5 minutes or 64 MB), or expired from the topic before they were synced',
};

/** The checks, each with the SQL MaxCompute runs; the DataHub side of each is computed by `SourceAggregate`. */
export function verificationPairs(plan: VerificationPlan, sample: readonly SourceRow[]): QueryPair[] {
	const table = quoteMaxComputeIdentifier(plan.table);
	const partition = quoteMaxComputeIdentifier(plan.partitionColumn);
	const columns = plan.columns.map(column => quoteMaxComputeIdentifier(column.column));
	const aggregates = plan.columns.flatMap((column, index) => aggregatesFor(column, index).map(aggregate => ({column: columns[index]!, aggregate})));
	const pairs: QueryPair[] = [
		{id: 'rows', title: `Rows per partition of ${plan.table}`, source: 'records read back from every shard, counted by the partition the DataConnector puts them in', target: `SELECT ${partition} AS \`partition\`, count(*) AS \`rows\` FROM ${table} GROUP BY ${partition}`, keyColumns: ['partition'], kind: 'row-count', causes: connectorCauses, dialects},
		{id: 'columns', title: 'Column checks per partition (non-NULL counts, sums, characters, TRUE counts)', source: 'the same aggregates over the records read back', target: `SELECT ${partition} AS \`partition\`, ${aggregates.map(({column, aggregate}) => `${aggregate.sql(column)} AS \`${aggregate.alias}\``).join(', ')} FROM ${table} GROUP BY ${partition}`, keyColumns: ['partition'], tolerance: {relative: 1e-9}, approximateColumns: aggregates.filter(({aggregate}) => aggregate.approximate).map(({aggregate}) => aggregate.alias), kind: 'query', dialects},
		{id: 'distinct', title: 'Distinct rows (duplicates show as fewer distinct rows than rows)', source: 'distinct value tuples among the records read back', target: `SELECT count(*) AS \`distinct_rows\` FROM (SELECT DISTINCT ${[...columns, partition].join(', ')} FROM ${table}) d`, keyColumns: [], kind: 'query', dialects},
	];
	if (sample.length > 0) {
		const keyIndexes = sampleKeyIndexes(plan);
		const condition = (row: SourceRow) => [
			`${partition} = ${quoteMaxComputeString(row.partition)}`,
			...keyIndexes.map(index => {
				const value = row.values[index];
				return value === null || value === undefined ? `${columns[index]} IS NULL` : `${columns[index]} = ${literal(plan.columns[index]!, value)}`;
			}),
		].join(' AND ');
		pairs.push({
			id: 'sample',
			title: `The first rows of SELECT * FROM ${plan.table}, next to the records they came from`,
			source: `the first ${sample.length} records of the first shard`,
			target: `SELECT ${[...columns, partition].map((column, index) => (index < columns.length ? `${column} AS \`${plan.columns[index]!.column.toLowerCase()}\`` : `${column} AS \`partition\``)).join(', ')} FROM ${table} WHERE ${sample.map(row => `(${condition(row)})`).join(' OR ')}`,
			keyColumns: ['partition', ...keyIndexes.map(index => plan.columns[index]!.column.toLowerCase())],
			tolerance: {relative: defaultRelativeTolerance},
			kind: 'query',
			dialects,
		});
	}

	return pairs;
}

/** Columns that can find a row by equality (floating values and times cannot be matched exactly in SQL text). */
function sampleKeyIndexes(plan: VerificationPlan): number[] {
	return plan.columns.flatMap((column, index) => (['FLOAT', 'DOUBLE', 'TIMESTAMP'].includes(column.fieldType) ? [] : [index]));
}

function literal(mapping: ColumnMapping, value: unknown): string {
	switch (mapping.fieldType) {
		case 'STRING': {
			return quoteMaxComputeString(String(value));
		}

		case 'BOOLEAN': {
			return value ? 'true' : 'false';
		}

		default: {
			// A number enters the SQL text as itself; anything else here would be a record preflight let through.
			const text = String(value);
			if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) {
				throw new StepError(`The ${mapping.fieldType} value ${JSON.stringify(text)} of ${mapping.column} is not a number`, {hint: 'Check the input records against the table\'s columns.'});
			}

			return text;
		}
	}
}

/** A row's sample key can be written as SQL literals (MaxCompute string literals cannot carry control characters such as a newline). */
function literalSafe(row: SourceRow, keyIndexes: readonly number[]): boolean {
	// eslint-disable-next-line no-control-regex
	return [row.partition, ...keyIndexes.map(index => row.values[index])].every(value => typeof value !== 'string' || !/[\u0000-\u001f\u007f]/.test(value));
}

/** The DataHub side of the checks, computed from the records read back. */
export type SourceSide = {
	/** Records read back. */
	records: number;
	/** Rows whose sample keys occur once among all records, so each finds at most one row: the first of the first candidates. */
	sample: SourceRow[];
	outcome(pair: QueryPair): QueryOutcome;
};

/** The records of a side, one at a time, into the aggregates every check needs. */
export class SourceAggregate {
	readonly #plan: VerificationPlan;
	readonly #rowOf: (record: DataHubRecord) => SourceRow;
	readonly #aggregates: Array<{index: number; aggregate: Aggregate}>;
	readonly #partitions = new Map<string, {rows: number; accumulators: Accumulator[]}>();
	readonly #distinct = new DistinctCounter();
	readonly #keyIndexes: number[];
	/** The first literal-safe rows, by sample key, with how often each key occurs. */
	readonly #candidates = new Map<string, {row: SourceRow; count: number}>();
	#records = 0;

	constructor(plan: VerificationPlan) {
		this.#plan = plan;
		this.#rowOf = sourceRowOf(plan);
		this.#aggregates = plan.columns.flatMap((column, index) => aggregatesFor(column, index).map(aggregate => ({index, aggregate})));
		this.#keyIndexes = sampleKeyIndexes(plan);
	}

	add(record: DataHubRecord): void {
		const row = this.#rowOf(record);
		this.#records++;
		let partition = this.#partitions.get(row.partition);
		if (!partition) {
			partition = {rows: 0, accumulators: this.#aggregates.map(({aggregate}) => aggregate.start())};
			this.#partitions.set(row.partition, partition);
		}

		partition.rows++;
		for (const [position, {index}] of this.#aggregates.entries()) {
			partition.accumulators[position]!.add(row.values[index]);
		}

		this.#distinct.add(JSON.stringify([row.partition, ...row.values.map(value => (typeof value === 'bigint' ? value.toString() : value))]));
		const key = JSON.stringify([row.partition, ...this.#keyIndexes.map(index => String(row.values[index]))]);
		const candidate = this.#candidates.get(key);
		if (candidate) {
			candidate.count++;
		} else if (this.#candidates.size < sampleCandidates && literalSafe(row, this.#keyIndexes)) {
			this.#candidates.set(key, {row, count: 1});
		}
	}

	finish(): SourceSide {
		const plan = this.#plan;
		const sample = [...this.#candidates.values()].filter(candidate => candidate.count === 1).slice(0, sampleSize).map(candidate => candidate.row);
		const partitions = [...this.#partitions];
		const aggregates = this.#aggregates;
		const distinct = this.#distinct.size;
		return {
			records: this.#records,
			sample,
			outcome(pair) {
				switch (pair.id) {
					case 'rows': {
						return {columns: [{name: 'partition', type: 'string'}, {name: 'rows', type: 'bigint'}], rows: partitions.map(([partition, {rows}]) => [partition, rows])};
					}

					case 'columns': {
						return {
							columns: [{name: 'partition', type: 'string'}, ...aggregates.map(({aggregate}) => ({name: aggregate.alias, type: aggregate.type}))],
							rows: partitions.map(([partition, {accumulators}]) => [partition, ...accumulators.map(accumulator => accumulator.result())]),
						};
					}

					case 'distinct': {
						return {columns: [{name: 'distinct_rows', type: 'bigint'}], rows: [[distinct]]};
					}

					case 'sample': {
						return {
							columns: [...plan.columns.map(column => ({name: column.column.toLowerCase(), type: column.fieldType.toLowerCase()})), {name: 'partition', type: 'string'}],
							rows: sample.map(row => [...row.values.map(value => (typeof value === 'bigint' ? value.toString() : value)), row.partition]),
						};
					}

					default: {
						return {error: {message: `no DataHub computation for check ${pair.id}`}};
					}
				}
			},
		};
	}
}

/** The DataHub side of a list of records (tests, small sides). */
export function sourceSide(records: Iterable<DataHubRecord>, plan: VerificationPlan): SourceSide {
	const side = new SourceAggregate(plan);
	for (const record of records) {
		side.add(record);
	}

	return side.finish();
}
