/**
 * ferry's DataHub client: the REST/JSON protocol (no maintained npm package speaks it), plain uncompressed bodies,
 * every request signed with the DATAHUB scheme. Paths and bodies follow aliyun-datahub-sdk-python `datahub/implement.py`
 * and `datahub/models/params.py`, and the exact fixtures in aliyun-datahub-sdk-go `datahub/api_test.go`.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {InterruptedError, ServiceError, UsageError} from '../../engine/errors.js';
import {silentLogger, type Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {createHttpPipeline, type HttpCall} from '../http-pipeline.js';
import {backoffDelay} from '../retry.js';
import {dataHubError, dataHubNetworkError, isAlreadyExistError, parseDataHubErrorBody, serviceName, type DataHubErrorContext} from './errors.js';
import {recordsPerRequestLimit, requestBodyLimitBytes} from './limits.js';
import {dataHubProjectName, dataHubTopicName} from './names.js';
import {encodeRecordSchema, parseRecordSchema, type RecordSchema, type SchemaField} from './schema.js';
import {signDataHubRequest} from './signature.js';

export type DataHubRetryOptions = {attempts?: number; baseDelayMs?: number; maxDelayMs?: number};

export type DataHubClientOptions = {
	/** e.g. `https://dh-ap-southeast-1.aliyuncs.com`, or a local stand-in's URL. */
	endpoint: string;
	credentials: AlibabaCredentialsProvider;
	logger?: Logger;
	/** Per HTTP request. @default 30000 */
	timeoutMs?: number;
	/** Attempts per call (and per partly failed PutRecords batch) and the jittered back-off. @default {attempts: 5, baseDelayMs: 200, maxDelayMs: 5000} */
	retry?: DataHubRetryOptions;
	/** Between list-shards polls in waitForShardsActive. @default 1000 */
	pollIntervalMs?: number;
};

type CallOptions = {signal?: AbortSignal};

export type DataHubProject = {name: string; comment: string; createTime: number | undefined; lastModifyTime: number | undefined};

export type DataHubTopic = {
	project: string;
	name: string;
	shardCount: number;
	lifecycle: number;
	recordType: 'TUPLE' | 'BLOB' | string;
	/** Only TUPLE topics have one. */
	schema: RecordSchema | undefined;
	comment: string;
	createTime: number | undefined;
	lastModifyTime: number | undefined;
	expandMode: string | undefined;
	status: string | undefined;
};

export type CreateTopicOptions = {shardCount: number; lifecycle: number; fields: SchemaField[]; comment: string; signal?: AbortSignal};

export type ShardState = 'OPENING' | 'ACTIVE' | 'CLOSING' | 'CLOSED' | string;
export type DataHubShard = {shardId: string; state: ShardState; beginHashKey: string; endHashKey: string; parentShardIds: string[]; leftShardId: string | undefined; rightShardId: string | undefined};
export type ShardProgress = {total: number; active: number; states: Record<string, number>};

export type PutRecord = {shardId: string; values: (string | null)[]; attributes?: Record<string, string>};
export type PutRecordFailure = {index: number; code: string; message: string};
export type PutRecordsResult = {
	written: number;
	/** Records still failing when the attempts ran out or the failure is not worth retrying (empty unless tolerateFailures). */
	failedAfterRetries: PutRecordFailure[];
};

export type CursorType = 'OLDEST' | 'LATEST' | 'SEQUENCE' | 'SYSTEM_TIME';
export type CursorRequest = {type: CursorType; sequence?: number; systemTimeMs?: number};
export type DataHubCursor = {cursor: string; sequence: number; recordTime: number};

export type DataHubRecord = {sequence: number; systemTimeMs: number; values: (string | null)[]; attributes: Record<string, string>};

export type ConnectorShardStatus = {
	shardId: string;
	state: string;
	currentSequence: number;
	/** Milliseconds. */
	currentTimestamp: number;
	/** Seconds. */
	doneTime: number;
	lastErrorMessage: string;
	discardCount: number;
};

export type SinkOdpsOptions = {
	columnFields: string[];
	/** Milliseconds since the epoch; omitted = -1, from the oldest data (the Go SDK's default). */
	sinkStartTime?: number;
	columnNameMap?: Record<string, string>;
	/** Project, Table, OdpsEndpoint, TunnelEndpoint, AccessId, AccessKey, PartitionMode, TimeRange, PartitionConfig, TimeZone, TimestampUnit… */
	config: Record<string, unknown>;
	signal?: AbortSignal;
};

export type PartitionConfigEntry = {key: string; value: string};

export type DataHubConnector = {
	connectorId: string;
	type: string;
	state: string;
	columnFields: string[];
	columnNameMap: Record<string, string>;
	creator: string | undefined;
	owner: string | undefined;
	createTime: number | undefined;
	lastModifyTime: number | undefined;
	subscriptionId: string | undefined;
	/** Every value as text, the way the service returns them; secrets (AccessKey) are dropped. */
	config: Record<string, string>;
	/** `Config.PartitionConfig`, an ordered key/value list (the service sends a JSON string of one). */
	partitionConfig: PartitionConfigEntry[];
	/** `Config.TimeRange` in minutes, as a number. */
	timeRange: number | undefined;
	shardContexts: ConnectorShardStatus[];
};

export type ConnectorState = 'CONNECTOR_RUNNING' | 'CONNECTOR_STOPPED';

export type DataHubClient = {
	readonly endpoint: string;
	listProjects(options?: CallOptions): Promise<string[]>;
	getProject(project: string, options?: CallOptions): Promise<DataHubProject>;
	createProject(project: string, comment: string, options?: CallOptions): Promise<{created: boolean}>;
	listTopics(project: string, options?: CallOptions): Promise<string[]>;
	getTopic(project: string, topic: string, options?: CallOptions): Promise<DataHubTopic>;
	createTopic(project: string, topic: string, options: CreateTopicOptions): Promise<{created: boolean}>;
	listShards(project: string, topic: string, options?: CallOptions): Promise<DataHubShard[]>;
	waitForShardsActive(project: string, topic: string, options?: {signal?: AbortSignal; timeoutMs?: number; onProgress?: (progress: ShardProgress) => void}): Promise<DataHubShard[]>;
	/**
	 * Sends the records in as many requests as DataHub's limits need (10,000 records, 4 MB each). Records DataHub
	 * refuses by name are sent again; a request is retried only after 429 or 503. Any other failure leaves it unknown
	 * which records were taken: the caller must look them up before sending them again.
	 */
	putRecords(project: string, topic: string, records: PutRecord[], options?: {signal?: AbortSignal; tolerateFailures?: boolean}): Promise<PutRecordsResult>;
	getCursor(project: string, topic: string, shardId: string, request: CursorRequest, options?: CallOptions): Promise<DataHubCursor>;
	getRecords(project: string, topic: string, shardId: string, cursor: string, limit: number, options?: CallOptions): Promise<{nextCursor: string; records: DataHubRecord[]}>;
	createConnector(project: string, topic: string, type: 'sink_odps', options: SinkOdpsOptions): Promise<{connectorId: string; created: boolean}>;
	listConnectors(project: string, topic: string, options?: CallOptions): Promise<string[]>;
	getConnector(project: string, topic: string, connectorId: string, options?: CallOptions): Promise<DataHubConnector>;
	getConnectorShardStatus(project: string, topic: string, connectorId: string, options?: CallOptions): Promise<ConnectorShardStatus[]>;
	getConnectorDoneTime(project: string, topic: string, connectorId: string, options?: CallOptions): Promise<{doneTime: number; timeWindow: number; timeZone: string}>;
	updateConnectorState(project: string, topic: string, connectorId: string, state: ConnectorState, options?: CallOptions): Promise<void>;
};

const userAgent = 'ferry/0.1 (DataHub REST)';
/** Per-record PutRecords failures that another attempt cannot fix. */
const permanentRecordCodes = new Set(['MalformedRecord', 'InvalidParameter', 'InvalidSchema', 'InvalidShardOperation', 'NoSuchShard', 'NoSuchTopic', 'NoSuchProject', 'Unauthorized', 'NoPermission']);

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Call = HttpCall & {
	method: Method;
	/** Below the endpoint's path, without the query. */
	path: string;
	query?: Record<string, string>;
	context?: Omit<DataHubErrorContext, 'operation' | 'endpoint'>;
};

export function createDataHubClient(options: DataHubClientOptions): DataHubClient {
	const base = new URL(options.endpoint.includes('://') ? options.endpoint : `https://${options.endpoint}`);
	const endpoint = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
	const basePath = base.pathname.replace(/\/+$/, '');
	const logger = options.logger ?? silentLogger;
	const timeoutMs = options.timeoutMs ?? 30_000;
	const attempts = options.retry?.attempts ?? 5;
	const baseDelayMs = options.retry?.baseDelayMs ?? 200;
	const maxDelayMs = options.retry?.maxDelayMs ?? 5000;
	const pollIntervalMs = options.pollIntervalMs ?? 1000;
	const pipeline = createHttpPipeline<Call>({
		service: 'datahub',
		logger,
		timeoutMs,
		retry: {attempts, baseDelayMs, maxDelayMs},
		interruptedMessage: 'The DataHub call was interrupted',
		async sign(request, call) {
			const keys = await options.credentials.getCredentials();
			registerSecret(keys.accessKeySecret);
			registerSecret(keys.securityToken);
			return {...request, headers: {...request.headers, ...signDataHubRequest({method: call.method, path: `${basePath}${call.path}`, query: call.query}, keys), 'User-Agent': userAgent}};
		},
		requestId: response => response.headers.get('x-datahub-request-id') ?? undefined,
		classify(response, call) {
			if (response.status < 400) {
				return undefined;
			}

			const parsed = parseDataHubErrorBody(response.status, response.text, response.headers.get('x-datahub-request-id') ?? undefined);
			return dataHubError(response.status, parsed, {operation: call.operation, endpoint, ...call.context});
		},
		unanswered: (failure, call) => dataHubNetworkError(call.operation, endpoint, failure.cause, failure.timedOutMs),
	});

	async function request({body: json, ...call}: Omit<Call, 'url' | 'body'> & {body?: unknown}): Promise<Record<string, unknown>> {
		const url = new URL(`${base.origin}${basePath}${call.path}${queryString(call.query)}`);
		const response = await pipeline.send({...call, url, ...(json === undefined ? {} : {body: JSON.stringify(json)})});
		if (response.text.trim() === '') {
			return {};
		}

		let result: unknown;
		try {
			result = JSON.parse(response.text) as unknown;
		} catch (error) {
			throw new ServiceError(serviceName, `${call.operation}: the service answered HTTP ${response.status} with a body that is not JSON`, {status: response.status, requestId: response.headers.get('x-datahub-request-id') ?? undefined, cause: error});
		}

		return result !== null && typeof result === 'object' ? result as Record<string, unknown> : {};
	}

	const projectPath = (project: string) => `/projects/${encodeURIComponent(checkedName('project', project))}`;
	const topicPath = (project: string, topic: string) => `${projectPath(project)}/topics/${encodeURIComponent(checkedName('topic', topic))}`;
	const connectorPath = (project: string, topic: string, id: string) => `${topicPath(project, topic)}/connectors/${encodeURIComponent(checkedId('connector id', id))}`;
	const shardPath = (project: string, topic: string, shardId: string) => `${topicPath(project, topic)}/shards/${encodeURIComponent(checkedId('shard id', shardId))}`;

	async function created(operation: () => Promise<unknown>): Promise<{created: boolean}> {
		try {
			await operation();
			return {created: true};
		} catch (error) {
			if (isAlreadyExistError(error)) {
				return {created: false};
			}

			throw error;
		}
	}

	async function listShards(project: string, topic: string, call: CallOptions = {}): Promise<DataHubShard[]> {
		const body = await request({operation: 'ListShards', method: 'GET', path: `${topicPath(project, topic)}/shards`, signal: call.signal, context: {project, topic}});
		return arrayOf(body.Shards).map(raw => ({
			shardId: text(raw.ShardId),
			state: text(raw.State),
			beginHashKey: text(raw.BeginHashKey),
			endHashKey: text(raw.EndHashKey),
			parentShardIds: Array.isArray(raw.ParentShardIds) ? raw.ParentShardIds.map(String) : [],
			leftShardId: optionalText(raw.LeftShardId),
			rightShardId: optionalText(raw.RightShardId),
		}));
	}

	async function listConnectors(project: string, topic: string, call: CallOptions = {}): Promise<string[]> {
		const body = await request({operation: 'ListConnectors', method: 'GET', path: `${topicPath(project, topic)}/connectors`, query: {mode: 'id'}, signal: call.signal, context: {project, topic}});
		return Array.isArray(body.Connectors) ? body.Connectors.map(String) : [];
	}

	async function getConnector(project: string, topic: string, connectorId: string, call: CallOptions = {}): Promise<DataHubConnector> {
		const body = await request({operation: 'GetConnector', method: 'GET', path: connectorPath(project, topic, connectorId), signal: call.signal, context: {project, topic, connectorId}});
		return normaliseConnector(body, connectorId);
	}

	async function putRecords(project: string, topic: string, records: PutRecord[], call: {signal?: AbortSignal; tolerateFailures?: boolean} = {}): Promise<PutRecordsResult> {
		const path = `${topicPath(project, topic)}/shards`;
		for (const [index, record] of records.entries()) {
			if (typeof record.shardId !== 'string' || record.shardId === '' || !Array.isArray(record.values) || record.values.some(value => value !== null && typeof value !== 'string')) {
				throw new UsageError(`DataHub record ${index} needs a shardId and values that are strings or null (encode them with encodeRecordValue)`);
			}
		}

		let pending = records.map((_record, index) => index);
		let written = 0;
		const final: PutRecordFailure[] = [];
		for (let round = 1; pending.length > 0; round++) {
			const batch = pending;
			const failures = new Map<number, PutRecordFailure>();
			for (const group of requestGroups(batch, records)) {
				const body = await request({
					operation: 'PutRecords',
					method: 'POST',
					path,
					body: {Action: 'pub', Records: group.map(index => wireRecord(records[index] as PutRecord))},
					// Each record DataHub takes gets a new sequence: a request whose answer was lost may have been taken.
					idempotent: false,
					signal: call.signal,
					context: {project, topic},
				});
				for (const raw of arrayOf(body.FailedRecords)) {
					const position = Number(raw.Index);
					const index = group[position];
					if (Number.isInteger(position) && index !== undefined) {
						failures.set(index, {index, code: text(raw.ErrorCode) || 'Unknown', message: text(raw.ErrorMessage)});
					}
				}
			}

			written += batch.length - failures.size;
			const retry: number[] = [];
			for (const failure of failures.values()) {
				if (round < attempts && !permanentRecordCodes.has(failure.code)) {
					retry.push(failure.index);
				} else {
					final.push(failure);
				}
			}

			pending = retry.sort((a, b) => a - b);
			if (pending.length > 0) {
				const delay = backoffDelay(round, baseDelayMs, maxDelayMs);
				logger.warn(`DataHub PutRecords to ${project}/${topic}: ${pending.length} of ${batch.length} records failed (${[...failures.values()][0]?.code ?? 'Unknown'}); retrying only those in ${delay} ms`);
				try {
					await sleep(delay, undefined, {signal: call.signal});
				} catch (error) {
					throw interrupted(call.signal, error);
				}
			}
		}

		final.sort((a, b) => a.index - b.index);
		const first = final[0];
		if (first && !call.tolerateFailures) {
			throw new ServiceError(serviceName, `PutRecords: ${final.length} of ${records.length} records were not written to ${project}/${topic}; first: record ${first.index} ${first.code}: ${first.message}`, {
				code: first.code,
				retryable: !permanentRecordCodes.has(first.code),
				hint: permanentRecordCodes.has(first.code) ? 'Check that the values match the topic schema and that the shard is ACTIVE (list the shards again after a split or merge).' : 'The service kept refusing these records; wait a little and run the step again.',
			});
		}

		return {written, failedAfterRetries: final};
	}

	return {
		endpoint,

		async listProjects(call = {}) {
			const body = await request({operation: 'ListProjects', method: 'GET', path: '/projects', signal: call.signal});
			return Array.isArray(body.ProjectNames) ? body.ProjectNames.map(String) : [];
		},

		async getProject(project, call = {}) {
			const body = await request({operation: 'GetProject', method: 'GET', path: projectPath(project), signal: call.signal, context: {project}});
			return {name: project, comment: text(body.Comment), createTime: optionalNumber(body.CreateTime), lastModifyTime: optionalNumber(body.LastModifyTime)};
		},

		async createProject(project, comment, call = {}) {
			checkComment(comment);
			return created(() => request({operation: 'CreateProject', method: 'POST', path: projectPath(project), body: {Comment: comment}, signal: call.signal, context: {project}}));
		},

		async listTopics(project, call = {}) {
			const body = await request({operation: 'ListTopics', method: 'GET', path: `${projectPath(project)}/topics`, signal: call.signal, context: {project}});
			return Array.isArray(body.TopicNames) ? body.TopicNames.map(String) : [];
		},

		async getTopic(project, topic, call = {}) {
			const body = await request({operation: 'GetTopic', method: 'GET', path: topicPath(project, topic), signal: call.signal, context: {project, topic}});
			const schemaText = optionalText(body.RecordSchema);
			let schema: RecordSchema | undefined;
			if (schemaText) {
				try {
					schema = parseRecordSchema(schemaText);
				} catch (error) {
					throw new ServiceError(serviceName, `GetTopic: the schema of ${project}/${topic} cannot be read (${error instanceof Error ? error.message : String(error)})`, {cause: error});
				}
			}

			return {
				project,
				name: topic,
				shardCount: Number(body.ShardCount ?? 0),
				lifecycle: Number(body.Lifecycle ?? 0),
				recordType: text(body.RecordType),
				schema,
				comment: text(body.Comment),
				createTime: optionalNumber(body.CreateTime),
				lastModifyTime: optionalNumber(body.LastModifyTime),
				expandMode: optionalText(body.ExpandMode),
				status: optionalText(body.Status),
			};
		},

		async createTopic(project, topic, create) {
			checkComment(create.comment);
			if (!Number.isInteger(create.shardCount) || create.shardCount < 1 || !Number.isInteger(create.lifecycle) || create.lifecycle < 1) {
				throw new UsageError('A DataHub topic needs a whole shard count and lifecycle (days) of at least 1');
			}

			const body = {
				Action: 'create',
				ShardCount: create.shardCount,
				Lifecycle: create.lifecycle,
				RecordType: 'TUPLE',
				RecordSchema: encodeRecordSchema(create.fields),
				Comment: create.comment,
				ExpandMode: '',
			};
			return created(() => request({operation: 'CreateTopic', method: 'POST', path: topicPath(project, topic), body, signal: create.signal, context: {project, topic}}));
		},

		listShards,

		async waitForShardsActive(project, topic, wait = {}) {
			const deadline = Date.now() + (wait.timeoutMs ?? 60_000);
			for (;;) {
				const shards = await listShards(project, topic, {signal: wait.signal});
				const states: Record<string, number> = {};
				for (const shard of shards) {
					states[shard.state] = (states[shard.state] ?? 0) + 1;
				}

				const active = states.ACTIVE ?? 0;
				wait.onProgress?.({total: shards.length, active, states});
				// Like the Python SDK's wait_shards_ready: CLOSED shards (after a split or merge) count as settled.
				if (active > 0 && shards.every(shard => shard.state === 'ACTIVE' || shard.state === 'CLOSED')) {
					return shards;
				}

				if (Date.now() + pollIntervalMs > deadline) {
					const summary = Object.entries(states).map(([state, count]) => `${count} ${state}`).join(', ') || 'no shards';
					throw new ServiceError(serviceName, `the shards of ${project}/${topic} are not ACTIVE after ${wait.timeoutMs ?? 60_000} ms (${summary})`, {
						code: 'ShardsNotReady',
						retryable: true,
						hint: 'New topics usually settle within seconds; run the step again, or look at the topic in the DataHub console.',
					});
				}

				try {
					await sleep(pollIntervalMs, undefined, {signal: wait.signal});
				} catch (error) {
					throw interrupted(wait.signal, error);
				}
			}
		},

		putRecords,

		async getCursor(project, topic, shardId, cursor, call = {}) {
			const body: Record<string, unknown> = {Action: 'cursor', Type: cursor.type};
			if (cursor.type === 'SEQUENCE') {
				if (!Number.isSafeInteger(cursor.sequence) || (cursor.sequence ?? -1) < 0) {
					throw new UsageError('A SEQUENCE cursor needs a sequence number of 0 or more');
				}

				body.Sequence = cursor.sequence;
			} else if (cursor.type === 'SYSTEM_TIME') {
				if (!Number.isSafeInteger(cursor.systemTimeMs) || (cursor.systemTimeMs ?? -1) < 0) {
					throw new UsageError('A SYSTEM_TIME cursor needs a time in milliseconds since the epoch');
				}

				body.SystemTime = cursor.systemTimeMs;
			}

			const response = await request({operation: 'GetCursor', method: 'POST', path: shardPath(project, topic, shardId), body, signal: call.signal, context: {project, topic}});
			return {cursor: text(response.Cursor), sequence: Number(response.Sequence ?? -1), recordTime: Number(response.RecordTime ?? 0)};
		},

		async getRecords(project, topic, shardId, cursor, limit, call = {}) {
			if (!Number.isInteger(limit) || limit < 1) {
				throw new UsageError('getRecords needs a limit of at least 1');
			}

			const body = await request({operation: 'GetRecords', method: 'POST', path: shardPath(project, topic, shardId), body: {Action: 'sub', Cursor: cursor, Limit: limit}, signal: call.signal, context: {project, topic}});
			return {
				nextCursor: text(body.NextCursor),
				records: arrayOf(body.Records).map(raw => ({
					sequence: Number(raw.Sequence ?? -1),
					systemTimeMs: Number(raw.SystemTime ?? 0),
					values: Array.isArray(raw.Data) ? raw.Data.map((value: unknown) => (value === null || value === undefined ? null : String(value))) : [raw.Data === undefined || raw.Data === null ? null : String(raw.Data)],
					attributes: stringMap(raw.Attributes),
				})),
			};
		},

		async createConnector(project, topic, type, sink) {
			const secret = sink.config.AccessKey;
			if (typeof secret === 'string') {
				registerSecret(secret);
			}

			const body = {
				Action: 'create',
				Type: type,
				SinkStartTime: sink.sinkStartTime ?? -1,
				ColumnFields: sink.columnFields,
				...(sink.columnNameMap ? {ColumnNameMap: sink.columnNameMap} : {}),
				Config: sink.config,
			};
			try {
				const response = await request({operation: 'CreateConnector', method: 'POST', path: `${topicPath(project, topic)}/connectors/${type}`, body, signal: sink.signal, context: {project, topic}});
				// Services before 2.14 answer without an id: there the connector is addressed by its type.
				return {connectorId: optionalText(response.ConnectorId) ?? type, created: true};
			} catch (error) {
				if (!isAlreadyExistError(error)) {
					throw error;
				}

				const ids = await listConnectors(project, topic, {signal: sink.signal});
				if (ids.includes(type)) {
					return {connectorId: type, created: false};
				}

				for (const id of ids) {
					if ((await getConnector(project, topic, id, {signal: sink.signal})).type === type) {
						return {connectorId: id, created: false};
					}
				}

				throw error;
			}
		},

		listConnectors,
		getConnector,

		async getConnectorShardStatus(project, topic, connectorId, call = {}) {
			const body = await request({operation: 'GetConnectorShardStatus', method: 'POST', path: connectorPath(project, topic, connectorId), body: {Action: 'Status'}, signal: call.signal, context: {project, topic, connectorId}});
			const infos = body.ShardStatusInfos;
			const entries = infos && typeof infos === 'object' ? Object.entries(infos as Record<string, Record<string, unknown>>) : [[text(body.ShardId), body] as const];
			return entries
				.map(([key, raw]) => shardStatus(raw, key))
				.sort((a, b) => Number(a.shardId) - Number(b.shardId) || a.shardId.localeCompare(b.shardId));
		},

		async getConnectorDoneTime(project, topic, connectorId, call = {}) {
			const body = await request({operation: 'GetConnectorDoneTime', method: 'GET', path: connectorPath(project, topic, connectorId), query: {donetime: ''}, signal: call.signal, context: {project, topic, connectorId}});
			return {doneTime: Number(body.DoneTime ?? 0), timeWindow: Number(body.TimeWindow ?? 0), timeZone: text(body.TimeZone)};
		},

		async updateConnectorState(project, topic, connectorId, state, call = {}) {
			await request({operation: 'UpdateConnectorState', method: 'POST', path: connectorPath(project, topic, connectorId), body: {Action: 'UpdateState', State: state}, signal: call.signal, context: {project, topic, connectorId}});
		},
	};
}

function queryString(query: Record<string, string> | undefined): string {
	if (!query || Object.keys(query).length === 0) {
		return '';
	}

	return `?${Object.entries(query).map(([key, value]) => (value === '' ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)).join('&')}`;
}

function checkedName(kind: 'project' | 'topic', name: string): string {
	const problem = typeof name === 'string' ? (kind === 'project' ? dataHubProjectName : dataHubTopicName)(name) : `a ${kind} name is text`;
	if (problem) {
		throw new UsageError(`"${String(name)}" is not a valid DataHub ${kind} name`, {hint: `${problem}.`});
	}

	return name;
}

function checkedId(kind: string, id: string): string {
	if (typeof id !== 'string' || !/^[\w.-]+$/.test(id)) {
		throw new UsageError(`"${String(id)}" is not a valid DataHub ${kind}`);
	}

	return id;
}

function checkComment(comment: string): void {
	if (typeof comment !== 'string' || comment === '' || comment.length > 1024) {
		throw new UsageError('DataHub needs a comment of 1–1024 characters for a new project or topic');
	}
}

const putRecordsEnvelopeBytes = Buffer.byteLength(JSON.stringify({Action: 'pub', Records: []}));

/**
 * The records (by index) in requests DataHub takes: at most 10,000 records and 4 MB of body each. A record too large
 * for any request is a usage error (preflight refuses such records, naming their line).
 */
function requestGroups(indices: readonly number[], records: readonly PutRecord[]): number[][] {
	const groups: number[][] = [];
	let group: number[] = [];
	let bytes = putRecordsEnvelopeBytes;
	for (const index of indices) {
		const size = Buffer.byteLength(JSON.stringify(wireRecord(records[index]!))) + 1;
		if (putRecordsEnvelopeBytes + size > requestBodyLimitBytes) {
			throw new UsageError(`DataHub record ${index} is ${size.toLocaleString('en-US')} bytes as PutRecords sends it; DataHub takes at most ${requestBodyLimitBytes.toLocaleString('en-US')} bytes a request`);
		}

		if (group.length === recordsPerRequestLimit || bytes + size > requestBodyLimitBytes) {
			groups.push(group);
			group = [];
			bytes = putRecordsEnvelopeBytes;
		}

		group.push(index);
		bytes += size;
	}

	if (group.length > 0) {
		groups.push(group);
	}

	return groups;
}

function wireRecord(record: PutRecord): Record<string, unknown> {
	return {
		ShardId: record.shardId,
		Data: record.values,
		...(record.attributes && Object.keys(record.attributes).length > 0 ? {Attributes: record.attributes} : {}),
	};
}

function arrayOf(value: unknown): Record<string, unknown>[] {
	return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object') : [];
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function optionalText(value: unknown): string | undefined {
	const result = text(value);
	return result === '' ? undefined : result;
}

function optionalNumber(value: unknown): number | undefined {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
	return Number.isFinite(number) ? number : undefined;
}

function stringMap(value: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, item] of Object.entries(value)) {
			result[key] = typeof item === 'string' ? item : JSON.stringify(item);
		}
	}

	return result;
}

function shardStatus(raw: Record<string, unknown>, key: string): ConnectorShardStatus {
	return {
		// The map key names the shard; the entry's own ShardId is not always right (see the Go SDK's own fixture).
		shardId: key || text(raw.ShardId),
		state: text(raw.State),
		currentSequence: optionalNumber(raw.CurrentSequence) ?? -1,
		currentTimestamp: optionalNumber(raw.CurrentTimestamp) ?? 0,
		doneTime: optionalNumber(raw.DoneTime) ?? 0,
		lastErrorMessage: text(raw.LastErrorMessage),
		discardCount: optionalNumber(raw.DiscardCount) ?? 0,
	};
}

/** `[{"key":"ds","value":"%Y%m%d"}]` (as a JSON string or already parsed), or a plain ordered map. */
export function parsePartitionConfig(value: unknown): PartitionConfigEntry[] {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') {
			return [];
		}

		try {
			parsed = JSON.parse(value) as unknown;
		} catch {
			throw new ServiceError(serviceName, `the connector's PartitionConfig is not JSON (${value.slice(0, 80)})`);
		}
	}

	if (Array.isArray(parsed)) {
		return parsed.flatMap((entry: unknown) => {
			if (!entry || typeof entry !== 'object') {
				return [];
			}

			const record = entry as Record<string, unknown>;
			if ('key' in record && 'value' in record) {
				return [{key: text(record.key), value: text(record.value)}];
			}

			return Object.entries(record).map(([key, item]) => ({key, value: text(item)}));
		});
	}

	if (parsed && typeof parsed === 'object') {
		return Object.entries(parsed).map(([key, item]) => ({key, value: text(item)}));
	}

	return [];
}

function normaliseConnector(body: Record<string, unknown>, requestedId: string): DataHubConnector {
	const rawConfig = body.Config && typeof body.Config === 'object' ? body.Config as Record<string, unknown> : {};
	const config: Record<string, string> = {};
	for (const [key, value] of Object.entries(rawConfig)) {
		if (key === 'AccessKey') {
			if (typeof value === 'string') {
				registerSecret(value);
			}

			continue;
		}

		config[key] = typeof value === 'string' ? value : JSON.stringify(value);
	}

	const extra = body.ExtraInfo && typeof body.ExtraInfo === 'object' ? body.ExtraInfo as Record<string, unknown> : {};
	return {
		connectorId: optionalText(body.ConnectorId) ?? requestedId,
		type: text(body.Type),
		state: text(body.State),
		columnFields: Array.isArray(body.ColumnFields) ? body.ColumnFields.map(String) : [],
		columnNameMap: stringMap(body.ColumnNameMap),
		creator: optionalText(body.Creator),
		owner: optionalText(body.Owner),
		createTime: optionalNumber(body.CreateTime),
		lastModifyTime: optionalNumber(body.LastModifyTime),
		subscriptionId: optionalText(extra.SubscriptionId),
		config,
		partitionConfig: parsePartitionConfig(rawConfig.PartitionConfig),
		timeRange: optionalNumber(rawConfig.TimeRange),
		shardContexts: arrayOf(body.ShardContexts).map(raw => shardStatus(raw, text(raw.ShardId))),
	};
}

/** The caller's abort, as ferry's InterruptedError (exit 130); any other error passes through. */
function interrupted(signal: AbortSignal | undefined, error: unknown): unknown {
	if (!signal?.aborted || error instanceof InterruptedError) {
		return error;
	}

	return new InterruptedError('The DataHub call was interrupted', {cause: signal.reason});
}
