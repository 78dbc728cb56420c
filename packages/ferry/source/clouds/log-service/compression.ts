/**
 * PutLogs body compression (header `x-log-compresstype`; `x-log-bodyrawsize` keeps the uncompressed size):
 * - `deflate`: a zlib stream (RFC 1950), as aliyun-sdk's `putLogs` sends it;
 * - `lz4`: a raw LZ4 *block* (no frame). ferry writes the one-sequence, literals-only block, which is valid LZ4 and is
 *   what aliyun-log-go-sdk `log_store.go` `copyIncompressible` sends when its compressor gives up; it is slightly larger than
 *   the input (one byte more per 255), so it serves compatibility, not bandwidth.
 */
import {deflateSync} from 'node:zlib';

export type CompressType = 'deflate' | 'lz4' | 'none';

export function deflateBody(raw: Uint8Array): Buffer {
	return deflateSync(raw);
}

/** A literal-only LZ4 block: token (literal length, high nibble; no match), length extension bytes, the literals. */
export function lz4LiteralBlock(raw: Uint8Array): Buffer {
	const header: number[] = [];
	if (raw.length < 15) {
		header.push(raw.length << 4);
	} else {
		header.push(0xF0);
		let rest = raw.length - 15;
		while (rest >= 255) {
			header.push(255);
			rest -= 255;
		}

		header.push(rest);
	}

	return Buffer.concat([Buffer.from(header), raw]);
}

/** The body to send and the `x-log-compresstype` value (none for an uncompressed body). */
export function compressBody(raw: Uint8Array, type: CompressType): {body: Buffer; compressType: 'deflate' | 'lz4' | undefined} {
	switch (type) {
		case 'deflate':
			return {body: deflateBody(raw), compressType: 'deflate'};
		case 'lz4':
			return {body: lz4LiteralBlock(raw), compressType: 'lz4'};
		case 'none':
			return {body: Buffer.from(raw), compressType: undefined};
	}
}
