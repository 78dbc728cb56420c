/**
 * The one place the hand-written clients' bytes go out: node:http(s) with the client's agents (`http-agent.ts`:
 * keep-alive, `*.localhost` → 127.0.0.1, the proxy for real endpoints). Whole bodies in, whole bodies out.
 */
import http from 'node:http';
import https from 'node:https';
import {createAgentPool, type HttpAgentOptions} from './http-agent.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export type OutgoingRequest = {
	method: HttpMethod;
	/** Scheme, host (with the port) and the request target: the path and the query exactly as sent. */
	url: URL;
	headers: Record<string, string>;
	body?: string | Buffer;
};

export type HttpAnswer = {status: number; headers: http.IncomingHttpHeaders; body: Buffer};

/** Sends one request; rejects on a network failure or when the signal aborts. */
export type HttpTransport = (request: OutgoingRequest, signal: AbortSignal) => Promise<HttpAnswer>;

export function createHttpTransport(options: Pick<HttpAgentOptions, 'maxSockets' | 'env'> = {}): HttpTransport {
	const pool = createAgentPool(options);
	return (request, signal) => new Promise((resolve, reject) => {
		const agent = pool.agentFor(request.url);
		const headers = {...request.headers};
		if (request.body !== undefined && !Object.keys(headers).some(name => name.toLowerCase() === 'content-length')) {
			headers['Content-Length'] = String(Buffer.byteLength(request.body));
		}

		const send = request.url.protocol === 'https:' ? https.request : http.request;
		const outgoing = send(request.url, {method: request.method, headers, agent, signal}, response => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('error', reject);
			response.on('aborted', () => reject(Object.assign(new Error('the response was cut off'), {code: 'ECONNRESET'})));
			response.on('end', () => resolve({status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks)}));
		});
		outgoing.on('error', reject);
		outgoing.end(request.body);
	});
}
