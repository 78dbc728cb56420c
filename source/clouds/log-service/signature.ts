/**
 * The Log Service v1 signature ("LOG", HMAC-SHA1), as the vendor SDKs compute it (aliyun-log-nodejs-sdk
 * `lib/client.js` `_sign`, aliyun-log-go-sdk `signature.go`): VERB, Content-MD5, Content-Type and Date lines, the
 * `x-log-*`/`x-acs-*` headers lower-cased and sorted, then the path and the sorted, unencoded query.
 */
import {createHmac} from 'node:crypto';

export type LogKeys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

export function logStringToSign(request: {method: string; path: string; query: Record<string, string>; headers: Record<string, string>}): string {
	const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
	const canonicalHeaders = Object.keys(headers).filter(name => name.startsWith('x-log-') || name.startsWith('x-acs-')).sort().map(name => `${name}:${headers[name]!.trim()}\n`).join('');
	const query = Object.entries(request.query).map(([key, value]) => `${key}=${value}`).sort().join('&');
	return `${request.method}\n${headers['content-md5'] ?? ''}\n${headers['content-type'] ?? ''}\n${headers['date'] ?? ''}\n${canonicalHeaders}${request.path}${query ? `?${query}` : ''}`;
}

export function logAuthorization(stringToSign: string, keys: LogKeys): string {
	return `LOG ${keys.accessKeyId}:${createHmac('sha1', keys.accessKeySecret).update(stringToSign).digest('base64')}`;
}
