/** The plan review step. */
import {identityReviewSections, type ReviewDocument} from '../../source/kit.js';
import {checkPlan, cycleOf, partitionOf, scheduled, workflowOf} from './derived.js';
import type {Context} from './procedure.js';
import {manualBizDate} from './run-instance.js';
import {logCheckPairs} from './verification.js';

/** The plan: the Log Service objects, the data sources, the job and how it runs, and the checks. */
export async function reviewPlan(context: Context): Promise<ReviewDocument> {
	const shape = context.outputOf('preflight', 'shape');
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
