import type {DuckDBConnection} from '@duckdb/node-api';
import {catalogTablesRelation} from './catalog.js';
import {quoteIdentifier, sqlString} from './sql-text.js';

/**
 * The project-level Information Schema: a read-only project named `information_schema` whose views list the current
 * project's objects (doc "Metadata views", alibabacloud.com/help/doc-detail/135433, its TABLES and COLUMNS field
 * tables). Only TABLES and COLUMNS exist here. The real views lag about three hours behind DDL; these read the engine's
 * catalog, so they show a CREATE or DROP at once.
 */
export const informationSchemaProject = 'information_schema';

export const informationSchemaViews = ['tables', 'columns'] as const;

/** Where the views live in DuckDB: a schema of the engine's own, so `information_schema.tables` keeps the alias `tables`. */
const viewSchema = 'odps_information_schema';

export function isInformationSchemaView(name: string): boolean {
	return (informationSchemaViews as readonly string[]).includes(name);
}

/** The DuckDB relation for a view of the Information Schema, e.g. `odps_information_schema."tables"`. */
export function informationSchemaRelation(view: string): string {
	return `${viewSchema}.${quoteIdentifier(view)}`;
}

export type InformationSchemaContext = {
	project: string;
	/** e.g. `ALIYUN$1000000000000000`: what DESC prints as Owner. */
	owner: string;
};

// The catalog keeps times as ISO-8601 UTC text; DESC prints them in UTC to the second, so the views do too.
function catalogTime(path: string): string {
	const text = `replace(rtrim(json_extract_string(meta.definition, '${path}'), 'Z'), 'T', ' ')`;
	return `CAST(date_trunc('second', CAST(${text} AS TIMESTAMP)) AS TIMESTAMP_MS)`;
}

function tablesView(context: InformationSchemaContext): string {
	// owner_id is the account ID (TASKS_HISTORY pairs it with owner_name); the owner here is `<provider>$<account>`.
	const ownerId = context.owner.replace(/^[A-Za-z]+\$/, '');
	return `SELECT
		CAST('odps' AS VARCHAR) AS table_catalog,
		CAST(${sqlString(context.project)} AS VARCHAR) AS table_schema,
		meta.name AS table_name,
		CAST('MANAGED_TABLE' AS VARCHAR) AS table_type,
		json_array_length(meta.definition, '$.partitionColumns') > 0 AS is_partitioned,
		CAST(${sqlString(ownerId)} AS VARCHAR) AS owner_id,
		CAST(${sqlString(context.owner)} AS VARCHAR) AS owner_name,
		${catalogTime('$.createdAt')} AS create_time,
		${catalogTime('$.lastModifiedAt')} AS last_modified_time,
		CAST(NULL AS BIGINT) AS data_length,
		json_extract_string(meta.definition, '$.comment') AS table_comment,
		CAST(json_extract(meta.definition, '$.lifecycle') AS BIGINT) AS life_cycle,
		false AS is_archived,
		CAST(NULL AS VARCHAR) AS table_exstore_type,
		CAST(NULL AS VARCHAR) AS cluster_type,
		CAST(NULL AS BIGINT) AS number_buckets,
		CAST(NULL AS VARCHAR) AS view_original_text
	FROM ${catalogTablesRelation} AS meta`;
}

function columnsView(context: InformationSchemaContext): string {
	// Data columns first, then partition keys, numbered from 1 in that order (as DESC lists them).
	return `SELECT
		CAST('odps' AS VARCHAR) AS table_catalog,
		CAST(${sqlString(context.project)} AS VARCHAR) AS table_schema,
		meta.name AS table_name,
		json_extract_string(item.column_json, '$.name') AS column_name,
		CAST(item.position AS BIGINT) AS ordinal_position,
		CAST(NULL AS VARCHAR) AS column_default,
		CAST('YES' AS VARCHAR) AS is_nullable,
		upper(json_extract_string(item.column_json, '$.type')) AS data_type,
		json_extract_string(item.column_json, '$.comment') AS column_comment,
		item.position > json_array_length(meta.definition, '$.columns') AS is_partition_key
	FROM ${catalogTablesRelation} AS meta,
		unnest(list_concat(
			json_extract(meta.definition, '$.columns[*]'),
			json_extract(meta.definition, '$.partitionColumns[*]')
		)) WITH ORDINALITY AS item(column_json, position)`;
}

/**
 * (Re)creates the views for this engine's project and owner; they read the catalog table at query time. Column names,
 * order and types follow the doc's TABLES and COLUMNS tables. `data_length` stays NULL: the size of a DuckDB table says
 * nothing about what MaxCompute would store. `data_type` is upper case like the service's type names (e.g. `BIGINT`,
 * `DECIMAL(13,2)`), which the docs show but do not spell out (verify).
 */
export async function createInformationSchemaViews(connection: DuckDBConnection, context: InformationSchemaContext): Promise<void> {
	await connection.run(`CREATE SCHEMA IF NOT EXISTS ${viewSchema}`);
	await connection.run(`CREATE OR REPLACE VIEW ${informationSchemaRelation('tables')} AS ${tablesView(context)}`);
	await connection.run(`CREATE OR REPLACE VIEW ${informationSchemaRelation('columns')} AS ${columnsView(context)}`);
}
