/**
 * The sink_odps DataConnector: checks a topic against its MaxCompute table when created, then copies each shard's
 * records into the table in the background through the ODPS REST protocol (ferry's own MaxCompute client, signed
 * with the connector's AccessId/AccessKey). Progress per shard is reported the way the service reports it
 * (State, CurrentSequence, CurrentTimestamp, DoneTime, LastErrorMessage) and persisted after every batch. Shards sync
 * side by side; a batch is up to 20,000 records of one partition in one INSERT under 2 MB (./insert-batch.ts).
 *
 * Exactly-once across restarts: before a batch is submitted, the target partition's row count and the batch's
 * sequence range are recorded; after submission the instance id is recorded; only after the instance succeeded does
 * CurrentSequence move. A batch found pending at start is settled from its instance's outcome, or, if the stop came
 * before the id was recorded, from the partition's row count (rowsBefore → not written, rowsBefore + n → written).
 */
import {createMaxComputeClient, type ColumnDescription, type MaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {OdpsSqlError} from 'ferry/clouds/maxcompute/errors';
import {ServiceError} from 'ferry/engine/errors';
import {silentLogger} from 'ferry/log/logger';
import {StandInError} from '../stand-in-kit.js';
import {invalidParameter} from './errors.js';
import {batchBuilder, RecordProblem, type InsertBatch, type TableLayout} from './insert-batch.js';
import {maxComputeTypeMatches} from './odps-sql.js';
import {isTimeZone, unsupportedDirectives, windowStart} from './partition.js';
import {parseRecordSchema, type Field} from './schema.js';
import type {ConnectorRecord, DataHubStore, OdpsSinkConfig, ShardContext, TopicRecord} from './store.js';
import {topicKey} from './store.js';

export type MaxComputeClientFactory = (config: OdpsSinkConfig) => MaxComputeClient;

export const defaultClientFactory: MaxComputeClientFactory = config => createMaxComputeClient({
	endpoint: config.OdpsEndpoint,
	project: config.Project,
	credentials: {accessKeyId: config.AccessId, accessKeySecret: config.AccessKey},
	logger: silentLogger,
	attempts: 2,
	retryBaseDelayMs: 100,
	poll: {initialMs: 25, maxMs: 200},
});

const partitionModes = ['SYSTEM_TIME', 'EVENT_TIME', 'USER_DEFINE'] as const;
const timestampUnits = ['MICROSECOND', 'MILLISECOND', 'SECOND'] as const;

type CreateRequest = {columnFields: string[]; columnNameMap: Record<string, string>; sinkStartTime: number; config: OdpsSinkConfig};

function text(value: unknown, name: string, required = true): string {
	if (value === undefined || value === null || value === '') {
		if (required) throw invalidParameter(`${name} is required`);
		return '';
	}

	if (typeof value !== 'string' && typeof value !== 'number') throw invalidParameter(`${name} must be a string`);
	return String(value);
}

/** The create body (Go fixture TestCreateOdpsConnector; Python sends "Create"), checked without reaching MaxCompute. */
export function parseCreateRequest(body: Record<string, unknown>, topic: TopicRecord): CreateRequest {
	if (topic.recordType !== 'TUPLE') throw invalidParameter('the local DataHub syncs TUPLE topics only');
	const fields = parseRecordSchema(topic.recordSchema);
	const raw = (body.Config ?? {}) as Record<string, unknown>;
	if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParameter('Config must be an object');
	const columnFields = body.ColumnFields;
	if (!Array.isArray(columnFields) || columnFields.length === 0 || columnFields.some(name => typeof name !== 'string')) throw invalidParameter('ColumnFields must be a non-empty list of field names');
	const lowered = (columnFields as string[]).map(name => name.toLowerCase());
	if (new Set(lowered).size !== lowered.length) throw invalidParameter('ColumnFields contains a duplicated field');
	for (const name of lowered) {
		if (!fields.some(field => field.name === name)) throw invalidParameter(`field ${name} does not exist in topic ${topic.name}`);
	}

	const mode = text(raw.PartitionMode ?? 'SYSTEM_TIME', 'PartitionMode').toUpperCase();
	if (!(partitionModes as readonly string[]).includes(mode)) throw invalidParameter(`PartitionMode must be one of ${partitionModes.join(', ')}`);
	const unit = text(raw.TimestampUnit ?? 'MICROSECOND', 'TimestampUnit').toUpperCase();
	if (!(timestampUnits as readonly string[]).includes(unit)) throw invalidParameter(`TimestampUnit must be one of ${timestampUnits.join(', ')}`);
	const timeZone = text(raw.TimeZone ?? 'Asia/Shanghai', 'TimeZone');
	if (!isTimeZone(timeZone)) throw invalidParameter(`TimeZone ${timeZone} is not a time zone`);
	const timeRange = Number(raw.TimeRange ?? 60);
	if (mode !== 'USER_DEFINE' && (!Number.isInteger(timeRange) || timeRange < 15 || timeRange > 1440 || timeRange % 15 !== 0)) {
		throw invalidParameter('TimeRange must be a multiple of 15 minutes from 15 to 1440');
	}

	const partitionConfig = parsePartitionConfig(raw.PartitionConfig);
	for (const [column, pattern] of partitionConfig) {
		const bad = unsupportedDirectives(pattern);
		if (bad.length > 0) throw invalidParameter(`PartitionConfig ${column}: unsupported format %${bad[0]}`);
	}

	const endpoint = text(raw.OdpsEndpoint, 'OdpsEndpoint');
	if (!/^https?:\/\/\S+$/.test(endpoint)) throw invalidParameter(`OdpsEndpoint ${endpoint} is not a valid endpoint`);
	const columnNameMap = (body.ColumnNameMap ?? {}) as Record<string, unknown>;
	const sinkStartTime = Number(body.SinkStartTime ?? -1);
	return {
		columnFields: lowered,
		columnNameMap: Object.fromEntries(Object.entries(columnNameMap).map(([key, value]) => [key.toLowerCase(), String(value).toLowerCase()])),
		sinkStartTime: Number.isFinite(sinkStartTime) ? sinkStartTime : -1,
		config: {
			Project: text(raw.Project, 'Project'),
			Table: text(raw.Table, 'Table'),
			OdpsEndpoint: endpoint,
			TunnelEndpoint: text(raw.TunnelEndpoint, 'TunnelEndpoint', false),
			AccessId: text(raw.AccessId, 'AccessId'),
			AccessKey: text(raw.AccessKey, 'AccessKey'),
			PartitionMode: mode as OdpsSinkConfig['PartitionMode'],
			TimeRange: timeRange,
			PartitionConfig: partitionConfig,
			TimeZone: timeZone,
			TimestampUnit: unit as OdpsSinkConfig['TimestampUnit'],
		},
	};
}

/** `{"ds":"%Y%m%d"}` (Go/Java SDKs) or `[{"key":"ds","value":"%Y%m%d"}]` (as GetConnector returns it). */
function parsePartitionConfig(value: unknown): [string, string][] {
	let parsed = value;
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			throw invalidParameter('PartitionConfig is not valid JSON');
		}
	}

	if (parsed === undefined || parsed === null) return [];
	if (Array.isArray(parsed)) {
		return parsed.map((entry: {key?: unknown; value?: unknown}) => {
			if (typeof entry?.key !== 'string' || typeof entry.value !== 'string') throw invalidParameter('PartitionConfig entries need key and value');
			return [entry.key.toLowerCase(), entry.value];
		});
	}

	if (typeof parsed !== 'object') throw invalidParameter('PartitionConfig must be an object');
	return Object.entries(parsed as Record<string, unknown>).map(([key, pattern]) => {
		if (typeof pattern !== 'string') throw invalidParameter(`PartitionConfig ${key} must be a string pattern`);
		return [key.toLowerCase(), pattern];
	});
}

export function tableLayout(columns: ColumnDescription[]): TableLayout {
	const normalise = (column: ColumnDescription) => ({...column, name: column.name.toLowerCase()});
	return {dataColumns: columns.filter(column => !column.partition).map(normalise), partitionColumns: columns.filter(column => column.partition).map(normalise)};
}

/** Which topic field feeds which table column, checked by name, type and order; throws InvalidParameter otherwise. */
export function checkTopicAgainstTable(fields: Field[], request: Pick<CreateRequest, 'columnFields' | 'columnNameMap' | 'config'>, layout: TableLayout): void {
	const {config} = request;
	const table = `${config.Project}.${config.Table}`;
	const partitionNames = layout.partitionColumns.map(column => column.name);
	if (config.PartitionMode === 'USER_DEFINE') {
		for (const name of partitionNames) {
			const field = fields.find(candidate => candidate.name === name);
			if (!field) throw invalidParameter(`partition column ${name} of ${table} is not a field of the topic (USER_DEFINE mode)`);
			if (field.type !== 'STRING') throw invalidParameter(`partition field ${name} must be STRING, not ${field.type}`);
		}
	} else {
		const configured = config.PartitionConfig.map(([column]) => column);
		if (configured.join(',') !== partitionNames.join(',')) {
			throw invalidParameter(`PartitionConfig (${configured.join(', ') || 'none'}) does not match the partition columns of ${table} (${partitionNames.join(', ') || 'none'})`);
		}

		if (config.PartitionMode === 'EVENT_TIME' && fields.find(field => field.name === 'event_time')?.type !== 'TIMESTAMP') {
			throw invalidParameter('EVENT_TIME mode needs a TIMESTAMP field named event_time in the topic');
		}
	}

	let lastIndex = -1;
	const dataFields = fields.filter(field => request.columnFields.includes(field.name) && !(config.PartitionMode === 'USER_DEFINE' && partitionNames.includes(field.name)));
	for (const field of dataFields) {
		if (partitionNames.includes(field.name)) throw invalidParameter(`field ${field.name} is a partition column of ${table}; in ${config.PartitionMode} mode partition values come from PartitionConfig`);
		const columnName = request.columnNameMap[field.name] ?? field.name;
		const index = layout.dataColumns.findIndex(column => column.name === columnName);
		if (index < 0) throw invalidParameter(`column ${columnName} does not exist in ${table}`);
		const column = layout.dataColumns[index]!;
		if (!maxComputeTypeMatches(field.type, column.type)) throw invalidParameter(`field ${field.name} type ${field.type} does not match column ${column.name} type ${column.type.toUpperCase()} of ${table}`);
		if (index < lastIndex) throw invalidParameter(`field ${field.name} is out of order: the topic schema must list fields in the order of the columns of ${table}`);
		lastIndex = index;
	}
}

function errorText(error: unknown): string {
	if (error instanceof OdpsSqlError) return `${error.odpsCode ? `${error.odpsCode}:` : ''}${error.odpsMessage}`;
	return error instanceof Error ? error.message : String(error);
}

/** Reads the table and checks the topic against it; the service answers InvalidParameter for any mismatch. */
export async function validateAgainstMaxCompute(client: MaxComputeClient, fields: Field[], request: CreateRequest): Promise<TableLayout> {
	let columns: ColumnDescription[];
	try {
		columns = await client.describeTable(request.config.Table);
	} catch (error) {
		throw invalidParameter(`cannot read MaxCompute table ${request.config.Project}.${request.config.Table}: ${errorText(error)}`);
	}

	const layout = tableLayout(columns);
	checkTopicAgainstTable(fields, request, layout);
	return layout;
}

export type ConnectorRunnerOptions = {
	store: DataHubStore;
	intervalMs: number;
	maxBufferBytes: number;
	/** Rows per INSERT at most (statements stop short of 2 MB anyway); tests may lower it. */
	batchRows: number;
	now: () => number;
	clientFor: MaxComputeClientFactory;
};

export type ConnectorRunner = {
	/** Called after records were appended to a shard: a full batch (or buffer) waiting starts a sync at once. */
	recordsAppended(project: string, topic: string, shardId: string): void;
	forget(connectorId: string): void;
	close(): Promise<void>;
};

class HangError extends Error {}

/**
 * Every shard syncs on its own: a shard with records waiting is synced at the latest `intervalMs` after its last
 * sync began, and at once when a full batch (or `maxBufferBytes`) is waiting; a sync drains the shard batch by batch,
 * so the cadence never limits how fast a backlog goes.
 */
export function startConnectorRunner(options: ConnectorRunnerOptions): ConnectorRunner {
	const {store, intervalMs, maxBufferBytes, batchRows, now} = options;
	const controller = new AbortController();
	const clients = new Map<string, MaxComputeClient>();
	const lastRun = new Map<string, number>();
	/** The sync under way per connector shard. */
	const syncing = new Map<string, Promise<void>>();
	/** The last write queued per MaxCompute table (project.table): one at a time, see writingTable. */
	const tableWrites = new Map<string, Promise<void>>();
	let ticking: Promise<void> | undefined;
	let closed = false;

	const shardKey = (connectorId: string, shardId: string) => `${connectorId}/${shardId}`;
	const targetTable = (connector: ConnectorRecord) => `${connector.config.Project}.${connector.config.Table}`.toLowerCase();
	const logOf = (connector: ConnectorRecord, context: ShardContext) => store.log(connector.project, connector.topic, context.shardId);
	const running = (connector: ConnectorRecord) => !closed && connector.state === 'CONNECTOR_RUNNING' && store.catalog.connectors[connector.id] === connector;

	function clientOf(connector: ConnectorRecord): MaxComputeClient {
		let client = clients.get(connector.id);
		if (!client) {
			client = options.clientFor(connector.config);
			clients.set(connector.id, client);
		}

		return client;
	}

	/** Whether a shard has a full batch, or a full buffer, waiting. */
	function backlogFull(connector: ConnectorRecord, context: ShardContext): boolean {
		const log = logOf(connector, context);
		return log.length - (context.currentSequence + 1) >= batchRows || log.bytesBetween(context.currentSequence + 1, log.length) >= maxBufferBytes;
	}

	async function save(context: ShardContext, changes: Partial<ShardContext>): Promise<void> {
		Object.assign(context, changes, {updateTime: Math.floor(now() / 1000)});
		await store.saveCatalog();
	}

	function doneTime(connector: ConnectorRecord, context: ShardContext, caughtUp: boolean): number {
		const reference = caughtUp ? now() : context.currentTimestamp;
		if (reference < 0) return context.doneTime;
		const clock = windowStart(reference, connector.config.TimeZone, connector.config.TimeRange);
		const wallMs = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
		return Math.max(context.doneTime, Math.floor((wallMs - wallClockOffset(reference, connector.config.TimeZone)) / 1000));
	}

	/**
	 * The partition's rows, read from the table's metadata, as the account may with the privileges the procedure
	 * grants the connector (Describe, Alter, Update: no Select).
	 */
	async function countRows(client: MaxComputeClient, table: string, partition: [string, string][]): Promise<number> {
		return client.partitionRecordCount(table, partition, {signal: controller.signal});
	}

	async function commit(connector: ConnectorRecord, context: ShardContext, toSequence: number, caughtUp: boolean): Promise<void> {
		context.currentSequence = toSequence;
		context.currentTimestamp = logOf(connector, context).systemTime(toSequence) ?? context.currentTimestamp;
		context.pending = undefined;
		context.lastErrorMessage = '';
		await save(context, {doneTime: doneTime(connector, context, caughtUp)});
	}

	/** Settles a batch whose outcome was not recorded (a stop, a crash, a lost answer). */
	async function settlePending(connector: ConnectorRecord, context: ShardContext, client: MaxComputeClient): Promise<void> {
		const pending = context.pending!;
		if (pending.instanceId) {
			try {
				await client.waitForInstance(pending.instanceId, {signal: controller.signal});
				await commit(connector, context, pending.toSequence, false);
			} catch (error) {
				if (!(error instanceof OdpsSqlError) && !(error instanceof ServiceError && /cancelled|NoSuchObject|not exist/i.test(`${error.message}`))) throw error;
				// The INSERT is atomic: a failed or cancelled instance wrote nothing, so the batch is simply written again.
				await save(context, {pending: undefined});
			}

			return;
		}

		const rows = await countRows(client, connector.config.Table, JSON.parse(pending.partition) as [string, string][]);
		const size = pending.toSequence - pending.fromSequence + 1;
		if (rows === pending.rowsBefore + size) await commit(connector, context, pending.toSequence, false);
		else if (rows === pending.rowsBefore) await save(context, {pending: undefined});
		else throw new HangError(`cannot tell whether records ${pending.fromSequence}..${pending.toSequence} reached ${connector.config.Table}: the partition holds ${rows} rows, expected ${pending.rowsBefore} or ${pending.rowsBefore + size}`);
	}

	/**
	 * Runs `write` alone among the writes into the connector's table, once every batch into that table whose outcome
	 * was not recorded is settled: such a batch is judged by the partition's row count, which is exact only while no
	 * other shard's (or connector's) batch has gone into the table since.
	 */
	async function writingTable(connector: ConnectorRecord, write: () => Promise<void>): Promise<void> {
		const table = targetTable(connector);
		const previous = tableWrites.get(table) ?? Promise.resolve();
		const turn = previous.then(async () => {
			for (const other of Object.values(store.catalog.connectors)) {
				if (targetTable(other) !== table) continue;
				for (const context of Object.values(other.shards)) {
					if (context.pending) await settlePending(other, context, clientOf(other));
				}
			}

			await write();
		});
		const settled = turn.catch(() => undefined);
		tableWrites.set(table, settled);
		void settled.finally(() => {
			if (tableWrites.get(table) === settled) tableWrites.delete(table);
		});
		return turn;
	}

	/** One INSERT, recorded before it is submitted and after, so a restart settles it exactly once. */
	async function writeBatch(connector: ConnectorRecord, context: ShardContext, client: MaxComputeClient, batch: InsertBatch): Promise<void> {
		const rowsBefore = await countRows(client, connector.config.Table, batch.partition);
		await save(context, {pending: {fromSequence: batch.fromSequence, toSequence: batch.toSequence, partition: JSON.stringify(batch.partition), rowsBefore}});
		const {instanceId} = await client.submitSql(batch.sql, {signal: controller.signal});
		await save(context, {pending: {...context.pending!, instanceId}});
		try {
			await client.waitForInstance(instanceId, {signal: controller.signal});
		} catch (error) {
			if (error instanceof OdpsSqlError) {
				await save(context, {pending: undefined});
				throw new HangError(errorText(error));
			}

			throw error;
		}

		await commit(connector, context, batch.toSequence, batch.toSequence === logOf(connector, context).length - 1);
	}

	async function syncShard(connector: ConnectorRecord, context: ShardContext): Promise<void> {
		const client = clientOf(connector);
		if (context.pending) await writingTable(connector, async () => undefined);
		const log = logOf(connector, context);
		let next = context.currentSequence + 1;
		if (connector.sinkStartTime >= 0) {
			while (next < log.length && log.systemTime(next)! < connector.sinkStartTime) next++;
			if (next - 1 > context.currentSequence) await commit(connector, context, next - 1, next >= log.length);
		}

		if (next >= log.length) {
			if (context.currentTimestamp >= 0) await save(context, {doneTime: doneTime(connector, context, true)});
			return;
		}

		const topic = store.catalog.topics[topicKey(connector.project, connector.topic)];
		if (!topic) return;
		const fields = parseRecordSchema(topic.recordSchema);
		let layout: TableLayout;
		try {
			layout = tableLayout(await client.describeTable(connector.config.Table, {signal: controller.signal}));
			checkTopicAgainstTable(fields, connector, layout);
		} catch (error) {
			if (error instanceof OdpsSqlError || error instanceof StandInError) throw new HangError(`MaxCompute table ${connector.config.Project}.${connector.config.Table}: ${errorText(error)}`);
			throw error;
		}

		const batches = batchBuilder(connector, fields, layout, batchRows);
		while (running(connector) && next < log.length) {
			let batch: InsertBatch;
			try {
				batch = batches.next(await log.read(next, next + batchRows));
			} catch (error) {
				if (error instanceof RecordProblem) throw new HangError(error.message);
				throw error;
			}

			await writingTable(connector, async () => writeBatch(connector, context, client, batch));
			next = batch.toSequence + 1;
		}
	}

	async function runShard(connector: ConnectorRecord, context: ShardContext): Promise<void> {
		if (context.state !== 'CONTEXT_EXECUTING') await save(context, {state: 'CONTEXT_EXECUTING'});
		try {
			await syncShard(connector, context);
		} catch (error) {
			if (closed) return;
			const hang = error instanceof HangError || error instanceof OdpsSqlError || (error instanceof ServiceError && error.status !== undefined && error.status >= 400 && error.status < 500);
			await save(context, {lastErrorMessage: errorText(error), ...(hang ? {state: 'CONTEXT_HANG' as const} : {})});
		}
	}

	async function tick(force: boolean): Promise<void> {
		for (const connector of Object.values(store.catalog.connectors)) {
			for (const context of Object.values(connector.shards)) {
				if (closed) return;
				const key = shardKey(connector.id, context.shardId);
				if (syncing.has(key)) continue;
				if (connector.state !== 'CONNECTOR_RUNNING') {
					if (context.state !== 'CONTEXT_STOPPED') await save(context, {state: 'CONTEXT_STOPPED'});
					continue;
				}

				if (context.state === 'CONTEXT_HANG') continue;
				const due = now() - (lastRun.get(key) ?? 0) >= intervalMs || backlogFull(connector, context);
				if (!due && !force) continue;
				lastRun.set(key, now());
				syncing.set(key, runShard(connector, context).finally(() => {
					syncing.delete(key);
				}));
			}
		}
	}

	function schedule(force = false): void {
		if (ticking || closed) return;
		ticking = tick(force).finally(() => {
			ticking = undefined;
		});
	}

	const timer = setInterval(() => schedule(), Math.max(20, Math.min(intervalMs, 250)));
	timer.unref();

	return {
		recordsAppended(project, topic, shardId) {
			const full = Object.values(store.catalog.connectors).some(connector => {
				const context = connector.shards[shardId];
				return context !== undefined && topicKey(connector.project, connector.topic) === topicKey(project, topic) && backlogFull(connector, context);
			});
			if (full) schedule();
		},
		forget(connectorId) {
			clients.delete(connectorId);
			for (const key of lastRun.keys()) {
				if (key.startsWith(`${connectorId}/`)) lastRun.delete(key);
			}
		},
		async close() {
			closed = true;
			clearInterval(timer);
			controller.abort(new Error('the local DataHub is stopping'));
			await ticking?.catch(() => undefined);
			await Promise.all([...syncing.values()].map(async sync => sync.catch(() => undefined)));
		},
	};
}

/** Milliseconds the time zone is ahead of UTC at `ms`. */
function wallClockOffset(ms: number, timeZone: string): number {
	const local = windowStart(ms, timeZone, 1);
	const utc = windowStart(ms, 'UTC', 1);
	return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - Date.UTC(utc.year, utc.month - 1, utc.day, utc.hour, utc.minute);
}
