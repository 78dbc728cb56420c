/**
 * ACS3-HMAC-SHA256, the V3 signature of Alibaba Cloud OpenAPI ("V3 request body and signature mechanism").
 * Pure functions: the client side (tests against the vendor's vectors and @alicloud/openapi-client) and the
 * local stand-ins (which rebuild the same canonical request from what arrived on the wire) share them.
 */
import {createHash, createHmac} from 'node:crypto';
import {percentEncode} from './percent-encode.js';

export const acs3Algorithm = 'ACS3-HMAC-SHA256';

export type Acs3Request = {
	method: string;
	/** The path as sent on the wire (already percent-encoded by the caller, as the SDK does). */
	pathname: string;
	/** Decoded query values; the canonical form encodes them. */
	query?: Record<string, string | undefined>;
	/** Header names in any case; only `host`, `content-type` and `x-acs-*` are signed. */
	headers: Record<string, string | string[] | undefined>;
	/** Hex SHA-256 of the body, the value of `x-acs-content-sha256`. */
	hashedPayload: string;
};

export type Acs3Signature = {
	canonicalRequest: string;
	stringToSign: string;
	signedHeaders: string[];
	signature: string;
	authorization: string;
};

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

export const emptyPayloadSha256 = sha256Hex('');

export function canonicalQueryString(query: Record<string, string | undefined> = {}): string {
	return Object.keys(query)
		.sort()
		.map(key => `${key}=${percentEncode(query[key] ?? '')}`)
		.join('&');
}

function isSignedHeader(name: string): boolean {
	return name.startsWith('x-acs-') || name === 'host' || name === 'content-type';
}

export function canonicalHeaders(headers: Acs3Request['headers']): {text: string; names: string[]} {
	const grouped = new Map<string, string[]>();
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (!isSignedHeader(lower) || value === undefined) {
			continue;
		}

		const values = Array.isArray(value) ? value : [value];
		grouped.set(lower, [...(grouped.get(lower) ?? []), ...values.map(item => item.trim())]);
	}

	const names = [...grouped.keys()].sort();
	const text = names.map(name => `${name}:${(grouped.get(name) ?? []).sort().join(',')}\n`).join('');
	return {text, names};
}

export function signAcs3(request: Acs3Request, accessKeyId: string, accessKeySecret: string): Acs3Signature {
	const headers = canonicalHeaders(request.headers);
	const canonicalRequest = [
		request.method.toUpperCase(),
		request.pathname || '/',
		canonicalQueryString(request.query),
		headers.text,
		headers.names.join(';'),
		request.hashedPayload,
	].join('\n');
	const stringToSign = `${acs3Algorithm}\n${sha256Hex(canonicalRequest)}`;
	const signature = createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
	return {
		canonicalRequest,
		stringToSign,
		signedHeaders: headers.names,
		signature,
		authorization: `${acs3Algorithm} Credential=${accessKeyId},SignedHeaders=${headers.names.join(';')},Signature=${signature}`,
	};
}

export type ParsedAcs3Authorization = {accessKeyId: string; signedHeaders: string[]; signature: string};

/** Reads `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`; undefined when it is not that shape. */
export function parseAcs3Authorization(header: string | undefined): ParsedAcs3Authorization | undefined {
	if (!header?.startsWith(`${acs3Algorithm} `)) {
		return undefined;
	}

	const fields = new Map<string, string>();
	for (const part of header.slice(acs3Algorithm.length + 1).split(',')) {
		const index = part.indexOf('=');
		if (index > 0) {
			fields.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
		}
	}

	const accessKeyId = fields.get('Credential');
	const signedHeaders = fields.get('SignedHeaders');
	const signature = fields.get('Signature');
	if (!accessKeyId || signedHeaders === undefined || !signature) {
		return undefined;
	}

	return {accessKeyId, signedHeaders: signedHeaders.split(';').filter(Boolean), signature};
}
