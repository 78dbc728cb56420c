/**
 * Server-side AWS Signature Version 4 verification, shared by the stand-ins that speak AWS protocols.
 * It rebuilds the canonical request from what arrived on the wire, so a client whose signer is wrong fails here
 * exactly as it would against AWS.
 */
import {createHash, createHmac, timingSafeEqual} from 'node:crypto';

export type SigV4Request = {
	method?: string;
	/** Path and query exactly as received (`IncomingMessage.url`). */
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	/** Node's `headersDistinct`, when available, keeps repeated headers apart. */
	headersDistinct?: Record<string, string[] | undefined>;
};

export type VerifySigV4Options = {
	service: string;
	region: string;
	lookupSecret: (accessKeyId: string) => string | undefined | Promise<string | undefined>;
	/** The whole body, when the service signs the body's hash without an `x-amz-content-sha256` header. */
	body?: Buffer | string;
	now?: Date;
	/** @default 15 minutes, like AWS */
	maxSkewMs?: number;
	/**
	 * Accept a scope naming any region, signed with that region's key. OSS's S3 compatibility does: rclone's
	 * documented Alibaba setup signs us-east-1 whatever the bucket's region.
	 */
	acceptAnyRegion?: boolean;
};

export type SigV4Failure = {
	ok: false;
	reason: 'missing' | 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'skewed' | 'wrong-region' | 'unsupported';
	/** The error code S3 answers with for this failure. */
	s3Code: string;
	status: number;
	message: string;
	accessKeyId?: string;
	stringToSign?: string;
	canonicalRequest?: string;
};

export type SigV4Success = {
	ok: true;
	accessKeyId: string;
	/** The payload hash that was signed: a hex digest, `UNSIGNED-PAYLOAD` or a `STREAMING-*` marker. */
	payloadHash: string;
	signature: string;
	/** `YYYYMMDD/region/service/aws4_request` */
	scope: string;
	amzDate: string;
	signingKey: Buffer;
	presigned: boolean;
};

export type SigV4Result = SigV4Success | SigV4Failure;

const algorithm = 'AWS4-HMAC-SHA256';
const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: Buffer | string, data: string): Buffer {
	return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
	return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 defines it: only A-Z a-z 0-9 - . _ ~ stay literal. */
export function uriEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, character => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

function normalizePath(segments: string[]): string[] {
	const result: string[] = [];
	for (const segment of segments) {
		if (segment === '.' || segment === '') {
			continue;
		}

		if (segment === '..') {
			result.pop();
			continue;
		}

		result.push(segment);
	}

	return result;
}

/** S3 signs the path once-encoded and unnormalised; every other service encodes the wire path again and normalises it. */
export function canonicalUri(rawPath: string, service: string): string {
	if (service === 's3') {
		return rawPath.split('/').map(segment => uriEncode(safeDecode(segment))).join('/') || '/';
	}

	// The wire path is already encoded once; encoding it again is the "double encoding" the other services expect.
	const trailingSlash = rawPath.length > 1 && rawPath.endsWith('/');
	const segments = normalizePath(rawPath.split('/'));
	return `/${segments.map(segment => uriEncode(segment)).join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`;
}

export function parseRawQuery(rawQuery: string): Array<[string, string]> {
	if (rawQuery === '') {
		return [];
	}

	return rawQuery.split('&').filter(Boolean).map(pair => {
		const index = pair.indexOf('=');
		return index === -1 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, index)), safeDecode(pair.slice(index + 1))];
	});
}

export function canonicalQuery(pairs: Array<[string, string]>): string {
	return pairs
		.map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
		.sort(([keyA, valueA], [keyB, valueB]) => (keyA < keyB ? -1 : keyA > keyB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0))
		.map(([key, value]) => `${key}=${value}`)
		.join('&');
}

function headerValues(request: SigV4Request, name: string): string[] | undefined {
	const distinct = request.headersDistinct?.[name];
	if (distinct) {
		return distinct;
	}

	const value = request.headers[name];
	if (value === undefined) {
		return undefined;
	}

	return Array.isArray(value) ? value : [value];
}

function firstHeader(request: SigV4Request, name: string): string | undefined {
	return headerValues(request, name)?.[0];
}

function canonicalHeaderValue(values: string[]): string {
	return values.map(value => value.trim().replace(/\s+/g, ' ')).join(',');
}

export function buildCanonicalRequest(parts: {
	method: string;
	uri: string;
	query: string;
	headers: Array<[string, string]>;
	signedHeaders: string;
	payloadHash: string;
}): string {
	return [
		parts.method,
		parts.uri,
		parts.query,
		parts.headers.map(([name, value]) => `${name}:${value}\n`).join(''),
		parts.signedHeaders,
		parts.payloadHash,
	].join('\n');
}

export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
	return [algorithm, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
}

function failure(reason: SigV4Failure['reason'], s3Code: string, status: number, message: string, extra: Partial<SigV4Failure> = {}): SigV4Failure {
	return {ok: false, reason, s3Code, status, message, ...extra};
}

function parseAmzDate(value: string): Date | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	if (!match) {
		return undefined;
	}

	const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
	return new Date(Date.UTC(year!, month! - 1, day!, hour, minute, second));
}

type Parsed = {
	accessKeyId: string;
	credentialDate: string;
	credentialRegion: string;
	credentialService: string;
	signedHeaders: string;
	signature: string;
	amzDate: string;
	presigned: boolean;
	expiresSeconds?: number;
};

function parseCredential(credential: string): {accessKeyId: string; date: string; region: string; service: string} | undefined {
	const parts = credential.split('/');
	if (parts.length !== 5 || parts[4] !== 'aws4_request') {
		return undefined;
	}

	const [accessKeyId, date, region, service] = parts as [string, string, string, string];
	return {accessKeyId, date, region, service};
}

function parseAuthorization(request: SigV4Request, query: Array<[string, string]>): Parsed | SigV4Failure {
	const authorization = firstHeader(request, 'authorization');
	if (authorization) {
		if (!authorization.startsWith(`${algorithm} `)) {
			return failure('unsupported', 'InvalidArgument', 400, 'Unsupported Authorization Type');
		}

		const fields = new Map<string, string>();
		for (const field of authorization.slice(algorithm.length + 1).split(',')) {
			const index = field.indexOf('=');
			if (index > 0) {
				fields.set(field.slice(0, index).trim(), field.slice(index + 1).trim());
			}
		}

		const credential = parseCredential(fields.get('Credential') ?? '');
		const signedHeaders = fields.get('SignedHeaders');
		const signature = fields.get('Signature');
		if (!credential || !signedHeaders || !signature) {
			return failure('malformed', 'AuthorizationHeaderMalformed', 400, 'The authorization header is malformed; the Credential, SignedHeaders or Signature field is missing or invalid.');
		}

		const amzDate = firstHeader(request, 'x-amz-date') ?? '';
		return {
			accessKeyId: credential.accessKeyId,
			credentialDate: credential.date,
			credentialRegion: credential.region,
			credentialService: credential.service,
			signedHeaders,
			signature,
			amzDate,
			presigned: false,
		};
	}

	const get = (name: string) => query.find(([key]) => key === name)?.[1];
	if (get('X-Amz-Algorithm') !== undefined) {
		if (get('X-Amz-Algorithm') !== algorithm) {
			return failure('unsupported', 'InvalidArgument', 400, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
		}

		const credential = parseCredential(get('X-Amz-Credential') ?? '');
		const signedHeaders = get('X-Amz-SignedHeaders');
		const signature = get('X-Amz-Signature');
		const expires = Number(get('X-Amz-Expires'));
		if (!credential || !signedHeaders || !signature || !Number.isInteger(expires)) {
			return failure('malformed', 'AuthorizationQueryParametersError', 400, 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
		}

		return {
			accessKeyId: credential.accessKeyId,
			credentialDate: credential.date,
			credentialRegion: credential.region,
			credentialService: credential.service,
			signedHeaders,
			signature,
			amzDate: get('X-Amz-Date') ?? '',
			presigned: true,
			expiresSeconds: expires,
		};
	}

	return failure('missing', 'AccessDenied', 403, 'Access Denied');
}

/**
 * Checks a request's SigV4 header or query (presigned) signature. It does not read the body: for S3 the signed
 * `x-amz-content-sha256` is returned so the caller can check the streamed body against it.
 */
export async function verifySigV4(request: SigV4Request, options: VerifySigV4Options): Promise<SigV4Result> {
	const rawUrl = request.url ?? '/';
	const queryIndex = rawUrl.indexOf('?');
	const rawPath = queryIndex === -1 ? rawUrl : rawUrl.slice(0, queryIndex);
	const query = parseRawQuery(queryIndex === -1 ? '' : rawUrl.slice(queryIndex + 1));

	const parsed = parseAuthorization(request, query);
	if ('ok' in parsed) {
		return parsed;
	}

	const signedDate = parseAmzDate(parsed.amzDate);
	if (!signedDate) {
		return failure('malformed', 'AccessDenied', 403, 'AWS authentication requires a valid Date or x-amz-date header', {accessKeyId: parsed.accessKeyId});
	}

	if (parsed.credentialDate !== parsed.amzDate.slice(0, 8)) {
		return failure('malformed', 'AuthorizationHeaderMalformed', 400, `The authorization header is malformed; Invalid credential date "${parsed.credentialDate}". This date is not the same as X-Amz-Date: "${parsed.amzDate.slice(0, 8)}".`, {accessKeyId: parsed.accessKeyId});
	}

	if (parsed.credentialRegion !== options.region && !(options.acceptAnyRegion && /^[a-z0-9-]+$/.test(parsed.credentialRegion))) {
		return failure('wrong-region', 'AuthorizationHeaderMalformed', 400, `The authorization header is malformed; the region '${parsed.credentialRegion}' is wrong; expecting '${options.region}'`, {accessKeyId: parsed.accessKeyId});
	}

	if (parsed.credentialService !== options.service) {
		return failure('malformed', 'AuthorizationHeaderMalformed', 400, `The authorization header is malformed; incorrect service "${parsed.credentialService}". This endpoint belongs to "${options.service}".`, {accessKeyId: parsed.accessKeyId});
	}

	const now = options.now ?? new Date();
	if (parsed.presigned) {
		if (now.getTime() > signedDate.getTime() + (parsed.expiresSeconds ?? 0) * 1000) {
			return failure('expired', 'AccessDenied', 403, 'Request has expired', {accessKeyId: parsed.accessKeyId});
		}
	} else if (Math.abs(now.getTime() - signedDate.getTime()) > (options.maxSkewMs ?? 15 * 60 * 1000)) {
		return failure('skewed', 'RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', {accessKeyId: parsed.accessKeyId});
	}

	const secret = await options.lookupSecret(parsed.accessKeyId);
	if (secret === undefined) {
		return failure('unknown-key', 'InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', {accessKeyId: parsed.accessKeyId});
	}

	const signedHeaderNames = parsed.signedHeaders.split(';');
	if (!signedHeaderNames.includes('host')) {
		return failure('malformed', 'AccessDenied', 403, 'Host header must be signed', {accessKeyId: parsed.accessKeyId});
	}

	const headers: Array<[string, string]> = [];
	for (const name of signedHeaderNames) {
		const values = headerValues(request, name);
		if (values === undefined) {
			return failure('bad-signature', 'SignatureDoesNotMatch', 403, `The request signature we calculated does not match the signature you provided. Signed header "${name}" is missing.`, {accessKeyId: parsed.accessKeyId});
		}

		headers.push([name, canonicalHeaderValue(values)]);
	}

	let payloadHash: string;
	if (parsed.presigned) {
		payloadHash = 'UNSIGNED-PAYLOAD';
	} else {
		const declared = firstHeader(request, 'x-amz-content-sha256');
		if (declared !== undefined) {
			payloadHash = declared;
		} else if (options.service === 's3') {
			return failure('malformed', 'InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256', {accessKeyId: parsed.accessKeyId});
		} else {
			payloadHash = options.body === undefined ? emptySha256 : sha256Hex(options.body);
		}
	}

	const canonicalRequest = buildCanonicalRequest({
		method: request.method ?? 'GET',
		uri: canonicalUri(rawPath, options.service),
		query: canonicalQuery(parsed.presigned ? query.filter(([key]) => key !== 'X-Amz-Signature') : query),
		headers,
		signedHeaders: parsed.signedHeaders,
		payloadHash,
	});
	const scope = `${parsed.credentialDate}/${parsed.credentialRegion}/${parsed.credentialService}/aws4_request`;
	const stringToSign = buildStringToSign(parsed.amzDate, scope, canonicalRequest);
	const signingKey = deriveSigningKey(secret, parsed.credentialDate, parsed.credentialRegion, parsed.credentialService);
	const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
	const given = Buffer.from(parsed.signature, 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return failure('bad-signature', 'SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
			accessKeyId: parsed.accessKeyId,
			stringToSign,
			canonicalRequest,
		});
	}

	return {
		ok: true,
		accessKeyId: parsed.accessKeyId,
		payloadHash,
		signature: parsed.signature,
		scope,
		amzDate: parsed.amzDate,
		signingKey,
		presigned: parsed.presigned,
	};
}
