/**
 * One client for Amazon S3 and Alibaba OSS (through OSS's S3-compatible API), on AWS SDK v3.
 * Every call has a timeout, jittered retries on throttling and 5xx only, an AbortSignal and one log line.
 */
import {createHash} from 'node:crypto';
import type {Readable} from 'node:stream';
import {
	CreateBucketCommand,
	DeleteObjectsCommand,
	GetObjectCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	ListBucketsCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client,
	type BucketLocationConstraint,
	type S3ClientConfig,
} from '@aws-sdk/client-s3';
import {Upload} from '@aws-sdk/lib-storage';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types';
import type {Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import {ServiceError} from '../../engine/errors.js';
import {createRequestHandler} from '../http-agent.js';
import {withRetry} from '../retry.js';
import {isRetryableObjectStoreError, mapObjectStoreError} from './errors.js';

export type ObjectStoreKind = 's3' | 'oss';

export type ObjectStoreOptions = {
	kind: ObjectStoreKind;
	endpoint?: string;
	/** AWS region, or the Alibaba region id without the `oss-` prefix (e.g. ap-southeast-1). */
	region: string;
	credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
	logger: Logger;
	forcePathStyle?: boolean;
	/** Named in auth-error hints. */
	profileName?: string;
	/** Attempts per call, including the first. @default 5 */
	attempts?: number;
	connectTimeoutMs?: number;
	requestTimeoutMs?: number;
};

export type CallOptions = {signal?: AbortSignal};
export type ObjectSummary = {key: string; size: number; etag: string; lastModified?: Date};
export type InventoryObject = {key: string; size: number; etag: string};
export type Inventory = {bucket: string; prefix: string; count: number; bytes: number; objects: InventoryObject[]};
export type ObjectHead = {size: number; etag: string; contentType?: string; lastModified?: Date; metadata: Record<string, string>};
export type ObjectStream = ObjectHead & {body: Readable};

export type ObjectStore = {
	readonly kind: ObjectStoreKind;
	readonly service: 'S3' | 'OSS';
	readonly endpoint: string;
	readonly region: string;
	whoami(options?: CallOptions): Promise<{id: string; displayName?: string}>;
	bucketExists(bucket: string, options?: CallOptions): Promise<boolean>;
	createBucket(bucket: string, options?: CallOptions): Promise<void>;
	list(bucket: string, prefix: string, options?: CallOptions & {pageSize?: number}): AsyncIterable<ObjectSummary>;
	inventory(bucket: string, prefix: string, options?: CallOptions & {pageSize?: number}): Promise<Inventory>;
	getStream(bucket: string, key: string, options?: CallOptions & {range?: string}): Promise<ObjectStream>;
	put(bucket: string, key: string, body: Buffer | string, options?: CallOptions & {contentType?: string; metadata?: Record<string, string>}): Promise<{etag: string}>;
	/** One streamed PUT of a body whose length is known; nothing is buffered, and it is not retried (a stream cannot be replayed). */
	putStream(bucket: string, key: string, body: Readable, contentLength: number, options?: CallOptions & {contentType?: string; metadata?: Record<string, string>}): Promise<{etag: string}>;
	/** Streams a body of any size: one PUT when it fits in a part, multipart otherwise; memory stays at queueSize × partSize. */
	upload(bucket: string, key: string, body: Readable, options?: CallOptions & {partSize?: number; queueSize?: number; contentType?: string; metadata?: Record<string, string>}): Promise<{etag: string}>;
	deleteMany(bucket: string, keys: readonly string[], options?: CallOptions): Promise<{deleted: number; errors: Array<{key: string; code: string; message: string}>}>;
	head(bucket: string, key: string, options?: CallOptions): Promise<ObjectHead | undefined>;
};

export function defaultObjectStoreEndpoint(kind: ObjectStoreKind, region: string): string {
	const bare = region.replace(/^oss-/, '');
	return kind === 'oss' ? `https://s3.oss-${bare}.aliyuncs.com` : `https://s3.${bare}.amazonaws.com`;
}

/** OSS sends upper-case hex ETags, S3 lower-case: every ETag leaves the client in one spelling, so MD5s compare. */
function stripQuotes(etag: string | undefined): string {
	return (etag ?? '').replaceAll('"', '').toLowerCase();
}

export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
	const {kind, logger} = options;
	const service = kind === 'oss' ? 'OSS' : 'S3';
	const region = kind === 'oss' ? options.region.replace(/^oss-/, '') : options.region;
	const endpoint = options.endpoint ?? defaultObjectStoreEndpoint(kind, region);
	if (typeof options.credentials !== 'function') {
		registerSecret(options.credentials.secretAccessKey);
		registerSecret(options.credentials.sessionToken);
	}

	const requestHandler = createRequestHandler({connectTimeoutMs: options.connectTimeoutMs, requestTimeoutMs: options.requestTimeoutMs, endpoint});
	const config: S3ClientConfig = {
		region,
		endpoint: options.endpoint ?? (kind === 'oss' ? endpoint : undefined),
		credentials: options.credentials,
		forcePathStyle: options.forcePathStyle ?? false,
		requestHandler,
		// Our own jittered retry wraps each call; the SDK must not add attempts of its own.
		maxAttempts: 1,
		...(kind === 'oss' ? {requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED'} as const : {}),
	};
	const client = new S3Client(config);
	// lib-storage sends parts itself; buffered parts are safe for the SDK's own jittered retry (it never retries 403).
	const uploadClient = new S3Client({...config, maxAttempts: options.attempts ?? 5});

	for (const target of [client, uploadClient]) {
		target.middlewareStack.add((next, context) => async args => {
			const started = performance.now();
			const request = args.request as {method?: string; hostname?: string; port?: number; path?: string} | undefined;
			const url = request?.hostname ? `${endpoint.split('://')[0]}://${request.hostname}${request.port ? `:${request.port}` : ''}${request.path ?? ''}` : undefined;
			const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
			try {
				const result = await next(args);
				const response = result.response as {statusCode?: number; headers?: Record<string, string>} | undefined;
				logger.request({service: kind, operation, method: request?.method, url, status: response?.statusCode, durationMs: performance.now() - started, requestId: response?.headers?.['x-amz-request-id'] ?? response?.headers?.['x-oss-request-id']});
				return result;
			} catch (error) {
				const metadata = (error as {$metadata?: {httpStatusCode?: number; requestId?: string}}).$metadata;
				logger.request({service: kind, operation, method: request?.method, url, status: metadata?.httpStatusCode, durationMs: performance.now() - started, requestId: metadata?.requestId, error: (error as Error).name});
				throw error;
			}
		}, {step: 'finalizeRequest', name: 'ferryRequestLog', priority: 'low'});

		if (kind === 'oss') {
			// OSS requires Content-MD5 on DeleteObjects; the SDK now sends a CRC32 checksum there instead.
			target.middlewareStack.add((next, context) => async args => {
				const request = args.request as {body?: unknown; headers: Record<string, string>} | undefined;
				if (context.commandName === 'DeleteObjectsCommand' && request && typeof request.body === 'string') {
					request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
				}

				return next(args);
			}, {step: 'build', name: 'ossDeleteObjectsContentMd5', priority: 'low'});
		}
	}

	const attempts = options.attempts ?? 5;
	async function call<T>(operation: string, target: {bucket?: string; key?: string}, send: (signal: AbortSignal | undefined) => Promise<T>, callOptions: CallOptions = {}, retry = true): Promise<T> {
		return withRetry(async () => {
			try {
				return await send(callOptions.signal);
			} catch (error) {
				throw mapObjectStoreError(error, {service, operation, endpoint, profileName: options.profileName, ...target});
			}
		}, {
			attempts: retry ? attempts : 1,
			signal: callOptions.signal,
			isRetryable: isRetryableObjectStoreError,
			onRetry(error, attempt, delayMs) {
				logger.warn(`${service} ${operation} attempt ${attempt} failed (${(error as Error).message}); retrying in ${delayMs} ms`);
			},
		});
	}

	async function head(bucket: string, key: string, callOptions: CallOptions = {}): Promise<ObjectHead | undefined> {
		try {
			const output = await call('HeadObject', {bucket, key}, signal => client.send(new HeadObjectCommand({Bucket: bucket, Key: key}), {abortSignal: signal}), callOptions);
			return {size: output.ContentLength ?? 0, etag: stripQuotes(output.ETag), contentType: output.ContentType, lastModified: output.LastModified, metadata: output.Metadata ?? {}};
		} catch (error) {
			if (error instanceof ServiceError && error.status === 404 && error.code !== 'NoSuchBucket') {
				return undefined;
			}

			throw error;
		}
	}

	async function * list(bucket: string, prefix: string, callOptions: CallOptions & {pageSize?: number} = {}): AsyncIterable<ObjectSummary> {
		let continuationToken: string | undefined;
		do {
			const token = continuationToken;
			const page = await call('ListObjectsV2', {bucket, key: prefix || undefined}, signal => client.send(new ListObjectsV2Command({
				Bucket: bucket,
				Prefix: prefix || undefined,
				ContinuationToken: token,
				MaxKeys: callOptions.pageSize,
			}), {abortSignal: signal}), callOptions);
			for (const object of page.Contents ?? []) {
				yield {key: object.Key ?? '', size: object.Size ?? 0, etag: stripQuotes(object.ETag), lastModified: object.LastModified};
			}

			continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
			if (page.IsTruncated && !continuationToken) {
				throw new ServiceError(service, `ListObjectsV2 on ${bucket} said the listing is truncated but gave no continuation token`);
			}
		} while (continuationToken);
	}

	return {
		kind,
		service,
		endpoint,
		region,
		async whoami(callOptions = {}) {
			const output = await call('ListBuckets', {}, signal => client.send(new ListBucketsCommand({}), {abortSignal: signal}), callOptions);
			if (!output.Owner?.ID) {
				throw new ServiceError(service, 'ListBuckets answered without an owner; cannot tell which account the keys belong to');
			}

			return {id: output.Owner.ID, displayName: output.Owner.DisplayName};
		},
		async bucketExists(bucket, callOptions = {}) {
			try {
				await call('HeadBucket', {bucket}, signal => client.send(new HeadBucketCommand({Bucket: bucket}), {abortSignal: signal}), callOptions);
				return true;
			} catch (error) {
				if (error instanceof ServiceError && error.status === 404) {
					return false;
				}

				throw error;
			}
		},
		async createBucket(bucket, callOptions = {}) {
			const location = region === 'us-east-1' ? undefined : {LocationConstraint: region as BucketLocationConstraint};
			await call('CreateBucket', {bucket}, signal => client.send(new CreateBucketCommand({Bucket: bucket, CreateBucketConfiguration: location}), {abortSignal: signal}), callOptions);
		},
		list,
		async inventory(bucket, prefix, callOptions = {}) {
			const objects: InventoryObject[] = [];
			let bytes = 0;
			for await (const object of list(bucket, prefix, callOptions)) {
				objects.push({key: object.key, size: object.size, etag: object.etag});
				bytes += object.size;
			}

			return {bucket, prefix, count: objects.length, bytes, objects};
		},
		async getStream(bucket, key, callOptions = {}) {
			const output = await call('GetObject', {bucket, key}, signal => client.send(new GetObjectCommand({Bucket: bucket, Key: key, Range: callOptions.range}), {abortSignal: signal}), callOptions);
			if (!output.Body) {
				throw new ServiceError(service, `GetObject on ${bucket}/${key} answered without a body`);
			}

			return {
				body: output.Body as Readable,
				size: output.ContentLength ?? 0,
				etag: stripQuotes(output.ETag),
				contentType: output.ContentType,
				lastModified: output.LastModified,
				metadata: output.Metadata ?? {},
			};
		},
		async put(bucket, key, body, callOptions = {}) {
			const output = await call('PutObject', {bucket, key}, signal => client.send(new PutObjectCommand({
				Bucket: bucket,
				Key: key,
				Body: body,
				ContentType: callOptions.contentType,
				Metadata: callOptions.metadata,
			}), {abortSignal: signal}), callOptions);
			return {etag: stripQuotes(output.ETag)};
		},
		async putStream(bucket, key, body, contentLength, callOptions = {}) {
			const output = await call('PutObject', {bucket, key}, signal => client.send(new PutObjectCommand({
				Bucket: bucket,
				Key: key,
				Body: body,
				ContentLength: contentLength,
				ContentType: callOptions.contentType,
				Metadata: callOptions.metadata,
			}), {abortSignal: signal}), callOptions, false);
			return {etag: stripQuotes(output.ETag)};
		},
		async upload(bucket, key, body, callOptions = {}) {
			const upload = new Upload({
				client: uploadClient,
				params: {Bucket: bucket, Key: key, Body: body, ContentType: callOptions.contentType, Metadata: callOptions.metadata},
				partSize: callOptions.partSize ?? 8 * 1024 * 1024,
				queueSize: callOptions.queueSize ?? 2,
				leavePartsOnError: false,
			});
			const onAbort = () => {
				void upload.abort();
			};

			callOptions.signal?.addEventListener('abort', onAbort, {once: true});
			try {
				const output = await call('Upload', {bucket, key}, async () => upload.done(), callOptions, false);
				return {etag: stripQuotes(output.ETag)};
			} finally {
				callOptions.signal?.removeEventListener('abort', onAbort);
			}
		},
		async deleteMany(bucket, keys, callOptions = {}) {
			let deleted = 0;
			const errors: Array<{key: string; code: string; message: string}> = [];
			for (let start = 0; start < keys.length; start += 1000) {
				const batch = keys.slice(start, start + 1000);
				const output = await call('DeleteObjects', {bucket}, signal => client.send(new DeleteObjectsCommand({
					Bucket: bucket,
					Delete: {Objects: batch.map(key => ({Key: key})), Quiet: true},
				}), {abortSignal: signal}), callOptions);
				for (const error of output.Errors ?? []) {
					errors.push({key: error.Key ?? '', code: error.Code ?? 'Unknown', message: error.Message ?? ''});
				}

				deleted += batch.length - (output.Errors?.length ?? 0);
			}

			return {deleted, errors};
		},
		head,
	};
}
