import {precisionAndScale} from 'ferry/clouds/redshift/postgres-types';
import {optionalString, page, pageSize} from './data-api-errors.js';
import {quoteLiteral} from 'ferry/clouds/redshift/sql-text';

/**
 * ListDatabases, ListSchemas, ListTables and DescribeTable: answered from the catalog, synchronously, as the
 * Data API does. `query` runs SQL in a session of the caller's own (sessions.ts).
 */
export type CatalogQuery = (sql: string) => Promise<Array<Array<string | null>>>;

const hiddenSchemas = `n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%' and n.nspname <> 'redshift_system'`;

const likePattern = (body: Record<string, unknown>, name: string) => {
	const pattern = optionalString(body, name);
	return pattern === undefined ? 'true' : `like ${quoteLiteral(pattern)}`;
};

export async function listDatabases(body: Record<string, unknown>, databaseName: string): Promise<Record<string, unknown>> {
	const {items, nextToken} = page([databaseName], body, 'databases', pageSize(body, 1000, 1000));
	return {Databases: items, ...(nextToken ? {NextToken: nextToken} : {})};
}

export async function listSchemas(body: Record<string, unknown>, query: CatalogQuery): Promise<Record<string, unknown>> {
	const pattern = likePattern(body, 'SchemaPattern');
	const rows = await query(`select n.nspname::text from pg_catalog.pg_namespace n where ${hiddenSchemas}
		and ${pattern === 'true' ? 'true' : `n.nspname ${pattern}`} order by 1`);
	const {items, nextToken} = page(rows.map(([name]) => name!), body, `schemas:${optionalString(body, 'SchemaPattern') ?? ''}`, pageSize(body, 1000, 1000));
	return {Schemas: items, ...(nextToken ? {NextToken: nextToken} : {})};
}

export async function listTables(body: Record<string, unknown>, query: CatalogQuery): Promise<Record<string, unknown>> {
	const schemaPattern = likePattern(body, 'SchemaPattern');
	const tablePattern = likePattern(body, 'TablePattern');
	// TableMember.type uses the JDBC table types (TABLE, VIEW, SYSTEM TABLE, …).
	const rows = await query(`select c.relname::text, n.nspname::text,
			case when n.nspname in ('pg_catalog', 'information_schema') then 'SYSTEM ' else '' end
			|| case when c.relkind in ('v', 'm') then 'VIEW' else 'TABLE' end
		from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p', 'v', 'm', 'f') and ${hiddenSchemas}
			and ${schemaPattern === 'true' ? 'true' : `n.nspname ${schemaPattern}`}
			and ${tablePattern === 'true' ? 'true' : `c.relname ${tablePattern}`}
		order by 2, 1`);
	const scope = `tables:${optionalString(body, 'SchemaPattern') ?? ''}:${optionalString(body, 'TablePattern') ?? ''}`;
	const {items, nextToken} = page(rows.map(([name, schema, type]) => ({name, schema, type})), body, scope, pageSize(body, 1000, 1000));
	return {Tables: items, ...(nextToken ? {NextToken: nextToken} : {})};
}

export async function describeTable(body: Record<string, unknown>, query: CatalogQuery): Promise<Record<string, unknown>> {
	const schema = optionalString(body, 'Schema');
	const table = optionalString(body, 'Table');
	const rows = await query(`select a.attname::text, t.typname::text, a.atttypmod::text, (not a.attnotnull)::text,
			pg_catalog.pg_get_expr(d.adbin, d.adrelid), n.nspname::text, c.relname::text
		from pg_catalog.pg_attribute a
		join pg_catalog.pg_class c on c.oid = a.attrelid
		join pg_catalog.pg_namespace n on n.oid = c.relnamespace
		join pg_catalog.pg_type t on t.oid = a.atttypid
		left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
		where c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped and ${hiddenSchemas}
			and ${schema === undefined ? 'true' : `n.nspname = ${quoteLiteral(schema)}`}
			and ${table === undefined ? 'true' : `c.relname = ${quoteLiteral(table)}`}
		order by n.nspname, c.relname, a.attnum`);
	const columns = rows.map(([name, typeName, typeModifier, nullable, columnDefault, schemaName, tableName]) => {
		const {precision, scale} = precisionAndScale(typeName!, Number(typeModifier));
		return {
			name, label: name, typeName, precision, scale, length: 0, nullable: nullable === 'true' ? 1 : 0,
			isCaseSensitive: typeName === 'varchar' || typeName === 'bpchar' || typeName === 'text',
			isCurrency: false, isSigned: ['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(typeName!),
			...(columnDefault === null ? {} : {columnDefault}), schemaName, tableName,
		};
	});
	const {items, nextToken} = page(columns, body, `columns:${schema ?? ''}:${table ?? ''}`, pageSize(body, 1000, 1000));
	return {ColumnList: items, ...(table === undefined ? {} : {TableName: table}), ...(nextToken ? {NextToken: nextToken} : {})};
}
