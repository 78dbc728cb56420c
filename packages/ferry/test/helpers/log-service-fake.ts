/**
 * A small in-test Log Service for ferry's client tests, independent of the client's signing code: it rebuilds the
 * LOG string to sign from the request as received (aliyun-log-nodejs-sdk `lib/client.js` `_sign` rules), checks
 * Content-MD5 against the body and `x-log-bodyrawsize` against the decompressed body (zlib inflate, or its own LZ4
 * block decoder), decodes PutLogs protobuf, and answers like the service: JSON `{errorCode, errorMessage}` errors with
 * `x-log-requestid`. Each test scripts the answers with `handle`.
 */
import {createHash, createHmac, randomBytes} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {inflateSync} from 'node:zlib';
import {decodeLogGroup, type LogGroup} from '../../source/clouds/log-service/protobuf.js';

export type FakeKeys = {accessKeyId: string; secret: string; securityToken?: string};

export type FakeRequest = {
	method: string;
	/** From the Host prefix; undefined on the bare endpoint. */
	project: string | undefined;
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	/** The body as received. */
	body: Buffer;
	/** The body after `x-log-compresstype` was undone. */
	raw: Buffer;
	json: unknown;
	/** PutLogs only. */
	group?: LogGroup;
};

export type FakeAnswer = {status?: number; headers?: Record<string, string>; body?: unknown};

export type FakeLogService = {
	url: string;
	port: number;
	requests: FakeRequest[];
	/** Problems the fake found in requests it refused (an empty list when the client did everything right). */
	violations: string[];
	handle: (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;
	close(): Promise<void>;
};

export const fakeRegion = 'ap-southeast-1';

export function lz4DecodeBlock(input: Buffer, rawSize: number): Buffer {
	const out = Buffer.alloc(rawSize);
	let position = 0;
	let written = 0;
	const length = (start: number): number => {
		let total = start;
		if (start === 15) {
			let byte: number;
			do {
				byte = input[position++]!;
				total += byte;
			} while (byte === 255);
		}

		return total;
	};

	while (position < input.length) {
		const token = input[position++]!;
		const literals = length(token >> 4);
		input.copy(out, written, position, position + literals);
		position += literals;
		written += literals;
		if (position >= input.length) {
			break;
		}

		const offset = input[position]! | (input[position + 1]! << 8);
		position += 2;
		const match = length(token & 0x0F) + 4;
		for (let index = 0; index < match; index++, written++) {
			out[written] = out[written - offset]!;
		}
	}

	return out.subarray(0, written);
}

function sign(request: http.IncomingMessage, pathname: string, query: Record<string, string>, secret: string): string {
	const headers = request.headers;
	const one = (name: string) => [headers[name]].flat()[0] ?? '';
	const signedHeaders = Object.keys(headers)
		.filter(name => name.startsWith('x-log-') || name.startsWith('x-acs-'))
		.sort()
		.map(name => `${name}:${one(name).trim()}\n`)
		.join('');
	const pairs = Object.entries(query).map(([key, value]) => `${key}=${value}`).sort().join('&');
	const text = [request.method, one('content-md5'), one('content-type'), one('date')].join('\n') + '\n' + signedHeaders + pathname + (pairs ? `?${pairs}` : '');
	return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

const error = (status: number, errorCode: string, errorMessage: string): FakeAnswer => ({status, body: {errorCode, errorMessage}});

export async function startFakeLogService(keys: FakeKeys): Promise<FakeLogService> {
	const requests: FakeRequest[] = [];
	const violations: string[] = [];
	const fake: FakeLogService = {url: '', port: 0, requests, violations, handle: () => ({}), close: async () => undefined};

	function check(incoming: http.IncomingMessage, body: Buffer, port: number): {answer: FakeAnswer} | {request: FakeRequest} {
		const refuse = (status: number, code: string, message: string) => {
			violations.push(`${code}: ${message}`);
			return {answer: error(status, code, message)};
		};

		const one = (name: string) => [incoming.headers[name]].flat()[0];
		const hostMatch = new RegExp(`^(?:([a-z\\d-]+)\\.)?${fakeRegion}\\.log\\.localhost:${port}$`).exec(one('host') ?? '');
		if (!hostMatch) return refuse(400, 'InvalidHost', `Host header ${one('host')} is invalid.`);
		if (one('x-log-apiversion') !== '0.6.0') return refuse(400, 'InvalidAPIVersion', `x-log-apiversion ${one('x-log-apiversion')} is not supported.`);
		if (one('x-log-signaturemethod') !== 'hmac-sha1') return refuse(400, 'InvalidSignatureMethod', 'signature method is not supported.');
		const date = Date.parse(one('date') ?? '');
		if (Number.isNaN(date) || Math.abs(date - Date.now()) > 15 * 60_000) return refuse(400, 'RequestTimeExpired', `Request time ${one('date')} has been expired.`);
		const rawSizeHeader = one('x-log-bodyrawsize');
		if (rawSizeHeader === undefined) return refuse(400, 'MissingBodyRawSize', 'x-log-bodyrawsize does not exist in header when it is necessary.');

		const url = new URL(incoming.url ?? '/', 'http://fake');
		const query = Object.fromEntries(url.searchParams);
		const authorization = /^LOG ([^:]+):(.+)$/.exec(one('authorization') ?? '');
		if (!authorization || authorization[1] !== keys.accessKeyId) return refuse(401, 'Unauthorized', `AccessKeyId not found: ${authorization?.[1] ?? ''}`);
		if (keys.securityToken && one('x-acs-security-token') !== keys.securityToken) return refuse(401, 'Unauthorized', 'The security token you provided is invalid.');
		if (authorization[2] !== sign(incoming, url.pathname, query, keys.secret)) return refuse(401, 'SignatureNotMatch', `Signature ${authorization[2]} not matched.`);

		if (body.length > 0) {
			if (!one('content-type')) return refuse(400, 'MissingContentType', 'Content-Type does not exist in http header when body is not empty.');
			const md5 = createHash('md5').update(body).digest('hex').toUpperCase();
			if (one('content-md5') !== md5) return refuse(400, 'FakeContentMd5Mismatch', `Content-MD5 ${one('content-md5')} is not the body's ${md5}.`);
		}

		const rawSize = Number(rawSizeHeader);
		let raw = body;
		const compressType = one('x-log-compresstype');
		try {
			if (compressType === 'deflate') raw = inflateSync(body);
			else if (compressType === 'lz4') raw = lz4DecodeBlock(body, rawSize);
			else if (compressType !== undefined) return refuse(400, 'InvalidCompressType', `x-log-compresstype ${compressType} is unsupported.`);
		} catch (cause) {
			return refuse(400, 'PostBodyUncompressError', String(cause));
		}

		if (raw.length !== rawSize) return refuse(400, 'InvalidBodyRawSize', `x-log-bodyrawsize ${rawSize} but the body is ${raw.length} bytes uncompressed.`);

		let json: unknown;
		let group: LogGroup | undefined;
		if (one('content-type') === 'application/x-protobuf') {
			try {
				group = decodeLogGroup(raw);
			} catch (cause) {
				return refuse(400, 'PostBodyInvalid', String(cause));
			}
		} else if (raw.length > 0) {
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				return refuse(400, 'PostBodyInvalid', 'The body is not JSON.');
			}
		}

		return {request: {method: incoming.method ?? 'GET', project: hostMatch[1], path: url.pathname, query, headers: incoming.headers, body, raw, json, ...(group ? {group} : {})}};
	}

	const server = http.createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			void (async () => {
				const checked = check(incoming, Buffer.concat(chunks), fake.port);
				let answer: FakeAnswer;
				if ('answer' in checked) {
					answer = checked.answer;
				} else {
					requests.push(checked.request);
					answer = await fake.handle(checked.request);
				}

				const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
				response.writeHead(answer.status ?? 200, {
					'x-log-requestid': randomBytes(12).toString('hex').toUpperCase(),
					...(text ? {'Content-Type': 'application/json'} : {}),
					'Content-Length': String(Buffer.byteLength(text)),
					...answer.headers,
				});
				response.end(text);
			})().catch(() => response.destroy());
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	fake.port = (server.address() as AddressInfo).port;
	fake.url = `http://${fakeRegion}.log.localhost:${fake.port}`;
	fake.close = async () => {
		server.closeAllConnections();
		await new Promise<void>(resolve => server.close(() => resolve()));
	};

	return fake;
}

export {error as fakeError};
