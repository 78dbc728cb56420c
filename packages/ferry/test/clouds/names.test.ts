import test from 'ava';
import {dataHubFieldName, dataHubProjectName, dataHubTopicName} from '../../source/clouds/datahub/names.js';
import {dataWorksDataSourceName, dataWorksNodeName} from '../../source/clouds/dataworks/names.js';
import {iamRoleArnProblem, iamRoleName, ramRoleArnProblem, ramRoleName} from '../../source/clouds/identity/names.js';
import {logProjectName, logstoreName} from '../../source/clouds/log-service/names.js';
import {maxComputeColumnName, maxComputePartitionValue, maxComputeProjectName, maxComputeTableName, parsePartitionSpec, partitionSpecProblem} from '../../source/clouds/maxcompute/names.js';
import type {NameRule} from '../../source/clouds/name-rule.js';
import {keyPrefixProblem, ossBucketName, s3BucketName} from '../../source/clouds/object-store/names.js';
import {redshiftClusterIdentifier, redshiftDbUser, redshiftIdentifier, redshiftWorkgroupName} from '../../source/clouds/redshift/names.js';

const x = (count: number, character = 'a') => character.repeat(count);

function holds(t: import('ava').ExecutionContext, rule: NameRule, good: string[], bad: Array<[string, RegExp]>) {
	for (const name of good) {
		t.is(rule(name), undefined, `${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}…(${name.length})` : name)} is taken`);
	}

	for (const [name, why] of bad) {
		t.regex(rule(name) ?? 'taken', why, `${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}…(${name.length})` : name)} is refused`);
	}
}

test('MaxCompute tables: 1–128 bytes, a letter first, letters, digits and _ only, either case', t => {
	holds(t, maxComputeTableName, ['t', 'T1', `a${x(127, '_')}`, 'ak_biz_log_detail', 'MixedCase'], [
		[x(129), /are 1–128 bytes long; this one is 129/],
		[x(5000), /this one is 5,000/],
		['', /this one is 0/],
		['_t', /start with a letter, not "_"/],
		['1t', /start with a letter, not "1"/],
		['a-b', /hold only letters, digits and _; "-" is not one of them/],
		['a$b', /"\$" is not one/],
		['表', /start with a letter/],
		['a b', /U\+0020 is not one/],
	]);
});

test('MaxCompute columns: 1–128 bytes of letters, digits, _ and Chinese characters (counted in bytes)', t => {
	holds(t, maxComputeColumnName, ['f1', '_f', '1f', '名字', x(128)], [
		[x(129), /1–128 bytes/],
		[x(43, '名'), /this one is 129/],
		['a-b', /"-" is not one/],
		['é', /"é" is not one/],
	]);
});

test('MaxCompute projects: 3–28 characters, a letter first', t => {
	holds(t, maxComputeProjectName, ['abc', 'my_project', `a${x(27, '1')}`, 'Ferry_Local'], [
		['ab', /3–28 characters long; this one is 2/],
		[x(29), /this one is 29/],
		['1ab', /start with a letter/],
		['my-project', /"-" is not one/],
	]);
});

test('MaxCompute partition values: 1–128 bytes, a letter or digit first, letters, digits and space : _ $ # . ! @ -', t => {
	holds(t, maxComputePartitionValue, ['20161226', 'a', '2026-11-28 16:00', 'v1.2:x_y$z#w!v@u', x(128)], [
		['', /1–128 bytes long; this one is 0/],
		[x(129), /this one is 129/],
		['a=b', /"=" is not one/],
		['2016\\', /"\\\\" is not one/],
		['a,b', /"," is not one/],
		['a/b', /"\/" is not one/],
		['a\'b', /"'" is not one/],
		['a\tb', /U\+0009/],
		['二〇一六', /start with a letter or a digit/],
		['1二', /"二" is not one/],
		[' 1', /start with a letter or a digit, not U\+0020/],
	]);
});

test('a partition spec: column=value pairs, at most 6 levels (or the procedure\'s 1), each side checked', t => {
	t.deepEqual(parsePartitionSpec('pt=20161226,region=sg'), {entries: [{column: 'pt', value: '20161226'}, {column: 'region', value: 'sg'}]});
	t.is(partitionSpecProblem('pt=20161226', {maxLevels: 1}), undefined);
	t.regex(partitionSpecProblem('pt=a=b', {maxLevels: 1}) ?? '', /"=" is not one/);
	t.regex(partitionSpecProblem('pt=2016\\', {maxLevels: 1}) ?? '', /"\\\\" is not one/);
	t.regex(partitionSpecProblem('pt=1,region=sg', {maxLevels: 1}) ?? '', /a single partition, column=value, is expected; this names 2 levels/);
	t.regex(partitionSpecProblem('a=1,b=1,c=1,d=1,e=1,f=1,g=1') ?? '', /at most 6 levels; this names 7/);
	t.regex(partitionSpecProblem('pt') ?? '', /"pt" is not column=value/);
	t.regex(partitionSpecProblem('pt=') ?? '', /1–128 bytes long; this one is 0/);
	t.regex(partitionSpecProblem('p-t=1') ?? '', /MaxCompute column names hold only/);
	t.regex(partitionSpecProblem('pt=1,PT=2') ?? '', /named twice/);
});

test('DataHub: projects 3–32, topics and fields 1–128, a letter first, letters, digits and _; system_time is no field', t => {
	holds(t, dataHubProjectName, ['abc', x(32), 'log_archive'], [['ab', /3–32 characters long; this one is 2/], [x(33), /this one is 33/], ['_ab', /start with a letter/], ['a-b', /"-" is not one/]]);
	holds(t, dataHubTopicName, ['t', 'ab', x(128), 'Test_1'], [['', /1–128/], [x(129), /this one is 129/], ['1t', /start with a letter/], ['t.t', /"\." is not one/]]);
	holds(t, dataHubFieldName, ['f', x(128)], [['system_time', /system_time is not a DataHub field name/], ['SYSTEM_TIME', /system_time/], ['名', /start with a letter/], [x(129), /this one is 129/]]);
});

test('Log Service: 3–63 lower-case characters, a letter or digit at both ends; logstores also take _', t => {
	holds(t, logProjectName, ['abc', 'my-log-project', `a${x(61, '-')}1`, '1ab'], [['ab', /3–63/], [x(64), /this one is 64/], ['-ab', /start with a lower-case letter or a digit/], ['ab-', /end with a lower-case letter or a digit/], ['aBc', /"B" is not one/], ['a_b', /"_" is not one/]]);
	holds(t, logstoreName, ['a_b', 'ak-biz-log-detail', x(63)], [['_ab', /start with/], ['ab_', /end with/], ['a.b', /"\." is not one/]]);
});

test('S3 buckets: 3–63, lower-case letters, digits, dots, hyphens, no .. or IP form, the reserved prefixes and suffixes', t => {
	holds(t, s3BucketName, ['abc', 'my.unload-bucket', x(63), '1bucket'], [
		['ab', /3–63/],
		[x(64), /this one is 64/],
		['Abc', /start with a lower-case letter or a digit/],
		['abc-', /end with/],
		['a..b', /no two adjacent dots/],
		['192.168.5.4', /IP address/],
		['xn--abc', /do not start with xn--/],
		['sthree-abc', /sthree-/],
		['amzn-s3-demo-bucket', /amzn-s3-demo-/],
		['abc-s3alias', /do not end with -s3alias/],
		['abc--ol-s3', /--ol-s3/],
		['abc.mrap', /\.mrap/],
		['abc--x-s3', /--x-s3/],
		['abc--table-s3', /--table-s3/],
		['a_b', /"_" is not one/],
	]);
});

test('OSS buckets take no dots; prefixes start with no / (or \\ on OSS) and leave room under the key limit', t => {
	holds(t, ossBucketName, ['abc', 'my-landing-bucket', x(63)], [['a.b', /"\." is not one/], ['ab', /3–63/], ['-ab', /start with/]]);
	t.is(keyPrefixProblem('unload_from_redshift/', 's3'), undefined);
	t.is(keyPrefixProblem('', 'oss'), undefined);
	t.regex(keyPrefixProblem('/x/', 's3') ?? '', /does not start with "\/"/);
	t.regex(keyPrefixProblem('\\x/', 'oss') ?? '', /does not start with "\\"/);
	t.is(keyPrefixProblem('\\x/', 's3'), undefined);
	t.regex(keyPrefixProblem(x(1023), 'oss') ?? '', /OSS object names are at most 1,023 bytes, and this prefix alone is 1,023/);
	t.is(keyPrefixProblem(x(1023), 's3'), undefined);
	t.regex(keyPrefixProblem(x(1024), 's3') ?? '', /S3 keys are at most 1,024 bytes/);
});

test('Redshift: identifiers 1–127 bytes of printable characters; cluster, workgroup and database-user rules', t => {
	holds(t, redshiftIdentifier, ['public', 'Sales $ 2024', 'naïve', '"quoted"', x(127)], [[x(128), /1–127 bytes long; this one is 128/], [x(64, 'é'), /this one is 128/], ['', /this one is 0/], ['a\nb', /U\+000A/]]);
	holds(t, redshiftClusterIdentifier, ['my-cluster', 'a', `a${x(62, '1')}`], [['My', /start with a lower-case letter/], ['1a', /start with/], ['a-', /end with/], ['a--b', /two consecutive hyphens/], [x(64), /1–63/], ['a_b', /"_" is not one/]]);
	holds(t, redshiftWorkgroupName, ['default-workgroup', 'abc', x(64)], [['ab', /3–64/], ['Abc', /"A" is not one/]]);
	holds(t, redshiftDbUser, ['awsuser', 'Ann.B@x+y_z-1'], [['public', /PUBLIC is not a user name/], ['1user', /start with a letter/], ['a:b', /":" is not one/], ['a/b', /"\/" is not one/], [x(65), /1–64/]]);
});

test('role names and ARNs: IAM [\\w+=,.@-]{1,64} with paths and partitions; RAM letters, digits, . and - up to 64', t => {
	holds(t, iamRoleName, ['redshift_s3_role', 'a+b=c,d.e@f-g', x(64)], [[x(65), /1–64/], ['a b', /U\+0020/], ['a/b', /"\/" is not one/]]);
	holds(t, ramRoleName, ['AliyunOSSImportRole', 'a.b-c', x(64)], [['a_b', /"_" is not one/], [x(65), /1–64/]]);
	t.is(iamRoleArnProblem('arn:aws:iam::123456789012:role/redshift_s3_role'), undefined);
	t.is(iamRoleArnProblem('arn:aws-cn:iam::123456789012:role/service/team/r'), undefined);
	t.regex(iamRoleArnProblem('arn:aws:iam::12345:role/r') ?? '', /Expected an IAM role ARN/);
	t.regex(iamRoleArnProblem('arn:aws:iam::123456789012:user/r') ?? '', /Expected an IAM role ARN/);
	t.regex(iamRoleArnProblem(`arn:aws:iam::123456789012:role/${x(65)}`) ?? '', /IAM role names are 1–64/);
	t.is(ramRoleArnProblem('acs:ram::1234567890123456:role/aliyunodpsdefaultrole'), undefined);
	t.regex(ramRoleArnProblem('acs:ram::123:role/a_b') ?? '', /RAM role names hold only/);
	t.regex(ramRoleArnProblem('arn:aws:iam::123456789012:role/r') ?? '', /Expected a RAM role ARN/);
});

test('DataWorks data sources (a letter first, letters, digits, _) and nodes (letters, Chinese, digits, _ and .)', t => {
	holds(t, dataWorksDataSourceName, ['ferry_odps', 'odps_first'], [['_odps', /start with a letter/], ['1odps', /start with a letter/], ['odps-first', /"-" is not one/]]);
	holds(t, dataWorksNodeName, ['ferry_ak_biz_log_detail_to_loghub', 'v1.2', '同步任务', x(128)], [[x(129), /1–128/], ['a/b', /"\/" is not one/], ['a b', /U\+0020/]]);
});

test('a rule reads any answer as text', t => {
	t.regex(maxComputeTableName(12) ?? '', /start with a letter, not "1"/);
});
