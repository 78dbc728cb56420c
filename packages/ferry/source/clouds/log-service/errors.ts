/**
 * Log Service error answers turned into ferry errors. The service answers a non-2xx status with
 * `{"errorCode": "...", "errorMessage": "..."}` and the `x-log-requestid` header (doc "Error codes", doc-detail/29013;
 * codes from aliyun-log-go-sdk `error_code.go`). Which codes are retried follows the SDKs: aliyun-log-python-sdk
 * `logclient.py` `_send` retries InternalServerError, RequestTimeout and every 5xx; quota answers (WriteQuotaExceed and
 * ReadQuotaExceed, HTTP 403, and their per-shard forms) and ServerBusy mean "not now" and are retried too.
 */
import {ServiceError} from '../../engine/errors.js';

export const serviceName = 'Log Service';

export type LogErrorBody = {code: string | undefined; message: string};

/** The keys, the signature or the account: exit 3, never retried. */
const authCodes = new Set([
	'Unauthorized', 'InvalidAccessKeyId', 'SignatureNotMatch', 'ProjectForbidden', 'MissAccessKeyId',
	'SecurityTokenExpired', 'SecurityToken.Expired', 'InvalidSecurityToken',
]);
const clockCodes = new Set(['RequestTimeExpired', 'RequestTimeTooSkewed', 'InvalidRequestTime']);
const retryableCodes = new Set([
	'WriteQuotaExceed', 'ShardWriteQuotaExceed', 'ReadQuotaExceed', 'ShardReadQuotaExceed', 'ServerBusy',
	'InternalServerError', 'RequestTimeout',
]);

/** The `…AlreadyExist` answer of each create call; the create methods turn it into `{created: false}`. */
export const alreadyExistCodes = {
	project: 'ProjectAlreadyExist',
	logstore: 'LogStoreAlreadyExist',
	index: 'IndexAlreadyExist',
} as const;

export function parseErrorBody(status: number, text: string): LogErrorBody {
	try {
		const body = JSON.parse(text) as {errorCode?: unknown; errorMessage?: unknown};
		if (typeof body.errorCode === 'string' && body.errorCode !== '') {
			return {code: body.errorCode, message: typeof body.errorMessage === 'string' ? body.errorMessage : ''};
		}
	} catch {
		// Not JSON (a proxy's HTML page, say): keep the status and the start of the text.
	}

	return {code: undefined, message: text.trim().slice(0, 200) || `HTTP ${status}`};
}

export type ErrorContext = {operation: string; endpoint: string; project?: string; logstore?: string};

export function isAuthError(status: number, code: string | undefined): boolean {
	if (code !== undefined && (authCodes.has(code) || clockCodes.has(code))) {
		return true;
	}

	// A 403 that is not a quota answer is a permission refusal (RAM policy, overdue account).
	return status === 401 || (status === 403 && !(code !== undefined && retryableCodes.has(code)));
}

export function isRetryableError(status: number, code: string | undefined): boolean {
	if (isAuthError(status, code)) {
		return false;
	}

	return (code !== undefined && retryableCodes.has(code)) || status === 429 || status >= 500;
}

function hintFor(status: number, code: string | undefined, context: ErrorContext): string | undefined {
	if (code !== undefined && clockCodes.has(code)) {
		return 'Synchronise this machine\'s clock (NTP): Log Service refuses requests whose Date is more than 15 minutes off.';
	}

	if (isAuthError(status, code)) {
		return 'Check the AccessKey (and STS token) of the profile and that it may use this Log Service project (`ferry profiles test`).';
	}

	switch (code) {
		case 'ProjectNotExist':
			return `Check the project name${context.project ? ` "${context.project}"` : ''} and that the endpoint ${context.endpoint} is in the project's region.`;
		case 'LogStoreNotExist':
			return `Check the logstore name${context.logstore ? ` "${context.logstore}"` : ''}; ferry creates it in the Log Service step.`;
		case 'IndexConfigNotExist':
			return `The logstore${context.logstore ? ` "${context.logstore}"` : ''} has no index, so it cannot be searched or counted; create the index before writing (logs written earlier stay unindexed).`;
		case 'WriteQuotaExceed':
		case 'ShardWriteQuotaExceed':
			return 'The logstore is writing at its shards\' limit; add shards or write more slowly.';
		case 'ReadQuotaExceed':
		case 'ShardReadQuotaExceed':
			return 'Too many queries at once; wait a minute and run the step again.';
		default:
			return undefined;
	}
}

export function logServiceError(status: number, body: LogErrorBody, requestId: string | undefined, context: ErrorContext): ServiceError {
	const auth = isAuthError(status, body.code);
	const hint = hintFor(status, body.code, context);
	const what = body.code ? `${body.code}: ${body.message}` : body.message;
	return new ServiceError(serviceName, `${context.operation} failed (HTTP ${status} ${what})`, {
		status,
		...(body.code ? {code: body.code} : {}),
		...(requestId ? {requestId} : {}),
		auth,
		retryable: isRetryableError(status, body.code),
		...(hint ? {hint} : {}),
	});
}
