/**
 * The DataWorks batch sync job (odps reader → LogHub writer) as script-mode JSON: built from the answers and the
 * table's schema in the 2.0 form CreateDISyncTask takes, or read from a file in the 2.0 form or the procedure's 1.0
 * form. Either way it is checked the same way before DataWorks sees it, with every problem named.
 */
export type JobShape = {
	reader: {datasource?: string; table: string; partition: string[]; column: string[]};
	writer: {datasource?: string; logstore: string; topic: string; batchSize: number; column: string[]; time?: string; timeFormat?: string};
	errorLimit: number;
};

export type JobAnswers = {
	odpsDataSource: string;
	loghubDataSource: string;
	table: string;
	partition: string;
	columns: string[];
	logstore: string;
	topic: string;
	batchSize: number;
	time?: string;
	timeFormat?: string;
};

/** The 2.0 script-mode job (`TaskContent`): data sources carry the keys, so none are in the job. */
export function buildJob(answers: JobAnswers): Record<string, unknown> {
	return {
		type: 'job',
		version: '2.0',
		steps: [
			{stepType: 'odps', category: 'reader', name: 'Reader', parameter: {datasource: answers.odpsDataSource, table: answers.table, partition: [answers.partition], column: answers.columns, isCompress: false}},
			{stepType: 'loghub', category: 'writer', name: 'Writer', parameter: {
				datasource: answers.loghubDataSource,
				logstore: answers.logstore,
				topic: answers.topic,
				batchSize: answers.batchSize,
				column: answers.columns,
				...(answers.time ? {time: answers.time, timeformat: answers.timeFormat} : {}),
			}},
		],
		setting: {errorLimit: {record: '0'}, speed: {throttle: false, concurrent: 1}},
		order: {hops: [{from: 'Reader', to: 'Writer'}]},
	};
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) && value.every(item => typeof item === 'string') ? value : typeof value === 'string' ? [value] : undefined);

/** The reader and writer parameters of a 2.0 (`steps`) or 1.0 (`configuration.reader/writer`) job. */
function parts(job: JsonObject): {reader?: JsonObject; readerType?: unknown; writer?: JsonObject; writerType?: unknown; setting?: JsonObject} {
	if (Array.isArray(job['steps'])) {
		const steps = job['steps'].filter(isObject);
		const reader = steps.find(step => step['category'] === 'reader');
		const writer = steps.find(step => step['category'] === 'writer');
		return {reader: isObject(reader?.['parameter']) ? reader['parameter'] : undefined, readerType: reader?.['stepType'], writer: isObject(writer?.['parameter']) ? writer['parameter'] : undefined, writerType: writer?.['stepType'], setting: isObject(job['setting']) ? job['setting'] : undefined};
	}

	const configuration = isObject(job['configuration']) ? job['configuration'] : {};
	const reader = isObject(configuration['reader']) ? configuration['reader'] : undefined;
	const writer = isObject(configuration['writer']) ? configuration['writer'] : undefined;
	return {reader: isObject(reader?.['parameter']) ? reader['parameter'] : undefined, readerType: reader?.['plugin'], writer: isObject(writer?.['parameter']) ? writer['parameter'] : undefined, writerType: writer?.['plugin'], setting: isObject(configuration['setting']) ? configuration['setting'] : undefined};
}

/** Checks a job the way the procedure describes it; returns its shape, or every problem found. */
export function checkJob(job: unknown): {shape: JobShape} | {problems: string[]} {
	if (!isObject(job)) {
		return {problems: ['the job is not a JSON object']};
	}

	const {reader, readerType, writer, writerType, setting} = parts(job);
	const problems: string[] = [];
	if (readerType !== 'odps' || !reader) {
		problems.push('the reader must be the odps plugin with parameters');
	}

	if (writerType !== 'loghub' || !writer) {
		problems.push('the writer must be the loghub plugin with parameters');
	}

	if (!reader || !writer) {
		return {problems};
	}

	const readerColumns = strings(reader['column']) ?? [];
	const writerColumns = strings(writer['column']) ?? [];
	const table = typeof reader['table'] === 'string' ? reader['table'] : '';
	const logstore = typeof writer['logstore'] === 'string' ? writer['logstore'] : '';
	const batchSize = Number(writer['batchSize'] ?? 1024);
	const time = typeof writer['time'] === 'string' && writer['time'] !== '' ? writer['time'] : undefined;
	const timeFormatValue = writer['timeformat'] ?? writer['timeFormat'];
	const timeFormat = typeof timeFormatValue === 'string' && timeFormatValue !== '' ? timeFormatValue : undefined;
	if (!table) {
		problems.push('reader.table is missing');
	}

	if (readerColumns.length === 0) {
		problems.push('reader.column lists no columns');
	}

	if (!logstore) {
		problems.push('writer.logstore is missing');
	}

	if (writerColumns.length === 0) {
		problems.push('writer.column lists no log keys');
	}

	if (!readerColumns.includes('*') && readerColumns.length > 0 && writerColumns.length > 0 && readerColumns.length !== writerColumns.length) {
		problems.push(`the reader reads ${readerColumns.length} columns but the writer names ${writerColumns.length} keys: every record would be dirty`);
	}

	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 4096) {
		problems.push(`writer.batchSize is ${String(writer['batchSize'])}; it must be a whole number from 1 to 4096`);
	}

	if (time && !timeFormat) {
		problems.push(`writer.time is ${time}, so writer.timeFormat is required`);
	}

	if (time && !writerColumns.includes(time)) {
		problems.push(`writer.time names ${time}, which is not among writer.column`);
	}

	const errorLimit = Number((isObject(setting?.['errorLimit']) ? setting['errorLimit']['record'] : undefined) ?? 0);
	if (problems.length > 0) {
		return {problems};
	}

	return {shape: {
		reader: {...(typeof reader['datasource'] === 'string' ? {datasource: reader['datasource']} : {}), table, partition: strings(reader['partition']) ?? [], column: readerColumns},
		writer: {...(typeof writer['datasource'] === 'string' ? {datasource: writer['datasource']} : {}), logstore, topic: typeof writer['topic'] === 'string' ? writer['topic'] : '', batchSize, column: writerColumns, ...(time ? {time, timeFormat} : {})},
		errorLimit: Number.isFinite(errorLimit) ? errorLimit : 0,
	}};
}
