/**
 * The Data Online Migration stand-in's own check of OSS4-HMAC-SHA256, as the vendor gateway
 * (aliyun/alibabacloud-gateway, alibabacloud-gateway-oss `GetSignatureV4`) signs hcs-mgw calls: no bucket, so the
 * canonical URI is the API path itself (each segment percent-encoded), product `oss`, region from
 * `{region}.mgw.aliyuncs.com`, `UNSIGNED-PAYLOAD`. The query, header and key-derivation rules are OSS V4's, shared
 * with the OSS stand-in's verifier (`../object-store/oss-v4.ts`); none of it is ferry's signing client.
 */
import {createHash, createHmac, timingSafeEqual} from 'node:crypto';
import {ossV4CanonicalHeaders, ossV4CanonicalQuery, ossV4SigningKeyFor} from '../object-store/oss-v4.js';
import {uriEncode} from '../sigv4.js';

const algorithm = 'OSS4-HMAC-SHA256';
const terminator = 'aliyun_v4_request';
const unsignedPayload = 'UNSIGNED-PAYLOAD';

export type MgwWireRequest = {
	method: string;
	/** Path and raw query as received. */
	url: string;
	headers: Record<string, string | string[] | undefined>;
};

export type MgwSignatureOptions = {
	accessKeyId: string;
	secret: string;
	region: string;
	now?: Date;
	/** @default 15 minutes */
	maxSkewMs?: number;
};

export type MgwSignatureCheck =
	| {ok: true; accessKeyId: string; canonicalRequest: string; stringToSign: string}
	| {ok: false; status: number; code: string; message: string};

export type MgwAuthorization = {accessKeyId: string; day: string; region: string; product: string; additionalHeaders: string[]; signature: string};

/** `OSS4-HMAC-SHA256 Credential=AK/day/region/product/aliyun_v4_request[, AdditionalHeaders=a;b], Signature=hex` */
export function parseMgwAuthorization(header: string | undefined): MgwAuthorization | undefined {
	if (!header?.startsWith(`${algorithm} `)) {
		return undefined;
	}

	const fields = new Map<string, string>();
	for (const field of header.slice(algorithm.length + 1).split(',')) {
		const equals = field.indexOf('=');
		if (equals > 0) {
			fields.set(field.slice(0, equals).trim(), field.slice(equals + 1).trim());
		}
	}

	const [accessKeyId = '', day = '', region = '', product = '', last, ...extra] = (fields.get('Credential') ?? '').split('/');
	const signature = fields.get('Signature') ?? '';
	if (last !== terminator || extra.length > 0 || !accessKeyId || !/^\d{8}$/.test(day) || !region || !product || !/^[\da-f]{64}$/.test(signature)) {
		return undefined;
	}

	const additionalHeaders = (fields.get('AdditionalHeaders') ?? '').split(';').map(name => name.trim().toLowerCase()).filter(Boolean).sort();
	return {accessKeyId, day, region, product, additionalHeaders, signature};
}

function first(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function decodeOnce(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** The API path with every segment encoded once, `/` kept (the gateway's `GetEncodePath` of the unencoded path). */
export function mgwCanonicalUri(rawPath: string): string {
	return rawPath === '' ? '/' : rawPath.split('/').map(segment => uriEncode(decodeOnce(segment))).join('/');
}

export function mgwCanonicalRequest(request: MgwWireRequest, additionalHeaders: readonly string[]): string {
	const queryAt = request.url.indexOf('?');
	return [
		request.method.toUpperCase(),
		mgwCanonicalUri(queryAt === -1 ? request.url : request.url.slice(0, queryAt)),
		ossV4CanonicalQuery(queryAt === -1 ? '' : request.url.slice(queryAt + 1)),
		ossV4CanonicalHeaders(request.headers, additionalHeaders),
		additionalHeaders.join(';'),
		first(request.headers['x-oss-content-sha256']) ?? unsignedPayload,
	].join('\n');
}

function parseOssDateTime(value: string): number {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])) : Number.NaN;
}

export function checkMgwSignature(request: MgwWireRequest, options: MgwSignatureOptions): MgwSignatureCheck {
	const authorization = parseMgwAuthorization(first(request.headers.authorization));
	if (!authorization) {
		return {ok: false, status: 400, code: 'InvalidArgument', message: 'Authorization header is invalid; only OSS4-HMAC-SHA256 is accepted.'};
	}

	if (authorization.accessKeyId !== options.accessKeyId) {
		return {ok: false, status: 403, code: 'InvalidAccessKeyId', message: 'The AccessKey Id you provided does not exist in our records.'};
	}

	const dateTime = first(request.headers['x-oss-date']) ?? '';
	const signedAt = parseOssDateTime(dateTime);
	if (Number.isNaN(signedAt) || dateTime.slice(0, 8) !== authorization.day) {
		return {ok: false, status: 403, code: 'AccessDenied', message: 'x-oss-date is missing or does not match the credential scope.'};
	}

	if (Math.abs((options.now ?? new Date()).getTime() - signedAt) > (options.maxSkewMs ?? 15 * 60 * 1000)) {
		return {ok: false, status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.'};
	}

	if (authorization.region !== options.region || authorization.product !== 'oss') {
		return {ok: false, status: 403, code: 'SignatureDoesNotMatch', message: `The credential scope must be {date}/${options.region}/oss/${terminator}.`};
	}

	const canonicalRequest = mgwCanonicalRequest(request, authorization.additionalHeaders);
	const scope = `${authorization.day}/${authorization.region}/${authorization.product}/${terminator}`;
	const stringToSign = [algorithm, dateTime, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
	const expected = createHmac('sha256', ossV4SigningKeyFor(options.secret, authorization.day, authorization.region, authorization.product)).update(stringToSign).digest();
	const given = Buffer.from(authorization.signature, 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return {ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'};
	}

	return {ok: true, accessKeyId: authorization.accessKeyId, canonicalRequest, stringToSign};
}
