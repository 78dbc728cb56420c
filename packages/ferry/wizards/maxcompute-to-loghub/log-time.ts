/**
 * The log time the LogHub writer gives a record, checked before anything is written: with `timeFormat` "bigint"
 * the value is Unix seconds read by Java's Integer.valueOf (so past 2147483647 it fails), otherwise it is parsed
 * with Java's SimpleDateFormat. A value that does not parse silently becomes "now" in the real writer, which puts the
 * log outside the window the verification looks at: ferry refuses such a format at preflight instead.
 */
export type LogTimeParser = (value: string) => number | undefined;

/** Pattern letters SimpleDateFormat knows; any other letter makes Java refuse the whole pattern. */
const javaLetters = new Set('GyYMLwWDdFEuaHkKhmsSzZX');
const supported: Record<string, {min: number; max: number; field: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond'}> = {
	y: {min: 1, max: 9999, field: 'year'},
	M: {min: 1, max: 12, field: 'month'},
	d: {min: 1, max: 31, field: 'day'},
	H: {min: 0, max: 23, field: 'hour'},
	m: {min: 0, max: 59, field: 'minute'},
	s: {min: 0, max: 59, field: 'second'},
	S: {min: 0, max: 999, field: 'millisecond'},
};

type Token = {kind: 'field'; letter: string; width: number} | {kind: 'literal'; text: string};

/** Splits a SimpleDateFormat pattern; returns why it cannot be used when it has letters Java refuses or ferry cannot check. */
export function tokenizePattern(pattern: string): {tokens: Token[]} | {problem: string} {
	// Java refuses the whole pattern for one unknown letter outside quotes, whatever comes before it.
	const refused = [...pattern.replaceAll(/'[^']*'/g, '').matchAll(/[A-Za-z]/g)].map(match => match[0]).find(letter => !javaLetters.has(letter));
	if (refused) {
		return {problem: `the letter ${refused}, which Java's SimpleDateFormat refuses (so the writer would stamp every log with the time it runs)`};
	}

	const tokens: Token[] = [];
	for (let index = 0; index < pattern.length;) {
		const char = pattern[index]!;
		if (char === '\'') {
			const end = pattern.indexOf('\'', index + 1);
			if (end === -1) {
				return {problem: 'an unclosed quote'};
			}

			tokens.push({kind: 'literal', text: end === index + 1 ? '\'' : pattern.slice(index + 1, end)});
			index = end + 1;
		} else if (/[A-Za-z]/.test(char)) {
			let width = 1;
			while (pattern[index + width] === char) {
				width++;
			}

			if (!supported[char]) {
				return {problem: `the letter ${char}, which ferry cannot check here (use y M d H m s S)`};
			}

			tokens.push({kind: 'field', letter: char, width});
			index += width;
		} else {
			tokens.push({kind: 'literal', text: char});
			index++;
		}
	}

	return {tokens};
}

/** A parser for `timeFormat` in the zone the writer runs in (`offsetMinutes` east of UTC), or why there is none. */
export function logTimeParser(timeFormat: string, offsetMinutes: number): {parse: LogTimeParser} | {problem: string} {
	if (timeFormat === 'bigint') {
		return {parse(value) {
			if (!/^[+-]?\d+$/.test(value.trim()) || Number(value) > 2_147_483_647 || Number(value) < -2_147_483_648) {
				return undefined;
			}

			return Number(value) * 1000;
		}};
	}

	const tokenized = tokenizePattern(timeFormat);
	if ('problem' in tokenized) {
		return tokenized;
	}

	const {tokens} = tokenized;
	return {parse(value) {
		const fields = {year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0};
		let position = 0;
		for (const [index, token] of tokens.entries()) {
			if (token.kind === 'literal') {
				if (!value.startsWith(token.text, position)) {
					return undefined;
				}

				position += token.text.length;
				continue;
			}

			// Adjacent numeric fields take exactly their width; otherwise digits run as far as they go.
			const next = tokens[index + 1];
			const abutting = next?.kind === 'field';
			const match = (abutting ? new RegExp(`^\\d{${token.width}}`) : /^\d+/).exec(value.slice(position));
			if (!match) {
				return undefined;
			}

			const spec = supported[token.letter]!;
			let number = Number(match[0]);
			if (token.letter === 'y' && token.width === 2 && match[0].length <= 2) {
				number += number < 50 ? 2000 : 1900;
			}

			if (number < spec.min || number > spec.max) {
				return undefined;
			}

			fields[spec.field] = number;
			position += match[0].length;
		}

		// Like SimpleDateFormat.parse, text after the pattern is ignored; out-of-range fields are refused (Java would
		// roll them over leniently), which only makes the check stricter than the writer.
		const utc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond);
		const check = new Date(utc);
		if (check.getUTCDate() !== fields.day || check.getUTCMonth() !== fields.month - 1) {
			return undefined;
		}

		return utc - offsetMinutes * 60_000;
	}};
}
