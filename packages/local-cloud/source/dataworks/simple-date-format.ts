/**
 * A subset of Java's `SimpleDateFormat.parse(String)` as the loghub writer uses it for its `timeformat` (DataX
 * `LogHubWriter.getTime`): fields yyyy/yy MM dd HH mm ss SSS and literals ('quoted' text included), lenient like
 * Java's default (month 13 rolls into the next year), trailing text ignored, numeric fields greedy unless the next
 * pattern element is another number ("abutting" fields then take exactly their width).
 */

/** Letters Java accepts in a pattern; any other ASCII letter makes `new SimpleDateFormat` throw. */
const javaPatternLetters = new Set('GyYMLwWDdFEuaHkKhmsSzZX');
const supportedLetters = new Set('yMdHmsS');

type Field = {kind: 'field'; letter: string; count: number};
type Literal = {kind: 'literal'; text: string};
type Element = Field | Literal;

export type CompiledPattern =
	| {ok: true; elements: Element[]}
	/** Java would throw IllegalArgumentException: the writer then falls back to "now" for every record. */
	| {ok: false; reason: 'illegal'; letter: string}
	/** Valid in Java but outside this subset: the stand-in refuses it up front rather than diverge silently. */
	| {ok: false; reason: 'unsupported'; letter: string};

export function compileSimpleDateFormat(pattern: string): CompiledPattern {
	const elements: Element[] = [];
	let unsupported: string | undefined;
	const pushLiteral = (text: string) => {
		const last = elements.at(-1);
		if (last?.kind === 'literal') {
			last.text += text;
		} else {
			elements.push({kind: 'literal', text});
		}
	};

	for (let index = 0; index < pattern.length;) {
		const character = pattern[index]!;
		if (character === '\'') {
			if (pattern[index + 1] === '\'') {
				pushLiteral('\'');
				index += 2;
				continue;
			}

			const end = pattern.indexOf('\'', index + 1);
			if (end === -1) {
				return {ok: false, reason: 'illegal', letter: '\''};
			}

			pushLiteral(pattern.slice(index + 1, end));
			index = end + 1;
			continue;
		}

		if (/[a-z]/i.test(character)) {
			if (!javaPatternLetters.has(character)) {
				return {ok: false, reason: 'illegal', letter: character};
			}

			let count = 1;
			while (pattern[index + count] === character) {
				count++;
			}

			// Java checks the whole pattern before it parses anything, so an illegal letter later on still wins.
			if (!supportedLetters.has(character) || (character === 'M' && count >= 3)) {
				unsupported ??= character;
			}

			elements.push({kind: 'field', letter: character, count});
			index += count;
			continue;
		}

		pushLiteral(character);
		index++;
	}

	return unsupported === undefined ? {ok: true, elements} : {ok: false, reason: 'unsupported', letter: unsupported};
}

export type ParseOptions = {
	/** The JVM's default zone as minutes east of UTC (the writer parses in it). */
	offsetMinutes: number;
	/** For the two-digit-year window ("within 80 years before and 20 after" the time the format was created). */
	nowMs: number;
};

/** Milliseconds since the epoch, or undefined where Java's `parse` throws ParseException. */
export function parseWithPattern(compiled: Extract<CompiledPattern, {ok: true}>, text: string, options: ParseOptions): number | undefined {
	const values = {year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0};
	let position = 0;
	const {elements} = compiled;
	for (const [index, element] of elements.entries()) {
		if (element.kind === 'literal') {
			if (!text.startsWith(element.text, position)) {
				return undefined;
			}

			position += element.text.length;
			continue;
		}

		while (position < text.length && /\s/.test(text[position]!)) {
			position++;
		}

		const abutting = elements[index + 1]?.kind === 'field';
		let end = position;
		const limit = abutting ? position + element.count : text.length;
		while (end < limit && end < text.length && /\d/.test(text[end]!)) {
			end++;
		}

		if (end === position || (abutting && end - position < element.count)) {
			return undefined;
		}

		const digits = text.slice(position, end);
		const value = Number(digits);
		position = end;
		switch (element.letter) {
			case 'y': {
				values.year = element.count <= 2 && digits.length === 2 ? twoDigitYear(value, options) : value;
				break;
			}

			case 'M': {
				values.month = value;
				break;
			}

			case 'd': {
				values.day = value;
				break;
			}

			case 'H': {
				values.hour = value;
				break;
			}

			case 'm': {
				values.minute = value;
				break;
			}

			case 's': {
				values.second = value;
				break;
			}

			default: {
				values.millisecond = value;
			}
		}
	}

	if (position === 0) {
		// parse(String) throws when nothing was consumed.
		return undefined;
	}

	// The setters are lenient the way Java's default calendar is (month 13 rolls into the next year), and unlike
	// Date.UTC they do not map years 0–99 to 1900–1999.
	const date = new Date(0);
	date.setUTCFullYear(values.year, values.month - 1, values.day);
	date.setUTCHours(values.hour, values.minute, values.second, values.millisecond);
	return date.getTime() - (options.offsetMinutes * 60_000);
}

function twoDigitYear(value: number, options: ParseOptions): number {
	const now = new Date(options.nowMs + (options.offsetMinutes * 60_000));
	const start = now.getUTCFullYear() - 80;
	const century = Math.floor(start / 100) * 100;
	const candidate = century + value;
	return candidate < start ? candidate + 100 : candidate;
}
