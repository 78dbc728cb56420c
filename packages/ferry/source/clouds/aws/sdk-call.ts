/**
 * What ferry's AWS SDK v3 clients for IAM, STS and the Redshift management API share: the client settings (endpoint
 * from the profile, credentials, the `*.localhost`-aware request handler, no SDK retries of its own) and one call
 * wrapper that logs every attempt, retries throttling and 5xx with jitter (never a 4xx), and turns the SDK's error
 * into a ServiceError carrying the service's own code, status and request id (access problems exit 3).
 */
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types';
import {ServiceError} from '../../engine/errors.js';
import {silentLogger, type Logger} from '../../log/logger.js';
import {createRequestHandler} from '../http-agent.js';
import {isRetryableStatus, withRetry} from '../retry.js';

export type AwsClientOptions = {
	region: string;
	/** The local stand-in's URL, or a profile's override; unset for AWS's own endpoint. */
	endpoint?: string;
	credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
	logger?: Logger;
	/** Attempts per call for throttling and 5xx. @default 4 */
	attempts?: number;
	retryBaseDelayMs?: number;
};

export type CallOptions = {signal?: AbortSignal};

/**
 * The settings every one of these SDK clients is built with. `awsEndpoint` is the service's own endpoint, which
 * decides the proxy (HTTPS_PROXY, NO_PROXY) when the profile names none, as for every client.
 */
export function sdkClientConfig(options: AwsClientOptions, awsEndpoint: string) {
	return {
		region: options.region,
		...(options.endpoint ? {endpoint: options.endpoint} : {}),
		credentials: options.credentials,
		// ferry retries itself so that each attempt is logged and a 4xx is never retried.
		maxAttempts: 1,
		requestHandler: createRequestHandler({requestTimeoutMs: 30_000, connectTimeoutMs: 10_000, endpoint: options.endpoint ?? awsEndpoint}),
	};
}

type SdkErrorShape = {name?: string; Code?: string; message?: string; $metadata?: {httpStatusCode?: number; requestId?: string}};

const throttling = /^(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException|ServiceUnavailable|InternalFailure|ServiceFailure)$/;
const credentialCodes = /^(InvalidClientTokenId|SignatureDoesNotMatch|IncompleteSignature|MissingAuthenticationToken|ExpiredToken|ExpiredTokenException|UnrecognizedClientException|InvalidAccessKeyId)$/;

/** The service's error code of an SDK error or of the ServiceError made from one. */
export function awsErrorCode(error: unknown): string | undefined {
	if (error instanceof ServiceError) {
		return error.code;
	}

	const shape = error as SdkErrorShape | undefined;
	return shape?.Code ?? shape?.name;
}

export function isRetryableAwsError(error: unknown): boolean {
	if (error instanceof ServiceError) {
		return error.retryable;
	}

	const shape = error as SdkErrorShape;
	const status = shape.$metadata?.httpStatusCode;
	if (status === undefined) {
		return ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes((error as NodeJS.ErrnoException).code ?? '');
	}

	return throttling.test(awsErrorCode(error) ?? '') || isRetryableStatus(status);
}

function toServiceError(service: string, operation: string, error: unknown): unknown {
	if (error instanceof ServiceError || (error instanceof Error && error.name === 'AbortError')) {
		return error;
	}

	const shape = error as SdkErrorShape;
	const status = shape.$metadata?.httpStatusCode;
	if (status === undefined) {
		return error;
	}

	const code = awsErrorCode(error) ?? 'UnknownError';
	// A denied IAM call is not a credentials problem: the keys work, they may not do this one thing (the caller decides).
	const auth = credentialCodes.test(code);
	return new ServiceError(service, `${operation}: ${code}: ${shape.message ?? 'request failed'}`, {
		status,
		code,
		requestId: shape.$metadata?.requestId,
		retryable: isRetryableAwsError(error),
		auth,
		...(auth ? {hint: 'Check the AWS credentials of the profile (`ferry profiles test`).'} : {}),
		cause: error,
	});
}

/** `call('GetRole', signal => client.send(new GetRoleCommand(…), {abortSignal: signal}))`, logged and retried. */
export function createSdkCaller(service: string, options: Pick<AwsClientOptions, 'logger' | 'attempts' | 'retryBaseDelayMs'>) {
	const logger = options.logger ?? silentLogger;
	return async function call<T>(operation: string, send: (signal: AbortSignal | undefined) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
		return withRetry(async attempt => {
			const started = performance.now();
			try {
				const output = await send(callOptions.signal);
				const metadata = (output as {$metadata?: {httpStatusCode?: number; requestId?: string}}).$metadata;
				logger.request({service, operation, status: metadata?.httpStatusCode, durationMs: performance.now() - started, requestId: metadata?.requestId, attempt});
				return output;
			} catch (error) {
				const shape = error as SdkErrorShape;
				logger.request({service, operation, status: shape.$metadata?.httpStatusCode ?? shape.name, durationMs: performance.now() - started, requestId: shape.$metadata?.requestId, attempt, error: awsErrorCode(error) ?? String(error)});
				throw toServiceError(service, operation, error);
			}
		}, {attempts: options.attempts ?? 4, baseDelayMs: options.retryBaseDelayMs ?? 200, signal: callOptions.signal, isRetryable: isRetryableAwsError});
	};
}
