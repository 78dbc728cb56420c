/**
 * The DataHub stand-in's own check of the "DATAHUB" HMAC-SHA1 signature (independent of any ferry client).
 * Canonical string (aliyun-datahub-sdk-python `datahub/auth/aliyun_account.py` `_build_canonical_str`):
 * `METHOD\nContent-Type\nDate\n` + every `x-datahub-*` header, lower-cased and sorted, as `name:value\n` + resource,
 * where resource is the URL-decoded path plus `?` and the query sorted by key (`k=v`, or `k` for an empty value).
 */
import {createHmac, timingSafeEqual} from 'node:crypto';

export type SignedRequest = {
	method: string;
	/** The raw request target, e.g. `/projects/p/topics?x=1` (percent-encoded as sent). */
	target: string;
	/** Header names in any case; values as received. */
	headers: Record<string, string | undefined>;
};

export type ParsedAuthorization = {accessKeyId: string; signature: string};

export function parseDataHubAuthorization(header: string | undefined): ParsedAuthorization | undefined {
	const match = /^DATAHUB ([^:\s]+):(\S+)$/.exec(header?.trim() ?? '');
	return match ? {accessKeyId: match[1]!, signature: match[2]!} : undefined;
}

function headerValue(headers: SignedRequest['headers'], name: string): string {
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name) return value ?? '';
	}

	return '';
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** The resource the Python SDK signs: unquoted path, query pairs sorted by key. */
export function canonicalResource(target: string): string {
	const decoded = safeDecode(target.replaceAll('+', '%20'));
	const separator = decoded.indexOf('?');
	if (separator < 0) return decoded;
	const path = decoded.slice(0, separator);
	const pairs = decoded
		.slice(separator + 1)
		.split('&')
		.filter(Boolean)
		.map(pair => {
			const equals = pair.indexOf('=');
			return equals < 0 ? [pair, ''] as const : [pair.slice(0, equals), pair.slice(equals + 1)] as const;
		})
		.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
	const query = pairs.map(([key, value]) => (value === '' ? key : `${key}=${value}`)).join('&');
	return query ? `${path}?${query}` : path;
}

export function canonicalString(request: SignedRequest, resource = canonicalResource(request.target)): string {
	const datahubHeaders = Object.entries(request.headers)
		.map(([name, value]) => [name.toLowerCase(), value ?? ''] as const)
		.filter(([name]) => name.startsWith('x-datahub-'))
		.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
	const lines = [request.method.toUpperCase(), headerValue(request.headers, 'content-type'), headerValue(request.headers, 'date')];
	for (const [name, value] of datahubHeaders) lines.push(`${name}:${value}`);
	lines.push(resource);
	return lines.join('\n');
}

export function dataHubSignature(secret: string, canonical: string): string {
	return createHmac('sha1', secret).update(canonical, 'utf8').digest('base64');
}

function equalText(left: string, right: string): boolean {
	const a = Buffer.from(left);
	const b = Buffer.from(right);
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when the signature matches the Python form (sorted, unquoted resource) or the Go form, which signs the raw
 * RequestURI as sent (aliyun-datahub-sdk-go `datahub/restclient.go` `buildSignature(..., req.URL.RequestURI())`).
 */
export function verifyDataHubSignature(request: SignedRequest, secret: string, signature: string): boolean {
	const candidates = new Set([canonicalResource(request.target), request.target]);
	let matched = false;
	for (const resource of candidates) {
		if (equalText(dataHubSignature(secret, canonicalString(request, resource)), signature)) matched = true;
	}

	return matched;
}
