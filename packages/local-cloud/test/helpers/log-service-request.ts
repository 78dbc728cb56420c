/**
 * A small Log Service client for tests, written apart from the stand-in's checker: it signs the way
 * aliyun-log-nodejs-sdk `lib/client.js` `_sign` does (sorted `k=v` strings, trimmed `x-log-*` headers) and sets the
 * project as the Host prefix. Also a tiny protobuf `LogGroup` encoder (`lib/sls.proto`) and a greedy LZ4 block
 * compressor, so PutLogs bodies are built without the stand-in's own decoders.
 */
import {createHash, createHmac} from 'node:crypto';
import http from 'node:http';

export type LogKeys = {accessKeyId: string; secret: string; securityToken?: string};

export function signLog(method: string, path: string, query: Record<string, string>, headers: Record<string, string>, secret: string): string {
	const lower: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
	const signed = Object.keys(lower).filter(name => name.startsWith('x-log-') || name.startsWith('x-acs-')).sort().map(name => `${name}:${lower[name]!.trim()}\n`).join('');
	const pairs = Object.entries(query).map(([key, value]) => `${key}=${value}`).sort().join('&');
	const text = `${method}\n${lower['content-md5'] ?? ''}\n${lower['content-type'] ?? ''}\n${lower.date ?? ''}\n${signed}${path}${pairs ? `?${pairs}` : ''}`;
	return createHmac('sha1', secret).update(text).digest('base64');
}

/** `json` holds an object answer, `list` an array answer (each empty otherwise). */
export type LogAnswer = {status: number; headers: http.IncomingHttpHeaders; body: Buffer; text: string; json: Record<string, unknown>; list: Array<Record<string, unknown>>};

export type LogCall = {
	method: string;
	path: string;
	project?: string;
	query?: Record<string, string>;
	body?: Buffer | Record<string, unknown>;
	headers?: Record<string, string>;
	date?: Date;
	signature?: string;
	host?: string;
};

export async function logRequest(port: number, region: string, keys: LogKeys, call: LogCall): Promise<LogAnswer> {
	const body = call.body === undefined ? undefined : Buffer.isBuffer(call.body) ? call.body : Buffer.from(JSON.stringify(call.body));
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		date: (call.date ?? new Date()).toUTCString(),
		'x-log-apiversion': '0.6.0',
		'x-log-signaturemethod': 'hmac-sha1',
		...(keys.securityToken ? {'x-acs-security-token': keys.securityToken} : {}),
		...(body ? {'content-md5': createHash('md5').update(body).digest('hex').toUpperCase(), 'content-length': String(body.length), 'x-log-bodyrawsize': String(body.length)} : {}),
		...call.headers,
	};
	const query = call.query ?? {};
	headers.authorization = `LOG ${keys.accessKeyId}:${call.signature ?? signLog(call.method, call.path, query, headers, keys.secret)}`;
	const search = new URLSearchParams(query).toString();
	const host = call.host ?? `${call.project ? `${call.project}.` : ''}${region}.log.localhost:${port}`;
	return new Promise((resolve, reject) => {
		const request = http.request({host: '127.0.0.1', port, method: call.method, path: `${call.path}${search ? `?${search}` : ''}`, headers: {...headers, host}}, response => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const data = Buffer.concat(chunks);
				const text = data.toString('utf8');
				let json: unknown;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}

				const list = Array.isArray(json) ? json as Array<Record<string, unknown>> : [];
				const object = json && typeof json === 'object' && !Array.isArray(json) ? json as Record<string, unknown> : {};
				resolve({status: response.statusCode ?? 0, headers: response.headers, body: data, text, json: object, list});
			});
		});
		request.on('error', reject);
		request.end(body);
	});
}

function varint(value: number): number[] {
	const bytes: number[] = [];
	let rest = value;
	while (rest >= 0x80) {
		bytes.push((rest % 0x80) | 0x80);
		rest = Math.floor(rest / 0x80);
	}

	bytes.push(rest);
	return bytes;
}

function field(number: number, payload: Buffer): Buffer {
	return Buffer.concat([Buffer.from([...varint((number << 3) | 2), ...varint(payload.length)]), payload]);
}

function text(number: number, value: string): Buffer {
	return field(number, Buffer.from(value, 'utf8'));
}

export type TestLog = {time: number; contents: Record<string, string>};

export function encodeLogGroup(group: {logs: TestLog[]; topic?: string; source?: string; tags?: Record<string, string>}): Buffer {
	const parts: Buffer[] = group.logs.map(log => field(1, Buffer.concat([
		Buffer.from([0x08, ...varint(log.time)]),
		...Object.entries(log.contents).map(([key, value]) => field(2, Buffer.concat([text(1, key), text(2, value)]))),
	])));
	if (group.topic !== undefined) parts.push(text(3, group.topic));
	if (group.source !== undefined) parts.push(text(4, group.source));
	for (const [key, value] of Object.entries(group.tags ?? {})) parts.push(field(6, Buffer.concat([text(1, key), text(2, value)])));
	return Buffer.concat(parts);
}

function lengthBytes(length: number): number[] {
	const bytes: number[] = [];
	let rest = length - 15;
	while (rest >= 255) {
		bytes.push(255);
		rest -= 255;
	}

	bytes.push(rest);
	return bytes;
}

/** Greedy LZ4 block compression (4-byte hash matches; the last 5 bytes stay literals, per the block format). */
export function compressLz4Block(input: Buffer): Buffer {
	const out: number[] = [];
	const table = new Map<number, number>();
	let anchor = 0;
	let position = 0;
	const limit = input.length - 12;
	while (position < limit) {
		const key = input.readUInt32LE(position);
		const candidate = table.get(key);
		table.set(key, position);
		if (candidate === undefined || position - candidate > 0xFF_FF) {
			position++;
			continue;
		}

		let length = 4;
		while (position + length < input.length - 5 && input[candidate + length] === input[position + length]) length++;
		const literals = position - anchor;
		const matchCode = length - 4;
		out.push((Math.min(literals, 15) << 4) | Math.min(matchCode, 15));
		if (literals >= 15) out.push(...lengthBytes(literals));
		out.push(...input.subarray(anchor, position));
		out.push((position - candidate) & 0xFF, (position - candidate) >> 8);
		if (matchCode >= 15) out.push(...lengthBytes(matchCode));
		position += length;
		anchor = position;
	}

	const literals = input.length - anchor;
	out.push(Math.min(literals, 15) << 4);
	if (literals >= 15) out.push(...lengthBytes(literals));
	out.push(...input.subarray(anchor));
	return Buffer.from(out);
}
