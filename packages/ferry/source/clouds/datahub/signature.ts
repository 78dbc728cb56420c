/**
 * DataHub's "DATAHUB" request signature (HMAC-SHA1), as the vendor SDKs compute it
 * (aliyun-datahub-sdk-python `datahub/auth/aliyun_account.py`, aliyun-datahub-sdk-go `datahub/restclient.go`):
 * METHOD, Content-Type, Date, every `x-datahub-*` header lower-cased and sorted as `name:value`, then the percent-decoded
 * path with the query parameters sorted by key (`k=v`, or a bare `k` for an empty value), joined by newlines.
 */
import {createHmac} from 'node:crypto';

export type DataHubKeys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

export type DataHubStringToSignInput = {
	method: string;
	contentType: string;
	/** RFC 1123, e.g. `Thu, 19 Nov 2026 08:00:00 GMT`. */
	date: string;
	/** Any headers; only `x-datahub-*` ones are signed. Names in any case. */
	headers: Record<string, string | undefined>;
	/** The path as sent; it is percent-decoded before signing, like the Python SDK does. */
	path: string;
	/** Parameter values as sent; an empty value is signed as a bare key (`?donetime`). */
	query?: Record<string, string>;
};

export const contentTypeJson = 'application/json';
/** The protocol version header the Python SDK sends (`datahub/version.py __datahub_client_version__`). */
export const dataHubClientVersion = '1.1';
export const securityTokenHeader = 'x-datahub-security-token';
const datahubHeaderPrefix = 'x-datahub-';

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

export function canonicalQuery(query: Record<string, string> | undefined): string {
	if (!query) {
		return '';
	}

	return Object.keys(query)
		.sort()
		.map(key => (query[key] ? `${key}=${query[key]}` : key))
		.join('&');
}

export function dataHubStringToSign(input: DataHubStringToSignInput): string {
	const signed = new Map<string, string>();
	for (const [name, value] of Object.entries(input.headers)) {
		const lower = name.toLowerCase();
		if (value !== undefined && lower.startsWith(datahubHeaderPrefix)) {
			signed.set(lower, value);
		}
	}

	const lines = [input.method.toUpperCase(), input.contentType, input.date];
	for (const name of [...signed.keys()].sort()) {
		lines.push(`${name}:${signed.get(name) ?? ''}`);
	}

	const query = canonicalQuery(input.query);
	const path = safeDecode(input.path);
	lines.push(query ? `${path}?${query}` : path);
	return lines.join('\n');
}

export function dataHubSignature(stringToSign: string, accessKeySecret: string): string {
	return createHmac('sha1', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

export function dataHubAuthorization(stringToSign: string, keys: {accessKeyId: string; accessKeySecret: string}): string {
	return `DATAHUB ${keys.accessKeyId}:${dataHubSignature(stringToSign, keys.accessKeySecret)}`;
}

export type SignDataHubRequestInput = {
	method: string;
	path: string;
	query?: Record<string, string>;
	/** Extra `x-datahub-*` headers that travel with the request and must be signed. */
	headers?: Record<string, string>;
	date?: Date;
	contentType?: string;
};

/** The headers a request needs: Date, Content-Type, client version, the STS token when there is one, Authorization. */
export function signDataHubRequest(request: SignDataHubRequestInput, keys: DataHubKeys): Record<string, string> {
	const added: Record<string, string> = {
		Date: (request.date ?? new Date()).toUTCString(),
		'Content-Type': request.contentType ?? contentTypeJson,
		'x-datahub-client-version': dataHubClientVersion,
	};
	if (keys.securityToken) {
		added[securityTokenHeader] = keys.securityToken;
	}

	const stringToSign = dataHubStringToSign({
		method: request.method,
		contentType: added['Content-Type'] ?? contentTypeJson,
		date: added.Date ?? '',
		headers: {...request.headers, ...added},
		path: request.path,
		query: request.query,
	});
	added.Authorization = dataHubAuthorization(stringToSign, keys);
	return added;
}
