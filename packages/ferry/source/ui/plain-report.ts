import type {VerificationReport} from '../verify/report.js';
import {type Symbols, symbols as defaultSymbols} from './theme.js';
import {layoutReport, lineText} from './verification-layout.js';

/** The side-by-side verification table as plain text (no ANSI), for stderr, pipes and `ferry verify` headless. */
export function renderVerificationText(report: VerificationReport, options: {columns: number; symbols?: Symbols}): string {
	const lines = layoutReport(report, {columns: options.columns, symbols: options.symbols ?? defaultSymbols});
	return `${lines.map(line => lineText(line)).join('\n')}\n`;
}
