/**
 * The Log Service stand-in's storage: one DuckDB file under the data folder holding projects, logstores, index
 * configurations and logs. Each index remembers the log sequence at its creation: logs written before it are not
 * searchable, as on the service ("data written before an index exists is not indexed").
 */
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance, type DuckDBConnection} from '@duckdb/node-api';
import type {IndexConfig} from './search.js';

export type ProjectRecord = {name: string; description: string; createTime: number; lastModifyTime: number};
export type LogStoreRecord = {project: string; name: string; ttl: number; shardCount: number; settings: Record<string, unknown>; createTime: number; lastModifyTime: number};
export type IndexRecord = {config: IndexConfig & Record<string, unknown>; watermark: number; createTime: number; lastModifyTime: number};
export type NewLog = {time: number; timeNs?: number; topic: string; source: string; tags: Array<[string, string]>; contents: Array<[string, string]>; shard: number};
export type StoredLog = NewLog & {seq: number};
/** Which logs a query sees: the logstore, [from, to) on `__time__`, the topic, the index watermark and the TTL. */
export type LogWindow = {project: string; logstore: string; from: number; to: number; topic?: string; afterSeq: number; minTime: number; seqs?: number[]};
export type QueryResult = {columns: string[]; types: string[]; rows: unknown[][]};

export type LogServiceStore = {
	projects(): ProjectRecord[];
	project(name: string): ProjectRecord | undefined;
	saveProject(record: ProjectRecord): Promise<void>;
	deleteProject(name: string): Promise<void>;
	logStores(project: string): LogStoreRecord[];
	logStore(project: string, name: string): LogStoreRecord | undefined;
	saveLogStore(record: LogStoreRecord): Promise<void>;
	deleteLogStore(project: string, name: string): Promise<void>;
	index(project: string, logstore: string): IndexRecord | undefined;
	saveIndex(project: string, logstore: string, record: IndexRecord): Promise<void>;
	deleteIndex(project: string, logstore: string): Promise<void>;
	/** The sequence of the newest log so far (an index created now sees only later logs). */
	lastSeq(): number;
	append(project: string, logstore: string, logs: NewLog[], receivedAt: number): Promise<void>;
	read(window: LogWindow): Promise<StoredLog[]>;
	/** Runs translated analytic SQL over the window, exposed as the relation `log`; params start at `$1`. */
	analyse(window: LogWindow, sql: string, params: unknown[]): Promise<QueryResult>;
	close(): Promise<void>;
};

const key = (...parts: string[]) => parts.join('\u0000');
const logColumns = {seq: 'BIGINT', time: 'BIGINT', time_ns: 'BIGINT', topic: 'VARCHAR', source: 'VARCHAR', tag_keys: 'VARCHAR[]', tag_values: 'VARCHAR[]', keys: 'VARCHAR[]', vals: 'VARCHAR[]', shard: 'INTEGER'};

function windowFilter(window: LogWindow, firstParam: number): {where: string; params: unknown[]} {
	const params: unknown[] = [window.project, window.logstore, Math.max(window.from, window.minTime), window.to, window.afterSeq];
	let where = `project = $${firstParam} AND logstore = $${firstParam + 1} AND time >= $${firstParam + 2} AND time < $${firstParam + 3} AND seq > $${firstParam + 4}`;
	if (window.topic !== undefined) {
		params.push(window.topic);
		where += ` AND topic = $${firstParam + params.length - 1}`;
	}

	if (window.seqs) {
		params.push(JSON.stringify(window.seqs));
		where += ` AND seq IN (SELECT unnest(from_json($${firstParam + params.length - 1}::JSON, '["BIGINT"]')))`;
	}

	return {where, params};
}

export async function openLogServiceStore(dataDir: string): Promise<LogServiceStore> {
	await mkdir(dataDir, {recursive: true});
	const instance = await DuckDBInstance.create(path.join(dataDir, 'log-service.duckdb'));
	const connection: DuckDBConnection = await instance.connect();
	await connection.run(`CREATE TABLE IF NOT EXISTS projects (name VARCHAR PRIMARY KEY, record VARCHAR)`);
	await connection.run(`CREATE TABLE IF NOT EXISTS logstores (id VARCHAR PRIMARY KEY, record VARCHAR)`);
	await connection.run(`CREATE TABLE IF NOT EXISTS indexes (id VARCHAR PRIMARY KEY, record VARCHAR)`);
	await connection.run(`CREATE TABLE IF NOT EXISTS logs (project VARCHAR, logstore VARCHAR, ${Object.entries(logColumns).map(([name, type]) => `${name} ${type}`).join(', ')}, received BIGINT)`);

	const load = async <T>(table: string) => {
		const reader = await connection.runAndReadAll(`SELECT record FROM ${table}`);
		return reader.getRows().map(row => JSON.parse(String(row[0])) as T);
	};

	const projects = new Map((await load<ProjectRecord>('projects')).map(record => [record.name, record]));
	const logStores = new Map((await load<LogStoreRecord>('logstores')).map(record => [key(record.project, record.name), record]));
	const indexes = new Map((await load<IndexRecord & {id: string}>('indexes')).map(record => [record.id, record]));
	const last = await connection.runAndReadAll('SELECT coalesce(max(seq), 0) FROM logs');
	let lastSeq = Number(last.getRows()[0]?.[0] ?? 0);

	// One connection runs one statement at a time; requests arrive concurrently.
	let tail: Promise<unknown> = Promise.resolve();
	let closed = false;
	const serial = async <T>(work: () => Promise<T>): Promise<T> => {
		const run = tail.then(async () => {
			if (closed) throw new Error('the Log Service store is closed');
			return work();
		});
		tail = run.catch(() => undefined);
		return run;
	};

	const upsert = async (table: string, id: string, record: unknown) => serial(async () => {
		await connection.run(`INSERT OR REPLACE INTO ${table} VALUES ($1, $2)`, [id, JSON.stringify(record)]);
	});
	const remove = async (table: string, id: string) => serial(async () => {
		await connection.run(`DELETE FROM ${table} WHERE ${table === 'projects' ? 'name' : 'id'} = $1`, [id]);
	});

	const rowToLog = (row: Record<string, unknown>): StoredLog => {
		const pairs = (keys: unknown, values: unknown) => ((keys as string[] | null) ?? []).map((name, position) => [name, ((values as string[] | null) ?? [])[position] ?? ''] as [string, string]);
		return {
			seq: Number(row.seq),
			time: Number(row.time),
			...(row.time_ns === null || row.time_ns === undefined ? {} : {timeNs: Number(row.time_ns)}),
			topic: String(row.topic ?? ''),
			source: String(row.source ?? ''),
			tags: pairs(row.tag_keys, row.tag_values),
			contents: pairs(row.keys, row.vals),
			shard: Number(row.shard),
		};
	};

	const store: LogServiceStore = {
		projects: () => [...projects.values()].sort((left, right) => left.name.localeCompare(right.name)),
		project: name => projects.get(name),
		async saveProject(record) {
			projects.set(record.name, record);
			await upsert('projects', record.name, record);
		},
		async deleteProject(name) {
			projects.delete(name);
			for (const record of logStores.values()) {
				if (record.project === name) await store.deleteLogStore(name, record.name);
			}

			await remove('projects', name);
		},
		logStores: project => [...logStores.values()].filter(record => record.project === project).sort((left, right) => left.name.localeCompare(right.name)),
		logStore: (project, name) => logStores.get(key(project, name)),
		async saveLogStore(record) {
			logStores.set(key(record.project, record.name), record);
			await upsert('logstores', key(record.project, record.name), record);
		},
		async deleteLogStore(project, name) {
			logStores.delete(key(project, name));
			indexes.delete(key(project, name));
			await remove('logstores', key(project, name));
			await remove('indexes', key(project, name));
			await serial(async () => connection.run('DELETE FROM logs WHERE project = $1 AND logstore = $2', [project, name]));
		},
		index: (project, logstore) => indexes.get(key(project, logstore)),
		async saveIndex(project, logstore, record) {
			const id = key(project, logstore);
			indexes.set(id, {...record, id});
			await upsert('indexes', id, {...record, id});
		},
		async deleteIndex(project, logstore) {
			indexes.delete(key(project, logstore));
			await remove('indexes', key(project, logstore));
		},
		lastSeq: () => lastSeq,
		async append(project, logstore, logs, receivedAt) {
			if (logs.length === 0) return;
			const rows = logs.map(log => ({
				seq: ++lastSeq,
				time: log.time,
				time_ns: log.timeNs ?? null,
				topic: log.topic,
				source: log.source,
				tag_keys: log.tags.map(([name]) => name),
				tag_values: log.tags.map(([, value]) => value),
				keys: log.contents.map(([name]) => name),
				vals: log.contents.map(([, value]) => value),
				shard: log.shard,
			}));
			const shape = JSON.stringify([Object.fromEntries(Object.entries(logColumns))]);
			const names = Object.keys(logColumns);
			await serial(async () => connection.run(
				`INSERT INTO logs (project, logstore, ${names.join(', ')}, received) SELECT $1, $2, ${names.map(name => `r.${name}`).join(', ')}, $4 FROM (SELECT unnest(from_json($3::JSON, $5)) AS r)`,
				[project, logstore, JSON.stringify(rows), receivedAt, shape],
			));
		},
		async read(window) {
			const {where, params} = windowFilter(window, 1);
			return serial(async () => {
				const reader = await connection.runAndReadAll(`SELECT seq, time, time_ns, topic, source, tag_keys, tag_values, keys, vals, shard FROM logs WHERE ${where} ORDER BY time, seq`, params as never);
				return reader.getRowObjectsJS().map(row => rowToLog(row as Record<string, unknown>));
			});
		},
		async analyse(window, sql, params) {
			const filter = windowFilter(window, params.length + 1);
			const relation = `WITH log AS (SELECT time AS "__time__", topic AS "__topic__", source AS "__source__", keys AS __ferry_keys, vals AS __ferry_values, tag_keys AS __ferry_tag_keys, tag_values AS __ferry_tag_values FROM logs WHERE ${filter.where}) `;
			return serial(async () => {
				const reader = await connection.runAndReadAll(relation + sql, [...params, ...filter.params] as never);
				return {columns: reader.columnNames(), types: reader.columnTypes().map(type => type.toString()), rows: reader.getRowsJS() as unknown[][]};
			});
		},
		async close() {
			if (closed) return;
			await tail;
			closed = true;
			connection.closeSync();
			instance.closeSync();
		},
	};
	return store;
}
