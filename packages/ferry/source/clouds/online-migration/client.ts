/**
 * OSS Data Online Migration (hcs-mgw 2024-06-26) client. Calls go through @alicloud/openapi-client (`callApi`,
 * style ROA, XML bodies) with the hcs-mgw gateway plugged in, exactly as the vendor SDKs do: production endpoint
 * `{region}.mgw.aliyuncs.com`, sent to host `{uid}.{region}.mgw.aliyuncs.com`, signed with OSS4-HMAC-SHA256.
 *
 * The local cloud's endpoint is `http://127.0.0.1:PORT`; like the SDK's gateway (which only prefixes the UID on
 * `*.mgw.aliyuncs.com`), the client then sends the bare host and the stand-in takes the account from the AccessKey.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import OpenApi, {Config, OpenApiRequest, Params} from '@alicloud/openapi-client';
import {ConfigurationError, InterruptedError, ServiceError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import {networkErrorMessage} from '../network-message.js';
import {isRetryableStatus, withRetry, type RetryOptions} from '../retry.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {MigrationApiError, MigrationGateway} from './gateway.js';
import {xmlList, xmlNumber, xmlObject, xmlText, type XmlObject} from './xml.js';

const service = 'online-migration';
const apiVersion = '2024-06-26';

export type AddressType = 's3' | 'oss';

export type AddressDefinition = {
	name: string;
	type: AddressType;
	bucket: string;
	prefix: string;
	/** S3 source: the S3 endpoint URL. */
	domain?: string;
	/** OSS destination: e.g. `oss-ap-southeast-1`. */
	regionId?: string;
	accessId?: string;
	accessSecret?: string;
	/** OSS destination: the RAM role the service assumes. */
	role?: string;
};

export type VerifyResult = {status: string; errorCode?: string; errorMessage?: string; verifyTime?: string};

export type AddressInfo = Omit<AddressDefinition, 'accessSecret'> & {status?: string; verifyResult?: VerifyResult; createTime?: string};

export type OverwriteMode = 'always' | 'never';
export type TransferMode = 'all' | 'lastmodified' | 'changed' | '';

export type JobDefinition = {
	name: string;
	srcAddress: string;
	destAddress: string;
	overwriteMode: OverwriteMode;
	transferMode: TransferMode;
	/** @default true */
	createReport?: boolean;
};

export type JobStatus =
	| 'IMPORT_JOB_BEGIN' | 'IMPORT_JOB_LAUNCHING' | 'IMPORT_JOB_PREPARING' | 'IMPORT_JOB_DOING' | 'IMPORT_JOB_SUSPEND'
	| 'IMPORT_JOB_CLOSING' | 'IMPORT_JOB_FINISHED' | 'IMPORT_JOB_INTERRUPTED' | 'IMPORT_JOB_CONFIRMED' | 'IMPORT_JOB_DELETING';

export type JobInfo = {
	name: string;
	status: JobStatus | string;
	srcAddress: string;
	destAddress: string;
	overwriteMode: string;
	transferMode: string;
	version?: string;
	createTime?: string;
	modifyTime?: string;
};

export type JobRun = {
	runtimeId: string;
	status: string;
	totalCount: number;
	copiedCount: number;
	failedCount: number;
	totalSize: number;
	copiedSize: number;
	listStatus?: string;
	message?: string;
	startTime?: string;
	endTime?: string;
};

export type JobReport = {
	status: string;
	totalCount: number;
	copiedCount: number;
	failedCount: number;
	skippedCount: number;
	errorMessage?: string;
	totalListPrefix?: string;
	failedListPrefix?: string;
	skippedListPrefix?: string;
	jobCreateTime?: string;
	jobEndTime?: string;
	reportCreateTime?: string;
};

export type CallOptions = {signal?: AbortSignal};

export type WaitOptions = CallOptions & {
	onProgress?: (progress: {job: JobInfo; run: JobRun | undefined}) => void;
	/** @default 2000 */
	pollIntervalMs?: number;
	/** @default 30000 */
	maxPollIntervalMs?: number;
};

export type OnlineMigrationClientOptions = {
	/** `ap-southeast-1.mgw.aliyuncs.com`, `https://…`, or the local cloud's `http://127.0.0.1:PORT`. */
	endpoint: string;
	/** The Alibaba Cloud account UID that owns the migration resources. */
	accountId: string;
	credentials: AlibabaCredentialsProvider;
	logger: Logger;
	/** Signing region; taken from a `{region}.mgw.aliyuncs.com` endpoint when absent. */
	region?: string;
	/** Per request. @default 30000 */
	timeoutMs?: number;
	retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
};

export type OnlineMigrationClient = ReturnType<typeof createOnlineMigrationClient>;

type Endpoint = {protocol: 'http' | 'https'; host: string; region: string};

function parseEndpoint(endpoint: string, region: string | undefined): Endpoint {
	let url: URL;
	try {
		url = new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
	} catch {
		throw new ConfigurationError(`The Data Online Migration endpoint "${endpoint}" is not a host name or URL.`, {hint: 'Use e.g. ap-southeast-1.mgw.aliyuncs.com.'});
	}

	const protocol = url.protocol === 'http:' ? 'http' : 'https';
	const fromHost = /^([a-z\d-]+)\.mgw(?:-internal)?\.aliyuncs\.com$/.exec(url.hostname)?.[1];
	const signingRegion = region ?? fromHost;
	if (!signingRegion) {
		throw new ConfigurationError(`Cannot tell the region of the Data Online Migration endpoint "${endpoint}".`, {hint: 'Give the region in the profile, or use an endpoint of the form {region}.mgw.aliyuncs.com.'});
	}

	return {protocol, host: url.host, region: signingRegion};
}

function statusOf(error: MigrationApiError): {auth: boolean; retryable: boolean} {
	const auth = error.status === 401 || (error.status === 403 && /AccessKey|Signature|SecurityToken|AccessDenied|Forbidden|TimeTooSkewed/i.test(error.code));
	const retryable = !auth && (isRetryableStatus(error.status) || /Throttl|ServiceUnavailable|TooManyRequests/i.test(error.code));
	return {auth, retryable};
}

function hintFor(code: string, auth: boolean, subject: string | undefined): string | undefined {
	if (auth) {
		return 'Check the Alibaba Cloud AccessKey in the profile (`ferry profiles test`), that it belongs to the account UID given, and that the RAM user may call mgw:* (e.g. AliyunMGWFullAccess).';
	}

	switch (code) {
		case 'NoSuchImportJob': {
			return `No migration job${subject ? ` named "${subject}"` : ''} exists in this account and region; check the name, or create it again.`;
		}

		case 'NoSuchImportAddress': {
			return `No data address${subject ? ` named "${subject}"` : ''} exists in this account and region; create the addresses before the job.`;
		}

		case 'NoSuchImportJobRunTimeId': {
			return 'The job has no run with that runtime id; list the runs with ListJobHistory.';
		}

		case 'ImportAddressAlreadyExist':
		case 'ImportJobAlreadyExist': {
			return `Something named "${subject ?? ''}" already exists with a different definition; choose another name or delete the old one in the console.`;
		}

		default: {
			return undefined;
		}
	}
}

const networkRetryCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ReadTimeout', 'ConnectTimeout', 'EAI_AGAIN']);

function toServiceError(error: unknown, operation: string, subject: string | undefined): ServiceError | InterruptedError {
	if (error instanceof ServiceError || error instanceof InterruptedError) {
		return error;
	}

	if (error instanceof MigrationApiError) {
		const {auth, retryable} = statusOf(error);
		const hint = hintFor(error.code, auth, subject);
		return new ServiceError(service, `${operation} failed: ${error.code}: ${error.message}`, {
			status: error.status, code: error.code, requestId: error.requestId, retryable, auth, cause: error, ...(hint ? {hint} : {}),
		});
	}

	const code = (error as {code?: string}).code ?? (error as {name?: string}).name ?? 'NetworkError';
	const message = networkErrorMessage(error instanceof Error ? error.message : String(error));
	return new ServiceError(service, `${operation} failed: ${message}`, {
		code,
		cause: error,
		retryable: networkRetryCodes.has(code) || /timeout|socket hang up/i.test(message),
		hint: code === 'ECONNREFUSED' ? 'Cannot reach the Data Online Migration endpoint; check it in the profile (for the local cloud: `ferry local-cloud status`).' : undefined,
	});
}

async function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) {
		return promise;
	}

	signal.throwIfAborted();
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new InterruptedError('Data Online Migration call interrupted', {cause: signal.reason}));
		signal.addEventListener('abort', onAbort, {once: true});
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
	}
}

function sameValue(left: string | undefined, right: string | undefined): boolean {
	return (left ?? '') === (right ?? '');
}

function readAddress(value: XmlObject): AddressInfo {
	const detail = xmlObject(value.AddressDetail);
	const verify = xmlObject(value.VerifyResult);
	const info: AddressInfo = {
		name: xmlText(value.Name) ?? '',
		type: (xmlText(detail.AddressType) ?? '') as AddressType,
		bucket: xmlText(detail.Bucket) ?? '',
		prefix: xmlText(detail.Prefix) ?? '',
	};
	const optional = {
		domain: xmlText(detail.Domain), regionId: xmlText(detail.RegionId), accessId: xmlText(detail.AccessId), role: xmlText(detail.Role),
		status: xmlText(value.Status), createTime: xmlText(value.CreateTime),
	};
	for (const [key, item] of Object.entries(optional)) {
		if (item !== undefined) {
			(info as Record<string, unknown>)[key] = item;
		}
	}

	if (value.VerifyResult !== undefined) {
		const errorCode = xmlText(verify.ErrorCode);
		const errorMessage = xmlText(verify.ErrorMsg);
		info.verifyResult = {status: info.status ?? '', ...(errorCode ? {errorCode} : {}), ...(errorMessage ? {errorMessage} : {})};
	}

	return info;
}

function readJob(value: XmlObject): JobInfo {
	return {
		name: xmlText(value.Name) ?? '',
		status: xmlText(value.Status) ?? '',
		srcAddress: xmlText(value.SrcAddress) ?? '',
		destAddress: xmlText(value.DestAddress) ?? '',
		overwriteMode: xmlText(value.OverwriteMode) ?? '',
		transferMode: xmlText(value.TransferMode) ?? '',
		version: xmlText(value.Version),
		createTime: xmlText(value.CreateTime),
		modifyTime: xmlText(value.ModifyTime),
	};
}

function readRun(value: XmlObject): JobRun {
	return {
		runtimeId: xmlText(value.RuntimeId) ?? '',
		status: xmlText(value.Status) ?? '',
		totalCount: xmlNumber(value.TotalCount),
		copiedCount: xmlNumber(value.CopiedCount),
		failedCount: xmlNumber(value.FailedCount),
		totalSize: xmlNumber(value.TotalSize),
		copiedSize: xmlNumber(value.CopiedSize),
		listStatus: xmlText(value.ListStatus),
		message: xmlText(value.Message),
		startTime: xmlText(value.StartTime),
		endTime: xmlText(value.EndTime),
	};
}

function readReport(value: XmlObject): JobReport {
	return {
		status: xmlText(value.Status) ?? '',
		totalCount: xmlNumber(value.TotalCount),
		copiedCount: xmlNumber(value.CopiedCount),
		failedCount: xmlNumber(value.FailedCount),
		skippedCount: xmlNumber(value.SkippedCount),
		errorMessage: xmlText(value.ErrorMessage),
		totalListPrefix: xmlText(value.TotalListPrefix),
		failedListPrefix: xmlText(value.FailedListPrefix),
		skippedListPrefix: xmlText(value.SkippedListPrefix),
		jobCreateTime: xmlText(value.JobCreateTime),
		jobEndTime: xmlText(value.JobEndTime),
		reportCreateTime: xmlText(value.ReportCreateTime),
	};
}

const failedStatuses = new Set(['IMPORT_JOB_INTERRUPTED', 'IMPORT_JOB_CLOSING', 'IMPORT_JOB_DELETING']);

type CallApi = InstanceType<typeof OpenApi.default>['callApi'];
type RuntimeOptions = Parameters<CallApi>[2];

export function createOnlineMigrationClient(options: OnlineMigrationClientOptions) {
	const endpoint = parseEndpoint(options.endpoint, options.region);
	const timeoutMs = options.timeoutMs ?? 30_000;
	const openApi = new OpenApi.default(new Config({
		endpoint: endpoint.host,
		protocol: endpoint.protocol,
		regionId: endpoint.region,
		signatureVersion: 'v4',
		readTimeout: timeoutMs,
		connectTimeout: Math.min(timeoutMs, 10_000),
	}));
	// The SDK's execute path hands every request to this gateway, as the hcs-mgw SDKs do with alibabacloud-gateway-oss.
	(openApi as unknown as {_spi: MigrationGateway})._spi = new MigrationGateway({credentials: options.credentials, region: endpoint.region});
	const sentHost = /\.mgw(-internal)?\.aliyuncs\.com$/.test(endpoint.host) ? `${options.accountId}.${endpoint.host}` : endpoint.host;

	type Call = {
		operation: string;
		method: 'GET' | 'POST' | 'PUT' | 'DELETE';
		pathname: string;
		query?: Record<string, string>;
		body?: XmlObject;
		subject?: string;
	};

	async function call(request: Call, callOptions: CallOptions = {}): Promise<XmlObject> {
		return withRetry(async attempt => {
			const started = performance.now();
			const logEntry = {service, operation: request.operation, method: request.method, url: `${endpoint.protocol}://${sentHost}${request.pathname}`, attempt};
			try {
				const response = await abortable(openApi.callApi(
					new Params({
						action: request.operation, version: apiVersion, protocol: endpoint.protocol.toUpperCase(), pathname: request.pathname,
						method: request.method, authType: 'AK', style: 'ROA', reqBodyType: 'xml', bodyType: 'xml',
					}),
					new OpenApiRequest({hostMap: {userid: options.accountId}, query: request.query ?? {}, ...(request.body ? {body: request.body} : {})}),
					{readTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000), autoretry: false} as RuntimeOptions,
				), callOptions.signal);
				const headers = (response.headers ?? {}) as Record<string, string>;
				options.logger.request({...logEntry, status: response.statusCode as number, durationMs: performance.now() - started, requestId: headers['x-oss-request-id']});
				return xmlObject(response.body as XmlObject);
			} catch (error) {
				const mapped = toServiceError(error, request.operation, request.subject);
				options.logger.request({
					...logEntry,
					status: mapped instanceof ServiceError ? (mapped.status ?? mapped.code) : 'interrupted',
					durationMs: performance.now() - started,
					requestId: mapped instanceof ServiceError ? mapped.requestId : undefined,
					error: mapped.code ?? mapped.name,
				});
				throw mapped;
			}
		}, {
			...options.retry,
			signal: callOptions.signal,
			isRetryable: error => error instanceof ServiceError && error.retryable,
		});
	}

	const encodeName = (name: string) => encodeURIComponent(name);

	const client = {
		endpoint: `${endpoint.protocol}://${endpoint.host}`,
		region: endpoint.region,

		async getAddress(name: string, callOptions?: CallOptions): Promise<AddressInfo> {
			const body = await call({operation: 'GetAddress', method: 'GET', pathname: `/address/${encodeName(name)}`, subject: name}, callOptions);
			return readAddress(xmlObject(body.ImportAddress));
		},

		/** Creates the address; an existing one with the same definition counts as created (secrets cannot be compared). */
		async createAddress(definition: AddressDefinition, callOptions?: CallOptions): Promise<AddressInfo> {
			registerSecret(definition.accessSecret);
			const detail: XmlObject = {
				AddressType: definition.type,
				Bucket: definition.bucket,
				Prefix: definition.prefix,
				Domain: definition.domain,
				RegionId: definition.regionId,
				AccessId: definition.accessId,
				AccessSecret: definition.accessSecret,
				Role: definition.role,
			};
			try {
				await call({operation: 'CreateAddress', method: 'POST', pathname: '/address', body: {ImportAddress: {Name: definition.name, AddressDetail: detail}}, subject: definition.name}, callOptions);
			} catch (error) {
				if (!(error instanceof ServiceError && error.code === 'ImportAddressAlreadyExist')) {
					throw error;
				}

				const existing = await client.getAddress(definition.name, callOptions);
				const same = existing.type === definition.type && existing.bucket === definition.bucket && sameValue(existing.prefix, definition.prefix)
					&& sameValue(existing.domain, definition.domain) && sameValue(existing.regionId, definition.regionId)
					&& sameValue(existing.accessId, definition.accessId) && sameValue(existing.role, definition.role);
				if (!same) {
					throw error;
				}

				return existing;
			}

			return client.getAddress(definition.name, callOptions);
		},

		async verifyAddress(name: string, callOptions?: CallOptions): Promise<VerifyResult> {
			const body = await call({operation: 'VerifyAddress', method: 'GET', pathname: `/address/${encodeName(name)}?verify`, subject: name}, callOptions);
			const result = xmlObject(body.VerifyAddressResponse);
			const verify: VerifyResult = {status: xmlText(result.Status) ?? ''};
			const errorCode = xmlText(result.ErrorCode);
			const errorMessage = xmlText(result.ErrorMessage);
			const verifyTime = xmlText(result.VerifyTime);
			return {...verify, ...(errorCode ? {errorCode} : {}), ...(errorMessage ? {errorMessage} : {}), ...(verifyTime ? {verifyTime} : {})};
		},

		/** ListAddress with one entry: a cheap authenticated call that proves the keys and the account work. */
		async whoami(callOptions?: CallOptions): Promise<{accountId: string; endpoint: string; region: string; addressCount: number}> {
			const body = await call({operation: 'ListAddress', method: 'GET', pathname: '/addresslist', query: {count: '1'}}, callOptions);
			return {accountId: options.accountId, endpoint: client.endpoint, region: endpoint.region, addressCount: xmlList(xmlObject(body.ImportAddressList).ImportAddress).length};
		},

		async getJob(name: string, callOptions?: CallOptions): Promise<JobInfo> {
			const body = await call({operation: 'GetJob', method: 'GET', pathname: `/job/${encodeName(name)}`, subject: name}, callOptions);
			return readJob(xmlObject(body.ImportJob));
		},

		/** Creates the job; an existing one with the same definition counts as created. */
		async createJob(definition: JobDefinition, callOptions?: CallOptions): Promise<JobInfo> {
			const body: XmlObject = {ImportJob: {
				Name: definition.name,
				SrcAddress: definition.srcAddress,
				DestAddress: definition.destAddress,
				OverwriteMode: definition.overwriteMode,
				TransferMode: definition.transferMode,
				CreateReport: definition.createReport ?? true,
			}};
			try {
				await call({operation: 'CreateJob', method: 'POST', pathname: '/job', body, subject: definition.name}, callOptions);
			} catch (error) {
				if (!(error instanceof ServiceError && error.code === 'ImportJobAlreadyExist')) {
					throw error;
				}

				const existing = await client.getJob(definition.name, callOptions);
				if (existing.srcAddress !== definition.srcAddress || existing.destAddress !== definition.destAddress
					|| existing.overwriteMode !== definition.overwriteMode || !sameValue(existing.transferMode, definition.transferMode)) {
					throw error;
				}

				return existing;
			}

			return client.getJob(definition.name, callOptions);
		},

		async updateJobStatus(name: string, status: 'IMPORT_JOB_LAUNCHING' | 'IMPORT_JOB_SUSPEND' | 'IMPORT_JOB_CLOSING', callOptions?: CallOptions): Promise<void> {
			await call({operation: 'UpdateJob', method: 'PUT', pathname: `/job/${encodeName(name)}`, body: {ImportJob: {Status: status}}, subject: name}, callOptions);
		},

		/** The job's runs, newest first. */
		async listJobHistory(name: string, callOptions?: CallOptions): Promise<JobRun[]> {
			const runs: JobRun[] = [];
			let marker: string | undefined;
			do {
				const body = await call({operation: 'ListJobHistory', method: 'GET', pathname: `/jobhistory/${encodeName(name)}`, query: {count: '100', ...(marker ? {marker} : {})}, subject: name}, callOptions);
				const list = xmlObject(body.JobHistoryList);
				runs.push(...xmlList(list.JobHistory).map(item => readRun(item)));
				marker = xmlText(list.Truncated) === 'true' ? xmlText(list.NextMarker) : undefined;
			} while (marker);

			return runs.sort((left, right) => Number(right.runtimeId) - Number(left.runtimeId));
		},

		/** The report of a run (the newest when no runtime id is given). */
		async getReport(name: string, runtimeId?: string, callOptions?: CallOptions): Promise<JobReport> {
			const job = await client.getJob(name, callOptions);
			const runId = runtimeId ?? (await client.listJobHistory(name, callOptions))[0]?.runtimeId;
			const query: Record<string, string> = {version: job.version ?? ''};
			if (runId) {
				query.runtimeId = runId;
			}

			const body = await call({operation: 'GetReport', method: 'GET', pathname: '/report', query, subject: name}, callOptions);
			return readReport(xmlObject(body.GetReportResponse));
		},

		/** Polls with back-off until the job finishes; a job that stops any other way is a ServiceError with the report's figures. */
		async waitForJob(name: string, waitOptions: WaitOptions = {}): Promise<{job: JobInfo; run: JobRun | undefined}> {
			let delay = waitOptions.pollIntervalMs ?? 2000;
			const maxDelay = waitOptions.maxPollIntervalMs ?? 30_000;
			for (;;) {
				const job = await client.getJob(name, waitOptions);
				const run = (await client.listJobHistory(name, waitOptions))[0];
				waitOptions.onProgress?.({job, run});
				if (job.status === 'IMPORT_JOB_FINISHED') {
					return {job, run};
				}

				if (failedStatuses.has(job.status)) {
					const report = await client.getReport(name, run?.runtimeId, waitOptions).catch(() => undefined);
					const figures = `${run?.copiedCount ?? report?.copiedCount ?? 0} of ${run?.totalCount ?? report?.totalCount ?? 0} objects copied, ${run?.failedCount ?? report?.failedCount ?? 0} failed`;
					const reason = report?.errorMessage ?? run?.message;
					throw new ServiceError(service, `Migration job "${name}" stopped with ${job.status}: ${figures}${reason ? ` (${reason})` : ''}.`, {
						code: job.status,
						hint: `See the report objects${report?.failedListPrefix ? ` under ${report.failedListPrefix}` : ''} in the destination bucket; check both addresses with VerifyAddress, then run the step again.`,
					});
				}

				try {
					await sleep(delay, undefined, {signal: waitOptions.signal});
				} catch (error) {
					throw new InterruptedError('Stopped waiting for the migration job', {cause: error});
				}

				delay = Math.min(maxDelay, Math.round(delay * 1.5));
			}
		},
	};
	return client;
}
