import {iamRoleArnProblem, ramRoleArnProblem, ramRoleName} from '../../source/clouds/identity/names.js';
import {maxComputeProjectName, maxComputeTableName} from '../../source/clouds/maxcompute/names.js';
import {keyPrefixProblem, ossBucketName, s3BucketName} from '../../source/clouds/object-store/names.js';
import {redshiftClusterIdentifier, redshiftDbUser, redshiftIdentifier, redshiftWorkgroupName} from '../../source/clouds/redshift/names.js';
import {createIdentitiesParameter, defineParameters, fixedChoices, type ParameterContext} from '../../source/kit.js';

const region = (value: unknown) => (/^[a-z]{2}(-[a-z0-9]+)+$/.test(String(value)) ? undefined : 'Expected a region id such as ap-southeast-1');

function validateCustomChecks(value: unknown): string | undefined {
	if (!Array.isArray(value)) {
		return 'Expected a list of {title, source, target, keys}';
	}

	const bad = value.findIndex(check => typeof check !== 'object' || check === null || typeof check.title !== 'string' || typeof check.source !== 'string' || typeof check.target !== 'string' || (check.keys !== undefined && !Array.isArray(check.keys)));
	return bad === -1 ? undefined : `Check ${bad + 1} needs a title, a source and a target query (and keys as a list)`;
}

export const parameters = defineParameters([
	{key: 'redshiftAccess', label: 'Redshift access', type: 'select', help: 'The Data API needs no network path to the cluster; a direct connection uses the PostgreSQL protocol on port 5439 from inside the VPC.', default: 'data-api-cluster', choices: fixedChoices([
		{value: 'data-api-cluster', label: 'Data API, provisioned cluster'},
		{value: 'data-api-serverless', label: 'Data API, Serverless workgroup'},
		{value: 'direct', label: 'Direct connection (PostgreSQL protocol)'},
	])},
	{key: 'redshiftCluster', label: 'Cluster identifier', type: 'string', help: 'The provisioned cluster to unload from.', example: 'my-cluster', when: answers => answers['redshiftAccess'] === 'data-api-cluster', validate: redshiftClusterIdentifier},
	{key: 'redshiftDbUser', label: 'Database user', type: 'string', help: 'Temporary credentials are issued for this user (GetClusterCredentials). Leave empty when using a secret.', example: 'awsuser', optional: true, when: answers => answers['redshiftAccess'] === 'data-api-cluster', validate: redshiftDbUser},
	{key: 'redshiftWorkgroup', label: 'Serverless workgroup', type: 'string', help: 'The Redshift Serverless workgroup.', example: 'default-workgroup', when: answers => answers['redshiftAccess'] === 'data-api-serverless', validate: redshiftWorkgroupName},
	{key: 'redshiftSecretArn', label: 'Secrets Manager ARN', type: 'string', help: 'Optional: a secret holding the database credentials.', optional: true, when: answers => String(answers['redshiftAccess']).startsWith('data-api')},
	{key: 'redshiftHost', label: 'Redshift host', type: 'string', help: 'The cluster endpoint host name.', example: 'my-cluster.abc123.ap-southeast-1.redshift.amazonaws.com', when: answers => answers['redshiftAccess'] === 'direct'},
	{key: 'redshiftPort', label: 'Redshift port', type: 'number', help: 'Redshift listens on 5439.', default: 5439, when: answers => answers['redshiftAccess'] === 'direct'},
	{key: 'redshiftUser', label: 'Database user', type: 'string', help: 'The user for the direct connection.', example: 'awsuser', when: answers => answers['redshiftAccess'] === 'direct'},
	{key: 'redshiftPassword', label: 'Database password', type: 'secret', help: 'Kept in ferry\'s credentials file (0600), never in the session.', when: answers => answers['redshiftAccess'] === 'direct'},
	{key: 'redshiftDatabase', label: 'Database', type: 'string', help: 'The database holding the tables.', default: 'dev', validate: redshiftIdentifier},
	{key: 'sourceSchema', label: 'Schema', type: 'string', help: 'The schema whose tables are migrated.', default: 'public', validate: redshiftIdentifier},
	{key: 's3Bucket', label: 'S3 bucket', type: 'string', help: 'UNLOAD writes Parquet files here; created if missing.', example: 'my-unload-bucket', validate: s3BucketName},
	{key: 's3Prefix', label: 'S3 prefix', type: 'string', help: 'One folder per table is created under it.', default: 'unload_from_redshift/', validate: value => keyPrefixProblem(value, 's3')},
	{key: 'unloadAuth', label: 'UNLOAD authorisation', type: 'select', help: 'An IAM role attached to the cluster (recommended), or access keys of an IAM user.', default: 'role', choices: fixedChoices([
		{value: 'role', label: 'IAM role attached to the cluster'},
		{value: 'keys', label: 'Access keys (optionally with a session token)'},
	])},
	{key: 'unloadRoleArn', label: 'IAM role ARN', type: 'string', help: 'The role Redshift assumes to write to S3, associated with the cluster. Preflight checks it (trust, S3 permissions on the prefix, in-sync on the cluster); a missing one ferry can create, least privilege (createIdentities).', example: 'arn:aws:iam::123456789012:role/redshift_s3_role', when: answers => answers['unloadAuth'] === 'role', validate: iamRoleArnProblem},
	{key: 'unloadAccessKeyId', label: 'Access key id', type: 'string', help: 'The IAM user\'s access key id for UNLOAD.', example: 'AKIA…', when: answers => answers['unloadAuth'] === 'keys'},
	{key: 'unloadSecretAccessKey', label: 'Secret access key', type: 'secret', help: 'Kept in ferry\'s credentials file (0600); shown in plans as [redacted].', when: answers => answers['unloadAuth'] === 'keys'},
	{key: 'unloadSessionToken', label: 'Session token', type: 'secret', help: 'Only for temporary credentials.', optional: true, when: answers => answers['unloadAuth'] === 'keys'},
	{key: 'transferMethod', label: 'S3 → OSS transfer', type: 'select', help: 'Data Online Migration copies server-side (activate it first); ferry\'s streamed copy runs on this machine.', default: 'online-migration', choices: fixedChoices([
		{value: 'online-migration', label: 'OSS Data Online Migration (server-side)'},
		{value: 'stream', label: 'ferry streamed copy (through this machine)'},
	])},
	{key: 'migrationRoleName', label: 'Migration RAM role', type: 'string', help: 'The RAM role Data Online Migration assumes to write to OSS (trusted by mgw.aliyuncs.com). Preflight checks it; a missing one ferry can create (createIdentities).', example: 'AliyunOSSImportRole', when: answers => answers['transferMethod'] === 'online-migration', validate: ramRoleName},
	{key: 'ossRegion', label: 'OSS region', type: 'string', help: 'Must be the MaxCompute project\'s region: LOAD reads OSS in the same region only.', example: 'ap-southeast-1', validate: region},
	{key: 'ossBucket', label: 'OSS bucket', type: 'string', help: 'The landing bucket; created if missing.', example: 'my-landing-bucket', validate: ossBucketName},
	{key: 'ossPrefix', label: 'OSS prefix', type: 'string', help: 'Where the Parquet files land, one folder per table.', default: 'unload_from_redshift/', validate: value => keyPrefixProblem(value, 'oss')},
	{key: 'maxcomputeProject', label: 'MaxCompute project', type: 'string', help: 'The destination project (MaxCompute 2.0 types are set per statement).', example: 'my_project', validate: maxComputeProjectName},
	{key: 'loadRoleArn', label: 'RAM role ARN for LOAD', type: 'string', help: 'The role MaxCompute assumes to read OSS (STS, trusted by odps.aliyuncs.com), e.g. AliyunODPSDefaultRole. Preflight checks it; a missing one ferry can create (createIdentities).', example: 'acs:ram::1234567890123456:role/aliyunodpsdefaultrole', validate: ramRoleArnProblem},
	{key: 'tables', label: 'Tables', type: 'list', help: 'The tables to migrate (comma-separated with --set); all by default. Each becomes a MaxCompute table of the same name.', example: 'orders,lineitem', validate: value => (value as string[]).map(table => maxComputeTableName(table) && `${table} cannot be a MaxCompute table: ${maxComputeTableName(table)!}`).find(Boolean), default: (context: ParameterContext) => ((context.outputs['tables']?.['discovered'] as Array<{name: string}> | undefined) ?? []).map(table => table.name), choices: (context: ParameterContext) => ((context.outputs['tables']?.['discovered'] as Array<{name: string; rows: number; sizeMb: number}> | undefined) ?? []).map(table => ({value: table.name, label: table.name, hint: `${table.rows.toLocaleString('en-US')} rows · ${table.sizeMb} MB`}))},
	{key: 'customChecks', label: 'Custom checks', type: 'json', optional: true, help: 'Extra query pairs for the verification, from the answers file: a list of {title, source, target, keys}, where source is Redshift SQL, target MaxCompute SQL and keys the columns that align rows.', example: '[{"title":"Orders per status","source":"select o_orderstatus, count(*) as n from orders group by 1","target":"select o_orderstatus, count(*) as n from orders group by o_orderstatus","keys":["o_orderstatus"]}]', validate: validateCustomChecks},
	createIdentitiesParameter,
	{key: 'parallelism', label: 'Tables in parallel', type: 'number', help: 'How many tables UNLOAD and LOAD at once.', default: 4, validate: value => (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 16 ? undefined : 'Between 1 and 16')},
]);
