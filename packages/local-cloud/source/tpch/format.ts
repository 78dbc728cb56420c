/**
 * Text forms of the generator's values: dates as `YYYY-MM-DD` from day numbers, and decimals with
 * exactly two fraction digits from integer cents (money is never held as a binary fraction).
 */

const millisecondsPerDay = 86_400_000;

const twoDigits = Array.from({length: 100}, (_, index) => String(index).padStart(2, '0'));

/** Days since 1970-01-01 (UTC) of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
	return Date.UTC(year, month - 1, day) / millisecondsPerDay;
}

const dateCache = new Map<number, string>();

/** `YYYY-MM-DD` of a day number; the few thousand dates TPC-H uses are formatted once each. */
export function formatDate(days: number): string {
	let text = dateCache.get(days);
	if (text === undefined) {
		text = new Date(days * millisecondsPerDay).toISOString().slice(0, 10);
		dateCache.set(days, text);
	}

	return text;
}

/** A decimal with two fraction digits from a whole number of hundredths, e.g. -12345 → `-123.45`. */
export function formatCents(cents: number): string {
	const magnitude = Math.abs(cents);
	const units = Math.floor(magnitude / 100);
	const text = `${units}.${twoDigits[magnitude - units * 100]}`;
	return cents < 0 ? `-${text}` : text;
}
