/** The plan review step. */
import {identityReviewSections, type ReviewDocument} from '../../source/kit.js';
import {checkPlan, cycleOf, exportPartitions, partitionOf, perPartition, scheduled, workflowOf} from './derived.js';
import {partitionParameter} from './export-partitions.js';
import type {Context} from './procedure.js';
import {manualBizDate} from './run-instance.js';
import {logCheckPairs} from './verification.js';

/** The plan: the Log Service objects, the data sources, the job and how it runs, and the checks. */
export async function reviewPlan(context: Context): Promise<ReviewDocument> {
	const shape = context.outputOf('preflight', 'shape');
	if (perPartition(context)) {
		return perPartitionPlan(context);
	}

	return {
		title: `Plan: MaxCompute ${context.answers.maxcomputeProject}.${context.answers.maxcomputeTable} (${context.answers.partition}) → Log Service ${context.answers.logProject}/${context.answers.logstore}`,
		sections: [
			...identityReviewSections(context.outputs.preflight?.identities ?? []),
			{title: `1. Log Service: project ${context.answers.logProject}, logstore ${context.answers.logstore} (${context.answers.logTtlDays} days) and an index on every key, each kept if it exists`},
			{title: `2. DataWorks data sources ${context.answers.odpsDataSource} (odps) and ${context.answers.loghubDataSource} (loghub), kept if they exist; the keys live in them, not in the job`},
			{title: `3. The ${workflowOf(context).kind} workflow ${workflowOf(context).name} (created if missing), CreateDISyncTask ${context.answers.taskName} in ${context.answers.folderPath} on ${context.answers.resourceGroup}, then SubmitFile${shape.mode === 'standard' ? ' and DeployFile' : ''}`, code: JSON.stringify(shape.job, undefined, 2), language: 'json'},
			scheduled(context)
				? {title: `4. UpdateFile before the submit: ${cycleOf(context).cycleType} cycle ${cycleOf(context).cronExpress}, ParaValue ${cycleOf(context).paraValue}, no automatic rerun, instances from the day of deployment; then watch the first scheduled instance and its DI log`, warnings: ['The scheduler then runs the task every cycle until it is stopped in DataWorks.', 'A rerun of an instance writes its logs again: Log Service keeps both copies.']}
				: {title: `4. RunManualDagNodes: the workflow ${workflowOf(context).name} runs the task once, for business date ${manualBizDate(partitionOf(context).value)}; then watch the instance and its DI log (${shape.rows.toLocaleString('en-US')} rows). The task is never scheduled.`, warnings: ['A rerun of the job writes every log again: Log Service keeps both copies.']},
			{title: `5. Verify: the partition against the logs of topic "${context.answers.topic ?? ''}" between ${new Date(shape.window.from * 1000).toISOString()} and ${new Date(shape.window.to * 1000).toISOString()}`, code: logCheckPairs(checkPlan(context)).map(pair => `-- ${pair.title}\n${pair.source};\n-- Log Service: ${pair.target}`).join('\n\n'), language: 'sql'},
		],
	};
}

/**
 * The plan of many partitions: the same objects, then one run of the task per partition (its NodeParameters set the
 * partition), each watched and checkpointed on its own, and each partition verified against its own window.
 */
function perPartitionPlan(context: Context): ReviewDocument {
	const shape = context.outputOf('preflight', 'shape');
	const {column} = partitionOf(context);
	const partitions = exportPartitions(context);
	const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
	return {
		title: `Plan: MaxCompute ${context.answers.maxcomputeProject}.${context.answers.maxcomputeTable} (${context.answers.partition}: ${partitions.length} partitions) → Log Service ${context.answers.logProject}/${context.answers.logstore}`,
		sections: [
			...identityReviewSections(context.outputs.preflight?.identities ?? []),
			{title: `1. Log Service: project ${context.answers.logProject}, logstore ${context.answers.logstore} (${context.answers.logTtlDays} days) and an index on every key, each kept if it exists`},
			{title: `2. DataWorks data sources ${context.answers.odpsDataSource} (odps) and ${context.answers.loghubDataSource} (loghub), kept if they exist; the keys live in them, not in the job`},
			{title: `3. The ${workflowOf(context).kind} workflow ${workflowOf(context).name} (created if missing), CreateDISyncTask ${context.answers.taskName} in ${context.answers.folderPath} on ${context.answers.resourceGroup}, then SubmitFile${shape.mode === 'standard' ? ' and DeployFile' : ''}; its reader reads ${column}=\${${partitionParameter}}, which each run sets`, code: JSON.stringify(shape.job, undefined, 2), language: 'json'},
			{
				title: `4. One RunManualDagNodes of the workflow ${workflowOf(context).name} per partition, one after another (${shape.rows.toLocaleString('en-US')} rows in all), each watched to its end and checkpointed on its own. The task is never scheduled.`,
				tables: [{
					title: 'The jobs, in the order they run',
					columns: ['Partition', 'Rows', 'Business date', 'NodeParameters', 'Logs\' window'],
					rows: partitions.map(partition => ({cells: [`${column}=${partition.value}`, partition.rows.toLocaleString('en-US'), manualBizDate(partition.value), `${partitionParameter}=${partition.value}`, `${iso(partition.window.from)} – ${iso(partition.window.to)}`]})),
				}],
				warnings: [
					'One job per partition rather than one job for the list (the odps reader accepts both): the LogHub writer is not idempotent, so a rerun of a list job would write every partition\'s logs again. Here a resume skips the partitions done, re-attaches to the one running, and reruns only a failed one (whose logs written before the failure are written again).',
				],
			},
			{title: `5. Verify each partition against the logs of topic "${context.answers.topic ?? ''}" in its own window, every check in one report`, code: logCheckPairs(checkPlan(context, partitions[0]!.value)).map(pair => `-- ${pair.title}\n${pair.source};\n-- Log Service: ${pair.target}`).join('\n\n'), language: 'sql', warnings: [`The queries above are those of ${column}=${partitions[0]!.value}; each partition's are the same with its value and window.`]},
		],
	};
}
