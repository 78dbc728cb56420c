/**
 * ferry's MaxCompute client: the ODPS REST protocol (no npm package runs MaxCompute SQL). It submits SQL instances,
 * polls their task status, reads the task result (CSV, at most 10,000 rows), stops and re-attaches to instances.
 */
import {randomUUID} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import {XMLParser} from 'fast-xml-parser';
import {InterruptedError, ServiceError, UsageError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import {createHttpPipeline, type HttpCall, type HttpResponse, type NetworkFailure} from '../http-pipeline.js';
import {httpError, OdpsSqlError, parseErrorBody, serviceName} from './errors.js';
import {parseResultCsv} from './result-csv.js';
import {signRequest, type Credentials} from './signature.js';

export type MaxComputeCredentials = Credentials;
export type MaxComputeCredentialProvider = () => Promise<MaxComputeCredentials>;

export type MaxComputeClientOptions = {
	/** e.g. `https://service.ap-southeast-1.maxcompute.aliyun.com/api` */
	endpoint: string;
	project: string;
	credentials: MaxComputeCredentials | MaxComputeCredentialProvider;
	logger: Logger;
	/** Per HTTP request. @default 60000 */
	timeoutMs?: number;
	region?: string;
	/** e.g. `https://logview.aliyun.com`; without it `logviewUrl` answers undefined. */
	logviewHost?: string;
	/** Attempts per call for throttling and 5xx. @default 5 */
	attempts?: number;
	retryBaseDelayMs?: number;
	/** Status polling back-off: DDL and small queries end in well under a second, so polling starts fast and backs off. @default {initialMs: 200, maxMs: 5000} */
	poll?: {initialMs: number; maxMs: number};
};

export type TaskStatus = 'Waiting' | 'Running' | 'Success' | 'Failed' | 'Suspended' | 'Cancelled' | string;
export type InstanceStatus = 'Running' | 'Suspended' | 'Terminated' | string;

export type InstanceProgress = {instanceId: string; instanceStatus: InstanceStatus; tasks: {name: string; status: TaskStatus}[]};

export type InstanceInfo = {instanceId: string; status: InstanceStatus; owner: string | undefined; startTime: string | undefined; endTime: string | undefined};

export type SqlResult = {
	columns: string[];
	rows: (string | null)[][];
	/** The service keeps at most 10,000 rows of a task result. */
	truncated: boolean;
	/** The raw result text (for DDL a short message such as `OK`). */
	text: string;
};

export type SubmitOptions = {settings?: Record<string, string>; priority?: number; signal?: AbortSignal};
export type WaitOptions = {signal?: AbortSignal; onStatus?: (progress: InstanceProgress) => void};
export type RunOptions = SubmitOptions & WaitOptions & {
	/** Called as soon as the instance exists, so a session can record the id before waiting (crash-only resume). */
	onSubmitted?: (instanceId: string) => void | Promise<void>;
};

export type ColumnDescription = {name: string; type: string; comment: string; partition: boolean};

export type MaxComputeClient = {
	readonly project: string;
	readonly endpoint: string;
	submitSql(sql: string, options?: SubmitOptions): Promise<{instanceId: string}>;
	getInstance(instanceId: string, options?: {signal?: AbortSignal}): Promise<InstanceInfo>;
	getTaskStatus(instanceId: string, options?: {signal?: AbortSignal}): Promise<InstanceProgress>;
	waitForInstance(instanceId: string, options?: WaitOptions): Promise<InstanceProgress>;
	getResult(instanceId: string, options?: {signal?: AbortSignal}): Promise<SqlResult>;
	runSql(sql: string, options?: RunOptions): Promise<SqlResult & {instanceId: string}>;
	/** Re-attaches to an instance submitted earlier (e.g. before a crash): waits for it, then reads its result. */
	attach(instanceId: string, options?: WaitOptions): Promise<SqlResult & {instanceId: string}>;
	stopInstance(instanceId: string, options?: {signal?: AbortSignal}): Promise<void>;
	logviewUrl(instanceId: string): string | undefined;
	getProject(options?: {signal?: AbortSignal}): Promise<{name: string; owner: string | undefined; status: string | undefined}>;
	whoami(options?: {signal?: AbortSignal}): Promise<{owner: string}>;
	tableExists(name: string, options?: {signal?: AbortSignal}): Promise<boolean>;
	describeTable(name: string, options?: {signal?: AbortSignal}): Promise<ColumnDescription[]>;
	/**
	 * The rows of one partition as the table's partition listing counts them (`PartitionRecordCount`), 0 when the
	 * partition does not exist: table metadata, which the Describe privilege reads (no Select needed).
	 */
	partitionRecordCount(table: string, partition: ReadonlyArray<readonly [string, string]>, options?: {signal?: AbortSignal}): Promise<number>;
	/** Every partition of the table (ListPartitions, page by page): its column values in order and `PartitionRecordCount`. */
	listPartitions(table: string, options?: {signal?: AbortSignal}): Promise<PartitionListing[]>;
};

export type PartitionListing = {values: Array<[string, string]>; recordCount: number};

export const resultRowLimit = 10_000;
const userAgent = 'ferry/0.1 (ODPS REST)';
const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	textNodeName: '#text',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	isArray: name => name === 'Task',
});

type Response = HttpResponse;
type CallOptions = {query?: Record<string, string>; body?: string; contentType?: string; signal?: AbortSignal; idempotent: boolean};

export function createMaxComputeClient(options: MaxComputeClientOptions): MaxComputeClient {
	const endpoint = options.endpoint.replace(/\/+$/, '');
	const {project, logger} = options;
	const timeoutMs = options.timeoutMs ?? 60_000;
	const poll = options.poll ?? {initialMs: 200, maxMs: 5000};
	const projectPath = `/projects/${encodeURIComponent(project)}`;

	async function resolveCredentials(): Promise<MaxComputeCredentials> {
		const credentials = typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
		registerSecret(credentials.accessKeySecret);
		registerSecret(credentials.securityToken);
		return credentials;
	}

	if (typeof options.credentials !== 'function') {
		registerSecret(options.credentials.accessKeySecret);
		registerSecret(options.credentials.securityToken);
	}

	const pipeline = createHttpPipeline<HttpCall & {resource: string}>({
		service: 'maxcompute',
		logger,
		timeoutMs,
		retry: {attempts: options.attempts ?? 5, baseDelayMs: options.retryBaseDelayMs ?? 300, maxDelayMs: 5000},
		interruptedMessage: 'The MaxCompute call was interrupted',
		async sign(request, call) {
			const headers: Record<string, string> = {...request.headers, Date: new Date().toUTCString()};
			return {...request, headers: {...headers, ...signRequest({method: call.method, resource: call.resource, headers}, await resolveCredentials())}};
		},
		requestId: response => response.headers.get('x-odps-request-id') ?? undefined,
		classify(response, call) {
			if (response.status < 400) {
				return undefined;
			}

			return httpError(response.status, parseErrorBody(response.status, response.text, response.headers), {project, endpoint, region: options.region, idempotent: call.idempotent !== false});
		},
		unanswered(failure, call) {
			const timedOut = failure.timedOutMs !== undefined;
			return new ServiceError(serviceName, timedOut ? `${call.operation} timed out after ${failure.timedOutMs} ms` : `${call.operation} could not reach ${endpoint} (${networkCause(failure)})`, {
				retryable: call.idempotent !== false,
				cause: failure.cause,
				hint: timedOut ? undefined : 'Check the endpoint in the profile and the network; for the local cloud run `ferry local-cloud status`.',
			});
		},
	});

	async function request(operation: string, method: HttpCall['method'], path: string, call: CallOptions): Promise<Response> {
		const query = {curr_project: project, ...call.query};
		const queryText = Object.entries(query)
			.map(([key, value]) => (value === '' ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`))
			.join('&');
		const resource = `${path}?${queryText}`;
		const headers: Record<string, string> = {'User-Agent': userAgent, 'x-odps-user-agent': userAgent};
		if (call.contentType) {
			headers['Content-Type'] = call.contentType;
		}

		return pipeline.send({
			operation, method, url: new URL(`${endpoint}${resource}`), resource, headers, idempotent: call.idempotent,
			...(call.body === undefined ? {} : {body: call.body}), ...(call.signal ? {signal: call.signal} : {}),
		});
	}

	const instancePath = (instanceId: string) => {
		if (!/^[\w-]+$/.test(instanceId)) {
			throw new UsageError(`"${instanceId}" is not a MaxCompute instance id`);
		}

		return `${projectPath}/instances/${instanceId}`;
	};

	async function submitSql(sql: string, submit: SubmitOptions = {}): Promise<{instanceId: string}> {
		const settings = {'odps.sql.udf.strict.mode': 'true', ...submit.settings};
		const body = buildSqlJobXml(sql, settings, submit.priority ?? 9);
		let instanceId: string | undefined;
		let status = 0;
		try {
			const response = await request('SubmitInstance', 'POST', `${projectPath}/instances`, {body, contentType: 'application/xml', signal: submit.signal, idempotent: false});
			status = response.status;
			instanceId = response.headers.get('location')?.replace(/\/+$/, '').split('/').pop();
		} finally {
			logger.statement({service: 'maxcompute', text: sql, ...(instanceId ? {remoteId: instanceId} : {})});
		}

		if (!instanceId) {
			throw new ServiceError(serviceName, 'the service accepted the SQL but answered without a Location header', {status});
		}

		return {instanceId};
	}

	async function getInstance(instanceId: string, call: {signal?: AbortSignal} = {}): Promise<InstanceInfo> {
		const response = await request('GetInstance', 'GET', instancePath(instanceId), {signal: call.signal, idempotent: true});
		const parsed = xmlParser.parse(response.text) as {Instance?: {Status?: unknown}};
		return {
			instanceId,
			status: textOf(parsed.Instance?.Status) ?? 'Unknown',
			owner: response.headers.get('x-odps-owner') ?? undefined,
			startTime: response.headers.get('x-odps-start-time') ?? undefined,
			endTime: response.headers.get('x-odps-end-time') ?? undefined,
		};
	}

	async function getTaskStatus(instanceId: string, call: {signal?: AbortSignal} = {}): Promise<InstanceProgress> {
		const response = await request('GetTaskStatus', 'GET', instancePath(instanceId), {query: {taskstatus: ''}, signal: call.signal, idempotent: true});
		const parsed = xmlParser.parse(response.text) as {Instance?: {Status?: unknown; Tasks?: {Task?: {Name?: unknown; Status?: unknown}[]}}};
		return {
			instanceId,
			instanceStatus: textOf(parsed.Instance?.Status) ?? 'Unknown',
			tasks: (parsed.Instance?.Tasks?.Task ?? []).map(task => ({name: textOf(task.Name) ?? '', status: textOf(task.Status) ?? 'Unknown'})),
		};
	}

	async function readResultText(instanceId: string, signal: AbortSignal | undefined): Promise<{text: string; selectStatus: string | undefined}> {
		const response = await request('GetInstanceResult', 'GET', instancePath(instanceId), {query: {result: ''}, signal, idempotent: true});
		type ResultNode = string | {'#text'?: unknown; '@_Transform'?: unknown};
		const parsed = xmlParser.parse(response.text) as {Instance?: {Tasks?: {Task?: {Result?: ResultNode; ResultDescriptor?: unknown}[]}}};
		const task = parsed.Instance?.Tasks?.Task?.[0];
		const result = task?.Result;
		let text = typeof result === 'string' ? result : textOf(result?.['#text']) ?? '';
		if (typeof result === 'object' && textOf(result['@_Transform']) === 'Base64') {
			text = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
		}

		let selectStatus: string | undefined;
		const descriptor = textOf(task?.ResultDescriptor);
		if (descriptor) {
			try {
				selectStatus = (JSON.parse(descriptor) as {SelectResultStatus?: string}).SelectResultStatus;
			} catch {
				// The descriptor is informative only.
			}
		}

		return {text, selectStatus};
	}

	async function getResult(instanceId: string, call: {signal?: AbortSignal} = {}): Promise<SqlResult> {
		const {text, selectStatus} = await readResultText(instanceId, call.signal);
		const table = parseResultCsv(text);
		const truncated = selectStatus?.toUpperCase() === 'TRUNCATED' || table.rows.length >= resultRowLimit;
		if (truncated) {
			logger.warn(`MaxCompute instance ${instanceId}: the task result holds at most ${resultRowLimit} rows, so this result is truncated; aggregate in SQL or export the table instead.`);
		}

		return {...table, truncated, text};
	}

	async function waitForInstance(instanceId: string, wait: WaitOptions = {}): Promise<InstanceProgress> {
		let delay = poll.initialMs;
		for (;;) {
			const progress = await getTaskStatus(instanceId, {signal: wait.signal});
			wait.onStatus?.(progress);
			if (progress.instanceStatus === 'Terminated') {
				const statuses = progress.tasks.map(task => task.status.toUpperCase());
				if (statuses.includes('FAILED')) {
					const {text} = await readResultText(instanceId, wait.signal);
					throw new OdpsSqlError(instanceId, text);
				}

				if (statuses.includes('CANCELLED')) {
					throw new ServiceError(serviceName, `instance ${instanceId} was cancelled before it finished`, {code: 'Cancelled', hint: 'Someone stopped the instance (ferry, the console or odpscmd `kill`); run the step again to resubmit it.'});
				}

				if (statuses.every(status => status === 'SUCCESS')) {
					return progress;
				}

				throw new ServiceError(serviceName, `instance ${instanceId} terminated with task states ${progress.tasks.map(task => `${task.name}=${task.status}`).join(', ') || '(none)'}`);
			}

			try {
				await sleep(delay, undefined, {signal: wait.signal});
			} catch (error) {
				throw interrupted(wait.signal, error);
			}

			delay = Math.min(poll.maxMs, Math.round(delay * 1.5));
		}
	}

	async function attach(instanceId: string, wait: WaitOptions = {}) {
		await waitForInstance(instanceId, wait);
		return {instanceId, ...await getResult(instanceId, {signal: wait.signal})};
	}

	async function runSql(sql: string, run: RunOptions = {}) {
		const {instanceId} = await submitSql(sql, run);
		await run.onSubmitted?.(instanceId);
		return attach(instanceId, run);
	}

	async function stopInstance(instanceId: string, call: {signal?: AbortSignal} = {}): Promise<void> {
		await request('StopInstance', 'PUT', instancePath(instanceId), {
			body: '<?xml version="1.0" encoding="UTF-8"?>\n<Instance><Status>Terminated</Status></Instance>',
			contentType: 'application/xml',
			signal: call.signal,
			idempotent: true,
		});
	}

	async function getProject(call: {signal?: AbortSignal} = {}) {
		const response = await request('GetProject', 'GET', projectPath, {signal: call.signal, idempotent: true});
		const parsed = xmlParser.parse(response.text) as {Project?: {Name?: unknown; Owner?: unknown; State?: unknown; Status?: unknown}};
		return {
			name: textOf(parsed.Project?.Name) ?? project,
			owner: textOf(parsed.Project?.Owner),
			status: textOf(parsed.Project?.State) ?? textOf(parsed.Project?.Status),
		};
	}

	/**
	 * `WHOAMI` is a console/security command; where the SQL task refuses it, the instance still names its submitter in
	 * the `x-odps-owner` header, which is the answer wanted.
	 */
	async function whoami(call: {signal?: AbortSignal} = {}): Promise<{owner: string}> {
		const {instanceId} = await submitSql('WHOAMI;', {signal: call.signal});
		let owner: string | undefined;
		try {
			owner = parseWhoami(await attach(instanceId, {signal: call.signal}));
		} catch (error) {
			if (!(error instanceof OdpsSqlError)) {
				throw error;
			}
		}

		owner ??= (await getInstance(instanceId, call)).owner;
		if (!owner) {
			throw new ServiceError(serviceName, 'WHOAMI answered without an account name');
		}

		return {owner};
	}

	async function describeTable(name: string, call: {signal?: AbortSignal} = {}): Promise<ColumnDescription[]> {
		const result = await runSql(`DESC ${checkedTableName(name)};`, {signal: call.signal});
		return parseDescribe(result);
	}

	async function tableExists(name: string, call: {signal?: AbortSignal} = {}): Promise<boolean> {
		try {
			await describeTable(name, call);
			return true;
		} catch (error) {
			if (error instanceof OdpsSqlError && (error.odpsCode === 'ODPS-0130131' || /table not found|does not exist|not exist/i.test(error.odpsMessage))) {
				return false;
			}

			throw error;
		}
	}

	async function partitionRecordCount(table: string, partition: ReadonlyArray<readonly [string, string]>, call: {signal?: AbortSignal} = {}): Promise<number> {
		const spec = partition.map(([column, value]) => `${column}='${value}'`).join(',');
		const response = await request('ListPartitions', 'GET', `${projectPath}/tables/${encodeURIComponent(checkedTableName(table).split('.').at(-1)!)}`, {query: {partitions: '', ...(spec ? {partition: spec} : {})}, signal: call.signal, idempotent: true});
		const parsed = xmlParser.parse(response.text) as {Partitions?: {Partition?: unknown}};
		const listed = parsed.Partitions?.Partition;
		const partitions = (Array.isArray(listed) ? listed : listed === undefined ? [] : [listed]) as Array<{PartitionRecordCount?: unknown}>;
		return partitions.reduce((sum, item) => sum + Number(textOf(item.PartitionRecordCount) ?? 0), 0);
	}

	async function listPartitions(table: string, call: {signal?: AbortSignal} = {}): Promise<PartitionListing[]> {
		const listed: PartitionListing[] = [];
		for (let marker: string | undefined; ;) {
			const response = await request('ListPartitions', 'GET', `${projectPath}/tables/${encodeURIComponent(checkedTableName(table).split('.').at(-1)!)}`, {query: {partitions: '', expectmarker: 'true', ...(marker ? {marker} : {})}, signal: call.signal, idempotent: true});
			const parsed = xmlParser.parse(response.text) as {Partitions?: {Partition?: unknown; Marker?: unknown}};
			const page = parsed.Partitions?.Partition;
			for (const item of (Array.isArray(page) ? page : page === undefined ? [] : [page]) as Array<{Column?: unknown; PartitionRecordCount?: unknown}>) {
				const columns = (Array.isArray(item.Column) ? item.Column : item.Column === undefined ? [] : [item.Column]) as Array<Record<string, unknown>>;
				listed.push({values: columns.map(column => [String(column['@_Name'] ?? ''), String(column['@_Value'] ?? '')]), recordCount: Number(textOf(item.PartitionRecordCount) ?? 0)});
			}

			marker = textOf(parsed.Partitions?.Marker);
			if (!marker) {
				return listed;
			}
		}
	}

	return {
		project,
		endpoint,
		submitSql,
		getInstance,
		getTaskStatus,
		waitForInstance,
		getResult,
		runSql,
		attach,
		stopInstance,
		logviewUrl: instanceId => options.logviewHost
			? `${options.logviewHost.replace(/\/+$/, '')}/logview/?h=${encodeURIComponent(endpoint)}&p=${encodeURIComponent(project)}&i=${encodeURIComponent(instanceId)}`
			: undefined,
		getProject,
		whoami,
		tableExists,
		describeTable,
		partitionRecordCount,
		listPartitions,
	};
}

/** The caller's abort, as ferry's InterruptedError (exit 130); any other error passes through. */
function interrupted(signal: AbortSignal | undefined, error: unknown): unknown {
	if (!signal?.aborted || error instanceof InterruptedError) {
		return error;
	}

	return new InterruptedError('The MaxCompute call was interrupted', {cause: signal.reason});
}

function networkCause(failure: NetworkFailure): string {
	return failure.code === 'NetworkError' && failure.cause instanceof Error ? failure.cause.message : failure.code;
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value.trim() === '' ? undefined : value.trim();
	}

	if (typeof value === 'number') {
		return String(value);
	}

	if (value && typeof value === 'object' && '#text' in value) {
		return textOf((value as {'#text': unknown})['#text']);
	}

	return undefined;
}

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The job document pyodps posts (`odps/models/job.py`, `tasks/sql.py`): one anonymous SQL task, settings as JSON. */
export function buildSqlJobXml(sql: string, settings: Record<string, string>, priority: number): string {
	const trimmed = sql.trim();
	const query = trimmed.endsWith(';') ? trimmed : `${trimmed};`;
	const cdata = `<![CDATA[${query.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
	const property = (name: string, value: string) => `<Property><Name>${escapeXml(name)}</Name><Value>${escapeXml(value)}</Value></Property>`;
	return [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<Instance><Job>',
		`<Priority>${priority}</Priority>`,
		'<Tasks><SQL>',
		'<Name>AnonymousSQLTask</Name>',
		`<Config>${property('uuid', randomUUID())}${property('settings', JSON.stringify(settings))}</Config>`,
		`<Query>${cdata}</Query>`,
		'</SQL></Tasks>',
		'<DAG><RunMode>Sequence</RunMode></DAG>',
		'</Job></Instance>',
	].join('');
}

function checkedTableName(name: string): string {
	if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*){0,2}$/.test(name)) {
		throw new UsageError(`"${name}" is not a valid MaxCompute table name`, {hint: 'Use letters, digits and underscores, optionally prefixed by project (and schema) with dots.'});
	}

	return name;
}

/** WHOAMI answers as text (`Name: ALIYUN$…`), as JSON with a DisplayName, or as a one-row table. */
export function parseWhoami(result: SqlResult): string | undefined {
	const text = result.text.trim();
	if (text.startsWith('{')) {
		try {
			const parsed = JSON.parse(text) as {DisplayName?: string; Name?: string; Owner?: string};
			return parsed.DisplayName ?? parsed.Name ?? parsed.Owner;
		} catch {
			// Not JSON after all.
		}
	}

	const line = /^(?:Name|Owner|DisplayName)\s*[:=]\s*(\S+)/im.exec(text);
	if (line?.[1]) {
		return line[1];
	}

	const column = result.columns.findIndex(name => /^(name|owner|display_?name|user)$/i.test(name));
	const value = result.rows[0]?.[Math.max(column, 0)];
	return column >= 0 || result.columns.length === 1 ? value ?? undefined : undefined;
}

/**
 * DESC answers either with the console's box of `| Field | Type | Label | Comment |` rows (and a `Partition Columns`
 * box), or, from engines that answer in rows, with a table whose columns are the name and the type.
 */
export function parseDescribe(result: SqlResult): ColumnDescription[] {
	const lines = result.text.split(/\r?\n/);
	if (lines.some(line => /^\|\s*Field\s*\|\s*Type\s*\|/i.test(line.trim()))) {
		const columns: ColumnDescription[] = [];
		let inFields = false;
		let partition = false;
		for (const raw of lines) {
			const line = raw.trim();
			if (/^\|\s*Field\s*\|\s*Type\s*\|/i.test(line)) {
				inFields = true;
				continue;
			}

			if (/^\|\s*Partition Columns/i.test(line)) {
				partition = true;
				inFields = true;
				continue;
			}

			if (/^\|\s*Native Columns/i.test(line)) {
				partition = false;
				continue;
			}

			if (line.startsWith('+')) {
				continue;
			}

			if (inFields && line.startsWith('|')) {
				const cells = line.slice(1, -1).split('|').map(cell => cell.trim());
				const [name, type] = cells;
				if (name && type && !name.includes(':')) {
					columns.push({name, type, comment: cells.at(-1) === type ? '' : cells.at(-1) ?? '', partition});
				} else if (name?.includes(':')) {
					inFields = false;
				}
			}
		}

		return columns;
	}

	const nameIndex = Math.max(0, result.columns.findIndex(name => /^(col_?name|name|field|column_name)$/i.test(name)));
	const typeIndex = result.columns.findIndex(name => /^(data_?type|type|column_type)$/i.test(name));
	const commentIndex = result.columns.findIndex(name => /^comment$/i.test(name));
	const partitionIndex = result.columns.findIndex(name => /^(partition|is_partition|partition_key)$/i.test(name));
	return result.rows
		.filter(row => (row[nameIndex] ?? '') !== '' && !(row[nameIndex] ?? '').startsWith('#'))
		.map(row => ({
			name: row[nameIndex] ?? '',
			type: typeIndex >= 0 ? row[typeIndex] ?? '' : row[1] ?? '',
			comment: commentIndex >= 0 ? row[commentIndex] ?? '' : '',
			partition: partitionIndex >= 0 ? /^(true|yes|1)$/i.test(row[partitionIndex] ?? '') : false,
		}));
}
