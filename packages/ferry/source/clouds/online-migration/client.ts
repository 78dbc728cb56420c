/**
 * OSS Data Online Migration (hcs-mgw 2024-06-26) client. Calls are ROA style with XML bodies, prepared by the hcs-mgw
 * gateway (`gateway.ts`) as the vendor SDKs' openapi-client `execute` path has it prepare them, and sent through
 * ferry's HTTP pipeline: production endpoint `{region}.mgw.aliyuncs.com`, sent to host
 * `{uid}.{region}.mgw.aliyuncs.com`, signed with OSS4-HMAC-SHA256. (@alicloud/openapi-client's own sender,
 * @alicloud/tea-typescript 1.8, takes no agent and ignores its proxy options, so it could not honour HTTPS_PROXY.)
 *
 * The local cloud's endpoint is `http://127.0.0.1:PORT`; like the SDK's gateway (which only prefixes the UID on
 * `*.mgw.aliyuncs.com`), the client then sends the bare host and the stand-in takes the account from the AccessKey.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {ConfigurationError, InterruptedError, ServiceError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import {networkServiceError} from '../network-message.js';
import {createHttpPipeline, type HttpCall, type NetworkFailure, type RetrySettings} from '../http-pipeline.js';
import {isRetryableStatus} from '../retry.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {MigrationGateway, migrationApiError, parseXmlSafely, type MigrationApiError} from './gateway.js';
import {xmlList, xmlNumber, xmlObject, xmlText, type XmlObject} from './xml.js';

const service = 'online-migration';

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
	retry?: Pick<RetrySettings, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
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

function apiError(error: MigrationApiError, operation: string, subject: string | undefined): ServiceError {
	const {auth, retryable} = statusOf(error);
	const hint = hintFor(error.code, auth, subject);
	return new ServiceError(service, `${operation} failed: ${error.code}: ${error.message}`, {
		status: error.status, code: error.code, requestId: error.requestId, retryable, auth, cause: error, ...(hint ? {hint} : {}),
	});
}

function networkError(failure: NetworkFailure, operation: string): ServiceError {
	return networkServiceError(service, operation, failure, 'Cannot reach the Data Online Migration endpoint; check it in the profile (for the local cloud: `ferry local-cloud status`).');
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

const userAgent = 'ferry/0.1 (Data Online Migration)';

type GatewayRequest = {
	headers: Record<string, string>;
	query: Record<string, string>;
	body?: XmlObject;
	stream?: string;
	hostMap: Record<string, string>;
	pathname: string;
	method: string;
	reqBodyType: string;
	bodyType: string;
	userAgent: string;
};

export function createOnlineMigrationClient(options: OnlineMigrationClientOptions) {
	const endpoint = parseEndpoint(options.endpoint, options.region);
	const timeoutMs = options.timeoutMs ?? 30_000;
	const gateway = new MigrationGateway({credentials: options.credentials, region: endpoint.region});

	type Call = {
		operation: string;
		method: 'GET' | 'POST' | 'PUT' | 'DELETE';
		pathname: string;
		query?: Record<string, string>;
		body?: XmlObject;
		subject?: string;
	};

	const pipeline = createHttpPipeline<HttpCall & {source: Call}>({
		service,
		logger: options.logger,
		timeoutMs,
		...(options.retry ? {retry: options.retry} : {}),
		interruptedMessage: 'Data Online Migration call interrupted',
		async sign(request, {source: call}) {
			// The gateway gets what @alicloud/openapi-client's execute path hands it, and says what to send.
			const gatewayRequest: GatewayRequest = {
				headers: {}, query: {...call.query}, ...(call.body ? {body: call.body} : {}), hostMap: {userid: options.accountId},
				pathname: call.pathname, method: call.method, reqBodyType: 'xml', bodyType: 'xml', userAgent,
			};
			await gateway.modifyRequest({request: gatewayRequest, configuration: {endpoint: endpoint.host}} as never);
			const {headers, query, pathname, stream} = gatewayRequest;
			const search = Object.entries(query).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
			return {
				method: request.method,
				url: new URL(`${endpoint.protocol}://${headers.host}${pathname}${search ? `?${search}` : ''}`),
				headers,
				...(stream === undefined ? {} : {body: stream}),
			};
		},
		requestId: response => response.headers.get('x-oss-request-id') ?? response.headers.get('x-acs-request-id') ?? undefined,
		classify(response, {source: call}) {
			const error = migrationApiError(response.status, response.text, response.headers.get('x-oss-request-id') ?? response.headers.get('x-acs-request-id') ?? undefined);
			return error && apiError(error, call.operation, call.subject);
		},
		unanswered: (failure, {source: call}) => networkError(failure, call.operation),
	});

	async function call(request: Call, callOptions: CallOptions = {}): Promise<XmlObject> {
		const response = await pipeline.send({
			operation: request.operation, method: request.method, url: new URL(`${endpoint.protocol}://${endpoint.host}${request.pathname}`), source: request,
			...(callOptions.signal ? {signal: callOptions.signal} : {}),
		});
		return xmlObject(parseXmlSafely(response.text));
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
