/**
 * The generator's only source of randomness. Every row draws from its own sequence, seeded from the
 * table's stream number and the row's index, so any row can be produced on its own and the output is
 * the same on every run and machine (only 32-bit integer maths and exact IEEE operations are used).
 */

const twoToThe32 = 4_294_967_296;

/** Finalizer of a 32-bit hash (the "lowbias32" constants): every input bit reaches every output bit. */
function mix32(value: number): number {
	let z = value | 0;
	z = Math.imul(z ^ (z >>> 16), 0x21_f0_aa_ad);
	z = Math.imul(z ^ (z >>> 15), 0x73_5a_2d_97);
	return (z ^ (z >>> 15)) >>> 0;
}

/**
 * A SplitMix-style sequence: state walks by an odd gamma and each step is hashed. The gamma also
 * depends on the row, so two rows whose starting points happen to be close do not share a sequence.
 */
export class RowRandom {
	#state = 0;
	#gamma = 1;

	/** Starts the sequence of row `row` (a non-negative integer below 2^53) in stream `stream`. */
	seed(stream: number, row: number): this {
		const low = row >>> 0;
		const high = Math.floor(row / twoToThe32) >>> 0;
		const streamHash = mix32(Math.imul(stream, 0x9e_37_79_b9) ^ mix32(high ^ 0x5b_d1_e9_95));
		this.#state = mix32(low ^ streamHash);
		this.#gamma = (mix32(this.#state ^ 0x68_e3_1d_a4) | 1) >>> 0;
		return this;
	}

	/** A uniformly distributed unsigned 32-bit integer. */
	next(): number {
		this.#state = (this.#state + this.#gamma) >>> 0;
		return mix32(this.#state);
	}

	/** A uniformly distributed integer in [low, high], both included. */
	int(low: number, high: number): number {
		return low + Math.floor((this.next() * (high - low + 1)) / twoToThe32);
	}

	/** One element of a non-empty list, uniformly. */
	pick<T>(items: readonly T[]): T {
		return items[this.int(0, items.length - 1)] as T;
	}
}

/** A single draw in [low, high] for row `row` of `stream`, without keeping a sequence around. */
export function drawOnce(stream: number, row: number, low: number, high: number): number {
	return sharedRandom.seed(stream, row).int(low, high);
}

const sharedRandom = new RowRandom();
