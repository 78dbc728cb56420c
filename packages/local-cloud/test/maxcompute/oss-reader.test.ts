import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import anyTest, {type TestFn} from 'ava';
import {parquetWriteBuffer} from 'hyparquet-writer';
import {createMaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {OdpsSqlError} from 'ferry/clouds/maxcompute/errors';
import {createObjectStore} from 'ferry/clouds/object-store/client';
import {silentLogger} from 'ferry/log/logger';
import type {StandInHandle} from '../../source/contract.js';
import {createOssStandInReader} from '../../source/maxcompute/oss-reader.js';
import {startMaxComputeStandIn} from '../../source/maxcompute/server.js';
import {startObjectStoreStandIn} from '../../source/object-store/server.js';

const test = anyTest as TestFn<{dataDir: string; oss: StandInHandle}>;

const region = 'ap-southeast-1';
const ossKeys = {accessKeyId: 'LTAIossreaderkey1', secretAccessKey: 'oss-reader-secret-Vb7'};
const roleArn = 'acs:ram::1000000000000000:role/aliyunodpsdefaultrole';
const location = {endpointHost: `oss-${region}-internal.aliyuncs.com`, bucket: 'ferry-load', prefix: 'tpch/people'};

test.beforeEach(async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-mc-oss-'));
	const oss = await startObjectStoreStandIn({flavor: 'oss', dataDir: path.join(dataDir, 'oss'), region, credentials: {accessKeyId: ossKeys.accessKeyId, secret: ossKeys.secretAccessKey}});
	const store = createObjectStore({kind: 'oss', endpoint: oss.url, region, credentials: ossKeys, logger: silentLogger});
	await store.createBucket(location.bucket);
	const parquet = Buffer.from(parquetWriteBuffer({columnData: [
		{name: 'name', data: ['Ada', 'Grace', 'Zoë'], type: 'STRING'},
		{name: 'age', data: [36n, 85n, 30n], type: 'INT64'},
	]}));
	await store.put(location.bucket, 'tpch/people/part-0000.parquet', parquet);
	await store.put(location.bucket, 'tpch/people/_SUCCESS', '');
	await store.put(location.bucket, 'tpch/other/part-0000.parquet', parquet);
	t.context = {dataDir, oss};
});

test.afterEach.always(async t => {
	await t.context.oss.close();
	await rm(t.context.dataDir, {recursive: true, force: true});
});

test('fetchLocation downloads exactly the objects under the location', async t => {
	const reader = createOssStandInReader({ossEndpoint: t.context.oss.url, region, credentials: ossKeys, roleArns: [roleArn]});
	const target = path.join(t.context.dataDir, 'staging');
	const files = await reader.fetchLocation(location, roleArn, target);
	t.deepEqual(files.map(file => path.relative(target, file)).sort(), ['_SUCCESS', 'part-0000.parquet']);
	t.is((await readFile(path.join(target, 'part-0000.parquet'))).subarray(0, 4).toString(), 'PAR1');
});

test('a role the account does not have is refused, and so is no role without the default one', async t => {
	const reader = createOssStandInReader({ossEndpointForRegion: () => t.context.oss.url, credentials: ossKeys, roleArns: [roleArn]});
	const target = path.join(t.context.dataDir, 'staging');
	await t.throwsAsync(reader.fetchLocation(location, 'acs:ram::999:role/other', target), {message: /^ODPS-0130071:Semantic analysis exception - failed to assume role acs:ram::999:role\/other: EntityNotExist\.Role/});
	t.is((await reader.fetchLocation(location, undefined, target)).length, 2, 'without a role ARN the default role is used');
	const noDefault = createOssStandInReader({ossEndpoint: t.context.oss.url, region, credentials: ossKeys, roleArns: ['acs:ram::1000000000000000:role/custom']});
	await t.throwsAsync(noDefault.fetchLocation(location, undefined, target), {message: /aliyunodpsdefaultrole/});
	await t.throwsAsync(reader.fetchLocation({...location, bucket: 'no-such-bucket'}, roleArn, target), {message: /^ODPS-0130071:.*NoSuchBucket/});
});

test('LOAD through the MaxCompute stand-in reads the Parquet files from the OSS stand-in', async t => {
	const keys = {accessKeyId: 'LTAImcloadkey0001', secret: 'mc-load-secret-Jd9'};
	const standIn = await startMaxComputeStandIn({
		dataDir: path.join(t.context.dataDir, 'maxcompute'),
		region,
		project: 'ferry_local',
		credentials: keys,
		accountId: '1000000000000000',
		ossReader: createOssStandInReader({ossEndpoint: t.context.oss.url, region, credentials: ossKeys, roleArns: [roleArn]}),
	});
	try {
		const client = createMaxComputeClient({endpoint: standIn.url, project: 'ferry_local', credentials: {accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret}, logger: silentLogger, poll: {initialMs: 20, maxMs: 100}});
		await client.runSql('CREATE TABLE people (name STRING, age BIGINT);');
		const load = (role: string) => `LOAD OVERWRITE TABLE people FROM LOCATION 'oss://${location.endpointHost}/${location.bucket}/${location.prefix}/' ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' WITH SERDEPROPERTIES ('odps.properties.rolearn'='${role}') STORED AS PARQUET;`;
		await client.runSql(load(roleArn), {settings: {'odps.sql.type.system.odps2': 'true'}});
		const result = await client.runSql('SELECT name, age FROM people ORDER BY age;');
		t.deepEqual(result.rows, [['Zoë', '30'], ['Ada', '36'], ['Grace', '85']]);
		const refused = await t.throwsAsync(client.runSql(load('acs:ram::1000000000000000:role/nobody')), {instanceOf: OdpsSqlError});
		t.regex(refused.odpsMessage, /EntityNotExist\.Role/);
	} finally {
		await standIn.close();
	}
});
