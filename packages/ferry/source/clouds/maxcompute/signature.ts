/**
 * The ODPS v2 request signature (HMAC-SHA1), shared by ferry's MaxCompute client and the local stand-in that checks it.
 * Canonical string as pyodps `BaseAccount._build_canonical_str` builds it: method, content-md5, content-type, date,
 * the sorted `x-odps-*` headers and query parameters, then the resource relative to the endpoint (without `/api`)
 * with its query parameters sorted, empty values rendered as bare keys, all percent-decoded.
 */
import {createHmac, timingSafeEqual} from 'node:crypto';

export type SignableRequest = {
	method: string;
	/** Path and query relative to the endpoint, e.g. `/projects/p/instances?curr_project=p`. May be percent-encoded. */
	resource: string;
	/** Header names in any case. */
	headers: Record<string, string | undefined>;
};

export const stsTokenHeader = 'authorization-sts-token';

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** Splits a decoded query the way Python's `parse_qsl(keep_blank_values=True)` does; a repeated key keeps its last value. */
function parseQuery(query: string): Map<string, string> {
	const parameters = new Map<string, string>();
	for (const part of query.split('&')) {
		if (part === '') {
			continue;
		}

		const equals = part.indexOf('=');
		const key = equals === -1 ? part : part.slice(0, equals);
		const value = equals === -1 ? '' : part.slice(equals + 1);
		parameters.set(key, value);
	}

	return parameters;
}

export function canonicalString(request: SignableRequest): string {
	const decoded = safeDecode(request.resource);
	const questionMark = decoded.indexOf('?');
	const path = questionMark === -1 ? decoded : decoded.slice(0, questionMark);
	const parameters = questionMark === -1 ? new Map<string, string>() : parseQuery(decoded.slice(questionMark + 1));

	const signed = new Map<string, string>([['content-md5', ''], ['content-type', ''], ['date', '']]);
	for (const [name, value] of Object.entries(request.headers)) {
		const lower = name.toLowerCase();
		if (value !== undefined && (lower === 'content-md5' || lower === 'content-type' || lower === 'date' || lower.startsWith('x-odps-'))) {
			signed.set(lower, value);
		}
	}

	for (const [key, value] of parameters) {
		if (key.startsWith('x-odps-')) {
			signed.set(key, value);
		}
	}

	const lines = [request.method.toUpperCase()];
	for (const key of [...signed.keys()].sort()) {
		const value = signed.get(key) ?? '';
		lines.push(key.startsWith('x-odps-') ? `${key}:${value}` : value);
	}

	let resource = path;
	if (parameters.size > 0) {
		const sortedKeys = [...parameters.keys()].sort();
		resource += `?${sortedKeys.map(key => {
			const value = parameters.get(key) ?? '';
			return value === '' ? key : `${key}=${value}`;
		}).join('&')}`;
	}

	lines.push(resource);
	return lines.join('\n');
}

export function signatureV2(accessKeySecret: string, canonical: string): string {
	return createHmac('sha1', accessKeySecret).update(canonical, 'utf8').digest('base64');
}

export function authorizationV2(accessKeyId: string, accessKeySecret: string, canonical: string): string {
	return `ODPS ${accessKeyId}:${signatureV2(accessKeySecret, canonical)}`;
}

/** pyodps' v4 variant: an HMAC-SHA256 key chain scoped to the day and region, then HMAC-SHA1 over the same canonical string. */
export function signatureV4(accessKeySecret: string, yyyymmdd: string, region: string, canonical: string): string {
	const hmac256 = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
	const dateKey = hmac256(`aliyun_v4${accessKeySecret}`, yyyymmdd);
	const signingKey = hmac256(hmac256(hmac256(dateKey, region), 'odps'), 'aliyun_v4_request');
	return createHmac('sha1', signingKey).update(canonical, 'utf8').digest('base64');
}

export type Credentials = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

/** The headers to add to a request: `Authorization` and, for STS keys, the token header. */
export function signRequest(request: SignableRequest, credentials: Credentials): Record<string, string> {
	const signed: Record<string, string> = {
		Authorization: authorizationV2(credentials.accessKeyId, credentials.accessKeySecret, canonicalString(request)),
	};
	if (credentials.securityToken) {
		signed[stsTokenHeader] = credentials.securityToken;
	}

	return signed;
}

export type ParsedAuthorization =
	| {version: 'v2'; accessKeyId: string; signature: string}
	| {version: 'v4'; accessKeyId: string; date: string; region: string; signature: string};

export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
	const match = /^ODPS ([^:\s]+):(\S+)$/.exec(header?.trim() ?? '');
	if (!match) {
		return undefined;
	}

	const credential = match[1] ?? '';
	const signature = match[2] ?? '';
	const scope = credential.split('/');
	if (scope.length === 1) {
		return {version: 'v2', accessKeyId: credential, signature};
	}

	const [accessKeyId, date, region] = scope;
	if (scope.length === 5 && accessKeyId && date && region) {
		return {version: 'v4', accessKeyId, date, region, signature};
	}

	return undefined;
}

export function signaturesEqual(expected: string, actual: string): boolean {
	const left = Buffer.from(expected);
	const right = Buffer.from(actual);
	return left.length === right.length && timingSafeEqual(left, right);
}
