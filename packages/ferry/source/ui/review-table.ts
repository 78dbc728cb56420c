/**
 * A review table as lines of plain text at a width, for the review screen (which must count lines to scroll) and
 * the plain reporter. No Ink here. Cells wrap inside their column instead of being cut: a type must stay readable.
 */
import type {ReviewTable} from '../engine/wizard.js';
import {symbols} from './theme.js';
import {padEnd, textWidth, wrapText} from './wrap-text.js';

export type TableLine = {text: string; tone: 'caption' | 'header' | 'row' | 'note'; marked?: boolean};

const gap = 2;
/** A column keeps this many columns while the width allows it. */
const narrowest = 6;
/** And never fewer than one wide character's two, so a CJK cell still wraps inside it. */
const narrowestAtAll = 2;

/** Column widths that fit `available`: natural widths when they fit, else the narrow columns keep theirs and the wide share the rest. */
export function columnWidths(natural: readonly number[], available: number): number[] {
	const total = natural.reduce((sum, width) => sum + width, 0);
	if (total <= available) {
		return [...natural];
	}

	const widths = [...natural];
	let remaining = available;
	let left = natural.length;
	const floor = Math.max(narrowestAtAll, Math.min(narrowest, Math.floor(available / natural.length)));
	for (const index of natural.map((_, position) => position).sort((a, b) => natural[a]! - natural[b]!)) {
		const share = Math.floor(remaining / left);
		widths[index] = Math.max(floor, Math.min(natural[index]!, share));
		remaining -= widths[index];
		left--;
	}

	return widths;
}

export function tableLines(table: ReviewTable, width: number): TableLine[] {
	const lines: TableLine[] = [];
	if (table.title) {
		lines.push(...wrapText(table.title, width).map(text => ({text, tone: 'caption' as const})));
	}

	const hasNotes = table.rows.some(row => row.note);
	// The mark column exists only where some row is marked, so a table without notes starts at the margin.
	const markWidth = hasNotes ? 2 : 0;
	const count = table.columns.length;
	const natural = table.columns.map((header, index) => Math.max(textWidth(header), ...table.rows.map(row => textWidth(row.cells[index] ?? ''))));
	const widths = columnWidths(natural, Math.max(count * narrowestAtAll, width - markWidth - gap * (count - 1)));
	const layoutRow = (cells: readonly string[], mark: string): string[] => {
		const wrapped = widths.map((columnWidth, index) => wrapText(cells[index] ?? '', columnWidth));
		const height = Math.max(1, ...wrapped.map(cell => cell.length));
		return Array.from({length: height}, (_, line) => {
			const text = wrapped.map((cell, index) => (index === count - 1 ? cell[line] ?? '' : padEnd(cell[line] ?? '', widths[index]!))).join(' '.repeat(gap));
			return `${padEnd(line === 0 ? mark : '', markWidth)}${text}`.trimEnd();
		});
	};

	lines.push(...layoutRow(table.columns, '').map(text => ({text, tone: 'header' as const})));
	for (const row of table.rows) {
		const marked = Boolean(row.note);
		lines.push(...layoutRow(row.cells, marked ? symbols.warning : '').map((text, index) => ({text, tone: 'row' as const, ...(marked && index === 0 ? {marked} : {})})));
		if (row.note) {
			const indent = ' '.repeat(markWidth + gap);
			lines.push(...wrapText(row.note, width - indent.length).map(text => ({text: `${indent}${text}`, tone: 'note' as const})));
		}
	}

	return lines;
}
