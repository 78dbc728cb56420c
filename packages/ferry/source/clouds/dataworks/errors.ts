/**
 * DataWorks errors as ferry errors. The OpenAPI gateway answers `{RequestId, HostId, Code, Message, Recommend}` with the
 * HTTP status; @alicloud/openapi-client throws them with `code`, `data.statusCode` and the body in `data`. Some
 * DataWorks actions also answer 200 with `Success: false` and `ErrorCode`/`ErrorMessage` (the 2020-05-18 response
 * models carry those fields).
 */
import {InterruptedError, ServiceError} from '../../engine/errors.js';
import {networkErrorMessage} from '../network-message.js';
import {isRetryableStatus} from '../retry.js';

export const serviceName = 'dataworks';

const authCodes = /^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken|SecurityTokenExpired|InvalidTimeStamp|Forbidden|NoPermission|InvalidCredentials)/;
const throttlingCodes = /^(Throttling|ServiceUnavailable|InternalError|ServiceTimeout|TooManyRequests)/i;

export type ApiErrorDetails = {status?: number; code: string; message: string; requestId?: string};

function hintFor(code: string, message: string, auth: boolean): string | undefined {
	if (/^InvalidTimeStamp/.test(code)) {
		return 'The request time differs from the service clock by more than 15 minutes: fix this machine\'s clock.';
	}

	if (auth) {
		return 'Check the Alibaba Cloud AccessKey in the profile (`ferry profiles test`) and that the RAM user may call dataworks:* in this workspace (e.g. AliyunDataWorksFullAccess) and is a member of it.';
	}

	if (/ProjectNotExist|Project.*NotExist|Tenant/i.test(code)) {
		return 'The DataWorks workspace id is wrong for this region, or the AccessKey\'s user is not a member of it: check the workspace id in the DataWorks console (Workspace page).';
	}

	if (/^Invalid path/i.test(message) || /Folder|Path/i.test(code)) {
		return 'The workflow folder must already exist (DataWorks cannot create workflows through this API): create the workflow in DataStudio, then give its "Data Integration" folder path, e.g. "Workflow/<name>/Data Integration".';
	}

	if (/resource group/i.test(message) || /ResourceGroup/i.test(code)) {
		return 'Give the identifier of a Data Integration resource group bound to this workspace (ListResourceGroups / DataWorks console → Resource Groups).';
	}

	if (/DataSource/i.test(code) || /data source/i.test(message)) {
		return 'Check the data source names in the job and that they exist in the workspace\'s production environment.';
	}

	if (/NotStandardMode|basic mode/i.test(`${code} ${message}`)) {
		return 'This workspace is in basic mode: SubmitFile already releases the node to production, skip DeployFile.';
	}

	return undefined;
}

export function dataWorksError(operation: string, details: ApiErrorDetails, cause?: unknown): ServiceError {
	const auth = authCodes.test(details.code) || details.status === 401;
	const retryable = !auth && (throttlingCodes.test(details.code) || (details.status !== undefined && isRetryableStatus(details.status)));
	const hint = hintFor(details.code, details.message, auth);
	return new ServiceError(serviceName, `${operation} failed: ${details.code}: ${details.message}`, {
		code: details.code,
		retryable,
		auth,
		...(details.status === undefined ? {} : {status: details.status}),
		...(details.requestId ? {requestId: details.requestId} : {}),
		...(hint ? {hint} : {}),
		...(cause === undefined ? {} : {cause}),
	});
}

const networkCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ReadTimeout', 'ConnectTimeout', 'EAI_AGAIN']);

/** Anything @alicloud/openapi-client or the network threw, as a ServiceError (InterruptedError passes through). */
export function toDataWorksError(error: unknown, operation: string): ServiceError | InterruptedError {
	if (error instanceof ServiceError || error instanceof InterruptedError) {
		return error;
	}

	const thrown = error as {code?: unknown; name?: unknown; message?: unknown; data?: Record<string, unknown>};
	const data = thrown.data;
	if (data && typeof data === 'object' && (data.Code !== undefined || data.code !== undefined)) {
		const status = typeof data.statusCode === 'number' ? data.statusCode : undefined;
		return dataWorksError(operation, {
			code: String(data.Code ?? data.code),
			message: String(data.Message ?? data.message ?? ''),
			...(status === undefined ? {} : {status}),
			...(typeof data.RequestId === 'string' ? {requestId: data.RequestId} : {}),
		}, error);
	}

	const code = typeof thrown.code === 'string' ? thrown.code : (typeof thrown.name === 'string' ? thrown.name : 'NetworkError');
	const message = networkErrorMessage(typeof thrown.message === 'string' ? thrown.message : String(error));
	return new ServiceError(serviceName, `${operation} failed: ${message}`, {
		code,
		cause: error,
		retryable: networkCodes.has(code) || /timeout|socket hang up|ECONNRESET/i.test(message),
		...(code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message) ? {hint: 'Cannot reach the DataWorks endpoint; check it in the profile (for the local cloud: `ferry local-cloud status`).'} : {}),
	});
}
