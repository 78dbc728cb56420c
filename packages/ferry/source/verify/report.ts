/**
 * The verification report: every query pair's comparison, one verdict, and renderings for people (Markdown,
 * side by side) and machines (JSON). The exit code is decided by the caller from `equal`.
 */
import type {CellComparison, QueryComparison} from './compare.js';
import {type CheckOutcome, describeNotCompared, notComparedCauseText, notComparedOf, sideErrorKind, verdictOf} from './outcome.js';
import {comparisonRules, differingChecks, notComparedChecks, resultText, summaryRows} from './report-summary.js';

export type ReportSummary = {
	queries: number;
	equalQueries: number;
	differingQueries: number;
	/** Queries that did not run to a comparison (interrupted, failed): never counted as differing. */
	notComparedQueries: number;
	/** Queries with a side that answered with an error, compared or not (a missing table is compared: it differs). */
	failedQueries: number;
	differingCells: number;
	missingRows: number;
	extraRows: number;
	text: string;
};

export type VerificationReport = {
	sessionId?: string;
	startedAt: string;
	finishedAt: string;
	comparisons: QueryComparison[];
	/** The verdict (outcome.ts): `differs` only when a comparison differed; `not-compared` when a check did not run. */
	outcome: CheckOutcome;
	/** `outcome === 'equal'`. */
	equal: boolean;
	summary: ReportSummary;
};

export function buildReport(input: {sessionId?: string; startedAt: Date | string; finishedAt: Date | string; comparisons: QueryComparison[]}): VerificationReport {
	const {comparisons} = input;
	const verdict = verdictOf(comparisons);
	const failedQueries = comparisons.filter(comparison => comparison.errors.length > 0).length;
	const differingCells = comparisons.reduce((total, comparison) => total + comparison.rows.reduce((sum, row) => sum + row.cells.filter(cell => !cell.equal).length, 0), 0);
	const missingRows = comparisons.reduce((total, comparison) => total + comparison.missingRows.length, 0);
	const extraRows = comparisons.reduce((total, comparison) => total + comparison.extraRows.length, 0);
	const notCompared = verdict.notCompared > 0 ? `; ${describeNotCompared(verdict)}` : '';
	let text: string;
	if (comparisons.length === 0) {
		text = 'No query was compared.';
	} else if (verdict.outcome === 'equal') {
		text = `${comparisons.length === 1 ? 'The query returns' : `All ${comparisons.length} queries return`} the same results on both sides.`;
	} else if (verdict.outcome === 'differs') {
		text = `${verdict.differing} of ${comparisons.length} queries differ (${differingCells} differing cells, ${missingRows} rows missing on the target, ${extraRows} extra rows on the target)${notCompared}.`;
	} else {
		text = `No difference found, but the verification is incomplete: ${verdict.equal} of ${comparisons.length} queries return the same results${notCompared}.`;
	}

	const report: VerificationReport = {
		startedAt: toIso(input.startedAt),
		finishedAt: toIso(input.finishedAt),
		comparisons,
		outcome: verdict.outcome,
		equal: verdict.outcome === 'equal',
		summary: {queries: comparisons.length, equalQueries: verdict.equal, differingQueries: verdict.differing, notComparedQueries: verdict.notCompared, failedQueries, differingCells, missingRows, extraRows, text},
	};
	if (input.sessionId !== undefined) {
		report.sessionId = input.sessionId;
	}

	return report;
}

function toIso(value: Date | string): string {
	return value instanceof Date ? value.toISOString() : value;
}

/** A value inside a Markdown table cell: pipes escaped, line breaks flattened, empty strings made visible. */
function cell(text: string): string {
	if (text === '') {
		return '(empty)';
	}

	return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll(/\r?\n/g, '↵');
}

function tableRow(cells: readonly string[]): string {
	return `| ${cells.join(' | ')} |`;
}

function describeDifference(where: string, found: CellComparison): string {
	const amount = found.difference === undefined ? '' : `, difference ${found.difference}`;
	const cause = found.cause === undefined ? '' : ` — likely cause: ${found.cause}`;
	return `- ${where} \`${found.column}\`: source ${cell(found.source)}, target ${cell(found.target)}${amount}${cause}`;
}

function renderDetails(comparison: QueryComparison): string[] {
	const lines = [`### ${cell(comparison.title)} — ✗ differs`, ''];
	const facts = [`\`${comparison.id}\`.`];
	if (comparison.sourceRowCount !== undefined && comparison.targetRowCount !== undefined) {
		facts.push(`Rows returned: source ${comparison.sourceRowCount}, target ${comparison.targetRowCount}.`);
	}

	if (comparison.keyColumns.length > 0) {
		facts.push(`Rows aligned by ${comparison.keyColumns.join(', ')}.`);
	}

	lines.push(facts.join(' '), '');
	for (const error of comparison.errors) {
		lines.push(`- The ${error.side} query failed: ${cell(error.message)}${error.cause === undefined ? '' : ` — likely cause: ${error.cause}`}`);
	}

	if (comparison.errors.length > 0) {
		lines.push('');
	}

	// Only the rows that differ: the equal ones are what the summary row already says.
	const differingRows = comparison.rows.filter(row => !row.equal);
	const keyHeaders = comparison.keyColumns.length > 0 ? comparison.keyColumns : ['row'];
	if (differingRows.length > 0) {
		const headers = [...keyHeaders, ...comparison.valueColumns.flatMap(column => [`${column} source`, `${column} target`, '='])];
		lines.push(tableRow(headers), tableRow(headers.map(() => '---')));
		for (const row of differingRows) {
			const values = row.cells.flatMap(found => [cell(found.source), cell(found.target), found.equal ? '=' : '≠']);
			lines.push(tableRow([...row.key.map(cell), ...values]));
		}

		lines.push('');
	}

	const differences: string[] = [];
	for (const row of differingRows) {
		const where = comparison.keyColumns.length > 0 ? `(${row.key.join(', ')})` : `row ${row.key.join(', ')}`;
		for (const found of row.cells.filter(candidate => !candidate.equal)) {
			differences.push(describeDifference(where, found));
		}
	}

	for (const missing of comparison.missingRows) {
		differences.push(`- (${missing.key.map(cell).join(', ')}) only in the source — likely cause: ${missing.cause}`);
	}

	for (const extra of comparison.extraRows) {
		differences.push(`- (${extra.key.map(cell).join(', ')}) only in the target — likely cause: ${extra.cause}`);
	}

	for (const key of comparison.duplicateKeys) {
		differences.push(`- (${key.map(cell).join(', ')}) appears more than once on one side; keys must identify one row`);
	}

	if (comparison.missingColumns.length > 0) {
		differences.push(`- Columns only in the source: ${comparison.missingColumns.join(', ')}`);
	}

	if (comparison.extraColumns.length > 0) {
		differences.push(`- Columns only in the target: ${comparison.extraColumns.join(', ')}`);
	}

	if (differences.length > 0) {
		lines.push('Differences:', '', ...differences, '');
	}

	return lines;
}

/**
 * The saved report, laid out like the screen: the summary table (one row per check), the rules stated once,
 * then details for the checks that differ only.
 */
export function renderMarkdown(report: VerificationReport): string {
	const lines = [
		'# Verification report',
		'',
		`${report.sessionId === undefined ? '' : `Session \`${report.sessionId}\`, `}started ${report.startedAt}, finished ${report.finishedAt}.`,
		'',
		`**${verdictHeading(report)}:** ${report.summary.text}`,
		'',
	];
	const rows = summaryRows(report);
	if (rows.length > 0) {
		lines.push('| Check | Source | Target | Result |', '|---|---:|---:|---|');
		for (const row of rows) {
			lines.push(tableRow([cell(row.title), cell(row.source), cell(row.target), resultText(row, {equal: '✓', differs: '✗', notCompared: '–'})]));
		}

		lines.push('', `**Rules:** ${comparisonRules(report).join(' ')}`, '');
	}

	const missed = notComparedChecks(report);
	if (missed.length > 0) {
		lines.push('## Not compared', '', 'These checks did not run to a comparison; they say nothing about the data. `ferry resume` (or `ferry verify`) runs them again.', '');
		for (const comparison of missed) {
			const missing = notComparedOf(comparison)!;
			lines.push(`- ${cell(comparison.title)} (\`${comparison.id}\`): ${notComparedCauseText[missing.cause]} — ${comparison.errors.filter(error => sideErrorKind(error) === missing.cause).map(error => `${error.side}: ${cell(error.message)}`).join('; ')}`);
		}

		lines.push('');
	}

	const differing = differingChecks(report);
	if (differing.length > 0) {
		lines.push('## Differences', '', ...differing.flatMap(renderDetails));
	}

	return lines.join('\n').replace(/\n+$/, '\n');
}

function verdictHeading(report: VerificationReport): string {
	switch (verdictOf(report.comparisons).outcome) {
		case 'equal': {
			return 'Equal';
		}

		case 'differs': {
			return 'Differences found';
		}

		case 'not-compared': {
			return 'Incomplete';
		}
	}
}

export function toJson(report: VerificationReport): string {
	return `${JSON.stringify(report, undefined, 2)}\n`;
}
