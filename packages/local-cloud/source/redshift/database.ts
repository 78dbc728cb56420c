import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {PGlite} from '@electric-sql/pglite';
import {reportProgress} from '../progress.js';
import {seedTpch as seedTpchTables} from '../tpch/index.js';
import {dialectStatements} from './dialect.js';

export const localDatabaseName = 'dev';
/** PGlite's own superuser, which owns the data dir; clients never log in as it. */
export const localDatabaseUser = 'postgres';
/** Redshift's default master user name; the wire and the Data API run as it. */
export const localMasterUser = 'awsuser';

/** Redshift's default search path. */
const searchPath = '"$user", public';

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

	await installDialect(db);
	if (marker) {
		return {db, seeded: marker, created: false};
	}

	await db.exec('create schema if not exists public');
	await seedTpch(db, scaleFactor);
	const seeded = {scaleFactor, seededAt: new Date().toISOString()};
	// The marker is written last: a crash while seeding leaves no marker, so the next start is known to be incomplete.
	await writeFile(markerFile, `${JSON.stringify(seeded)}\n`);
	return {db, seeded, created: true};
}

/** Redshift's views, functions and master user; idempotent, so it runs at every start. */
async function installDialect(db: PGlite): Promise<void> {
	for (const statement of dialectStatements) {
		await db.exec(statement);
	}

	const master = await db.query('select 1 from pg_roles where rolname = $1', [localMasterUser]);
	if (master.rows.length === 0) {
		await db.exec(`create role ${localMasterUser} superuser login`);
	}

	// Redshift's session defaults: search path, UTC, ISO dates.
	await db.exec(`alter database ${localDatabaseName} set search_path = ${searchPath}`);
	await db.exec(`alter database ${localDatabaseName} set timezone = 'UTC'`);
	await db.exec(`alter database ${localDatabaseName} set datestyle = 'ISO, MDY'`);
	await db.exec(`set search_path = ${searchPath}`);
	await db.exec('set timezone = \'UTC\'');
}

async function seedTpch(db: PGlite, scaleFactor: number): Promise<void> {
	reportProgress({phase: 'seeding', service: 'redshift'});
	await seedTpchTables(db, scaleFactor, {onProgress: progress => reportProgress({phase: 'seeding', service: 'redshift', ...progress})});
}
