/**
 * The local MaxCompute stand-in's HTTP layer: the ODPS REST protocol under `/api`, checked like the service checks it
 * (v2/v4 signature, STS token, Date skew, project), with SQL instances run one at a time on the local engine.
 * Answers use the service's shapes: XML documents, `<Error>` bodies with its codes, `Location` and `x-odps-*` headers.
 */
import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import path from 'node:path';
import {XMLParser} from 'fast-xml-parser';
import type {StandInHandle} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {serveHttp} from '../http-serve.js';
import {defaultEngineModule, type EngineModule, type EngineResult, type MaxComputeEngine, type OssReader} from './engine-contract.js';
import {instanceStatus, newInstanceId, openInstanceStore, type InstanceRecord, type InstanceStore} from './instance-store.js';
import {getTable, instanceView, listInstances, listTables, type RestAnswer, type RestError} from './metadata-routes.js';
import {httpDate, progressXml, summaryJson, xmlEscape} from './rest-documents.js';
import {ProjectAcl} from './project-acl.js';
import {checkOdpsSignature, odpsStsTokenHeader, parseOdpsAuthorization} from './signature-check.js';
import {gatewayKey, type AlibabaIdentities} from '../identity/alibaba.js';

export type MaxComputeStandInOptions = {
	dataDir: string;
	region: string;
	project: string;
	/** With `securityToken`, requests must carry it in `authorization-sts-token`, as for STS keys. */
	credentials: {accessKeyId: string; secret: string; securityToken?: string};
	accountId: string;
	/**
	 * The account's RAM identities: its RAM users' and STS sessions' keys sign requests too, and the project's ACL
	 * (./project-acl.ts) decides what they may do. Without it only `credentials` (the owner) may sign.
	 */
	identities?: AlibabaIdentities;
	ossReader?: OssReader;
	port?: number;
	/** The engine; by default the DuckDB one in `./engine/`. */
	engineModule?: EngineModule;
	/** Allowed distance between the request's Date and the server clock. @default 15 minutes, like the service */
	maxSkewMs?: number;
	/** The server's clock, for tests of the skew check. */
	now?: () => number;
};

export const resultRowLimit = 10_000;
const taskName = 'AnonymousSQLTask';
const defaultMaxSkewMs = 900_000;

type ErrorAnswer = {status: number; code: string; message: string};

const xmlParser = new XMLParser({
	ignoreAttributes: true,
	parseTagValue: false,
	trimValues: true,
	isArray: name => name === 'Property',
});

/** Characters that XML 1.0 cannot carry, and anything outside ASCII: the service then sends the result Base64-encoded. */
function needsBase64(text: string): boolean {
	return /[^\t\n\r\x20-\x7e]/.test(text);
}

function requestId(): string {
	return randomBytes(12).toString('hex').toUpperCase();
}

const unavailableOssReader: OssReader = {
	async fetchLocation() {
		throw new Error('ODPS-0130071:Semantic analysis exception - the local MaxCompute has no OSS reader configured');
	},
};

export async function startMaxComputeStandIn(options: MaxComputeStandInOptions): Promise<StandInHandle> {
	const {project, region, credentials} = options;
	const owner = `ALIYUN$${options.accountId}`;
	const maxSkewMs = options.maxSkewMs ?? defaultMaxSkewMs;
	const store: InstanceStore = await openInstanceStore(path.join(options.dataDir, 'instances'));
	const engineModule = options.engineModule ?? defaultEngineModule;
	const engine: MaxComputeEngine = await engineModule.openMaxComputeEngine({
		dataDir: path.join(options.dataDir, 'engine'),
		project,
		region,
		owner,
		oss: options.ossReader ?? unavailableOssReader,
	});
	const acl = options.identities ? ProjectAcl.open({dataDir: options.dataDir, project, identities: options.identities}) : undefined;
	const faults = createFaultPoint();
	const running = new Map<string, AbortController>();
	let queue = Promise.resolve();
	let closing = false;

	function enqueue(record: InstanceRecord): void {
		queue = queue.then(() => runInstance(record.id)).catch(() => undefined);
	}

	async function runInstance(id: string): Promise<void> {
		const record = store.get(id);
		if (!record || record.taskState !== 'Waiting' || closing) {
			return;
		}

		const controller = new AbortController();
		running.set(id, controller);
		await store.save({...record, taskState: 'Running', startedAt: new Date().toISOString()});
		let update: Partial<InstanceRecord>;
		try {
			const result = await engine.execute(await store.sql(id), record.settings, controller.signal, acl?.access(record.owner));
			update = controller.signal.aborted ? {taskState: 'Cancelled', resultText: ''} : {taskState: 'Success', ...renderResult(result)};
		} catch (error) {
			update = controller.signal.aborted ? {taskState: 'Cancelled', resultText: ''} : {taskState: 'Failed', resultText: failureText(error), resultFormat: 'text'};
		} finally {
			running.delete(id);
		}

		if (closing && update.taskState === 'Cancelled') {
			// Stopped by the shutdown, not by a user: leave it Waiting so the next start runs it again.
			await store.save({...store.get(id)!, taskState: 'Waiting'});
			return;
		}

		await store.save({...store.get(id)!, ...update, endedAt: new Date().toISOString()});
	}

	function renderResult(result: EngineResult): Partial<InstanceRecord> {
		if (result.kind === 'message') {
			return {resultText: result.text, resultFormat: 'text', resultDescriptor: JSON.stringify({IsSelect: false})};
		}

		const truncated = result.rows.length > resultRowLimit;
		const kept = truncated ? {...result, rows: result.rows.slice(0, resultRowLimit)} : result;
		return {
			resultText: engineModule.renderResultCsv(kept),
			resultFormat: 'csv',
			resultDescriptor: JSON.stringify({IsSelect: true, SelectResultStatus: truncated ? 'TRUNCATED' : 'FULL'}),
		};
	}

	function failureText(error: unknown): string {
		const {code, message} = error as {code?: unknown; message?: unknown};
		const text = typeof message === 'string' ? message : String(error);
		if (typeof code === 'string' && code.startsWith('ODPS-') && !text.startsWith(code)) {
			return `${code}:${text}`;
		}

		return text.startsWith('ODPS-') ? text : `ODPS-0010000:System internal error - ${text}`;
	}

	/** The signing key's secret and token: the owner's, or (with identities) a RAM user's or an STS session's. */
	function keyFor(accessKeyId: string): {secret: string; securityToken?: string; expired?: boolean; disabled?: boolean; name: string} | undefined {
		if (!options.identities || !acl) {
			return accessKeyId === credentials.accessKeyId ? {secret: credentials.secret, ...(credentials.securityToken === undefined ? {} : {securityToken: credentials.securityToken}), name: owner} : undefined;
		}

		const key = options.identities.keyOf(accessKeyId);
		return key && {
			...gatewayKey(options.identities, accessKeyId)!,
			name: acl.nameOf(key.principal),
		};
	}

	/** Checks the request and names who sent it, or answers why it is refused. */
	function authenticate(request: IncomingMessage, target: string): ErrorAnswer | {caller: string} {
		const authorization = parseOdpsAuthorization(request.headers.authorization);
		if (!authorization) {
			return {status: 401, code: 'Unauthorized', message: 'The request authorization header is invalid or missing.'};
		}

		const dateHeader = request.headers.date;
		const date = dateHeader ? Date.parse(dateHeader) : Number.NaN;
		if (Number.isNaN(date)) {
			return {status: 400, code: 'InvalidParameter', message: 'ODPS-0410001:Invalid parameter - the Date header is missing or not an RFC 1123 date'};
		}

		const now = (options.now ?? Date.now)();
		if (Math.abs(now - date) > maxSkewMs) {
			// The service's code carries this typo; pyodps maps both spellings (odps/errors.py, tests/test_errors.py).
			return {
				status: 403,
				code: 'RequestTimeTooSkewd',
				message: `ODPS-0410031:Authentication request expired - the expire time interval  exceeds the max limitation: ${maxSkewMs}, max_interval_date:${maxSkewMs},expire_date:${new Date(date + maxSkewMs).toISOString()},now_date:${new Date(now).toISOString()}`,
			};
		}

		const key = keyFor(authorization.accessKeyId);
		if (!key || key.disabled) {
			return {status: 403, code: 'InvalidParameter', message: `ODPS-0410051:Invalid credentials - accessKeyId not found: ${authorization.accessKeyId}`};
		}

		const check = checkOdpsSignature(
			{method: request.method ?? 'GET', target, headers: request.headersDistinct},
			{accessKeyId: authorization.accessKeyId, secret: key.secret, region},
		);
		if (!check.ok) {
			return {status: 403, code: 'SignatureNotMatch', message: 'ODPS-0410042:Invalid signature value - User signature does not match'};
		}

		const token = request.headers[odpsStsTokenHeader];
		if (key.securityToken !== undefined && (token !== key.securityToken || key.expired)) {
			return {status: 403, code: 'InvalidSecurityToken', message: 'The STS token in authorization-sts-token is missing, expired or does not belong to this AccessKey.'};
		}

		return {caller: key.name};
	}

	function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
		const payload = Buffer.from(body, 'utf8');
		response.writeHead(status, {
			'Content-Type': body ? 'application/xml' : 'text/plain',
			'Content-Length': String(payload.length),
			Date: new Date().toUTCString(),
			...headers,
		});
		response.end(payload);
	}

	function sendError(response: ServerResponse, answer: ErrorAnswer, id: string): void {
		send(response, answer.status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(answer.code)}</Code><Message><![CDATA[${answer.message}]]></Message><RequestId>${id}</RequestId><HostId>localhost</HostId></Error>`, {'x-odps-request-id': id});
	}

	function sendAnswer(response: ServerResponse, answer: RestAnswer | RestError, id: string): void {
		if ('code' in answer) {
			sendError(response, answer, id);
		} else {
			send(response, answer.status, answer.body, {'Content-Type': answer.contentType, 'x-odps-request-id': id});
		}
	}

	function instanceHeaders(record: InstanceRecord, id: string): Record<string, string> {
		const headers: Record<string, string> = {'x-odps-request-id': id, 'x-odps-owner': record.owner, 'x-odps-creation-time': httpDate(record.createdAt)};
		if (record.startedAt) {
			headers['x-odps-start-time'] = httpDate(record.startedAt);
		}

		if (record.endedAt) {
			headers['x-odps-end-time'] = httpDate(record.endedAt);
		}

		return headers;
	}

	function taskXml(record: InstanceRecord, inner: string): string {
		return `<?xml version="1.0" encoding="UTF-8"?>\n<Instance><Status>${instanceStatus(record)}</Status><Tasks><Task Type="SQL"><Name>${record.taskName}</Name>${inner}<Status>${record.taskState}</Status></Task></Tasks></Instance>`;
	}

	function resultXml(record: InstanceRecord): string {
		const text = record.resultText ?? '';
		const format = record.resultFormat ?? 'text';
		const result = needsBase64(text)
			? `<Result Transform="Base64" Format="${format}">${Buffer.from(text, 'utf8').toString('base64')}</Result>`
			: `<Result Format="${format}"><![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]></Result>`;
		const descriptor = record.resultDescriptor ? `<ResultDescriptor><![CDATA[${record.resultDescriptor}]]></ResultDescriptor>` : '';
		return taskXml(record, `${result}${descriptor}`);
	}

	async function readBody(request: IncomingMessage): Promise<string> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of request) {
			size += (chunk as Buffer).length;
			if (size > 8 * 1024 * 1024) {
				throw new Error('body too large');
			}

			chunks.push(chunk as Buffer);
		}

		return Buffer.concat(chunks).toString('utf8');
	}

	function parseJob(body: string): {sql: string; settings: Record<string, string>; priority: number; taskName: string} | ErrorAnswer {
		const invalid = (message: string): ErrorAnswer => ({status: 400, code: 'InvalidParameter', message: `ODPS-0410001:Invalid parameter - ${message}`});
		type Property = {Name?: unknown; Value?: unknown};
		type Job = {Priority?: unknown; Tasks?: {SQL?: {Name?: unknown; Query?: unknown; Config?: {Property?: Property[]}}} & Record<string, unknown>};
		let parsed: {Instance?: {Job?: Job}};
		try {
			parsed = xmlParser.parse(body, true) as typeof parsed;
		} catch (error) {
			return invalid(`the instance XML is malformed (${(error as Error).message})`);
		}

		const job = parsed.Instance?.Job;
		const tasks = job?.Tasks;
		if (!job || !tasks) {
			return invalid('expected <Instance><Job><Tasks>…</Tasks></Job></Instance>');
		}

		const otherTasks = Object.keys(tasks).filter(name => name !== 'SQL');
		if (otherTasks.length > 0 || !tasks.SQL || Array.isArray(tasks.SQL)) {
			return invalid(`the local MaxCompute runs one SQL task per instance (got ${[...otherTasks, ...(tasks.SQL ? ['SQL'] : [])].join(', ') || 'none'})`);
		}

		const sql = typeof tasks.SQL.Query === 'string' ? tasks.SQL.Query.trim() : '';
		if (!sql) {
			return invalid('the SQL task has no Query');
		}

		let settings: Record<string, string> = {};
		for (const property of tasks.SQL.Config?.Property ?? []) {
			if (property.Name === 'settings' && typeof property.Value === 'string' && property.Value !== '') {
				try {
					const value = JSON.parse(property.Value) as unknown;
					if (!value || typeof value !== 'object' || Array.isArray(value)) {
						throw new Error('not an object');
					}

					settings = Object.fromEntries(Object.entries(value).map(([key, setting]) => [key, String(setting)]));
				} catch {
					return invalid('the settings property is not a JSON object');
				}
			}
		}

		const priority = job.Priority === undefined ? 9 : Number(job.Priority);
		if (!Number.isInteger(priority) || priority < 0 || priority > 9) {
			return invalid('Priority must be an integer from 0 to 9');
		}

		return {sql, settings, priority, taskName: typeof tasks.SQL.Name === 'string' && tasks.SQL.Name ? tasks.SQL.Name : taskName};
	}

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const id = requestId();
		const rawUrl = request.url ?? '/';
		if (!rawUrl.startsWith('/api/') && rawUrl !== '/api') {
			sendError(response, {status: 404, code: 'NoSuchObject', message: 'The ODPS REST API lives under /api'}, id);
			return;
		}

		const fault = await faults.apply(request);
		if (fault?.type === 'reset') {
			return;
		}

		if (fault) {
			sendError(response, {status: fault.status, code: fault.code, message: `Injected fault (${fault.code})`}, id);
			return;
		}

		const resource = rawUrl.slice('/api'.length) || '/';
		const authenticated = authenticate(request, resource);
		if ('status' in authenticated) {
			sendError(response, authenticated, id);
			return;
		}

		const {caller} = authenticated;
		const refuse = (denial: ErrorAnswer | undefined): boolean => {
			if (denial) {
				sendError(response, denial, id);
			}

			return denial !== undefined;
		};

		const url = new URL(rawUrl, 'http://localhost');
		const segments = url.pathname.slice('/api/'.length).split('/').filter(Boolean).map(segment => decodeURIComponent(segment));
		const method = request.method ?? 'GET';
		if (segments[0] !== 'projects' || !segments[1]) {
			sendError(response, {status: 404, code: 'NoSuchObject', message: `ODPS-0420111:Object not found - ${url.pathname}`}, id);
			return;
		}

		if (segments[1] !== project) {
			sendError(response, {status: 404, code: 'NoSuchProject', message: `ODPS-0420111:Project not found - '${segments[1]}'.`}, id);
			return;
		}

		// Members may read the project and its instances; its tables need List (the list) or Describe (one table).
		const tablePrivilege = segments[2] !== 'tables' ? undefined : segments[3] === undefined ? 'List' : 'Describe';
		if (acl && refuse(acl.readDenial(caller, tablePrivilege, segments[2] === 'tables' ? segments[3] : undefined))) {
			return;
		}

		if (segments.length === 2 && method === 'GET') {
			send(response, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<Project><Name>${xmlEscape(project)}</Name><Type>managed</Type><Comment></Comment><Owner>${xmlEscape(owner)}</Owner><State>AVAILABLE</State><Region>${xmlEscape(region)}</Region><CreationTime>${httpDate(new Date(0).toISOString())}</CreationTime></Project>`, {'x-odps-request-id': id, 'x-odps-owner': owner});
			return;
		}

		if (segments[2] === 'tables' && segments.length <= 4) {
			if (method !== 'GET') {
				sendError(response, {status: 405, code: 'MethodNotAllowed', message: `${method} on tables is not served by the local MaxCompute; use SQL DDL`}, id);
				return;
			}

			const context = {engine, project, owner};
			sendAnswer(response, segments[3] === undefined ? await listTables(context, url.searchParams) : await getTable(context, segments[3], url.searchParams), id);
			return;
		}

		if (segments[2] !== 'instances' || segments.length > 4) {
			sendError(response, {status: 404, code: 'NoSuchObject', message: `ODPS-0420111:Object not found - ${url.pathname}`}, id);
			return;
		}

		if (segments.length === 3 && method === 'GET') {
			sendAnswer(response, listInstances(store.all(), url.searchParams), id);
			return;
		}

		if (segments.length === 3) {
			if (method !== 'POST') {
				sendError(response, {status: 405, code: 'MethodNotAllowed', message: `${method} is not supported on instances by the local MaxCompute`}, id);
				return;
			}

			if (acl && refuse(acl.instanceDenial(caller))) {
				return;
			}

			const job = parseJob(await readBody(request));
			if ('status' in job) {
				sendError(response, job, id);
				return;
			}

			const record: InstanceRecord = {
				id: newInstanceId(),
				project,
				owner: caller,
				settings: job.settings,
				priority: job.priority,
				taskName: job.taskName,
				taskState: 'Waiting',
				createdAt: new Date().toISOString(),
			};
			await store.create(record, job.sql);
			enqueue(record);
			const host = request.headers.host ?? `127.0.0.1:${port}`;
			send(response, 201, '', {'x-odps-request-id': id, Location: `http://${host}/api/projects/${encodeURIComponent(project)}/instances/${record.id}`});
			return;
		}

		const instanceId = segments[3]!;
		const record = store.get(instanceId);
		if (!record) {
			sendError(response, {status: 404, code: 'NoSuchObject', message: `ODPS-0420111:Object not found - instance ${instanceId} does not exist in project ${project}`}, id);
			return;
		}

		if (method === 'GET') {
			const view = instanceView(url.searchParams, record.taskName);
			if (typeof view !== 'string') {
				sendError(response, view, id);
				return;
			}

			const headers = instanceHeaders(record, id);
			if (view === 'result') {
				send(response, 200, resultXml(record), headers);
			} else if (view === 'taskstatus') {
				send(response, 200, taskXml(record, `<StartTime>${httpDate(record.startedAt)}</StartTime><EndTime>${httpDate(record.endedAt)}</EndTime>`), headers);
			} else if (view === 'instancesummary') {
				send(response, 200, summaryJson(record), {...headers, 'Content-Type': 'application/json', 'x-odps-task-finalized': String(record.endedAt !== undefined)});
			} else if (view === 'instanceprogress') {
				send(response, 200, progressXml(record), headers);
			} else {
				send(response, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<Instance><Status>${instanceStatus(record)}</Status></Instance>`, headers);
			}

			return;
		}

		if (method === 'PUT') {
			const body = xmlParser.parse(await readBody(request)) as {Instance?: {Status?: unknown}};
			if (body.Instance?.Status !== 'Terminated') {
				sendError(response, {status: 400, code: 'InvalidParameter', message: 'ODPS-0410001:Invalid parameter - only <Instance><Status>Terminated</Status></Instance> is accepted'}, id);
				return;
			}

			const current = store.get(record.id) ?? record;
			if (current.taskState === 'Waiting') {
				await store.save({...current, taskState: 'Cancelled', endedAt: new Date().toISOString(), resultText: ''});
			} else {
				running.get(record.id)?.abort(new Error('instance terminated by the user'));
			}

			send(response, 200, '', {'x-odps-request-id': id});
			return;
		}

		sendError(response, {status: 405, code: 'MethodNotAllowed', message: `${method} is not supported on an instance`}, id);
	}

	const {port, stop} = await serveHttp(handle, {
		port: options.port,
		onCrash(error, response) {
			sendError(response, {status: 500, code: 'InternalServerError', message: `ODPS-0010000:System internal error - ${(error as Error).message}`}, requestId());
		},
	});

	// Instances cut off by a stop of the stand-in run again: the engine never committed their work.
	for (const record of store.all().sort((left, right) => left.createdAt.localeCompare(right.createdAt))) {
		if (record.taskState === 'Waiting' || record.taskState === 'Running') {
			await store.save({...record, taskState: 'Waiting'});
			enqueue(record);
		}
	}

	return {
		name: 'maxcompute',
		url: `http://127.0.0.1:${port}/api`,
		port,
		async close() {
			if (closing) {
				return;
			}

			closing = true;
			for (const controller of running.values()) {
				controller.abort(new Error('the local MaxCompute is stopping'));
			}

			await stop();
			await queue;
			await engine.close();
		},
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
