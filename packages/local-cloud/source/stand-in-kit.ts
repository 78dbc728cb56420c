/**
 * The request pipeline of an HTTP stand-in, one for all of them: a health probe, an injected fault, the body read with
 * the service's size limit, the signature check, the route to an action, and one error path. Everything a stand-in
 * refuses is a `StandInError` (status, code, message, extra fields), rendered in the service's own error document by
 * its `errorBody`; anything else an action throws is the service's internal error, unless the answer had begun, when
 * the connection is dropped as a real server's would be. What a request means stays with the stand-in: its signature
 * code, its routes, its documents.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {healthProbeHeader, type FaultOutcome, type FaultPoint} from './faults.js';
import {serveHttp, type ServedHttp} from './http-serve.js';

/** A refusal in the service's terms: the HTTP status, the service's error code and message, and any fields its error document carries beside them. */
export class StandInError extends Error {
	readonly status: number;
	readonly code: string;
	readonly extra: Readonly<Record<string, string>>;

	constructor(status: number, code: string, message: string, extra: Record<string, string> = {}) {
		super(message);
		this.name = 'StandInError';
		this.status = status;
		this.code = code;
		this.extra = extra;
	}
}

/**
 * A request as every stage sees it: the target split as sent, the headers (repeated ones joined by commas), the whole
 * body (empty for a stand-in that streams bodies: it reads `incoming` itself).
 */
export type StandInRequest = {
	readonly incoming: IncomingMessage;
	/** The id the answer carries in the service's request-id header. */
	readonly id: string;
	readonly method: string;
	/** The request target as sent: path and query, still percent-encoded. */
	readonly target: string;
	readonly path: string;
	/** The part after `?`, still percent-encoded. */
	readonly rawQuery: string;
	readonly url: URL;
	readonly headers: Readonly<Record<string, string | undefined>>;
	readonly body: Buffer;
};

/**
 * What a route answers: the status (200), headers of its own, and a document: a Buffer or text as it is, a stream as it
 * flows (the answer has then begun, and a stream that fails drops the connection), anything else as JSON; none: an
 * empty body.
 */
export type StandInReply = {status?: number; headers?: Record<string, string>; body?: unknown};

export type StandInOptions<Caller> = {
	port?: number;
	faults: FaultPoint;
	/** The service's request ids. */
	requestId: () => string;
	/**
	 * The largest body the service takes, and its refusal of a larger one; or `streamed`: the route reads the body
	 * itself, as a store of large objects does, checking its digests as it goes.
	 */
	body: {limit: number; tooLarge: (size: number, limit: number) => StandInError} | 'streamed';
	/** The service's signature check: who asks (or what the signature covers that the route needs); throws a StandInError to refuse. */
	authenticate: (request: StandInRequest) => Caller | Promise<Caller>;
	route: (request: StandInRequest, caller: Caller) => Promise<StandInReply>;
	/** The service's error document for a refusal. */
	errorBody: (error: StandInError, request: StandInRequest) => unknown;
	/** Headers a refusal adds to the answer (a Retry-After, the service's own error-code header). */
	errorHeaders?: (error: StandInError, request: StandInRequest) => Record<string, string>;
	/** The service's internal error, for what an action throws that is not a StandInError. */
	internalError: (error: unknown) => StandInError;
	/** How the service words an injected error status. @default the fault's code, "Injected fault (CODE)" */
	faultError?: (fault: Extract<FaultOutcome, {type: 'status'}>) => StandInError;
	/**
	 * Headers of every answer, errors too (the request id, Date, the content type), given the payload's size (none:
	 * streamed). Content-Length is the payload's, unless the route gives its own (a streamed body, a HEAD answer).
	 */
	headers: (request: StandInRequest, size: number | undefined) => Record<string, string>;
};

/** Joins repeated headers with commas, as HTTP reads them. */
function flatHeaders(incoming: IncomingMessage): Record<string, string | undefined> {
	return Object.fromEntries(Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));
}

/**
 * The whole body, or the service's refusal once it passes the limit; the rest is then read and dropped, so that the
 * refusal can still be answered (leaving a `for await` over the request would destroy its socket).
 */
async function readBody(incoming: IncomingMessage, limit: Exclude<StandInOptions<unknown>['body'], 'streamed'>): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		incoming.on('data', (chunk: Buffer) => {
			if (size > limit.limit) {
				return;
			}

			size += chunk.length;
			if (size > limit.limit) {
				reject(limit.tooLarge(size, limit.limit));
				return;
			}

			chunks.push(chunk);
		});
		incoming.on('end', () => resolve(Buffer.concat(chunks)));
		incoming.on('error', reject);
	});
}

function payloadOf(body: unknown): Buffer {
	if (body === undefined) {
		return Buffer.alloc(0);
	}

	if (Buffer.isBuffer(body)) {
		return body;
	}

	return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

/** The text of an error the stand-in did not mean, for its internal-error message. */
export function crashMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Serves a stand-in's HTTP API through the pipeline above, on 127.0.0.1 (see http-serve.ts). */
export async function serveStandIn<Caller>(options: StandInOptions<Caller>): Promise<ServedHttp> {
	async function send(response: ServerResponse, request: StandInRequest, status: number, body: unknown, own: Record<string, string> = {}): Promise<void> {
		if (body instanceof Readable) {
			response.writeHead(status, {...options.headers(request, undefined), ...own});
			await pipeline(body, response);
			return;
		}

		const payload = payloadOf(body);
		response.writeHead(status, {...options.headers(request, payload.length), 'Content-Length': String(payload.length), ...own});
		response.end(payload);
	}

	return serveHttp(async (incoming, response) => {
		const target = incoming.url ?? '/';
		const queryIndex = target.indexOf('?');
		const arrived = {
			incoming,
			id: options.requestId(),
			method: incoming.method ?? 'GET',
			target,
			path: queryIndex === -1 ? target : target.slice(0, queryIndex),
			rawQuery: queryIndex === -1 ? '' : target.slice(queryIndex + 1),
			url: new URL(target, 'http://localhost'),
			headers: flatHeaders(incoming),
		};
		let request: StandInRequest = {...arrived, body: Buffer.alloc(0)};
		try {
			// The daemon asks whether the process answers, not the service: no fault, no signature, no state.
			if (incoming.headers[healthProbeHeader] !== undefined) {
				incoming.resume();
				response.writeHead(204).end();
				return;
			}

			const fault = await options.faults.apply(incoming);
			if (fault?.type === 'reset') {
				return;
			}

			if (fault) {
				throw options.faultError?.(fault) ?? new StandInError(fault.status, fault.code, `Injected fault (${fault.code})`);
			}

			if (options.body !== 'streamed') {
				request = {...arrived, body: await readBody(incoming, options.body)};
			}

			const caller = await options.authenticate(request);
			const reply = await options.route(request, caller);
			await send(response, request, reply.status ?? 200, reply.body, reply.headers);
		} catch (error) {
			if (incoming.socket.destroyed) {
				return;
			}

			if (response.headersSent) {
				response.destroy();
				return;
			}

			// The client may still be sending a body the refusal came before: it is dropped as it comes, and the
			// connection closed after the answer, which is cheaper than draining gigabytes.
			if (!incoming.readableEnded) {
				incoming.resume();
			}

			const arriving = !incoming.complete;

			const refusal = error instanceof StandInError ? error : options.internalError(error);
			await send(response, request, refusal.status, options.errorBody(refusal, request), {...options.errorHeaders?.(refusal, request), ...(arriving ? {Connection: 'close'} : {})});
		}
	}, {port: options.port});
}
