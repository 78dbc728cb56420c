/**
 * Counts distinct keys of a streamed side without keeping the keys: each key's MD5 digest, 96 bits of it, goes into
 * an open-addressing table of 12 bytes a slot that doubles at half full (about 24 MB for a million distinct keys).
 * Two different keys count as one only if their digests agree on all 96 bits: for a billion keys the chance that any
 * pair does is below 10^-11, so the count is exact for any side a verification reads.
 */
import {hash} from 'node:crypto';

const wordsPerSlot = 3;

export class DistinctCounter {
	#slots = new Uint32Array(wordsPerSlot * 1024);
	#capacity = 1024;
	#size = 0;

	get size(): number {
		return this.#size;
	}

	add(key: string): void {
		const digest = hash('md5', key, 'buffer');
		// The low bit marks a used slot, so a digest whose first word is zero is still seen.
		const first = (digest.readUInt32LE(0) | 1) >>> 0;
		const second = digest.readUInt32LE(4);
		const third = digest.readUInt32LE(8);
		if (this.#insert(first, second, third)) {
			this.#size++;
			if (this.#size * 2 > this.#capacity) this.#grow();
		}
	}

	/** True when the digest was not in the table yet. */
	#insert(first: number, second: number, third: number): boolean {
		const mask = this.#capacity - 1;
		for (let slot = (first ^ second) & mask; ; slot = (slot + 1) & mask) {
			const at = slot * wordsPerSlot;
			const word = this.#slots[at]!;
			if (word === 0) {
				this.#slots[at] = first;
				this.#slots[at + 1] = second;
				this.#slots[at + 2] = third;
				return true;
			}

			if (word === first && this.#slots[at + 1] === second && this.#slots[at + 2] === third) return false;
		}
	}

	#grow(): void {
		const old = this.#slots;
		this.#capacity *= 2;
		this.#slots = new Uint32Array(wordsPerSlot * this.#capacity);
		for (let at = 0; at < old.length; at += wordsPerSlot) {
			if (old[at] !== 0) this.#insert(old[at]!, old[at + 1]!, old[at + 2]!);
		}
	}
}
