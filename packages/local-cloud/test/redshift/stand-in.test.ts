import test from 'ava';
import {parquetMetadataAsync, parquetReadObjects} from 'hyparquet';
import {ServiceError} from 'ferry/engine/errors';
import {localUnloadRoleArn} from '../../source/contract.js';
import {tpchRowCounts} from '../../source/tpch/index.js';
import {startLocalRedshift, unloadBucket, type LocalRedshift} from '../helpers/redshift-local.js';

let local: LocalRedshift;

test.before(async () => {
	local = await startLocalRedshift();
	const connection = local.connect();
	await connection.query(`create table public.typed (
		amount numeric(38,10), price numeric(15,2), label varchar(40), seen timestamp, flag boolean, small smallint, ratio real, day date
	)`);
	await connection.query(`insert into public.typed values
		(1234567890123456789012345678.0123456789, 12345.67, 'it''s "quoted" — 東京', '2024-02-29 23:59:59.123456', true, -32768, 1.5, '1998-12-01'),
		(null, null, null, null, null, null, null, null),
		(-0.0000000001, -0.01, '', '1970-01-01 00:00:00', false, 32767, -0.25, '1992-01-01')`);
	await connection.close();
});

test.after.always(async () => {
	await local?.close();
});

async function readObject(key: string): Promise<Buffer> {
	const stream = await local.objectStore.getStream(unloadBucket, key);
	const chunks: Buffer[] = [];
	for await (const chunk of stream.body) {
		chunks.push(chunk as Buffer);
	}

	return Buffer.concat(chunks);
}

/** An ArrayBuffer is an AsyncBuffer to hyparquet. */
async function readParquet(key: string): Promise<ArrayBuffer> {
	const bytes = await readObject(key);
	return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const unloadSql = (table: string, prefix: string, options: string) =>
	`UNLOAD ('select * from public.${table} where 1 = 1 and ''a'' = ''a''') TO 's3://${unloadBucket}/${prefix}' IAM_ROLE '${localUnloadRoleArn}' FORMAT AS PARQUET ${options}`;

test.serial('UNLOAD writes Redshift-typed Parquet with real NULLs and exact decimals', async t => {
	const connection = local.connect();
	const {statementId} = await connection.execute(unloadSql('typed', 'typed/typed_', 'MANIFEST VERBOSE'));
	const finished = await connection.waitFor(statementId);
	t.is(finished.resultRows, 3);
	const keys = (await local.objectStore.inventory(unloadBucket, 'typed/')).objects.map(object => object.key).sort();
	t.deepEqual(keys, ['typed/typed_0000_part_00.parquet', 'typed/typed_0001_part_00.parquet', 'typed/typed_manifest']);
	const manifest = JSON.parse((await readObject('typed/typed_manifest')).toString('utf8')) as {entries: Array<{url: string; meta: {record_count: number}}>; meta: {record_count: number}; schema: {elements: Array<{name: string; type: {base: string; precision?: number}}>}};
	t.is(manifest.meta.record_count, 3);
	t.is(manifest.entries[0]?.url, `s3://${unloadBucket}/typed/typed_0000_part_00.parquet`);
	t.deepEqual(manifest.schema.elements[0], {name: 'amount', type: {base: 'numeric', precision: 38, scale: 10}});

	const rows: Array<Record<string, unknown>> = [];
	for (const key of keys.filter(name => name.endsWith('.parquet'))) {
		const file = await readParquet(key);
		const metadata = await parquetMetadataAsync(file);
		const schema = Object.fromEntries(metadata.schema.slice(1).map(element => [element.name, element]));
		t.is(schema.small?.type, 'INT32');
		t.is(schema.small?.converted_type, 'INT_16');
		t.is(schema.price?.type, 'INT64');
		t.deepEqual(schema.price?.logical_type, {type: 'DECIMAL', precision: 15, scale: 2});
		t.is(schema.amount?.type, 'FIXED_LEN_BYTE_ARRAY');
		t.is(schema.label?.type, 'BYTE_ARRAY');
		t.is(schema.label?.converted_type, 'UTF8');
		t.is(schema.ratio?.type, 'FLOAT');
		t.is(schema.flag?.type, 'BOOLEAN');
		t.is(schema.day?.converted_type, 'DATE');
		t.is(schema.seen?.type, 'INT64');
		t.deepEqual(schema.seen?.logical_type, {type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS'});
		t.true(metadata.schema.slice(1).every(element => element.repetition_type === 'OPTIONAL'));
		t.is(metadata.row_groups[0]?.columns[0]?.meta_data?.codec, 'SNAPPY');
		rows.push(...await parquetReadObjects({file}));
	}

	t.is(rows.length, 3);
	const empty = rows.find(row => row.small === 32767);
	const nulls = rows.find(row => row.small === null);
	const full = rows.find(row => row.small === -32768);
	t.is(empty?.label, '');
	t.is(nulls?.label, null);
	t.true(Object.values(nulls ?? {}).every(value => value === null));
	t.is(full?.label, 'it\'s "quoted" — 東京');
	t.is(full?.price, 12345.67);
	t.is(empty?.price, -0.01);
	t.is((full?.seen as Date).toISOString(), '2024-02-29T23:59:59.123Z');
	await connection.close();
});

test.serial('UNLOAD of lineitem, then refusals: files exist, unknown role', async t => {
	const connection = local.connect();
	await connection.waitFor((await connection.execute(unloadSql('lineitem', 'lineitem/lineitem_', 'MAXFILESIZE 1 GB'))).statementId);
	const inventory = await local.objectStore.inventory(unloadBucket, 'lineitem/');
	t.deepEqual(inventory.objects.map(object => object.key).sort(), ['lineitem/lineitem_0000_part_00.parquet', 'lineitem/lineitem_0001_part_00.parquet']);
	let total = 0;
	for (const object of inventory.objects) {
		const metadata = await parquetMetadataAsync(await readParquet(object.key));
		total += Number(metadata.num_rows);
	}

	t.is(total, tpchRowCounts(0.01).lineitem);

	const again = await connection.execute(unloadSql('lineitem', 'lineitem/lineitem_', ''));
	const exists = await t.throwsAsync(connection.waitFor(again.statementId), {instanceOf: ServiceError});
	t.regex(exists.message, /Specified unload destination on S3 is not empty/);
	await connection.waitFor((await connection.execute(unloadSql('lineitem', 'lineitem/lineitem_', 'CLEANPATH PARALLEL OFF'))).statementId);
	t.deepEqual((await local.objectStore.inventory(unloadBucket, 'lineitem/')).objects.map(object => object.key), ['lineitem/lineitem_000.parquet']);

	const denied = await connection.execute(`UNLOAD ('select 1') TO 's3://${unloadBucket}/x/' IAM_ROLE 'arn:aws:iam::000000000000:role/other' PARQUET`);
	const deniedError = await t.throwsAsync(connection.waitFor(denied.statementId), {instanceOf: ServiceError});
	// A role the cluster does not have is refused as Redshift refuses it (role-credentials.ts).
	t.regex(deniedError.message, /User arn:aws:redshift:ap-southeast-1:000000000000:dbuser:ferry-local\/awsuser is not authorized to assume IAM Role arn:aws:iam::000000000000:role\/other/);
	const syntax = await connection.execute(`UNLOAD ('select 1') TO 's3://${unloadBucket}/x/' IAM_ROLE '${localUnloadRoleArn}' PARQUET ALLOWOVERWRITE CLEANPATH`);
	await t.throwsAsync(connection.waitFor(syntax.statementId), {message: /mutually exclusive/});
	await connection.close();
});

test.serial('a restart on the same data dir keeps data and statement ids', async t => {
	const connection = local.connect();
	const {statementId} = await connection.execute('select count(*) from public.typed');
	await connection.waitFor(statementId);
	await local.redshift.close();
	local.redshift = await local.start();
	const reconnected = local.connect();
	const attached = await reconnected.attach(statementId);
	t.is(attached.status, 'FINISHED');
	t.is(attached.resultRows, 1);
	const rows = await reconnected.query('select count(*) from public.typed');
	t.deepEqual(rows.rows, [[3]]);
	await connection.close();
	await reconnected.close();
});
