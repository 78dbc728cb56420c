/**
 * Decoder for `Content-Encoding: aws-chunked` bodies, the framing the AWS SDKs use for streamed uploads:
 * `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` ... `0...\r\n[<trailer>:<value>\r\n]*\r\n`.
 * Signed chunks are checked against the seed signature chain (STREAMING-AWS4-HMAC-SHA256-PAYLOAD).
 */
import {createHash, createHmac, type Hash} from 'node:crypto';
import {Transform, type TransformCallback} from 'node:stream';
import {StandInError} from '../stand-in-kit.js';

const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export type ChunkSigning = {signingKey: Buffer; amzDate: string; scope: string; seedSignature: string};

export class AwsChunkedDecoder extends Transform {
	readonly trailers = new Map<string, string>();
	private state: 'header' | 'data' | 'data-end' | 'trailer' | 'done' = 'header';
	private pending: Buffer = Buffer.alloc(0);
	private remaining = 0;
	private chunkSignature: string | undefined;
	private chunkHash: Hash | undefined;
	private previousSignature: string | undefined;
	private readonly signing: ChunkSigning | undefined;

	constructor(signing?: ChunkSigning) {
		super();
		this.signing = signing;
		this.previousSignature = signing?.seedSignature;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		try {
			this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
			this.consume();
			callback();
		} catch (error) {
			callback(error as Error);
		}
	}

	override _flush(callback: TransformCallback): void {
		callback(this.state === 'done' ? null : new StandInError(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.'));
	}

	private takeLine(): string | undefined {
		const index = this.pending.indexOf('\r\n');
		if (index === -1) {
			if (this.pending.length > 64 * 1024) {
				throw malformed();
			}

			return undefined;
		}

		const line = this.pending.subarray(0, index).toString('latin1');
		this.pending = this.pending.subarray(index + 2);
		return line;
	}

	private consume(): void {
		for (;;) {
			if (this.state === 'header') {
				const line = this.takeLine();
				if (line === undefined) {
					return;
				}

				const [sizeText, ...extensions] = line.split(';');
				const size = Number.parseInt(sizeText ?? '', 16);
				if (!Number.isFinite(size) || size < 0) {
					throw malformed();
				}

				this.chunkSignature = extensions.find(extension => extension.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
				if (this.signing && !this.chunkSignature) {
					throw signatureMismatch();
				}

				this.chunkHash = this.signing ? createHash('sha256') : undefined;
				this.remaining = size;
				if (size === 0) {
					this.verifyChunk();
					this.state = 'trailer';
				} else {
					this.state = 'data';
				}

				continue;
			}

			if (this.state === 'data') {
				if (this.pending.length === 0) {
					return;
				}

				const piece = this.pending.subarray(0, this.remaining);
				this.pending = this.pending.subarray(piece.length);
				this.remaining -= piece.length;
				this.chunkHash?.update(piece);
				this.push(piece);
				if (this.remaining === 0) {
					this.verifyChunk();
					this.state = 'data-end';
				}

				continue;
			}

			if (this.state === 'data-end') {
				if (this.pending.length < 2) {
					return;
				}

				if (this.pending[0] !== 0x0D || this.pending[1] !== 0x0A) {
					throw malformed();
				}

				this.pending = this.pending.subarray(2);
				this.state = 'header';
				continue;
			}

			if (this.state === 'trailer') {
				const line = this.takeLine();
				if (line === undefined) {
					return;
				}

				if (line === '') {
					this.state = 'done';
					continue;
				}

				const index = line.indexOf(':');
				if (index > 0) {
					this.trailers.set(line.slice(0, index).trim().toLowerCase(), line.slice(index + 1).trim());
				}

				continue;
			}

			if (this.pending.length > 0 && this.pending.toString('latin1').trim() !== '') {
				throw malformed();
			}

			this.pending = Buffer.alloc(0);
			return;
		}
	}

	private verifyChunk(): void {
		if (!this.signing) {
			return;
		}

		const stringToSign = [
			'AWS4-HMAC-SHA256-PAYLOAD',
			this.signing.amzDate,
			this.signing.scope,
			this.previousSignature,
			emptySha256,
			this.chunkHash!.digest('hex'),
		].join('\n');
		const expected = createHmac('sha256', this.signing.signingKey).update(stringToSign).digest('hex');
		if (expected !== this.chunkSignature) {
			throw signatureMismatch();
		}

		this.previousSignature = expected;
	}
}

function malformed(): StandInError {
	return new StandInError(400, 'InvalidRequest', 'The aws-chunked body is malformed.');
}

function signatureMismatch(): StandInError {
	return new StandInError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
}
