import type {CallOptions, RedshiftConnection} from './connection.js';
import {quoteLiteral} from './sql-text.js';

export type TableSummary = {name: string; rows: number; sizeMb: number};

export type ColumnDescription = {
	name: string;
	/** As Redshift prints it, e.g. `numeric(15,2)`, `character varying(25)`. */
	type: string;
	precision: number | null;
	scale: number | null;
	length: number | null;
	nullable: boolean;
	ordinal: number;
};

function numberOrNull(value: unknown): number | null {
	return value === null || value === undefined ? null : Number(value);
}

/** Tables of a schema with their row counts and sizes, from SVV_TABLE_INFO (visible to the connected user). */
export async function listTables(connection: RedshiftConnection, schema: string, options?: CallOptions): Promise<TableSummary[]> {
	const result = await connection.query(
		`select "table", tbl_rows, size from svv_table_info where "schema" = ${quoteLiteral(schema)} order by "table"`,
		options,
	);
	return result.rows.map(row => ({name: String(row[0]), rows: Number(row[1] ?? 0), sizeMb: Number(row[2] ?? 0)}));
}

/**
 * Columns in ordinal order. `format_type` gives the exact type text and SVV_COLUMNS the precision, scale and length;
 * both exist on Redshift for local tables.
 */
export async function describeTable(connection: RedshiftConnection, schema: string, table: string, options?: CallOptions): Promise<ColumnDescription[]> {
	const result = await connection.query(
		`select c.column_name, pg_catalog.format_type(a.atttypid, a.atttypmod), c.numeric_precision, c.numeric_scale,
			c.character_maximum_length, c.is_nullable, c.ordinal_position
		from svv_columns c
		join pg_catalog.pg_namespace n on n.nspname = c.table_schema
		join pg_catalog.pg_class r on r.relnamespace = n.oid and r.relname = c.table_name
		join pg_catalog.pg_attribute a on a.attrelid = r.oid and a.attname = c.column_name
		where c.table_schema = ${quoteLiteral(schema)} and c.table_name = ${quoteLiteral(table)}
		order by c.ordinal_position`,
		options,
	);
	return result.rows.map(row => ({
		name: String(row[0]),
		type: String(row[1]),
		precision: numberOrNull(row[2]),
		scale: numberOrNull(row[3]),
		length: numberOrNull(row[4]),
		nullable: row[5] === 'YES',
		ordinal: Number(row[6]),
	}));
}
