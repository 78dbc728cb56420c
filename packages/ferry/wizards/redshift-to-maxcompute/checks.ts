/**
 * The procedure's own checks (step 3.4): the number of tables, the rows of every table, and TPC-H Q1, each the
 * same question asked of Redshift and of MaxCompute, with the likely causes a LOAD-based migration has.
 */
import {quoteMaxComputeString} from '../../source/clouds/maxcompute/ddl.js';
import {defaultRelativeTolerance, type QueryPair, type RowCountCauses} from '../../source/kit.js';
import {countQuery, quoteRedshiftString, tpchQ1} from './sql.js';

/** Row-count causes for data that went Redshift UNLOAD → OSS → MaxCompute LOAD. */
export const loadCauses: RowCountCauses = {
	empty: 'LOAD did not run, or read no files from the OSS prefix',
	repeated: 'the data was loaded {times} times (LOAD INTO on a rerun, or an earlier UNLOAD left in the OSS prefix)',
	more: 'a duplicate load (a file loaded twice, or stale files in the OSS prefix)',
	fewer: 'a partial load (an UNLOAD file not copied to OSS, or not read by LOAD)',
};

export type MigratedTable = {
	schema: string;
	table: string;
	/** Name of the MaxCompute table when it differs from the Redshift one. */
	targetTable?: string;
};

function targetName(table: MigratedTable): string {
	return table.targetTable ?? table.table;
}

/**
 * Which of the migrated tables exist on each side, one row per table keyed by its lower-case name, so a
 * missing table is named rather than only counted. MaxCompute's project-level Information Schema is used.
 */
export function tableListPair(tables: readonly MigratedTable[]): QueryPair {
	const bySchema = new Map<string, string[]>();
	for (const table of tables) {
		bySchema.set(table.schema, [...(bySchema.get(table.schema) ?? []), table.table.toLowerCase()]);
	}

	const sourceFilter = [...bySchema]
		.map(([schema, names]) => `(table_schema = ${quoteRedshiftString(schema)} AND LOWER(table_name) IN (${names.map(quoteRedshiftString).join(', ')}))`)
		.join(' OR ');
	const targetNames = tables.map(table => quoteMaxComputeString(targetName(table).toLowerCase())).join(', ');
	return {
		id: 'tables',
		title: `Tables migrated (${tables.length})`,
		source: `SELECT LOWER(table_name) AS table_name FROM information_schema.tables WHERE ${sourceFilter || 'FALSE'}`,
		target: `SELECT LOWER(table_name) AS table_name FROM information_schema.tables WHERE LOWER(table_name) IN (${targetNames || '\'\''})`,
		keyColumns: ['table_name'],
		kind: 'tables',
	};
}

export function rowCountPair(table: MigratedTable): QueryPair {
	return {
		id: `row-count:${table.schema}.${table.table}`,
		title: `Rows in ${table.schema}.${table.table}`,
		source: countQuery('redshift', table.schema, table.table),
		target: countQuery('maxcompute', undefined, targetName(table)),
		keyColumns: [],
		kind: 'row-count',
		causes: loadCauses,
	};
}

export function tpchQ1Pair(lineitem: MigratedTable = {schema: 'public', table: 'lineitem'}): QueryPair {
	return {
		id: 'tpch-q1',
		title: 'TPC-H Q1 (pricing summary report)',
		source: tpchQ1('redshift', lineitem.table, lineitem.schema),
		target: tpchQ1('maxcompute', targetName(lineitem)),
		keyColumns: ['l_returnflag', 'l_linestatus'],
		tolerance: {relative: defaultRelativeTolerance},
		approximateColumns: ['avg_qty', 'avg_price', 'avg_disc'],
		kind: 'query',
	};
}

/** The procedure's verification: the tables, each table's rows, and Q1 when a lineitem table was migrated. */
export function builtInPairs(tables: readonly MigratedTable[]): QueryPair[] {
	const pairs = [tableListPair(tables), ...tables.map(rowCountPair)];
	const lineitem = tables.find(table => table.table.toLowerCase() === 'lineitem');
	if (lineitem) {
		pairs.push(tpchQ1Pair(lineitem));
	}

	return pairs;
}
