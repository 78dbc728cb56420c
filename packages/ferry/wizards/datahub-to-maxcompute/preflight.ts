/** The preflight step: nothing changes before every check has passed. */
import {topicsPerProjectLimit} from '../../source/clouds/datahub/limits.js';
import {maxComputeColumnName} from '../../source/clouds/maxcompute/names.js';
import {count, createIdentitiesAnswer, findingLine, findingsKey, identityGate, PreflightError, stepSummary} from '../../source/kit.js';
import {checkConnectorGrants, connectorAccount} from './identities.js';
import {recordSource} from './derived.js';
import {deniedPermission, permissionDenied, permissionProbes, probePermissions} from './permissions.js';
import type {Context} from './procedure.js';
import {checkRecords} from './records.js';
import {partitionValue} from './time.js';
import {fieldTypeFor, topicFieldsFor, type ColumnMapping, type TableColumn} from './type-mapping.js';
import {eventTimeField} from './verification.js';

/** Who ferry is on both services, their region, the table (or the columns of the one to create), its permissions, the room for a topic, and the records. */
export async function runPreflight(context: Context<'preflight'>): Promise<void> {
	const {datahub, maxcompute} = context.clients;
	const [projects, who] = await Promise.all([datahub.listProjects({signal: context.signal}), maxcompute.whoami({signal: context.signal})]);
	context.report(`DataHub: ${projects.length} projects visible · MaxCompute: ${who.owner}`);
	const dataHubRegion = regionOf(datahub.endpoint, /dh-([a-z0-9-]+?)(?:-int-vpc)?\.aliyun/);
	const maxComputeRegion = regionOf(maxcompute.endpoint, /service\.([a-z0-9-]+?)(?:-vpc)?\.maxcompute/);
	if (dataHubRegion && maxComputeRegion && dataHubRegion !== maxComputeRegion) {
		throw new PreflightError(`DataHub is in ${dataHubRegion} but the MaxCompute endpoint is in ${maxComputeRegion}`, {hint: 'A DataConnector writes to a MaxCompute project in its own region; use endpoints of one region.'});
	}

	const table = context.answers.maxcomputeTable;
	const partitionColumn = context.answers.partitionColumn;
	const account = await connectorAccount(context.clients.profile, context.answers, context.secret('connectorAccessKeySecret'), context.log, context.signal);
	let tableExists: boolean;
	let described: Awaited<ReturnType<typeof maxcompute.describeTable>> = [];
	try {
		tableExists = await maxcompute.tableExists(table, {signal: context.signal});
		described = tableExists ? await maxcompute.describeTable(table, {signal: context.signal}) : [];
	} catch (error) {
		const denied = deniedPermission(error);
		throw denied ? permissionDenied(who.owner, maxcompute.project, table, denied === 'odps:(unnamed)' ? 'odps:Describe' : denied) : error;
	}

	const grants = await checkConnectorGrants(account, maxcompute, table, !tableExists, context.signal);
	context.report(findingLine(grants));
	context.output(findingsKey, [grants]);
	const gate = identityGate([grants], createIdentitiesAnswer(context.answers), context.mode);
	if (!gate.ok) {
		throw new PreflightError(gate.message, {hint: gate.hint});
	}

	let columns: TableColumn[];
	if (tableExists) {
		const partitions = described.filter(column => column.partition);
		if (!partitions.some(column => column.name.toLowerCase() === partitionColumn.toLowerCase())) {
			throw new PreflightError(`Table ${table} is not partitioned by ${partitionColumn} (its partition columns: ${partitions.map(column => column.name).join(', ') || 'none'})`, {hint: 'Set partitionColumn to the table\'s partition column, or choose another table.'});
		}

		columns = described.filter(column => !column.partition).map(column => ({name: column.name, type: column.type}));
		context.report(`table ${table} exists: ${columns.length} columns, partitioned by ${partitionColumn}`);
		if (account.self) {
			// The connector writes with the profile's keys (connectorConfig): probe what this client may do.
			const firstValue = context.answers.partitionMode === 'SYSTEM_TIME' ? partitionValue(Date.now(), (context.answers.partitionFormat ?? ''), context.answers.timeRange!, context.answers.timeZone) : undefined;
			const probed = await probePermissions(maxcompute, permissionProbes(table, columns.map(column => column.name), {column: partitionColumn, ...(firstValue === undefined ? {} : {firstValue})}), {account: who.owner, table}, context.signal);
			context.report(`the connector's account ${who.owner}: CreateInstance, ${probed.checked.join(', ')} allowed${probed.unchecked.map(item => ` · ${item.permission} not checked (${item.why})`).join('')}${firstValue === undefined ? ' · Alter not checked (the first partition is known only from the records)' : ''}`);
		}
	} else {
		columns = parseColumnList(context.answers.tableColumns);
		context.report(`table ${table} will be created: ${columns.map(column => `${column.name} ${column.type}`).join(', ')}`);
	}

	if (context.answers.partitionMode === 'EVENT_TIME' && !columns.some(column => column.name.toLowerCase() === eventTimeField && JSON.stringify(fieldTypeFor(column.type)) === JSON.stringify({fieldType: 'TIMESTAMP'}))) {
		throw new PreflightError(`EVENT_TIME partitions by a DATETIME column named ${eventTimeField}, which ${table} does not have`, {hint: `Add \`${eventTimeField} datetime\` to the table (or to --set tableColumns=…), or use --set partitionMode=SYSTEM_TIME.`});
	}

	const fields = fieldsFor(context, columns);
	const project = context.answers.datahubProject;
	const topics = projects.includes(project) ? await datahub.listTopics(project, {signal: context.signal}) : [];
	if (!topics.includes(context.answers.datahubTopic) && topics.length >= topicsPerProjectLimit) {
		throw new PreflightError(`DataHub project ${project} already has ${topics.length} topics, DataHub's limit of ${topicsPerProjectLimit} per project`, {hint: 'Use an existing topic, another project, or ask Alibaba Cloud to raise the limit.'});
	}

	const records = await checkRecords(recordSource(context), fields);
	context.report(`${records.toLocaleString('en-US')} records to write (${context.answers.input || 'generated log records'})`);
	context.output('shape', {tableExists, columns, fields, records});
	context.summary(stepSummary('2 services reachable', `table ${tableExists ? 'exists' : 'to create'}`, count(fields.length, 'field'), `${count(records, 'record')} to write`));
}

/** `f1 string, amount decimal(10,2)` → columns; commas inside parentheses belong to the type. */
export function parseColumnList(text: string): TableColumn[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of text) {
		depth += char === '(' || char === '<' ? 1 : char === ')' || char === '>' ? -1 : 0;
		if (char === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else {
			current += char;
		}
	}

	parts.push(current);
	return parts.map(part => part.trim()).filter(Boolean).map(part => {
		const match = /^`?([A-Za-z_]\w*)`?\s+(.+)$/s.exec(part);
		if (!match) {
			throw new PreflightError(`Cannot read the column ${JSON.stringify(part)} in tableColumns`, {hint: 'Write columns as in CREATE TABLE: "f1 string, f2 string, f3 double".'});
		}

		const problem = maxComputeColumnName(match[1]!);
		if (problem) {
			throw new PreflightError(`Cannot create the column ${match[1]!} of tableColumns: ${problem}`, {hint: 'Rename the column in --set tableColumns=…; nothing has been created.'});
		}

		return {name: match[1]!, type: match[2]!.trim().toLowerCase()};
	});
}

/** The topic's fields: the table's columns, plus the partition column as a field when records carry it (USER_DEFINE). */
function fieldsFor(context: Context, columns: readonly TableColumn[]): ColumnMapping[] {
	const withPartition = context.answers.partitionMode === 'USER_DEFINE' ? [...columns, {name: context.answers.partitionColumn, type: 'string'}] : columns;
	const {mappings, problems} = topicFieldsFor(withPartition);
	if (problems.length > 0) {
		throw new PreflightError(`The table cannot be synced from a DataHub topic: ${problems.join('; ')}`, {hint: 'Use a table with flat columns only, each named as a DataHub field may be (a letter first, then letters, digits and _; not system_time), or another table.'});
	}

	return mappings;
}

function regionOf(endpoint: string | undefined, pattern: RegExp): string | undefined {
	return endpoint ? pattern.exec(endpoint)?.[1] : undefined;
}
