/**
 * Word wrap for plain text, used where the UI must know line counts before Ink lays them out (scrolling)
 * and for the plain report. Words longer than the width are broken, never cut: ids must stay whole when read.
 */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(1, Math.floor(width));
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		const indent = /^\s*/.exec(paragraph)?.[0] ?? '';
		const words = paragraph.slice(indent.length).split(/ +/).filter(word => word !== '');
		if (words.length === 0) {
			lines.push('');
			continue;
		}

		let line = indent;
		const flush = () => {
			lines.push(line.trimEnd());
			line = indent;
		};

		for (const word of words) {
			const separator = line.length > indent.length ? ' ' : '';
			if (line.length + separator.length + word.length <= limit) {
				line += separator + word;
				continue;
			}

			if (line.length > indent.length) {
				flush();
			}

			let rest = word;
			const room = Math.max(1, limit - indent.length);
			while (rest.length > room) {
				line += rest.slice(0, room);
				rest = rest.slice(room);
				flush();
			}

			line += rest;
		}

		flush();
	}

	return lines;
}

/** Pads to a width, for aligned columns of plain text. */
export function padEnd(text: string, width: number): string {
	return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function padStart(text: string, width: number): string {
	return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}
