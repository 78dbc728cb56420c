import type {MaxComputeClient} from '../clouds/maxcompute/client.js';
import type {RedshiftConnection} from '../clouds/redshift/connection.js';
import {mapConcurrent} from '../concurrency.js';
import {describeError} from '../errors.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {sessionFiles} from '../store/session-store.js';
import {compareResults, type QueryOutcome} from '../verify/compare.js';
import {builtInPairs, type MigratedTable, type QueryPair} from '../verify/query-pair.js';
import {buildReport, renderMarkdown, toJson, type VerificationReport} from '../verify/report.js';

export type VerificationClients = {redshift: RedshiftConnection; maxcompute: MaxComputeClient};

/** Settings every verification query runs with on MaxCompute, so 2.0 types read the same as when loaded. */
const verificationSettings = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};

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

export async function runSourceQuery(redshift: RedshiftConnection, sql: string, signal: AbortSignal): Promise<QueryOutcome> {
	const result = await redshift.query(sql, {signal});
	return {columns: result.columns.map(column => ({name: column.name, type: column.typeName})), rows: result.rows};
}

export async function runTargetQuery(maxcompute: MaxComputeClient, sql: string, signal: AbortSignal): Promise<QueryOutcome> {
	const result = await maxcompute.runSql(sql.trimEnd().endsWith(';') ? sql : `${sql};`, {settings: verificationSettings, signal});
	return {columns: result.columns.map(name => ({name})), rows: result.rows};
}

/** Runs each query pair on both sides at once, compares, and saves the report beside the session. */
export async function verifyMigration(options: {
	clients: VerificationClients;
	tables: MigratedTable[];
	extraPairs?: QueryPair[];
	sessionId: string;
	signal: AbortSignal;
	onPair?: (pair: QueryPair, equal: boolean) => void;
}): Promise<VerificationReport> {
	const {clients, signal} = options;
	const startedAt = new Date();
	const pairs = [...builtInPairs(options.tables), ...(options.extraPairs ?? [])];
	const comparisons = await mapConcurrent(pairs, 4, async pair => {
		const [source, target] = await Promise.all([
			outcomeOf(async () => runSourceQuery(clients.redshift, pair.source, signal)),
			outcomeOf(async () => runTargetQuery(clients.maxcompute, pair.target, signal)),
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
