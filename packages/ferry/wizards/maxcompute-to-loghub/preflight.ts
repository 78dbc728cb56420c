/** The preflight step: nothing changes before every check has passed. */
import {alibabaStsFor, count, findingLine, findingsKey, identityGate, PreflightError, ramFor, stepSummary} from '../../source/kit.js';
import {cycleOf, partitionOf, scheduled, workflowOf} from './derived.js';
import {parameterizedPartition, partitionParameter, refuseOverlappingWindows, resolveExportPartitions, type ExportPartition} from './export-partitions.js';
import {checkDataSourceKeys} from './identities.js';
import {buildJob, checkJob, type JobShape} from './job.js';
import type {Context} from './procedure.js';
import {checkTimes} from './time-window.js';
import {partitionCondition, type ExportedColumn} from './verification.js';
import {readFile} from 'node:fs/promises';

/** Who ferry is on the three services, the table and its partition, the workflow, the job, and the time column's values against the format and the retention. */
export async function runPreflight(context: Context<'preflight'>): Promise<void> {
	const {maxcompute, logService, dataworks} = context.clients;
	const [who, projects, workspace] = await Promise.all([
		maxcompute.whoami({signal: context.signal}),
		logService.listProjects({signal: context.signal}),
		dataworks.getProject(context.answers.workspaceId, {signal: context.signal}),
	]);
	context.report(`MaxCompute: ${who.owner} · Log Service: ${projects.length} projects · DataWorks: ${workspace.name} (${workspace.mode} mode)`);
	const table = context.answers.maxcomputeTable;
	if (!(await maxcompute.tableExists(table, {signal: context.signal}))) {
		throw new PreflightError(`Table ${table} does not exist in ${maxcompute.project}`, {hint: 'Check --set maxcomputeTable and maxcomputeProject.'});
	}

	const described = await maxcompute.describeTable(table, {signal: context.signal});
	const {column: partitionColumn, value: partitionValue} = partitionOf(context);
	if (!described.some(column => column.partition && column.name.toLowerCase() === partitionColumn.toLowerCase())) {
		throw new PreflightError(`${table} has no partition column ${partitionColumn}`, {hint: `Its partition columns: ${described.filter(column => column.partition).map(column => column.name).join(', ') || 'none'}.`});
	}

	const wanted = (context.answers.columns ?? '').split(',').map(name => name.trim()).filter(Boolean);
	const dataColumns = described.filter(column => !column.partition);
	const unknown = wanted.filter(name => !dataColumns.some(column => column.name.toLowerCase() === name.toLowerCase()));
	if (unknown.length > 0) {
		throw new PreflightError(`${table} has no column ${unknown.join(', ')}`, {hint: `Its columns: ${dataColumns.map(column => column.name).join(', ')}.`});
	}

	const columns = (wanted.length > 0 ? wanted.map(name => dataColumns.find(column => column.name.toLowerCase() === name.toLowerCase())!) : dataColumns).map(column => ({name: column.name, type: column.type}));
	const resolved = await resolveExportPartitions(context, table, partitionColumn);
	const rows = resolved.reduce((sum, partition) => sum + partition.rows, 0);
	context.report(`${table} ${context.answers.partition}: ${rows.toLocaleString('en-US')} rows${resolved.length > 1 ? ` in ${resolved.length} partitions, one run of the task each` : ''}, ${columns.length} columns`);
	await checkKeys(context);
	if (scheduled(context)) {
		const cycle = cycleOf(context);
		context.report(`schedule: ${cycle.kind} (${cycle.cronExpress}, ${cycle.paraValue}); each instance reads ${cycle.partition}; ${partitionColumn}=${partitionValue} was checked as its pattern`);
	}

	await checkWorkflow(context);
	const {job, shape: jobShape} = await jobFor(context, columns, resolved.length > 1 ? partitionColumn : undefined);
	context.report('Note: the LogHub writer is not idempotent; running the job again writes every log again.');
	const partitions: ExportPartition[] = [];
	for (const partition of resolved) {
		partitions.push({...partition, window: await checkTimes(context, jobShape, table, partitionCondition({column: partitionColumn, value: partition.value}), partition.rows)});
	}

	refuseOverlappingWindows(partitionColumn, partitions);
	const window = {from: Math.min(...partitions.map(partition => partition.window.from)), to: Math.max(...partitions.map(partition => partition.window.to))};
	context.output('shape', {columns, rows, job, job_shape: jobShape, window, partitions, mode: workspace.mode, workspaceIdentifier: workspace.identifier});
	context.summary(stepSummary('3 services reachable', ...(partitions.length > 1 ? [count(partitions.length, 'partition')] : []), count(rows, 'row'), count(columns.length, 'column'), `${workspace.mode} workspace`));
}

/** The job: the user's file (checked), or one built from the answers and the table's columns. */
async function jobFor(context: Context, columns: readonly ExportedColumn[], perPartitionColumn?: string): Promise<{job: Record<string, unknown>; shape: JobShape}> {
	let job: unknown;
	const file = context.answers.job ?? '';
	if (file) {
		try {
			job = JSON.parse(await readFile(file, 'utf8'));
		} catch (error) {
			throw new PreflightError(`Cannot read the job file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {hint: 'Pass a script-mode job JSON with --set job=FILE.'});
		}
	} else {
		job = buildJob({
			odpsDataSource: context.answers.odpsDataSource,
			loghubDataSource: context.answers.loghubDataSource,
			table: context.answers.maxcomputeTable,
			partition: scheduled(context) ? cycleOf(context).partition : perPartitionColumn ? parameterizedPartition(perPartitionColumn) : context.answers.partition,
			columns: columns.map(column => column.name),
			logstore: context.answers.logstore,
			topic: context.answers.topic ?? '',
			batchSize: context.answers.batchSize,
			...(context.answers.time ? {time: context.answers.time, timeFormat: context.answers.timeFormat ?? ''} : {}),
		});
	}

	const checked = checkJob(job);
	if ('problems' in checked) {
		throw new PreflightError(`The job cannot run as it is:\n${checked.problems.map(problem => `- ${problem}`).join('\n')}`, {hint: file ? `Fix ${file}, then run again.` : 'Change the answers, then run again.'});
	}

	if (file && scheduled(context) && !checked.shape.reader.partition.some(spec => spec.includes(cycleOf(context).partition.slice(cycleOf(context).partition.indexOf('=') + 1)))) {
		throw new PreflightError(`A scheduled job must read each instance's partition, ${cycleOf(context).partition}, but ${file} reads ${checked.shape.reader.partition.join(', ') || 'no partition'}`, {hint: `Set the reader's partition to ${cycleOf(context).partition} in ${file}, or use --set mode=once.`});
	}

	if (file && perPartitionColumn && !checked.shape.reader.partition.includes(parameterizedPartition(perPartitionColumn))) {
		throw new PreflightError(`The partition ${context.answers.partition} is exported one run per partition, so the job must read ${parameterizedPartition(perPartitionColumn)}, but ${file} reads ${checked.shape.reader.partition.join(', ') || 'no partition'}`, {hint: `Set the reader's partition to ["${parameterizedPartition(perPartitionColumn)}"] in ${file} (each run sets ${partitionParameter}), or name one partition.`});
	}

	return {job: job as Record<string, unknown>, shape: checked.shape};
}

/**
 * Preflight: the task's workflow is missing (the task step creates it) or of the kind the mode needs. A task in an
 * auto-triggered workflow deployed for a run once would be scheduled daily; one in a manually triggered workflow is
 * never scheduled.
 */
async function checkWorkflow(context: Context): Promise<void> {
	const workflow = workflowOf(context);
	if (!workflow.name) {
		throw new PreflightError(`The workflow folder "${context.answers.folderPath}" names no workflow`, {hint: 'Pass --set folderPath="Workflow/<workflow>/Data Integration".'});
	}

	const existing = await context.clients.dataworks.findBusiness({projectId: context.answers.workspaceId, name: workflow.name}, {signal: context.signal});
	if (existing && existing.useType !== workflow.useType) {
		throw new PreflightError(
			scheduled(context)
				? `The workflow ${workflow.name} is manually triggered: DataWorks never schedules its nodes`
				: `The workflow ${workflow.name} is auto-triggered: a task deployed in it would run every day, not once`,
			{hint: scheduled(context) ? 'Name an auto-triggered workflow in --set folderPath=…, or use --set mode=once.' : 'Name a manually triggered workflow (or a new one, which ferry creates) in --set folderPath="Workflow/<workflow>/Data Integration", or use --set mode=schedule.'},
		);
	}

	context.report(`workflow ${workflow.name}: ${workflow.kind}, ${existing ? 'exists' : 'created by the task step'}`);
}

/** The keys the data sources get may read the table and write the logstore (exit 4 with the fix when not). */
async function checkKeys(context: Context<'preflight'>): Promise<void> {
	const {profile, maxcompute, dataworks} = context.clients;
	const [ram, sts, keys] = await Promise.all([ramFor(profile, context.log), alibabaStsFor(profile, context.log), profile.alibaba.credentials.getCredentials()]);
	const findings = await checkDataSourceKeys({
		caller: await sts.getCallerIdentity({signal: context.signal}),
		accessKeyId: keys.accessKeyId,
		maxcompute,
		ram,
		dataworks,
		workspaceId: context.answers.workspaceId,
		table: context.answers.maxcomputeTable,
		region: profile.alibaba.region,
		logProject: context.answers.logProject,
		logstore: context.answers.logstore,
		dataSources: [context.answers.odpsDataSource, context.answers.loghubDataSource],
	}, context.signal);
	for (const finding of findings) {
		context.report(findingLine(finding));
	}

	context.output(findingsKey, findings);
	const gate = identityGate(findings, 'no', context.mode);
	if (!gate.ok) {
		throw new PreflightError(gate.message, {hint: gate.hint});
	}
}
