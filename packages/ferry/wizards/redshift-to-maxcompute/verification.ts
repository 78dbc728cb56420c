import type {Checks, MaxComputeClient, QueryOutcome, QueryPair, RedshiftConnection} from '../../source/kit.js';
import {builtInPairs, type MigratedTable} from './checks.js';

export type VerificationClients = {redshift: RedshiftConnection; maxcompute: MaxComputeClient};

/** Settings every verification query runs with on MaxCompute, so 2.0 types read the same as when loaded. */
const verificationSettings = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};

export async function runSourceQuery(redshift: RedshiftConnection, sql: string, signal: AbortSignal): Promise<QueryOutcome> {
	const result = await redshift.query(sql, {signal});
	return {columns: result.columns.map(column => ({name: column.name, type: column.typeName})), rows: result.rows};
}

export async function runTargetQuery(maxcompute: MaxComputeClient, sql: string, signal: AbortSignal): Promise<QueryOutcome> {
	const result = await maxcompute.runSql(sql.trimEnd().endsWith(';') ? sql : `${sql};`, {settings: verificationSettings, signal});
	return {columns: result.columns.map(name => ({name})), rows: result.rows};
}

/** The procedure's checks (tables, row counts, TPC-H Q1, custom pairs), Redshift against MaxCompute. */
export function migrationChecks(options: {clients: VerificationClients; tables: MigratedTable[]; extraPairs?: QueryPair[]}): Checks {
	const {clients} = options;
	return {
		pairs: [...builtInPairs(options.tables), ...(options.extraPairs ?? [])],
		source: async (pair, signal) => runSourceQuery(clients.redshift, pair.source, signal),
		target: async (pair, signal) => runTargetQuery(clients.maxcompute, pair.target, signal),
	};
}
