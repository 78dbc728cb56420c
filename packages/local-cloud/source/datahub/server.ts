/**
 * The local DataHub stand-in: the DataHub REST/JSON protocol (projects, TUPLE/BLOB topics, shards, PutRecords,
 * cursors, GetRecords, sink_odps connectors) on 127.0.0.1, checked like the service checks it ("DATAHUB" signature,
 * Date skew, STS token) and answering with its shapes (aliyun-datahub-sdk-go `datahub/api_test.go`, aliyun-datahub-
 * sdk-java `client/ut/*Test.java`, aliyun-datahub-sdk-python `tests/fixtures`). Data persists under `dataDir`.
 */
import {createHash, randomBytes} from 'node:crypto';
import zlib from 'node:zlib';
import type {StandInHandle} from '../contract.js';
import {topicsPerProjectLimit} from 'ferry/clouds/datahub/limits';
import {createFaultPoint} from '../faults.js';
import {crashMessage, serveStandIn, StandInError, type StandInRequest} from '../stand-in-kit.js';
import {defaultBatchRows} from './insert-batch.js';
import {defaultClientFactory, parseCreateRequest, startConnectorRunner, validateAgainstMaxCompute, type MaxComputeClientFactory} from './connector.js';
import {
	connectorExists, dataHubErrorBody, invalidCursor, invalidParameter, invalidUri, limitExceeded, malformedRecord, noSuchConnector,
	noSuchProject, noSuchShard, noSuchTopic, operationDenied, projectExists, seekOutOfRange, topicExists, unauthorized,
} from './errors.js';
import {parseRecordSchema, renderRecordSchema, valueProblem, type Field} from './schema.js';
import {parseDataHubAuthorization, verifyDataHubSignature} from './signature-check.js';
import {openDataHubStore, topicKey, type ConnectorRecord, type DataHubStore, type ShardContext, type StoredRecord, type TopicRecord} from './store.js';

export type DataHubStandInOptions = {
	dataDir: string;
	region: string;
	/** With `securityToken`, requests must carry it in `x-datahub-security-token`. */
	credentials: {accessKeyId: string; secret: string; securityToken?: string};
	port?: number;
	sync?: {
		/** How often each shard is synced. The service: every 5 minutes. @default 3000 */
		intervalMs?: number;
		/** Buffered bytes that start a sync at once. The service: 64 MB. @default 64 MiB */
		maxBufferBytes?: number;
		/** Records per INSERT the connector writes at most (a statement stays under 2 MB anyway). @default 20000 */
		batchRows?: number;
	};
	/** The service's documented limits (clouds/datahub/limits.ts); tests may lower them. */
	limits?: {topicsPerProject?: number};
	/** The server's clock, for tests of the skew check. */
	now?: () => number;
	/** How the connector reaches MaxCompute; by default ferry's ODPS REST client. */
	maxComputeClientFactory?: MaxComputeClientFactory;
};

export type DataHubStandInHandle = Omit<StandInHandle, 'name'> & {name: 'datahub'};

const maxSkewMs = 15 * 60_000;
/** Shards stay OPENING this long after the topic is created (the SDKs poll `wait_shards_ready`). */
const shardOpeningMs = 300;
const maxGetRecords = 1000;
const hashSpace = 1n << 128n;

function requestId(): string {
	const stamp = new Date().toISOString().replaceAll(/[-:TZ.]/g, '').slice(0, 14);
	return `${stamp}${randomBytes(8).toString('hex')}`;
}

/** The "Naming conventions" of DataHub's Limits page: a letter first, letters, digits and _; projects 3–32, topics 1–128. */
function validName(name: string, min: number, max: number): boolean {
	return name.length >= min && name.length <= max && /^[A-Za-z]\w*$/.test(name);
}

function hashKeyText(value: bigint): string {
	return value.toString(16).toUpperCase().padStart(32, '0');
}

function shardRange(shard: number, count: number): [bigint, bigint] {
	const begin = (hashSpace * BigInt(shard)) / BigInt(count);
	const end = shard === count - 1 ? hashSpace - 1n : (hashSpace * BigInt(shard + 1)) / BigInt(count);
	return [begin, end];
}

export async function startDataHubStandIn(options: DataHubStandInOptions): Promise<DataHubStandInHandle> {
	const {credentials} = options;
	const now = options.now ?? Date.now;
	const topicsPerProject = options.limits?.topicsPerProject ?? topicsPerProjectLimit;
	const store: DataHubStore = await openDataHubStore(options.dataDir);
	const {catalog} = store;
	const runner = startConnectorRunner({
		store,
		intervalMs: options.sync?.intervalMs ?? 3000,
		maxBufferBytes: options.sync?.maxBufferBytes ?? 64 * 1024 * 1024,
		batchRows: options.sync?.batchRows ?? defaultBatchRows,
		now,
		clientFor: options.maxComputeClientFactory ?? defaultClientFactory,
	});
	const faults = createFaultPoint();

	function authenticate(request: StandInRequest): void {
		const parsed = parseDataHubAuthorization(request.headers.authorization);
		if (!parsed) throw unauthorized('The Authorization header is missing or is not "DATAHUB <AccessKeyId>:<Signature>".');
		const date = Date.parse(request.headers.date ?? '');
		if (Number.isNaN(date)) throw unauthorized('The Date header is missing or is not an RFC 1123 date.');
		if (Math.abs(now() - date) > maxSkewMs) throw unauthorized(`The request time ${request.headers.date} differs from the server time by more than 15 minutes.`);
		if (parsed.accessKeyId !== credentials.accessKeyId) throw unauthorized(`The AccessKeyId ${parsed.accessKeyId} does not exist.`);
		if (!verifyDataHubSignature({method: request.method, target: request.target, headers: request.headers}, credentials.secret, parsed.signature)) {
			throw unauthorized('Authroize failed: the request signature does not match.');
		}

		const token = request.headers['x-datahub-security-token'];
		if (credentials.securityToken !== undefined && token !== credentials.securityToken) throw unauthorized('The security token is missing, expired or does not belong to this AccessKey.');
	}

	/** The body as a JSON object, inflated first as Content-Encoding says. */
	function readJson(request: StandInRequest): Record<string, unknown> {
		let {body} = request;
		const encoding = (request.headers['content-encoding'] ?? '').toLowerCase();
		try {
			if (encoding === 'deflate') body = zlib.inflateSync(body);
			else if (encoding === 'zstd' && 'zstdDecompressSync' in zlib) body = (zlib as unknown as {zstdDecompressSync(input: Buffer): Buffer}).zstdDecompressSync(body);
			else if (encoding !== '' && encoding !== 'identity') throw invalidParameter(`Content-Encoding ${encoding} is not supported by the local DataHub; send plain JSON.`);
		} catch (error) {
			if (error instanceof StandInError) throw error;
			throw invalidParameter(`The ${encoding} request body cannot be decompressed.`);
		}

		if (body.length === 0) return {};
		try {
			const parsed = JSON.parse(body.toString('utf8')) as unknown;
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
			return parsed as Record<string, unknown>;
		} catch {
			throw invalidParameter('The request body is not a JSON object.');
		}
	}

	const seconds = () => Math.floor(now() / 1000);

	function project(name: string) {
		const record = catalog.projects[name.toLowerCase()];
		if (!record) throw noSuchProject(name);
		return record;
	}

	function topic(projectName: string, name: string): TopicRecord {
		project(projectName);
		const record = catalog.topics[topicKey(projectName, name)];
		if (!record) throw noSuchTopic(projectName, name);
		return record;
	}

	function shardState(record: TopicRecord): 'OPENING' | 'ACTIVE' {
		return now() - record.createdAtMs < shardOpeningMs ? 'OPENING' : 'ACTIVE';
	}

	function requireShard(record: TopicRecord, shardId: string): number {
		const shard = /^\d+$/.test(shardId) ? Number(shardId) : -1;
		if (shard < 0 || shard >= record.shardCount) throw noSuchShard(shardId);
		return shard;
	}

	async function createTopic(projectName: string, name: string, body: Record<string, unknown>): Promise<void> {
		project(projectName);
		if (!validName(name, 1, 128)) throw invalidParameter('Topic name must start with a letter, contain only letters, digits and "_" and be 1 to 128 characters long.');
		if (catalog.topics[topicKey(projectName, name)]) throw topicExists();
		const shardCount = Number(body.ShardCount);
		if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 256) throw invalidParameter('ShardCount must be an integer from 1 to 256.');
		const lifecycle = Number(body.Lifecycle);
		if (!Number.isInteger(lifecycle) || lifecycle < 1 || lifecycle > 7) throw invalidParameter('Lifecycle must be an integer from 1 to 7 days.');
		const recordType = String(body.RecordType ?? '').toUpperCase();
		if (recordType !== 'TUPLE' && recordType !== 'BLOB') throw invalidParameter('RecordType must be TUPLE or BLOB.');
		const fields = recordType === 'TUPLE' ? parseRecordSchema(body.RecordSchema) : undefined;
		const count = Object.values(catalog.topics).filter(candidate => candidate.project.toLowerCase() === projectName.toLowerCase()).length;
		if (count >= topicsPerProject) throw limitExceeded(`The number of topics in project ${projectName} exceeds the limit ${topicsPerProject}.`);
		const time = seconds();
		catalog.topics[topicKey(projectName, name)] = {
			project: project(projectName).name,
			name,
			shardCount,
			lifecycle,
			recordType,
			...(fields ? {recordSchema: renderRecordSchema(fields)} : {}),
			comment: typeof body.Comment === 'string' ? body.Comment : '',
			expandMode: typeof body.ExpandMode === 'string' && body.ExpandMode ? body.ExpandMode : 'split',
			createTime: time,
			lastModifyTime: time,
			createdAtMs: now(),
		};
		await store.saveCatalog();
	}

	function failure(index: number, code: string, message: string) {
		return {Index: index, ErrorCode: code, ErrorMessage: message};
	}

	async function putRecords(record: TopicRecord, body: Record<string, unknown>, fixedShard: string | undefined) {
		const records = body.Records;
		if (!Array.isArray(records) || records.length === 0) throw malformedRecord();
		const fields: Field[] | undefined = record.recordType === 'TUPLE' ? parseRecordSchema(record.recordSchema) : undefined;
		const failed: ReturnType<typeof failure>[] = [];
		const byShard = new Map<string, Omit<StoredRecord, 'sequence'>[]>();
		const active = shardState(record) === 'ACTIVE';
		for (const [index, item] of (records as unknown[]).entries()) {
			const {ShardId: shardId, PartitionKey: partitionKey, HashKey: hashKey, Data: data, Attributes: attributes} = (item ?? {}) as Record<string, unknown>;
			let target: string | undefined = fixedShard;
			if (target === undefined) {
				if (typeof shardId === 'string' && shardId !== '') target = shardId;
				else if (typeof hashKey === 'string' && /^[\dA-Fa-f]{32}$/.test(hashKey)) target = shardOfHash(record, BigInt(`0x${hashKey}`));
				else if (typeof partitionKey === 'string' && partitionKey !== '') target = shardOfHash(record, BigInt(`0x${createHash('md5').update(partitionKey).digest('hex')}`));
				else {
					failed.push(failure(index, 'MalformedRecord', 'The record needs a ShardId, a PartitionKey or a 32-digit hex HashKey.'));
					continue;
				}
			}

			if (!/^\d+$/.test(target) || Number(target) >= record.shardCount) {
				failed.push(failure(index, 'InvalidShardId', 'Invalid shard id'));
				continue;
			}

			if (!active) {
				failed.push(failure(index, 'InvalidShardOperation', 'The specified shard is not active.'));
				continue;
			}

			if (attributes !== undefined && attributes !== null && (typeof attributes !== 'object' || Object.values(attributes).some(value => typeof value !== 'string'))) {
				failed.push(failure(index, 'MalformedRecord', 'Attributes must map strings to strings.'));
				continue;
			}

			let problem: string | undefined;
			if (fields) {
				if (!Array.isArray(data) || data.length !== fields.length) problem = 'Record field size not match';
				else problem = fields.map((field, position) => valueProblem(field, data[position])).find(Boolean);
			} else if (typeof data !== 'string' || !/^[A-Za-z\d+/]*={0,2}$/.test(data)) {
				problem = 'BLOB data must be Base64 text';
			}

			if (problem) {
				failed.push(failure(index, 'MalformedRecord', problem));
				continue;
			}

			const draft: Omit<StoredRecord, 'sequence'> = {systemTime: now(), data: data as StoredRecord['data'], ...(attributes ? {attributes: attributes as Record<string, string>} : {})};
			const drafts = byShard.get(target);
			if (drafts) drafts.push(draft);
			else byShard.set(target, [draft]);
		}

		await Promise.all([...byShard.entries()].map(async ([shardId, drafts]) => {
			await store.append(record.project, record.name, shardId, drafts);
			runner.recordsAppended(record.project, record.name, shardId);
		}));
		return {FailedRecordCount: failed.length, FailedRecords: failed};
	}

	function shardOfHash(record: TopicRecord, hash: bigint): string {
		for (let shard = 0; shard < record.shardCount; shard++) {
			const [begin, end] = shardRange(shard, record.shardCount);
			if (hash >= begin && (hash < end || shard === record.shardCount - 1)) return String(shard);
		}

		return '0';
	}

	/** 32 hex digits: topic epoch (8), shard (8), sequence (16); a recreated topic invalidates old cursors. */
	function encodeCursor(record: TopicRecord, shard: number, sequence: number): string {
		const epoch = (record.createdAtMs % 0xFF_FF_FF_FF).toString(16).padStart(8, '0');
		return `${epoch}${shard.toString(16).padStart(8, '0')}${sequence.toString(16).padStart(16, '0')}`;
	}

	function decodeCursor(record: TopicRecord, shard: number, cursor: unknown): number {
		if (typeof cursor !== 'string' || !/^[\da-f]{32}$/i.test(cursor)) throw invalidCursor();
		const expected = encodeCursor(record, shard, 0).slice(0, 16);
		if (cursor.slice(0, 16).toLowerCase() !== expected) throw invalidCursor();
		return Number.parseInt(cursor.slice(16), 16);
	}

	function getCursor(record: TopicRecord, shard: number, body: Record<string, unknown>) {
		const log = store.log(record.project, record.name, String(shard));
		const type = String(body.Type ?? '').toUpperCase();
		const answer = (sequence: number) => ({Cursor: encodeCursor(record, shard, sequence), RecordTime: log.systemTime(sequence) ?? 0, Sequence: sequence});
		switch (type) {
			case 'OLDEST':
				return answer(0);
			case 'LATEST':
				return answer(Math.max(0, log.length - 1));
			case 'SEQUENCE': {
				const sequence = Number(body.Sequence);
				if (!Number.isInteger(sequence)) throw invalidParameter('Sequence is required for a SEQUENCE cursor.');
				if (sequence < 0 || sequence >= log.length) throw seekOutOfRange(`Sequence ${sequence} is out of range [0, ${log.length - 1}].`);
				return answer(sequence);
			}

			case 'SYSTEM_TIME': {
				const time = Number(body.SystemTime);
				if (!Number.isFinite(time)) throw invalidParameter(`Invalid time value: ${String(body.SystemTime)}`);
				const index = log.firstAtOrAfter(time);
				if (index < 0 && log.length > 0 && time > log.systemTime(log.length - 1)!) throw seekOutOfRange(`SystemTime ${time} is later than the latest record.`);
				return answer(Math.max(index, 0));
			}

			default:
				throw invalidParameter(`Cursor type ${String(body.Type)} is not one of OLDEST, LATEST, SEQUENCE, SYSTEM_TIME.`);
		}
	}

	async function getRecords(record: TopicRecord, shard: number, body: Record<string, unknown>) {
		const log = store.log(record.project, record.name, String(shard));
		const start = decodeCursor(record, shard, body.Cursor);
		if (start > log.length) throw invalidCursor();
		const limit = Number(body.Limit ?? maxGetRecords);
		if (!Number.isInteger(limit) || limit < 1) throw invalidParameter('Limit must be a positive integer.');
		const slice = await log.read(start, start + Math.min(limit, maxGetRecords));
		return {
			NextCursor: encodeCursor(record, shard, start + slice.length),
			RecordCount: slice.length,
			StartSeq: start,
			LatestSeq: log.length - 1,
			LatestTime: log.systemTime(log.length - 1) ?? 0,
			Records: slice.map(stored => ({
				SystemTime: stored.systemTime,
				Sequence: stored.sequence,
				Cursor: encodeCursor(record, shard, stored.sequence),
				NextCursor: encodeCursor(record, shard, stored.sequence + 1),
				Data: stored.data,
				...(stored.attributes ? {Attributes: stored.attributes} : {}),
			})),
		};
	}

	function connectorsOf(record: TopicRecord): ConnectorRecord[] {
		return Object.values(catalog.connectors).filter(connector => topicKey(connector.project, connector.topic) === topicKey(record.project, record.name));
	}

	/** By id, or by type: before service 2.14 a connector's id was its type (aliyun-datahub-sdk-python tutorial-connector.rst). */
	function connector(record: TopicRecord, id: string): ConnectorRecord {
		const found = connectorsOf(record).find(candidate => candidate.id === id) ?? connectorsOf(record).find(candidate => candidate.type === id.toLowerCase());
		if (!found) throw noSuchConnector(id);
		return found;
	}

	async function createConnector(record: TopicRecord, type: string, body: Record<string, unknown>) {
		if (type.toLowerCase() !== 'sink_odps') throw invalidParameter(`Connector type ${type} is not supported by the local DataHub (sink_odps only).`);
		if (connectorsOf(record).some(candidate => candidate.type === 'sink_odps')) throw connectorExists();
		const request = parseCreateRequest(body, record);
		const layout = await validateAgainstMaxCompute((options.maxComputeClientFactory ?? defaultClientFactory)(request.config), parseRecordSchema(record.recordSchema), request);
		const time = seconds();
		const shards: Record<string, ShardContext> = {};
		for (let shard = 0; shard < record.shardCount; shard++) {
			shards[String(shard)] = {shardId: String(shard), state: 'CONTEXT_PLANNED', currentSequence: -1, currentTimestamp: -1, doneTime: 0, lastErrorMessage: '', discardCount: 0, updateTime: time};
		}

		const id = `dc${randomBytes(8).toString('hex')}`;
		catalog.connectors[id] = {
			id,
			project: record.project,
			topic: record.name,
			type: 'sink_odps',
			state: 'CONNECTOR_RUNNING',
			creator: credentials.accessKeyId,
			owner: credentials.accessKeyId,
			createTime: time,
			lastModifyTime: time,
			...request,
			subscriptionId: `${now()}${randomBytes(3).toString('hex').toUpperCase()}`,
			partitionFields: layout.partitionColumns.map(column => `${column.name}:${column.type.toUpperCase()}`),
			tableCreateTime: time,
			shards,
		};
		await store.saveCatalog();
		return {ConnectorId: id};
	}

	function shardStatus(context: ShardContext) {
		return {
			ShardId: context.shardId,
			State: context.state,
			CurrentSequence: context.currentSequence,
			CurrentTimestamp: context.currentTimestamp,
			DoneTime: context.doneTime,
			LastErrorMessage: context.lastErrorMessage,
			DiscardCount: context.discardCount,
			UpdateTime: context.updateTime,
			WorkerAddress: '127.0.0.1',
		};
	}

	/** Shaped like the Go fixture TestGetOdpsConnector: Config values as strings, no AccessId/AccessKey. */
	function describeConnector(record: ConnectorRecord) {
		const {config} = record;
		return {
			ConnectorId: record.id,
			Type: record.type,
			State: record.state,
			Creator: record.creator,
			Owner: record.owner,
			CreateTime: record.createTime,
			LastModifyTime: record.lastModifyTime,
			ColumnFields: record.columnFields,
			ColumnNameMap: record.columnNameMap,
			ExtraInfo: {SubscriptionId: record.subscriptionId},
			Config: {
				OdpsEndpoint: config.OdpsEndpoint,
				TunnelEndpoint: config.TunnelEndpoint,
				Project: config.Project,
				Table: config.Table,
				PartitionMode: config.PartitionMode,
				PartitionConfig: JSON.stringify(config.PartitionConfig.map(([key, value]) => ({key, value}))),
				PartitionField: JSON.stringify(record.partitionFields),
				TableCreateTime: String(record.tableCreateTime),
				TimeRange: String(config.TimeRange),
				TimeZone: config.TimeZone,
				TimestampUnit: config.TimestampUnit,
			},
			ShardContexts: Object.values(record.shards).map(context => ({...shardStatus(context), StartSequence: 0, EndSequence: -1})),
		};
	}

	async function connectorAction(record: ConnectorRecord, body: Record<string, unknown>) {
		const action = String(body.Action ?? '').toLowerCase();
		const shardId = body.ShardId === undefined ? undefined : String(body.ShardId);
		const contexts = shardId === undefined ? Object.values(record.shards) : [record.shards[shardId] ?? (() => {
			throw noSuchShard(shardId);
		})()];
		const touch = async () => {
			record.lastModifyTime = seconds();
			await store.saveCatalog();
		};

		switch (action) {
			case 'status':
				return shardId === undefined ? {ShardStatusInfos: Object.fromEntries(contexts.map(context => [context.shardId, shardStatus(context)]))} : shardStatus(contexts[0]!);
			case 'reload':
				for (const context of contexts) Object.assign(context, {state: record.state === 'CONNECTOR_RUNNING' ? 'CONTEXT_EXECUTING' : 'CONTEXT_STOPPED', lastErrorMessage: ''});
				await touch();
				return undefined;
			case 'updatestate': {
				const state = String(body.State ?? '');
				if (state !== 'CONNECTOR_RUNNING' && state !== 'CONNECTOR_STOPPED') throw invalidParameter('State must be CONNECTOR_RUNNING or CONNECTOR_STOPPED.');
				record.state = state;
				for (const context of Object.values(record.shards)) context.state = state === 'CONNECTOR_RUNNING' ? 'CONTEXT_EXECUTING' : 'CONTEXT_STOPPED';
				await touch();
				return undefined;
			}

			case 'updateshardcontext': {
				if (shardId === undefined) throw invalidParameter('ShardId is required.');
				if (record.state !== 'CONNECTOR_STOPPED') throw operationDenied('Stop the connector before updating a shard offset.');
				const sequence = Number(body.CurrentSequence);
				const time = Number(body.CurrentTime ?? -1);
				if (!Number.isInteger(sequence) || sequence < -1) throw invalidParameter('CurrentSequence must be an integer.');
				Object.assign(contexts[0]!, {currentSequence: sequence, currentTimestamp: time, pending: undefined});
				runner.forget(record.id);
				await touch();
				return undefined;
			}

			default:
				throw invalidParameter(`Unsupported connector action ${String(body.Action)} in the local DataHub.`);
		}
	}

	async function route(request: StandInRequest): Promise<{status: number; body?: unknown}> {
		const {url, method} = request;
		const segments = url.pathname.split('/').filter(Boolean).map(segment => decodeURIComponent(segment));
		const [root, projectName, topicsWord, topicName, kind, item] = segments;
		if (root !== 'projects' || segments.length > 6) throw invalidUri(`Unknown resource ${url.pathname}.`);
		const unsupported = () => invalidUri(`${method} ${url.pathname} is not a DataHub operation.`);

		if (projectName === undefined) {
			if (method !== 'GET') throw unsupported();
			return {status: 200, body: {ProjectNames: Object.values(catalog.projects).map(record => record.name)}};
		}

		if (topicsWord === undefined) {
			switch (method) {
				case 'POST': {
					const body = readJson(request);
					if (!validName(projectName, 3, 32)) throw invalidParameter('Project name must start with a letter, contain only letters, digits and "_" and be 3 to 32 characters long.');
					if (catalog.projects[projectName.toLowerCase()]) throw projectExists();
					const time = seconds();
					catalog.projects[projectName.toLowerCase()] = {name: projectName, comment: typeof body.Comment === 'string' ? body.Comment : '', createTime: time, lastModifyTime: time};
					await store.saveCatalog();
					return {status: 201};
				}

				case 'GET': {
					const record = project(projectName);
					return {status: 200, body: {ProjectName: record.name, Comment: record.comment, CreateTime: record.createTime, LastModifyTime: record.lastModifyTime}};
				}

				case 'PUT': {
					const body = readJson(request);
					const record = project(projectName);
					Object.assign(record, {comment: typeof body.Comment === 'string' ? body.Comment : record.comment, lastModifyTime: seconds()});
					await store.saveCatalog();
					return {status: 200};
				}

				case 'DELETE': {
					const record = project(projectName);
					if (Object.values(catalog.topics).some(candidate => candidate.project.toLowerCase() === record.name.toLowerCase())) throw operationDenied(`Project ${record.name} still has topics; delete them first.`);
					delete catalog.projects[record.name.toLowerCase()];
					await store.saveCatalog();
					return {status: 200};
				}

				default:
					throw unsupported();
			}
		}

		if (topicsWord !== 'topics') throw unsupported();
		if (topicName === undefined) {
			if (method !== 'GET') throw unsupported();
			const record = project(projectName);
			return {status: 200, body: {TopicNames: Object.values(catalog.topics).filter(candidate => candidate.project.toLowerCase() === record.name.toLowerCase()).map(candidate => candidate.name)}};
		}

		if (kind === undefined) {
			switch (method) {
				case 'POST':
					await createTopic(projectName, topicName, readJson(request));
					return {status: 201};
				case 'GET': {
					const record = topic(projectName, topicName);
					return {
						status: 200,
						body: {
							ShardCount: record.shardCount,
							Lifecycle: record.lifecycle,
							RecordType: record.recordType,
							...(record.recordSchema ? {RecordSchema: record.recordSchema} : {}),
							Comment: record.comment,
							CreateTime: record.createTime,
							LastModifyTime: record.lastModifyTime,
							ExpandMode: record.expandMode,
							Status: 'on',
						},
					};
				}

				case 'PUT': {
					const body = readJson(request);
					const record = topic(projectName, topicName);
					if (body.Lifecycle !== undefined) {
						const lifecycle = Number(body.Lifecycle);
						if (!Number.isInteger(lifecycle) || lifecycle < 1 || lifecycle > 7) throw invalidParameter('Lifecycle must be an integer from 1 to 7 days.');
						record.lifecycle = lifecycle;
					}

					if (typeof body.Comment === 'string') record.comment = body.Comment;
					record.lastModifyTime = seconds();
					await store.saveCatalog();
					return {status: 200};
				}

				case 'DELETE': {
					const record = topic(projectName, topicName);
					for (const candidate of connectorsOf(record)) {
						runner.forget(candidate.id);
						delete catalog.connectors[candidate.id];
					}

					delete catalog.topics[topicKey(projectName, topicName)];
					await store.saveCatalog();
					await store.dropTopicData(record.project, record.name);
					return {status: 200};
				}

				default:
					throw unsupported();
			}
		}

		const record = topic(projectName, topicName);
		if (kind === 'shards') {
			if (item === undefined) {
				if (method === 'GET') {
					const state = shardState(record);
					return {
						status: 200,
						body: {
							Shards: Array.from({length: record.shardCount}, (_, shard) => {
								const [begin, end] = shardRange(shard, record.shardCount);
								return {ShardId: String(shard), State: state, ClosedTime: 0, BeginHashKey: hashKeyText(begin), EndHashKey: hashKeyText(end), ParentShardIds: [], LeftShardId: String(Math.max(shard - 1, 0)), RightShardId: String(Math.min(shard + 1, record.shardCount - 1))};
							}),
							Protocol: 'http1.1',
							Interval: 500,
						},
					};
				}

				if (method !== 'POST') throw unsupported();
				const body = readJson(request);
				const action = String(body.Action ?? '').toLowerCase();
				if (action !== 'pub') throw invalidParameter(`Unsupported shard action ${String(body.Action)} in the local DataHub.`);
				return {status: 200, body: await putRecords(record, body, undefined)};
			}

			if (method !== 'POST') throw unsupported();
			const shard = requireShard(record, item);
			const body = readJson(request);
			switch (String(body.Action ?? '').toLowerCase()) {
				case 'cursor':
					return {status: 200, body: getCursor(record, shard, body)};
				case 'sub':
					return {status: 200, body: await getRecords(record, shard, body)};
				case 'pub':
					return {status: 200, body: await putRecords(record, body, String(shard))};
				default:
					throw invalidParameter(`Unsupported shard action ${String(body.Action)} in the local DataHub.`);
			}
		}

		if (kind !== 'connectors') throw unsupported();
		if (item === undefined) {
			if (method !== 'GET') throw unsupported();
			return {status: 200, body: {Connectors: connectorsOf(record).map(candidate => candidate.id)}};
		}

		switch (method) {
			case 'POST': {
				const body = readJson(request);
				if (String(body.Action ?? '').toLowerCase() === 'create') return {status: 200, body: await createConnector(record, item, body)};
				const answer = await connectorAction(connector(record, item), body);
				return {status: 200, body: answer};
			}

			case 'GET': {
				const found = connector(record, item);
				if (url.searchParams.has('donetime')) {
					const done = Math.min(...Object.values(found.shards).map(context => context.doneTime));
					return {status: 200, body: {DoneTime: done, TimeWindow: found.config.TimeRange * 60, TimeZone: found.config.TimeZone}};
				}

				return {status: 200, body: describeConnector(found)};
			}

			case 'DELETE': {
				const found = connector(record, item);
				runner.forget(found.id);
				delete catalog.connectors[found.id];
				await store.saveCatalog();
				return {status: 200};
			}

			default:
				throw unsupported();
		}
	}

	const {port, stop} = await serveStandIn({
		port: options.port,
		faults,
		requestId,
		// The Limits page: "HTTP body size: the maximum size of an HTTP request body, 4 MB".
		body: {limit: 4 * 1024 * 1024, tooLarge: () => invalidParameter('The request body is larger than 4 MB.')},
		authenticate,
		route,
		errorBody: dataHubErrorBody,
		internalError: error => new StandInError(500, 'InternalServerError', `Internal server error: ${crashMessage(error)}`),
		headers: request => ({'Content-Type': 'application/json', 'x-datahub-request-id': request.id, Date: new Date().toUTCString()}),
	});
	let closing: Promise<void> | undefined;

	return {
		name: 'datahub',
		url: `http://127.0.0.1:${port}`,
		port,
		close() {
			closing ??= (async () => {
				await stop();
				await runner.close();
				await store.flush();
			})();
			return closing;
		},
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
