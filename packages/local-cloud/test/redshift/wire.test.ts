import test from 'ava';
import pg from 'pg';
import {createPgConnection} from 'ferry/clouds/redshift/pg-connection';
import {exitCodes, ServiceError} from 'ferry/engine/errors';
import {localUnloadRoleArn} from '../../source/contract.js';
import {redshiftKeys, startLocalRedshift, unloadBucket, type LocalRedshift} from '../helpers/redshift-local.js';

let local: LocalRedshift;

test.before(async () => {
	local = await startLocalRedshift();
});

test.after.always(async () => {
	await local?.close();
});

const client = (overrides: Partial<pg.ClientConfig> = {}) => new pg.Client({
	host: '127.0.0.1', port: local.redshift.pgPort, database: 'dev', user: 'awsuser', password: redshiftKeys.secret, ...overrides,
});

async function connected(overrides: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
	const connection = client(overrides);
	// The stand-in closing at the end of a failed test must not crash the worker.
	connection.on('error', () => undefined);
	await connection.connect();
	return connection;
}

const unloadSql = (table: string, prefix: string) =>
	`UNLOAD ('select * from public.${table}') TO 's3://${unloadBucket}/${prefix}' IAM_ROLE '${localUnloadRoleArn}' FORMAT AS PARQUET`;

test.serial('ferry\'s direct connection runs UNLOAD on the wire: files land in S3', async t => {
	const connection = createPgConnection({host: '127.0.0.1', port: local.redshift.pgPort, database: 'dev', user: 'awsuser', password: redshiftKeys.secret});
	t.deepEqual(await connection.execute(unloadSql('region', 'wire/region_')), {});
	const keys = (await local.objectStore.inventory(unloadBucket, 'wire/')).objects.map(object => object.key).sort();
	t.deepEqual(keys, ['wire/region_0000_part_00.parquet', 'wire/region_0001_part_00.parquet']);
	const again = await t.throwsAsync(connection.execute(unloadSql('region', 'wire/region_')), {instanceOf: ServiceError});
	t.regex(again.message, /Specified unload destination on S3 is not empty/);
	t.deepEqual(await connection.whoami(), {user: 'awsuser', database: 'dev'});
	await connection.close();
});

test.serial('UNLOAD through the extended protocol, and its INFO notice', async t => {
	const connection = await connected();
	const notices: string[] = [];
	connection.on('notice', notice => notices.push(notice.message ?? ''));
	const result = await connection.query({text: unloadSql('nation', 'wire-extended/nation_'), values: []});
	t.is(result.command, 'UNLOAD');
	t.deepEqual(notices, ['UNLOAD completed, 25 record(s) unloaded successfully.']);
	const named = await connection.query({name: 'n1', text: 'select n_name from nation where n_nationkey = $1', values: [7]});
	t.deepEqual(named.rows, [{n_name: 'GERMANY'.padEnd(25)}]);
	const reused = await connection.query({name: 'n1', text: 'select n_name from nation where n_nationkey = $1', values: [8]});
	t.deepEqual(reused.rows, [{n_name: 'INDIA'.padEnd(25)}]);
	const failed = await t.throwsAsync(connection.query({text: 'UNLOAD (\'select 1\') TO \'s3://ferry-unload/x/\' IAM_ROLE \'arn:aws:iam::000000000000:role/other\' PARQUET', values: []}));
	t.is((failed as {code?: string}).code, 'XX000');
	t.regex(failed.message, /^User arn:aws:redshift:ap-southeast-1:000000000000:dbuser:ferry-local\/awsuser is not authorized to assume IAM Role arn:aws:iam::000000000000:role\/other$/);
	t.deepEqual((await connection.query('select 1 as one')).rows, [{one: 1}]);
	await connection.end();
});

test.serial('the Redshift dialect answers on the wire', async t => {
	const connection = await connected();
	const {rows} = await connection.query(`select version() as version, nvl(null::int, 3) as nvl, len('ab  '::varchar) as lv, len('ab  '::char(4)) as lc,
		getdate() <= now()::timestamp + interval '1 second' as fresh,
		(select listagg(n_name, ',') within group (order by n_name desc) from nation where n_regionkey = 0) as names`);
	t.deepEqual(rows[0], {
		version: 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.76230',
		nvl: 3, lv: 4, lc: 2, fresh: true, names: 'MOZAMBIQUE,MOROCCO,KENYA,ETHIOPIA,ALGERIA',
	});
	const tableDef = await connection.query('select "column", type, "notnull" from pg_table_def where tablename = \'region\' order by "column"');
	t.deepEqual(tableDef.rows.map(row => `${row.column} ${row.type} ${row.notnull}`), ['r_comment character varying(152) true', 'r_name character(25) true', 'r_regionkey integer true']);
	const tables = await connection.query('select table_name from svv_tables where table_schema = \'public\' order by 1');
	t.true(tables.rows.some(row => row.table_name === 'lineitem'));
	await connection.end();
});

test.serial('a wrong password or user is SQLSTATE 28000; an unknown database 3D000', async t => {
	const wrong = await t.throwsAsync(connected({password: 'not-the-password'}));
	t.is((wrong as {code?: string}).code, '28000');
	t.is(wrong.message, 'password authentication failed for user "awsuser"');
	const stranger = await t.throwsAsync(connected({user: 'postgres', password: redshiftKeys.secret}));
	t.is((stranger as {code?: string}).code, '28000');
	const database = await t.throwsAsync(connected({database: 'prod'}));
	t.is((database as {code?: string}).code, '3D000');
	const ferry = createPgConnection({host: '127.0.0.1', port: local.redshift.pgPort, database: 'dev', user: 'awsuser', password: 'wrong'});
	const error = await t.throwsAsync(ferry.query('select 1'), {instanceOf: ServiceError});
	t.is(error.exitCode, exitCodes.configuration);
	await ferry.close();
});

test.serial('each connection has its own search_path, temporary tables and prepared statements', async t => {
	const first = await connected();
	const second = await connected();
	await first.query('create schema if not exists isolated; create table if not exists isolated.only_here (x int)');
	await first.query('set search_path to isolated, public');
	await first.query('create temp table scratch (id int primary key)');
	await first.query('insert into scratch values (1)');
	await second.query('create temp table scratch (id int primary key, label text)');
	t.deepEqual((await second.query('show search_path')).rows, [{search_path: '"$user", public'}]);
	t.deepEqual((await first.query('show search_path')).rows, [{search_path: 'isolated, public'}]);
	t.deepEqual((await first.query('select count(*)::int as n from only_here')).rows, [{n: 0}]);
	await t.throwsAsync(second.query('select * from only_here'), {message: /relation "only_here" does not exist/});
	t.deepEqual((await first.query('select * from scratch')).rows, [{id: 1}]);
	t.deepEqual((await second.query('select * from scratch')).fields.map(field => field.name), ['id', 'label']);
	await first.query({name: 'same', text: 'select 1 as v', values: []});
	t.deepEqual((await second.query({name: 'same', text: 'select 2 as v', values: []})).rows, [{v: 2}]);
	await first.end();
	await second.query('drop table scratch');
	const third = await connected();
	await t.throwsAsync(third.query('select * from scratch'), {message: /relation "scratch" does not exist/});
	await second.end();
	await third.end();
});

test.serial('an open transaction is not interleaved: other sessions wait until it ends', async t => {
	const first = await connected();
	const second = await connected();
	await first.query('create table if not exists public.tx_probe (x int)');
	await first.query('begin');
	await first.query('insert into public.tx_probe values (1)');
	const order: string[] = [];
	const waiting = second.query('select count(*)::int as n from public.tx_probe').then(result => {
		order.push('second');
		return result.rows;
	});
	const dataApi = local.connect().query('select count(*) as n from public.tx_probe').then(result => {
		order.push('data-api');
		return result.rows;
	});
	await new Promise(resolve => setTimeout(resolve, 300));
	t.deepEqual(order, []);
	await first.query('rollback');
	order.push('rolled back');
	t.deepEqual(await waiting, [{n: 0}]);
	t.deepEqual(await dataApi, [[0]]);
	t.is(order[0], 'rolled back');
	// A client that disconnects inside a transaction has it rolled back.
	await first.query('begin; insert into public.tx_probe values (2)');
	await first.end();
	t.deepEqual((await second.query('select count(*)::int as n from public.tx_probe')).rows, [{n: 0}]);
	await second.end();
});
