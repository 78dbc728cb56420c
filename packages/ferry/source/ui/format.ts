// Small text helpers for listings.
import {padEnd, textWidth} from './wrap-text.js';

export function formatAge(iso: string, now = Date.now()): string {
	const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
	if (seconds < 60) {
		return `${seconds}s ago`;
	}

	const minutes = Math.round(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m ago`;
	}

	const hours = Math.round(minutes / 60);
	return hours < 48 ? `${hours}h ago` : `${Math.round(hours / 24)}d ago`;
}

/** A plain text table: columns padded to their widest cell, in terminal columns. */
export function formatTable(header: string[], rows: string[][]): string {
	const widths = header.map((title, index) => Math.max(textWidth(title), ...rows.map(row => textWidth(row[index] ?? ''))));
	const line = (cells: string[]) => cells.map((cell, index) => (index === cells.length - 1 ? cell : padEnd(cell, widths[index] ?? 0))).join('  ').trimEnd();
	return [line(header), ...rows.map(row => line(row))].join('\n') + '\n';
}
