/**
 * LZ4 *block* decompression (no frame), as Log Service uses for `x-log-compresstype: lz4` with the raw size in
 * `x-log-bodyrawsize` (lz4 `doc/lz4_Block_format.md`): sequences of a token (literal length high nibble, match length
 * low nibble), extra length bytes of 255, literals, a 2-byte little-endian offset and a match of length + 4.
 */
export class Lz4Error extends Error {}

export function decompressLz4Block(input: Uint8Array, rawSize: number): Buffer {
	const output = Buffer.alloc(rawSize);
	let source = 0;
	let target = 0;
	const length = (initial: number): number => {
		let total = initial;
		if (initial !== 15) return total;
		for (;;) {
			if (source >= input.length) throw new Lz4Error('truncated length');
			const byte = input[source++]!;
			total += byte;
			if (byte !== 255) return total;
		}
	};

	while (source < input.length) {
		const token = input[source++]!;
		const literals = length(token >> 4);
		if (source + literals > input.length) throw new Lz4Error('literals run past the input');
		if (target + literals > rawSize) throw new Lz4Error('output is larger than x-log-bodyrawsize');
		output.set(input.subarray(source, source + literals), target);
		source += literals;
		target += literals;
		if (source === input.length) break;
		if (source + 2 > input.length) throw new Lz4Error('truncated match offset');
		const offset = input[source]! | (input[source + 1]! << 8);
		source += 2;
		if (offset === 0 || offset > target) throw new Lz4Error('match offset points before the output');
		const matchLength = length(token & 0x0F) + 4;
		if (target + matchLength > rawSize) throw new Lz4Error('output is larger than x-log-bodyrawsize');
		// Byte by byte: a match may overlap the bytes it is producing.
		for (let index = 0; index < matchLength; index++) output[target + index] = output[target - offset + index]!;
		target += matchLength;
	}

	if (target !== rawSize) throw new Lz4Error(`decompressed ${target} bytes, x-log-bodyrawsize says ${rawSize}`);
	return output;
}

/** A valid LZ4 block holding `input` as one run of literals (no matches): enough to answer `Accept-Encoding: lz4`. */
export function encodeLz4Literals(input: Uint8Array): Buffer {
	const lengthBytes: number[] = [];
	if (input.length >= 15) {
		let rest = input.length - 15;
		while (rest >= 255) {
			lengthBytes.push(255);
			rest -= 255;
		}

		lengthBytes.push(rest);
	}

	return Buffer.concat([Buffer.from([Math.min(input.length, 15) << 4, ...lengthBytes]), input]);
}
