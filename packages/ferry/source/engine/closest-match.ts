/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from one to the other. */
export function editDistance(from: string, to: string): number {
	const a = [...from];
	const b = [...to];
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (const [i, charA] of a.entries()) {
		const current = [i + 1];
		for (const [j, charB] of b.entries()) {
			current.push(Math.min(previous[j + 1]! + 1, current[j]! + 1, previous[j]! + (charA === charB ? 0 : 1)));
		}

		previous = current;
	}

	return previous[b.length]!;
}

/**
 * The candidate a mistyped word most likely meant: one that starts with it (an abbreviation of two characters or
 * more), else the nearest by edit distance when it is near enough to be a typo (about a third of its length, at
 * least one edit, at most three). Undefined when nothing is close: a suggestion must never be a guess.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
	const word = input.toLowerCase();
	if (word === '') {
		return undefined;
	}

	const prefixed = candidates.filter(candidate => candidate.toLowerCase().startsWith(word));
	if (word.length >= 2 && prefixed.length === 1) {
		return prefixed[0];
	}

	const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
	let best: {candidate: string; distance: number} | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(word, candidate.toLowerCase());
		if (distance <= limit && (best === undefined || distance < best.distance)) {
			best = {candidate, distance};
		}
	}

	return best?.candidate;
}
