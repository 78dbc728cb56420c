/** The verify step: MaxCompute and Log Service side by side, partition by partition in one report. */
import {verifyStep, type QueryPair} from '../../source/kit.js';
import {checkPlan, exportedPartition, exportPartitions, partitionOf, perPartition} from './derived.js';
import {logString} from './log-strings.js';
import {settings, type Context} from './procedure.js';
import {partitionWindow} from './time-window.js';
import {logCheckPairs, sampleLogsQuery, type LogCheckPlan} from './verification.js';

type Window = {from: number; to: number; topic: string};

/** Each partition's rows against the logs of the topic in that partition's time window, every check in one report (rerun: safe). */
export async function verifyLogs(context: Context): Promise<void> {
	const {maxcompute, logService} = context.clients;
	const shape = context.outputOf('preflight', 'shape');
	const topic = context.answers.topic ?? '';
	const checked: Array<{plan: LogCheckPlan; window: Window; pairs: QueryPair[]}> = [];
	if (perPartition(context)) {
		const {column} = partitionOf(context);
		for (const partition of exportPartitions(context)) {
			const plan = checkPlan(context, partition.value);
			// Ids and titles name the partition: one report holds every partition's checks.
			const pairs = logCheckPairs(plan).map(pair => ({...pair, id: `${pair.id}:${partition.value}`, title: pair.title.includes(`${column}=${partition.value}`) ? pair.title : `${pair.title} (${column}=${partition.value})`}));
			checked.push({plan, window: {...partition.window, topic}, pairs});
		}
	} else {
		const plan = checkPlan(context);
		const partition = exportedPartition(context);
		// A scheduled instance read another partition than the one preflight sampled: its window comes from its own rows.
		const own = partition.value === partitionOf(context).value ? shape.window : await partitionWindow(context, shape.job_shape, partition);
		checked.push({plan, window: {...own, topic}, pairs: logCheckPairs(plan)});
	}

	const byId = new Map(checked.flatMap(entry => entry.pairs.map(pair => [pair.id, entry] as const)));
	const isSample = (pair: QueryPair) => pair.id === 'sample' || pair.id.startsWith('sample:');
	const project = context.answers.logProject;
	const logstore = context.answers.logstore;
	await verifyStep(context, {
		pairs: checked.flatMap(entry => entry.pairs),
		async source(pair, signal) {
			const {plan} = byId.get(pair.id)!;
			const result = await maxcompute.runSql(`${pair.source};`, {settings, signal});
			if (!isSample(pair)) {
				return {columns: result.columns.map(name => ({name})), rows: result.rows};
			}

			return {columns: plan.columns.map(column => ({name: column.name.toLowerCase()})), rows: result.rows.map(row => plan.columns.map((column, index) => logString(column.type, row[index])))};
		},
		async target(pair, signal) {
			const {plan, window} = byId.get(pair.id)!;
			if (!isSample(pair)) {
				const result = await logService.getLogs(project, logstore, {...window, query: pair.target, signal});
				const columns = Object.keys(result.logs[0] ?? {}).filter(key => !key.startsWith('__'));
				return {columns: columns.map(name => ({name})), rows: result.logs.map(log => columns.map(name => log[name] ?? null))};
			}

			const sample = (await maxcompute.runSql(`${pair.source};`, {settings, signal})).rows.map(row => plan.columns.map((column, index) => logString(column.type, row[index])));
			const wanted = new Set(sample.map(values => JSON.stringify(values)));
			const query = sampleLogsQuery(plan, sample);
			const logs = query === undefined ? [] : (await logService.getLogs(project, logstore, {...window, query, signal})).logs;
			const matching = logs.map(log => plan.columns.map(column => log[column.name] ?? '')).filter(values => wanted.has(JSON.stringify(values)));
			return {columns: plan.columns.map(column => ({name: column.name.toLowerCase()})), rows: matching};
		},
	});
}
