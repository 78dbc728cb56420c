/**
 * OSS4-HMAC-SHA256, the OSS V4 signature. OSS Data Online Migration (hcs-mgw 2024-06-26) is signed with it: the
 * vendor SDKs route that product through `alibabacloud-gateway-oss`, which signs every request this way with the
 * product fixed to `oss` and the region taken from `{region}.mgw.aliyuncs.com`. Pure functions, shared by the client
 * and the local stand-in.
 */
import {createHash, createHmac} from 'node:crypto';
import {percentEncode, percentEncodePath} from './percent-encode.js';

export const ossV4Algorithm = 'OSS4-HMAC-SHA256';
export const unsignedPayload = 'UNSIGNED-PAYLOAD';

export type OssV4Request = {
	method: string;
	/** Decoded resource path, `/{bucket}/{key}` for OSS objects, the API path (e.g. `/address`) for hcs-mgw. */
	resource: string;
	/** Decoded query; a key with an empty value is signed as the bare key (`?verify`). */
	query?: Record<string, string | undefined>;
	headers: Record<string, string | string[] | undefined>;
	/** Lower-case names of extra headers to sign (`AdditionalHeaders=`). */
	additionalHeaders?: string[];
	/** `YYYYMMDDTHHMMSSZ`, the `x-oss-date` header. */
	dateTime: string;
	region: string;
	/** @default 'oss' */
	product?: string;
};

export type OssV4Signature = {
	canonicalRequest: string;
	stringToSign: string;
	scope: string;
	signature: string;
	authorization: string;
};

/** `2023-12-16T16:20:57.000Z` → `20231216T162057Z` */
export function ossV4DateTime(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(/[-:]/g, '');
}

function headerValue(value: string | string[] | undefined): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	return (Array.isArray(value) ? value.join(',') : value).trim();
}

function canonicalQuery(query: Record<string, string | undefined>): string {
	return Object.entries(query)
		.map(([key, value]) => [percentEncode(key), value ? percentEncode(value) : ''] as const)
		.sort(([left], [right]) => (left < right ? -1 : (left > right ? 1 : 0)))
		.map(([key, value]) => (value ? `${key}=${value}` : key))
		.join('&');
}

function canonicalHeaders(headers: OssV4Request['headers'], additional: readonly string[]): string {
	const lowered = new Map<string, string>();
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		const text = headerValue(value);
		if (text !== undefined && (lower.startsWith('x-oss-') || lower === 'content-type' || lower === 'content-md5' || additional.includes(lower))) {
			lowered.set(lower, text);
		}
	}

	return [...lowered.keys()].sort().map(name => `${name}:${lowered.get(name) ?? ''}\n`).join('');
}

export function ossV4SigningKey(secret: string, date: string, region: string, product: string): Buffer {
	const step = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
	return step(step(step(step(`aliyun_v4${secret}`, date), region), product), 'aliyun_v4_request');
}

export function signOssV4(request: OssV4Request, accessKeyId: string, accessKeySecret: string): OssV4Signature {
	const product = request.product ?? 'oss';
	const additional = [...new Set((request.additionalHeaders ?? []).map(name => name.toLowerCase()))].sort();
	const canonicalRequest = [
		request.method.toUpperCase(),
		percentEncodePath(request.resource || '/'),
		canonicalQuery(request.query ?? {}),
		canonicalHeaders(request.headers, additional),
		additional.join(';'),
		headerValue(request.headers['x-oss-content-sha256']) ?? unsignedPayload,
	].join('\n');
	const date = request.dateTime.slice(0, 8);
	const scope = `${date}/${request.region}/${product}/aliyun_v4_request`;
	const stringToSign = `${ossV4Algorithm}\n${request.dateTime}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
	const signature = createHmac('sha256', ossV4SigningKey(accessKeySecret, date, request.region, product)).update(stringToSign).digest('hex');
	const additionalPart = additional.length > 0 ? `,AdditionalHeaders=${additional.join(';')}` : '';
	return {
		canonicalRequest,
		stringToSign,
		scope,
		signature,
		authorization: `${ossV4Algorithm} Credential=${accessKeyId}/${scope}${additionalPart},Signature=${signature}`,
	};
}

export type ParsedOssV4Authorization = {
	accessKeyId: string;
	date: string;
	region: string;
	product: string;
	additionalHeaders: string[];
	signature: string;
};

/** Reads `OSS4-HMAC-SHA256 Credential=AK/date/region/product/aliyun_v4_request[, AdditionalHeaders=…], Signature=…`. */
export function parseOssV4Authorization(header: string | undefined): ParsedOssV4Authorization | undefined {
	if (!header?.startsWith(`${ossV4Algorithm} `)) {
		return undefined;
	}

	const fields = new Map<string, string>();
	for (const part of header.slice(ossV4Algorithm.length + 1).split(',')) {
		const index = part.indexOf('=');
		if (index > 0) {
			fields.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
		}
	}

	const credential = fields.get('Credential')?.split('/');
	const signature = fields.get('Signature');
	if (credential?.length !== 5 || credential[4] !== 'aliyun_v4_request' || !signature) {
		return undefined;
	}

	const [accessKeyId = '', date = '', region = '', product = ''] = credential;
	return {
		accessKeyId,
		date,
		region,
		product,
		additionalHeaders: (fields.get('AdditionalHeaders') ?? '').split(';').filter(Boolean),
		signature,
	};
}
