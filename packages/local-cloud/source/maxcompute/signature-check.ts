/**
 * The MaxCompute stand-in's own check of the ODPS request signature, written from the vendor SDKs (pyodps
 * `odps/accounts.py`, aliyun-odps-java-sdk `SecurityUtils`/`AliyunRequestSigner`, aliyun-odps-go-sdk
 * `odps/account`), independent of ferry's signing client so that a signing bug fails here as it would on the service.
 *
 * String to sign: the method; the values of content-md5, content-type and date (empty when absent); every x-odps-*
 * header and x-odps-* query parameter as `name:value`, sorted by lower-cased name; then the resource relative to the
 * endpoint (percent-decoded) with its query parameters sorted, `k=v`, or the bare `k` when the value is empty.
 * v2 signs it with HMAC-SHA1 under the secret; v4 under a key derived with HMAC-SHA256 from
 * `aliyun_v4{secret}` → day → region → `odps` → `aliyun_v4_request`.
 */
import {createHmac, timingSafeEqual} from 'node:crypto';

export const odpsStsTokenHeader = 'authorization-sts-token';

export type OdpsWireRequest = {
	method: string;
	/** The request target relative to the endpoint (path and raw query, without `/api`), as received. */
	target: string;
	/** Header values as received; repeated headers as arrays (they are signed joined by `,`). */
	headers: Record<string, string | string[] | undefined>;
};

export type OdpsAuthorization =
	| {version: 'v2'; accessKeyId: string; signature: string}
	| {version: 'v4'; accessKeyId: string; day: string; region: string; signature: string};

export type OdpsSignatureCheck =
	| {ok: true; version: 'v2' | 'v4'; accessKeyId: string}
	| {ok: false; reason: 'malformed' | 'unknown-key' | 'scope' | 'mismatch'; accessKeyId?: string};

function decodeOnce(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** `ODPS <ak>:<sig>` (v2) or `ODPS <ak>/<yyyymmdd>/<region>/odps/aliyun_v4_request:<sig>` (v4). */
export function parseOdpsAuthorization(header: string | undefined): OdpsAuthorization | undefined {
	const text = header?.trim() ?? '';
	if (!text.startsWith('ODPS ')) {
		return undefined;
	}

	const credentials = text.slice('ODPS '.length);
	const colon = credentials.lastIndexOf(':');
	if (colon <= 0 || colon === credentials.length - 1) {
		return undefined;
	}

	const credential = credentials.slice(0, colon);
	const signature = credentials.slice(colon + 1);
	const parts = credential.split('/');
	if (parts.length === 1) {
		return {version: 'v2', accessKeyId: credential, signature};
	}

	const [accessKeyId = '', day = '', region = '', service, terminator] = parts;
	if (parts.length !== 5 || service !== 'odps' || terminator !== 'aliyun_v4_request' || !accessKeyId || !/^\d{8}$/.test(day) || !region) {
		return undefined;
	}

	return {version: 'v4', accessKeyId, day, region, signature};
}

function queryPairs(rawQuery: string): Map<string, string> {
	const pairs = new Map<string, string>();
	for (const part of rawQuery.split('&')) {
		if (!part) {
			continue;
		}

		const equals = part.indexOf('=');
		pairs.set(decodeOnce(equals === -1 ? part : part.slice(0, equals)), equals === -1 ? '' : decodeOnce(part.slice(equals + 1)));
	}

	return pairs;
}

function headerText(value: string | string[] | undefined): string {
	return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export function odpsStringToSign(request: OdpsWireRequest): string {
	const questionMark = request.target.indexOf('?');
	const path = decodeOnce(questionMark === -1 ? request.target : request.target.slice(0, questionMark));
	const query = queryPairs(questionMark === -1 ? '' : request.target.slice(questionMark + 1));

	const byName = new Map<string, string>();
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) {
			byName.set(name.toLowerCase(), headerText(value));
		}
	}

	const odpsEntries = new Map<string, string>();
	for (const [name, value] of byName) {
		if (name.startsWith('x-odps-')) {
			odpsEntries.set(name, value);
		}
	}

	for (const [name, value] of query) {
		if (name.startsWith('x-odps-')) {
			odpsEntries.set(name, value);
		}
	}

	const names = [...query.keys()].sort();
	const resource = names.length === 0
		? path
		: `${path}?${names.map(name => (query.get(name) ? `${name}=${query.get(name)}` : name)).join('&')}`;
	return [
		request.method.toUpperCase(),
		byName.get('content-md5') ?? '',
		byName.get('content-type') ?? '',
		byName.get('date') ?? '',
		...[...odpsEntries.keys()].sort().map(name => `${name}:${odpsEntries.get(name)!}`),
		resource,
	].join('\n');
}

export function odpsV2Signature(secret: string, stringToSign: string): string {
	return createHmac('sha1', Buffer.from(secret, 'utf8')).update(stringToSign, 'utf8').digest('base64');
}

export function odpsV4SigningKey(secret: string, day: string, region: string): Buffer {
	let key = Buffer.from(`aliyun_v4${secret}`, 'utf8');
	for (const scope of [day, region, 'odps', 'aliyun_v4_request']) {
		key = createHmac('sha256', key).update(scope, 'utf8').digest();
	}

	return key;
}

export function odpsV4Signature(secret: string, day: string, region: string, stringToSign: string): string {
	return createHmac('sha1', odpsV4SigningKey(secret, day, region)).update(stringToSign, 'utf8').digest('base64');
}

function sameText(expected: string, given: string): boolean {
	const left = Buffer.from(expected, 'utf8');
	const right = Buffer.from(given, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks the request's `Authorization` against the one key pair the stand-in knows, for its region (v4). */
export function checkOdpsSignature(request: OdpsWireRequest, keys: {accessKeyId: string; secret: string; region: string}): OdpsSignatureCheck {
	const authorization = parseOdpsAuthorization(headerText(request.headers.authorization) || undefined);
	if (!authorization) {
		return {ok: false, reason: 'malformed'};
	}

	const {accessKeyId} = authorization;
	if (accessKeyId !== keys.accessKeyId) {
		return {ok: false, reason: 'unknown-key', accessKeyId};
	}

	if (authorization.version === 'v4' && authorization.region !== keys.region) {
		return {ok: false, reason: 'scope', accessKeyId};
	}

	const stringToSign = odpsStringToSign(request);
	const expected = authorization.version === 'v2'
		? odpsV2Signature(keys.secret, stringToSign)
		: odpsV4Signature(keys.secret, authorization.day, authorization.region, stringToSign);
	return sameText(expected, authorization.signature) ? {ok: true, version: authorization.version, accessKeyId} : {ok: false, reason: 'mismatch', accessKeyId};
}
