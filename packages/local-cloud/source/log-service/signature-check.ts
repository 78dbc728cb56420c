/**
 * The Log Service stand-in's own check of the "LOG" (v1, HMAC-SHA1) request signature, independent of any ferry client.
 * String to sign (doc "Request signatures", help.aliyun.com/document_detail/29012; @alicloud/log `lib/client.js` `_sign`;
 * aliyun-log-go-sdk `signature.go`): `VERB\nCONTENT-MD5\nCONTENT-TYPE\nDATE\n` + every `x-log-*` / `x-acs-*` header,
 * lower-cased and sorted, as `name:value\n` + the resource: the path, then `?` and the decoded query pairs `k=v`
 * sorted and joined by `&`. `x-log-date` is left out: it "does not take part in the signature" (doc 29010), and the
 * Python SDK adds it after signing (aliyun-log-python-sdk `aliyun/log/auth.py`), as it leaves out `x-log-meta-*`.
 */
import {createHmac, timingSafeEqual} from 'node:crypto';

export type SignedRequest = {
	method: string;
	/** The raw request target, e.g. `/logstores/app?type=log&from=1` (percent-encoded as sent). */
	target: string;
	/** Header names in any case; values as received. */
	headers: Record<string, string | undefined>;
};

export type ParsedAuthorization = {accessKeyId: string; signature: string};

export function parseLogAuthorization(header: string | undefined): ParsedAuthorization | undefined {
	const match = /^LOG ([^:\s]+):(\S+)$/.exec(header?.trim() ?? '');
	return match ? {accessKeyId: match[1]!, signature: match[2]!} : undefined;
}

function headerValue(headers: SignedRequest['headers'], name: string): string {
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name) return value ?? '';
	}

	return '';
}

function isSignedHeader(name: string): boolean {
	if (name === 'x-log-date' || name.startsWith('x-log-meta-')) return false;
	return name.startsWith('x-log-') || name.startsWith('x-acs-');
}

function compare(left: string, right: string): number {
	return left < right ? -1 : left > right ? 1 : 0;
}

function safeDecodePath(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

/**
 * The resources a client may have signed for this target. The Node SDK sorts whole `k=v` strings, the Python SDK
 * sorts (key, value) pairs and the Go SDK sorts keys; they differ only when one key is a prefix of another.
 */
export function canonicalResources(target: string): string[] {
	const separator = target.indexOf('?');
	const rawPath = separator < 0 ? target : target.slice(0, separator);
	const paths = new Set([rawPath, safeDecodePath(rawPath)]);
	const pairs = separator < 0 ? [] : [...new URLSearchParams(target.slice(separator + 1)).entries()];
	const queries = new Set<string>();
	if (pairs.length === 0) queries.add('');
	else {
		const byText = pairs.map(([key, value]) => `${key}=${value}`).sort(compare);
		const byKey = [...pairs].sort(([leftKey, leftValue], [rightKey, rightValue]) => compare(leftKey, rightKey) || compare(leftValue, rightValue)).map(([key, value]) => `${key}=${value}`);
		queries.add(byText.join('&'));
		queries.add(byKey.join('&'));
	}

	const resources: string[] = [];
	for (const path of paths) {
		for (const query of queries) resources.push(query ? `${path}?${query}` : path);
	}

	return resources;
}

export function canonicalHeaders(headers: SignedRequest['headers']): string {
	return Object.entries(headers)
		.map(([name, value]) => [name.toLowerCase(), (value ?? '').trim()] as const)
		.filter(([name]) => isSignedHeader(name))
		.sort(([left], [right]) => compare(left, right))
		.map(([name, value]) => `${name}:${value}\n`)
		.join('');
}

export function stringToSign(request: SignedRequest, resource: string): string {
	const {headers} = request;
	return `${request.method.toUpperCase()}\n${headerValue(headers, 'content-md5')}\n${headerValue(headers, 'content-type')}\n${headerValue(headers, 'date')}\n${canonicalHeaders(headers)}${resource}`;
}

export function logSignature(secret: string, text: string): string {
	return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

function equalText(left: string, right: string): boolean {
	const a = Buffer.from(left);
	const b = Buffer.from(right);
	return a.length === b.length && timingSafeEqual(a, b);
}

export function verifyLogSignature(request: SignedRequest, secret: string, signature: string): boolean {
	let matched = false;
	for (const resource of canonicalResources(request.target)) {
		if (equalText(logSignature(secret, stringToSign(request, resource)), signature)) matched = true;
	}

	return matched;
}
