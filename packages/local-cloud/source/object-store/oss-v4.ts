/**
 * Server-side check of the OSS V4 signature (`Authorization: OSS4-HMAC-SHA256 Credential=…,AdditionalHeaders=…,
 * Signature=…`), what the official OSS SDKs send. It rebuilds the canonical request from the wire, on its own code:
 * a signing bug in ferry's OSS V4 signer (source/clouds/alibaba) must fail here as it would against OSS.
 */
import {createHash, createHmac, timingSafeEqual} from 'node:crypto';
import {parseRawQuery, uriEncode, type SigV4Request} from '../sigv4.js';

const algorithm = 'OSS4-HMAC-SHA256';
const terminator = 'aliyun_v4_request';

export type OssV4Options = {
	region: string;
	/** The bucket and key the request addresses (from the virtual host and the path), undefined when absent. */
	bucket: string | undefined;
	key: string | undefined;
	lookupSecret: (accessKeyId: string) => string | undefined;
	now?: Date;
	/** @default 15 minutes */
	maxSkewMs?: number;
};

export type OssV4Success = {ok: true; accessKeyId: string; payloadHash: string; signature: string; scope: string; dateTime: string};
export type OssV4Failure = {ok: false; code: string; status: number; message: string; extra: Record<string, string>};

export function isOssV4Authorization(authorization: string | undefined): boolean {
	return authorization?.startsWith(`${algorithm} `) ?? false;
}

/** `/bucket/key` once-encoded with `/` kept; `/bucket/` for a bucket, `/` for the service. */
export function ossV4CanonicalUri(bucket: string | undefined, key: string | undefined): string {
	if (bucket === undefined) {
		return '/';
	}

	return `/${uriEncode(bucket)}/${(key ?? '').split('/').map(segment => uriEncode(segment)).join('/')}`;
}

/** Sorted, encoded pairs; a parameter without a value is signed as its bare name. */
export function ossV4CanonicalQuery(rawQuery: string): string {
	return parseRawQuery(rawQuery)
		.map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
		.sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0))
		.map(([name, value]) => (value === '' ? name : `${name}=${value}`))
		.join('&');
}

/** Every `x-oss-*` header, Content-Type, Content-MD5 and the additional headers, lower-cased, sorted, one per line. */
export function ossV4CanonicalHeaders(headers: SigV4Request['headers'], additional: readonly string[]): string {
	const signed = new Map<string, string>();
	for (const [rawName, rawValue] of Object.entries(headers)) {
		const name = rawName.toLowerCase();
		if (rawValue === undefined || !(name.startsWith('x-oss-') || name === 'content-type' || name === 'content-md5' || additional.includes(name))) {
			continue;
		}

		signed.set(name, (Array.isArray(rawValue) ? rawValue.join(',') : rawValue).trim());
	}

	return [...signed.keys()].sort().map(name => `${name}:${signed.get(name)!}\n`).join('');
}

export function ossV4SigningKeyFor(secret: string, date: string, region: string, product: string): Buffer {
	let key: Buffer = createHmac('sha256', `aliyun_v4${secret}`).update(date).digest();
	for (const part of [region, product, terminator]) {
		key = createHmac('sha256', key).update(part).digest();
	}

	return key;
}

type ParsedAuthorization = {accessKeyId: string; date: string; region: string; product: string; additional: string[]; signature: string};

function parseAuthorization(header: string): ParsedAuthorization | undefined {
	const fields = new Map<string, string>();
	for (const field of header.slice(algorithm.length + 1).split(',')) {
		const index = field.indexOf('=');
		if (index > 0) {
			fields.set(field.slice(0, index).trim(), field.slice(index + 1).trim());
		}
	}

	const credential = (fields.get('Credential') ?? '').split('/');
	const signature = fields.get('Signature') ?? '';
	if (credential.length !== 5 || credential[4] !== terminator || !/^[0-9a-f]{64}$/.test(signature)) {
		return undefined;
	}

	const [accessKeyId, date, region, product] = credential as [string, string, string, string];
	const additional = (fields.get('AdditionalHeaders') ?? '').split(';').map(name => name.trim().toLowerCase()).filter(Boolean).sort();
	return {accessKeyId, date, region, product, additional, signature};
}

function fail(code: string, status: number, message: string, extra: Record<string, string> = {}): OssV4Failure {
	return {ok: false, code, status, message, extra};
}

function firstHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

export function verifyOssV4(request: SigV4Request, options: OssV4Options): OssV4Result {
	const parsed = parseAuthorization(firstHeader(request.headers.authorization) ?? '');
	if (!parsed) {
		return fail('InvalidArgument', 400, 'Authorization header is invalid.', {ArgumentName: 'Authorization'});
	}

	const keyExtra = {OSSAccessKeyId: parsed.accessKeyId};
	const dateTime = firstHeader(request.headers['x-oss-date']) ?? '';
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(dateTime);
	if (!match) {
		return fail('AccessDenied', 403, 'OSS authentication requires a valid x-oss-date header.', keyExtra);
	}

	if (parsed.date !== dateTime.slice(0, 8)) {
		return fail('InvalidArgument', 400, `Invalid signing date in Authorization header: ${parsed.date} is not the date of x-oss-date ${dateTime}.`, keyExtra);
	}

	if (parsed.region !== options.region || parsed.product !== 'oss') {
		return fail('InvalidArgument', 400, `Invalid signing region or product in Authorization header: expected ${options.region}/oss, got ${parsed.region}/${parsed.product}.`, keyExtra);
	}

	const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
	const signedAt = Date.UTC(year!, month! - 1, day!, hour, minute, second);
	if (Math.abs((options.now ?? new Date()).getTime() - signedAt) > (options.maxSkewMs ?? 15 * 60 * 1000)) {
		return fail('RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', {...keyExtra, RequestTime: dateTime});
	}

	const payloadHash = firstHeader(request.headers['x-oss-content-sha256']);
	if (payloadHash === undefined) {
		return fail('InvalidArgument', 400, 'Missing required header for this request: x-oss-content-sha256.', {ArgumentName: 'x-oss-content-sha256'});
	}

	const secret = options.lookupSecret(parsed.accessKeyId);
	if (secret === undefined) {
		return fail('InvalidAccessKeyId', 403, 'The OSS Access Key Id you provided does not exist in our records.', keyExtra);
	}

	const rawUrl = request.url ?? '/';
	const queryAt = rawUrl.indexOf('?');
	const canonicalRequest = [
		(request.method ?? 'GET').toUpperCase(),
		ossV4CanonicalUri(options.bucket, options.key),
		ossV4CanonicalQuery(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)),
		ossV4CanonicalHeaders(request.headers, parsed.additional),
		parsed.additional.join(';'),
		payloadHash,
	].join('\n');
	const scope = `${parsed.date}/${parsed.region}/${parsed.product}/${terminator}`;
	const stringToSign = [algorithm, dateTime, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
	const expected = createHmac('sha256', ossV4SigningKeyFor(secret, parsed.date, parsed.region, parsed.product)).update(stringToSign).digest();
	const given = Buffer.from(parsed.signature, 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return fail('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
			...keyExtra,
			SignatureProvided: parsed.signature,
			StringToSign: stringToSign,
			CanonicalRequest: canonicalRequest,
			EC: '0002-00000201',
		});
	}

	return {ok: true, accessKeyId: parsed.accessKeyId, payloadHash, signature: parsed.signature, scope, dateTime};
}

export type OssV4Result = OssV4Success | OssV4Failure;
