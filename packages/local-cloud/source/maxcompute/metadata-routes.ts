/**
 * The MaxCompute stand-in's read-only REST resources besides a single instance: the table list, a table (schema),
 * its partitions, the instance list, and which sub-resource of an instance a GET asks for. A query parameter the
 * resource does not take is refused with the service's error (ODPS-0420061, "Invalid parameter in HTTP request",
 * HTTP 400, per the "API errors (ODPS-04CCCCX)" page) instead of being answered with another resource's document.
 */
import type {MaxComputeEngine, PartitionStatistics, TableDefinition} from './engine-contract.js';
import type {InstanceRecord} from './instance-store.js';
import {instanceStatus} from './instance-store.js';
import {
	instancesXml,
	parsePartitionFilter,
	partitionsXml,
	partitionSpecText,
	readPaging,
	tablesXml,
	tableXml,
	takePage,
} from './rest-documents.js';

export type RestAnswer = {status: number; body: string; contentType: string};
export type RestError = {status: number; code: string; message: string};

/** Parameters every resource accepts: the SDKs send them on each call. */
const common = ['curr_project', 'curr_schema'];

export function invalidParameter(message: string): RestError {
	return {status: 400, code: 'InvalidParameter', message: `ODPS-0420061:Invalid parameter in HTTP request - ${message}`};
}

function tableNotFound(project: string, table: string): RestError {
	return {status: 404, code: 'NoSuchObject', message: `ODPS-0420111:Object not found - table '${project}.${table}' does not exist`};
}

/** The first parameter outside `allowed`, as an error; undefined when all are known. */
export function unknownParameter(query: URLSearchParams, allowed: readonly string[]): RestError | undefined {
	for (const key of query.keys()) {
		if (!common.includes(key) && !allowed.includes(key)) {
			return invalidParameter(`'${key}' is not a parameter or sub-resource of this resource`);
		}
	}

	return undefined;
}

function xml(body: string): RestAnswer {
	return {status: 200, body, contentType: 'application/xml'};
}

export type TableContext = {engine: MaxComputeEngine; project: string; owner: string};

/** `GET /projects/{p}/tables` with `name` (prefix), `owner`, `type`, `extended`, `expectmarker`, `marker`, `maxitems`. */
export async function listTables(context: TableContext, query: URLSearchParams): Promise<RestAnswer | RestError> {
	const refused = unknownParameter(query, ['expectmarker', 'marker', 'maxitems', 'name', 'owner', 'type', 'extended']);
	if (refused) {
		return refused;
	}

	const paging = readPaging(query);
	if (typeof paging === 'string') {
		return invalidParameter(paging);
	}

	const prefix = (query.get('name') ?? '').toLowerCase();
	const owner = query.get('owner');
	const type = query.get('type');
	const tables = (await context.engine.metadata?.listTables() ?? []).filter(definition =>
		definition.name.startsWith(prefix)
		&& (!owner || owner === context.owner)
		&& (!type || type.toUpperCase() === 'MANAGED_TABLE'));
	const page = takePage(tables, definition => definition.name, paging);
	return xml(tablesXml(page, paging, query.get('expectmarker') === 'true', context.owner));
}

/** `GET /projects/{p}/tables/{t}` (also `?extended`), or its partitions with `?partitions`. */
export async function getTable(context: TableContext, name: string, query: URLSearchParams): Promise<RestAnswer | RestError> {
	const table = name.toLowerCase();
	if (query.has('partitions')) {
		return listPartitions(context, table, query);
	}

	const refused = unknownParameter(query, ['extended']);
	if (refused) {
		return refused;
	}

	const statistics = await context.engine.metadata?.describeTable(table);
	return statistics ? xml(tableXml(statistics, context.project, context.owner)) : tableNotFound(context.project, table);
}

function matchesFilter(partition: PartitionStatistics, filter: Array<{name: string; value: string}>): boolean {
	return filter.every(({name, value}) => partition.values.some(entry => entry.name === name && entry.value === value));
}

async function listPartitions(context: TableContext, table: string, query: URLSearchParams): Promise<RestAnswer | RestError> {
	const refused = unknownParameter(query, ['partitions', 'expectmarker', 'marker', 'maxitems', 'partition', 'reverse', 'name']);
	if (refused) {
		return refused;
	}

	const paging = readPaging(query);
	if (typeof paging === 'string') {
		return invalidParameter(paging);
	}

	const rawFilter = query.get('partition');
	const filter = rawFilter ? parsePartitionFilter(rawFilter) : [];
	if (!filter) {
		return invalidParameter(`the partition spec '${rawFilter ?? ''}' is malformed`);
	}

	const statistics = await context.engine.metadata?.describeTable(table);
	const partitions = await context.engine.metadata?.listPartitions(table);
	if (!statistics || !partitions) {
		return tableNotFound(context.project, table);
	}

	const definition: TableDefinition = statistics.definition;
	const keys = new Set(definition.partitionColumns.map(column => column.name));
	const unknown = filter.find(entry => !keys.has(entry.name));
	if (unknown) {
		return invalidParameter(`'${unknown.name}' is not a partition column of ${context.project}.${table}`);
	}

	const page = takePage(partitions.filter(partition => matchesFilter(partition, filter)), partitionSpecText, paging, query.has('reverse'));
	return xml(partitionsXml(page, paging, query.get('expectmarker') === 'true', definition, query.has('name')));
}

const instanceStatuses = new Set(['Running', 'Suspended', 'Terminated']);

function dateRange(text: string): [number, number] | undefined {
	const match = /^(\d*):(\d*)$/.exec(text);
	if (!match) {
		return undefined;
	}

	return [match[1] ? Number(match[1]) * 1000 : Number.NEGATIVE_INFINITY, match[2] ? Number(match[2]) * 1000 : Number.POSITIVE_INFINITY];
}

/** `GET /projects/{p}/instances` with `status`, `onlyowner`, `daterange` (epoch seconds `from:to`), `jobname`, paging. */
export function listInstances(records: InstanceRecord[], query: URLSearchParams): RestAnswer | RestError {
	const refused = unknownParameter(query, ['status', 'onlyowner', 'daterange', 'jobname', 'marker', 'maxitems', 'quotaIndex', 'quotaindex']);
	if (refused) {
		return refused;
	}

	const paging = readPaging(query);
	if (typeof paging === 'string') {
		return invalidParameter(paging);
	}

	const status = query.get('status');
	if (status !== null && !instanceStatuses.has(status)) {
		return invalidParameter(`status must be Running, Suspended or Terminated, got '${status}'`);
	}

	const onlyOwner = query.get('onlyowner');
	if (onlyOwner !== null && onlyOwner !== 'yes' && onlyOwner !== 'no') {
		return invalidParameter(`onlyowner must be yes or no, got '${onlyOwner}'`);
	}

	const range = query.has('daterange') ? dateRange(query.get('daterange') ?? '') : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as [number, number];
	if (!range) {
		return invalidParameter(`daterange must be <from>:<to> in epoch seconds, got '${query.get('daterange') ?? ''}'`);
	}

	// Jobs submitted here carry no job name, so a jobname filter matches none of them.
	const jobName = query.get('jobname');
	const matching = records.filter(record => {
		const created = Date.parse(record.createdAt);
		return (!status || instanceStatus(record) === status) && created >= range[0] && created <= range[1] && !jobName;
	});
	return xml(instancesXml(takePage(matching, record => record.id, paging), paging));
}

export type InstanceView = 'status' | 'result' | 'taskstatus' | 'instancesummary' | 'instanceprogress';

/** Which document a GET on one instance asks for; `taskname` must name its task for the per-task views. */
export function instanceView(query: URLSearchParams, taskName: string): InstanceView | RestError {
	const refused = unknownParameter(query, ['result', 'taskstatus', 'instancesummary', 'instanceprogress', 'taskname']);
	if (refused) {
		return refused;
	}

	const views = (['result', 'taskstatus', 'instancesummary', 'instanceprogress'] as const).filter(view => query.has(view));
	if (views.length > 1) {
		return invalidParameter(`only one of ${views.join(', ')} can be asked for at a time`);
	}

	const view = views[0] ?? 'status';
	if (view === 'instancesummary' || view === 'instanceprogress') {
		const asked = query.get('taskname') || query.get('instanceprogress');
		if (!asked) {
			return {status: 400, code: 'InvalidParameter', message: 'ODPS-0420041:Missing parameter in HTTP request - taskname'};
		}

		if (asked !== taskName) {
			return {status: 404, code: 'NoSuchObject', message: `ODPS-0420111:Object not found - task '${asked}' is not a task of this instance`};
		}
	}

	return view;
}
