import type {CellComparison, QueryComparison} from '../verify/compare.js';
import type {VerificationReport} from '../verify/report.js';
import {type Symbols, symbols as defaultSymbols} from './theme.js';
import {comparisonRules, differingChecks, notComparedChecks, resultText, summaryRows, verdictLine} from '../verify/report-summary.js';
import {notComparedCauseText, notComparedOf, sideErrorKind, verdictOf} from '../verify/outcome.js';
import {padEnd, padStart, textWidth, truncateText, wrapText} from './wrap-text.js';

/**
 * The verification report laid out as lines of toned segments: the Ink table colours the tones, the plain report
 * prints the text. One layout, so stderr and the terminal UI read the same.
 */
export type Tone = 'plain' | 'muted' | 'heading' | 'equal' | 'different' | 'warning';
export type Segment = {text: string; tone: Tone};
export type Line = Segment[];

export type LayoutOptions = {
	columns: number;
	symbols?: Symbols;
};

/** Below this width source and target are stacked per row instead of side by side. */
export const sideBySideMinColumns = 72;

const gap = '  ';

function plain(text: string): Segment {
	return {text, tone: 'plain'};
}

function muted(text: string): Segment {
	return {text, tone: 'muted'};
}

function wrapped(text: string, width: number, tone: Tone, indent = ''): Line[] {
	return wrapText(text, Math.max(10, width - textWidth(indent))).map(line => [{text: indent + line, tone}]);
}

/** "All 3 checks equal", "2 of 10 checks differ": the verdict the outcome screen repeats. */
export function summaryLine(report: VerificationReport): string {
	return verdictLine(report);
}

function keyHeaders(comparison: QueryComparison): string[] {
	return comparison.keyColumns.length > 0 ? comparison.keyColumns : ['row'];
}

type ValueColumn = {name: string; index: number; sourceWidth: number; targetWidth: number; markWidth: number; width: number};

function measureValueColumns(comparison: QueryComparison, marks: {equal: string; different: string}): ValueColumn[] {
	const markWidth = Math.max(textWidth(marks.equal), textWidth(marks.different));
	return comparison.valueColumns.map((name, index) => {
		const cells = comparison.rows.map(row => row.cells[index]).filter((cell): cell is CellComparison => cell !== undefined);
		const sourceWidth = Math.max(textWidth('source'), ...cells.map(cell => textWidth(cell.source)));
		const targetWidth = Math.max(textWidth('target'), ...cells.map(cell => textWidth(cell.target)));
		const width = Math.max(textWidth(name), sourceWidth + 1 + targetWidth + 1 + markWidth);
		return {name, index, sourceWidth, targetWidth, markWidth, width};
	});
}

/** Groups value columns so that each group, with the key columns repeated, fits the width. Undefined when one column alone does not fit. */
function groupColumns(columns: ValueColumn[], keyWidth: number, width: number, rule: string): ValueColumn[][] | undefined {
	const groups: ValueColumn[][] = [];
	let current: ValueColumn[] = [];
	let used = keyWidth;
	for (const column of columns) {
		const needed = textWidth(rule) + 2 + column.width;
		if (keyWidth + needed > width) {
			return undefined;
		}

		if (used + needed > width && current.length > 0) {
			groups.push(current);
			current = [];
			used = keyWidth;
		}

		current.push(column);
		used += needed;
	}

	if (current.length > 0) {
		groups.push(current);
	}

	return groups;
}

function sideBySide(comparison: QueryComparison, columns: number, symbols: Symbols): Line[] | undefined {
	const headers = keyHeaders(comparison);
	const keyWidths = headers.map((header, index) => Math.max(textWidth(header), ...comparison.rows.map(row => textWidth(row.key[index] ?? ''))));
	const keyWidth = keyWidths.reduce((sum, width) => sum + width, 0) + gap.length * Math.max(0, headers.length - 1);
	const rule = ` ${symbols.columnRule} `;
	const valueColumns = measureValueColumns(comparison, symbols);
	const groups = groupColumns(valueColumns, keyWidth, columns, rule);
	if (groups === undefined) {
		return undefined;
	}

	const lines: Line[] = [];
	for (const [groupIndex, group] of groups.entries()) {
		if (groupIndex > 0) {
			lines.push([]);
		}

		const names: Line = [muted(' '.repeat(keyWidth))];
		const subHeaders: Line = [muted(headers.map((header, index) => padEnd(header, keyWidths[index] ?? 0)).join(gap))];
		for (const column of group) {
			names.push(muted(rule), {text: padEnd(column.name, column.width), tone: 'heading'});
			subHeaders.push(muted(rule), muted(padEnd(`${padEnd('source', column.sourceWidth)} ${padEnd('target', column.targetWidth)} ${padEnd(symbols.equal, column.markWidth)}`, column.width)));
		}

		lines.push(trimLine(names), trimLine(subHeaders));
		for (const row of comparison.rows) {
			const line: Line = [plain(row.key.map((value, index) => padEnd(value, keyWidths[index] ?? 0)).join(gap))];
			for (const column of group) {
				const cell = row.cells[column.index];
				line.push(muted(rule));
				if (cell === undefined) {
					line.push(muted(' '.repeat(column.width)));
					continue;
				}

				const tone: Tone = cell.equal ? 'plain' : 'different';
				const mark = cell.equal ? symbols.equal : symbols.different;
				const used = column.sourceWidth + 1 + column.targetWidth + 1 + column.markWidth;
				line.push(
					{text: `${padEnd(cell.source, column.sourceWidth)} `, tone},
					{text: `${padEnd(cell.target, column.targetWidth)} `, tone},
					{text: padEnd(mark, column.markWidth) + ' '.repeat(column.width - used), tone: cell.equal ? 'equal' : 'different'},
				);
			}

			lines.push(trimLine(line));
		}
	}

	return lines;
}

function stacked(comparison: QueryComparison, columns: number, symbols: Symbols): Line[] {
	const headers = keyHeaders(comparison);
	const nameWidth = Math.min(Math.max(...comparison.valueColumns.map(name => textWidth(name)), 0), Math.floor(columns / 3));
	const lines: Line[] = [];
	for (const row of comparison.rows) {
		const key = headers.map((header, index) => `${header}=${row.key[index] ?? ''}`).join(' ');
		lines.push(...wrapped(key, columns, 'heading'));
		for (const cell of row.cells) {
			const tone: Tone = cell.equal ? 'plain' : 'different';
			const mark = cell.equal ? symbols.equal : symbols.different;
			const name = padEnd(cell.column, nameWidth);
			const valueIndent = 2 + nameWidth + 1 + 'source '.length;
			const valueWidth = Math.max(8, columns - valueIndent - textWidth(mark) - 1);
			const sourceLines = wrapText(cell.source, valueWidth);
			const targetLines = wrapText(cell.target, valueWidth);
			const continuation = ' '.repeat(valueIndent);
			lines.push([muted(`  ${name} source `), {text: sourceLines[0] ?? '', tone}]);
			for (const extra of sourceLines.slice(1)) {
				lines.push([{text: continuation + extra, tone}]);
			}

			const targetHead = targetLines.length === 1 ? [{text: `${targetLines[0] ?? ''} `, tone}, {text: mark, tone: cell.equal ? 'equal' : 'different'} as Segment] : [{text: targetLines[0] ?? '', tone}];
			lines.push([muted(`  ${' '.repeat(nameWidth)} target `), ...targetHead]);
			for (const [index, extra] of targetLines.slice(1).entries()) {
				const last = index === targetLines.length - 2;
				lines.push([{text: continuation + extra + (last ? ' ' : ''), tone}, ...(last ? [{text: mark, tone: cell.equal ? 'equal' : 'different'} as Segment] : [])]);
			}
		}
	}

	return lines;
}

function trimLine(line: Line): Line {
	const last = line.at(-1);
	if (last !== undefined) {
		return [...line.slice(0, -1), {...last, text: last.text.trimEnd()}];
	}

	return line;
}

function differences(comparison: QueryComparison, columns: number, symbols: Symbols): Line[] {
	const lines: Line[] = [];
	const where = (key: string[]) => (comparison.keyColumns.length > 0 ? `(${key.join(', ')})` : `row ${key.join(', ')}`);
	const item = (text: string, tone: Tone) => {
		const [first, ...rest] = wrapText(text, Math.max(10, columns - 2));
		lines.push([{text: `${symbols.bullet} ${first ?? ''}`, tone}]);
		for (const line of rest) {
			lines.push([{text: `  ${line}`, tone}]);
		}
	};

	for (const error of comparison.errors) {
		item(`The ${error.side} query failed: ${error.message}${error.cause === undefined ? '' : ` ${symbols.dash} likely cause: ${error.cause}`}`, 'different');
	}

	for (const row of comparison.rows) {
		for (const cell of row.cells.filter(candidate => !candidate.equal)) {
			const amount = cell.difference === undefined ? '' : `, difference ${cell.difference}`;
			const cause = cell.cause === undefined ? '' : ` ${symbols.dash} likely cause: ${cell.cause}`;
			item(`${where(row.key)} ${cell.column}: source ${cell.source}, target ${cell.target}${amount}${cause}`, 'different');
		}
	}

	for (const missing of comparison.missingRows) {
		item(`${where(missing.key)} only in the source ${symbols.dash} likely cause: ${missing.cause}`, 'different');
	}

	for (const extra of comparison.extraRows) {
		item(`${where(extra.key)} only in the target ${symbols.dash} likely cause: ${extra.cause}`, 'different');
	}

	for (const key of comparison.duplicateKeys) {
		item(`${where(key)} appears more than once on one side; keys must identify one row`, 'warning');
	}

	if (comparison.missingColumns.length > 0) {
		item(`Columns only in the source: ${comparison.missingColumns.join(', ')}`, 'different');
	}

	if (comparison.extraColumns.length > 0) {
		item(`Columns only in the target: ${comparison.extraColumns.join(', ')}`, 'different');
	}

	return lines;
}

/** Plain ASCII output gets an ASCII ellipsis and rule too: the symbol set tells which terminal this is. */
function isUnicode(symbols: Symbols): boolean {
	return symbols.bullet !== '*';
}

/** Cuts text to a width, marking the cut; a check keeps its row, and its full title is in the details and the file. */
export function truncate(text: string, width: number, symbols: Symbols = defaultSymbols): string {
	return truncateText(text, width, isUnicode(symbols) ? '…' : '...');
}

/** Narrowest the check column may get before the side columns give way. */
const minCheckWidth = 16;

/**
 * The summary table: one row per check, never more, whatever the width. Titles are cut to fit; source and target
 * values are right-aligned, so counts line up.
 */
export function layoutSummaryTable(report: VerificationReport, options: LayoutOptions): Line[] {
	const symbols = options.symbols ?? defaultSymbols;
	const columns = Math.max(40, options.columns);
	const rows = summaryRows(report);
	if (rows.length === 0) {
		return [];
	}

	const results = rows.map(row => resultText(row, {equal: symbols.success, differs: symbols.failure, notCompared: symbols.warning}));
	const resultWidth = Math.max(textWidth('Result'), ...results.map(result => textWidth(result)));
	const sideCap = Math.max(8, Math.floor((columns - resultWidth - gap.length * 3 - minCheckWidth) / 2));
	const sourceWidth = Math.min(sideCap, Math.max(textWidth('Source'), ...rows.map(row => textWidth(row.source))));
	const targetWidth = Math.min(sideCap, Math.max(textWidth('Target'), ...rows.map(row => textWidth(row.target))));
	const room = columns - resultWidth - sourceWidth - targetWidth - gap.length * 3;
	const checkWidth = Math.max(1, Math.min(room, Math.max(textWidth('Check'), ...rows.map(row => textWidth(row.title)))));
	const cut = (text: string, width: number) => truncate(text, width, symbols);
	const rule = isUnicode(symbols) ? '─' : '-';

	const lines: Line[] = [
		[{text: [padEnd('Check', checkWidth), padStart('Source', sourceWidth), padStart('Target', targetWidth), 'Result'].join(gap), tone: 'heading'}],
		[muted([checkWidth, sourceWidth, targetWidth, resultWidth].map(width => rule.repeat(width)).join(gap))],
	];
	for (const [index, row] of rows.entries()) {
		const tone: Tone = row.result === 'equal' ? 'plain' : (row.result === 'differs' ? 'different' : 'warning');
		lines.push([
			{text: padEnd(cut(row.title, checkWidth), checkWidth) + gap, tone: 'plain'},
			{text: padStart(cut(row.source, sourceWidth), sourceWidth) + gap, tone},
			{text: padStart(cut(row.target, targetWidth), targetWidth) + gap, tone},
			{text: results[index] ?? '', tone: row.result === 'equal' ? 'equal' : tone},
		]);
	}

	return lines;
}

/** At most this many differences per check on screen; the saved report lists them all. */
export const differencesShown = 10;

/** Only the differing rows, and in them only the columns that differ somewhere. */
function differingPart(comparison: QueryComparison): QueryComparison {
	const rows = comparison.rows.filter(row => !row.equal).slice(0, differencesShown);
	const differingColumns = comparison.valueColumns.map((_name, index) => rows.some(row => row.cells[index]?.equal === false));
	return {
		...comparison,
		valueColumns: comparison.valueColumns.filter((_name, index) => differingColumns[index]),
		rows: rows.map(row => ({...row, cells: row.cells.filter((_cell, index) => differingColumns[index])})),
	};
}

/** A check that differs: its full title, what each side returned, the differing cells side by side, and why. */
export function layoutDetails(comparison: QueryComparison, options: LayoutOptions): Line[] {
	const symbols = options.symbols ?? defaultSymbols;
	const columns = Math.max(20, options.columns);
	const lines: Line[] = wrapped(`${symbols.failure} ${comparison.title}`, columns, 'different');
	const facts: string[] = [];
	if (comparison.sourceRowCount !== undefined && comparison.targetRowCount !== undefined) {
		facts.push(`rows: source ${comparison.sourceRowCount}, target ${comparison.targetRowCount}`);
	}

	if (comparison.keyColumns.length > 0) {
		facts.push(`aligned by ${comparison.keyColumns.join(', ')}`);
	}

	if (facts.length > 0) {
		lines.push(...wrapped(facts.join(` ${symbols.separator} `), columns, 'muted'));
	}

	// Keyed rows are worth a table (which group differs); a lone keyless row is said in full by its difference line.
	const part = differingPart(comparison);
	if (comparison.keyColumns.length > 0 && part.rows.length > 0 && part.valueColumns.length > 0) {
		const table = columns >= sideBySideMinColumns ? sideBySide(part, columns, symbols) : undefined;
		lines.push(...(table ?? stacked(part, columns, symbols)));
	}

	const found = differences(comparison, columns, symbols);
	const shown = found.filter(line => line[0]?.text.startsWith(symbols.bullet)).length > differencesShown ? cutItems(found, symbols) : found;
	lines.push(...shown);
	return lines;
}

/** Keeps the first items of a difference list (an item may wrap over several lines) and says how many are left. */
function cutItems(found: Line[], symbols: Symbols): Line[] {
	const kept: Line[] = [];
	let items = 0;
	for (const line of found) {
		if (line[0]?.text.startsWith(symbols.bullet)) {
			items++;
		}

		if (items <= differencesShown) {
			kept.push(line);
		}
	}

	kept.push([muted(`${symbols.bullet} ${items - differencesShown} more: the saved report lists every difference`)]);
	return kept;
}

/**
 * The report at a glance: the summary table (one row per check), the rules stated once under it, details for the
 * checks that differ only, and the verdict.
 */
export function layoutReport(report: VerificationReport, options: LayoutOptions): Line[] {
	const symbols = options.symbols ?? defaultSymbols;
	const columns = Math.max(20, options.columns);
	const lines: Line[] = [...layoutSummaryTable(report, options)];
	const rules = comparisonRules(report);
	if (rules.length > 0) {
		lines.push([], ...wrapped(`Rules: ${rules.join(' ')}`, columns, 'muted'));
	}

	const missed = notComparedChecks(report);
	if (missed.length > 0) {
		lines.push([], ...wrapped(`${symbols.warning} Not compared (these say nothing about the data; \`ferry resume\` runs them again):`, columns, 'warning'));
		for (const comparison of missed) {
			const missing = notComparedOf(comparison)!;
			const errors = comparison.errors.filter(error => sideErrorKind(error) === missing.cause).map(error => `${error.side}: ${error.message}`).join('; ');
			lines.push(...wrapped(`${symbols.bullet} ${comparison.title} ${symbols.dash} ${notComparedCauseText[missing.cause]}: ${errors}`, columns, 'warning'));
		}
	}

	for (const comparison of differingChecks(report)) {
		lines.push([], ...layoutDetails(comparison, {...options, symbols}));
	}

	if (lines.length > 0) {
		lines.push([]);
	}

	const {outcome} = verdictOf(report.comparisons);
	const mark = outcome === 'equal' ? symbols.success : (outcome === 'differs' ? symbols.failure : symbols.warning);
	lines.push([{text: `${mark} ${verdictLine(report)}`, tone: outcome === 'equal' ? 'equal' : (outcome === 'differs' ? 'different' : 'warning')}]);
	return lines;
}

export function lineText(line: Line): string {
	return line.map(segment => segment.text).join('').trimEnd();
}
