/**
 * The S3 and OSS stand-ins: one S3 REST server on node:http with objects on disk. Every request is SigV4-checked;
 * the OSS flavour also refuses what OSS's S3 compatibility refuses (V1 signatures, path-style addressing,
 * aws-chunked bodies that are not signed chunk by chunk) with OSS's own error shapes.
 */
import {createHash, randomBytes} from 'node:crypto';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {crc32} from 'node:zlib';
import {localAlibabaAccountId, localAwsAccountId, type FaultInjection, type StandInHandle} from '../contract.js';
import {verifySigV4, type SigV4Success} from '../sigv4.js';
import {AwsChunkedDecoder} from './aws-chunked.js';
import {ObjectStorage, StorageError, type BodyDigests, type ObjectRecord} from './storage.js';
import {parseXml, xmlDocument, type XmlElement} from './xml.js';

export type ObjectStoreFlavor = 's3' | 'oss';

export type ObjectStoreStandInOptions = {
	flavor: ObjectStoreFlavor;
	dataDir: string;
	region: string;
	credentials: {accessKeyId: string; secret: string};
	port?: number;
};

type Target = {bucket: string | undefined; key: string | undefined; query: URLSearchParams};

type Context = {
	request: IncomingMessage;
	response: ServerResponse;
	requestId: string;
	target: Target;
	auth: SigV4Success;
};

const minimumPartSize = 5 * 1024 * 1024;
const maximumXmlBody = 2 * 1024 * 1024;
const defaultMessages: Record<string, string> = {
	SlowDown: 'Please reduce your request rate.',
	ServiceUnavailable: 'Please reduce your request rate.',
	InternalError: 'We encountered an internal error. Please try again.',
	AccessDenied: 'Access Denied',
	RequestTimeout: 'Your socket connection to the server was not read from or written to within the timeout period.',
};

export async function startObjectStoreStandIn(options: ObjectStoreStandInOptions): Promise<StandInHandle> {
	const storage = new ObjectStorage(options.dataDir);
	await storage.open();
	const server = new ObjectStoreServer(options, storage);
	const httpServer = http.createServer((request, response) => {
		void server.handle(request, response);
	});
	httpServer.keepAliveTimeout = 30_000;
	await new Promise<void>((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(options.port ?? 0, '127.0.0.1', () => {
			httpServer.off('error', reject);
			resolve();
		});
	});
	const {port} = httpServer.address() as AddressInfo;
	return {
		name: options.flavor,
		url: options.flavor === 'oss' ? `http://oss-${options.region}.localhost:${port}` : `http://127.0.0.1:${port}`,
		port,
		injectFault(fault) {
			server.fault = {...fault};
		},
		async close() {
			await new Promise<void>(resolve => {
				httpServer.close(() => resolve());
				httpServer.closeAllConnections();
			});
		},
	};
}

class ObjectStoreServer {
	fault: FaultInjection | undefined;
	private readonly options: ObjectStoreStandInOptions;
	private readonly storage: ObjectStorage;
	private readonly ossBaseHost: string;

	constructor(options: ObjectStoreStandInOptions, storage: ObjectStorage) {
		this.options = options;
		this.storage = storage;
		this.ossBaseHost = `oss-${options.region}.localhost`;
	}

	private get isOss(): boolean {
		return this.options.flavor === 'oss';
	}

	async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const requestId = randomBytes(12).toString('hex').toUpperCase();
		response.setHeader(this.isOss ? 'x-oss-request-id' : 'x-amz-request-id', requestId);
		response.setHeader('Server', this.isOss ? 'AliyunOSS' : 'AmazonS3');
		try {
			await this.dispatch(request, response, requestId);
		} catch (error) {
			const storageError = error instanceof StorageError
				? error
				: new StorageError('InternalError', 500, defaultMessages.InternalError!);
			this.sendError(request, response, requestId, storageError);
		}
	}

	private async dispatch(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
		if (this.fault && this.fault.count > 0) {
			this.fault.count--;
			throw new StorageError(this.fault.code, this.fault.status, defaultMessages[this.fault.code] ?? this.fault.code);
		}

		const target = this.resolveTarget(request);
		const authorization = request.headers.authorization ?? '';
		if (/^(AWS|OSS) [^:\s]+:/.test(authorization)) {
			throw this.isOss
				// OSS closed V1 signatures to new users and buckets; its exact refusal text is not documented.
				? new StorageError('AccessDenied', 403, 'V1 signature is not supported. Use the V4 signature (AWS4-HMAC-SHA256).')
				: new StorageError('InvalidRequest', 400, 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
		}

		const result = await verifySigV4(request, {
			service: 's3',
			region: this.options.region,
			lookupSecret: id => (id === this.options.credentials.accessKeyId ? this.options.credentials.secret : undefined),
		});
		if (!result.ok) {
			const extra: Record<string, string> = {};
			if (result.accessKeyId) {
				extra.AWSAccessKeyId = result.accessKeyId;
			}

			if (result.stringToSign && result.canonicalRequest) {
				extra.StringToSign = result.stringToSign;
				extra.CanonicalRequest = result.canonicalRequest;
			}

			if (result.reason === 'wrong-region') {
				extra.Region = this.options.region;
			}

			throw new StorageError(result.s3Code, result.status, result.message, extra);
		}

		const context: Context = {request, response, requestId, target, auth: result};
		await this.route(context);
	}

	private resolveTarget(request: IncomingMessage): Target {
		const url = new URL(request.url ?? '/', 'http://placeholder');
		const hostname = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
		const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
		const decodedPath = decodeURIComponent(rawPath);
		let virtualBucket: string | undefined;
		const bases = this.isOss ? [this.ossBaseHost] : [`s3.${this.options.region}.localhost`, 's3.localhost', 'localhost'];
		for (const base of bases) {
			if (hostname.endsWith(`.${base}`)) {
				virtualBucket = hostname.slice(0, -(base.length + 1));
				break;
			}
		}

		if (virtualBucket !== undefined) {
			const key = decodedPath.slice(1);
			return {bucket: virtualBucket, key: key === '' ? undefined : key, query: url.searchParams};
		}

		const [, bucket = '', ...rest] = decodedPath.split('/');
		if (bucket !== '' && this.isOss) {
			throw new StorageError('SecondLevelDomainForbidden', 403, 'Please use virtual hosted style to access.');
		}

		const key = rest.join('/');
		return {bucket: bucket === '' ? undefined : bucket, key: key === '' ? undefined : key, query: url.searchParams};
	}

	private async route(context: Context): Promise<void> {
		const {request, target} = context;
		const method = request.method ?? 'GET';
		const {bucket, key, query} = target;
		if (bucket === undefined) {
			if (method === 'GET') {
				return this.listBuckets(context);
			}

			throw new StorageError('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
		}

		if (key === undefined) {
			switch (method) {
				case 'PUT': {
					return this.createBucket(context, bucket);
				}

				case 'HEAD': {
					await this.storage.requireBucket(bucket);
					return this.send(context, 200);
				}

				case 'DELETE': {
					await this.storage.deleteBucket(bucket);
					return this.send(context, 204);
				}

				case 'GET': {
					if (query.has('location')) {
						await this.storage.requireBucket(bucket);
						return this.sendXml(context, 200, xmlDocument('LocationConstraint', {}).replace('></LocationConstraint>', `>${this.options.region}</LocationConstraint>`));
					}

					return this.listObjects(context, bucket, query.get('list-type') === '2');
				}

				case 'POST': {
					if (query.has('delete')) {
						return this.deleteObjects(context, bucket);
					}

					break;
				}

				default: {
					break;
				}
			}

			throw notImplemented();
		}

		switch (method) {
			case 'PUT': {
				if (query.has('uploadId')) {
					return this.uploadPart(context, bucket, key);
				}

				if (request.headers['x-amz-copy-source']) {
					return this.copyObject(context, bucket, key);
				}

				return this.putObject(context, bucket, key);
			}

			case 'GET':
			case 'HEAD': {
				return this.getObject(context, bucket, key, method === 'HEAD');
			}

			case 'DELETE': {
				if (query.has('uploadId')) {
					await this.storage.abortUpload(bucket, key, query.get('uploadId') ?? '');
					return this.send(context, 204);
				}

				await this.storage.delete(bucket, key);
				return this.send(context, 204);
			}

			case 'POST': {
				if (query.has('uploads')) {
					const uploadId = await this.storage.createUpload(bucket, key, request.headers['content-type'], userMetadata(request));
					await this.drain(context);
					return this.sendXml(context, 200, xmlDocument('InitiateMultipartUploadResult', {Bucket: bucket, Key: key, UploadId: uploadId}));
				}

				if (query.has('uploadId')) {
					return this.completeUpload(context, bucket, key);
				}

				break;
			}

			default: {
				break;
			}
		}

		throw notImplemented();
	}

	private owner(): XmlElement {
		return this.isOss
			? {ID: localAlibabaAccountId, DisplayName: localAlibabaAccountId}
			: {ID: createHash('sha256').update(`ferry-local-${localAwsAccountId}`).digest('hex'), DisplayName: 'ferry-local'};
	}

	private async listBuckets(context: Context): Promise<void> {
		const buckets = await this.storage.listBuckets();
		this.sendXml(context, 200, xmlDocument('ListAllMyBucketsResult', {
			Owner: this.owner(),
			Buckets: {Bucket: buckets.map(bucket => ({Name: bucket.name, CreationDate: bucket.created}))},
		}));
	}

	private async createBucket(context: Context, bucket: string): Promise<void> {
		if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..') || (this.isOss && bucket.includes('.'))) {
			throw new StorageError('InvalidBucketName', 400, 'The specified bucket is not valid.', {BucketName: bucket});
		}

		const body = await this.readSmallBody(context);
		if (body.length > 0) {
			const location = (parseXml(body.toString('utf8'))?.CreateBucketConfiguration as {LocationConstraint?: string} | undefined)?.LocationConstraint;
			if (location && location !== this.options.region) {
				throw new StorageError('IllegalLocationConstraintException', 400, `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`);
			}
		}

		if (await this.storage.createBucket(bucket) === 'exists') {
			throw this.isOss
				? new StorageError('BucketAlreadyExists', 409, 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', {BucketName: bucket})
				: new StorageError('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', {BucketName: bucket});
		}

		context.response.setHeader('Location', `/${bucket}`);
		this.send(context, 200);
	}

	private async listObjects(context: Context, bucket: string, v2: boolean): Promise<void> {
		const {query} = context.target;
		const keys = await this.storage.keys(bucket);
		const records = await this.storage.records(bucket);
		const prefix = query.get('prefix') ?? '';
		const delimiter = query.get('delimiter') ?? '';
		const maxKeysText = query.get('max-keys');
		const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
		if (!Number.isInteger(maxKeys) || maxKeys < 0) {
			throw new StorageError('InvalidArgument', 400, 'Provided max-keys not an integer or within integer range', {ArgumentName: 'max-keys', ArgumentValue: maxKeysText ?? ''});
		}

		const limit = Math.min(maxKeys, 1000);
		const encodeUrl = query.get('encoding-type') === 'url';
		const encode = (value: string) => (encodeUrl ? encodeURIComponent(value).replaceAll('%2F', '/') : value);
		let after = '';
		const continuationToken = query.get('continuation-token');
		if (v2) {
			if (continuationToken !== null) {
				after = Buffer.from(continuationToken, 'base64url').toString('utf8');
				if (continuationToken === '' || after === '') {
					throw new StorageError('InvalidArgument', 400, 'The continuation token provided is incorrect', {ArgumentName: 'continuation-token'});
				}
			} else {
				after = query.get('start-after') ?? '';
			}
		} else {
			after = query.get('marker') ?? '';
		}

		const contents: ObjectRecord[] = [];
		const commonPrefixes: string[] = [];
		let index = keys.findIndex(key => Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0 && key.startsWith(prefix));
		if (index === -1) {
			index = keys.length;
		}

		let lastKey = '';
		let truncated = false;
		while (index < keys.length) {
			const key = keys[index]!;
			if (!key.startsWith(prefix)) {
				if (key > prefix) {
					break;
				}

				index++;
				continue;
			}

			if (contents.length + commonPrefixes.length >= limit) {
				truncated = true;
				break;
			}

			const delimiterAt = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
			if (delimiterAt === -1) {
				contents.push(records.get(key)!);
				lastKey = key;
				index++;
				continue;
			}

			const common = key.slice(0, delimiterAt + delimiter.length);
			commonPrefixes.push(common);
			while (index < keys.length && keys[index]!.startsWith(common)) {
				lastKey = keys[index]!;
				index++;
			}
		}

		const entries = {
			Contents: contents.map(record => ({
				Key: encode(record.key),
				LastModified: record.lastModified,
				ETag: record.etag,
				Size: record.size,
				StorageClass: 'STANDARD',
			})),
			CommonPrefixes: commonPrefixes.map(common => ({Prefix: encode(common)})),
		};
		const body: XmlElement = v2
			? {
				Name: bucket,
				Prefix: encode(prefix),
				Delimiter: delimiter ? encode(delimiter) : undefined,
				MaxKeys: maxKeys,
				EncodingType: encodeUrl ? 'url' : undefined,
				KeyCount: contents.length + commonPrefixes.length,
				IsTruncated: truncated,
				ContinuationToken: continuationToken ?? undefined,
				NextContinuationToken: truncated ? Buffer.from(lastKey).toString('base64url') : undefined,
				StartAfter: query.get('start-after') ?? undefined,
				...entries,
			}
			: {
				Name: bucket,
				Prefix: encode(prefix),
				Marker: encode(after),
				MaxKeys: maxKeys,
				Delimiter: delimiter ? encode(delimiter) : undefined,
				EncodingType: encodeUrl ? 'url' : undefined,
				IsTruncated: truncated,
				NextMarker: truncated && delimiter ? encode(lastKey) : undefined,
				...entries,
			};
		this.sendXml(context, 200, xmlDocument('ListBucketResult', body));
	}

	/** Wraps the request body: aws-chunked framing removed, and a check of every digest the request declared. */
	private bodyOf(context: Context): {body: Readable; wantSha256: boolean; verify: (digests: BodyDigests) => void; crc32Header: () => string | undefined} {
		const {request, auth} = context;
		const contentEncoding = String(request.headers['content-encoding'] ?? '');
		const payloadHash = auth.payloadHash;
		const chunked = contentEncoding.split(',').map(value => value.trim()).includes('aws-chunked') || payloadHash.startsWith('STREAMING-');
		let body: Readable = request;
		let decoder: AwsChunkedDecoder | undefined;
		if (chunked) {
			const signedChunks = payloadHash === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
			if (this.isOss && !signedChunks) {
				throw new StorageError('InvalidArgument', 400, 'aws-chunked encoding is not supported with the specified x-amz-content-sha256 value.', {
					ArgumentName: 'Content-Encoding',
					ArgumentValue: 'aws-chunked',
					EC: '0017-00000804',
				});
			}

			if (!['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'].includes(payloadHash)) {
				throw notImplemented();
			}

			decoder = new AwsChunkedDecoder(signedChunks
				? {signingKey: auth.signingKey, amzDate: auth.amzDate, scope: auth.scope, seedSignature: auth.signature}
				: undefined);
			body = request.pipe(decoder);
			request.on('error', error => decoder!.destroy(error));
		}

		const declaredSha256 = /^[0-9a-f]{64}$/.test(payloadHash) ? payloadHash : undefined;
		const contentMd5 = firstValue(request.headers['content-md5']);
		const decodedLength = firstValue(request.headers['x-amz-decoded-content-length']);
		const crc32Header = () => firstValue(request.headers['x-amz-checksum-crc32']) ?? decoder?.trailers.get('x-amz-checksum-crc32');
		const verify = (digests: BodyDigests) => {
			if (declaredSha256 && digests.sha256 !== declaredSha256) {
				throw new StorageError('XAmzContentSHA256Mismatch', 400, 'The provided \'x-amz-content-sha256\' header does not match what was computed.', {
					ClientComputedContentSHA256: declaredSha256,
					S3ComputedContentSHA256: digests.sha256 ?? '',
				});
			}

			if (contentMd5 !== undefined) {
				if (Buffer.from(contentMd5, 'base64').length !== 16) {
					throw new StorageError('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', {'Content-MD5': contentMd5});
				}

				if (Buffer.from(contentMd5, 'base64').compare(digests.md5) !== 0) {
					throw new StorageError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', {ExpectedDigest: contentMd5, CalculatedDigest: digests.md5.toString('base64')});
				}
			}

			const crc = crc32Header();
			if (crc !== undefined) {
				const computed = Buffer.alloc(4);
				computed.writeUInt32BE(digests.crc32 >>> 0);
				if (computed.toString('base64') !== crc) {
					throw new StorageError('BadDigest', 400, 'The CRC32 you specified did not match the calculated checksum.');
				}
			}

			if (decodedLength !== undefined && Number(decodedLength) !== digests.size) {
				throw new StorageError('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
			}
		};

		return {body, wantSha256: declaredSha256 !== undefined, verify, crc32Header};
	}

	private async putObject(context: Context, bucket: string, key: string): Promise<void> {
		await this.storage.requireBucket(bucket);
		const {body, wantSha256, verify, crc32Header} = this.bodyOf(context);
		const record = await this.storage.put(bucket, key, body, {
			contentType: context.request.headers['content-type'],
			metadata: userMetadata(context.request),
			wantSha256,
			verify,
		});
		context.response.setHeader('ETag', record.etag);
		if (crc32Header()) {
			context.response.setHeader('x-amz-checksum-crc32', record.checksumCrc32 ?? '');
		}

		this.send(context, 200);
	}

	private async uploadPart(context: Context, bucket: string, key: string): Promise<void> {
		const {query} = context.target;
		const partNumber = Number(query.get('partNumber'));
		if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
			throw new StorageError('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive', {ArgumentName: 'partNumber', ArgumentValue: query.get('partNumber') ?? ''});
		}

		if (context.request.headers['x-amz-copy-source']) {
			throw notImplemented();
		}

		const {body, wantSha256, verify, crc32Header} = this.bodyOf(context);
		const part = await this.storage.putPart(bucket, key, query.get('uploadId') ?? '', partNumber, body, {wantSha256, verify});
		context.response.setHeader('ETag', part.etag);
		if (crc32Header()) {
			context.response.setHeader('x-amz-checksum-crc32', part.checksumCrc32 ?? '');
		}

		this.send(context, 200);
	}

	private async completeUpload(context: Context, bucket: string, key: string): Promise<void> {
		const body = await this.readSmallBody(context);
		const parsed = parseXml(body.toString('utf8'))?.CompleteMultipartUpload as {Part?: Array<{PartNumber?: string; ETag?: string}>} | undefined;
		if (!parsed?.Part) {
			throw new StorageError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
		}

		const parts = parsed.Part.map(part => ({partNumber: Number(part.PartNumber), etag: part.ETag ?? ''}));
		const record = await this.storage.completeUpload(bucket, key, context.target.query.get('uploadId') ?? '', parts, minimumPartSize);
		this.sendXml(context, 200, xmlDocument('CompleteMultipartUploadResult', {
			Location: `http://${context.request.headers.host ?? ''}/${bucket}/${encodeURIComponent(key)}`,
			Bucket: bucket,
			Key: key,
			ETag: record.etag,
		}));
	}

	private async copyObject(context: Context, bucket: string, key: string): Promise<void> {
		const source = decodeURIComponent(String(context.request.headers['x-amz-copy-source']).split('?')[0] ?? '').replace(/^\//, '');
		const slash = source.indexOf('/');
		if (slash <= 0) {
			throw new StorageError('InvalidArgument', 400, 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', {ArgumentName: 'x-amz-copy-source'});
		}

		await this.drain(context);
		const replace = String(context.request.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE'
			? {contentType: context.request.headers['content-type'], metadata: userMetadata(context.request)}
			: undefined;
		const record = await this.storage.copy(source.slice(0, slash), source.slice(slash + 1), bucket, key, replace);
		this.sendXml(context, 200, xmlDocument('CopyObjectResult', {LastModified: record.lastModified, ETag: record.etag}));
	}

	private async getObject(context: Context, bucket: string, key: string, headOnly: boolean): Promise<void> {
		const {request, response} = context;
		const record = await this.storage.head(bucket, key);
		await this.drain(context);
		const ifNoneMatch = request.headers['if-none-match'];
		if (ifNoneMatch && ifNoneMatch.split(',').map(value => value.trim()).includes(record.etag)) {
			response.setHeader('ETag', record.etag);
			return this.send(context, 304);
		}

		const ifMatch = request.headers['if-match'];
		if (ifMatch && !ifMatch.split(',').map(value => value.trim()).includes(record.etag) && ifMatch.trim() !== '*') {
			throw new StorageError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {Condition: 'If-Match'});
		}

		let range: {start: number; end: number} | undefined;
		const rangeHeader = request.headers.range;
		if (rangeHeader) {
			range = parseRange(rangeHeader, record.size);
			if (range === undefined) {
				throw new StorageError('InvalidRange', 416, 'The requested range is not satisfiable', {RangeRequested: rangeHeader, ActualObjectSize: String(record.size)});
			}
		}

		response.setHeader('ETag', record.etag);
		response.setHeader('Last-Modified', new Date(record.lastModified).toUTCString());
		response.setHeader('Content-Type', record.contentType);
		response.setHeader('Accept-Ranges', 'bytes');
		for (const [name, value] of Object.entries(record.metadata)) {
			response.setHeader(`x-amz-meta-${name}`, value);
		}

		if (range) {
			response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${record.size}`);
			response.setHeader('Content-Length', range.end - range.start + 1);
		} else {
			response.setHeader('Content-Length', record.size);
		}

		const status = range ? 206 : 200;
		if (headOnly || record.size === 0) {
			response.writeHead(status);
			response.end();
			return;
		}

		response.writeHead(status);
		await pipeline(this.storage.read(bucket, record, range), response).catch(() => {
			response.destroy();
		});
	}

	private async deleteObjects(context: Context, bucket: string): Promise<void> {
		const {request} = context;
		if (!request.headers['content-md5'] && (this.isOss || !Object.keys(request.headers).some(name => name.startsWith('x-amz-checksum-')))) {
			throw new StorageError('InvalidRequest', 400, 'Missing required header for this request: Content-MD5');
		}

		await this.storage.requireBucket(bucket);
		const raw = await this.readSmallBody(context);
		const parsed = parseXml(raw.toString('utf8'))?.Delete as {Object?: Array<{Key?: string}>; Quiet?: string} | undefined;
		if (!parsed?.Object || parsed.Object.length > 1000) {
			throw new StorageError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
		}

		const deleted: XmlElement[] = [];
		for (const entry of parsed.Object) {
			const key = String(entry.Key ?? '');
			await this.storage.delete(bucket, key);
			deleted.push({Key: key});
		}

		this.sendXml(context, 200, xmlDocument('DeleteResult', {Deleted: parsed.Quiet === 'true' ? undefined : deleted}));
	}

	/** Reads a small XML body, honouring the same digest checks as object bodies. */
	private async readSmallBody(context: Context): Promise<Buffer> {
		const {body, wantSha256, verify} = this.bodyOf(context);
		const chunks: Buffer[] = [];
		let size = 0;
		const md5 = createHash('md5');
		const sha256 = createHash('sha256');
		for await (const chunk of body as AsyncIterable<Buffer>) {
			size += chunk.length;
			if (size > maximumXmlBody) {
				throw new StorageError('MaxMessageLengthExceeded', 400, 'Your request was too big.');
			}

			chunks.push(chunk);
			md5.update(chunk);
			sha256.update(chunk);
		}

		const buffer = Buffer.concat(chunks);
		verify({size, md5: md5.digest(), sha256: wantSha256 ? sha256.digest('hex') : undefined, crc32: crc32(buffer)});
		return buffer;
	}

	private async drain(context: Context): Promise<void> {
		if (!context.request.readableEnded) {
			await this.readSmallBody(context);
		}
	}

	private send(context: Context, status: number): void {
		context.response.writeHead(status, {'Content-Length': 0});
		context.response.end();
	}

	private sendXml(context: Context, status: number, xml: string): void {
		const body = Buffer.from(xml, 'utf8');
		context.response.writeHead(status, {'Content-Type': 'application/xml', 'Content-Length': body.length});
		context.response.end(body);
	}

	private sendError(request: IncomingMessage, response: ServerResponse, requestId: string, error: StorageError): void {
		if (response.headersSent) {
			response.destroy();
			return;
		}

		const {EC: ec, ...extra} = error.extra;
		const hostId = randomBytes(24).toString('base64');
		const body: XmlElement = {Code: error.code, Message: error.message, ...extra, RequestId: requestId, HostId: this.isOss ? request.headers.host ?? '' : hostId};
		if (this.isOss && ec) {
			body.EC = ec;
			body.RecommendDoc = `https://api.aliyun.com/troubleshoot?q=${ec}`;
			response.setHeader('x-oss-ec', ec);
		}

		if (!this.isOss) {
			response.setHeader('x-amz-id-2', hostId);
		}

		if (error.code === 'SlowDown' || error.status === 503) {
			response.setHeader('Retry-After', '1');
		}

		// The client may still be sending a body we will not read; closing is cheaper than draining gigabytes.
		if (!request.readableEnded) {
			response.setHeader('Connection', 'close');
			request.resume();
		}

		if (request.method === 'HEAD') {
			response.writeHead(error.status);
			response.end();
			return;
		}

		const xml = Buffer.from(xmlDocument('Error', body, undefined), 'utf8');
		response.writeHead(error.status, {'Content-Type': 'application/xml', 'Content-Length': xml.length});
		response.end(xml);
	}
}

function firstValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function notImplemented(): StorageError {
	return new StorageError('NotImplemented', 501, 'A header you provided implies functionality that is not implemented');
}

function userMetadata(request: IncomingMessage): Record<string, string> {
	const metadata: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (name.startsWith('x-amz-meta-') && typeof value === 'string') {
			metadata[name.slice('x-amz-meta-'.length)] = value;
		}
	}

	return metadata;
}

export function parseRange(header: string, size: number): {start: number; end: number} | undefined {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match || (match[1] === '' && match[2] === '')) {
		return undefined;
	}

	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) {
			return undefined;
		}

		return {start: Math.max(0, size - suffix), end: size - 1};
	}

	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (start >= size || end < start) {
		return undefined;
	}

	return {start, end};
}
