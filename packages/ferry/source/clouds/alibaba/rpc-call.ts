/**
 * One Alibaba Cloud RPC API (RAM 2015-05-01, STS 2015-04-01) called the way the generated SDKs call it
 * (`acs3-rpc-signature.ts`: ACS3-HMAC-SHA256, parameters in the query of a POST, JSON answers), through ferry's HTTP
 * pipeline: each attempt logged, throttling and 5xx retried, and the service's `{Code, Message, RequestId}` turned
 * into a ServiceError with that code (a rejected key exits 3; a denied call is for the caller to read).
 */
import {ConfigurationError, ServiceError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {createHttpPipeline, type HttpCall, type HttpResponse, type RetrySettings} from '../http-pipeline.js';
import {networkServiceError} from '../network-message.js';
import {isRetryableStatus} from '../retry.js';
import {formOf, signRpcRequest} from './acs3-rpc-signature.js';

export type RpcClientOptions = {
	/** `ram.aliyuncs.com`, `https://…`, or the local cloud's `http://127.0.0.1:PORT`. */
	endpoint: string;
	credentials: AlibabaCredentialsProvider;
	logger?: Logger;
	/** Per request. @default 30000 */
	timeoutMs?: number;
	retry?: Pick<RetrySettings, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
};

export type CallOptions = {signal?: AbortSignal};
export type Json = Record<string, unknown>;

const credentialCodes = /^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken|SecurityTokenExpired|InvalidTimeStamp)/;
const throttlingCodes = /^(Throttling|ServiceUnavailable|InternalError|ServiceTimeout)/i;

function parseEndpoint(service: string, endpoint: string): {protocol: 'http' | 'https'; host: string} {
	try {
		const url = new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
		return {protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host};
	} catch {
		throw new ConfigurationError(`The ${service} endpoint "${endpoint}" is not a host name or URL.`);
	}
}

/** The service's error code of an error a call threw. */
export function rpcErrorCode(error: unknown): string | undefined {
	return error instanceof ServiceError ? error.code : undefined;
}

function json(response: HttpResponse): Json {
	try {
		const parsed: unknown = JSON.parse(response.text);
		return parsed && typeof parsed === 'object' ? parsed as Json : {};
	} catch {
		return {};
	}
}

/** The error an answer of HTTP 4xx/5xx stands for: its JSON `Code`, `Message` and `RequestId`. */
export function rpcAnswerError(service: string, action: string, response: HttpResponse): ServiceError {
	const body = json(response);
	const code = String(body['Code'] ?? body['code'] ?? `HTTP${response.status}`);
	const message = String(body['Message'] ?? body['message'] ?? (response.text.trim().slice(0, 200) || `HTTP ${response.status}`));
	const auth = credentialCodes.test(code);
	return new ServiceError(service, `${action}: ${code}: ${message}`, {
		code,
		status: response.status,
		...(typeof body['RequestId'] === 'string' ? {requestId: body['RequestId']} : {}),
		retryable: !auth && (throttlingCodes.test(code) || isRetryableStatus(response.status)),
		auth,
		...(auth ? {hint: 'Check the Alibaba Cloud AccessKey of the profile (`ferry profiles test`).'} : {}),
	});
}

type RpcCall = HttpCall & {query: Record<string, string>};

export function createRpcCaller(service: string, version: string, options: RpcClientOptions) {
	const endpoint = parseEndpoint(service, options.endpoint);
	const userAgent = `ferry/0.1 (${service} RPC)`;
	const pipeline = createHttpPipeline<RpcCall>({
		service,
		...(options.logger ? {logger: options.logger} : {}),
		timeoutMs: options.timeoutMs ?? 30_000,
		...(options.retry ? {retry: options.retry} : {}),
		interruptedMessage: `${service} call interrupted`,
		async sign(request, call) {
			const signed = await signRpcRequest({method: call.method, host: endpoint.host, action: call.operation, version, query: call.query, userAgent}, options.credentials);
			return {...request, ...signed};
		},
		requestId: response => {
			const id = json(response)['RequestId'];
			return typeof id === 'string' ? id : undefined;
		},
		classify: (response, call) => (response.status >= 400 ? rpcAnswerError(service, call.operation, response) : undefined),
		unanswered: (failure, call) => networkServiceError(service, call.operation, failure, `Cannot reach the ${service} endpoint; check it in the profile (for the local cloud: \`ferry local-cloud status\`).`),
	});

	/** `once`: a single attempt, for a create that must not be sent twice after a cut connection. */
	return async function call(action: string, parameters: Record<string, string | undefined>, callOptions: CallOptions & {once?: boolean} = {}): Promise<Json> {
		const query = Object.fromEntries(Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined));
		const search = formOf(query);
		const response = await pipeline.send({
			operation: action,
			method: 'POST',
			url: new URL(`${endpoint.protocol}://${endpoint.host}/${search ? `?${search}` : ''}`),
			query,
			...(callOptions.once ? {idempotent: false} : {}),
			...(callOptions.signal ? {signal: callOptions.signal} : {}),
		});
		return json(response);
	};
}
