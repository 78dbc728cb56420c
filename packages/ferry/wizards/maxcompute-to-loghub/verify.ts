/** The verify step: MaxCompute and Log Service side by side. */
import {verifyStep} from '../../source/kit.js';
import {checkPlan, exportedPartition, partitionOf} from './derived.js';
import {logString} from './log-strings.js';
import {settings, type Context} from './procedure.js';
import {partitionWindow} from './time-window.js';
import {logCheckPairs, sampleSize} from './verification.js';

/** The partition's rows against the logs of the topic in the data's time window (rerun: safe). */
export async function verifyLogs(context: Context): Promise<void> {
	const {maxcompute, logService} = context.clients;
	const shape = context.outputOf('preflight', 'shape');
	const plan = checkPlan(context);
	const partition = exportedPartition(context);
	// A scheduled instance read another partition than the one preflight sampled: its window comes from its own rows.
	const own = partition.value === partitionOf(context).value ? shape.window : await partitionWindow(context, shape.job_shape, partition);
	const window = {from: own.from, to: own.to, topic: context.answers.topic ?? ''};
	const project = context.answers.logProject;
	const logstore = context.answers.logstore;
	await verifyStep(context, {
		pairs: logCheckPairs(plan),
		async source(pair, signal) {
			const result = await maxcompute.runSql(`${pair.source};`, {settings, signal});
			if (pair.id !== 'sample') {
				return {columns: result.columns.map(name => ({name})), rows: result.rows};
			}

			return {columns: plan.columns.map(column => ({name: column.name.toLowerCase()})), rows: result.rows.map(row => plan.columns.map((column, index) => logString(column.type, row[index])))};
		},
		async target(pair, signal) {
			if (pair.id !== 'sample') {
				const result = await logService.getLogs(project, logstore, {...window, query: pair.target, signal});
				const columns = Object.keys(result.logs[0] ?? {}).filter(key => !key.startsWith('__'));
				return {columns: columns.map(name => ({name})), rows: result.logs.map(log => columns.map(name => log[name] ?? null))};
			}

			const sample = await maxcompute.runSql(`${pair.source};`, {settings, signal});
			const wanted = new Set(sample.rows.map(row => JSON.stringify(plan.columns.map((column, index) => logString(column.type, row[index])))));
			const matching = [];
			for (let offset = 0; matching.length < sampleSize * 2; offset += 100) {
				const page = await logService.getLogs(project, logstore, {...window, query: '*', line: 100, offset, signal});
				for (const log of page.logs) {
					const values = plan.columns.map(column => log[column.name] ?? '');
					if (wanted.has(JSON.stringify(values))) {
						matching.push(values);
					}
				}

				if (page.logs.length < 100) {
					break;
				}
			}

			return {columns: plan.columns.map(column => ({name: column.name.toLowerCase()})), rows: matching};
		},
	});
}
