/**
 * Text columns. Like dbgen, comments are substrings of one long pool of grammar sentences (TPC-H v3,
 * clause 4.2.2.10) taken at a random offset with a random length; the pool is built once, seeded.
 */
import {grammarWords, vStringAlphabet} from './dictionaries.js';
import {RowRandom} from './random.js';

/** 1 MiB gives more than a million distinct starting points, which is ample variety for comments. */
const textPoolLength = 1 << 20;
const textPoolStream = 0x7e_47;

let textPool: string | undefined;

function nounPhrase(random: RowRandom): string {
	const {nouns, adjectives, adverbs} = grammarWords;
	switch (random.int(0, 3)) {
		case 0: {
			return random.pick(nouns);
		}

		case 1: {
			return `${random.pick(adjectives)} ${random.pick(nouns)}`;
		}

		case 2: {
			return `${random.pick(adjectives)}, ${random.pick(adjectives)} ${random.pick(nouns)}`;
		}

		default: {
			return `${random.pick(adverbs)} ${random.pick(adjectives)} ${random.pick(nouns)}`;
		}
	}
}

function verbPhrase(random: RowRandom): string {
	const {verbs, auxiliaries, adverbs} = grammarWords;
	switch (random.int(0, 3)) {
		case 0: {
			return random.pick(verbs);
		}

		case 1: {
			return `${random.pick(auxiliaries)} ${random.pick(verbs)}`;
		}

		case 2: {
			return `${random.pick(verbs)} ${random.pick(adverbs)}`;
		}

		default: {
			return `${random.pick(auxiliaries)} ${random.pick(verbs)} ${random.pick(adverbs)}`;
		}
	}
}

function prepositionalPhrase(random: RowRandom): string {
	return `${random.pick(grammarWords.prepositions)} the ${nounPhrase(random)}`;
}

function sentence(random: RowRandom): string {
	const terminator = random.pick(grammarWords.terminators);
	switch (random.int(0, 4)) {
		case 0: {
			return `${nounPhrase(random)} ${verbPhrase(random)}${terminator}`;
		}

		case 1: {
			return `${nounPhrase(random)} ${verbPhrase(random)} ${prepositionalPhrase(random)}${terminator}`;
		}

		case 2: {
			return `${nounPhrase(random)} ${verbPhrase(random)} ${nounPhrase(random)}${terminator}`;
		}

		case 3: {
			return `${nounPhrase(random)} ${prepositionalPhrase(random)} ${verbPhrase(random)} ${nounPhrase(random)}${terminator}`;
		}

		default: {
			return `${nounPhrase(random)} ${prepositionalPhrase(random)} ${verbPhrase(random)} ${prepositionalPhrase(random)}${terminator}`;
		}
	}
}

/** The shared pool of sentences, built on first use (a few milliseconds). */
export function getTextPool(): string {
	if (textPool === undefined) {
		const random = new RowRandom().seed(textPoolStream, 0);
		const sentences: string[] = [];
		let length = 0;
		while (length < textPoolLength) {
			const next = sentence(random);
			sentences.push(next);
			length += next.length + 1;
		}

		textPool = sentences.join(' ').slice(0, textPoolLength);
	}

	return textPool;
}

/** A comment of `minLength`..`maxLength` characters (a "text string" of the specification). */
export function randomText(random: RowRandom, minLength: number, maxLength: number): string {
	const pool = getTextPool();
	const length = random.int(minLength, maxLength);
	const offset = random.int(0, pool.length - length);
	return pool.slice(offset, offset + length);
}

/** Random characters of the 64-letter alphabet, `minLength`..`maxLength` long (addresses). */
export function randomVString(random: RowRandom, minLength: number, maxLength: number): string {
	const length = random.int(minLength, maxLength);
	let result = '';
	let bits = 0;
	let available = 0;
	for (let index = 0; index < length; index++) {
		if (available < 6) {
			bits = random.next();
			available = 32;
		}

		result += vStringAlphabet[bits & 63];
		bits >>>= 6;
		available -= 6;
	}

	return result;
}
