/**
 * Local stand-in for OSS Data Online Migration (hcs-mgw 2024-06-26): the ROA paths and XML shapes of the API
 * (as the vendor SDKs send them), OSS4-HMAC-SHA256 signatures checked, OSS-style `<Error>` answers with the
 * service's error codes, state persisted under dataDir, and jobs that really copy S3 → OSS.
 *
 * UpdateJob is served at `PUT /job/{jobName}`, the path of the Chinese API page and of every generated SDK; the
 * `PUT /UpdateJob/{jobName}` of the English page is not served. The account is the owner of the AccessKey; a
 * `{uid}.` host prefix, when present, must name that account.
 */
import {createHash, randomUUID} from 'node:crypto';
import type {StandInHandle} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {crashMessage, serveStandIn, StandInError, type StandInRequest} from '../stand-in-kit.js';
import {parseXml, toXml, xmlObject, xmlText, type XmlObject} from 'ferry/clouds/online-migration/xml';
import type {AlibabaIdentities} from '../identity/alibaba.js';
import {JobRunner, reportPrefix, type OssAccess} from './runner.js';
import {checkMgwSignature} from './signature-check.js';
import {StateFile, type AddressRecord, type JobRecord, type RunRecord} from './state.js';

export type OnlineMigrationStandInOptions = {
	dataDir: string;
	region: string;
	accountId: string;
	credentials: {accessKeyId: string; secret: string};
	/** The OSS the service writes to. */
	oss: OssAccess;
	/** The account whose RAM roles OSS addresses name. */
	identities: AlibabaIdentities;
	port?: number;
};

const namePattern = /^[\w-]{3,63}$/;
const overwriteModes = new Set(['always', 'never']);
const transferModes = new Set(['all', 'lastmodified', 'changed', '']);
const activeStatuses = new Set(['IMPORT_JOB_LAUNCHING', 'IMPORT_JOB_PREPARING', 'IMPORT_JOB_DOING']);
const maxSkewMs = 15 * 60 * 1000;

function addressXml(address: AddressRecord, accountId: string): XmlObject {
	const {AccessSecret: _secret, ...detail} = address.detail;
	void _secret;
	return {
		Name: address.name,
		Owner: accountId,
		AddressDetail: detail,
		Status: address.verify?.status ?? 'unverified',
		VerifyTime: address.verify?.time,
		VerifyResult: address.verify ? {HttpCode: address.verify.httpCode, ErrorCode: address.verify.errorCode, ErrorMsg: address.verify.errorMessage} : undefined,
		CreateTime: address.createTime,
		ModifyTime: address.modifyTime,
		Version: address.version,
	};
}

function jobXml(job: JobRecord, accountId: string): XmlObject {
	return {
		Name: job.name,
		Owner: accountId,
		SrcAddress: job.srcAddress,
		DestAddress: job.destAddress,
		OverwriteMode: job.overwriteMode,
		TransferMode: job.transferMode,
		CreateReport: job.createReport,
		Status: job.status,
		Version: job.version,
		CreateTime: job.createTime,
		ModifyTime: job.modifyTime,
	};
}

function runXml(job: JobRecord, run: RunRecord): XmlObject {
	return {
		Name: job.name,
		JobVersion: job.version,
		RuntimeId: String(run.runtimeId),
		Status: run.status,
		ListStatus: run.listStatus,
		TotalCount: run.totalCount,
		TotalSize: run.totalSize,
		CopiedCount: run.copiedCount,
		CopiedSize: run.copiedSize,
		FailedCount: run.failedCount,
		Message: run.message,
		StartTime: run.startTime,
		EndTime: run.endTime,
	};
}

export async function startOnlineMigrationStandIn(options: OnlineMigrationStandInOptions): Promise<StandInHandle> {
	const state = new StateFile(options.dataDir);
	await state.open();
	const runner = new JobRunner({state, region: options.region, accountId: options.accountId, oss: options.oss, identities: options.identities});
	const faults = createFaultPoint();

	// Jobs that were copying when the stand-in stopped carry on, as the service's would.
	for (const job of Object.values(state.state.jobs)) {
		const run = job.runs.at(-1);
		if (run && activeStatuses.has(job.status)) {
			runner.launch(job, run);
		}
	}

	const authenticate = (request: StandInRequest) => {
		const {incoming, body} = request;
		if (!request.headers.authorization) {
			throw new StandInError(403, 'AccessDenied', 'The request is not signed: the Authorization header is missing.');
		}

		const check = checkMgwSignature(
			{method: request.method, url: request.target, headers: incoming.headers},
			{accessKeyId: options.credentials.accessKeyId, secret: options.credentials.secret, region: options.region, maxSkewMs},
		);
		if (!check.ok) {
			throw new StandInError(check.status, check.code, check.message);
		}

		const contentMd5 = request.headers['content-md5'];
		if (body.length > 0 && contentMd5 !== createHash('md5').update(body).digest('base64')) {
			throw new StandInError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
		}

		const firstLabel = (request.headers.host ?? '').split('.')[0] ?? '';
		if (/^\d{6,}$/.test(firstLabel) && firstLabel !== options.accountId) {
			throw new StandInError(403, 'AccessDenied', 'The account in the host name does not own this AccessKey.');
		}
	};

	const findJob = (name: string) => {
		const job = state.state.jobs[name];
		if (!job) {
			throw new StandInError(404, 'NoSuchImportJob', 'The specified job does not exist.');
		}

		return job;
	};

	const findAddress = (name: string) => {
		const address = state.state.addresses[name];
		if (!address) {
			throw new StandInError(404, 'NoSuchImportAddress', 'The specified address does not exist.');
		}

		return address;
	};

	const createAddress = async (document: XmlObject) => {
		const input = xmlObject(document.ImportAddress);
		const name = xmlText(input.Name);
		const detail = xmlObject(input.AddressDetail);
		const type = xmlText(detail.AddressType);
		if (!name || !type || !xmlText(detail.Bucket)) {
			throw new StandInError(400, 'MissingArgument', 'Name, AddressDetail.AddressType and AddressDetail.Bucket are required.');
		}

		if (!namePattern.test(name)) {
			throw new StandInError(400, 'InvalidArgument', 'The name must be 3 to 63 letters, digits, underscores or hyphens.');
		}

		if (type !== 's3' && type !== 'oss') {
			throw new StandInError(400, 'ImportAddressTypeInvalid', `The address type "${type}" is not supported by the local cloud.`);
		}

		const required = type === 's3' ? ['Domain', 'AccessId', 'AccessSecret'] : ['RegionId', 'Role'];
		const missing = required.filter(field => !xmlText(detail[field]));
		if (missing.length > 0) {
			throw new StandInError(400, 'MissingArgument', `An ${type} address needs ${missing.join(', ')}.`);
		}

		if (state.state.addresses[name]) {
			throw new StandInError(409, 'ImportAddressAlreadyExist', 'The address already exists.');
		}

		const now = new Date().toISOString();
		const record: AddressRecord = {name, createTime: now, modifyTime: now, version: randomUUID(), detail: {AddressType: type, Bucket: xmlText(detail.Bucket) ?? '', Prefix: xmlText(detail.Prefix) ?? ''}};
		for (const field of ['Domain', 'RegionId', 'AccessId', 'AccessSecret', 'Role'] as const) {
			const value = xmlText(detail[field]);
			if (value !== undefined) {
				record.detail[field] = value;
			}
		}

		state.state.addresses[name] = record;
		await state.save();
	};

	const createJob = async (document: XmlObject) => {
		const input = xmlObject(document.ImportJob);
		const name = xmlText(input.Name);
		const source = xmlText(input.SrcAddress);
		const destination = xmlText(input.DestAddress);
		const overwriteMode = xmlText(input.OverwriteMode) ?? 'always';
		const transferMode = xmlText(input.TransferMode) ?? '';
		if (!name || !source || !destination) {
			throw new StandInError(400, 'MissingArgument', 'Name, SrcAddress and DestAddress are required.');
		}

		if (!namePattern.test(name)) {
			throw new StandInError(400, 'InvalidArgument', 'The job name must be 3 to 63 letters, digits, underscores or hyphens.');
		}

		if (!overwriteModes.has(overwriteMode) || !transferModes.has(transferMode)) {
			throw new StandInError(400, 'InvalidArgument', 'OverwriteMode must be always or never; TransferMode all, lastmodified, changed or empty.');
		}

		if (source === destination) {
			throw new StandInError(400, 'ImportJobRepeatedOnSameAddress', 'The source and destination addresses are the same.');
		}

		if (state.state.jobs[name]) {
			throw new StandInError(409, 'ImportJobAlreadyExist', 'The job already exists.');
		}

		findAddress(source);
		findAddress(destination);
		const now = new Date().toISOString();
		state.state.jobs[name] = {
			name, srcAddress: source, destAddress: destination, overwriteMode, transferMode, createReport: xmlText(input.CreateReport) !== 'false',
			status: 'IMPORT_JOB_BEGIN', version: randomUUID(), createTime: now, modifyTime: now, runs: [],
		};
		await state.save();
	};

	const updateJob = async (name: string, document: XmlObject) => {
		const job = findJob(name);
		const input = xmlObject(document.ImportJob);
		const status = xmlText(input.Status);
		if (!status) {
			if (input.ImportQos !== undefined) {
				return;
			}

			throw new StandInError(400, 'MissingArgument', 'ImportJob.Status or ImportJob.ImportQos is required.');
		}

		const now = new Date().toISOString();
		if (status === 'IMPORT_JOB_LAUNCHING') {
			if (activeStatuses.has(job.status) || runner.isRunning(name)) {
				throw new StandInError(409, 'ImportJobConflictOnUpdateStatus', 'The job is already running.');
			}

			const run: RunRecord = {
				runtimeId: job.runs.length + 1, status, listStatus: 'Preparing', totalCount: 0, totalSize: 0, copiedCount: 0, copiedSize: 0,
				failedCount: 0, skippedCount: 0, message: '', startTime: now, failedKeys: [],
			};
			job.runs.push(run);
			job.status = status;
			job.modifyTime = now;
			await state.save();
			runner.launch(job, run);
			return;
		}

		if (status === 'IMPORT_JOB_SUSPEND' || status === 'IMPORT_JOB_CLOSING') {
			runner.stop(name);
			job.status = status;
			job.modifyTime = now;
			const run = job.runs.at(-1);
			if (run && !run.endTime) {
				run.status = status;
			}

			await state.save();
			return;
		}

		throw new StandInError(400, 'InvalidImportJobStatus', `The status "${status}" cannot be set.`);
	};

	const getReport = (query: URLSearchParams): XmlObject => {
		const version = query.get('version');
		if (!version) {
			throw new StandInError(400, 'MissingArgument', 'version is required.');
		}

		const job = Object.values(state.state.jobs).find(item => item.version === version);
		if (!job) {
			throw new StandInError(404, 'NoSuchImportJob', 'No job has that version.');
		}

		const runtimeId = query.get('runtimeId');
		const run = runtimeId ? job.runs.find(item => String(item.runtimeId) === runtimeId) : job.runs.at(-1);
		if (!run) {
			throw new StandInError(404, 'NoSuchImportJobRunTimeId', 'The specified runtime id does not exist.');
		}

		const finished = Boolean(run.endTime);
		const prefix = reportPrefix(options.accountId, job, run);
		return {GetReportResponse: {
			Status: finished ? 'Finished' : 'Running',
			TotalCount: run.totalCount,
			CopiedCount: run.copiedCount,
			FailedCount: run.failedCount,
			SkippedCount: run.skippedCount,
			ErrorMessage: run.message || undefined,
			TotalListPrefix: `${prefix}total_list/`,
			FailedListPrefix: `${prefix}failed_list/`,
			SkippedListPrefix: `${prefix}skipped_list/`,
			JobCreateTime: job.createTime,
			JobExecuteTime: run.startTime,
			JobEndTime: run.endTime,
			ReportCreateTime: run.reportCreateTime,
			ReportEndTime: run.reportCreateTime,
		}};
	};

	const route = async (request: StandInRequest): Promise<{status: number; body?: XmlObject}> => {
		const {method, url, body} = request;
		const segments = url.pathname.split('/').filter(Boolean).map(segment => decodeURIComponent(segment));
		const [resource, name] = segments;
		const document = body.length > 0 ? parseXml(body.toString('utf8')) : {};
		if (segments.length === 1 && resource === 'address' && method === 'POST') {
			await createAddress(document);
			return {status: 200};
		}

		if (segments.length === 2 && resource === 'address' && method === 'GET' && name) {
			const address = findAddress(name);
			if (url.searchParams.has('verify')) {
				address.verify = await runner.verify(address);
				address.modifyTime = address.verify.time;
				await state.save();
				const {verify} = address;
				return {status: 200, body: {VerifyAddressResponse: {Status: verify.status, VerifyTime: verify.time, ErrorCode: verify.errorCode || undefined, ErrorMessage: verify.errorMessage || undefined}}};
			}

			return {status: 200, body: {ImportAddress: addressXml(address, options.accountId)}};
		}

		if (segments.length === 1 && resource === 'addresslist' && method === 'GET') {
			const count = Number(url.searchParams.get('count') ?? 100);
			const marker = url.searchParams.get('marker') ?? '';
			const names = Object.keys(state.state.addresses).sort().filter(item => item > marker);
			const page = names.slice(0, count);
			const truncated = names.length > page.length;
			return {status: 200, body: {ImportAddressList: {
				ImportAddress: page.map(item => addressXml(state.state.addresses[item]!, options.accountId)),
				Truncated: truncated,
				NextMarker: truncated ? page.at(-1) : undefined,
			}}};
		}

		if (segments.length === 1 && resource === 'job' && method === 'POST') {
			await createJob(document);
			return {status: 200};
		}

		if (segments.length === 2 && resource === 'job' && name && method === 'GET') {
			return {status: 200, body: {ImportJob: jobXml(findJob(name), options.accountId)}};
		}

		if (segments.length === 2 && resource === 'job' && name && method === 'PUT') {
			await updateJob(name, document);
			return {status: 200};
		}

		if (segments.length === 2 && resource === 'jobhistory' && name && method === 'GET') {
			const job = findJob(name);
			const runtimeId = url.searchParams.get('runtimeId');
			const runs = [...job.runs].reverse().filter(run => !runtimeId || String(run.runtimeId) === runtimeId);
			return {status: 200, body: {JobHistoryList: {JobHistory: runs.map(run => runXml(job, run)), Truncated: false}}};
		}

		if (segments.length === 1 && resource === 'report' && method === 'POST') {
			const input = xmlObject(document.CreateReport);
			const job = findJob(xmlText(input.JobName) ?? '');
			const runtimeId = xmlText(input.RuntimeId);
			const run = runtimeId ? job.runs.find(item => String(item.runtimeId) === runtimeId) : job.runs.at(-1);
			if (!run) {
				throw new StandInError(404, 'NoSuchImportJobRunTimeId', 'The specified runtime id does not exist.');
			}

			run.reportCreateTime ??= new Date().toISOString();
			await state.save();
			return {status: 200};
		}

		if (segments.length === 1 && resource === 'report' && method === 'GET') {
			return {status: 200, body: getReport(url.searchParams)};
		}

		throw new StandInError(404, 'InvalidArgument', `${method} ${url.pathname} is not an operation of hcs-mgw 2024-06-26.`);
	};

	const {port, stop} = await serveStandIn({
		port: options.port,
		faults,
		requestId: () => randomUUID().replaceAll('-', '').toUpperCase().slice(0, 24),
		body: {limit: 1024 * 1024, tooLarge: () => new StandInError(400, 'InvalidArgument', 'The request body is too large.')},
		authenticate,
		async route(request) {
			const result = await route(request);
			return {status: result.status, body: result.body ? toXml(result.body) : ''};
		},
		errorBody: (error, request) => toXml({Error: {Code: error.code, Message: error.message, RequestId: request.id, HostId: request.headers.host ?? ''}}),
		internalError: error => new StandInError(500, 'InternalError', crashMessage(error)),
		headers: request => ({'content-type': 'application/xml', 'x-oss-request-id': request.id}),
	});
	return {
		name: 'online-migration',
		url: `http://127.0.0.1:${port}`,
		port,
		async close() {
			runner.stopAll();
			await stop();
			await state.save();
		},
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
