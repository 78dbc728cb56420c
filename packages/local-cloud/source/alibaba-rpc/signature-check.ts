/**
 * The local DataWorks' own check of the ACS3-HMAC-SHA256 signature that @alicloud/openapi-client puts on RPC calls
 * (its default `doRequest` path, cloud-apis.md §6), rebuilt from the bytes that arrived: the raw query string, the
 * headers the client says it signed, and the body hash. Also its check of the legacy RPC signature (SignatureVersion
 * 1.0, HMAC-SHA1, every parameter signed) that older clients such as @alicloud/pop-core send, which DataWorks accepts
 * too. Written apart from ferry's client-side signer on purpose, so one mistake cannot hide in both.
 */
import {createHash, createHmac, timingSafeEqual} from 'node:crypto';
import type {IncomingHttpHeaders} from 'node:http';

export const acs3 = 'ACS3-HMAC-SHA256';

export type ArrivedRequest = {
	method: string;
	/** The path part of the request target, as sent. */
	path: string;
	/** The query part after `?`, as sent (still percent-encoded). */
	rawQuery: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
};

export type SignatureVerdict =
	| {ok: true; accessKeyId: string}
	| {ok: false; status: number; code: string; message: string};

export type VerifyOptions = {
	secretOf: (accessKeyId: string) => string | undefined;
	nowMs: number;
	/** How far x-acs-date may be from the server clock. */
	maxSkewMs: number;
};

/** RFC 3986 unreserved characters stay, everything else is %XX (upper case), as Alibaba Cloud canonicalises. */
export function acsPercentEncode(value: string): string {
	let out = '';
	for (const byte of Buffer.from(value, 'utf8')) {
		const character = String.fromCharCode(byte);
		out += /[A-Za-z\d\-_.~]/.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}

	return out;
}

/** Decodes `a=1&b=x%20y` without treating `+` as a space (the SDK encodes spaces as %20). */
export function decodeQuery(rawQuery: string): Array<[string, string]> {
	if (rawQuery === '') {
		return [];
	}

	return rawQuery.split('&').filter(Boolean).map(pair => {
		const index = pair.indexOf('=');
		const key = index === -1 ? pair : pair.slice(0, index);
		const value = index === -1 ? '' : pair.slice(index + 1);
		return [decodeURIComponent(key), decodeURIComponent(value)];
	});
}

export function canonicalQuery(pairs: Array<[string, string]>): string {
	return pairs
		.map(([key, value]) => [acsPercentEncode(key), acsPercentEncode(value)] as const)
		.sort(([left], [right]) => (left < right ? -1 : (left > right ? 1 : 0)))
		.map(([key, value]) => `${key}=${value}`)
		.join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(',') : value;
}

export function stringToSign(request: ArrivedRequest, signedHeaders: string[], hashedPayload: string): {canonicalRequest: string; stringToSign: string} {
	const canonicalHeaders = signedHeaders.map(name => `${name}:${(headerValue(request.headers, name) ?? '').trim()}\n`).join('');
	const canonicalRequest = [
		request.method.toUpperCase(),
		request.path || '/',
		canonicalQuery(decodeQuery(request.rawQuery)),
		canonicalHeaders,
		signedHeaders.join(';'),
		hashedPayload,
	].join('\n');
	return {canonicalRequest, stringToSign: `${acs3}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`};
}

function parseAuthorization(header: string | undefined): {accessKeyId: string; signedHeaders: string[]; signature: string} | undefined {
	if (!header?.startsWith(`${acs3} `)) {
		return undefined;
	}

	const fields: Record<string, string> = {};
	for (const part of header.slice(acs3.length + 1).split(',')) {
		const [name = '', ...rest] = part.split('=');
		fields[name.trim()] = rest.join('=').trim();
	}

	if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) {
		return undefined;
	}

	return {accessKeyId: fields.Credential, signedHeaders: fields.SignedHeaders.split(';'), signature: fields.Signature};
}

const requiredSigned = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];

export function verifyAcs3Request(request: ArrivedRequest, options: VerifyOptions): SignatureVerdict {
	const auth = parseAuthorization(headerValue(request.headers, 'authorization'));
	if (!auth) {
		return {ok: false, status: 400, code: 'IncompleteSignature', message: 'The request signature does not conform to Aliyun standards: expected an ACS3-HMAC-SHA256 Authorization header.'};
	}

	const sorted = [...auth.signedHeaders].sort();
	const missing = requiredSigned.filter(name => !auth.signedHeaders.includes(name));
	if (missing.length > 0 || sorted.join(';') !== auth.signedHeaders.join(';') || auth.signedHeaders.some(name => name !== name.toLowerCase())) {
		return {ok: false, status: 400, code: 'IncompleteSignature', message: `The request signature does not conform to Aliyun standards: SignedHeaders must be lower-case, sorted and include ${requiredSigned.join(', ')}.`};
	}

	const secret = options.secretOf(auth.accessKeyId);
	if (secret === undefined) {
		return {ok: false, status: 404, code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.'};
	}

	const date = Date.parse(headerValue(request.headers, 'x-acs-date') ?? '');
	if (Number.isNaN(date) || Math.abs(options.nowMs - date) > options.maxSkewMs) {
		return {ok: false, status: 400, code: 'InvalidTimeStamp.Expired', message: 'Specified time stamp or date value is expired.'};
	}

	const hashedPayload = headerValue(request.headers, 'x-acs-content-sha256') ?? '';
	if (hashedPayload !== createHash('sha256').update(request.body).digest('hex')) {
		return {ok: false, status: 400, code: 'ContentSHA256NotMatched', message: 'The x-acs-content-sha256 header does not match the body.'};
	}

	const {stringToSign: text} = stringToSign(request, auth.signedHeaders, hashedPayload);
	const expected = Buffer.from(createHmac('sha256', secret).update(text).digest('hex'));
	const given = Buffer.from(auth.signature);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
		return {ok: false, status: 400, code: 'SignatureDoesNotMatch', message: `Specified signature does not match our calculation. server string to sign is:${text}`};
	}

	return {ok: true, accessKeyId: auth.accessKeyId};
}

// --- the legacy RPC signature ("signature method V2", SignatureVersion 1.0, HMAC-SHA1) ------------------------------
// Every parameter travels in the query (or the form body of a POST) and the signature covers them all, Signature aside:
// StringToSign = METHOD & %2F & percentEncode(sorted, encoded `k=v` pairs joined by &); key = secret + "&"; base64.

export const rpcSignatureMethod = 'HMAC-SHA1';
export const rpcSignatureVersion = '1.0';

/** The common parameters a v1-signed request must carry, in the order they are checked. */
const rpcRequired = ['AccessKeyId', 'Action', 'Version', 'Timestamp', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Signature'] as const;

/** Whether a request without an Authorization header means to be v1-signed (it carries the v1 common parameters). */
export function isRpcV1Request(params: Record<string, string>): boolean {
	return ['Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'AccessKeyId'].some(name => params[name] !== undefined);
}

export function rpcStringToSign(method: string, params: Record<string, string>): string {
	const pairs = Object.entries(params).filter(([name]) => name !== 'Signature');
	return `${method.toUpperCase()}&${acsPercentEncode('/')}&${acsPercentEncode(canonicalQuery(pairs))}`;
}

export function rpcSignature(stringToSign: string, secret: string): string {
	return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** SignatureNonce values seen in the last `maxAgeMs`: a nonce may be used once. */
export class NonceLedger {
	readonly #maxAgeMs: number;
	readonly #seen = new Map<string, number>();

	constructor(maxAgeMs: number) {
		this.#maxAgeMs = maxAgeMs;
	}

	/** Records the nonce; false when it was used already. */
	claim(nonce: string, nowMs: number): boolean {
		for (const [seen, at] of this.#seen) {
			if (nowMs - at > this.#maxAgeMs) {
				this.#seen.delete(seen);
			}
		}

		if (this.#seen.has(nonce)) {
			return false;
		}

		this.#seen.set(nonce, nowMs);
		return true;
	}
}

/** ISO 8601 in UTC, `yyyy-MM-ddTHH:mm:ssZ` (fractions of a second tolerated). */
const utcTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

export function verifyRpcV1Request(request: {method: string; params: Record<string, string>}, options: VerifyOptions & {nonces: NonceLedger}): SignatureVerdict {
	const {params} = request;
	for (const name of rpcRequired) {
		if (params[name] === undefined || params[name] === '') {
			return {ok: false, status: 400, code: `Missing${name}`, message: `${name} is mandatory for this action.`};
		}
	}

	if (params.SignatureMethod !== rpcSignatureMethod || params.SignatureVersion !== rpcSignatureVersion) {
		return {ok: false, status: 400, code: 'IncompleteSignature', message: `The request signature does not conform to Aliyun standards: SignatureMethod must be ${rpcSignatureMethod} and SignatureVersion ${rpcSignatureVersion}.`};
	}

	const timestamp = params.Timestamp!;
	const time = Date.parse(timestamp);
	if (!utcTimestamp.test(timestamp) || Number.isNaN(time)) {
		return {ok: false, status: 400, code: 'InvalidTimeStamp.Format', message: 'Specified time stamp or date value is not well formatted.'};
	}

	const accessKeyId = params.AccessKeyId!;
	const secret = options.secretOf(accessKeyId);
	if (secret === undefined) {
		return {ok: false, status: 404, code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.'};
	}

	if (Math.abs(options.nowMs - time) > options.maxSkewMs) {
		return {ok: false, status: 400, code: 'InvalidTimeStamp.Expired', message: 'Specified time stamp or date value is expired.'};
	}

	const text = rpcStringToSign(request.method, params);
	const expected = Buffer.from(rpcSignature(text, secret));
	const given = Buffer.from(params.Signature!);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
		return {ok: false, status: 400, code: 'SignatureDoesNotMatch', message: `Specified signature is not matched with our calculation. server string to sign is:${text}`};
	}

	if (!options.nonces.claim(params.SignatureNonce!, options.nowMs)) {
		return {ok: false, status: 400, code: 'SignatureNonceUsed', message: 'Specified signature nonce was used already.'};
	}

	return {ok: true, accessKeyId};
}
