import {rewriteWithinGroup} from './sql-text.js';

/** What `select version()` answers on Redshift (a 2024 cluster's answer, aws/amazon-redshift-python-driver#237). */
export const redshiftVersion = 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.76230';
/** The server_version a Redshift cluster reports at connection start. */
export const redshiftServerVersion = '8.0.2';
/** Where helper functions live; the schema is on the search path of stand-ins seeded before the dialect moved to pg_catalog. */
export const systemSchema = 'redshift_system';

/**
 * Redshift's own catalog views and functions, created in pg_catalog (as on Redshift) so they resolve whatever a
 * session's search_path is. They are live views over pg_catalog/information_schema, so later DDL shows up.
 * Created with CREATE OR REPLACE at every start, so a data dir seeded by an older stand-in gets them too.
 * Unlike Redshift, svv_table_info here lists empty tables too (Redshift omits tables without data), and
 * pg_table_def's encoding is a plausible AUTO choice per type, not the one Redshift would pick from the data.
 */
export const dialectStatements = [
	`create schema if not exists ${systemSchema}`,
	`create or replace function ${systemSchema}.row_count(relation regclass) returns bigint language plpgsql stable as $$
	declare result bigint;
	begin
		execute format('select count(*) from %s', relation) into result;
		return result;
	end $$`,
	`create or replace function pg_catalog.version() returns text language sql stable as $$ select '${redshiftVersion}'::text $$`,
	// GETDATE: the statement's start, in the session time zone, without fractional seconds.
	'create or replace function pg_catalog.getdate() returns timestamp language sql stable as $$ select date_trunc(\'second\', statement_timestamp())::timestamp $$',
	'create or replace function pg_catalog.nvl(anycompatible, anycompatible) returns anycompatible language sql immutable as $$ select coalesce($1, $2) $$',
	'create or replace function pg_catalog.nvl(anycompatible, anycompatible, anycompatible) returns anycompatible language sql immutable as $$ select coalesce($1, $2, $3) $$',
	// LEN counts trailing blanks of VARCHAR but not of CHAR; casting CHAR to text drops them, as PostgreSQL's length does.
	'create or replace function pg_catalog.len(text) returns integer language sql immutable strict as $$ select pg_catalog.length($1) $$',
	`create or replace function ${systemSchema}.listagg_step(state text, value anyelement, delimiter text) returns text language sql immutable as $$
		select case when value is null then state when state is null then value::text else state || coalesce(delimiter, '') || value::text end $$`,
	`create or replace function ${systemSchema}.listagg_step(state text, value anyelement) returns text language sql immutable as $$
		select case when value is null then state when state is null then value::text else state || value::text end $$`,
	`do $$ begin
		if not exists (select 1 from pg_proc where proname = 'listagg' and pronamespace = 'pg_catalog'::regnamespace) then
			create aggregate pg_catalog.listagg(anyelement, text) (sfunc = ${systemSchema}.listagg_step, stype = text);
			create aggregate pg_catalog.listagg(anyelement) (sfunc = ${systemSchema}.listagg_step, stype = text);
		end if;
	end $$`,
	`create or replace view pg_catalog.pg_table_def as
	select n.nspname as schemaname, c.relname as tablename, a.attname as "column",
		pg_catalog.format_type(a.atttypid, a.atttypmod)::text as type,
		(case when t.typname in ('int2', 'int4', 'int8', 'numeric', 'date', 'timestamp', 'timestamptz') then 'az64'
			when t.typname in ('bpchar', 'varchar', 'text') then 'lzo' else 'none' end)::character(32) as encoding,
		false as distkey, 0 as sortkey, a.attnotnull as notnull
	from pg_catalog.pg_attribute a
	join pg_catalog.pg_class c on c.oid = a.attrelid
	join pg_catalog.pg_namespace n on n.oid = c.relnamespace
	join pg_catalog.pg_type t on t.oid = a.atttypid
	where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and pg_catalog.pg_table_is_visible(c.oid)`,
	`create or replace view pg_catalog.svv_tables as
	select table_catalog::text, table_schema::text, table_name::text, table_type::text, null::text as remarks
	from information_schema.tables
	where table_schema not in ('pg_toast', '${systemSchema}') and table_schema not like 'pg_temp%'`,
	`create or replace view pg_catalog.svv_table_info as
	select current_database()::text as "database", n.nspname::text as "schema", c.oid::bigint as table_id, c.relname::text as "table",
		'Y'::text as encoded, 'AUTO(EVEN)'::text as diststyle, null::text as sortkey1, 0 as max_varchar,
		ceil(pg_catalog.pg_total_relation_size(c.oid) / 1048576.0)::bigint as size, 0::numeric(10,4) as pct_used,
		${systemSchema}.row_count(c.oid) as tbl_rows, ${systemSchema}.row_count(c.oid) as estimated_visible_rows,
		0::numeric(5,2) as unsorted, 0::numeric(5,2) as stats_off, null::timestamp as create_time
	from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
	where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', '${systemSchema}')
		and n.nspname not like 'pg_temp%'`,
	`create or replace view pg_catalog.svv_columns as
	select table_catalog::text, table_schema::text, table_name::text, column_name::text, ordinal_position::int,
		column_default::text, is_nullable::text, data_type::text, character_maximum_length::int, numeric_precision::int,
		numeric_precision_radix::int, numeric_scale::int, datetime_precision::int, interval_type::text, interval_precision::int,
		character_set_catalog::text, character_set_schema::text, character_set_name::text, collation_catalog::text,
		collation_schema::text, collation_name::text, domain_name::text, null::text as remarks
	from information_schema.columns
	where table_schema not in ('pg_catalog', 'information_schema', '${systemSchema}') and table_schema not like 'pg_temp%'`,
];

/** The Redshift-only syntax PostgreSQL cannot take as it is, rewritten the same way for the Data API and the wire. */
export function rewriteRedshiftSql(sql: string): string {
	return /listagg/i.test(sql) ? rewriteWithinGroup(sql) : sql;
}
