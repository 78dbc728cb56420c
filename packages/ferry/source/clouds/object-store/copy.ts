/**
 * Streams every object under a prefix from one store to another (S3 → OSS in the procedure). Objects flow
 * GetObject → MD5 → a streamed PUT, or for large objects a multipart upload with a bounded part queue, so memory
 * does not grow with object size.
 * Objects already copied (same size, and the destination records the source's ETag) are skipped on a rerun.
 */
import {createHash} from 'node:crypto';
import {Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {ServiceError, isAbortError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {withRetry} from '../retry.js';
import type {InventoryObject, ObjectStore} from './client.js';
import {isRetryableObjectStoreError} from './errors.js';

export type CopyLocation = {store: ObjectStore; bucket: string; prefix: string};

export type CopyProgress = {objectsDone: number; objectsTotal: number; bytesDone: number; bytesTotal: number};

export type CopiedObject = {
	/** Key relative to both prefixes. */
	key: string;
	size: number;
	sourceEtag: string;
	destinationEtag: string;
	/** MD5 of the content, computed while streaming; for a skipped object, known only when the source ETag is a plain MD5. */
	md5: string | undefined;
	status: 'copied' | 'skipped';
	attempts: number;
};

export type CopyPrefixOptions = {
	from: CopyLocation;
	to: CopyLocation;
	/** Objects in flight at once. @default 4 */
	concurrency?: number;
	/** Multipart part size in bytes (≥ 5 MiB). @default 8 MiB */
	partSize?: number;
	/** Parts in flight per object. @default 2 */
	queueSize?: number;
	/**
	 * Objects up to this size go as one streamed PUT (nothing buffered); larger ones go multipart, which holds
	 * queueSize × partSize per object in memory and measured above 200 MB RSS for a 1 GiB copy. The default is the
	 * single-PUT limit of S3 and OSS, so UNLOAD's files (MAXFILESIZE 1024 MB) always stream. @default 5 GiB
	 */
	multipartThreshold?: number;
	/** Attempts per object. @default 3 */
	attempts?: number;
	signal?: AbortSignal;
	logger: Logger;
	onProgress?: (progress: CopyProgress) => void;
};

export type CopyPrefixResult = {objects: CopiedObject[]; copied: number; skipped: number; bytesCopied: number};

/** User metadata ferry leaves on each copy, so a rerun can tell the copy is of this very source version. */
export const sourceEtagMetadata = 'ferry-source-etag';

/** The largest object one PUT may carry, on S3 and on OSS. */
export const singlePutLimit = 5 * 1024 ** 3;

const plainMd5 = /^[0-9a-f]{32}$/;

class CopyIntegrityError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CopyIntegrityError';
	}
}

function isRetryableCopyError(error: unknown): boolean {
	if (isAbortError(error)) {
		return false;
	}

	if (error instanceof ServiceError) {
		return isRetryableObjectStoreError(error);
	}

	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return error instanceof CopyIntegrityError || ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ETIMEDOUT'].includes(code ?? '');
}

export async function copyPrefix(options: CopyPrefixOptions): Promise<CopyPrefixResult> {
	const {from, to, logger, signal} = options;
	const concurrency = Math.max(1, options.concurrency ?? 4);
	const sourceInventory = await from.store.inventory(from.bucket, from.prefix, {signal});
	const destinationInventory = await to.store.inventory(to.bucket, to.prefix, {signal});
	const existing = new Map(destinationInventory.objects.map(object => [object.key.slice(to.prefix.length), object]));

	const progress: CopyProgress = {objectsDone: 0, objectsTotal: sourceInventory.count, bytesDone: 0, bytesTotal: sourceInventory.bytes};
	let lastReport = 0;
	const report = (force = false) => {
		const now = Date.now();
		if (options.onProgress && (force || now - lastReport >= 100)) {
			lastReport = now;
			options.onProgress({...progress});
		}
	};

	report(true);
	const results: CopiedObject[] = [];
	const queue = [...sourceInventory.objects];
	const worker = async () => {
		for (let source = queue.shift(); source; source = queue.shift()) {
			signal?.throwIfAborted();
			const result = await copyOne(source);
			results.push(result);
			progress.objectsDone++;
			report(true);
		}
	};

	async function alreadyCopied(relative: string, source: InventoryObject): Promise<CopiedObject | undefined> {
		const destination = existing.get(relative);
		if (!destination || destination.size !== source.size) {
			return undefined;
		}

		const sameContent = plainMd5.test(source.etag) && destination.etag === source.etag
			? true
			: (await to.store.head(to.bucket, destination.key, {signal}))?.metadata[sourceEtagMetadata] === source.etag;
		if (!sameContent) {
			return undefined;
		}

		return {key: relative, size: source.size, sourceEtag: source.etag, destinationEtag: destination.etag, md5: plainMd5.test(source.etag) ? source.etag : undefined, status: 'skipped', attempts: 0};
	}

	async function copyOne(source: InventoryObject): Promise<CopiedObject> {
		const relative = source.key.slice(from.prefix.length);
		const destinationKey = `${to.prefix}${relative}`;
		const skipped = await alreadyCopied(relative, source);
		if (skipped) {
			progress.bytesDone += source.size;
			logger.info(`skip ${relative}: already at the destination with the same size and source ETag`);
			return skipped;
		}

		let counted = 0;
		return withRetry(async attempt => {
			progress.bytesDone -= counted;
			counted = 0;
			const object = await from.store.getStream(from.bucket, source.key, {signal});
			if (object.etag !== source.etag) {
				object.body.destroy();
				throw new ServiceError(from.store.service, `${source.key} changed while it was being copied (ETag ${source.etag} became ${object.etag}); list again and rerun`);
			}

			const md5 = createHash('md5');
			let size = 0;
			const hasher = new Transform({
				transform(chunk: Buffer, _encoding, callback) {
					md5.update(chunk);
					size += chunk.length;
					counted += chunk.length;
					progress.bytesDone += chunk.length;
					report();
					callback(null, chunk);
				},
			});
			const [, uploaded] = await Promise.all([
				pipeline(object.body, hasher, {signal}).catch((error: unknown) => {
					hasher.destroy(error as Error);
					throw error;
				}),
				source.size <= (options.multipartThreshold ?? singlePutLimit)
					? to.store.putStream(to.bucket, destinationKey, hasher, source.size, {signal, contentType: object.contentType, metadata: {...object.metadata, [sourceEtagMetadata]: source.etag}})
					: to.store.upload(to.bucket, destinationKey, hasher, {
						signal,
						partSize: options.partSize,
						queueSize: options.queueSize,
						contentType: object.contentType,
						metadata: {...object.metadata, [sourceEtagMetadata]: source.etag},
					}),
			]);
			const digest = md5.digest('hex');
			if (size !== source.size) {
				throw new CopyIntegrityError(`${source.key}: read ${size} bytes, expected ${source.size}`);
			}

			if (plainMd5.test(source.etag) && digest !== source.etag) {
				throw new CopyIntegrityError(`${source.key}: MD5 ${digest} of the bytes read differs from the source ETag ${source.etag}`);
			}

			if (plainMd5.test(uploaded.etag) && uploaded.etag !== digest) {
				throw new CopyIntegrityError(`${destinationKey}: the destination ETag ${uploaded.etag} differs from the MD5 ${digest} of the bytes sent`);
			}

			return {key: relative, size, sourceEtag: source.etag, destinationEtag: uploaded.etag, md5: digest, status: 'copied' as const, attempts: attempt};
		}, {
			attempts: options.attempts ?? 3,
			signal,
			isRetryable: isRetryableCopyError,
			onRetry(error, attempt, delayMs) {
				logger.warn(`copy of ${relative} failed on attempt ${attempt} (${(error as Error).message}); retrying in ${delayMs} ms`);
			},
		});
	}

	await Promise.all(Array.from({length: Math.min(concurrency, queue.length)}, async () => worker()));
	report(true);
	results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const copied = results.filter(result => result.status === 'copied');
	return {objects: results, copied: copied.length, skipped: results.length - copied.length, bytesCopied: copied.reduce((sum, result) => sum + result.size, 0)};
}
