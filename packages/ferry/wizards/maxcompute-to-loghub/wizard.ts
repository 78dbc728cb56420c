import {defineWizard, maxComputeSide, StepError} from '../../source/kit.js';
import {about} from './about.js';
import {createLogHubClients, type LogHubClients} from './clients.js';
import {parameters} from './parameters.js';
import {facts} from './facts.js';
import {reviewPlan} from './plan.js';
import {runPreflight} from './preflight.js';
import {ensureDataSources, ensureLogService} from './prerequisites.js';
import {procedure} from './procedure.js';
import {runAndWatch} from './run-instance.js';
import {ensureTask} from './task.js';
import {verifyLogs} from './verify.js';

const wizard = defineWizard<LogHubClients>({
	...about,
	version: 1,
	parameters,
	facts,
	createClients: procedure.createClients(createLogHubClients),
	sides: {
		source: maxComputeSide<LogHubClients>(clients => clients.maxcompute),
		target: {
			title: 'Log Service',
			async query() {
				throw new StepError('ferry sql does not query Log Service', {hint: 'Run `ferry verify` to compare the logs with the table, or query the logstore in the Log Service console.'});
			},
		},
	},
	steps: [
		procedure.step({
			id: 'connections',
			title: 'Connections',
			kind: 'form',
			rerun: 'safe',
			explain: 'The MaxCompute table and partition to export, the Log Service project, logstore and topic the logs go to, the column that gives each log its time and its format, and the DataWorks workspace, workflow folder and resource group that run the batch sync.',
			parameters: ['maxcomputeProject', 'maxcomputeTable', 'partition', 'columns', 'logProject', 'logstore', 'logTtlDays', 'topic', 'time', 'timeFormat', 'batchSize', 'workspaceId', 'mode', 'folderPath', 'resourceGroup', 'odpsDataSource', 'loghubDataSource', 'taskName', 'job', 'waitMinutes'],
		}),
		procedure.step({
			id: 'preflight',
			title: 'Preflight',
			kind: 'task',
			rerun: 'safe',
			explain: 'Before anything changes: who ferry is on MaxCompute, Log Service and DataWorks; the partitions the answer names (one, a list, a range or a wildcard, resolved against those that exist), each with its rows, refusing none or an empty one; that the job is valid; that the time format parses the time column\'s actual values (a value that does not parse would silently be stamped "now"); that the logs\' times fit the logstore\'s retention, and that the keys the data sources get may read the table (Describe, Select) and write the logstore (log:PostLogStoreLogs).',
			run: runPreflight,
		}),
		procedure.step({
			id: 'plan',
			title: 'Plan review',
			kind: 'review',
			rerun: 'safe',
			explain: 'The Log Service objects, the two data sources, the job DataWorks will run and how it is run, and the checks. Nothing has changed yet.',
			review: reviewPlan,
		}),
		procedure.step({
			id: 'log-service',
			title: 'Log Service',
			kind: 'task',
			rerun: 'safe',
			explain: 'The procedure\'s prerequisites in Log Service: the project and the logstore, and an index on every key, created before anything is written because logs written before an index exists cannot be searched.',
			run: ensureLogService,
		}),
		procedure.step({
			id: 'data-sources',
			title: 'Data sources',
			kind: 'task',
			rerun: 'safe',
			explain: 'The DataWorks data sources the job names (step 1 of the procedure): one for the MaxCompute project and one for the Log Service project. They hold the keys, so the job itself carries none.',
			run: ensureDataSources,
		}),
		procedure.step({
			id: 'task',
			title: 'Sync task',
			kind: 'task',
			rerun: 'safe',
			explain: 'The batch sync task in script mode (step 2): created with the job in the workflow folder (the workflow itself is created if missing: manually triggered for a run once, so that DataWorks never schedules the task; auto-triggered for a schedule), then submitted (and, in a standard-mode workspace, deployed). Every id is saved, so a resumed run re-attaches instead of creating a second task.',
			run: ensureTask,
		}),
		procedure.step({
			id: 'run',
			title: 'Run and watch',
			kind: 'task',
			rerun: 'duplicates',
			explain: 'DataWorks runs the task once (step 3, "Run": a run of its manually triggered workflow for the partition\'s business date), and the instance is watched through NOT_RUN, WAIT_RESOURCE and RUNNING to SUCCESS or FAILURE; then the DI log gives the records read, written and dirty. The instance id is saved: a resumed run re-attaches to it, and only a failed instance is run again, because running the job again writes its logs again. With a list, range or wildcard of partitions, the task runs once per partition, one after another (its reader reads ${ferry_partition}, which each run sets): one job per partition rather than one for the list, which the odps reader also accepts, because a rerun of a list job would write every partition\'s logs again. Each partition\'s run is checkpointed on its own: a resume skips the partitions done, re-attaches to the one running and reruns only a failed one. With --set mode=schedule (one partition only) the task is scheduled instead (a cycle like the partition\'s) and its first scheduled instance is watched and, if it failed, restarted under the same id.',
			run: runAndWatch,
		}),
		procedure.step({
			id: 'verify',
			title: 'Verify',
			kind: 'verify',
			rerun: 'safe',
			explain: 'MaxCompute and Log Service side by side, each partition on its own in one report: the partition\'s rows against the logs of the topic in its data\'s time window — the count, sums of numeric columns cast back from their strings, distinct text values, and the first rows next to the logs they became.',
			run: verifyLogs,
		}),
	],
});

export default wizard;
