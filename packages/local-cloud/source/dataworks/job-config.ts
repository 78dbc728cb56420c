/**
 * The DI job JSON (TaskContent) the local DataWorks accepts: the script-mode "2.0" form (`steps` with an odps reader
 * and a loghub writer, cloud-apis.md §5.3) and the older "1.0" form of the procedure (`configuration.reader/writer`).
 * Only odps → loghub runs here; everything the writer reads is checked where DataWorks/DataX would refuse it.
 */
import {compileSimpleDateFormat} from './simple-date-format.js';

export const maxBatchSize = 4096;
const defaultBatchSize = 1024;

export type OdpsReaderConfig = {
	datasource: string;
	table: string;
	/** Partition specs such as `pt=20240101` or `pt=1,region=sg`; empty for a table without partitions. */
	partitions: string[];
	column: string[];
};

export type LogHubWriterConfig = {
	datasource?: string;
	endpoint?: string;
	accessId?: string;
	accessKey?: string;
	project?: string;
	logstore: string;
	topic: string;
	source: string;
	batchSize: number;
	column: string[];
	time?: string;
	timeFormat?: string;
};

export type DiJob = {
	reader: OdpsReaderConfig;
	writer: LogHubWriterConfig;
	/** `setting.errorLimit.record`; undefined means no limit (DataX skips the check). */
	errorLimitRecord?: number;
};

export class JobConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'JobConfigError';
	}
}

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? value as Json : undefined;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value;
	}

	return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function stringList(value: unknown, where: string): string[] {
	const list = typeof value === 'string' ? [value] : value;
	if (!Array.isArray(list) || list.length === 0 || list.some(item => typeof item !== 'string' || item.trim() === '')) {
		throw new JobConfigError(`${where} must be a non-empty list of names`);
	}

	return list as string[];
}

function steps(content: Json): {reader: {type: string; parameter: Json}; writer: {type: string; parameter: Json}; setting: Json} {
	if (Array.isArray(content.steps)) {
		const list = content.steps.map(step => object(step) ?? {});
		const byCategory = (category: string) => {
			const found = list.filter(step => step.category === category);
			if (found.length !== 1) {
				throw new JobConfigError(`the job needs exactly one step with "category":"${category}" (found ${found.length})`);
			}

			return {type: text(found[0]!.stepType) ?? '', parameter: object(found[0]!.parameter) ?? {}};
		};

		return {reader: byCategory('reader'), writer: byCategory('writer'), setting: object(content.setting) ?? {}};
	}

	const configuration = object(content.configuration);
	if (configuration) {
		const plugin = (name: string) => {
			const part = object(configuration[name]);
			return {type: text(part?.plugin) ?? '', parameter: object(part?.parameter) ?? {}};
		};

		return {reader: plugin('reader'), writer: plugin('writer'), setting: object(configuration.setting) ?? {}};
	}

	throw new JobConfigError('the job has neither "steps" (version 2.0) nor "configuration" (version 1.0)');
}

function partitions(value: unknown): string[] {
	if (value === undefined || value === null || value === '') {
		return [];
	}

	const list = Array.isArray(value) ? value : [value];
	return list.map(item => {
		const spec = text(item);
		if (!spec || !/^\s*\w+\s*=\s*[^,/=]+(\s*[,/]\s*\w+\s*=\s*[^,/=]+)*\s*$/.test(spec)) {
			throw new JobConfigError(`odps reader: partition "${String(item)}" is not of the form key=value[,key=value]`);
		}

		return spec.trim();
	});
}

function batchSize(value: unknown): number {
	if (value === undefined || value === '') {
		return defaultBatchSize;
	}

	const size = Number(text(value));
	if (!Number.isInteger(size) || size < 1 || size > maxBatchSize) {
		throw new JobConfigError(`loghub writer: batchSize must be an integer from 1 to ${maxBatchSize} (got ${String(value)})`);
	}

	return size;
}

function errorLimit(setting: Json): number | undefined {
	const record = text(object(setting.errorLimit)?.record);
	if (record === undefined || record.trim() === '') {
		return undefined;
	}

	const limit = Number(record);
	if (!Number.isInteger(limit) || limit < 0) {
		throw new JobConfigError(`setting.errorLimit.record must be a whole number (got "${record}")`);
	}

	return limit;
}

/** Parses and checks the TaskContent text; throws JobConfigError with a one-line reason. */
export function parseDiJob(taskContent: string): DiJob {
	let parsed: unknown;
	try {
		parsed = JSON.parse(taskContent);
	} catch (error) {
		throw new JobConfigError(`TaskContent is not valid JSON (${(error as Error).message})`);
	}

	const content = object(parsed);
	if (!content) {
		throw new JobConfigError('TaskContent must be a JSON object');
	}

	const {reader, writer, setting} = steps(content);
	if (reader.type !== 'odps') {
		throw new JobConfigError(`the local DataWorks runs the odps reader only (got "${reader.type}")`);
	}

	if (writer.type !== 'loghub') {
		throw new JobConfigError(`the local DataWorks runs the loghub writer only (got "${writer.type}")`);
	}

	const readerDatasource = text(reader.parameter.datasource);
	const table = text(reader.parameter.table);
	if (!readerDatasource || !table) {
		throw new JobConfigError('odps reader: "datasource" and "table" are required');
	}

	const w = writer.parameter;
	const logstore = text(w.logstore);
	if (!logstore) {
		throw new JobConfigError('loghub writer: "logstore" is required');
	}

	const datasource = text(w.datasource);
	const endpoint = text(w.endpoint);
	if (!datasource && !endpoint) {
		throw new JobConfigError('loghub writer: give "datasource" (a LogHub data source) or "endpoint" with "accessId", "accessKey" and "project"');
	}

	const time = text(w.time);
	const timeFormat = text(w.timeformat) ?? text(w.timeFormat);
	if (time && !timeFormat) {
		throw new JobConfigError('loghub writer: "timeformat" (timeFormat) is required when "time" is set');
	}

	if (timeFormat && timeFormat.toLowerCase() !== 'bigint') {
		const compiled = compileSimpleDateFormat(timeFormat);
		if (!compiled.ok && compiled.reason === 'unsupported') {
			throw new JobConfigError(`loghub writer: the local DataWorks parses SimpleDateFormat patterns with y M d H m s S and literals only (got "${compiled.letter}" in "${timeFormat}")`);
		}
	}

	const job: DiJob = {
		reader: {
			datasource: readerDatasource,
			table,
			partitions: partitions(reader.parameter.partition),
			column: stringList(reader.parameter.column, 'odps reader: "column"'),
		},
		writer: {
			logstore,
			topic: text(w.topic) ?? '',
			source: text(w.source) ?? '',
			batchSize: batchSize(w.batchSize),
			column: stringList(w.column, 'loghub writer: "column"'),
		},
	};
	const optional = {datasource, endpoint, accessId: text(w.accessId) ?? text(w.accessKeyId), accessKey: text(w.accessKey) ?? text(w.accessKeySecret), project: text(w.project), time, timeFormat};
	for (const [key, value] of Object.entries(optional)) {
		if (value !== undefined && value !== '') {
			(job.writer as Record<string, unknown>)[key] = value;
		}
	}

	const limit = errorLimit(setting);
	if (limit !== undefined) {
		job.errorLimitRecord = limit;
	}

	return job;
}

/** DataWorks scheduling parameters in the job text: `${bizdate}` and the names given in NodeParams. */
export function substituteParameters(taskContent: string, parameters: Record<string, string>): string {
	return taskContent.replaceAll(/\$\{(\w+)\}/g, (whole, name: string) => parameters[name] ?? whole);
}
