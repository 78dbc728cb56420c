import type {ReviewDocument, ReviewTable} from './wizard.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A GitHub table; a row's note goes in a last column, marked, so the inexact rows stand out in a rendered plan. */
export function tableMarkdown(table: ReviewTable): string[] {
	const hasNotes = table.rows.some(row => row.note);
	const columns = hasNotes ? [...table.columns, 'Note'] : table.columns;
	const lines = table.title ? [`**${cell(table.title)}**`, ''] : [];
	lines.push(`| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`);
	for (const row of table.rows) {
		const cells = table.columns.map((_, index) => cell(row.cells[index] ?? ''));
		lines.push(`| ${[...cells, ...(hasNotes ? [row.note ? `⚠ ${cell(row.note)}` : ''] : [])].join(' | ')} |`);
	}

	lines.push('');
	return lines;
}

/** A review document as Markdown: what `ferry plan` prints and saves. */
export function reviewMarkdown(review: ReviewDocument): string {
	const lines = [`# ${review.title}`, ''];
	for (const section of review.sections) {
		lines.push(`## ${section.title}`, '');
		if (section.body) {
			lines.push(section.body, '');
		}

		for (const table of section.tables ?? []) {
			lines.push(...tableMarkdown(table));
		}

		for (const warning of section.warnings ?? []) {
			lines.push(`> ⚠ ${warning}`);
		}

		if (section.warnings?.length) {
			lines.push('');
		}

		if (section.code) {
			lines.push(`\`\`\`${section.language ?? ''}`, section.code, '```', '');
		}
	}

	return lines.join('\n');
}
