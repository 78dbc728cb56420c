/**
 * Edit distance with adjacent transpositions (optimal string alignment): the fewest insertions, deletions,
 * substitutions and swaps of two neighbouring characters from one to the other, by code point. A swap counts as one
 * edit because it is the commonest typo (`strat` for `start`).
 */
export function editDistance(from: string, to: string): number {
	const a = [...from];
	const b = [...to];
	const rows: number[][] = [Array.from({length: b.length + 1}, (_, index) => index)];
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}

			row.push(best);
		}

		rows.push(row);
	}

	return rows[a.length]![b.length]!;
}

function commonPrefix(a: string, b: string): number {
	let length = 0;
	while (length < a.length && a[length] === b[length]) {
		length++;
	}

	return length;
}

/**
 * The candidate a mistyped word most likely meant: the only one that starts with it (an abbreviation of two
 * characters or more), else the nearest by edit distance when it is near enough to be a typo (a third of its length,
 * at least one edit, at most three; a tie goes to the longer common start). Undefined when nothing is close: a
 * suggestion must never be a guess.
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
	let best: {candidate: string; distance: number; prefix: number} | undefined;
	for (const candidate of candidates) {
		const lower = candidate.toLowerCase();
		const distance = editDistance(word, lower);
		const prefix = commonPrefix(word, lower);
		if (distance <= limit && (best === undefined || distance < best.distance || (distance === best.distance && prefix > best.prefix))) {
			best = {candidate, distance, prefix};
		}
	}

	return best?.candidate;
}
