/**
 * HTTP agents and the request handler for AWS SDK v3 clients. The DNS lookup answers every `*.localhost` name with
 * 127.0.0.1 (RFC 6761 reserves the name for loopback) because OSS is virtual-hosted only: locally a bucket lives at
 * `bucket.oss-<region>.localhost`, which the system resolver here does not know.
 */
import dns, {type LookupAddress, type LookupOptions} from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type {LookupFunction} from 'node:net';
import {NodeHttpHandler} from '@smithy/node-http-handler';

export function isLocalhostName(hostname: string): boolean {
	const name = hostname.toLowerCase().replace(/\.$/, '');
	return name === 'localhost' || name.endsWith('.localhost');
}

export const localhostAwareLookup: LookupFunction = (hostname, options, callback) => {
	if (!isLocalhostName(hostname)) {
		dns.lookup(hostname, options, callback);
		return;
	}

	const lookupOptions = options as LookupOptions;
	const address: LookupAddress = {address: '127.0.0.1', family: 4};
	if (lookupOptions.all) {
		(callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, [address]);
	} else {
		callback(null, address.address, address.family);
	}
};

export type HttpAgentOptions = {
	/** Milliseconds to establish the TCP (and TLS) connection. @default 10000 */
	connectTimeoutMs?: number;
	/** Milliseconds a socket may stay idle while a request is in flight. @default 120000 */
	requestTimeoutMs?: number;
	/** Sockets per host; copies run several transfers at once. @default 64 */
	maxSockets?: number;
};

export function createHttpAgents(options: HttpAgentOptions = {}): {httpAgent: http.Agent; httpsAgent: https.Agent} {
	const common = {keepAlive: true, maxSockets: options.maxSockets ?? 64, lookup: localhostAwareLookup};
	return {httpAgent: new http.Agent(common), httpsAgent: new https.Agent(common)};
}

export function createRequestHandler(options: HttpAgentOptions = {}): NodeHttpHandler {
	const {httpAgent, httpsAgent} = createHttpAgents(options);
	return new NodeHttpHandler({
		httpAgent,
		httpsAgent,
		connectionTimeout: options.connectTimeoutMs ?? 10_000,
		requestTimeout: options.requestTimeoutMs ?? 120_000,
	});
}
