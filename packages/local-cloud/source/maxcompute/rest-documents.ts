/**
 * The documents the MaxCompute stand-in answers for listings and metadata, in the shapes the vendor SDKs parse:
 * pyodps `odps/models/{tables,table,partitions,partition,instances,instance}.py` and aliyun-odps-java-sdk
 * `Table.java`/`Partition.java`/`Instances.java`/`Instance.java`. Lists page with an opaque `Marker` and `MaxItems`;
 * table times in XML are RFC 1123, partition times and the times inside the table's JSON `Schema` are epoch seconds.
 */
import {createHash} from 'node:crypto';
import type {PartitionStatistics, TableDefinition, TableStatistics} from './engine-contract.js';
import {instanceStatus, type InstanceRecord} from './instance-store.js';

export const xmlHeader = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** The page size when a list call names none (verify against the service; the SDKs send none for tables). */
export const defaultMaxItems = 100;
export const largestMaxItems = 1000;

export function xmlEscape(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function cdata(text: string): string {
	return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export function httpDate(date: Date | string | undefined): string {
	return date === undefined ? '' : new Date(date).toUTCString();
}

function epochSeconds(date: Date): number {
	return Math.floor(date.getTime() / 1000);
}

/** A marker is the last key of the page, Base64url so it survives any URL encoding and signing unchanged. */
export function encodeMarker(key: string): string {
	return Buffer.from(key, 'utf8').toString('base64url');
}

export type Paging = {after: string | undefined; maxItems: number};

/** `marker` and `maxitems` from a list call; a message for an invalid one. */
export function readPaging(query: URLSearchParams): Paging | string {
	const rawMax = query.get('maxitems');
	const maxItems = rawMax === null || rawMax === '' ? defaultMaxItems : Number(rawMax);
	if (!Number.isInteger(maxItems) || maxItems <= 0) {
		return `maxitems must be a positive integer, got '${rawMax ?? ''}'`;
	}

	const marker = query.get('marker');
	if (!marker) {
		return {after: undefined, maxItems: Math.min(maxItems, largestMaxItems)};
	}

	if (!/^[\w-]+$/.test(marker)) {
		return `the marker '${marker}' was not issued by this service`;
	}

	return {after: Buffer.from(marker, 'base64url').toString('utf8'), maxItems: Math.min(maxItems, largestMaxItems)};
}

export type Page<T> = {items: T[]; nextMarker: string};

/** Items after the marker's key, in key order; an empty next marker means the last page. */
export function takePage<T>(items: T[], key: (item: T) => string, paging: Paging, reverse = false): Page<T> {
	const sorted = [...items].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0));
	if (reverse) {
		sorted.reverse();
	}

	const after = paging.after;
	const rest = after === undefined ? sorted : sorted.filter(item => (reverse ? key(item) < after : key(item) > after));
	const pageItems = rest.slice(0, paging.maxItems);
	const last = pageItems.at(-1);
	return {items: pageItems, nextMarker: rest.length > pageItems.length && last !== undefined ? encodeMarker(key(last)) : ''};
}

/**
 * `<Marker>` and `<MaxItems>`: with `expectmarker=true` the marker is always present (empty on the last page), which
 * is what the SDKs' loops stop on; without it only a page that has a successor carries one.
 */
function pagingXml(page: Page<unknown>, paging: Paging, expectMarker: boolean): string {
	const marker = expectMarker || page.nextMarker ? `<Marker>${page.nextMarker}</Marker>` : '';
	return `${marker}<MaxItems>${paging.maxItems}</MaxItems>`;
}

export function tableId(definition: TableDefinition): string {
	return createHash('md5').update(`${definition.name}\n${new Date(definition.createdAt).toISOString()}`).digest('hex');
}

function tableSummaryXml(definition: TableDefinition, owner: string): string {
	return [
		`<Name>${xmlEscape(definition.name)}</Name>`,
		`<TableId>${tableId(definition)}</TableId>`,
		`<Comment>${xmlEscape(definition.comment)}</Comment>`,
		`<Owner>${xmlEscape(owner)}</Owner>`,
		'<Type>MANAGED_TABLE</Type>',
		`<CreationTime>${httpDate(definition.createdAt)}</CreationTime>`,
		`<LastModifiedTime>${httpDate(definition.lastModifiedAt)}</LastModifiedTime>`,
	].join('');
}

export function tablesXml(page: Page<TableDefinition>, paging: Paging, expectMarker: boolean, owner: string): string {
	const tables = page.items.map(definition => `<Table>${tableSummaryXml(definition, owner)}</Table>`).join('');
	return `${xmlHeader}<Tables>${tables}${pagingXml(page, paging, expectMarker)}</Tables>`;
}

function columnJson(column: {name: string; type: string; comment: string}) {
	return {name: column.name, type: column.type, comment: column.comment, label: '', isNullable: true};
}

/** The JSON the service puts in `<Schema>`: table facts plus `columns` and `partitionKeys`. */
export function tableSchemaJson(statistics: TableStatistics, project: string, owner: string): string {
	const {definition} = statistics;
	return JSON.stringify({
		tableName: definition.name,
		projectName: project,
		owner,
		comment: definition.comment,
		createTime: epochSeconds(new Date(definition.createdAt)),
		lastDDLTime: epochSeconds(new Date(definition.lastDdlAt)),
		lastModifiedTime: epochSeconds(new Date(definition.lastModifiedAt)),
		lifecycle: definition.lifecycle ?? -1,
		isVirtualView: false,
		isExternal: false,
		recordNum: statistics.recordCount,
		columns: definition.columns.map(column => columnJson(column)),
		partitionKeys: definition.partitionColumns.map(column => columnJson(column)),
	});
}

export function tableXml(statistics: TableStatistics, project: string, owner: string): string {
	const schema = `<Schema>${cdata(tableSchemaJson(statistics, project, owner))}</Schema>`;
	return `${xmlHeader}<Table>${tableSummaryXml(statistics.definition, owner)}${schema}</Table>`;
}

export function partitionSpecText(partition: PartitionStatistics): string {
	return partition.values.map(({name, value}) => `${name}=${value}`).join('/');
}

/** `pt='a',region='b'` (the SDKs' PartitionSpec text) as ordered name/value pairs; undefined when malformed. */
export function parsePartitionFilter(text: string): Array<{name: string; value: string}> | undefined {
	const pairs: Array<{name: string; value: string}> = [];
	for (const part of text.split(/[,/]/)) {
		const match = /^\s*(\w+)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^'"]*?))\s*$/.exec(part);
		if (!match?.[1]) {
			return undefined;
		}

		pairs.push({name: match[1].toLowerCase(), value: match[2] ?? match[3] ?? match[4] ?? ''});
	}

	return pairs;
}

export function partitionsXml(page: Page<PartitionStatistics>, paging: Paging, expectMarker: boolean, definition: TableDefinition, namesOnly: boolean): string {
	const times = [definition.createdAt, definition.lastDdlAt, definition.lastModifiedAt].map(date => epochSeconds(new Date(date)));
	const partitions = page.items.map(partition => {
		if (namesOnly) {
			return `<Partition><Name>${xmlEscape(partitionSpecText(partition))}</Name></Partition>`;
		}

		const columns = partition.values.map(({name, value}) => `<Column Name="${xmlEscape(name)}" Value="${xmlEscape(value)}"/>`).join('');
		return `<Partition>${columns}<CreationTime>${times[0]}</CreationTime><LastDDLTime>${times[1]}</LastDDLTime><LastModifiedTime>${times[2]}</LastModifiedTime><PartitionRecordCount>${partition.recordCount}</PartitionRecordCount></Partition>`;
	}).join('');
	return `${xmlHeader}<Partitions>${partitions}${pagingXml(page, paging, expectMarker)}</Partitions>`;
}

export function taskXml(record: InstanceRecord, inner = ''): string {
	return `<Tasks><Task Type="SQL"><Name>${xmlEscape(record.taskName)}</Name>${inner}<Status>${record.taskState}</Status></Task></Tasks>`;
}

export function instancesXml(page: Page<InstanceRecord>, paging: Paging): string {
	const instances = page.items.map(record => [
		'<Instance>',
		`<Name>${record.id}</Name>`,
		`<Owner>${xmlEscape(record.owner)}</Owner>`,
		`<StartTime>${httpDate(record.createdAt)}</StartTime>`,
		`<EndTime>${httpDate(record.endedAt)}</EndTime>`,
		`<Status>${instanceStatus(record)}</Status>`,
		taskXml(record, `<StartTime>${httpDate(record.startedAt)}</StartTime><EndTime>${httpDate(record.endedAt)}</EndTime>`),
		'</Instance>',
	].join('')).join('');
	return `${xmlHeader}<Instances>${instances}${pagingXml(page, paging, false)}</Instances>`;
}

const stageStatus: Record<InstanceRecord['taskState'], string> = {
	Waiting: 'READY',
	Running: 'RUNNING',
	Success: 'TERMINATED',
	Failed: 'FAILED',
	Cancelled: 'CANCELLED',
};

/** `?instanceprogress`: one stage for the task once it has started (the local engine runs a statement as one step). */
export function progressXml(record: InstanceRecord): string {
	if (record.taskState === 'Waiting') {
		return `${xmlHeader}<Progress></Progress>`;
	}

	const done = record.taskState === 'Running' ? 0 : 1;
	const stage = [
		'<Stage ID="M1_job_0">',
		`<Status>${stageStatus[record.taskState]}</Status>`,
		'<BackupWorkers>0</BackupWorkers>',
		`<TerminatedWorkers>${done}</TerminatedWorkers>`,
		`<RunningWorkers>${1 - done}</RunningWorkers>`,
		'<TotalWorkers>1</TotalWorkers>',
		`<FinishedPercentage>${record.taskState === 'Success' ? 100 : 0}</FinishedPercentage>`,
		'</Stage>',
	].join('');
	return `${xmlHeader}<Progress>${stage}</Progress>`;
}

/** `?instancesummary`: JSON `{Instance: {JsonSummary, Summary}}`, the summary text empty until the task has ended. */
export function summaryJson(record: InstanceRecord): string {
	const ended = record.endedAt !== undefined;
	const durationMs = ended && record.startedAt ? Math.max(0, Date.parse(record.endedAt!) - Date.parse(record.startedAt)) : 0;
	const summary = ended ? `Job run time: ${(durationMs / 1000).toFixed(3)}\nJob run mode: local engine\n` : '';
	return JSON.stringify({Instance: {JsonSummary: ended ? JSON.stringify({taskName: record.taskName, status: record.taskState, durationMs}) : '', Summary: summary}});
}
