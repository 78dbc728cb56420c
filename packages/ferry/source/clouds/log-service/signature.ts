/**
 * The Log Service v1 request signature ("LOG", HMAC-SHA1), as the vendor SDKs compute it (aliyun-log-nodejs-sdk
 * `lib/client.js` `_sign`, aliyun-log-go-sdk `signature.go` SignerV1, aliyun-log-python-sdk `aliyun/log/auth.py` AuthV1):
 * VERB, Content-MD5, Content-Type and Date lines, then every `x-log-*` / `x-acs-*` header lower-cased, sorted and
 * trimmed as `name:value\n`, then the path and the sorted `key=value` query pairs, not URL-encoded.
 */
import {createHash, createHmac} from 'node:crypto';

export type LogKeys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

export type LogStringToSignInput = {
	method: string;
	/** Upper-case hex MD5 of the body as sent; '' without a body. */
	contentMd5?: string;
	contentType?: string;
	/** RFC 1123, e.g. `Mon, 09 Nov 2015 06:11:16 GMT`. */
	date: string;
	/** Any headers; only `x-log-*` and `x-acs-*` ones are signed. */
	headers: Record<string, string>;
	path: string;
	query?: Record<string, string | undefined>;
};

export const logApiVersion = '0.6.0';

export function logStringToSign(input: LogStringToSignInput): string {
	const signed = new Map<string, string>();
	for (const [name, value] of Object.entries(input.headers)) {
		const lower = name.trim().toLowerCase();
		if (lower.startsWith('x-log-') || lower.startsWith('x-acs-')) {
			signed.set(lower, value.trim());
		}
	}

	const canonicalHeaders = [...signed.keys()].sort().map(name => `${name}:${signed.get(name)!}\n`).join('');
	// The Node SDK sorts the `key=value` strings; the Go SDK sorts by key. Both agree for every parameter SLS defines.
	const pairs = Object.entries(input.query ?? {})
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([key, value]) => `${key}=${value}`)
		.sort();
	const resource = `${input.path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
	return `${input.method.toUpperCase()}\n${input.contentMd5 ?? ''}\n${input.contentType ?? ''}\n${input.date}\n${canonicalHeaders}${resource}`;
}

export function logSignature(stringToSign: string, accessKeySecret: string): string {
	return createHmac('sha1', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

/** `LOG <AccessKeyId>:<base64(HMAC-SHA1(secret, stringToSign))>` */
export function logAuthorization(stringToSign: string, keys: Pick<LogKeys, 'accessKeyId' | 'accessKeySecret'>): string {
	return `LOG ${keys.accessKeyId}:${logSignature(stringToSign, keys.accessKeySecret)}`;
}

export function contentMd5(body: Uint8Array): string {
	return createHash('md5').update(body).digest('hex').toUpperCase();
}

export type LogRequestToSign = {
	method: string;
	path: string;
	query?: Record<string, string | undefined>;
	/** The body exactly as sent (compressed, if it is). */
	body?: Uint8Array;
	/** The uncompressed size (`x-log-bodyrawsize`). @default the body's length, or 0 */
	rawSize?: number;
	contentType?: string;
	/** More `x-log-*` headers to send and sign, e.g. `x-log-compresstype`. */
	headers?: Record<string, string>;
	/** @default now */
	date?: Date;
};

/**
 * Every header a request needs besides Host and Content-Length: Date, the API version, the signature method, the raw
 * body size, Content-MD5/Content-Type with a body, the STS token and Authorization.
 */
export function signLogRequest(request: LogRequestToSign, keys: LogKeys): Record<string, string> {
	const body = request.body && request.body.length > 0 ? request.body : undefined;
	const headers: Record<string, string> = {
		Date: (request.date ?? new Date()).toUTCString(),
		'x-log-apiversion': logApiVersion,
		'x-log-signaturemethod': 'hmac-sha1',
		'x-log-bodyrawsize': String(request.rawSize ?? body?.length ?? 0),
		...request.headers,
	};
	if (body) {
		headers['Content-MD5'] = contentMd5(body);
	}

	if (request.contentType) {
		headers['Content-Type'] = request.contentType;
	}

	if (keys.securityToken) {
		headers['x-acs-security-token'] = keys.securityToken;
	}

	headers['Authorization'] = logAuthorization(logStringToSign({
		method: request.method,
		...(headers['Content-MD5'] ? {contentMd5: headers['Content-MD5']} : {}),
		...(request.contentType ? {contentType: request.contentType} : {}),
		date: headers['Date']!,
		headers,
		path: request.path,
		...(request.query ? {query: request.query} : {}),
	}), keys);
	return headers;
}
