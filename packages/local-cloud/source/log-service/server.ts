/**
 * The local Simple Log Service (SLS / LogHub) stand-in: the Log Service REST API (API version 0.6.0) on 127.0.0.1.
 * As on the service the project is the Host prefix (`{project}.{region}.log.localhost`), project-less calls
 * (ListProject, CreateProject) go to the bare endpoint, requests carry the "LOG" HMAC-SHA1 signature, and errors are
 * `{"errorCode","errorMessage"}` with `x-log-requestid` (docs 29010, 29012, 29013; aliyun-log-nodejs-sdk
 * `lib/client.js`; aliyun-log-python-sdk `aliyun/log/logclient.py`). Data lives in DuckDB under `dataDir`.
 */
import {createHash, randomBytes} from 'node:crypto';
import zlib from 'node:zlib';
import type {StandInHandle} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {crashMessage, serveStandIn, StandInError, type StandInReply, type StandInRequest} from '../stand-in-kit.js';
import {
	accessKeyIdNotFound, indexAlreadyExist, indexConfigNotExist, invalidApiVersion, invalidBodyRawSize, invalidCompressType, invalidContentType, invalidDateFormat,
	invalidHost, invalidSignatureMethod, logServiceErrorBody, logStoreAlreadyExist, logStoreNotExist, missingApiVersion, missingBodyRawSize, missingContentType,
	missingDate, missingSignatureMethod, notSupported, parameterInvalid, postBodyInvalid, postBodyTooLarge, postBodyUncompressError, projectAlreadyExist,
	projectNotExist, requestTimeExpired, signatureNotMatch, unauthorized,
} from './errors.js';
import {decompressLz4Block, encodeLz4Literals, Lz4Error} from './lz4.js';
import {decodeLogGroup, ProtobufError} from './protobuf.js';
import {runQuery, type QueryRequest} from './query.js';
import {parseLogAuthorization, verifyLogSignature} from './signature-check.js';
import {openLogServiceStore, type LogStoreRecord, type ProjectRecord} from './store.js';

export type LogServiceStandInOptions = {
	dataDir: string;
	region: string;
	/** With `securityToken`, requests must carry it in `x-acs-security-token`. */
	credentials: {accessKeyId: string; secret: string; securityToken?: string};
	port?: number;
	/** The server's clock in milliseconds, for tests of the skew check and of TTLs. */
	now?: () => number;
};

export type LogServiceStandInHandle = Omit<StandInHandle, 'name'> & {name: 'log-service'};

const maxSkewMs = 15 * 60_000;
/** PostBodyTooLarge: "Body size … must little than 10485760" (doc 29013); PutLogs takes up to 10 MB of raw logs. */
const maxRawBody = 10 * 1024 * 1024;
const maxShards = 256;
const projectName = /^[a-z\d][a-z\d-]{1,61}[a-z\d]$/;
const logStoreName = /^[a-z\d][a-z\d_-]{1,61}[a-z\d]$/;

type Answer = StandInReply;
/** A request with the project its Host names (none: the bare endpoint) and its path's segments, decoded. */
type Request = StandInRequest & {project?: string; segments: string[]};

function requestId(): string {
	return randomBytes(12).toString('hex').toUpperCase();
}

function zstdDecompress(body: Buffer): Buffer | undefined {
	const maybe = zlib as unknown as {zstdDecompressSync?: (input: Buffer) => Buffer};
	return maybe.zstdDecompressSync?.(body);
}

export async function startLogServiceStandIn(options: LogServiceStandInOptions): Promise<LogServiceStandInHandle> {
	const {credentials, region} = options;
	const now = options.now ?? Date.now;
	const seconds = () => Math.floor(now() / 1000);
	const endpoint = `${region}.log.localhost`;
	const store = await openLogServiceStore(options.dataDir);
	const faults = createFaultPoint();

	function projectOf(hostHeader: string | undefined): string | undefined {
		const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
		if (host === endpoint || host === '127.0.0.1' || host === 'localhost') return undefined;
		if (host.endsWith(`.${endpoint}`)) return host.slice(0, -(endpoint.length + 1));
		throw invalidHost(hostHeader ?? '');
	}

	/** Checks the signature, which covers the Host, and names the project the Host names. */
	function authenticate(request: StandInRequest): {project?: string} {
		const project = projectOf(request.headers.host);
		const {headers} = request;
		const date = headers.date;
		if (!date) throw missingDate();
		const requestTime = headers['x-log-date'] ?? date;
		const time = Date.parse(requestTime);
		if (Number.isNaN(time)) throw invalidDateFormat(requestTime);
		if (Math.abs(now() - time) > maxSkewMs) throw requestTimeExpired(requestTime, new Date(now()).toUTCString());
		const version = headers['x-log-apiversion'];
		if (!version) throw missingApiVersion();
		if (version !== '0.6.0') throw invalidApiVersion(version);
		const method = headers['x-log-signaturemethod'];
		if (!method) throw missingSignatureMethod();
		if (method.toLowerCase() !== 'hmac-sha1') throw invalidSignatureMethod(method);
		const parsed = parseLogAuthorization(headers.authorization);
		if (!parsed) throw parameterInvalid('Http extend authorization : authorization pair is invalid.');
		if (parsed.accessKeyId !== credentials.accessKeyId) throw accessKeyIdNotFound(parsed.accessKeyId);
		if (!verifyLogSignature({method: request.method, target: request.target, headers}, credentials.secret, parsed.signature)) throw signatureNotMatch(parsed.signature);
		const token = headers['x-acs-security-token'];
		if (credentials.securityToken !== undefined && token !== credentials.securityToken) throw unauthorized('The security token you provided is invalid.');
		if (credentials.securityToken === undefined && token !== undefined) throw unauthorized('The security token you provided is invalid.');
		return project === undefined ? {} : {project};
	}

	/** Checks Content-MD5 and decompresses the body as `x-log-compresstype` says; checks `x-log-bodyrawsize`. */
	function rawBody(request: Request): Buffer {
		const {headers, body} = request;
		if (body.length > 0) {
			const md5 = headers['content-md5'];
			if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('hex').toUpperCase()) {
				throw parameterInvalid(`Http extend content-md5 : ${md5} does not match the request body.`);
			}
		}

		const compression = headers['x-log-compresstype']?.toLowerCase();
		const sizeHeader = headers['x-log-bodyrawsize'];
		if (sizeHeader !== undefined && !/^\d+$/.test(sizeHeader)) throw invalidBodyRawSize('x-log-bodyrawsize is invalid.');
		const rawSize = sizeHeader === undefined ? undefined : Number(sizeHeader);
		if (rawSize !== undefined && rawSize > maxRawBody) throw postBodyTooLarge(rawSize, maxRawBody);
		let raw = body;
		if (compression && compression !== 'none' && body.length > 0) {
			if (rawSize === undefined) throw missingBodyRawSize();
			try {
				switch (compression) {
					case 'lz4':
						raw = decompressLz4Block(body, rawSize);
						break;
					case 'deflate':
						raw = zlib.inflateSync(body, {maxOutputLength: maxRawBody});
						break;
					case 'zstd': {
						const inflated = zstdDecompress(body);
						if (!inflated) throw invalidCompressType(compression);
						raw = inflated;
						break;
					}

					default:
						throw invalidCompressType(compression);
				}
			} catch (error) {
				if (error instanceof StandInError) throw error;
				if (error instanceof Lz4Error || error instanceof Error) throw postBodyUncompressError(`The ${compression} request body cannot be decompressed: ${error.message}`);
				throw error;
			}
		}

		if (raw.length > maxRawBody) throw postBodyTooLarge(raw.length, maxRawBody);
		if (rawSize !== undefined && raw.length !== rawSize) throw invalidBodyRawSize(`x-log-bodyrawsize ${rawSize} does not match the ${raw.length} bytes of the decompressed body.`);
		return raw;
	}

	function json(request: Request): Record<string, unknown> {
		const raw = rawBody(request);
		try {
			const parsed = JSON.parse(raw.toString('utf8')) as unknown;
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
			return parsed as Record<string, unknown>;
		} catch {
			throw postBodyInvalid('The request body is not valid JSON object.');
		}
	}

	function project(request: Request): ProjectRecord {
		if (request.project === undefined) throw projectNotExist('');
		const record = store.project(request.project);
		if (!record) throw projectNotExist(request.project);
		return record;
	}

	function logStore(request: Request, name: string): LogStoreRecord {
		const owner = project(request);
		const record = store.logStore(owner.name, name);
		if (!record) throw logStoreNotExist(name);
		return record;
	}

	const describeProject = (record: ProjectRecord) => ({
		projectName: record.name,
		description: record.description,
		status: 'Normal',
		owner: '',
		region,
		createTime: String(record.createTime),
		lastModifyTime: String(record.lastModifyTime),
		resourceGroupId: '',
		dataRedundancyType: 'LRS',
	});

	const describeLogStore = (record: LogStoreRecord) => ({
		...record.settings,
		logstoreName: record.name,
		ttl: record.ttl,
		shardCount: record.shardCount,
		createTime: record.createTime,
		lastModifyTime: record.lastModifyTime,
	});

	function integerParameter(value: unknown, name: string, min: number, max: number): number {
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) throw parameterInvalid(`${name} must be an integer from ${min} to ${max}.`);
		return number;
	}

	async function createProject(request: Request): Promise<Answer> {
		const body = json(request);
		const name = body.projectName;
		if (typeof name !== 'string' || !projectName.test(name)) {
			throw parameterInvalid('projectName must be 3 to 63 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit.');
		}

		if (body.description !== undefined && typeof body.description !== 'string') throw parameterInvalid('description must be a string.');
		if (store.project(name)) throw projectAlreadyExist(name);
		const time = seconds();
		await store.saveProject({name, description: (body.description as string | undefined) ?? '', createTime: time, lastModifyTime: time});
		return {};
	}

	async function createLogStore(request: Request): Promise<Answer> {
		const owner = project(request);
		const body = json(request);
		const name = body.logstoreName;
		if (typeof name !== 'string' || !logStoreName.test(name)) {
			throw parameterInvalid('logstoreName must be 3 to 63 characters of lowercase letters, digits, hyphens and underscores, starting and ending with a letter or digit.');
		}

		const ttl = integerParameter(body.ttl, 'ttl', 1, 3650);
		const shardCount = integerParameter(body.shardCount, 'shardCount', 1, maxShards);
		if (store.logStore(owner.name, name)) throw logStoreAlreadyExist(name);
		const settings: Record<string, unknown> = {autoSplit: false, maxSplitShard: 0, enable_tracking: false, appendMeta: false, telemetryType: '', mode: 'standard'};
		for (const field of ['autoSplit', 'maxSplitShard', 'enable_tracking', 'appendMeta', 'telemetryType', 'mode', 'hot_ttl']) {
			if (body[field] !== undefined && body[field] !== null) settings[field] = body[field];
		}

		const time = seconds();
		await store.saveLogStore({project: owner.name, name, ttl, shardCount, settings, createTime: time, lastModifyTime: time});
		return {};
	}

	async function updateLogStore(request: Request, record: LogStoreRecord): Promise<Answer> {
		const body = json(request);
		if (body.logstoreName !== undefined && body.logstoreName !== record.name) throw parameterInvalid('logstoreName in the body does not match the path.');
		const ttl = body.ttl === undefined ? record.ttl : integerParameter(body.ttl, 'ttl', 1, 3650);
		await store.saveLogStore({...record, ttl, lastModifyTime: seconds()});
		return {};
	}

	function validateIndex(body: Record<string, unknown>): void {
		const {line, keys} = body;
		if (line === undefined && keys === undefined) throw parameterInvalid('index config must have line or keys.');
		if (line !== undefined && (typeof line !== 'object' || line === null || Array.isArray(line))) throw parameterInvalid('line must be an object.');
		if (keys !== undefined) {
			if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) throw parameterInvalid('keys must be an object.');
			for (const [name, config] of Object.entries(keys)) {
				const type = (config as {type?: unknown} | null)?.type;
				if (typeof type !== 'string' || !['text', 'long', 'double', 'json'].includes(type)) throw parameterInvalid(`key ${name} has an invalid type; use text, long, double or json.`);
			}
		}
	}

	async function putLogs(request: Request, record: LogStoreRecord, shardWord: string): Promise<Answer> {
		const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
		if (request.body.length > 0 && !type) throw missingContentType();
		if (type !== 'application/x-protobuf') throw invalidContentType(type ?? '');
		const raw = rawBody(request);
		let group;
		try {
			group = decodeLogGroup(raw);
		} catch (error) {
			if (error instanceof ProtobufError) throw postBodyInvalid(`The LogGroup cannot be decoded: ${error.message}.`);
			throw error;
		}

		if (group.logs.length === 0) throw postBodyInvalid('The LogGroup has no logs.');
		let shard = Math.floor(Math.random() * record.shardCount);
		if (shardWord === 'route') {
			const hashKey = request.url.searchParams.get('key');
			if (hashKey && !/^[\da-f]{32}$/i.test(hashKey)) throw parameterInvalid(`key ${hashKey} must be 32 hexadecimal digits.`);
			if (hashKey) shard = Number((BigInt(`0x${hashKey}`) * BigInt(record.shardCount)) >> 128n);
		}

		// Logs already past the logstore's TTL are not kept.
		const oldest = seconds() - (record.ttl * 86_400);
		const logs = group.logs.filter(log => log.time >= oldest).map(log => ({...log, topic: group.topic, source: group.source, tags: group.tags, shard}));
		await store.append(record.project, record.name, logs, seconds());
		return {};
	}

	function queryRequest(record: LogStoreRecord, parameters: Record<string, unknown>): QueryRequest {
		const index = store.index(record.project, record.name);
		if (!index) throw indexConfigNotExist('logstore without index config');
		return {record, index, parameters, now: seconds()};
	}

	async function route(request: Request): Promise<Answer> {
		const {method, segments, url} = request;
		const unsupported = () => notSupported(`${method} ${url.pathname} is not a Log Service API the local stand-in knows.`);
		if (segments.length === 0) {
			if (request.project === undefined) {
				if (method === 'GET') {
					const offset = integerParameter(url.searchParams.get('offset') || 0, 'offset', 0, Number.MAX_SAFE_INTEGER);
					const size = integerParameter(url.searchParams.get('size') || 100, 'size', 1, 500);
					const filter = url.searchParams.get('projectName') ?? '';
					const all = store.projects().filter(record => record.name.includes(filter));
					const page = all.slice(offset, offset + size).map(record => describeProject(record));
					return {body: {count: page.length, total: all.length, projects: page}};
				}

				if (method === 'POST') return createProject(request);
				throw unsupported();
			}

			const record = project(request);
			switch (method) {
				case 'GET':
					return {body: describeProject(record)};
				case 'PUT': {
					const body = json(request);
					await store.saveProject({...record, description: typeof body.description === 'string' ? body.description : record.description, lastModifyTime: seconds()});
					return {};
				}

				case 'DELETE':
					await store.deleteProject(record.name);
					return {};
				default:
					throw unsupported();
			}
		}

		if (segments[0] !== 'logstores' || segments.length > 4) throw unsupported();
		const [, name, kind, shardWord] = segments;
		if (name === undefined) {
			if (method === 'POST') return createLogStore(request);
			if (method !== 'GET') throw unsupported();
			const owner = project(request);
			const offset = integerParameter(url.searchParams.get('offset') || 0, 'offset', 0, Number.MAX_SAFE_INTEGER);
			const size = integerParameter(url.searchParams.get('size') || 200, 'size', 1, 500);
			const filter = url.searchParams.get('logstoreName') ?? '';
			const all = store.logStores(owner.name).filter(record => record.name.includes(filter)).map(record => record.name);
			const page = all.slice(offset, offset + size);
			return {body: {count: page.length, total: all.length, logstores: page}};
		}

		const record = logStore(request, name);
		if (kind === undefined) {
			switch (method) {
				case 'GET': {
					const type = url.searchParams.get('type');
					const parameters = Object.fromEntries(url.searchParams.entries());
					if (type === 'log') return runQuery(store, queryRequest(record, parameters), 'logs');
					if (type === 'histogram') return runQuery(store, queryRequest(record, parameters), 'histogram');
					if (type !== null) throw parameterInvalid(`type ${type} is not supported; use log or histogram.`);
					return {body: describeLogStore(record)};
				}

				case 'PUT':
					return updateLogStore(request, record);
				case 'DELETE':
					await store.deleteLogStore(record.project, record.name);
					return {};
				default:
					throw unsupported();
			}
		}

		if (kind === 'shards') {
			if (shardWord === undefined && method === 'GET') {
				return {body: Array.from({length: record.shardCount}, (_, shard) => ({shardID: shard, status: 'readwrite', inclusiveBeginKey: '', exclusiveEndKey: '', createTime: record.createTime}))};
			}

			if (method === 'POST' && (shardWord === 'lb' || shardWord === 'route')) return putLogs(request, record, shardWord);
			throw unsupported();
		}

		if (kind === 'logs' && shardWord === undefined && method === 'POST') {
			const answer = await runQuery(store, queryRequest(record, json(request)), 'logsV2');
			return encodeForClient(request, answer);
		}

		if (kind !== 'index' || shardWord !== undefined) throw unsupported();
		const existing = store.index(record.project, record.name);
		switch (method) {
			case 'POST': {
				const body = json(request);
				validateIndex(body);
				if (existing) throw indexAlreadyExist();
				const time = seconds();
				await store.saveIndex(record.project, record.name, {config: body, watermark: store.lastSeq(), createTime: time, lastModifyTime: time});
				return {};
			}

			case 'PUT': {
				const body = json(request);
				validateIndex(body);
				if (!existing) throw indexConfigNotExist();
				await store.saveIndex(record.project, record.name, {...existing, config: body, lastModifyTime: seconds()});
				return {};
			}

			case 'GET': {
				if (url.searchParams.get('type') === 'histogram') return runQuery(store, queryRequest(record, Object.fromEntries(url.searchParams.entries())), 'histogram');
				if (!existing) throw indexConfigNotExist();
				// The index's `ttl` is the logstore's, whatever the index body said (GetIndex doc lists `ttl` and
				// `max_text_len`, default 2048; aliyun-log-nodejs-sdk test/integration.test.js: "The effective TTL is
				// always the same as the one in the log project config, setting it here does not affect the config").
				return {body: {max_text_len: 2048, ...existing.config, ttl: record.ttl, index_mode: 'v2', lastModifyTime: existing.lastModifyTime}};
			}

			case 'DELETE':
				if (!existing) throw indexConfigNotExist();
				await store.deleteIndex(record.project, record.name);
				return {};
			default:
				throw unsupported();
		}
	}

	/** GetLogsV2 answers compressed when asked (`Accept-Encoding: lz4|deflate`), with the raw size in a header. */
	function encodeForClient(request: Request, answer: Answer): Answer {
		const accepted = (request.headers['accept-encoding'] ?? '').toLowerCase().split(',').map(part => part.trim());
		const raw = Buffer.from(JSON.stringify(answer.body), 'utf8');
		const headers = {...answer.headers, 'x-log-bodyrawsize': String(raw.length)};
		if (accepted.includes('lz4')) return {...answer, body: encodeLz4Literals(raw), headers: {...headers, 'x-log-compresstype': 'lz4'}};
		if (accepted.includes('deflate')) return {...answer, body: zlib.deflateSync(raw), headers: {...headers, 'x-log-compresstype': 'deflate'}};
		return answer;
	}

	const {port, stop} = await serveStandIn({
		port: options.port,
		faults,
		requestId,
		body: {limit: maxRawBody, tooLarge: postBodyTooLarge},
		authenticate,
		async route(request, {project}) {
			return route({...request, ...(project === undefined ? {} : {project}), segments: request.url.pathname.split('/').filter(Boolean).map(segment => decodeURIComponent(segment))});
		},
		errorBody: logServiceErrorBody,
		internalError: error => new StandInError(500, 'InternalServerError', `Internal server error: ${crashMessage(error)}`),
		headers: (request, size) => ({...(size !== 0 ? {'Content-Type': 'application/json'} : {}), 'x-log-requestid': request.id, Date: new Date(now()).toUTCString()}),
	});
	let closing: Promise<void> | undefined;

	return {
		name: 'log-service',
		url: `http://${endpoint}:${port}`,
		port,
		close() {
			closing ??= (async () => {
				await stop();
				await store.close();
			})();
			return closing;
		},
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
