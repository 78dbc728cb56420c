/**
 * A procedure's verify step: the query pairs run on both sides, each check shown as it ends, the report handed to
 * the engine (saved with the session; a check that differs makes the run exit 5) and summed up in the step's line.
 *
 * Rerun: safe; it only reads.
 */
import type {StepContext} from '../engine/wizard.js';
import type {QueryPair} from '../verify/query-pair.js';
import type {VerificationReport} from '../verify/report.js';
import {checkLine, verdictLine} from '../verify/report-summary.js';
import {runVerification, type SideRunner} from '../verify/run.js';

export type Checks = {pairs: readonly QueryPair[]; source: SideRunner; target: SideRunner};

export async function verifyStep(
	context: Pick<StepContext, 'sessionId' | 'signal' | 'report' | 'verified' | 'summary'>,
	checks: Checks,
	summary: (report: VerificationReport) => string = verdictLine,
): Promise<VerificationReport> {
	const report = await runVerification({...checks, sessionId: context.sessionId, signal: context.signal, onPair: (pair, outcome) => context.report(checkLine(pair.title, outcome))});
	context.verified(report);
	context.report(report.summary.text);
	context.summary(summary(report));
	return report;
}
