/**
 * The request an Alibaba Cloud RPC-style API (DataWorks, RAM, STS) gets from @alicloud/openapi-client's `doRequest`
 * in the generated SDKs, signed ACS3-HMAC-SHA256 by the vendor's @alicloud/openapi-util: `x-acs-action`/`-version`/
 * `-date`/`-signature-nonce`, the body's SHA-256 in `x-acs-content-sha256`, an STS token in `x-acs-security-token`,
 * parameters in the query and (for DataWorks' larger ones) a form body. One signer for every RPC client.
 */
import {createHash, randomUUID} from 'node:crypto';
import OpenApiUtil from '@alicloud/openapi-util';
import {registerSecret} from '../../log/redact.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';

const signatureAlgorithm = 'ACS3-HMAC-SHA256';

/** `key=value&…` with RFC 3986 escapes, the form @alicloud/openapi-client sends (and its query string). */
export function formOf(values: Readonly<Record<string, string>>): string {
	return Object.entries(values).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

export type RpcRequestToSign = {
	method: string;
	host: string;
	action: string;
	version: string;
	query: Readonly<Record<string, string>>;
	form?: Readonly<Record<string, string>>;
	userAgent: string;
};

/** The headers (Authorization included) and body of one signed RPC request; fresh date and nonce on every call. */
export async function signRpcRequest(request: RpcRequestToSign, credentials: AlibabaCredentialsProvider): Promise<{headers: Record<string, string>; body?: string}> {
	const keys = await credentials.getCredentials();
	registerSecret(keys.accessKeySecret);
	registerSecret(keys.securityToken);
	const body = request.form && Object.keys(request.form).length > 0 ? formOf(request.form) : undefined;
	const headers: Record<string, string> = {
		host: request.host,
		'x-acs-version': request.version,
		'x-acs-action': request.action,
		'user-agent': request.userAgent,
		'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
		'x-acs-signature-nonce': randomUUID(),
		accept: 'application/json',
		...(body === undefined ? {} : {'content-type': 'application/x-www-form-urlencoded'}),
	};
	const payloadHash = createHash('sha256').update(body ?? '').digest('hex');
	headers['x-acs-content-sha256'] = payloadHash;
	if (keys.securityToken) {
		headers['x-acs-accesskey-id'] = keys.accessKeyId;
		headers['x-acs-security-token'] = keys.securityToken;
	}

	headers.Authorization = OpenApiUtil.default.getAuthorization({method: request.method, pathname: '/', headers, query: request.query} as never, signatureAlgorithm, payloadHash, keys.accessKeyId, keys.accessKeySecret);
	return {headers, ...(body === undefined ? {} : {body})};
}
