/**
 * Colours and symbols of the terminal UI, in one place. Colour itself is switched off upstream: cli.ts sets
 * FORCE_COLOR=0 for NO_COLOR before Ink (chalk) loads, so components always name colours and chalk drops them.
 * Symbols need their own decision: a Linux console or a non-UTF-8 locale cannot draw them.
 */
export type Symbols = {
	success: string;
	failure: string;
	skipped: string;
	pending: string;
	running: string;
	pointer: string;
	warning: string;
	info: string;
	checked: string;
	unchecked: string;
	equal: string;
	different: string;
	separator: string;
	bullet: string;
	columnRule: string;
	dash: string;
	range: string;
	upDown: string;
	spinnerFrames: string[];
};

export const unicodeSymbols: Symbols = {
	success: '✔',
	failure: '✖',
	skipped: '↓',
	pending: '◯',
	running: '▶',
	pointer: '❯',
	warning: '⚠',
	info: 'ℹ',
	checked: '◉',
	unchecked: '◯',
	equal: '=',
	different: '≠',
	separator: '·',
	bullet: '•',
	columnRule: '│',
	dash: '—',
	range: '–',
	upDown: '↑↓',
	spinnerFrames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'],
};

export const asciiSymbols: Symbols = {
	success: 'v',
	failure: 'x',
	skipped: '-',
	pending: 'o',
	running: '>',
	pointer: '>',
	warning: '!',
	info: 'i',
	checked: '[x]',
	unchecked: '[ ]',
	equal: '=',
	different: '!=',
	separator: '-',
	bullet: '*',
	columnRule: '|',
	dash: '-',
	range: '-',
	upDown: 'up/down',
	spinnerFrames: ['-', '\\', '|', '/'],
};

type Environment = Record<string, string | undefined>;

/** is-unicode-supported only looks at TERM; over SSH with LANG=C the terminal may still not draw UTF-8. */
export function supportsUnicode(environment: Environment = process.env, platform: string = process.platform): boolean {
	if ((environment['FERRY_ASCII'] ?? '') !== '') {
		return false;
	}

	if (platform === 'win32') {
		return Boolean(environment['WT_SESSION'] ?? environment['TERMINUS_SUBLIME']) || environment['TERM_PROGRAM'] === 'vscode';
	}

	if (environment['TERM'] === 'linux') {
		return false;
	}

	const locale = environment['LC_ALL'] || environment['LC_CTYPE'] || environment['LANG'];
	// An unset locale is common in containers whose terminal (the user's) is UTF-8; only an explicit non-UTF-8 locale says otherwise.
	return locale === undefined || locale === '' || /utf-?8/i.test(locale);
}

/** Colour is off when NO_COLOR is set or FORCE_COLOR=0 (cli.ts turns the first into the second). */
export function colorEnabled(environment: Environment = process.env): boolean {
	return (environment['NO_COLOR'] ?? '') === '' && environment['FORCE_COLOR'] !== '0';
}

export function symbolsFor(environment: Environment = process.env): Symbols {
	return supportsUnicode(environment) ? unicodeSymbols : asciiSymbols;
}

export const symbols: Symbols = symbolsFor();

/** Ink colour names by role. */
export const colors = {
	accent: 'cyan',
	success: 'green',
	failure: 'red',
	warning: 'yellow',
	muted: 'gray',
	selected: 'cyan',
	different: 'red',
} as const;

/** A spinner animates only where it can be seen as one: with colour and a unicode-capable terminal. */
export const animateSpinner: boolean = colorEnabled() && supportsUnicode();
