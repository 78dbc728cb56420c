import {ServiceError} from '../engine/errors.js';
import type {NetworkFailure} from './http-pipeline.js';

/**
 * httpx (under the Alibaba Cloud OpenAPI client) appends the request to a network error's message without a
 * separator: "connect ECONNREFUSED 127.0.0.1:36363GET http://127.0.0.1:36363/?Action=… failed.". This gives the cause,
 * then the request in brackets without its query string (which carries the key id and signature). Other messages
 * pass unchanged.
 */
export function networkErrorMessage(message: string): string {
	const match = /^([\s\S]*?)(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) (\S+) failed\.$/.exec(message);
	if (!match) {
		return message;
	}

	const [, cause = '', method = '', url = ''] = match;
	const request = `${method} ${url.replace(/[?#].*$/, '')}`;
	return cause.trim() === '' ? `${request} failed` : `${cause.trim()} (${request})`;
}

const retryableNetworkCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN']);

/** `{operation} failed: …` for a call that got no answer: a timeout or a cut connection is retryable, a refusal not. */
export function networkServiceError(service: string, operation: string, failure: NetworkFailure, unreachableHint: string): ServiceError {
	if (failure.timedOutMs !== undefined) {
		return new ServiceError(service, `${operation} failed: no answer within ${failure.timedOutMs} ms`, {code: failure.code, cause: failure.cause, retryable: true});
	}

	const message = networkErrorMessage(failure.cause instanceof Error ? failure.cause.message : String(failure.cause));
	const {method, url} = failure.request;
	return new ServiceError(service, `${operation} failed: ${message} (${method} ${url.origin}${url.pathname})`, {
		code: failure.code,
		cause: failure.cause,
		retryable: retryableNetworkCodes.has(failure.code) || /timeout|socket hang up/i.test(message),
		...(failure.code === 'ECONNREFUSED' ? {hint: unreachableHint} : {}),
	});
}
