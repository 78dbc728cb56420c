/**
 * A small DataHub request signer for tests, written apart from the stand-in's checker: it follows the Python SDK's
 * `AliyunAccount._build_canonical_str` (aliyun-datahub-sdk-python datahub/auth/aliyun_account.py) step by step.
 */
import {createHmac} from 'node:crypto';

export type DataHubKeys = {accessKeyId: string; secret: string; securityToken?: string};

export function signDataHub(method: string, pathAndQuery: string, headers: Record<string, string>, secret: string): string {
	const [path = '', query] = decodeURIComponent(pathAndQuery).split('?');
	const sortedQuery = (query ?? '')
		.split('&')
		.filter(part => part !== '')
		.map(part => part.split('='))
		.sort((left, right) => (left[0]! > right[0]! ? 1 : left[0]! < right[0]! ? -1 : 0))
		.map(([key, value]) => (value ? `${key}=${value}` : key))
		.join('&');
	const lower: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
	const signed = Object.keys(lower)
		.filter(name => name.startsWith('x-datahub-'))
		.sort()
		.map(name => `${name}:${lower[name]}`);
	const text = [method, lower['content-type'] ?? '', lower.date ?? '', ...signed, sortedQuery ? `${path}?${sortedQuery}` : path].join('\n');
	return createHmac('sha1', secret).update(text).digest('base64');
}

export type DataHubAnswer = {status: number; headers: Headers; body: Record<string, unknown>; text: string};

export async function dataHubRequest(
	baseUrl: string,
	keys: DataHubKeys,
	method: string,
	pathAndQuery: string,
	options: {body?: unknown; date?: Date; signature?: string; headers?: Record<string, string>} = {},
): Promise<DataHubAnswer> {
	const headers: Record<string, string> = {
		'Content-Type': 'application/json',
		Date: (options.date ?? new Date()).toUTCString(),
		'x-datahub-client-version': '1.1',
		...(keys.securityToken ? {'x-datahub-security-token': keys.securityToken} : {}),
		...options.headers,
	};
	headers.Authorization = `DATAHUB ${keys.accessKeyId}:${options.signature ?? signDataHub(method, pathAndQuery, headers, keys.secret)}`;
	const response = await fetch(`${baseUrl}${pathAndQuery}`, {method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body)});
	const text = await response.text();
	return {status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) as Record<string, unknown> : {}};
}
