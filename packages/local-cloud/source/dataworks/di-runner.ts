/**
 * Runs a DI job the way DataX runs odps reader → loghub writer: the reader reads the table (and partitions) from
 * MaxCompute over the ODPS REST protocol with the odps data source's endpoint, project and keys; every value becomes
 * a string (value-strings.ts); the writer groups records in `batchSize` batches for PutLogs, takes the log time from
 * the `time` column (log-time.ts), counts column-count mismatches as dirty records and fails the run once they pass
 * `errorLimit.record`, with DataX's own message. Sending is delegated to a LogHubSink.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {createMaxComputeClient, type ColumnDescription, type MaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {silentLogger, type Logger} from 'ferry/log/logger';
import type {DiJob} from './job-config.js';
import {createLogTimeParser} from './log-time.js';
import {toWriterString} from './value-strings.js';

export type LogHubTarget = {endpoint: string; project: string; logstore: string; accessKeyId: string; accessKeySecret: string};
export type LogHubLog = {time: number; contents: [string, string][]};
export type LogHubGroup = {topic: string; source: string; logs: LogHubLog[]};
export type LogHubSink = {putLogs(target: LogHubTarget, group: LogHubGroup): Promise<void>};

export type DataSourceContent = Record<string, unknown>;
export type DataSourceLookup = (name: string, type: 'odps' | 'loghub') => DataSourceContent | undefined;

export type DiRunRequest = {
	job: DiJob;
	dataSources: DataSourceLookup;
	/** One line of the DI log. */
	log: (line: string) => void;
	signal?: AbortSignal;
};

export type DiRunResult = {status: 'SUCCESS' | 'FAILURE'; read: number; written: number; dirty: number; errorMessage?: string};

export type DiRunner = {run(request: DiRunRequest): Promise<DiRunResult>};

export type DiRunnerOptions = {
	sink: LogHubSink;
	logger?: Logger;
	/** The resource group JVM's zone, minutes east of UTC; DataWorks resource groups run in China Standard Time. @default 480 */
	offsetMinutes?: number;
	now?: () => number;
	/** Rows per SQL page; the ODPS task result holds at most 10,000. @default 10000 */
	pageRows?: number;
	/** The writer retries a failed PutLogs 3 times, 1 s apart (DataX `RetryUtil.executeWithRetry(…, 3, 1000L, false)`). */
	putRetryDelayMs?: number;
};

class DiFailure extends Error {}

const dirtyLimitDescription = 'Code:[Framework-14], Description:[DataX传输脏数据超过用户预期，该错误通常是由于源端数据存在较多业务脏数据导致，请仔细检查DataX汇报的脏数据日志信息, 或者您可以适当调大脏数据阈值 .].';

type ReaderColumn =
	| {kind: 'normal'; name: string; type: string}
	| {kind: 'partition'; name: string; type: string}
	| {kind: 'constant'; value: string};

function contentText(content: DataSourceContent, ...keys: string[]): string | undefined {
	for (const key of keys) {
		const value = content[key];
		if (typeof value === 'string' && value !== '') {
			return value;
		}
	}

	return undefined;
}

function quoteSql(value: string): string {
	return `'${value.replaceAll('\\', '\\\\').replaceAll('\'', '\\\'')}'`;
}

function parsePartition(spec: string): Map<string, string> {
	const values = new Map<string, string>();
	for (const part of spec.split(/[,/]/)) {
		const [key = '', value = ''] = part.split('=').map(item => item.trim());
		values.set(key.toLowerCase(), value.replace(/^'(.*)'$/, '$1'));
	}

	return values;
}

function resolveColumns(configured: string[], table: ColumnDescription[], tableName: string): ReaderColumn[] {
	const normal = table.filter(column => !column.partition);
	const result: ReaderColumn[] = [];
	for (const name of configured) {
		if (name === '*') {
			result.push(...normal.map(column => ({kind: 'normal' as const, name: column.name, type: column.type})));
			continue;
		}

		const constant = /^'(.*)'$/s.exec(name);
		if (constant) {
			result.push({kind: 'constant', value: constant[1]!});
			continue;
		}

		const found = table.find(column => column.name.toLowerCase() === name.toLowerCase());
		if (!found) {
			throw new DiFailure(`Code:[OdpsReader-07], Description:[您配置的值不合法.]. - 源头表:${tableName} 的列配置错误. 您所配置的列 [${name}] 不存在.`);
		}

		result.push({kind: found.partition ? 'partition' : 'normal', name: found.name, type: found.type});
	}

	return result;
}

function byteLength(values: (string | null)[]): number {
	return values.reduce((total, value) => total + (value === null ? 0 : Buffer.byteLength(value)), 0);
}

export function createDiRunner(options: DiRunnerOptions): DiRunner {
	const logger = options.logger ?? silentLogger;
	const now = options.now ?? Date.now;
	const pageRows = options.pageRows ?? 10_000;
	const retryDelayMs = options.putRetryDelayMs ?? 1000;

	async function readRows(client: MaxComputeClient, sql: string, signal: AbortSignal | undefined, onPage: (rows: (string | null)[][]) => Promise<void>): Promise<void> {
		// The 2.0 type system lets the SELECT read DECIMAL(p,s) and the other 2.0 types, as the tunnel the real reader uses does.
		const settings = {'odps.sql.type.system.odps2': 'true'};
		const first = await client.runSql(sql, {signal, settings});
		if (!first.truncated && first.rows.length < pageRows) {
			await onPage(first.rows);
			return;
		}

		// The result was cut off: read again in pages, ordered by every column so the pages do not overlap.
		const order = first.columns.map((_column, index) => String(index + 1)).join(', ');
		for (let offset = 0; ; offset += pageRows) {
			const page = await client.runSql(`SELECT * FROM (${sql.replace(/;\s*$/, '')}) paged ORDER BY ${order} LIMIT ${pageRows} OFFSET ${offset};`, {signal, settings});
			await onPage(page.rows);
			if (page.rows.length < pageRows) {
				return;
			}
		}
	}

	async function run(request: DiRunRequest): Promise<DiRunResult> {
		const {job, log, signal} = request;
		const stamp = () => new Date(now() + ((options.offsetMinutes ?? 480) * 60_000)).toISOString().slice(0, 19).replace('T', ' ');
		const info = (source: string, message: string) => log(`${stamp()} [job-0] INFO  ${source} - ${message}`);
		const started = now();
		const counts = {read: 0, written: 0, dirty: 0, bytes: 0, dirtyBytes: 0};
		const summary = (status: 'SUCCESS' | 'FAILURE', errorMessage?: string): DiRunResult => {
			const seconds = Math.max(1, Math.round((now() - started) / 1000));
			log(`${stamp()} [job-0] INFO  StandAloneJobContainerCommunicator - Total ${counts.read} records, ${counts.bytes} bytes | Speed ${Math.round(counts.bytes / seconds)}B/s, ${Math.round(counts.read / seconds)} records/s | Error ${counts.dirty} records, ${counts.dirtyBytes} bytes | Percentage ${status === 'SUCCESS' ? '100.00' : '0.00'}%`);
			log(`任务启动时刻                    : ${new Date(started + ((options.offsetMinutes ?? 480) * 60_000)).toISOString().slice(0, 19).replace('T', ' ')}`);
			log(`任务结束时刻                    : ${stamp()}`);
			log(`任务总计耗时                    : ${seconds}s`);
			log(`记录写入速度                    : ${Math.round(counts.written / seconds)}rec/s`);
			log(`读出记录总数                    : ${counts.read}`);
			log(`读写失败总数                    : ${counts.dirty}`);
			log(`Read records: ${counts.read}; written records: ${counts.written}; dirty records: ${counts.dirty}`);
			if (errorMessage) {
				log(`${stamp()} [job-0] ERROR JobContainer - Exception when job run: ${errorMessage}`);
			}

			return {status, read: counts.read, written: counts.written, dirty: counts.dirty, ...(errorMessage ? {errorMessage} : {})};
		};

		try {
			const odps = request.dataSources(job.reader.datasource, 'odps');
			if (!odps) {
				throw new DiFailure(`Code:[DI-DataSource-01] The odps data source "${job.reader.datasource}" does not exist in this workspace (production environment).`);
			}

			const odpsEndpoint = contentText(odps, 'endpoint', 'odpsEndpoint');
			const odpsProject = contentText(odps, 'project');
			const accessId = contentText(odps, 'accessId', 'accessKeyId');
			const accessKey = contentText(odps, 'accessKey', 'accessKeySecret');
			if (!odpsEndpoint || !odpsProject || !accessId || !accessKey) {
				throw new DiFailure(`The odps data source "${job.reader.datasource}" lacks endpoint, project, accessId or accessKey.`);
			}

			const target = resolveTarget(job, request.dataSources);
			const client = createMaxComputeClient({endpoint: odpsEndpoint, project: odpsProject, credentials: {accessKeyId: accessId, accessKeySecret: accessKey}, logger, attempts: 3});
			info('JobContainer', `DataX Reader.Job [odps] do prepare work: table [${job.reader.table}] in project [${odpsProject}].`);
			const description = await client.describeTable(job.reader.table, {signal});
			const columns = resolveColumns(job.reader.column, description, job.reader.table);
			const partitionColumns = description.filter(column => column.partition);
			const partitions = job.reader.partitions.map(spec => parsePartition(spec));
			if (partitionColumns.length > 0 && partitions.length === 0) {
				throw new DiFailure(`Code:[OdpsReader-07], Description:[您配置的值不合法.]. - 分区信息没有配置.由于源头表:${job.reader.table} 为分区表, 所以您需要配置其抽取的表的分区信息.`);
			}

			const normal = [...new Set(columns.flatMap(column => (column.kind === 'normal' ? [column.name] : [])))];
			const selected = normal.length > 0 ? normal.map(name => `\`${name}\``).join(', ') : '1';
			const readTargets = partitionColumns.length > 0 ? partitions : [new Map<string, string>()];
			const timeParser = job.writer.timeFormat ? createLogTimeParser(job.writer.timeFormat, {offsetMinutes: options.offsetMinutes ?? 480, nowMs: now()}) : undefined;
			let batch: LogHubLog[] = [];
			let fellBack = 0;

			const checkDirty = () => {
				if (job.errorLimitRecord !== undefined && counts.dirty > job.errorLimitRecord) {
					throw new DiFailure(`${dirtyLimitDescription}  - 脏数据条数检查不通过，限制是[${job.errorLimitRecord}]条，但实际上捕获了[${counts.dirty}]条.`);
				}
			};

			const flush = async () => {
				if (batch.length === 0) {
					return;
				}

				const group: LogHubGroup = {topic: job.writer.topic, source: job.writer.source, logs: batch};
				for (let attempt = 1; ; attempt++) {
					try {
						await options.sink.putLogs(target, group);
						break;
					} catch (error) {
						if (attempt >= 3) {
							throw new DiFailure(`Code:[LogHubWriter-01], Description:[LogHub error]. - ${error instanceof Error ? error.message : String(error)}`);
						}

						await sleep(retryDelayMs, undefined, {signal});
					}
				}

				counts.written += batch.length;
				batch = [];
				checkDirty();
			};

			const writeRecord = async (record: (string | null)[]) => {
				counts.read++;
				const size = byteLength(record);
				counts.bytes += size;
				if (record.length !== job.writer.column.length) {
					counts.dirty++;
					counts.dirtyBytes += size;
					log(`${stamp()} [0-0-0-writer] WARN  StdoutPluginCollector - 脏数据: {"message":"column not match","record":${JSON.stringify(record)},"type":"writer"}`);
				}

				let time = Math.trunc(now() / 1000);
				const contents: [string, string][] = [];
				for (const [index, value] of record.entries()) {
					const key = job.writer.column[index];
					if (key === undefined) {
						// DataX's loop reads columnList.get(i) past its end: the task dies with the JVM's message.
						throw new DiFailure(`Code:[LogHubWriter-01], Description:[LogHub error]. - Index ${index} out of bounds for length ${job.writer.column.length}`);
					}

					contents.push([key, value ?? '']);
					if (timeParser && key === job.writer.time) {
						const parsed = timeParser(value);
						time = parsed.seconds;
						if (parsed.fellBackToNow) {
							fellBack++;
						}
					}
				}

				batch.push({time, contents});
				if (batch.length >= job.writer.batchSize) {
					await flush();
				}
			};

			for (const partition of readTargets) {
				const where = [...partition.entries()].map(([key, value]) => `\`${key}\` = ${quoteSql(value)}`).join(' AND ');
				const sql = `SELECT ${selected} FROM \`${job.reader.table}\`${where ? ` WHERE ${where}` : ''};`;
				info('OdpsReader$Task', `read table [${job.reader.table}]${where ? ` partition [${[...partition.entries()].map(([key, value]) => `${key}=${value}`).join(',')}]` : ''}.`);
				await readRows(client, sql, signal, async rows => {
					for (const row of rows) {
						signal?.throwIfAborted();
						const record = columns.map(column => {
							if (column.kind === 'constant') {
								return column.value;
							}

							if (column.kind === 'partition') {
								return toWriterString(partition.get(column.name.toLowerCase()) ?? null, column.type);
							}

							return toWriterString(row[normal.indexOf(column.name)] ?? null, column.type);
						});
						await writeRecord(record);
					}
				});
			}

			await flush();
			checkDirty();
			if (fellBack > 0) {
				log(`${stamp()} [0-0-0-writer] WARN  LogHubWriter$Task - Format time failed! ${fellBack} records took the current time as their log time.`);
			}

			info('LogHubWriter$Task', `${counts.written} records have been sent`);
			return summary('SUCCESS');
		} catch (error) {
			if (signal?.aborted) {
				throw error;
			}

			const message = error instanceof DiFailure ? error.message : `Code:[OdpsReader-21], Description:[读取数据发生异常.]. - ${error instanceof Error ? error.message : String(error)}`;
			return summary('FAILURE', message);
		}
	}

	return {run};
}

function resolveTarget(job: DiJob, dataSources: DataSourceLookup): LogHubTarget {
	const {writer} = job;
	if (writer.datasource) {
		const content = dataSources(writer.datasource, 'loghub');
		if (!content) {
			throw new DiFailure(`Code:[DI-DataSource-01] The loghub data source "${writer.datasource}" does not exist in this workspace (production environment).`);
		}

		const endpoint = contentText(content, 'endpoint');
		const project = contentText(content, 'project');
		const accessKeyId = contentText(content, 'accessId', 'accessKeyId');
		const accessKeySecret = contentText(content, 'accessKey', 'accessKeySecret');
		if (!endpoint || !project || !accessKeyId || !accessKeySecret) {
			throw new DiFailure(`The loghub data source "${writer.datasource}" lacks endpoint, project, accessId or accessKey.`);
		}

		return {endpoint, project, logstore: writer.logstore, accessKeyId, accessKeySecret};
	}

	if (!writer.endpoint || !writer.project || !writer.accessId || !writer.accessKey) {
		throw new DiFailure('Code:[LogHubWriter-00] loghub writer: endpoint, accessId, accessKey and project are required without a datasource.');
	}

	return {endpoint: writer.endpoint, project: writer.project, logstore: writer.logstore, accessKeyId: writer.accessId, accessKeySecret: writer.accessKey};
}
