/**
 * CRC-64/ECMA-182 as OSS reports it in `x-oss-hash-crc64ecma`: the reflected ECMA polynomial with all-ones init and
 * xorout (the parameter set catalogued as CRC-64/XZ), printed as an unsigned decimal. The 64-bit state is kept as
 * two 32-bit halves so a multi-gigabyte object is hashed with plain integer operations, not BigInt.
 */

// 0x42F0E1EBA9EA3693 bit-reversed.
const polyHigh = 0xC9_6C_57_95;
const polyLow = 0xD7_87_0F_42;

// Slicing-by-8: table k holds the CRC of a byte followed by k zero bytes, so eight bytes cost eight lookups.
const tableHigh = Array.from({length: 8}, () => new Uint32Array(256));
const tableLow = Array.from({length: 8}, () => new Uint32Array(256));
for (let index = 0; index < 256; index++) {
	let high = 0;
	let low = index;
	for (let bit = 0; bit < 8; bit++) {
		const carry = low & 1;
		low = ((low >>> 1) | ((high & 1) << 31)) >>> 0;
		high >>>= 1;
		if (carry) {
			high = (high ^ polyHigh) >>> 0;
			low = (low ^ polyLow) >>> 0;
		}
	}

	tableHigh[0]![index] = high;
	tableLow[0]![index] = low;
}

for (let k = 1; k < 8; k++) {
	for (let index = 0; index < 256; index++) {
		const high = tableHigh[k - 1]![index]!;
		const low = tableLow[k - 1]![index]!;
		const next = low & 0xFF;
		tableLow[k]![index] = (((low >>> 8) | (high << 24)) ^ tableLow[0]![next]!) >>> 0;
		tableHigh[k]![index] = ((high >>> 8) ^ tableHigh[0]![next]!) >>> 0;
	}
}

const [h0, h1, h2, h3, h4, h5, h6, h7] = tableHigh as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
const [l0, l1, l2, l3, l4, l5, l6, l7] = tableLow as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

export class Crc64 {
	private high = 0xFF_FF_FF_FF;
	private low = 0xFF_FF_FF_FF;

	update(data: Uint8Array): this {
		let {high, low} = this;
		let offset = 0;
		const whole = data.length - (data.length % 8);
		for (; offset < whole; offset += 8) {
			const a = (low ^ (data[offset]! | (data[offset + 1]! << 8) | (data[offset + 2]! << 16) | (data[offset + 3]! << 24))) >>> 0;
			const b = (high ^ (data[offset + 4]! | (data[offset + 5]! << 8) | (data[offset + 6]! << 16) | (data[offset + 7]! << 24))) >>> 0;
			low = (l7[a & 0xFF]! ^ l6[(a >>> 8) & 0xFF]! ^ l5[(a >>> 16) & 0xFF]! ^ l4[a >>> 24]! ^ l3[b & 0xFF]! ^ l2[(b >>> 8) & 0xFF]! ^ l1[(b >>> 16) & 0xFF]! ^ l0[b >>> 24]!) >>> 0;
			high = (h7[a & 0xFF]! ^ h6[(a >>> 8) & 0xFF]! ^ h5[(a >>> 16) & 0xFF]! ^ h4[a >>> 24]! ^ h3[b & 0xFF]! ^ h2[(b >>> 8) & 0xFF]! ^ h1[(b >>> 16) & 0xFF]! ^ h0[b >>> 24]!) >>> 0;
		}

		for (; offset < data.length; offset++) {
			const index = (low ^ data[offset]!) & 0xFF;
			low = (((low >>> 8) | (high << 24)) ^ l0[index]!) >>> 0;
			high = ((high >>> 8) ^ h0[index]!) >>> 0;
		}

		this.high = high;
		this.low = low;
		return this;
	}

	/** The finished CRC as an unsigned decimal string, the form of the `x-oss-hash-crc64ecma` header. */
	digest(): string {
		const high = BigInt((this.high ^ 0xFF_FF_FF_FF) >>> 0);
		const low = BigInt((this.low ^ 0xFF_FF_FF_FF) >>> 0);
		return ((high << 32n) | low).toString(10);
	}
}

export function crc64Ecma(data: Uint8Array | string): string {
	return new Crc64().update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest();
}
