/**
 * Time patterns written with `%` directives, as the procedure's own parameter table (`%Y_%m_%d %H:%M:%S`, strftime)
 * and its JSON example (`%H:%i:%S`, MySQL's DATE_FORMAT) write them, translated into the Java SimpleDateFormat pattern
 * the LogHub writer parses. Passed as they are, the writer would stamp every log with the time the job runs.
 *
 * The two dialects disagree on `%M` (strftime: minutes; MySQL: the month's name) and `%s` (strftime: Unix seconds;
 * MySQL: seconds): a pattern using MySQL's `%i` for minutes is read as MySQL, any other as strftime.
 */
export type PercentTranslation = {pattern: string} | {problem: string};

const shared: Record<string, string> = {
	Y: 'yyyy', y: 'yy', m: 'MM', d: 'dd', e: 'd', H: 'HH', k: 'H', I: 'hh', l: 'h', S: 'ss', p: 'a',
	b: 'MMM', a: 'EEE', j: 'DDD',
};
const strftime: Record<string, string> = {
	...shared, M: 'mm', B: 'MMMM', A: 'EEEE', h: 'MMM', z: 'Z', Z: 'z', T: 'HH:mm:ss', F: 'yyyy-MM-dd', R: 'HH:mm', D: 'MM/dd/yy',
};
const mysql: Record<string, string> = {
	...shared, i: 'mm', s: 'ss', M: 'MMMM', W: 'EEEE', c: 'M', h: 'hh', T: 'HH:mm:ss', r: 'hh:mm:ss a',
};
const untranslatable: Record<string, string> = {
	f: 'fractions of a second finer than SimpleDateFormat\'s milliseconds',
	s: 'Unix seconds, which the writer takes as the whole format bigint, not inside a pattern',
	U: 'week numbers', u: 'week numbers', V: 'week numbers', W: 'week numbers', G: 'ISO week years', g: 'ISO week years',
	w: 'weekday numbers', C: 'centuries', n: 'a line break', t: 'a tab', x: 'the locale\'s date', X: 'the locale\'s time',
	c: 'the locale\'s date and time',
};

/** Literal text in SimpleDateFormat: letters must be quoted, a quote doubled. */
function quoteLiteral(text: string): string {
	if (!/[A-Za-z']/.test(text)) {
		return text;
	}

	return `'${text.replaceAll('\'', '\'\'')}'`;
}

/** Whether a pattern is written with `%` directives rather than SimpleDateFormat letters. */
export function isPercentPattern(pattern: string): boolean {
	return /%[A-Za-z%]/.test(pattern);
}

/** The SimpleDateFormat equivalent of a `%` pattern, or why there is none. */
export function translatePercentPattern(pattern: string): PercentTranslation {
	if (pattern.trim() === '%s') {
		return {problem: '%s, Unix seconds: use the format bigint instead'};
	}

	const directives = pattern.includes('%i') ? mysql : strftime;
	let translated = '';
	let literal = '';
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index]!;
		if (char !== '%') {
			literal += char;
			continue;
		}

		const directive = pattern[index + 1];
		if (directive === undefined) {
			return {problem: 'a % at the end with no directive after it'};
		}

		index++;
		if (directive === '%') {
			literal += '%';
			continue;
		}

		const letters = directives[directive];
		if (!letters) {
			const what = untranslatable[directive];
			return {problem: what ? `%${directive} (${what}), which has no SimpleDateFormat equivalent` : `%${directive}, which is not a date directive`};
		}

		translated += quoteLiteral(literal) + letters;
		literal = '';
	}

	return {pattern: translated + quoteLiteral(literal)};
}

/** The SimpleDateFormat pattern a `%` pattern stands for, when it is one and has an equivalent. */
export function simpleDateFormatFor(pattern: string): string | undefined {
	const translation = isPercentPattern(pattern) ? translatePercentPattern(pattern) : undefined;
	return translation && 'pattern' in translation ? translation.pattern : undefined;
}
