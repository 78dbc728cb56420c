/**
 * ferry's Log Service (SLS) client: the HTTP API version 0.6.0 with the LOG signature, the project as a host
 * prefix (`{project}.{endpoint host}`), PutLogs as a deflated protobuf LogGroup, and GetLogs analytic queries
 * repeated while the service says the result is Incomplete. Every call has a timeout, an AbortSignal, jittered
 * retries for throttling and 5xx (never for auth errors) and one redacted log line.
 */
import {createHash} from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {setTimeout as sleep} from 'node:timers/promises';
import {deflateSync} from 'node:zlib';
import {ConfigurationError, InterruptedError, ServiceError} from '../../errors.js';
import {silentLogger, type Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {createHttpAgents} from '../http-agent.js';
import {withRetry} from '../retry.js';
import {encodeLogGroup, type LogGroup} from './log-group.js';
import {logAuthorization, logStringToSign} from './signature.js';

export type LogServiceClientOptions = {
	/** `https://ap-southeast-1.log.aliyuncs.com`, or the local cloud's `http://ap-southeast-1.log.localhost:PORT`. */
	endpoint: string;
	credentials: AlibabaCredentialsProvider;
	logger?: Logger;
	/** Per request. @default 30000 */
	timeoutMs?: number;
	/** @default 5 */
	attempts?: number;
};

type CallOptions = {signal?: AbortSignal};
export type IndexKey = {type: 'text' | 'long' | 'double' | 'json'; caseSensitive?: boolean; token?: string[]; doc_value?: boolean};
export type LogQuery = {from: number; to: number; query: string; topic?: string; line?: number; offset?: number; reverse?: boolean} & CallOptions;
export type LogQueryResult = {logs: Array<Record<string, string>>; count: number; complete: boolean};

const service = 'log-service';
const authCodes = new Set(['Unauthorized', 'InvalidAccessKeyId', 'SignatureNotMatch', 'ProjectForbidden', 'WriteQuotaExceed.Forbidden', 'RequestTimeExpired']);
const retryableCodes = new Set(['WriteQuotaExceed', 'ReadQuotaExceed', 'ServerBusy', 'InternalServerError', 'RequestTimeout']);
/** The writer's limits per LogGroup: 4096 logs (DataX loghubwriter) and about 3 MB raw (SLS common headers). */
const maxLogsPerGroup = 4096;
const maxRawBytesPerGroup = 3 * 1024 * 1024;
/** GetLogs repeats a query while its progress is Incomplete (the service was still collecting results). */
const incompleteRetries = 10;

type Call = {operation: string; method: 'GET' | 'POST' | 'PUT' | 'DELETE'; project?: string; path: string; query?: Record<string, string>; body?: Buffer; contentType?: string; rawSize?: number; compressed?: boolean; signal?: AbortSignal};
type Answer = {status: number; headers: http.IncomingHttpHeaders; text: string};

export type LogServiceClient = ReturnType<typeof createLogServiceClient>;

export function createLogServiceClient(options: LogServiceClientOptions) {
	const base = new URL(options.endpoint.includes('://') ? options.endpoint : `https://${options.endpoint}`);
	if (/^\d+\.\d+\.\d+\.\d+$|^\[/.test(base.hostname)) {
		throw new ConfigurationError(`The Log Service endpoint ${options.endpoint} is an IP address, but Log Service names the project in the host`, {hint: 'Use the region\'s host name, e.g. https://ap-southeast-1.log.aliyuncs.com.'});
	}

	const logger = options.logger ?? silentLogger;
	const timeoutMs = options.timeoutMs ?? 30_000;
	const {httpAgent, httpsAgent} = createHttpAgents({maxSockets: 16});
	const transport = base.protocol === 'http:' ? http : https;
	const agent = base.protocol === 'http:' ? httpAgent : httpsAgent;

	function hostOf(project: string | undefined): string {
		return `${project ? `${project}.` : ''}${base.host}`;
	}

	function send(call: Call, headers: Record<string, string>, signal: AbortSignal): Promise<Answer> {
		const search = new URLSearchParams(call.query ?? {}).toString();
		const host = hostOf(call.project);
		return new Promise((resolve, reject) => {
			const request = transport.request({protocol: base.protocol, hostname: host.replace(/:\d+$/, ''), port: base.port || undefined, method: call.method, path: `${call.path}${search ? `?${search}` : ''}`, headers: {...headers, Host: host}, agent, signal}, response => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('error', reject);
				response.on('end', () => resolve({status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8')}));
			});
			request.on('error', reject);
			request.end(call.body);
		});
	}

	async function attempt(call: Call, attemptNumber: number): Promise<Answer> {
		const keys = await options.credentials.getCredentials();
		registerSecret(keys.accessKeySecret);
		registerSecret(keys.securityToken);
		const headers: Record<string, string> = {
			Date: new Date().toUTCString(),
			'x-log-apiversion': '0.6.0',
			'x-log-signaturemethod': 'hmac-sha1',
			'x-log-bodyrawsize': String(call.rawSize ?? call.body?.length ?? 0),
			...(call.compressed ? {'x-log-compresstype': 'deflate'} : {}),
			...(keys.securityToken ? {'x-acs-security-token': keys.securityToken} : {}),
			...(call.body ? {'Content-Type': call.contentType ?? 'application/json', 'Content-MD5': createHash('md5').update(call.body).digest('hex').toUpperCase(), 'Content-Length': String(call.body.length)} : {}),
			'User-Agent': 'ferry/0.1 (Log Service)',
		};
		headers['Authorization'] = logAuthorization(logStringToSign({method: call.method, path: call.path, query: call.query ?? {}, headers}), keys);
		const timeout = AbortSignal.timeout(timeoutMs);
		const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
		const started = performance.now();
		const url = `${base.protocol}//${hostOf(call.project)}${call.path}`;
		const log = (status: number | string, requestId?: string, error?: string) => logger.request({service, operation: call.operation, method: call.method, url, status, durationMs: performance.now() - started, ...(requestId ? {requestId} : {}), attempt: attemptNumber, ...(error ? {error} : {})});
		let answer: Answer;
		try {
			answer = await send(call, headers, signal);
		} catch (error) {
			if (call.signal?.aborted) {
				log('aborted');
				throw new InterruptedError();
			}

			const code = (error as NodeJS.ErrnoException).code;
			log(timeout.aborted ? 'timeout' : 'network-error', undefined, code);
			if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
				throw new ConfigurationError(`${call.operation}: cannot reach Log Service at ${url} (${code})`, {hint: 'Check the endpoint in the profile; for the local cloud run `ferry local-cloud status`.', cause: error});
			}

			throw new ServiceError(service, `${call.operation}: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : `the connection failed (${code ?? (error as Error).message})`}`, {retryable: true, cause: error});
		}

		const requestId = [answer.headers['x-log-requestid']].flat()[0];
		if (answer.status >= 400) {
			let code = `HTTP${answer.status}`;
			let message = answer.text.slice(0, 200);
			try {
				const body = JSON.parse(answer.text) as {errorCode?: string; errorMessage?: string};
				code = body.errorCode ?? code;
				message = body.errorMessage ?? message;
			} catch {
				// Not JSON: keep the status and the start of the text.
			}

			log(answer.status, requestId, code);
			const auth = authCodes.has(code) || answer.status === 401;
			throw new ServiceError(service, `${call.operation}: ${code}: ${message}`, {
				code,
				status: answer.status,
				...(requestId ? {requestId} : {}),
				auth,
				retryable: !auth && (retryableCodes.has(code) || answer.status === 429 || answer.status >= 500),
				...(auth ? {hint: 'Check the AccessKey of the profile and its Log Service permissions (`ferry profiles test`).'} : code === 'ProjectNotExist' || code === 'LogStoreNotExist' ? {hint: 'Check the Log Service project and logstore names and the region of the endpoint.'} : {}),
			});
		}

		log(answer.status, requestId);
		return answer;
	}

	async function call(request: Call): Promise<Answer> {
		return withRetry(async number => attempt(request, number), {
			attempts: options.attempts ?? 5,
			...(request.signal ? {signal: request.signal} : {}),
			isRetryable: error => error instanceof ServiceError && error.retryable,
		});
	}

	/** Creates, or reports that it existed already (an `…AlreadyExist` answer). */
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

	const json = (value: unknown) => Buffer.from(JSON.stringify(value));

	return {
		endpoint: base.origin,
		async listProjects(call_: CallOptions = {}): Promise<string[]> {
			const answer = await call({operation: 'ListProject', method: 'GET', path: '/', query: {offset: '0', size: '500'}, ...call_});
			const body = JSON.parse(answer.text || '{}') as {projects?: Array<{projectName?: string}>};
			return (body.projects ?? []).map(project => String(project.projectName));
		},
		async createProject(project: string, description: string, call_: CallOptions = {}) {
			return create({operation: 'CreateProject', method: 'POST', path: '/', body: json({projectName: project, description}), ...call_}, 'ProjectAlreadyExist');
		},
		async getLogstore(project: string, logstore: string, call_: CallOptions = {}): Promise<{name: string; ttlDays: number; shardCount: number}> {
			const answer = await call({operation: 'GetLogStore', method: 'GET', project, path: `/logstores/${encodeURIComponent(logstore)}`, ...call_});
			const body = JSON.parse(answer.text) as {logstoreName?: string; ttl?: number; shardCount?: number};
			return {name: String(body.logstoreName ?? logstore), ttlDays: Number(body.ttl), shardCount: Number(body.shardCount)};
		},
		async createLogstore(project: string, logstore: string, settings: {ttlDays: number; shardCount: number} & CallOptions) {
			return create({operation: 'CreateLogStore', method: 'POST', project, path: '/logstores', body: json({logstoreName: logstore, ttl: settings.ttlDays, shardCount: settings.shardCount}), ...(settings.signal ? {signal: settings.signal} : {})}, 'LogStoreAlreadyExist');
		},
		async createIndex(project: string, logstore: string, index: {keys: Record<string, IndexKey>; line?: {caseSensitive?: boolean; token: string[]}} & CallOptions) {
			const body = {keys: index.keys, ...(index.line ? {line: index.line} : {})};
			return create({operation: 'CreateIndex', method: 'POST', project, path: `/logstores/${encodeURIComponent(logstore)}/index`, body: json(body), ...(index.signal ? {signal: index.signal} : {})}, 'IndexAlreadyExist');
		},
		/** Sends the logs in groups of at most 4096 logs and about 3 MB, each deflated. */
		async putLogs(project: string, logstore: string, group: LogGroup, call_: CallOptions = {}): Promise<void> {
			for (const part of splitGroup(group)) {
				const raw = encodeLogGroup(part);
				await call({operation: 'PutLogs', method: 'POST', project, path: `/logstores/${encodeURIComponent(logstore)}/shards/lb`, body: deflateSync(raw), rawSize: raw.length, compressed: true, contentType: 'application/x-protobuf', ...call_});
			}
		},
		/** GetLogs over [from, to) (Unix seconds), repeated while the service reports the result Incomplete. */
		async getLogs(project: string, logstore: string, query: LogQuery): Promise<LogQueryResult> {
			const parameters: Record<string, string> = {type: 'log', from: String(query.from), to: String(query.to), query: query.query, line: String(query.line ?? 100), offset: String(query.offset ?? 0), reverse: String(query.reverse ?? false)};
			if (query.topic !== undefined && query.topic !== '') {
				parameters['topic'] = query.topic;
			}

			for (let round = 0; ; round++) {
				const answer = await call({operation: 'GetLogs', method: 'GET', project, path: `/logstores/${encodeURIComponent(logstore)}`, query: parameters, ...(query.signal ? {signal: query.signal} : {})});
				const complete = [answer.headers['x-log-progress']].flat()[0] !== 'Incomplete';
				const logs = (JSON.parse(answer.text || '[]') as Array<Record<string, unknown>>).map(log => Object.fromEntries(Object.entries(log).map(([key, value]) => [key, value === null || value === undefined ? '' : String(value)])));
				if (complete || round >= incompleteRetries) {
					return {logs, count: Number([answer.headers['x-log-count']].flat()[0] ?? logs.length), complete};
				}

				await sleep(Math.min(5000, 250 * 2 ** round), undefined, query.signal ? {signal: query.signal} : undefined);
			}
		},
	};
}

/** Splits a group so each part stays within the writer's limits. */
export function splitGroup(group: LogGroup): LogGroup[] {
	const parts: LogGroup[] = [];
	let current: LogGroup['logs'][number][] = [];
	let bytes = 0;
	const flush = () => {
		if (current.length > 0) {
			parts.push({...group, logs: current});
			current = [];
			bytes = 0;
		}
	};

	for (const log of group.logs) {
		const size = log.contents.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value) + 4, 8);
		if (current.length === maxLogsPerGroup || (bytes + size > maxRawBytesPerGroup && current.length > 0)) {
			flush();
		}

		current.push(log);
		bytes += size;
	}

	flush();
	return parts.length > 0 ? parts : [group];
}
