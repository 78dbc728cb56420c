/**
 * DataHub answers a failed call with a non-2xx status, a JSON body `{"ErrorCode","ErrorMessage","ErrorDetail"?}` and the
 * `x-datahub-request-id` header (aliyun-datahub-sdk-python `datahub/rest.py`, `datahub/exceptions.py`). This turns that
 * into ferry's ServiceError: credentials problems are exit 3 and never retried; throttling, 5xx and network failures are
 * retryable (aliyun-datahub-sdk-go `datahub/error.go` IsRetryableError); `*AlreadyExist` keeps its code for the callers
 * that treat it as "already done".
 */
import {ServiceError} from '../../engine/errors.js';
import {redact} from '../../log/redact.js';

export const serviceName = 'DataHub';

export type DataHubErrorBody = {code: string | undefined; message: string; requestId: string | undefined};

export type DataHubErrorContext = {
	operation: string;
	endpoint: string;
	project?: string;
	topic?: string;
	connectorId?: string;
};

export function parseDataHubErrorBody(status: number, text: string, requestIdHeader: string | undefined): DataHubErrorBody {
	const trimmed = text.trim();
	if (trimmed.startsWith('{')) {
		try {
			const parsed = JSON.parse(trimmed) as {ErrorCode?: unknown; ErrorMessage?: unknown; RequestId?: unknown};
			if (typeof parsed.ErrorCode === 'string' && parsed.ErrorCode !== '') {
				return {
					code: parsed.ErrorCode,
					message: typeof parsed.ErrorMessage === 'string' && parsed.ErrorMessage !== '' ? parsed.ErrorMessage : `HTTP ${status}`,
					requestId: requestIdHeader ?? (typeof parsed.RequestId === 'string' ? parsed.RequestId : undefined),
				};
			}
		} catch {
			// Not JSON after all (a gateway page); keep the raw text below.
		}
	}

	return {code: undefined, message: trimmed.slice(0, 300) || `HTTP ${status}`, requestId: requestIdHeader};
}

const authCodes = new Set(['Unauthorized', 'NoPermission', 'InvalidAccessKeyId', 'SignatureNotMatch', 'SignatureDoesNotMatch', 'InvalidSecurityToken', 'SecurityTokenExpired', 'AccessDenied']);
const retryableCodes = new Set(['LimitExceeded', 'InternalServerError', 'ServiceUnavailable', 'ServiceInProcess', 'ConsumerGroupInProcess', 'Throttling']);

export function isAlreadyExistCode(code: string | undefined): boolean {
	return code !== undefined && /AlreadyExists?$/.test(code);
}

/** True for `ProjectAlreadyExist`, `TopicAlreadyExist`, `ConnectorAlreadyExist` (and `ResourceAlreadyExist`). */
export function isAlreadyExistError(error: unknown): error is ServiceError {
	return error instanceof ServiceError && error.service === serviceName && isAlreadyExistCode(error.code);
}

function where(context: DataHubErrorContext): string {
	if (context.connectorId) {
		return ` (connector ${context.connectorId} of ${context.project}/${context.topic})`;
	}

	if (context.topic) {
		return ` (${context.project}/${context.topic})`;
	}

	return context.project ? ` (project ${context.project})` : '';
}

function notFoundHint(code: string, context: DataHubErrorContext): string | undefined {
	switch (code) {
		case 'NoSuchProject': {
			return `Create the DataHub project "${context.project ?? ''}" (console or \`createProject\`) or check its name and that the endpoint ${context.endpoint} is in the project's region.`;
		}

		case 'NoSuchTopic': {
			return `Create the topic "${context.topic ?? ''}" in project "${context.project ?? ''}" or check its name; topics are per region (${context.endpoint}).`;
		}

		case 'NoSuchConnector': {
			return `The connector "${context.connectorId ?? ''}" does not exist on ${context.project ?? ''}/${context.topic ?? ''}: create the sink_odps connector again or check the id recorded by the previous run.`;
		}

		case 'NoSuchShard': {
			return 'List the shards again: the shard may have been split or merged.';
		}

		default: {
			return undefined;
		}
	}
}

export function dataHubError(status: number, body: DataHubErrorBody, context: DataHubErrorContext): ServiceError {
	const code = body.code;
	const common = {status, requestId: body.requestId, code};
	const described = redact(code ? `${code}: ${body.message}` : body.message);
	const deniedOperation = code === 'OperationDenied' || code === 'InvalidOperation' || code === 'LimitExceeded';
	if (status === 401 || (status === 403 && !deniedOperation) || (code !== undefined && authCodes.has(code))) {
		const clock = /time|date|expire|skew/i.test(body.message);
		return new ServiceError(serviceName, `${context.operation}: the credentials were refused${where(context)} (${described})`, {
			...common,
			auth: true,
			hint: clock
				? 'Check this machine\'s clock (NTP) and, for STS keys, that the token has not expired.'
				: code === 'NoPermission'
					? 'Grant the account the DataHub permission for this project/topic (RAM policy) or use keys of the project owner.'
					: 'Check the AccessKey ID and secret (and the STS token, if any) in the profile.',
		});
	}

	if (code !== undefined && /^NoSuch/.test(code)) {
		return new ServiceError(serviceName, `${context.operation}: ${described}${where(context)}`, {...common, hint: notFoundHint(code, context)});
	}

	if (isAlreadyExistCode(code)) {
		return new ServiceError(serviceName, `${context.operation}: ${described}${where(context)}`, common);
	}

	const retryable = status === 429 || status >= 500 || (code !== undefined && retryableCodes.has(code));
	return new ServiceError(serviceName, `${context.operation}: HTTP ${status} ${described}${where(context)}`, {
		...common,
		retryable,
		hint: code === 'InvalidSchema' || code === 'MalformedRecord' ? 'The record values must match the topic schema: one string (or null) per field, in schema order.' : undefined,
	});
}

/** A request that never got an answer: refused, reset, timed out. Retryable; the message names no secret. */
export function dataHubNetworkError(operation: string, endpoint: string, cause: unknown, timedOutMs: number | undefined): ServiceError {
	if (timedOutMs !== undefined) {
		return new ServiceError(serviceName, `${operation} timed out after ${timedOutMs} ms`, {retryable: true, cause, code: 'Timeout'});
	}

	const errno = (cause as {code?: unknown}).code;
	const reason = typeof errno === 'string' ? errno : cause instanceof Error ? cause.message : String(cause);
	return new ServiceError(serviceName, `${operation} could not reach ${endpoint} (${redact(reason)})`, {
		retryable: true,
		cause,
		code: typeof errno === 'string' ? errno : 'NetworkError',
		hint: 'Check the DataHub endpoint in the profile (https://dh-<region>.aliyuncs.com) and the network; for the local cloud run `ferry local-cloud status`.',
	});
}
