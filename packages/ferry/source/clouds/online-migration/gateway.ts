/**
 * The request/response interceptor ("SPI", in the shape @alicloud/openapi-client's `execute` path hands it), doing for
 * hcs-mgw what the vendor SDKs' `alibabacloud-gateway-oss` does; ferry's client runs it as its pipeline's sign stage: XML body with Content-MD5, the account UID as host prefix
 * on `*.mgw.aliyuncs.com`, `?verify`-style sub-resources split into the query, an OSS4-HMAC-SHA256 signature, XML
 * success bodies and OSS-style `<Error>` bodies.
 */
import {createHash} from 'node:crypto';
import type {Readable} from 'node:stream';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {ossV4DateTime, signOssV4, unsignedPayload} from '../alibaba/oss-v4-signature.js';
import {parseXml, toXml, xmlObject, xmlText, type XmlObject} from './xml.js';

/** What the service answered when it refused a call; turned into a ServiceError by the client. */
export class MigrationApiError extends Error {
	readonly status: number;
	readonly code: string;
	readonly requestId: string | undefined;

	constructor(status: number, code: string, message: string, requestId: string | undefined) {
		super(message);
		this.name = 'MigrationApiError';
		this.status = status;
		this.code = code;
		this.requestId = requestId;
	}
}

/** The parts of the SDK's interceptor context this gateway reads and writes. */
type InterceptorContext = {
	request: {
		headers: Record<string, string>;
		query: Record<string, string>;
		body?: unknown;
		stream?: Readable | string;
		hostMap?: Record<string, string>;
		pathname: string;
		method: string;
		reqBodyType: string;
		bodyType: string;
		userAgent: string;
	};
	configuration: {endpoint: string};
	response: {statusCode: number; headers: Record<string, string>; body: Readable; deserializedBody?: unknown};
};

async function readBody(stream: Readable): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) {
		chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
	}

	return Buffer.concat(chunks).toString('utf8');
}

export type MigrationGatewayOptions = {
	credentials: AlibabaCredentialsProvider;
	/** Signing region (the `{region}` of `{region}.mgw.aliyuncs.com`). */
	region: string;
	now?: () => Date;
};

export class MigrationGateway {
	readonly #options: MigrationGatewayOptions;

	constructor(options: MigrationGatewayOptions) {
		this.#options = options;
	}

	async modifyConfiguration(): Promise<void> {
		// The endpoint is always given explicitly.
	}

	async modifyRequest(context: InterceptorContext): Promise<void> {
		const {request} = context;
		const keys = await this.#options.credentials.getCredentials();
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(request.headers ?? {})) {
			if (value !== undefined && value !== null) {
				headers[name.toLowerCase()] = String(value);
			}
		}

		if (keys.securityToken) {
			headers['x-oss-security-token'] = keys.securityToken;
		}

		if (request.body !== undefined && request.body !== null && request.reqBodyType === 'xml') {
			const xml = toXml(request.body as XmlObject);
			request.stream = xml;
			headers['content-type'] = 'application/xml';
			headers['content-md5'] = createHash('md5').update(xml).digest('base64');
		}

		const endpoint = context.configuration.endpoint;
		const userId = request.hostMap?.userid;
		headers.host = userId && /\.mgw(-internal)?\.aliyuncs\.com(:\d+)?$/.test(endpoint) ? `${userId}.${endpoint}` : endpoint;
		headers.date = new Date().toUTCString();
		headers['user-agent'] = request.userAgent;

		const [path = '/', subResources] = request.pathname.split('?', 2);
		request.pathname = path;
		request.query ??= {};
		for (const item of subResources ? subResources.split('&') : []) {
			const [key = '', value = ''] = item.split('=', 2);
			request.query[key] ??= value;
		}

		const dateTime = ossV4DateTime(this.#options.now?.() ?? new Date());
		headers['x-oss-date'] = dateTime;
		headers['x-oss-content-sha256'] = unsignedPayload;
		headers.authorization = signOssV4({
			method: request.method,
			resource: decodeURIComponent(path),
			query: request.query,
			headers,
			dateTime,
			region: this.#options.region,
		}, keys.accessKeyId, keys.accessKeySecret).authorization;
		request.headers = headers;
	}

	async modifyResponse(context: InterceptorContext): Promise<void> {
		const {response} = context;
		const text = response.body ? await readBody(response.body) : '';
		const error = migrationApiError(response.statusCode, text, response.headers['x-oss-request-id'] ?? response.headers['x-acs-request-id']);
		if (error) {
			throw error;
		}

		response.deserializedBody = parseXmlSafely(text);
	}
}

/** The OSS-style `<Error>` of a failed answer (undefined for a success). */
export function migrationApiError(status: number, text: string, requestIdHeader: string | undefined): MigrationApiError | undefined {
	if (status < 400) {
		return undefined;
	}

	const error = xmlObject(parseXmlSafely(text).Error);
	return new MigrationApiError(status, xmlText(error.Code) ?? String(status), xmlText(error.Message) ?? `HTTP ${status}`, xmlText(error.RequestId) ?? requestIdHeader);
}

export function parseXmlSafely(text: string): XmlObject {
	try {
		return parseXml(text);
	} catch {
		return {};
	}
}
