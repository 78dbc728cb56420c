/**
 * GetLogs, GetLogsV2 and GetHistograms over the store. The window is [from, to) on `__time__` (doc "GetLogs",
 * doc-detail/29029: "left-closed and right-open"), narrowed to logs written after the index and within the TTL.
 * GetLogs answers a JSON array with `x-log-progress` / `x-log-count`; GetLogsV2 `{meta, data}`; GetHistograms an
 * array of `{from, to, count, progress}`. Every value comes back as a string, as the service returns them.
 */
import {translateAnalyticSql} from './analytic-sql.js';
import {parameterInvalid} from './errors.js';
import {compileSearch, splitQuery} from './search.js';
import type {IndexRecord, LogServiceStore, LogStoreRecord, LogWindow, QueryResult, StoredLog} from './store.js';

export type QueryRequest = {record: LogStoreRecord; index: IndexRecord; parameters: Record<string, unknown>; now: number};
type Answer = {body: unknown; headers: Record<string, string>};

const maxLines = 100;
const histogramBuckets = 60;

function integer(value: unknown, name: string, fallback?: number): number {
	if ((value === undefined || value === '') && fallback !== undefined) return fallback;
	const number = typeof value === 'string' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number)) throw parameterInvalid(`${name} must be an integer.`);
	return number;
}

function flag(value: unknown): boolean {
	return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function logObject(log: StoredLog): Record<string, string> {
	const object: Record<string, string> = {__time__: String(log.time), __topic__: log.topic, __source__: log.source};
	if (log.timeNs !== undefined) object.__time_ns_part__ = String(log.timeNs);
	for (const [key, value] of log.tags) object[`__tag__:${key}`] = value;
	for (const [key, value] of log.contents) object[key] = value;
	return object;
}

/** Renders like the service's SQL engine: doubles keep a decimal point, nulls read "null". */
function renderValue(value: unknown, type: string): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'number' && (type === 'DOUBLE' || type === 'FLOAT')) return Number.isInteger(value) ? value.toFixed(1) : String(value);
	if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
	return String(value);
}

function rowsOf(result: QueryResult): Array<Record<string, string>> {
	return result.rows.map(row => Object.fromEntries(result.columns.map((column, position) => [column, renderValue(row[position], result.types[position] ?? '')])));
}

export async function runQuery(store: LogServiceStore, request: QueryRequest, mode: 'logs' | 'logsV2' | 'histogram'): Promise<Answer> {
	const {record, index, parameters} = request;
	const from = integer(parameters.from, 'from');
	const to = integer(parameters.to, 'to');
	if (from >= to) throw parameterInvalid(`from (${from}) must be less than to (${to}).`);
	const query = typeof parameters.query === 'string' ? parameters.query : '';
	const topic = typeof parameters.topic === 'string' && parameters.topic !== '' ? parameters.topic : undefined;
	const {search: searchText, analytics} = splitQuery(query);
	const search = compileSearch(searchText, index.config);
	const window: LogWindow = {project: record.project, logstore: record.name, from, to, topic, afterSeq: index.watermark, minTime: request.now - (record.ttl * 86_400)};

	const matching = async (): Promise<StoredLog[]> => (await store.read(window)).filter(log => search.test(log));

	if (mode === 'histogram') {
		const logs = await matching();
		const width = Math.max(1, Math.ceil((to - from) / histogramBuckets));
		const buckets: Array<{from: number; to: number; count: number; progress: string}> = [];
		for (let start = from; start < to; start += width) buckets.push({from: start, to: Math.min(start + width, to), count: 0, progress: 'Complete'});
		for (const log of logs) buckets[Math.floor((log.time - from) / width)]!.count++;
		return {body: buckets, headers: {'x-log-progress': 'Complete', 'x-log-count': String(logs.length)}};
	}

	let data: Array<Record<string, string>>;
	let processed: number;
	if (analytics === undefined) {
		const line = integer(parameters.line, 'line', maxLines);
		const offset = integer(parameters.offset, 'offset', 0);
		if (line < 0 || line > maxLines) throw parameterInvalid(`line must be from 0 to ${maxLines}.`);
		if (offset < 0) throw parameterInvalid('offset must not be negative.');
		const logs = await matching();
		if (flag(parameters.reverse)) logs.reverse();
		processed = logs.length;
		data = logs.slice(offset, offset + line).map(log => logObject(log));
	} else {
		const translated = translateAnalyticSql(analytics);
		const scoped: LogWindow = search.matchesAll ? window : {...window, seqs: (await matching()).map(log => log.seq)};
		let result: QueryResult;
		try {
			result = await store.analyse(scoped, translated.sql, translated.params);
		} catch (error) {
			throw parameterInvalid(`SQL error: ${(error as Error).message.split('\n')[0] ?? ''}`);
		}

		processed = result.rows.length;
		data = rowsOf(result);
	}

	const meta = {
		progress: 'Complete',
		count: data.length,
		processedRows: processed,
		elapsedMillisecond: 0,
		hasSQL: analytics !== undefined,
		whereQuery: searchText,
		aggQuery: analytics ?? '',
	};
	if (mode === 'logsV2') return {body: {meta, data}, headers: {}};
	return {
		body: data,
		headers: {
			'x-log-progress': 'Complete',
			'x-log-count': String(data.length),
			'x-log-processed-rows': String(processed),
			'x-log-elapsed-millisecond': '0',
			'x-log-has-sql': String(analytics !== undefined),
			'x-log-where-query': encodeURIComponent(searchText),
			'x-log-agg-query': encodeURIComponent(analytics ?? ''),
		},
	};
}
