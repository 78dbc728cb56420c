/**
 * A MaxCompute table a procedure writes into.
 *
 * Rerun: safe. An existing table with the expected columns is kept (its partition columns aside), one with other
 * columns stops the step with the difference and changes nothing, and a missing one is created; the statement the
 * caller gives should say CREATE TABLE IF NOT EXISTS, so that a table another run created meanwhile is not an error.
 */
import {compareSchemas, type SchemaColumn} from '../clouds/maxcompute/ddl.js';
import type {MaxComputeClient} from '../clouds/maxcompute/client.js';

export type EnsuredTable = {created: boolean; columns: number};

export async function ensureMaxComputeTable(maxcompute: MaxComputeClient, table: {
	name: string;
	/** The columns the procedure expects (data columns only). */
	columns: readonly SchemaColumn[];
	/** The CREATE TABLE statement, without its semicolon. */
	create: string;
	/** Per-statement flags (MaxCompute 2.0 types…). */
	settings: Record<string, string>;
	/** The step's error for an existing table with other columns; `difference` is the comparison, one line a column. */
	differs: (difference: string) => Error;
	signal: AbortSignal;
}): Promise<EnsuredTable> {
	const {signal} = table;
	if (await maxcompute.tableExists(table.name, {signal})) {
		const existing = (await maxcompute.describeTable(table.name, {signal})).filter(column => !column.partition).map(column => ({name: column.name, type: column.type}));
		const comparison = compareSchemas(existing, table.columns);
		if (!comparison.equal) {
			throw table.differs(comparison.text);
		}

		return {created: false, columns: existing.length};
	}

	await maxcompute.runSql(`${table.create};`, {settings: table.settings, signal});
	return {created: true, columns: table.columns.length};
}
