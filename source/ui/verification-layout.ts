import type {CellComparison, QueryComparison} from '../verify/compare.js';
import type {VerificationReport} from '../verify/report.js';
import {type Symbols, symbols as defaultSymbols} from './theme.js';
import {padEnd, wrapText} from './wrap-text.js';

/**
 * The side-by-side verification table laid out as lines of toned segments: the Ink table colours the tones,
 * the plain report prints the text. One layout, so stderr and the terminal UI read the same.
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
	return wrapText(text, Math.max(10, width - indent.length)).map(line => [{text: indent + line, tone}]);
}

export function summaryLine(report: VerificationReport): string {
	const total = report.comparisons.length;
	if (total === 0) {
		return 'No checks were run';
	}

	const differing = report.comparisons.filter(comparison => !comparison.equal).length;
	return differing === 0 ? `All ${total} checks equal` : `${differing} of ${total} checks differ`;
}

function keyHeaders(comparison: QueryComparison): string[] {
	return comparison.keyColumns.length > 0 ? comparison.keyColumns : ['row'];
}

type ValueColumn = {name: string; index: number; sourceWidth: number; targetWidth: number; markWidth: number; width: number};

function measureValueColumns(comparison: QueryComparison, marks: {equal: string; different: string}): ValueColumn[] {
	const markWidth = Math.max(marks.equal.length, marks.different.length);
	return comparison.valueColumns.map((name, index) => {
		const cells = comparison.rows.map(row => row.cells[index]).filter((cell): cell is CellComparison => cell !== undefined);
		const sourceWidth = Math.max('source'.length, ...cells.map(cell => cell.source.length));
		const targetWidth = Math.max('target'.length, ...cells.map(cell => cell.target.length));
		const width = Math.max(name.length, sourceWidth + 1 + targetWidth + 1 + markWidth);
		return {name, index, sourceWidth, targetWidth, markWidth, width};
	});
}

/** Groups value columns so that each group, with the key columns repeated, fits the width. Undefined when one column alone does not fit. */
function groupColumns(columns: ValueColumn[], keyWidth: number, width: number, rule: string): ValueColumn[][] | undefined {
	const groups: ValueColumn[][] = [];
	let current: ValueColumn[] = [];
	let used = keyWidth;
	for (const column of columns) {
		const needed = rule.length + 2 + column.width;
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
	const keyWidths = headers.map((header, index) => Math.max(header.length, ...comparison.rows.map(row => (row.key[index] ?? '').length)));
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
	const nameWidth = Math.min(Math.max(...comparison.valueColumns.map(name => name.length), 0), Math.floor(columns / 3));
	const lines: Line[] = [];
	for (const row of comparison.rows) {
		const key = headers.map((header, index) => `${header}=${row.key[index] ?? ''}`).join(' ');
		lines.push(...wrapped(key, columns, 'heading'));
		for (const cell of row.cells) {
			const tone: Tone = cell.equal ? 'plain' : 'different';
			const mark = cell.equal ? symbols.equal : symbols.different;
			const name = padEnd(cell.column, nameWidth);
			const valueIndent = 2 + nameWidth + 1 + 'source '.length;
			const valueWidth = Math.max(8, columns - valueIndent - mark.length - 1);
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

/** `previousRule`: the rule printed under the query before; a long rule is stated once, then referred to. */
export function layoutComparison(comparison: QueryComparison, options: LayoutOptions & {previousRule?: string}): Line[] {
	const symbols = options.symbols ?? defaultSymbols;
	const columns = Math.max(20, options.columns);
	const verdict = comparison.equal ? `${symbols.success} ${comparison.title} ${symbols.dash} equal` : `${symbols.failure} ${comparison.title} ${symbols.dash} differs`;
	const lines: Line[] = [[{text: verdict, tone: comparison.equal ? 'equal' : 'different'}]];
	if (comparison.sourceRowCount !== undefined && comparison.targetRowCount !== undefined) {
		lines.push([muted(`rows: source ${comparison.sourceRowCount}, target ${comparison.targetRowCount}`)]);
	}

	if (comparison.rows.length > 0 && comparison.valueColumns.length > 0) {
		const table = columns >= sideBySideMinColumns ? sideBySide(comparison, columns, symbols) : undefined;
		lines.push(...(table ?? stacked(comparison, columns, symbols)));
	}

	const found = differences(comparison, columns, symbols);
	if (found.length > 0) {
		lines.push(...found);
	}

	lines.push(...wrapped(comparison.rule === options.previousRule ? 'Rule: as above.' : `Rule: ${comparison.rule}`, columns, 'muted'));
	return lines;
}

export function layoutReport(report: VerificationReport, options: LayoutOptions): Line[] {
	const symbols = options.symbols ?? defaultSymbols;
	const lines: Line[] = [];
	let previousRule: string | undefined;
	for (const comparison of report.comparisons) {
		lines.push(...layoutComparison(comparison, {...options, previousRule}), []);
		previousRule = comparison.rule;
	}

	const summary = summaryLine(report);
	lines.push([{text: `${report.equal ? symbols.success : symbols.failure} ${summary}`, tone: report.equal ? 'equal' : 'different'}]);
	return lines;
}

export function lineText(line: Line): string {
	return line.map(segment => segment.text).join('').trimEnd();
}
