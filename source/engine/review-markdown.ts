import type {ReviewDocument} from './wizard.js';

/** A review document as Markdown: what `ferry plan` prints and saves. */
export function reviewMarkdown(review: ReviewDocument): string {
	const lines = [`# ${review.title}`, ''];
	for (const section of review.sections) {
		lines.push(`## ${section.title}`, '');
		if (section.body) {
			lines.push(section.body, '');
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
