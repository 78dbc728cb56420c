/**
 * The one rule for what a check, a report and a run's verification say: a check is `equal`, `differs` (a comparison
 * was made and found a difference) or `not-compared` (it never ran to a comparison: interrupted, its query failed, or
 * a side could not be asked). An interrupted or failed check is never a difference: exit 5 means a comparison differed.
 * Every place that shows or acts on a verification (the report, the runner's exit code, the UI, `ferry sessions`)
 * asks these functions, never `equal` alone.
 */

export type CheckOutcome = 'equal' | 'differs' | 'not-compared';

/** Why a check was not compared. */
export type NotComparedCause = 'interrupted' | 'query-failed' | 'side-failed';

/**
 * What a side's error means for its check: a reason it was not compared (`interrupted`, `query-failed`,
 * `side-failed`), or a finding about the data itself (`missing-table`: the other side answered and this side has no
 * such table; `missing-key`: both answered, without the columns that align their rows).
 */
export type SideErrorKind = NotComparedCause | 'missing-table' | 'missing-key';

export const notComparedCauseText: Record<NotComparedCause, string> = {
	interrupted: 'interrupted',
	'query-failed': 'the query failed',
	'side-failed': 'a side failed',
};

/** Strongest first: an interrupt says "resume", a side that could not be asked says "check the connection". */
const causePriority: readonly NotComparedCause[] = ['interrupted', 'side-failed', 'query-failed'];

type SideErrorLike = {side: 'source' | 'target'; message: string; cause?: string; kind?: SideErrorKind};

/** The fields of a comparison the rule reads (a report saved by an older ferry has all but `kind`). */
export type ComparedFacts = {
	errors: readonly SideErrorLike[];
	rows: ReadonlyArray<{equal: boolean}>;
	missingRows: readonly unknown[];
	extraRows: readonly unknown[];
	missingColumns: readonly unknown[];
	extraColumns: readonly unknown[];
	duplicateKeys: readonly unknown[];
};

/** An error saved without a kind (older reports): "Interrupted…" was an interrupt, a missing table a finding, else a failed query. */
export function sideErrorKind(error: SideErrorLike): SideErrorKind {
	if (error.kind !== undefined) {
		return error.kind;
	}

	if (/^Interrupted\b|aborted/i.test(error.message)) {
		return 'interrupted';
	}

	if (error.cause?.includes('table is missing') === true) {
		return 'missing-table';
	}

	return /key column .* is not in both results/.test(error.message) ? 'missing-key' : 'query-failed';
}

function isNotComparedKind(kind: SideErrorKind): kind is NotComparedCause {
	return (causePriority as readonly string[]).includes(kind);
}

export type NotCompared = {cause: NotComparedCause; sides: Array<'source' | 'target'>; message: string};

/** Why a check was not compared, or undefined when it was. */
export function notComparedOf(facts: Pick<ComparedFacts, 'errors'>): NotCompared | undefined {
	const failures = facts.errors.filter(error => isNotComparedKind(sideErrorKind(error)));
	if (failures.length === 0) {
		return undefined;
	}

	const cause = causePriority.find(candidate => failures.some(error => sideErrorKind(error) === candidate))!;
	const decisive = failures.find(error => sideErrorKind(error) === cause)!;
	return {cause, sides: [...new Set(failures.map(error => error.side))], message: decisive.message};
}

/** The outcome of one check. */
export function checkOutcome(facts: ComparedFacts): CheckOutcome {
	if (notComparedOf(facts)) {
		return 'not-compared';
	}

	const same = facts.errors.length === 0
		&& facts.missingRows.length === 0
		&& facts.extraRows.length === 0
		&& facts.missingColumns.length === 0
		&& facts.extraColumns.length === 0
		&& facts.duplicateKeys.length === 0
		&& facts.rows.every(row => row.equal);
	return same ? 'equal' : 'differs';
}

export type VerificationVerdict = {
	/** `differs` when any check differs; else `not-compared` when any check (or every check: none ran) was not; else `equal`. */
	outcome: CheckOutcome;
	checks: number;
	equal: number;
	differing: number;
	notCompared: number;
	/** Not-compared checks by cause. */
	causes: Partial<Record<NotComparedCause, number>>;
	/** The strongest cause among the checks not compared. */
	cause?: NotComparedCause;
};

/** The verdict of a set of checks: what the report says, and what the run's state and exit code follow. */
export function verdictOf(comparisons: readonly ComparedFacts[]): VerificationVerdict {
	const outcomes = comparisons.map(comparison => checkOutcome(comparison));
	const causes: Partial<Record<NotComparedCause, number>> = {};
	for (const comparison of comparisons) {
		const missed = notComparedOf(comparison);
		if (missed) {
			causes[missed.cause] = (causes[missed.cause] ?? 0) + 1;
		}
	}

	const differing = outcomes.filter(outcome => outcome === 'differs').length;
	const notCompared = outcomes.filter(outcome => outcome === 'not-compared').length;
	const cause = causePriority.find(candidate => causes[candidate] !== undefined);
	return {
		outcome: differing > 0 ? 'differs' : (notCompared > 0 || comparisons.length === 0 ? 'not-compared' : 'equal'),
		checks: comparisons.length,
		equal: outcomes.filter(outcome => outcome === 'equal').length,
		differing,
		notCompared,
		causes,
		...(cause === undefined ? {} : {cause}),
	};
}

/** "2 not compared (interrupted: 1, the query failed: 1)". */
export function describeNotCompared(verdict: VerificationVerdict): string {
	const parts = causePriority.filter(cause => verdict.causes[cause] !== undefined).map(cause => `${notComparedCauseText[cause]}: ${verdict.causes[cause]!}`);
	return `${verdict.notCompared} not compared${parts.length === 0 ? '' : ` (${parts.length === 1 ? parts[0]!.replace(/: \d+$/, '') : parts.join(', ')})`}`;
}

/** A saved report (of any ferry version) as the rule reads it; undefined when it is not one. */
export function verdictOfReport(report: unknown): VerificationVerdict | undefined {
	const comparisons = (report as {comparisons?: unknown} | undefined)?.comparisons;
	return Array.isArray(comparisons) ? verdictOf(comparisons as ComparedFacts[]) : undefined;
}
