/**
 * Text measured in terminal columns, the way Ink measures and wraps its own <Text>: string-width (a CJK character is
 * two columns, a combining mark none, an emoji sequence two) and wrap-ansi. Every place that lays out text before Ink
 * does (line counts for scrolling, aligned columns, the plain report, cut labels) goes through here, never through
 * `.length`, which counts UTF-16 units.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** The columns a text takes in a terminal. */
export function textWidth(text: string): number {
	return stringWidth(text);
}

/**
 * Word wrap to `width` columns. A paragraph keeps its indent on every line; runs of spaces become one; words wider
 * than the line (a CJK sentence has no spaces, an id may be long) are broken, never cut: ids must stay whole when read.
 */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(1, Math.floor(width));
	return text.split('\n').flatMap(paragraph => {
		const indent = /^\s*/.exec(paragraph)?.[0] ?? '';
		const words = paragraph.slice(indent.length).split(/ +/).filter(word => word !== '');
		if (words.length === 0) {
			return [''];
		}

		const room = Math.max(1, limit - textWidth(indent));
		return wrapAnsi(words.join(' '), room, {hard: true, trim: true}).split('\n').map(line => `${indent}${line}`.trimEnd());
	});
}

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/**
 * Cuts text to `width` columns, ending with `ellipsis` when it was cut; never splits a character (a CJK character, an
 * emoji sequence, a letter and its accents).
 */
export function truncateText(text: string, width: number, ellipsis = '…'): string {
	if (textWidth(text) <= width) {
		return text;
	}

	const mark = textWidth(ellipsis) < width ? ellipsis : '';
	const room = width - textWidth(mark);
	let kept = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const columns = textWidth(segment);
		if (used + columns > room) {
			break;
		}

		kept += segment;
		used += columns;
	}

	return `${mark === '' ? kept : kept.trimEnd()}${mark}`;
}

/** Pads to a width in columns, for aligned columns of plain text. */
export function padEnd(text: string, width: number): string {
	const columns = textWidth(text);
	return columns >= width ? text : text + ' '.repeat(width - columns);
}

export function padStart(text: string, width: number): string {
	const columns = textWidth(text);
	return columns >= width ? text : ' '.repeat(width - columns) + text;
}
