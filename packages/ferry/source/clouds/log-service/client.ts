/**
 * ferry's Simple Log Service (SLS / LogHub) client: the HTTP API 0.6.0 with the LOG signature. The project is a host
 * prefix (`{project}.{endpoint host}`); ListProject and CreateProject go to the bare endpoint, as aliyun-log-nodejs-sdk
 * `lib/client.js` sends them. PutLogs sends protobuf LogGroups (deflated by default), split to the writer's limits;
 * GetLogs and GetHistograms are asked again while the service says the result is Incomplete. Every call has a
 * timeout, the caller's AbortSignal, jittered retries for throttling and 5xx (never for auth errors) and one
 * redacted log line.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {ConfigurationError, InterruptedError, ServiceError, StepError, UsageError} from '../../engine/errors.js';
import {silentLogger, type Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {createHttpPipeline, type HttpCall, type HttpResponse} from '../http-pipeline.js';
import {compressBody, type CompressType} from './compression.js';
import {alreadyExistCodes, logServiceError, parseErrorBody, serviceName} from './errors.js';
import {encodeLog, groupTrailer, logField, type LogPair} from './protobuf.js';
import {signLogRequest} from './signature.js';

export type LogServiceClientOptions = {
	/** `https://ap-southeast-1.log.aliyuncs.com`, or the local cloud's `http://ap-southeast-1.log.localhost:PORT`. */
	endpoint: string;
	credentials: AlibabaCredentialsProvider;
	logger?: Logger;
	/** Per HTTP request. @default 30000 */
	timeoutMs?: number;
	/** Attempts per call for throttling, 5xx and network failures. @default {attempts: 5, baseDelayMs: 200, maxDelayMs: 5000} */
	retry?: {attempts?: number; baseDelayMs?: number; maxDelayMs?: number};
	/** How often GetLogs/GetHistograms are asked again while Incomplete. @default {attempts: 10, initialDelayMs: 300, maxDelayMs: 5000} */
	incomplete?: {attempts?: number; initialDelayMs?: number; maxDelayMs?: number};
};

export type CallOptions = {signal?: AbortSignal};

export type IndexKey = {
	type: 'text' | 'long' | 'double' | 'json';
	caseSensitive?: boolean;
	/** Delimiters for text and json keys. @default defaultIndexTokens */
	token?: readonly string[];
	/** "Enable analytics" for the key (SQL after `|` needs it). @default true */
	doc_value?: boolean;
	alias?: string;
	/** Chinese word segmentation. */
	chn?: boolean;
};
export type IndexLine = {caseSensitive?: boolean; token?: readonly string[]; chn?: boolean};
export type IndexConfig = {keys: Record<string, IndexKey>; line?: IndexLine};

export type PutLogsInput = {
	topic?: string;
	source?: string;
	logs: ReadonlyArray<{time: number; contents: Readonly<Record<string, string>> | readonly LogPair[]; timeNs?: number}>;
	tags?: Readonly<Record<string, string>> | readonly LogPair[];
};
export type PutLogsOptions = CallOptions & {
	/** @default 'deflate' */
	compress?: CompressType;
};
export type PutLogsResult = {requests: number; logs: number; rawBytes: number};

export type LogQuery = CallOptions & {
	/** Unix seconds, inclusive. */
	from: number;
	/** Unix seconds, exclusive. */
	to: number;
	query: string;
	topic?: string;
	/** At most 100 per call. @default 100 */
	line?: number;
	offset?: number;
	reverse?: boolean;
};
export type LogQueryResult = {logs: Array<Record<string, string>>; count: number; complete: boolean};
export type HistogramQuery = CallOptions & {from: number; to: number; query: string; topic?: string};
export type Histogram = {from: number; to: number; count: number; progress: string};
export type HistogramResult = {count: number; complete: boolean; histograms: Histogram[]};

export type LogServiceClient = {
	/** `https://host[:port]` of the region endpoint. */
	readonly endpoint: string;
	/** The first 500 project names; the cheapest signed call, so it is also the credentials probe. */
	listProjects(options?: CallOptions): Promise<string[]>;
	getProject(project: string, options?: CallOptions): Promise<{name: string; description: string; status: string; region: string}>;
	createProject(project: string, description: string, options?: CallOptions): Promise<{created: boolean}>;
	getLogstore(project: string, logstore: string, options?: CallOptions): Promise<{name: string; ttlDays: number; shardCount: number}>;
	createLogstore(project: string, logstore: string, settings: {ttlDays: number; shardCount: number} & CallOptions): Promise<{created: boolean}>;
	getIndex(project: string, logstore: string, options?: CallOptions): Promise<IndexConfig>;
	createIndex(project: string, logstore: string, index: IndexConfig & CallOptions): Promise<{created: boolean}>;
	putLogs(project: string, logstore: string, input: PutLogsInput, options?: PutLogsOptions): Promise<PutLogsResult>;
	getLogs(project: string, logstore: string, query: LogQuery): Promise<LogQueryResult>;
	getHistograms(project: string, logstore: string, query: HistogramQuery): Promise<HistogramResult>;
	/** `{query} | select count(*) as cnt` over the window. */
	queryCount(project: string, logstore: string, query: Omit<LogQuery, 'query' | 'line' | 'offset' | 'reverse'> & {query?: string}): Promise<{count: number; complete: boolean}>;
};

/** The delimiters the SLS console proposes for a new index (the wizard's line index uses the same). */
export const defaultIndexTokens: readonly string[] = [',', ' ', '\'', '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'];

/**
 * The writer's limits per LogGroup: 4096 logs (DataX loghubwriter caps batchSize at 4096) and 3 MB raw
 * (`x-log-bodyrawsize` accepts 0–3145728, doc "Common request headers", doc-detail/29010).
 */
export const putLogsLimits = {logs: 4096, rawBytes: 3 * 1024 * 1024} as const;

const logOperationService = 'log-service';
const userAgent = 'ferry/0.1 (Log Service)';
const projectNamePattern = /^[a-z\d][a-z\d-]{1,61}[a-z\d]$/;

type Call = {
	operation: string;
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	project?: string;
	logstore?: string;
	path: string;
	query?: Record<string, string>;
	body?: Buffer;
	rawSize?: number;
	contentType?: string;
	compressType?: string;
	signal?: AbortSignal | undefined;
};
type Answer = HttpResponse;

function header(headers: Headers, name: string): string | undefined {
	return headers.get(name) ?? undefined;
}

function isIpAddress(hostname: string): boolean {
	return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[') || hostname.includes(':');
}

function pairsOf(value: Readonly<Record<string, string>> | readonly LogPair[] | undefined): LogPair[] {
	if (value === undefined) {
		return [];
	}

	return Array.isArray(value) ? [...value as readonly LogPair[]] : Object.entries(value as Record<string, string>);
}

/**
 * Encodes the logs once and packs them into LogGroups of at most `limits.logs` logs and `limits.rawBytes` bytes,
 * each carrying the topic, source and tags. A single log too large for any group stops before anything is sent.
 */
export function splitLogGroups(input: PutLogsInput, limits: {logs: number; rawBytes: number} = putLogsLimits): Array<{raw: Buffer; logs: number}> {
	const trailer = groupTrailer({
		...(input.topic === undefined ? {} : {topic: input.topic}),
		...(input.source === undefined ? {} : {source: input.source}),
		tags: pairsOf(input.tags),
	});
	const groups: Array<{raw: Buffer; logs: number}> = [];
	let fields: Buffer[] = [];
	let size = trailer.length;
	const flush = () => {
		if (fields.length > 0) {
			groups.push({raw: Buffer.concat([...fields, trailer]), logs: fields.length});
			fields = [];
			size = trailer.length;
		}
	};

	input.logs.forEach((log, index) => {
		const field = logField(encodeLog({time: log.time, contents: pairsOf(log.contents), ...(log.timeNs === undefined ? {} : {timeNs: log.timeNs})}));
		if (trailer.length + field.length > limits.rawBytes) {
			throw new StepError(`Log ${index + 1} is ${field.length} bytes encoded, more than the ${limits.rawBytes} bytes Log Service accepts in one PutLogs`, {hint: 'Shorten or split the largest values; each log must fit in one request.'});
		}

		if (fields.length >= limits.logs || size + field.length > limits.rawBytes) {
			flush();
		}

		fields.push(field);
		size += field.length;
	});
	flush();
	return groups;
}

export function createLogServiceClient(options: LogServiceClientOptions): LogServiceClient {
	const base = new URL(options.endpoint.includes('://') ? options.endpoint : `https://${options.endpoint}`);
	if (base.protocol !== 'http:' && base.protocol !== 'https:') {
		throw new ConfigurationError(`The Log Service endpoint ${options.endpoint} is not an http(s) URL`, {hint: 'Use the region\'s endpoint, e.g. https://ap-southeast-1.log.aliyuncs.com.'});
	}

	if (isIpAddress(base.hostname)) {
		throw new ConfigurationError(`The Log Service endpoint ${options.endpoint} is an IP address, but Log Service names the project in the host name`, {hint: 'Use the region\'s host name, e.g. https://ap-southeast-1.log.aliyuncs.com (locally http://ap-southeast-1.log.localhost:PORT).'});
	}

	const logger = options.logger ?? silentLogger;
	const timeoutMs = options.timeoutMs ?? 30_000;
	const incomplete = {attempts: 10, initialDelayMs: 300, maxDelayMs: 5000, ...options.incomplete};
	function hostnameFor(project: string | undefined): string {
		if (project === undefined) {
			return base.hostname;
		}

		if (!projectNamePattern.test(project)) {
			throw new UsageError(`"${project}" is not a Log Service project name`, {hint: 'Project names have 3 to 63 lowercase letters, digits and hyphens, and start and end with a letter or digit.'});
		}

		return `${project}.${base.hostname}`;
	}

	const pipeline = createHttpPipeline<HttpCall & {source: Call}>({
		service: logOperationService,
		logger,
		timeoutMs,
		retry: {attempts: options.retry?.attempts ?? 5, baseDelayMs: options.retry?.baseDelayMs ?? 200, maxDelayMs: options.retry?.maxDelayMs ?? 5000},
		async sign(request, {source: call}) {
			const keys = await options.credentials.getCredentials();
			registerSecret(keys.accessKeySecret);
			registerSecret(keys.securityToken);
			const headers = signLogRequest({
				method: call.method,
				path: call.path,
				...(call.query ? {query: call.query} : {}),
				...(call.body ? {body: call.body} : {}),
				...(call.rawSize === undefined ? {} : {rawSize: call.rawSize}),
				...(call.contentType ? {contentType: call.contentType} : {}),
				...(call.compressType ? {headers: {'x-log-compresstype': call.compressType}} : {}),
			}, keys);
			headers['Content-Length'] = String(call.body?.length ?? 0);
			headers['User-Agent'] = userAgent;
			return {...request, headers: {...request.headers, ...headers}};
		},
		requestId: response => header(response.headers, 'x-log-requestid'),
		classify(response, {source: call}) {
			if (response.status >= 200 && response.status < 300) {
				return undefined;
			}

			return logServiceError(response.status, parseErrorBody(response.status, response.text), header(response.headers, 'x-log-requestid'), {
				operation: call.operation,
				endpoint: base.origin,
				...(call.project ? {project: call.project} : {}),
				...(call.logstore ? {logstore: call.logstore} : {}),
			});
		},
		unanswered(failure, {source: call, url}) {
			if (failure.code === 'ECONNREFUSED' || failure.code === 'ENOTFOUND') {
				return new ConfigurationError(`${serviceName} ${call.operation}: cannot reach ${url.origin}${url.pathname} (${failure.code})`, {hint: 'Check the Log Service endpoint of the profile; for the local cloud run `ferry local-cloud status`.', cause: failure.cause});
			}

			const reason = failure.timedOutMs === undefined ? `the connection failed (${failure.code === 'NetworkError' ? (failure.cause as Error).message : failure.code})` : `no answer within ${failure.timedOutMs} ms`;
			return new ServiceError(serviceName, `${call.operation}: ${reason}`, {retryable: true, cause: failure.cause});
		},
	});

	async function call(request: Call): Promise<Answer> {
		const search = Object.entries(request.query ?? {}).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
		const url = new URL(`${base.protocol}//${hostnameFor(request.project)}${base.port ? `:${base.port}` : ''}${request.path}${search ? `?${search}` : ''}`);
		return pipeline.send({
			operation: request.operation, method: request.method, url, source: request,
			...(request.body ? {body: request.body} : {}), ...(request.signal ? {signal: request.signal} : {}),
		});
	}

	function parseJson<T>(answer: Answer, operation: string, fallback: T): T {
		if (answer.text.trim() === '') {
			return fallback;
		}

		try {
			return JSON.parse(answer.text) as T;
		} catch (error) {
			throw new ServiceError(serviceName, `${operation}: the answer is not JSON (${answer.text.slice(0, 80)})`, {cause: error, status: answer.status});
		}
	}

	/** Creates, or reports that it existed already (the `…AlreadyExist` answer). */
	async function create(request: Call, alreadyExists: string): Promise<{created: boolean}> {
		try {
			await call(request);
			return {created: true};
		} catch (error) {
			if (error instanceof ServiceError && error.code === alreadyExists) {
				return {created: false};
			}

			throw error;
		}
	}

	async function untilComplete<T extends {complete: boolean}>(signal: AbortSignal | undefined, ask: () => Promise<T>): Promise<T> {
		for (let round = 1; ; round++) {
			const result = await ask();
			if (result.complete || round >= incomplete.attempts) {
				return result;
			}

			const cap = Math.min(incomplete.maxDelayMs, incomplete.initialDelayMs * 2 ** (round - 1));
			try {
				await sleep(Math.round(cap * (0.5 + Math.random() / 2)), undefined, signal ? {signal} : undefined);
			} catch (error) {
				throw new InterruptedError('Interrupted', {cause: error});
			}
		}
	}

	const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
	const jsonCall = (body: unknown) => ({body: json(body), contentType: 'application/json'});
	const logstorePath = (logstore: string) => `/logstores/${encodeURIComponent(logstore)}`;
	const signalOf = (options_: CallOptions | undefined) => (options_?.signal ? {signal: options_.signal} : {});

	function textValue(value: unknown): string {
		if (value === null || value === undefined) {
			return '';
		}

		return typeof value === 'object' ? JSON.stringify(value) : String(value);
	}

	async function getLogs(project: string, logstore: string, query: LogQuery): Promise<LogQueryResult> {
		const parameters: Record<string, string> = {
			type: 'log',
			from: String(query.from),
			to: String(query.to),
			query: query.query,
			line: String(query.line ?? 100),
			offset: String(query.offset ?? 0),
			reverse: query.reverse ? 'true' : 'false',
			...(query.topic === undefined || query.topic === '' ? {} : {topic: query.topic}),
		};
		return untilComplete(query.signal, async () => {
			const answer = await call({operation: 'GetLogs', method: 'GET', project, logstore, path: logstorePath(logstore), query: parameters, signal: query.signal});
			const rows = parseJson<unknown>(answer, 'GetLogs', []);
			if (!Array.isArray(rows)) {
				throw new ServiceError(serviceName, 'GetLogs: the answer is not a JSON array of logs', {status: answer.status});
			}

			const logs = rows.map(row => Object.fromEntries(Object.entries(row as Record<string, unknown>).map(([key, value]) => [key, textValue(value)])));
			const count = Number(header(answer.headers, 'x-log-count') ?? logs.length);
			return {logs, count: Number.isFinite(count) ? count : logs.length, complete: header(answer.headers, 'x-log-progress') !== 'Incomplete'};
		});
	}

	return {
		endpoint: base.origin,
		async listProjects(options_) {
			const answer = await call({operation: 'ListProject', method: 'GET', path: '/', query: {offset: '0', size: '500'}, ...signalOf(options_)});
			const body = parseJson<{projects?: Array<{projectName?: unknown}>}>(answer, 'ListProject', {});
			return (body.projects ?? []).map(project => String(project.projectName));
		},
		async getProject(project, options_) {
			const answer = await call({operation: 'GetProject', method: 'GET', project, path: '/', ...signalOf(options_)});
			const body = parseJson<{projectName?: unknown; description?: unknown; status?: unknown; region?: unknown}>(answer, 'GetProject', {});
			return {name: textValue(body.projectName ?? project), description: textValue(body.description), status: textValue(body.status), region: textValue(body.region)};
		},
		async createProject(project, description, options_) {
			hostnameFor(project);
			return create({operation: 'CreateProject', method: 'POST', path: '/', ...jsonCall({projectName: project, description}), ...signalOf(options_)}, alreadyExistCodes.project);
		},
		async getLogstore(project, logstore, options_) {
			const answer = await call({operation: 'GetLogStore', method: 'GET', project, logstore, path: logstorePath(logstore), ...signalOf(options_)});
			const body = parseJson<{logstoreName?: unknown; ttl?: unknown; shardCount?: unknown}>(answer, 'GetLogStore', {});
			return {name: textValue(body.logstoreName ?? logstore), ttlDays: Number(body.ttl), shardCount: Number(body.shardCount)};
		},
		async createLogstore(project, logstore, settings) {
			return create({operation: 'CreateLogStore', method: 'POST', project, logstore, path: '/logstores', ...jsonCall({logstoreName: logstore, ttl: settings.ttlDays, shardCount: settings.shardCount}), ...signalOf(settings)}, alreadyExistCodes.logstore);
		},
		async getIndex(project, logstore, options_) {
			const answer = await call({operation: 'GetIndex', method: 'GET', project, logstore, path: `${logstorePath(logstore)}/index`, ...signalOf(options_)});
			const body = parseJson<{keys?: Record<string, IndexKey>; line?: IndexLine}>(answer, 'GetIndex', {});
			return {keys: body.keys ?? {}, ...(body.line ? {line: body.line} : {})};
		},
		async createIndex(project, logstore, index) {
			return create({operation: 'CreateIndex', method: 'POST', project, logstore, path: `${logstorePath(logstore)}/index`, ...jsonCall(indexBody(index)), ...signalOf(index)}, alreadyExistCodes.index);
		},
		async putLogs(project, logstore, input, options_ = {}) {
			const groups = splitLogGroups(input);
			let rawBytes = 0;
			for (const group of groups) {
				const {body, compressType} = compressBody(group.raw, options_.compress ?? 'deflate');
				await call({
					operation: 'PutLogs', method: 'POST', project, logstore, path: `${logstorePath(logstore)}/shards/lb`,
					body, rawSize: group.raw.length, contentType: 'application/x-protobuf', ...(compressType ? {compressType} : {}), ...signalOf(options_),
				});
				rawBytes += group.raw.length;
			}

			return {requests: groups.length, logs: input.logs.length, rawBytes};
		},
		getLogs,
		async getHistograms(project, logstore, query) {
			const parameters: Record<string, string> = {
				type: 'histogram',
				from: String(query.from),
				to: String(query.to),
				query: query.query,
				...(query.topic === undefined || query.topic === '' ? {} : {topic: query.topic}),
			};
			return untilComplete(query.signal, async () => {
				const answer = await call({operation: 'GetHistograms', method: 'GET', project, logstore, path: logstorePath(logstore), query: parameters, signal: query.signal});
				const rows = parseJson<unknown>(answer, 'GetHistograms', []);
				if (!Array.isArray(rows)) {
					throw new ServiceError(serviceName, 'GetHistograms: the answer is not a JSON array of intervals', {status: answer.status});
				}

				const histograms = (rows as Array<Record<string, unknown>>).map(row => ({from: Number(row['from']), to: Number(row['to']), count: Number(row['count'] ?? 0), progress: textValue(row['progress'])}));
				return {
					count: histograms.reduce((sum, histogram) => sum + histogram.count, 0),
					complete: header(answer.headers, 'x-log-progress') !== 'Incomplete' && histograms.every(histogram => histogram.progress === 'Complete'),
					histograms,
				};
			});
		},
		async queryCount(project, logstore, query) {
			const search = query.query ?? '*';
			if (search.includes('|')) {
				throw new UsageError(`queryCount takes a search without an analytic part, got "${search}"`);
			}

			const result = await getLogs(project, logstore, {...query, query: `${search} | select count(*) as cnt`, line: 100, offset: 0});
			const value = result.logs[0]?.['cnt'];
			if (value === undefined || !/^\d+$/.test(value)) {
				throw new ServiceError(serviceName, `GetLogs: the count query answered without a numeric cnt (${JSON.stringify(result.logs[0] ?? null)})`);
			}

			return {count: Number(value), complete: result.complete};
		},
	};
}

/** The CreateIndex body in the service's own JSON shape (aliyun-log-python-sdk `index_config.py` `to_json`). */
export function indexBody(index: IndexConfig): Record<string, unknown> {
	const keys = Object.fromEntries(Object.entries(index.keys).map(([name, key]) => {
		const textual = key.type === 'text' || key.type === 'json';
		return [name, {
			type: key.type,
			...(textual ? {token: [...key.token ?? defaultIndexTokens], caseSensitive: key.caseSensitive ?? false} : {}),
			...(key.alias === undefined ? {} : {alias: key.alias}),
			doc_value: key.doc_value ?? true,
			...(key.chn === undefined ? {} : {chn: key.chn}),
		}];
	}));
	const line = index.line && {
		token: [...index.line.token ?? defaultIndexTokens],
		caseSensitive: index.line.caseSensitive ?? false,
		...(index.line.chn === undefined ? {} : {chn: index.line.chn}),
	};
	return {keys, ...(line ? {line} : {})};
}
