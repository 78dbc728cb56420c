import type {PGlite} from '@electric-sql/pglite';
import {rewriteRedshiftSql} from './dialect.js';
import {firstKeyword} from './sql-text.js';
import {PostgresError, runSql, type RawResult} from './sql-runner.js';
import {parseUnload, UnloadSyntaxError} from './unload-command.js';
import {runUnload, UnloadError, type UnloadEnvironment} from './unload.js';

/**
 * One Redshift dialect for both doors: the Data API and the PostgreSQL wire run statements through here, so UNLOAD
 * and the SQL rewrites behave the same whichever way a client comes in.
 */
export type StatementOutcome =
	| {kind: 'rows'; result: RawResult}
	| {kind: 'command'; commandTag: string}
	| {kind: 'unload'; rows: number};

export type Pipeline = {
	db: PGlite;
	unload: Omit<UnloadEnvironment, 'db'>;
};

export function isUnload(sql: string): boolean {
	return firstKeyword(sql) === 'UNLOAD';
}

/** Runs UNLOAD; errors come back as PostgresError with Redshift's SQLSTATE (42601 syntax, XX000 for S3 and the rest). */
export async function runUnloadStatement(pipeline: Pipeline, sql: string): Promise<number> {
	try {
		const command = parseUnload(sql);
		return await runUnload({...command, query: rewriteRedshiftSql(command.query)}, {db: pipeline.db, ...pipeline.unload});
	} catch (error) {
		if (error instanceof PostgresError) {
			throw error;
		}

		const code = error instanceof UnloadSyntaxError ? '42601' : 'XX000';
		const message = error instanceof UnloadSyntaxError || error instanceof UnloadError || error instanceof Error ? error.message : String(error);
		throw new PostgresError(message, code);
	}
}

/** Runs one statement of either door's SQL. */
export async function runStatement(pipeline: Pipeline, sql: string): Promise<StatementOutcome> {
	if (isUnload(sql)) {
		return {kind: 'unload', rows: await runUnloadStatement(pipeline, sql)};
	}

	const result = await runSql(pipeline.db, rewriteRedshiftSql(sql));
	return result.fields.length > 0 ? {kind: 'rows', result} : {kind: 'command', commandTag: result.commandTag};
}

/** The notice Redshift sends a client after UNLOAD (psql prints it as `INFO:  UNLOAD completed, …`). */
export function unloadCompletedMessage(rows: number): string {
	return `UNLOAD completed, ${rows} record(s) unloaded successfully.`;
}
