/**
 * The report at a glance, derived from the report model: one summary row per check (what each side returned and
 * the verdict), the comparison rules stated once for all checks, and the checks that need details. The terminal
 * table, the plain report and the Markdown file all lay out these, so they cannot disagree.
 */
import type {QueryComparison} from './compare.js';
import {type CheckOutcome, type NotComparedCause, checkOutcome, describeNotCompared, notComparedCauseText, notComparedOf, sideErrorKind, verdictOf} from './outcome.js';
import type {VerificationReport} from './report.js';

export type CheckResult = CheckOutcome;

export type CheckSummary = {
	id: string;
	title: string;
	/** What the source returned, in a few characters: a count, "8 tables", "4 rows", "failed". */
	source: string;
	target: string;
	equal: boolean;
	result: CheckResult;
	/** Why the check was not compared, when it was not. */
	notCompared?: NotComparedCause;
};

/** "✓ equal", "✗ differs", "– not compared: interrupted", with the marks of the medium. */
export function resultText(row: Pick<CheckSummary, 'result' | 'notCompared'>, marks: {equal: string; differs: string; notCompared: string}): string {
	switch (row.result) {
		case 'equal': {
			return `${marks.equal} equal`;
		}

		case 'differs': {
			return `${marks.differs} differs`;
		}

		case 'not-compared': {
			return `${marks.notCompared} not compared${row.notCompared === undefined ? '' : `: ${notComparedCauseText[row.notCompared]}`}`;
		}
	}
}

/** A check's progress line as it finishes: "✔ Row count", "✖ Row count", "– Row count: not compared (interrupted)". */
export function checkLine(title: string, outcome: CheckOutcome): string {
	return outcome === 'equal' ? `✔ ${title}` : (outcome === 'differs' ? `✖ ${title}` : `– ${title}: not compared`);
}

/** Shown for a side whose query was not compared because the other side failed. */
export const notCompared = '–';

function plural(count: number, noun: string): string {
	return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** Integers get thousands separators (86791 → 86,791); anything else stays as the engine spelled it. */
export function groupDigits(value: string): string {
	return /^-?\d{4,}$/.test(value) ? BigInt(value).toLocaleString('en-US') : value;
}

/** What one side of a check returned, short enough for a table cell. */
export function sideSummary(comparison: QueryComparison, side: 'source' | 'target'): string {
	const error = comparison.errors.find(candidate => candidate.side === side);
	if (error) {
		return sideErrorKind(error) === 'interrupted' ? 'interrupted' : 'failed';
	}

	const count = side === 'source' ? comparison.sourceRowCount : comparison.targetRowCount;
	if (count === undefined) {
		return notCompared;
	}

	if (comparison.kind === 'tables') {
		return plural(count, 'table');
	}

	if (count === 1 && comparison.keyColumns.length === 0) {
		const cells = comparison.rows[0]?.cells ?? [];
		if (cells.length === 1) {
			return groupDigits(side === 'source' ? cells[0]!.source : cells[0]!.target);
		}

		if (cells.length > 1) {
			return plural(cells.length, 'value');
		}
	}

	return plural(count, 'row');
}

export function summariseCheck(comparison: QueryComparison): CheckSummary {
	const result = checkOutcome(comparison);
	const missed = notComparedOf(comparison);
	return {
		id: comparison.id,
		title: comparison.title,
		source: sideSummary(comparison, 'source'),
		target: sideSummary(comparison, 'target'),
		equal: result === 'equal',
		result,
		...(missed ? {notCompared: missed.cause} : {}),
	};
}

/** Every check, in the report's order, one row each. */
export function summaryRows(report: VerificationReport): CheckSummary[] {
	return report.comparisons.map(summariseCheck);
}

/** The checks whose details are shown: those that differ. */
export function differingChecks(report: VerificationReport): QueryComparison[] {
	return report.comparisons.filter(comparison => checkOutcome(comparison) === 'differs');
}

/** The checks that did not run to a comparison (interrupted, failed): listed with their cause, never as differences. */
export function notComparedChecks(report: VerificationReport): QueryComparison[] {
	return report.comparisons.filter(comparison => checkOutcome(comparison) === 'not-compared');
}

/** "All 3 checks equal", "2 of 10 checks differ", "3 of 4 checks equal · 1 not compared (interrupted)". */
export function verdictLine(report: VerificationReport): string {
	const verdict = verdictOf(report.comparisons);
	if (verdict.checks === 0) {
		return 'No checks were run';
	}

	const missed = verdict.notCompared > 0 ? ` · ${describeNotCompared(verdict)}` : '';
	if (verdict.differing > 0) {
		return `${verdict.differing} of ${verdict.checks} checks differ${missed}`;
	}

	return verdict.notCompared === 0 ? `All ${verdict.checks} checks equal` : `${verdict.equal} of ${verdict.checks} checks equal${missed}`;
}

function listNames(names: readonly string[], limit = 3): string {
	const shown = names.slice(0, limit);
	const rest = names.length - shown.length;
	return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** 1e-9, not 0.000000001: the way the rule of each pair spells it. */
function formatTolerance(tolerance: number): string {
	return tolerance !== 0 && Math.abs(tolerance) < 1e-3 ? tolerance.toExponential() : String(tolerance);
}

function unique<T>(values: readonly T[]): T[] {
	return [...new Set(values)];
}

/**
 * The rules every check was compared by, stated once. Built from the comparisons themselves (keys, approximate
 * columns, tolerances), so a report saved by an older ferry states its own rules; each comparison's full rule
 * stays in the JSON (`comparisons[].rule`).
 */
export function comparisonRules(report: VerificationReport): string[] {
	const {comparisons} = report;
	if (comparisons.length === 0) {
		return [];
	}

	const keyed = comparisons.filter(comparison => comparison.keyColumns.length > 0).length;
	const alignment = keyed === comparisons.length
		? 'Rows align by each check\'s key columns.'
		: (keyed === 0 ? 'Rows align by position.' : 'Rows align by each check\'s key columns, or by position.');

	const tolerances = unique(comparisons.map(comparison => comparison.tolerance.relative));
	const usual = [...tolerances].sort((left, right) => comparisons.filter(comparison => comparison.tolerance.relative === right).length - comparisons.filter(comparison => comparison.tolerance.relative === left).length)[0]!;
	const exceptions = tolerances.filter(tolerance => tolerance !== usual).map(tolerance => `${formatTolerance(tolerance)} for ${listNames(comparisons.filter(comparison => comparison.tolerance.relative === tolerance).map(comparison => comparison.title), 2)}`);
	const approximate = unique(comparisons.flatMap(comparison => comparison.approximateColumns));
	const columns = approximate.length > 0 ? `Floating-point and approximate columns (${listNames(approximate)})` : 'Floating-point columns';
	// Redshift's AVG keeps the argument's scale: the one engine quirk the rule text of a pair names.
	const engineNote = comparisons.map(comparison => /\((Redshift keeps[^)]*)\)/.exec(comparison.rule)?.[1]).find(note => note !== undefined);
	const tolerance = `${columns} are equal within a relative ${formatTolerance(usual)}${exceptions.length > 0 ? ` (${exceptions.join('; ')})` : ''}, or when equal cut or rounded to the shorter scale${engineNote ? ` (${engineNote})` : ''}.`;

	return [
		alignment,
		'DECIMAL and integers compare exactly by value (1.50 = 1.5).',
		tolerance,
		'Timestamps compare as instants (no zone: UTC).',
		'NULL differs from \'\'; CHAR ignores trailing blanks.',
	];
}
