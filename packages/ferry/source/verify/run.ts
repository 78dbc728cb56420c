import {mapConcurrent} from '../engine/concurrency.js';
import {describeError, isAbortError, ServiceError} from '../engine/errors.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {sessionFiles} from '../store/session-store.js';
import {compareResults, type QueryOutcome} from './compare.js';
import type {CheckOutcome} from './outcome.js';
import type {QueryPair} from './query-pair.js';
import {buildReport, renderMarkdown, toJson, type VerificationReport} from './report.js';

/** Asks one side one question of a pair: SQL on an engine, or a computation over records read back from a service. */
export type SideRunner = (pair: QueryPair, signal: AbortSignal) => Promise<QueryOutcome>;

/**
 * A side that fails answers with its error and why (interrupted, the service refused the query, or the side could
 * not be asked), so the report names it instead of the run stopping half-way, and never counts it as a difference.
 */
async function outcomeOf(run: () => Promise<QueryOutcome>, signal: AbortSignal): Promise<QueryOutcome> {
	if (signal.aborted) {
		return {error: {message: 'Interrupted before the query ran', kind: 'interrupted'}};
	}

	try {
		return await run();
	} catch (error) {
		const {message} = describeError(error);
		const kind = isAbortError(error) || signal.aborted ? 'interrupted' : (error instanceof ServiceError ? 'query-failed' : 'side-failed');
		return {error: {message, kind, ...((error as {code?: string}).code ? {code: (error as {code?: string}).code} : {})}};
	}
}

/** Runs each query pair on both sides at once, compares, and saves the report beside the session. */
export async function runVerification(options: {
	pairs: readonly QueryPair[];
	source: SideRunner;
	target: SideRunner;
	sessionId: string;
	signal: AbortSignal;
	onPair?: (pair: QueryPair, outcome: CheckOutcome) => void;
}): Promise<VerificationReport> {
	const {signal} = options;
	const startedAt = new Date();
	const comparisons = await mapConcurrent(options.pairs, 4, async pair => {
		const [source, target] = await Promise.all([
			outcomeOf(async () => options.source(pair, signal), signal),
			outcomeOf(async () => options.target(pair, signal), signal),
		]);
		const comparison = compareResults(pair, source, target);
		options.onPair?.(pair, comparison.outcome);
		return comparison;
	});

	const report = buildReport({sessionId: options.sessionId, startedAt, finishedAt: new Date(), comparisons});
	const files = sessionFiles(options.sessionId);
	writeFileAtomic(files.reportMarkdown, renderMarkdown(report));
	writeFileAtomic(files.reportJson, toJson(report));
	return report;
}
