/** Turns AWS SDK errors from S3 or OSS into ferry's typed errors with a one-line cause and a hint. */
import {ConfigurationError, ServiceError, isAbortError, type FerryError} from '../../engine/errors.js';

export type ObjectStoreErrorContext = {
	service: 'S3' | 'OSS';
	operation: string;
	endpoint: string;
	bucket?: string;
	key?: string;
	profileName?: string;
};

type SdkError = Error & {
	Code?: string;
	code?: string;
	$metadata?: {httpStatusCode?: number; requestId?: string};
	$fault?: string;
};

const authCodes = new Set(['AccessDenied', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'InvalidToken', 'ExpiredToken', 'TokenRefreshRequired', 'Forbidden', 'AllAccessDisabled', 'SecondLevelDomainForbidden']);
const retryableCodes = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests', 'RequestTimeout', 'InternalError', 'ServiceUnavailable', 'RequestTimeoutException', 'TimeoutError']);
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID']);
const transientNetworkCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET']);

function where(context: ObjectStoreErrorContext): string {
	if (context.bucket === undefined) {
		return '';
	}

	return ` on ${context.service === 'OSS' ? 'oss' : 's3'}://${context.bucket}${context.key === undefined ? '' : `/${context.key}`}`;
}

function profileHint(context: ObjectStoreErrorContext): string {
	return context.profileName
		? `Check the keys of profile "${context.profileName}" for ${context.service} (run \`ferry profiles test ${context.profileName}\`).`
		: `Check the ${context.service} access keys in the profile (run \`ferry profiles test\`).`;
}

/** Errors that are worth another attempt: throttling, 5xx and dropped connections; never 403. */
export function isRetryableObjectStoreError(error: unknown): boolean {
	return error instanceof ServiceError && error.retryable;
}

export function mapObjectStoreError(error: unknown, context: ObjectStoreErrorContext): unknown {
	if (isAbortError(error) || !(error instanceof Error) || (error as FerryError).exitCode !== undefined) {
		return error;
	}

	const sdkError = error as SdkError;
	const networkCode = sdkError.code ?? (sdkError.cause as NodeJS.ErrnoException | undefined)?.code;
	const status = sdkError.$metadata?.httpStatusCode;
	const requestId = sdkError.$metadata?.requestId;
	if (networkCode && unreachableCodes.has(networkCode)) {
		return new ConfigurationError(`${context.service}: cannot reach ${context.endpoint} (${networkCode})`, {
			hint: `Check the ${context.service} endpoint and region in the profile and your network; for the local cloud run \`ferry local-cloud status\`.`,
			cause: error,
			code: networkCode,
		});
	}

	if (status === undefined && (sdkError.name === 'TimeoutError' || (networkCode && transientNetworkCodes.has(networkCode)) || /socket hang up/i.test(sdkError.message))) {
		return new ServiceError(context.service, `${context.operation}${where(context)} failed: ${networkCode ?? sdkError.name} (${sdkError.message})`, {retryable: true, cause: error, code: networkCode ?? sdkError.name});
	}

	const statusNames: Record<number, string> = {403: 'Forbidden', 404: 'NotFound', 400: 'BadRequest', 503: 'ServiceUnavailable'};
	// HEAD answers carry no body, so the SDK only knows the status.
	const named = sdkError.Code ?? (['Error', 'Unknown', 'UnknownError'].includes(sdkError.name) ? undefined : sdkError.name);
	const code = named ?? (status === undefined ? 'UnknownError' : statusNames[status] ?? `HTTP${status}`);
	const serverMessage = sdkError.message && sdkError.message !== code && !['Unknown', 'UnknownError'].includes(sdkError.message) ? `: ${sdkError.message}` : '';
	const message = `${context.operation}${where(context)} failed with ${code}${status ? ` (HTTP ${status})` : ''}${serverMessage}`;
	const common = {status, requestId, cause: error, code};

	if (authCodes.has(code) || status === 403) {
		const hint = code === 'SecondLevelDomainForbidden'
			? 'OSS only accepts virtual-hosted style requests: remove the path-style option from the profile.'
			: code === 'AccessDenied' || code === 'Forbidden'
				? `${profileHint(context)} If the keys are right, they lack permission for ${context.operation}.`
				: profileHint(context);
		return new ServiceError(context.service, message, {...common, auth: true, hint});
	}

	if (code === 'AuthorizationHeaderMalformed' || code === 'PermanentRedirect' || code === 'IllegalLocationConstraintException') {
		return new ServiceError(context.service, message, {...common, auth: true, hint: `Check the ${context.service} region and endpoint in the profile; they must match the bucket's region.`});
	}

	if (code === 'NoSuchBucket' || (context.operation === 'HeadBucket' && status === 404)) {
		return new ServiceError(context.service, message, {...common, hint: `Create the bucket ${context.bucket ?? ''} first (or let ferry create it), or correct the bucket name.`});
	}

	const retryable = retryableCodes.has(code) || status === 429 || (status !== undefined && status >= 500 && status !== 501);
	return new ServiceError(context.service, message, {...common, retryable});
}
