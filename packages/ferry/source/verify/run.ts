import {mapConcurrent} from '../engine/concurrency.js';
import {describeError} from '../engine/errors.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {sessionFiles} from '../store/session-store.js';
import {compareResults, type QueryOutcome} from './compare.js';
import type {QueryPair} from './query-pair.js';
import {buildReport, renderMarkdown, toJson, type VerificationReport} from './report.js';

/** Asks one side one question of a pair: SQL on an engine, or a computation over records read back from a service. */
export type SideRunner = (pair: QueryPair, signal: AbortSignal) => Promise<QueryOutcome>;

/** A side that fails answers with its error, so the report names it instead of the run stopping half-way. */
async function outcomeOf(run: () => Promise<QueryOutcome>): Promise<QueryOutcome> {
	try {
		return await run();
	} catch (error) {
		if ((error as Error).name === 'AbortError') {
			throw error;
		}

		const {message} = describeError(error);
		return {error: {message, ...((error as {code?: string}).code ? {code: (error as {code?: string}).code} : {})}};
	}
}

/** Runs each query pair on both sides at once, compares, and saves the report beside the session. */
export async function runVerification(options: {
	pairs: readonly QueryPair[];
	source: SideRunner;
	target: SideRunner;
	sessionId: string;
	signal: AbortSignal;
	onPair?: (pair: QueryPair, equal: boolean) => void;
}): Promise<VerificationReport> {
	const {signal} = options;
	const startedAt = new Date();
	const comparisons = await mapConcurrent(options.pairs, 4, async pair => {
		const [source, target] = await Promise.all([
			outcomeOf(async () => options.source(pair, signal)),
			outcomeOf(async () => options.target(pair, signal)),
		]);
		const comparison = compareResults(pair, source, target);
		options.onPair?.(pair, comparison.equal);
		return comparison;
	});

	const report = buildReport({sessionId: options.sessionId, startedAt, finishedAt: new Date(), comparisons});
	const files = sessionFiles(options.sessionId);
	writeFileAtomic(files.reportMarkdown, renderMarkdown(report), 0o644);
	writeFileAtomic(files.reportJson, toJson(report), 0o644);
	return report;
}
