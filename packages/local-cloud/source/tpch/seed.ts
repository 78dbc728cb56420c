/**
 * Loads TPC-H into a PostgreSQL-compatible database (the Redshift stand-in's PGlite) by COPY, one batch of rows per
 * statement so memory stays flat and progress can be reported, with the rows generated on a worker thread while
 * the database loads the previous batch. Each table is created without its primary key, loaded, and given the key in
 * the same transaction: the tables end as `createTableStatements` declares them.
 */
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {generateCsvBatches, type CsvBatch} from './csv.js';
import {tpchRowCounts} from './scale.js';
import {createTableStatements, qualifiedTableName, quoteIdentifier, tpchTables} from './schema.js';

/** What seeding needs of the database: PGlite's `exec`, and `query` with a blob for `COPY … FROM '/dev/blob'`. */
export type SeedTarget = {
	exec(sql: string): Promise<unknown>;
	query(sql: string, parameters: unknown[], options: {blob: Blob}): Promise<unknown>;
};

export type SeedProgress = {table: string; rowsDone: number; rowsTotal: number; allRowsDone: number; allRowsTotal: number};

export type SeedOptions = {
	schema?: string;
	/** Called before the first batch of each table and after every batch. */
	onProgress?: (progress: SeedProgress) => void;
	/** @default 100_000 (about 13 MB of lineitem CSV: big enough for COPY to run at full speed) */
	rowsPerBatch?: number;
	/** Generate on a worker thread (default) or on this one. */
	worker?: boolean;
};

const primaryKeySortMemory = '256MB';

type BatchSource = {next(): Promise<CsvBatch | undefined>; close(): Promise<void>};

function inlineSource(tables: string[], scaleFactor: number, rowsPerBatch: number): BatchSource {
	const batches = generateCsvBatches(tables, scaleFactor, rowsPerBatch);
	return {
		async next() {
			const next = batches.next();
			return next.done ? undefined : next.value;
		},
		async close() {
			batches.return(undefined);
		},
	};
}

/** This module is its own worker (so it works unbundled, under tsx and inside a bundle's chunk alike). */
const workerKind = 'ferry-tpch-csv';

type CsvWorkerData = {kind: typeof workerKind; tables: string[]; scaleFactor: number; rowsPerBatch: number};
/** One answer per `next` request: a batch, or `done` once every table is generated. */
type CsvWorkerMessage = {batch: CsvBatch} | {done: true} | {error: string};

function serveBatches(data: CsvWorkerData): void {
	const batches = generateCsvBatches(data.tables, data.scaleFactor, data.rowsPerBatch);
	parentPort?.on('message', () => {
		let message: CsvWorkerMessage;
		try {
			const next = batches.next();
			message = next.done ? {done: true} : {batch: next.value};
		} catch (error) {
			message = {error: error instanceof Error ? error.message : String(error)};
		}

		parentPort?.postMessage(message);
	});
}

if (!isMainThread && (workerData as {kind?: unknown} | null)?.kind === workerKind) {
	serveBatches(workerData as CsvWorkerData);
}

/** Asks for one batch ahead: while the caller loads batch n, the worker generates batch n+1. */
function workerSource(data: CsvWorkerData): BatchSource {
	const worker = new Worker(new URL(import.meta.url), {workerData: data});
	const waiting: Array<{resolve(message: CsvWorkerMessage): void; reject(error: Error): void}> = [];
	let failure: Error | undefined;
	worker.on('message', (message: CsvWorkerMessage) => waiting.shift()?.resolve(message));
	const fail = (error: Error) => {
		failure = error;
		for (const entry of waiting.splice(0)) {
			entry.reject(error);
		}
	};

	worker.on('error', fail);
	worker.on('exit', code => fail(new Error(`The TPC-H generator thread stopped (exit ${code})`)));
	const request = (): Promise<CsvWorkerMessage> => new Promise((resolve, reject) => {
		if (failure) {
			reject(failure);
			return;
		}

		waiting.push({resolve, reject});
		worker.postMessage('next');
	});

	let ahead = request();
	let finished = false;
	return {
		async next() {
			if (finished) {
				return undefined;
			}

			const message = await ahead;
			if ('error' in message) {
				throw new Error(message.error);
			}

			if ('done' in message) {
				finished = true;
				return undefined;
			}

			ahead = request();
			return message.batch;
		},
		async close() {
			worker.removeAllListeners('exit');
			ahead.catch(() => undefined);
			await worker.terminate();
		},
	};
}

/** Drops and re-creates the TPC-H tables in `schema` and loads them at `scaleFactor` (without foreign keys). */
export async function seedTpch(db: SeedTarget, scaleFactor: number, options: SeedOptions = {}): Promise<void> {
	const schema = options.schema ?? 'public';
	const rowsPerBatch = options.rowsPerBatch ?? 100_000;
	const counts = tpchRowCounts(scaleFactor);
	const allRowsTotal = Object.values(counts).reduce((sum, rows) => sum + rows, 0);
	await db.exec(`drop table if exists ${tpchTables.map(table => qualifiedTableName(table.name, schema)).reverse().join(', ')} cascade`);
	// Primary keys are added once a table's rows are in: one sorted index build instead of an insert per row.
	for (const statement of createTableStatements(schema, {foreignKeys: false, primaryKeys: false})) {
		await db.exec(statement);
	}

	// Room to sort a primary key in memory (lineitem's at SF 1 is about 6 million keys): the build is then one pass.
	await db.exec(`set maintenance_work_mem = '${primaryKeySortMemory}'`);
	const tables = tpchTables.map(table => table.name);
	let source = options.worker === false ? inlineSource(tables, scaleFactor, rowsPerBatch) : workerSource({kind: workerKind, tables, scaleFactor, rowsPerBatch});
	let first: CsvBatch | undefined;
	try {
		first = await source.next();
	} catch {
		// No worker thread here (e.g. a runtime that refuses this module as one): generate on this thread instead.
		await source.close();
		source = inlineSource(tables, scaleFactor, rowsPerBatch);
		first = await source.next();
	}

	let allRowsDone = 0;
	let current: {table: string; rowsDone: number} | undefined;
	const finishTable = async () => {
		if (current) {
			const {table} = current;
			const definition = tpchTables.find(candidate => candidate.name === table)!;
			await db.exec(`alter table ${qualifiedTableName(table, schema)} add primary key (${definition.primaryKey.map(column => quoteIdentifier(column)).join(', ')})`);
			await db.exec('commit');
			current = undefined;
		}
	};

	try {
		for (let batch = first; batch; batch = await source.next()) {
			const table = batch.table;
			if (current?.table !== table) {
				await finishTable();
				// Truncated in the loading transaction, so COPY may FREEZE: rows land already frozen and visible to
				// all, and the first read (UNLOAD) does not rewrite every page to set hint bits.
				await db.exec(`begin; truncate table ${qualifiedTableName(table, schema)}`);
				current = {table, rowsDone: 0};
				options.onProgress?.({table, rowsDone: 0, rowsTotal: counts[table as keyof typeof counts], allRowsDone, allRowsTotal});
			}

			await db.query(`copy ${qualifiedTableName(table, schema)} from '/dev/blob' with (format csv, freeze)`, [], {blob: new Blob([batch.csv])});
			current.rowsDone += batch.rows;
			allRowsDone += batch.rows;
			options.onProgress?.({table, rowsDone: current.rowsDone, rowsTotal: counts[table as keyof typeof counts], allRowsDone, allRowsTotal});
		}

		await finishTable();
	} catch (error) {
		if (current) {
			await db.exec('rollback').catch(() => undefined);
		}

		throw error;
	} finally {
		await source.close();
		await db.exec('reset maintenance_work_mem').catch(() => undefined);
	}
}
