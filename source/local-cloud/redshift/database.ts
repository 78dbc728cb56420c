import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {PGlite} from '@electric-sql/pglite';
import {createTableStatements, generateCsv, tpchTables} from '../tpch/index.js';

/** Where the Redshift system views live; it is on the search path, like pg_catalog on Redshift. */
export const systemSchema = 'redshift_system';
export const localDatabaseName = 'dev';
export const localDatabaseUser = 'postgres';

/**
 * Redshift's catalog views ferry reads, as live views over pg_catalog/information_schema so later DDL shows up.
 * Unlike Redshift, svv_table_info here lists empty tables too (Redshift omits tables without data).
 */
const systemViewStatements = [
	`create schema if not exists ${systemSchema}`,
	`create or replace function ${systemSchema}.row_count(relation regclass) returns bigint language plpgsql stable as $$
	declare result bigint;
	begin
		execute format('select count(*) from %s', relation) into result;
		return result;
	end $$`,
	`create or replace view ${systemSchema}.svv_table_info as
	select current_database()::text as "database", n.nspname::text as "schema", c.oid::bigint as table_id, c.relname::text as "table",
		'Y'::text as encoded, 'AUTO(EVEN)'::text as diststyle, null::text as sortkey1, 0 as max_varchar,
		ceil(pg_catalog.pg_total_relation_size(c.oid) / 1048576.0)::bigint as size, 0::numeric(10,4) as pct_used,
		${systemSchema}.row_count(c.oid) as tbl_rows, ${systemSchema}.row_count(c.oid) as estimated_visible_rows,
		0::numeric(5,2) as unsorted, 0::numeric(5,2) as stats_off, null::timestamp as create_time
	from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
	where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', '${systemSchema}')`,
	`create or replace view ${systemSchema}.svv_columns as
	select table_catalog::text, table_schema::text, table_name::text, column_name::text, ordinal_position::int,
		column_default::text, is_nullable::text, data_type::text, character_maximum_length::int, numeric_precision::int,
		numeric_precision_radix::int, numeric_scale::int, datetime_precision::int, interval_type::text, interval_precision::int,
		character_set_catalog::text, character_set_schema::text, character_set_name::text, collation_catalog::text,
		collation_schema::text, collation_name::text, domain_name::text, null::text as remarks
	from information_schema.columns
	where table_schema not in ('pg_catalog', 'information_schema', '${systemSchema}')`,
];

const searchPath = `"$user", public, ${systemSchema}`;

type SeedMarker = {scaleFactor: number; seededAt: string};

export type OpenedDatabase = {db: PGlite; seeded: SeedMarker; created: boolean};

/** Opens (and on first start seeds) the stand-in's database under `dataDir/pgdata`. */
export async function openDatabase(dataDir: string, scaleFactor: number): Promise<OpenedDatabase> {
	await mkdir(dataDir, {recursive: true});
	const markerFile = path.join(dataDir, 'seeded.json');
	const pgdata = path.join(dataDir, 'pgdata');
	const bootstrap = await PGlite.create({dataDir: pgdata});
	// Redshift's default database is `dev`; PGlite starts with `postgres`, so `dev` is created once and used from then on.
	const existing = await bootstrap.query('select 1 from pg_database where datname = $1', [localDatabaseName]);
	if (existing.rows.length === 0) {
		await bootstrap.exec(`create database ${localDatabaseName}`);
	}

	await bootstrap.close();
	const db = await PGlite.create({dataDir: pgdata, database: localDatabaseName, username: localDatabaseUser});
	let marker: SeedMarker | undefined;
	try {
		marker = JSON.parse(await readFile(markerFile, 'utf8')) as SeedMarker;
	} catch {
		marker = undefined;
	}

	if (marker) {
		await db.exec(`set search_path = ${searchPath}`);
		return {db, seeded: marker, created: false};
	}

	await db.exec('create schema if not exists public');
	for (const statement of systemViewStatements) {
		await db.exec(statement);
	}

	await db.exec(`alter database ${localDatabaseName} set search_path = ${searchPath}`);
	await db.exec(`set search_path = ${searchPath}`);
	await seedTpch(db, scaleFactor);
	const seeded = {scaleFactor, seededAt: new Date().toISOString()};
	// The marker is written last: a crash while seeding leaves no marker, so the next start is known to be incomplete.
	await writeFile(markerFile, `${JSON.stringify(seeded)}\n`);
	return {db, seeded, created: true};
}

async function seedTpch(db: PGlite, scaleFactor: number): Promise<void> {
	await db.exec('drop table if exists ' + tpchTables.map(table => `public."${table.name}"`).reverse().join(', ') + ' cascade');
	for (const statement of createTableStatements('public', {foreignKeys: false})) {
		await db.exec(statement);
	}

	for (const table of tpchTables) {
		const chunks: string[] = [...generateCsv(table.name, scaleFactor)];
		await db.query(`copy public."${table.name}" from '/dev/blob' with (format csv)`, [], {blob: new Blob(chunks)});
	}

}
