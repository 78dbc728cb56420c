/**
 * Disk storage for the S3 and OSS stand-ins. Every object is a blob plus a small JSON record naming it; a write
 * lands in a temp file and becomes visible with one rename of the record, so a crash never leaves half an object.
 *
 * dataDir/buckets/<bucket>/bucket.json
 * dataDir/buckets/<bucket>/index/<sha256(key)>.json   {key, size, etag, blob, ...}
 * dataDir/buckets/<bucket>/blobs/<uuid>
 * dataDir/buckets/<bucket>/uploads/<uploadId>/upload.json, <part>.json, <part>.blob
 * dataDir/tmp/
 */
import {createHash, randomUUID} from 'node:crypto';
import {createReadStream, createWriteStream} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {Transform, type Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {crc32} from 'node:zlib';
import {Crc64} from './crc64.js';
import {StandInError} from '../stand-in-kit.js';

export type ObjectRecord = {
	key: string;
	size: number;
	/** Quoted, like the ETag header. */
	etag: string;
	lastModified: string;
	contentType: string;
	metadata: Record<string, string>;
	blob: string;
	/** Base64 CRC32 of the whole object, when the writer sent one. */
	checksumCrc32?: string;
	/** CRC-64/ECMA-182 of the whole object as an unsigned decimal (OSS's x-oss-hash-crc64ecma); absent in records written before it was kept. */
	crc64?: string;
};

export type BucketRecord = {name: string; created: string};

export type BodyDigests = {size: number; md5: Buffer; sha256?: string; crc32: number; crc64?: string};

type UploadRecord = {uploadId: string; key: string; contentType: string; metadata: Record<string, string>; initiated: string};
type PartRecord = {partNumber: number; size: number; etag: string; md5: string; checksumCrc32?: string; crc64?: string};

function keyFileName(key: string): string {
	return `${createHash('sha256').update(key).digest('hex')}.json`;
}

async function writeJsonAtomically(file: string, tmpDir: string, value: unknown): Promise<void> {
	const temporary = path.join(tmpDir, `${randomUUID()}.json`);
	await fs.writeFile(temporary, JSON.stringify(value));
	await fs.rename(temporary, file);
}

function crc32Base64(value: number): string {
	const buffer = Buffer.alloc(4);
	buffer.writeUInt32BE(value >>> 0);
	return buffer.toString('base64');
}

/** Streams a body to a temp file while hashing it; nothing is held in memory beyond one chunk. */
async function streamToTempFile(body: Readable, tmpDir: string, wantSha256: boolean): Promise<{file: string; digests: BodyDigests}> {
	const file = path.join(tmpDir, randomUUID());
	const md5 = createHash('md5');
	const sha256 = wantSha256 ? createHash('sha256') : undefined;
	const crc64 = new Crc64();
	let crc = 0;
	let size = 0;
	const hasher = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			md5.update(chunk);
			sha256?.update(chunk);
			crc = crc32(chunk, crc);
			crc64.update(chunk);
			size += chunk.length;
			callback(null, chunk);
		},
	});
	try {
		await pipeline(body, hasher, createWriteStream(file));
	} catch (error) {
		await fs.rm(file, {force: true});
		throw error;
	}

	return {file, digests: {size, md5: md5.digest(), sha256: sha256?.digest('hex'), crc32: crc, crc64: crc64.digest()}};
}

export type WriteOptions = {
	contentType?: string;
	metadata?: Record<string, string>;
	wantSha256?: boolean;
	/** Throws a StandInError when the received body does not match what the request declared. */
	verify?: (digests: BodyDigests) => void;
};

export class ObjectStorage {
	readonly root: string;
	private readonly tmpDir: string;
	// Promises, not maps: concurrent first requests must share one load, or a write landing during the load is lost.
	private readonly indexes = new Map<string, Promise<Map<string, ObjectRecord>>>();
	private readonly sortedKeys = new Map<string, string[]>();

	constructor(dataDir: string) {
		this.root = path.join(dataDir, 'buckets');
		this.tmpDir = path.join(dataDir, 'tmp');
	}

	async open(): Promise<void> {
		await fs.mkdir(this.root, {recursive: true});
		await fs.rm(this.tmpDir, {recursive: true, force: true});
		await fs.mkdir(this.tmpDir, {recursive: true});
	}

	private bucketDir(bucket: string): string {
		return path.join(this.root, bucket);
	}

	async listBuckets(): Promise<BucketRecord[]> {
		const names = await fs.readdir(this.root);
		const buckets: BucketRecord[] = [];
		for (const name of names.sort()) {
			const record = await this.bucket(name);
			if (record) {
				buckets.push(record);
			}
		}

		return buckets;
	}

	async bucket(name: string): Promise<BucketRecord | undefined> {
		try {
			return JSON.parse(await fs.readFile(path.join(this.bucketDir(name), 'bucket.json'), 'utf8')) as BucketRecord;
		} catch {
			return undefined;
		}
	}

	async requireBucket(name: string): Promise<BucketRecord> {
		const record = await this.bucket(name);
		if (!record) {
			throw new StandInError(404, 'NoSuchBucket', 'The specified bucket does not exist', {BucketName: name});
		}

		return record;
	}

	async createBucket(name: string): Promise<'created' | 'exists'> {
		if (await this.bucket(name)) {
			return 'exists';
		}

		const directory = this.bucketDir(name);
		for (const sub of ['index', 'blobs', 'uploads']) {
			await fs.mkdir(path.join(directory, sub), {recursive: true});
		}

		await writeJsonAtomically(path.join(directory, 'bucket.json'), this.tmpDir, {name, created: new Date().toISOString()} satisfies BucketRecord);
		return 'created';
	}

	async deleteBucket(name: string): Promise<void> {
		await this.requireBucket(name);
		if ((await this.index(name)).size > 0) {
			throw new StandInError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {BucketName: name});
		}

		await fs.rm(this.bucketDir(name), {recursive: true, force: true});
		this.indexes.delete(name);
		this.sortedKeys.delete(name);
	}

	private async index(bucket: string): Promise<Map<string, ObjectRecord>> {
		let index = this.indexes.get(bucket);
		if (!index) {
			index = this.loadIndex(bucket);
			this.indexes.set(bucket, index);
			index.catch(() => this.indexes.delete(bucket));
		}

		return index;
	}

	private async loadIndex(bucket: string): Promise<Map<string, ObjectRecord>> {
		const index = new Map<string, ObjectRecord>();
		const directory = path.join(this.bucketDir(bucket), 'index');
		for (const file of await fs.readdir(directory).catch(() => [] as string[])) {
			const record = JSON.parse(await fs.readFile(path.join(directory, file), 'utf8')) as ObjectRecord;
			index.set(record.key, record);
		}

		return index;
	}

	/** Keys in UTF-8 binary order, the order S3 lists them in. */
	async keys(bucket: string): Promise<string[]> {
		await this.requireBucket(bucket);
		let keys = this.sortedKeys.get(bucket);
		if (!keys) {
			keys = [...(await this.index(bucket)).keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
			this.sortedKeys.set(bucket, keys);
		}

		return keys;
	}

	async head(bucket: string, key: string): Promise<ObjectRecord> {
		await this.requireBucket(bucket);
		const record = (await this.index(bucket)).get(key);
		if (!record) {
			throw new StandInError(404, 'NoSuchKey', 'The specified key does not exist.', {Key: key});
		}

		return record;
	}

	async records(bucket: string): Promise<Map<string, ObjectRecord>> {
		await this.requireBucket(bucket);
		return this.index(bucket);
	}

	read(bucket: string, record: ObjectRecord, range?: {start: number; end: number}): Readable {
		return createReadStream(path.join(this.bucketDir(bucket), 'blobs', record.blob), range);
	}

	private async commit(bucket: string, key: string, blobFile: string, fields: Omit<ObjectRecord, 'key' | 'blob' | 'lastModified'>): Promise<ObjectRecord> {
		const index = await this.index(bucket);
		const blob = randomUUID();
		await fs.rename(blobFile, path.join(this.bucketDir(bucket), 'blobs', blob));
		const record: ObjectRecord = {key, blob, lastModified: new Date().toISOString(), ...fields};
		await writeJsonAtomically(path.join(this.bucketDir(bucket), 'index', keyFileName(key)), this.tmpDir, record);
		const previous = index.get(key);
		if (!previous) {
			this.sortedKeys.delete(bucket);
		}

		index.set(key, record);
		if (previous) {
			await fs.rm(path.join(this.bucketDir(bucket), 'blobs', previous.blob), {force: true});
		}

		return record;
	}

	async put(bucket: string, key: string, body: Readable, options: WriteOptions = {}): Promise<ObjectRecord> {
		await this.requireBucket(bucket);
		const {file, digests} = await streamToTempFile(body, this.tmpDir, options.wantSha256 ?? false);
		try {
			options.verify?.(digests);
		} catch (error) {
			await fs.rm(file, {force: true});
			throw error;
		}

		return this.commit(bucket, key, file, {
			size: digests.size,
			etag: `"${digests.md5.toString('hex')}"`,
			contentType: options.contentType ?? 'binary/octet-stream',
			metadata: options.metadata ?? {},
			checksumCrc32: crc32Base64(digests.crc32),
			crc64: digests.crc64,
		});
	}

	async copy(fromBucket: string, fromKey: string, toBucket: string, toKey: string, replace?: {contentType?: string; metadata: Record<string, string>}): Promise<ObjectRecord> {
		const source = await this.head(fromBucket, fromKey);
		await this.requireBucket(toBucket);
		const temporary = path.join(this.tmpDir, randomUUID());
		await fs.copyFile(path.join(this.bucketDir(fromBucket), 'blobs', source.blob), temporary);
		return this.commit(toBucket, toKey, temporary, {
			size: source.size,
			etag: source.etag,
			contentType: replace?.contentType ?? source.contentType,
			metadata: replace ? replace.metadata : source.metadata,
			checksumCrc32: source.checksumCrc32,
			crc64: source.crc64,
		});
	}

	/** The object's CRC-64, computed once and recorded for objects stored before the stand-in kept it. */
	async crc64(bucket: string, record: ObjectRecord): Promise<string> {
		if (record.crc64 !== undefined) {
			return record.crc64;
		}

		const crc64 = new Crc64();
		for await (const chunk of this.read(bucket, record) as AsyncIterable<Buffer>) {
			crc64.update(chunk);
		}

		const index = await this.index(bucket);
		const updated: ObjectRecord = {...record, crc64: crc64.digest()};
		// Only if the object was not replaced meanwhile.
		if (index.get(record.key)?.blob === record.blob) {
			await writeJsonAtomically(path.join(this.bucketDir(bucket), 'index', keyFileName(record.key)), this.tmpDir, updated);
			index.set(record.key, updated);
		}

		return updated.crc64!;
	}

	async delete(bucket: string, key: string): Promise<void> {
		await this.requireBucket(bucket);
		const index = await this.index(bucket);
		const record = index.get(key);
		if (!record) {
			return;
		}

		await fs.rm(path.join(this.bucketDir(bucket), 'index', keyFileName(key)), {force: true});
		index.delete(key);
		this.sortedKeys.delete(bucket);
		await fs.rm(path.join(this.bucketDir(bucket), 'blobs', record.blob), {force: true});
	}

	private uploadDir(bucket: string, uploadId: string): string {
		return path.join(this.bucketDir(bucket), 'uploads', uploadId);
	}

	async createUpload(bucket: string, key: string, contentType: string | undefined, metadata: Record<string, string>): Promise<string> {
		await this.requireBucket(bucket);
		const uploadId = randomUUID().replaceAll('-', '').toUpperCase();
		const directory = this.uploadDir(bucket, uploadId);
		await fs.mkdir(directory, {recursive: true});
		const record: UploadRecord = {uploadId, key, contentType: contentType ?? 'binary/octet-stream', metadata, initiated: new Date().toISOString()};
		await writeJsonAtomically(path.join(directory, 'upload.json'), this.tmpDir, record);
		return uploadId;
	}

	private async upload(bucket: string, key: string, uploadId: string): Promise<UploadRecord> {
		await this.requireBucket(bucket);
		if (!/^[0-9A-F]{32}$/.test(uploadId)) {
			throw new StandInError(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {UploadId: uploadId});
		}

		try {
			const record = JSON.parse(await fs.readFile(path.join(this.uploadDir(bucket, uploadId), 'upload.json'), 'utf8')) as UploadRecord;
			if (record.key === key) {
				return record;
			}
		} catch {
			// Falls through to NoSuchUpload.
		}

		throw new StandInError(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {UploadId: uploadId});
	}

	async putPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, options: WriteOptions = {}): Promise<PartRecord> {
		await this.upload(bucket, key, uploadId);
		const {file, digests} = await streamToTempFile(body, this.tmpDir, options.wantSha256 ?? false);
		try {
			options.verify?.(digests);
		} catch (error) {
			await fs.rm(file, {force: true});
			throw error;
		}

		const directory = this.uploadDir(bucket, uploadId);
		await fs.rename(file, path.join(directory, `${partNumber}.blob`));
		const part: PartRecord = {partNumber, size: digests.size, md5: digests.md5.toString('hex'), etag: `"${digests.md5.toString('hex')}"`, checksumCrc32: crc32Base64(digests.crc32), crc64: digests.crc64};
		await writeJsonAtomically(path.join(directory, `${partNumber}.json`), this.tmpDir, part);
		return part;
	}

	async completeUpload(bucket: string, key: string, uploadId: string, parts: Array<{partNumber: number; etag: string}>, minPartSize: number): Promise<ObjectRecord> {
		const upload = await this.upload(bucket, key, uploadId);
		if (parts.length === 0) {
			throw new StandInError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
		}

		const directory = this.uploadDir(bucket, uploadId);
		const stored: PartRecord[] = [];
		let previous = 0;
		for (const part of parts) {
			if (part.partNumber <= previous) {
				throw new StandInError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', {UploadId: uploadId});
			}

			previous = part.partNumber;
			let record: PartRecord;
			try {
				record = JSON.parse(await fs.readFile(path.join(directory, `${part.partNumber}.json`), 'utf8')) as PartRecord;
			} catch {
				throw new StandInError(400, 'InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.', {UploadId: uploadId, PartNumber: String(part.partNumber)});
			}

			// OSS hands out upper-case ETags and clients send them back as they got them.
			if (record.etag.replaceAll('"', '').toLowerCase() !== part.etag.replaceAll('"', '').toLowerCase()) {
				throw new StandInError(400, 'InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.', {UploadId: uploadId, PartNumber: String(part.partNumber), ETag: part.etag});
			}

			stored.push(record);
		}

		for (const [index, part] of stored.entries()) {
			if (index < stored.length - 1 && part.size < minPartSize) {
				throw new StandInError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {ProposedSize: String(part.size), MinSizeAllowed: String(minPartSize), PartNumber: String(part.partNumber)});
			}
		}

		const temporary = path.join(this.tmpDir, randomUUID());
		const output = createWriteStream(temporary);
		const crc64 = new Crc64();
		try {
			await pipeline(async function * () {
				for (const part of stored) {
					for await (const chunk of createReadStream(path.join(directory, `${part.partNumber}.blob`)) as AsyncIterable<Buffer>) {
						crc64.update(chunk);
						yield chunk;
					}
				}
			}, output);
		} catch (error) {
			output.destroy();
			await fs.rm(temporary, {force: true});
			throw error;
		}

		const combined = createHash('md5');
		for (const part of stored) {
			combined.update(Buffer.from(part.md5, 'hex'));
		}

		const record = await this.commit(bucket, key, temporary, {
			size: stored.reduce((sum, part) => sum + part.size, 0),
			etag: `"${combined.digest('hex')}-${stored.length}"`,
			contentType: upload.contentType,
			metadata: upload.metadata,
			crc64: crc64.digest(),
		});
		await fs.rm(directory, {recursive: true, force: true});
		return record;
	}

	async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
		await this.upload(bucket, key, uploadId);
		await fs.rm(this.uploadDir(bucket, uploadId), {recursive: true, force: true});
	}
}
