/**
 * What every Alibaba Cloud RPC-style stand-in (DataWorks, RAM, STS) does with a request before its action runs, on the
 * stand-in kit: read the parameters from the query and the form body, check the signature (ACS3-HMAC-SHA256 with the
 * action and version in signed headers, or the legacy v1 signature with them among the parameters), check a key's
 * state and an STS key's security token, name the action, and answer errors as the POP gateway writes them,
 * `{RequestId, HostId, Code, Message, Recommend}` with the HTTP status. `startRpcApi` serves a set of actions whose
 * answers sit beside RequestId, as RAM's and STS's do; DataWorks wraps its own (under Data) with `serveRpcActions`.
 */
import {randomUUID} from 'node:crypto';
import type {StandInHandle} from '../contract.js';
import {createFaultPoint, type FaultPoint} from '../faults.js';
import type {ServedHttp} from '../http-serve.js';
import {crashMessage, serveStandIn, StandInError, type StandInRequest} from '../stand-in-kit.js';
import {isRpcV1Request, NonceLedger, verifyAcs3Request, verifyRpcV1Request} from './signature-check.js';

export type RpcParams = Record<string, string>;

/** The POP gateway's wording for a missing or malformed parameter. */
export const missingParameter = (name: string) => new StandInError(400, `MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
export const invalidParameter = (name: string, why: string) => new StandInError(400, `InvalidParameter.${name}`, `The specified parameter "${name}" is invalid: ${why}`);

/** A key as the gateway checks it: its secret, for an STS key the token that must travel with it, a disabled user key. */
export type RpcKey = {secret: string; securityToken?: string; expired?: boolean; disabled?: boolean};

/** Who called an action: the AccessKeyId the request was signed with (its key passed the checks above). */
export type RpcCaller = {accessKeyId: string};

/** A request the gateway let through: the action and version it names, who signed it, and the action's own parameters. */
export type RpcCall = RpcCaller & {action: string; version: string; params: RpcParams};

export type RpcAuthOptions = {
	keyOf: (accessKeyId: string) => RpcKey | undefined;
	/** @default 15 minutes */
	maxSkewMs?: number;
	/** Named in the refusal of an XML answer, e.g. "the local RAM". */
	serviceTitle: string;
};

/** The parameters of the v1 signature itself, not of the action. */
const rpcCommonParameters = ['Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'SecurityToken'];

const maxBodyBytes = 16 * 1024 * 1024;

/** The request's parameters: the query's, then a form body's (a POST's parameters travel there). */
function parametersOf(request: StandInRequest): RpcParams {
	const params: RpcParams = {};
	for (const [key, value] of new URLSearchParams(request.rawQuery.replaceAll('+', '%2B'))) {
		params[key] = value;
	}

	if (request.body.length > 0 && (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
		for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) {
			params[key] = value;
		}
	}

	return params;
}

/**
 * A disabled key is refused, and an STS key is accepted only with its token (the gateway's codes, as the STS FAQ
 * "Errors when you use STS", doc 42775, lists them: InvalidAccessKeyId.Inactive, MissingSecurityToken; the
 * InvalidSecurityToken.* messages are the gateway's as SDK users quote them, not found in a vendor page offline).
 */
function checkKey(key: RpcKey, token: string | undefined): void {
	if (key.disabled) {
		throw new StandInError(400, 'InvalidAccessKeyId.Inactive', 'Specified access key is disabled.');
	}

	if (key.securityToken === undefined) {
		return;
	}

	if (token === undefined || token === '') {
		throw new StandInError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
	}

	if (token !== key.securityToken) {
		throw new StandInError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
	}

	if (key.expired) {
		throw new StandInError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
	}
}

/**
 * The gateway's signature check: names the action, version and key. An ACS3 request carries action and version in
 * signed headers; a v1 request (no Authorization header, the signature among its parameters) in signed parameters,
 * which then leave the parameters the action reads.
 */
export function rpcAuthenticator(options: RpcAuthOptions): (request: StandInRequest) => RpcCall {
	const maxSkewMs = options.maxSkewMs ?? 900_000;
	const nonces = new NonceLedger(maxSkewMs);
	const secretOf = (id: string) => options.keyOf(id)?.secret;
	return request => {
		const now = Date.now();
		const params = parametersOf(request);
		if (request.headers.authorization === undefined && isRpcV1Request(params)) {
			const verdict = verifyRpcV1Request({method: request.method, params}, {secretOf, nowMs: now, maxSkewMs, nonces});
			if (!verdict.ok) {
				throw new StandInError(verdict.status, verdict.code, verdict.message);
			}

			checkKey(options.keyOf(verdict.accessKeyId)!, params.SecurityToken);
			// A v1 request chooses its answer's format, XML by default; the local stand-ins write JSON only.
			if ((params.Format ?? '').toUpperCase() !== 'JSON') {
				throw invalidParameter('Format', `${options.serviceTitle} answers in JSON only: send Format=JSON`);
			}

			const {Action: action = '', Version: version = ''} = params;
			for (const name of rpcCommonParameters) {
				delete params[name];
			}

			return {action, version, accessKeyId: verdict.accessKeyId, params};
		}

		const {headers} = request.incoming;
		const verdict = verifyAcs3Request({method: request.method, path: request.path, rawQuery: request.rawQuery, headers, body: request.body}, {secretOf, nowMs: now, maxSkewMs});
		if (!verdict.ok) {
			throw new StandInError(verdict.status, verdict.code, verdict.message);
		}

		if (!nonces.claim(String(headers['x-acs-signature-nonce']), now)) {
			throw new StandInError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
		}

		checkKey(options.keyOf(verdict.accessKeyId)!, request.headers['x-acs-security-token']?.split(',')[0]);
		return {action: String(headers['x-acs-action'] ?? ''), version: String(headers['x-acs-version'] ?? ''), accessKeyId: verdict.accessKeyId, params};
	};
}

/** The gateway's error document, with its troubleshooting link for the product (`Ram`, `Sts`, `dataworks-public`). */
export function rpcErrorBody(product: string): (error: StandInError, request: StandInRequest) => Record<string, unknown> {
	return (error, request) => ({
		RequestId: request.id, HostId: request.headers.host ?? '127.0.0.1', Code: error.code, Message: error.message,
		Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}`,
	});
}

export const rpcInternalError = (error: unknown) => new StandInError(500, 'InternalError', `The request processing has failed due to some unknown error. (${crashMessage(error)})`);

export const rpcHeaders = (request: StandInRequest) => ({'Content-Type': 'application/json;charset=utf-8', 'x-acs-request-id': request.id});

export type RpcAction<Result = Record<string, unknown>> = (params: RpcParams, caller: RpcCaller) => Result | Promise<Result>;

export type RpcActionsOptions<Result> = RpcAuthOptions & {
	/** The product code in troubleshooting links. */
	product: string;
	version: string;
	actions: Record<string, RpcAction<Result>>;
	/** An answer's document beside its RequestId: RAM's and STS's fields sit beside it, DataWorks' under Data. */
	envelope: (requestId: string, result: Result) => Record<string, unknown>;
	faults: FaultPoint;
	port?: number;
};

/** Serves RPC actions on `/` (POST or GET) through the gateway's checks above. */
export async function serveRpcActions<Result>(options: RpcActionsOptions<Result>): Promise<ServedHttp> {
	return serveStandIn({
		port: options.port,
		faults: options.faults,
		requestId: () => randomUUID().toUpperCase(),
		body: {limit: maxBodyBytes, tooLarge: () => new StandInError(413, 'RequestEntityTooLarge', 'The request body is larger than 16 MB.')},
		authenticate: rpcAuthenticator(options),
		async route(request, {action, version, accessKeyId, params}) {
			if (version !== options.version) {
				throw new StandInError(400, 'InvalidVersion', `Specified parameter Version is not valid: ${options.serviceTitle} speaks ${options.version}.`);
			}

			const handler = Object.hasOwn(options.actions, action) ? options.actions[action] : undefined;
			if (request.path !== '/' || !handler) {
				throw new StandInError(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method. (${action})`);
			}

			return {body: options.envelope(request.id, await handler(params, {accessKeyId}))};
		},
		errorBody: rpcErrorBody(options.product),
		internalError: rpcInternalError,
		headers: rpcHeaders,
	});
}

export type RpcApiOptions = Omit<RpcActionsOptions<Record<string, unknown>>, 'envelope' | 'faults'> & {
	/** The service's name, as in `source/services/`. */
	name: string;
};

/** Serves RPC actions on `/` (POST or GET), each answering `{RequestId, ...its fields}`. */
export async function startRpcApi(options: RpcApiOptions): Promise<StandInHandle> {
	const faults = createFaultPoint();
	const {port, stop} = await serveRpcActions({...options, faults, envelope: (requestId, fields) => ({RequestId: requestId, ...fields})});
	return {
		name: options.name,
		url: `http://127.0.0.1:${port}`,
		port,
		close: stop,
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
