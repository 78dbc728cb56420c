import {defineParameters, fixedChoices, type ParameterContext} from '../../source/kit.js';
import {dataWorksDataSourceName, dataWorksNodeName} from '../../source/clouds/dataworks/names.js';
import {logProjectName, logstoreName} from '../../source/clouds/log-service/names.js';
import {maxComputeProjectName, maxComputeTableName} from '../../source/clouds/maxcompute/names.js';
import {logTimeParser} from './log-time.js';
import {partitionSelectionProblem} from './partition-range.js';
import {isPercentPattern, simpleDateFormatFor, translatePercentPattern} from './percent-pattern.js';

/**
 * The profile's folder for the mode: an auto-triggered workflow for a schedule, a manually triggered one for a run
 * once (the local cloud publishes its seeded `ferry` workflow and a `ferry_manual` one the first run creates).
 */
const profileWorkflowFolder = (context: ParameterContext) => context.settings?.[context.answers['mode'] === 'schedule' ? 'dataworksScheduleFolder' : 'dataworksManualFolder'];

const wholeNumber = (min: number, max: number) => (value: unknown) => (Number.isInteger(value) && Number(value) >= min && Number(value) <= max ? undefined : `Expected a whole number from ${min} to ${max}`);

export const parameters = defineParameters([
	{key: 'maxcomputeProject', label: 'MaxCompute project', type: 'string', help: 'The project holding the table.', example: 'my_project', validate: maxComputeProjectName},
	{key: 'maxcomputeTable', label: 'MaxCompute table', type: 'string', help: 'The table to export (the procedure\'s example: ak_biz_log_detail).', default: 'ak_biz_log_detail', validate: maxComputeTableName},
	{key: 'partition', label: 'Partition', type: 'string', help: 'The partitions to export: one (pt=20161226), a list (pt=20161201,pt=20161202), a range of equal-width digits, both ends included (pt=20161201..20161231), or the odps reader\'s wildcard (pt=201612*; ? is one character). A range or wildcard takes the partitions that exist; preflight lists them with their rows. Many partitions run as one job per partition, each rerun on its own. A schedule takes one partition, its pattern.', default: 'pt=20161226', validate: partitionSelectionProblem},
	{key: 'columns', label: 'Columns', type: 'string', help: 'The columns to export, in order, separated by commas; each becomes a log key of the same name. Empty: every column of the table.', example: 'col0,col1,time_str', optional: true},
	{key: 'logProject', label: 'Log Service project', type: 'string', help: 'Created if missing (a prerequisite of the procedure).', example: 'my-log-project', validate: logProjectName},
	{key: 'logstore', label: 'Logstore', type: 'string', help: 'Created with an index if missing: logs written before an index exists cannot be searched.', default: 'ak-biz-log-detail', validate: logstoreName},
	{key: 'logTtlDays', label: 'Log retention (days)', type: 'number', help: 'A new logstore keeps logs this long; logs older than that by their own time are dropped, so it must cover the data\'s times.', default: 3650, validate: wholeNumber(1, 3650)},
	{key: 'topic', label: 'Log topic', type: 'string', help: 'The __topic__ of every log (the writer\'s topic). May be empty.', default: 'ferry', optional: true},
	{key: 'time', label: 'Time column', type: 'string', help: 'The column whose value becomes the log time. Empty: the time the job runs.', default: 'time_str', optional: true},
	{key: 'timeFormat', label: 'Time format', type: 'string', help: 'bigint (Unix seconds) or a Java SimpleDateFormat pattern such as yyyy_MM_dd HH:mm:ss.', default: 'yyyy_MM_dd HH:mm:ss', when: answers => Boolean(answers['time']), validate: value => {
		if (isPercentPattern(String(value))) {
			const translation = translatePercentPattern(String(value));
			return 'problem' in translation ? `The pattern is written with % directives, which the writer cannot read, and has ${translation.problem}` : 'The pattern is written with % directives, which the writer cannot read';
		}

		const parser = logTimeParser(String(value), 480);
		return 'problem' in parser ? `The pattern has ${parser.problem}` : undefined;
	}, correct: raw => {
		const pattern = simpleDateFormatFor(raw);
		return pattern ? {value: pattern, notice: `${JSON.stringify(raw)} is a strftime-style pattern; the LogHub writer reads Java's SimpleDateFormat, so ferry uses ${JSON.stringify(pattern)}`} : undefined;
	}},
	{key: 'batchSize', label: 'Batch size', type: 'number', help: 'Logs the writer sends per PutLogs (the writer\'s default 1024, at most 4096).', default: 1024, validate: wholeNumber(1, 4096)},
	{key: 'workspaceId', label: 'DataWorks workspace id', type: 'number', help: 'The workspace (project) id the sync task lives in.', example: '12345', validate: wholeNumber(1, Number.MAX_SAFE_INTEGER)},
	{key: 'mode', label: 'Run or schedule', type: 'select', help: 'Step 3 of the procedure: run the task once for the partition, in a manually triggered workflow that DataWorks never schedules; or submit it to the scheduler with a cycle that matches the partition\'s (pt=20161226 → daily, reading pt=${bizdate}), then watch its first scheduled instance.', default: 'once', choices: fixedChoices([
		{value: 'once', label: 'Run once', hint: 'a run of its manually triggered workflow, for the partition\'s business date'},
		{value: 'schedule', label: 'Schedule', hint: 'a daily or hourly cycle; each instance exports its own partition'},
	])},
	{key: 'folderPath', label: 'Workflow folder', type: 'string', help: 'The folder for the task, Workflow/<workflow>/Data Integration. A missing workflow is created: manually triggered for a run once (DataWorks never schedules its nodes), auto-triggered for a schedule; an existing one must be of that kind.', example: 'Workflow/my_flow/Data Integration', default: profileWorkflowFolder},
	{key: 'resourceGroup', label: 'Resource group', type: 'string', help: 'The identifier of the Data Integration resource group that runs the task.', example: 'S_res_group_123_456'},
	{key: 'odpsDataSource', label: 'MaxCompute data source', type: 'string', help: 'The DataWorks data source name for the table\'s project (created if missing; it holds the keys, the job does not).', default: 'ferry_odps', validate: dataWorksDataSourceName},
	{key: 'loghubDataSource', label: 'LogHub data source', type: 'string', help: 'The DataWorks data source name for the Log Service project (step 1 of the procedure; created if missing).', default: 'ferry_loghub', validate: dataWorksDataSourceName},
	{key: 'taskName', label: 'Task name', type: 'string', help: 'The name of the sync task in the workflow folder.', default: 'ferry_ak_biz_log_detail_to_loghub', validate: dataWorksNodeName},
	{key: 'job', label: 'Job file', type: 'string', help: 'An existing job JSON (script mode, version 1.0 or 2.0) to use instead of the one ferry builds; it is checked the same way.', optional: true},
	{key: 'waitMinutes', label: 'Run wait (minutes)', type: 'number', help: 'How long to wait for the sync instance to finish.', default: 30, validate: wholeNumber(1, 1440)},
]);
