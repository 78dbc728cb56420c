import {createIdentitiesParameter, defineParameters, fixedChoices} from '../../source/kit.js';
import {dataHubProjectName, dataHubTopicName} from '../../source/clouds/datahub/names.js';
import {maxComputeColumnName, maxComputePartitionValue, maxComputeProjectName, maxComputeTableName} from '../../source/clouds/maxcompute/names.js';
import {checkTimeZone, partitionValue, unsupportedDirectives} from './time.js';

const wholeNumber = (min: number, max: number) => (value: unknown) => (Number.isInteger(value) && Number(value) >= min && Number(value) <= max ? undefined : `Expected a whole number from ${min} to ${max}`);

export const parameters = defineParameters([
	{key: 'datahubProject', label: 'DataHub project', type: 'string', help: 'Created if it does not exist (step 2 of the procedure).', example: 'log_archive', validate: dataHubProjectName},
	{key: 'datahubTopic', label: 'DataHub topic', type: 'string', help: 'A TUPLE topic whose schema matches the table: field names, types and order (step 3). Created if it does not exist.', default: 'test', validate: dataHubTopicName},
	{key: 'shardCount', label: 'Shards', type: 'number', help: 'Parallel lanes of the topic; DataHub takes up to 5 MB/s and 2,000 write requests/s per shard.', default: 2, validate: wholeNumber(1, 256)},
	{key: 'lifecycle', label: 'Lifecycle (days)', type: 'number', help: 'How long DataHub keeps records; the DataConnector must sync them before that.', default: 3, validate: wholeNumber(1, 7)},
	{key: 'maxcomputeProject', label: 'MaxCompute project', type: 'string', help: 'The project holding the table (same region as DataHub).', example: 'my_project', validate: maxComputeProjectName},
	{key: 'maxcomputeTable', label: 'MaxCompute table', type: 'string', help: 'The table the DataConnector writes to (step 1). Created when missing; an existing table is read from the catalog.', default: 'test', validate: maxComputeTableName},
	{key: 'tableColumns', label: 'Table columns', type: 'string', help: 'The columns of a table ferry creates, as in CREATE TABLE (an existing table keeps its own).', default: 'f1 string, f2 string, f3 double'},
	{key: 'partitionColumn', label: 'Partition column', type: 'string', help: 'The table\'s partition column (a STRING), filled by the DataConnector.', default: 'ds', validate: maxComputeColumnName},
	{key: 'partitionMode', label: 'Partition mode', type: 'select', help: 'How the DataConnector picks a record\'s partition.', default: 'SYSTEM_TIME', choices: fixedChoices([
		{value: 'SYSTEM_TIME', label: 'SYSTEM_TIME', hint: 'the time DataHub received the record'},
		{value: 'EVENT_TIME', label: 'EVENT_TIME', hint: 'the record\'s own event_time (a DATETIME column)'},
		{value: 'USER_DEFINE', label: 'USER_DEFINE', hint: 'a topic field named like the partition column'},
	])},
	{key: 'partitionFormat', label: 'Partition format', type: 'string', help: 'strftime pattern of the partition value (%Y %m %d %H %M).', default: '%Y%m%d', when: answers => answers['partitionMode'] !== 'USER_DEFINE', validate: value => {
		const unsupported = unsupportedDirectives(String(value));
		return unsupported.length > 0 ? `Unsupported: ${unsupported.join(' ')} (use %Y %m %d %H %M)` : maxComputePartitionValue(partitionValue(Date.UTC(2026, 0, 1), String(value), 60, 'UTC'));
	}},
	{key: 'timeRange', label: 'Time range (minutes)', type: 'number', help: 'Partition width: a record\'s time is rounded down to this many minutes.', default: 60, when: answers => answers['partitionMode'] !== 'USER_DEFINE', validate: value => (Number.isInteger(value) && Number(value) >= 15 && Number(value) <= 1440 && Number(value) % 15 === 0 ? undefined : 'Expected a multiple of 15 from 15 to 1440')},
	{key: 'timeZone', label: 'Time zone', type: 'string', help: 'The zone of partition values and DATETIME columns.', default: 'Asia/Shanghai', validate: value => {
		try {
			checkTimeZone(String(value));
			return undefined;
		} catch {
			return 'Expected an IANA time zone such as Asia/Shanghai or UTC';
		}
	}},
	{key: 'timestampUnit', label: 'Timestamp unit', type: 'select', help: 'The unit of TIMESTAMP fields as the DataConnector reads them.', default: 'MICROSECOND', choices: fixedChoices([
		{value: 'MICROSECOND', label: 'MICROSECOND'},
		{value: 'MILLISECOND', label: 'MILLISECOND'},
		{value: 'SECOND', label: 'SECOND'},
	])},
	{key: 'connectorAccessKeyId', label: 'Connector AccessKey ID', type: 'string', help: 'The AccessKey the DataConnector writes to MaxCompute with, e.g. a RAM user kept for it. Empty: the profile\'s own keys. Preflight reads its grants (CreateInstance on the project; Describe, Alter, Update on the table) and ferry can grant what is missing (createIdentities); ferry never creates an AccessKey.', example: 'LTAI…', optional: true},
	{key: 'connectorAccessKeySecret', label: 'Connector AccessKey secret', type: 'secret', help: 'Kept in ferry\'s credentials file (0600), never in the session.', when: answers => Boolean(answers['connectorAccessKeyId'])},
	{key: 'input', label: 'Input file', type: 'string', help: 'Records to write: CSV with a header row or JSON Lines (.jsonl), columns by name. Empty: generated log records.', example: 'logs.csv', optional: true},
	{key: 'records', label: 'Generated records', type: 'number', help: 'How many log records to generate when there is no input file.', when: answers => !answers['input'], validate: wholeNumber(1, 10_000_000)},
	{key: 'batchSize', label: 'Records per request', type: 'number', help: 'Records per PutRecords request; each acknowledged batch is saved, so a resumed run continues after it.', default: 500, validate: wholeNumber(1, 10_000)},
	createIdentitiesParameter,
	{key: 'syncTimeoutMinutes', label: 'Sync wait (minutes)', type: 'number', help: 'How long to wait for the DataConnector (the service syncs every 5 minutes or 64 MB).', default: 20, validate: wholeNumber(1, 1440)},
]);
