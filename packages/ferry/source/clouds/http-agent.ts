/**
 * The connection agents of every client: keep-alive, a DNS lookup that answers every `*.localhost` name with 127.0.0.1
 * (RFC 6761 reserves the name for loopback) because OSS is virtual-hosted only: locally a bucket lives at
 * `bucket.oss-<region>.localhost`, which the system resolver here does not know; and, for real endpoints, the proxy
 * the environment names (`proxy.ts`), through Node's own proxy support (the `proxyEnv` option of http.Agent: CONNECT
 * for https, absolute URLs for http). The hand-written clients get their agents through `http-transport.ts`; the AWS
 * SDK clients through `createRequestHandler`.
 */
import dns, {type LookupAddress, type LookupOptions} from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type {LookupFunction} from 'node:net';
import {NodeHttpHandler} from '@smithy/node-http-handler';
import {ConfigurationError} from '../engine/errors.js';
import {nodeSendsThroughProxies, proxyFor, type ProxyEnvironment} from './proxy.js';

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
	/** Where the proxy settings are read. @default process.env */
	env?: ProxyEnvironment;
};

/** One client's agents: a direct one per protocol and one per proxy in use, each made once. */
export type AgentPool = {agentFor(url: URL): http.Agent};

export function createAgentPool(options: HttpAgentOptions = {}): AgentPool {
	const agents = new Map<string, http.Agent>();
	const common = {keepAlive: true, maxSockets: options.maxSockets ?? 64, lookup: localhostAwareLookup};
	return {
		agentFor(url) {
			const secure = url.protocol === 'https:';
			const proxy = proxyFor(url, options.env ?? process.env);
			const key = `${url.protocol} ${proxy?.href ?? 'direct'}`;
			let agent = agents.get(key);
			if (!agent) {
				if (proxy && !nodeSendsThroughProxies()) {
					throw new ConfigurationError(`${secure ? 'HTTPS_PROXY' : 'HTTP_PROXY'} names a proxy for ${url.host}, and Node.js ${process.versions.node} cannot send through one`, {
						hint: 'Run ferry on Node.js 22.21 or 24.5 (or later), or add the host to NO_PROXY if it can be reached directly.',
					});
				}

				const proxyEnv = proxy ? {proxyEnv: {HTTP_PROXY: proxy.href, HTTPS_PROXY: proxy.href}} : {};
				agent = secure ? new https.Agent({...common, ...proxyEnv}) : new http.Agent({...common, ...proxyEnv});
				agents.set(key, agent);
			}

			return agent;
		},
	};
}

/**
 * The two agents an AWS SDK client gets (the SDK picks one by its endpoint's protocol). The endpoint's protocol gets
 * the agent its host calls for, proxy or not; the other protocol, and every request without an endpoint, connects
 * directly.
 */
export function createHttpAgents(options: HttpAgentOptions & {endpoint?: string} = {}): {httpAgent: http.Agent; httpsAgent: https.Agent} {
	const pool = createAgentPool(options);
	const endpoint = options.endpoint ? new URL(options.endpoint.includes('://') ? options.endpoint : `https://${options.endpoint}`) : undefined;
	const agentFor = (protocol: 'http:' | 'https:') => pool.agentFor(endpoint?.protocol === protocol ? endpoint : new URL(`${protocol}//localhost`));
	return {httpAgent: agentFor('http:'), httpsAgent: agentFor('https:') as https.Agent};
}

export function createRequestHandler(options: HttpAgentOptions & {endpoint?: string} = {}): NodeHttpHandler {
	const {httpAgent, httpsAgent} = createHttpAgents(options);
	return new NodeHttpHandler({
		httpAgent,
		httpsAgent,
		connectionTimeout: options.connectTimeoutMs ?? 10_000,
		requestTimeout: options.requestTimeoutMs ?? 120_000,
	});
}
