/**
 * DataWorks errors as ferry errors. The OpenAPI gateway answers `{RequestId, HostId, Code, Message, Recommend}` with the
 * HTTP status (as JSON, or as XML `<Error>` when it says `text/xml`, the way @alicloud/openapi-client reads both). Some
 * DataWorks actions also answer 200 with `Success: false` and `ErrorCode`/`ErrorMessage` (the 2020-05-18 response
 * models carry those fields).
 */
import {XMLParser} from 'fast-xml-parser';
import {ServiceError} from '../../engine/errors.js';
import type {NetworkFailure} from '../http-pipeline.js';
import {networkServiceError} from '../network-message.js';
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

const xmlParser = new XMLParser({parseTagValue: false, trimValues: true});

/** The error a gateway answer of HTTP 4xx/5xx stands for: its JSON (or XML) `Code`, `Message` and `RequestId`. */
export function dataWorksAnswerError(operation: string, status: number, text: string): ServiceError {
	let body: Record<string, unknown> = {};
	try {
		const trimmed = text.trim();
		const parsed: unknown = trimmed.startsWith('<') ? (xmlParser.parse(trimmed) as {Error?: unknown}).Error : JSON.parse(trimmed);
		body = parsed && typeof parsed === 'object' ? parsed as Record<string, unknown> : {};
	} catch {
		// Not JSON or XML (a proxy's page, say): the status and the start of the text below.
	}

	const code = body.Code ?? body.code;
	const message = body.Message ?? body.message;
	return dataWorksError(operation, {
		code: code === undefined ? `HTTP${status}` : String(code),
		message: message === undefined ? (text.trim().slice(0, 200) || `HTTP ${status}`) : String(message),
		status,
		...(typeof body.RequestId === 'string' ? {requestId: body.RequestId} : {}),
	});
}

/** A call that got no answer, as a ServiceError: refused, reset, timed out. */
export function dataWorksNetworkError(operation: string, failure: NetworkFailure): ServiceError {
	return networkServiceError(serviceName, operation, failure, 'Cannot reach the DataWorks endpoint; check it in the profile (for the local cloud: `ferry local-cloud status`).');
}
