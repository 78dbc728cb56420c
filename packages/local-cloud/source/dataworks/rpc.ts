/**
 * The local DataWorks' RPC side (dataworks-public 2020-05-18): a request's parameters (the query's, then a form body's),
 * its signature (ACS3-HMAC-SHA256 with the action and version in signed headers, or the legacy v1 signature with them
 * among the parameters; both checked by signature-check.ts), the decoding of action parameters, and the answer
 * envelope: `{RequestId, Success, HttpStatusCode, Data}`, fields beside RequestId for the actions that answer so, and
 * errors as the POP gateway writes them, `{RequestId, HostId, Code, Message, Recommend}` with the HTTP status.
 */
import type {StandInRequest} from '../stand-in-kit.js';
import {crashMessage, StandInError} from '../stand-in-kit.js';
import {invalid, missing} from './errors.js';
import {cstOffsetMs} from './scheduling.js';
import {isRpcV1Request, NonceLedger, verifyAcs3Request, verifyRpcV1Request} from '../alibaba-rpc/signature-check.js';

export type Params = Record<string, string>;

export const apiVersion = '2020-05-18';

/** The parameters of the v1 signature itself, not of the action. */
const rpcCommonParameters = ['Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'SecurityToken'];

export const maxBodyBytes = 16 * 1024 * 1024;

export const bodyTooLarge = () => new StandInError(413, 'RequestEntityTooLarge', 'The request body is larger than 16 MB.');

export function required(params: Params, name: string): string {
	const value = params[name];
	if (value === undefined || value === '') {
		throw missing(name);
	}

	return value;
}

export function requiredId(params: Params, name: string): number {
	const value = required(params, name);
	if (!/^\d+$/.test(value)) {
		throw invalid(name, 'expected a number');
	}

	return Number(value);
}

/** A parameter that holds a JSON object; absent or empty: undefined. */
export function jsonObject(params: Params, name: string): Record<string, unknown> | undefined {
	if (!params[name]) {
		return undefined;
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(params[name]);
	} catch {
		throw invalid(name, 'not a JSON object');
	}

	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw invalid(name, 'not a JSON object');
	}

	return parsed as Record<string, unknown>;
}

/** A business date, `yyyy-MM-dd[ 00:00:00]`: the start of that day in China Standard Time. */
export function bizDate(value: string, name: string): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$/.exec(value);
	if (!match) {
		throw invalid(name, 'expected yyyy-MM-dd 00:00:00');
	}

	return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - cstOffsetMs;
}

/** A comma-separated list of ids; absent: none. */
export function idList(params: Params, name: string): number[] {
	return (params[name] ?? '').split(',').map(item => item.trim()).filter(Boolean).map(Number);
}

/** One page of a list, as PageNumber (from 1) and PageSize (10, at most 100) ask. */
export function page<T>(items: T[], params: Params): {PageNumber: number; PageSize: number; TotalCount: number; items: T[]} {
	const pageNumber = Math.max(1, Number(params.PageNumber ?? 1) || 1);
	const pageSize = Math.min(100, Math.max(1, Number(params.PageSize ?? 10) || 10));
	return {PageNumber: pageNumber, PageSize: pageSize, TotalCount: items.length, items: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize)};
}

/** An answer whose fields sit beside RequestId instead of under Data, as CreateBusiness's and RunManualDagNodes' do. */
export class TopLevelAnswer {
	readonly fields: Record<string, unknown>;

	constructor(fields: Record<string, unknown>) {
		this.fields = fields;
	}
}

export function rpcAnswer(requestId: string, data: unknown): Record<string, unknown> {
	return data instanceof TopLevelAnswer ? {RequestId: requestId, ...data.fields} : {RequestId: requestId, Success: true, HttpStatusCode: 200, Data: data};
}

export function rpcErrorBody(error: StandInError, request: StandInRequest): Record<string, unknown> {
	return {
		RequestId: request.id, HostId: request.headers.host ?? '127.0.0.1', Code: error.code, Message: error.message,
		Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=dataworks-public`,
	};
}

export const rpcInternalError = (error: unknown) => new StandInError(500, 'InternalError', `The request processing has failed due to some unknown error. (${crashMessage(error)})`);

export const rpcHeaders = (request: StandInRequest) => ({'Content-Type': 'application/json;charset=utf-8', 'x-acs-request-id': request.id});

/** The request's parameters: the query's, then a form body's (a POST's parameters travel there). */
function parametersOf(request: StandInRequest): Params {
	const params: Params = {};
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

export type RpcCall = {action: string; version: string; params: Params};

/**
 * Checks a request's signature and names the action and version it asks for: an ACS3 request carries them in signed
 * headers; a v1 request (no Authorization header, the signature among its parameters) in signed parameters, which then
 * leave the parameters the action reads.
 */
export function rpcAuthenticator(options: {credentials: {accessKeyId: string; secret: string}; maxSkewMs: number}): (request: StandInRequest) => RpcCall {
	const nonces = new NonceLedger(options.maxSkewMs);
	const secretOf = (id: string) => (id === options.credentials.accessKeyId ? options.credentials.secret : undefined);
	return request => {
		const now = Date.now();
		const params = parametersOf(request);
		if (request.headers.authorization === undefined && isRpcV1Request(params)) {
			const verdict = verifyRpcV1Request({method: request.method, params}, {secretOf, nowMs: now, maxSkewMs: options.maxSkewMs, nonces});
			if (!verdict.ok) {
				throw new StandInError(verdict.status, verdict.code, verdict.message);
			}

			// A v1 request chooses its answer's format, XML by default; the local DataWorks writes JSON only.
			if ((params.Format ?? '').toUpperCase() !== 'JSON') {
				throw invalid('Format', 'the local DataWorks answers in JSON only: send Format=JSON');
			}

			const {Action: action = '', Version: version = ''} = params;
			for (const name of rpcCommonParameters) {
				delete params[name];
			}

			return {action, version, params};
		}

		const {incoming} = request;
		const verdict = verifyAcs3Request({method: request.method, path: request.path, rawQuery: request.rawQuery, headers: incoming.headers, body: request.body}, {secretOf, nowMs: now, maxSkewMs: options.maxSkewMs});
		if (!verdict.ok) {
			throw new StandInError(verdict.status, verdict.code, verdict.message);
		}

		if (!nonces.claim(String(incoming.headers['x-acs-signature-nonce']), now)) {
			throw new StandInError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
		}

		return {action: String(incoming.headers['x-acs-action'] ?? ''), version: String(incoming.headers['x-acs-version'] ?? ''), params};
	};
}
