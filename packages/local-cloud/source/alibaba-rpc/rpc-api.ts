/**
 * What every Alibaba Cloud RPC-style stand-in (DataWorks, RAM, STS) does with a request before its action runs: read
 * the parameters from the query and the form body, check the signature (ACS3-HMAC-SHA256 with the action and version in
 * signed headers, or the legacy v1 signature with them among the parameters), check an STS key's security token, and
 * answer errors as `{RequestId, HostId, Code, Message, Recommend}` with the HTTP status. `startRpcApi` serves a set of
 * actions whose answers sit beside RequestId, as RAM's and STS's do.
 */
import {randomUUID} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {StandInHandle} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {serveHttp} from '../http-serve.js';
import {isRpcV1Request, NonceLedger, verifyAcs3Request, verifyRpcV1Request} from './signature-check.js';

export type RpcParams = Record<string, string>;

export class RpcError extends Error {
	readonly status: number;
	readonly code: string;

	constructor(status: number, code: string, message: string) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** The POP gateway's wording for a missing or malformed parameter. */
export const missingParameter = (name: string) => new RpcError(400, `MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
export const invalidParameter = (name: string, why: string) => new RpcError(400, `InvalidParameter.${name}`, `The specified parameter "${name}" is invalid: ${why}`);

/** A key as the gateway checks it: its secret, for an STS key the token that must travel with it, a disabled user key. */
export type RpcKey = {secret: string; securityToken?: string; expired?: boolean; disabled?: boolean};

export type RpcArrived = {path: string; rawQuery: string; body: Buffer; params: RpcParams};

export type RpcAuthenticated = {action: string; version: string; accessKeyId: string};

export type RpcAuthOptions = {
	keyOf: (accessKeyId: string) => RpcKey | undefined;
	nonces: NonceLedger;
	maxSkewMs: number;
	/** Named in the refusal of an XML answer, e.g. "the local RAM". */
	serviceTitle: string;
};

/** The parameters of the v1 signature itself, not of the action. */
const rpcCommonParameters = ['Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'SecurityToken'];

const maxBodyBytes = 16 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > maxBodyBytes) {
			throw new RpcError(413, 'RequestEntityTooLarge', 'The request body is larger than 16 MB.');
		}

		chunks.push(chunk as Buffer);
	}

	return Buffer.concat(chunks);
}

/** The request's parameters: the query's, then a form body's (a POST's parameters travel there). */
export async function readRpcRequest(request: IncomingMessage): Promise<RpcArrived> {
	const target = request.url ?? '/';
	const queryIndex = target.indexOf('?');
	const path = queryIndex === -1 ? target : target.slice(0, queryIndex);
	const rawQuery = queryIndex === -1 ? '' : target.slice(queryIndex + 1);
	const body = await readBody(request);
	const params: RpcParams = {};
	for (const [key, value] of new URLSearchParams(rawQuery.replaceAll('+', '%2B'))) {
		params[key] = value;
	}

	if (body.length > 0 && (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
		for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
			params[key] = value;
		}
	}

	return {path, rawQuery, body, params};
}

/**
 * A disabled key is refused, and an STS key is accepted only with its token (the gateway's codes, as the STS FAQ
 * "Errors when you use STS", doc 42775, lists them: InvalidAccessKeyId.Inactive, MissingSecurityToken; the
 * InvalidSecurityToken.* messages are the gateway's as SDK users quote them, not found in a vendor page offline).
 */
function checkKey(key: RpcKey, token: string | undefined): void {
	if (key.disabled) {
		throw new RpcError(400, 'InvalidAccessKeyId.Inactive', 'Specified access key is disabled.');
	}

	if (key.securityToken === undefined) {
		return;
	}

	if (token === undefined || token === '') {
		throw new RpcError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
	}

	if (token !== key.securityToken) {
		throw new RpcError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
	}

	if (key.expired) {
		throw new RpcError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
	}
}

/**
 * Checks the signature and names the action, version and key: an ACS3 request carries action and version in signed
 * headers; a v1 request (no Authorization header, the signature among its parameters) in signed parameters, which
 * then leave the parameters the action reads.
 */
export function authenticateRpcRequest(request: IncomingMessage, arrived: RpcArrived, options: RpcAuthOptions): RpcAuthenticated {
	const now = Date.now();
	const secretOf = (id: string) => options.keyOf(id)?.secret;
	const {params} = arrived;
	if (request.headers.authorization === undefined && isRpcV1Request(params)) {
		const verdict = verifyRpcV1Request({method: request.method ?? 'GET', params}, {secretOf, nowMs: now, maxSkewMs: options.maxSkewMs, nonces: options.nonces});
		if (!verdict.ok) {
			throw new RpcError(verdict.status, verdict.code, verdict.message);
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

		return {action, version, accessKeyId: verdict.accessKeyId};
	}

	const verdict = verifyAcs3Request({method: request.method ?? 'GET', path: arrived.path, rawQuery: arrived.rawQuery, headers: request.headers, body: arrived.body}, {secretOf, nowMs: now, maxSkewMs: options.maxSkewMs});
	if (!verdict.ok) {
		throw new RpcError(verdict.status, verdict.code, verdict.message);
	}

	if (!options.nonces.claim(String(request.headers['x-acs-signature-nonce']), now)) {
		throw new RpcError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
	}

	const token = request.headers['x-acs-security-token'];
	checkKey(options.keyOf(verdict.accessKeyId)!, Array.isArray(token) ? token[0] : token);
	return {action: String(request.headers['x-acs-action'] ?? ''), version: String(request.headers['x-acs-version'] ?? ''), accessKeyId: verdict.accessKeyId};
}

export function sendRpcJson(response: ServerResponse, status: number, body: Record<string, unknown>): void {
	const payload = Buffer.from(JSON.stringify(body), 'utf8');
	response.writeHead(status, {'Content-Type': 'application/json;charset=utf-8', 'Content-Length': String(payload.length), 'x-acs-request-id': String(body.RequestId)});
	response.end(payload);
}

/** The error answer of the POP gateway, with its troubleshooting link for the product (`Ram`, `Sts`, `dataworks-public`). */
export function rpcErrorBody(error: unknown, context: {requestId: string; host: string; product: string}): {status: number; body: Record<string, unknown>} {
	const apiError = error instanceof RpcError ? error : new RpcError(500, 'InternalError', `The request processing has failed due to some unknown error. (${(error as Error).message})`);
	return {
		status: apiError.status,
		body: {RequestId: context.requestId, HostId: context.host, Code: apiError.code, Message: apiError.message, Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(apiError.code)}&product=${context.product}`},
	};
}

/** Who called an action: the AccessKeyId the request was signed with (its key passed the checks above). */
export type RpcCaller = {accessKeyId: string};

export type RpcAction = (params: RpcParams, caller: RpcCaller) => Record<string, unknown> | Promise<Record<string, unknown>>;

export type RpcApiOptions = {
	/** The service's name, as in `source/services/`. */
	name: string;
	/** The product code in troubleshooting links. */
	product: string;
	/** e.g. "the local RAM". */
	title: string;
	version: string;
	keyOf: RpcAuthOptions['keyOf'];
	actions: Record<string, RpcAction>;
	port?: number;
	/** @default 15 minutes */
	maxSkewMs?: number;
};

/** Serves RPC actions on `/` (POST or GET), each answering `{RequestId, ...its fields}`. */
export async function startRpcApi(options: RpcApiOptions): Promise<StandInHandle> {
	const faults = createFaultPoint();
	const maxSkewMs = options.maxSkewMs ?? 900_000;
	const nonces = new NonceLedger(maxSkewMs);
	async function answer(request: IncomingMessage, requestId: string): Promise<Record<string, unknown>> {
		const fault = await faults.apply(request);
		if (fault) {
			// A reset has already dropped the connection; the error only ends this request's work.
			throw fault.type === 'reset' ? new RpcError(500, 'ConnectionReset', 'Injected reset.') : new RpcError(fault.status, fault.code, `Injected fault (${fault.code}).`);
		}

		const arrived = await readRpcRequest(request);
		const {action, version, accessKeyId} = authenticateRpcRequest(request, arrived, {keyOf: options.keyOf, nonces, maxSkewMs, serviceTitle: options.title});
		if (version !== options.version) {
			throw new RpcError(400, 'InvalidVersion', `Specified parameter Version is not valid: ${options.title} speaks ${options.version}.`);
		}

		const handler = Object.hasOwn(options.actions, action) ? options.actions[action] : undefined;
		if (arrived.path !== '/' || !handler) {
			throw new RpcError(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method. (${action})`);
		}

		return {RequestId: requestId, ...await handler(arrived.params, {accessKeyId})};
	}

	const {port, stop} = await serveHttp(async (request, response) => {
		const requestId = randomUUID().toUpperCase();
		await answer(request, requestId).then(body => sendRpcJson(response, 200, body), (error: unknown) => {
			if (!request.socket.destroyed) {
				const failure = rpcErrorBody(error, {requestId, host: request.headers.host ?? '127.0.0.1', product: options.product});
				sendRpcJson(response, failure.status, failure.body);
			}
		});
	}, {port: options.port});

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
