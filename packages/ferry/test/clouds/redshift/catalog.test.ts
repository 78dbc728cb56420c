import test from 'ava';
import {describeTable, listTables} from '../../../source/clouds/redshift/catalog.js';
import {createPgConnection} from '../../../source/clouds/redshift/pg-connection.js';
import {ServiceError} from '../../../source/engine/errors.js';
import {tpchRowCounts} from '@ferry/local-cloud/tpch/index';
import {redshiftKeys, startLocalRedshift, type LocalRedshift} from '@ferry/local-cloud/test/helpers/redshift-local';

let local: LocalRedshift;

test.before(async () => {
	local = await startLocalRedshift();
});

test.after.always(async () => {
	await local?.close();
});

const pgConnection = () => createPgConnection({host: '127.0.0.1', port: local.redshift.pgPort, database: 'dev', user: 'awsuser', password: redshiftKeys.secret});

test.serial('listTables reports the TPC-H row counts', async t => {
	const connection = local.connect();
	const tables = await listTables(connection, 'public');
	const counts = tpchRowCounts(0.01);
	for (const [name, rows] of Object.entries(counts)) {
		t.is(tables.find(table => table.name === name)?.rows, rows, name);
	}

	t.true(tables.every(table => table.sizeMb >= 1));
	await connection.close();
});

test.serial('a table created later shows its exact types, through the Data API and through pg', async t => {
	const connection = local.connect();
	await connection.query(`create table public."we""ird" (
		amount numeric(38,10), label varchar(40), seen timestamp, flag boolean, small smallint, ratio real, code char(3) not null
	)`);
	await connection.query(`insert into public."we""ird" values
		(1234567890123456789012345678.0123456789, 'it''s "quoted" — Zürich 東京', '2024-02-29 23:59:59.123456', true, -32768, 1.5, 'abc'),
		(null, null, null, null, null, null, 'x'),
		(0.0000000001, '', '1970-01-01 00:00:00', false, 32767, -0.25, 'yz')`);
	const expected = [
		{name: 'amount', type: 'numeric(38,10)', precision: 38, scale: 10, length: null, nullable: true, ordinal: 1},
		{name: 'label', type: 'character varying(40)', precision: null, scale: null, length: 40, nullable: true, ordinal: 2},
		{name: 'seen', type: 'timestamp without time zone', precision: null, scale: null, length: null, nullable: true, ordinal: 3},
		{name: 'flag', type: 'boolean', precision: null, scale: null, length: null, nullable: true, ordinal: 4},
		{name: 'small', type: 'smallint', precision: 16, scale: 0, length: null, nullable: true, ordinal: 5},
		{name: 'ratio', type: 'real', precision: 24, scale: null, length: null, nullable: true, ordinal: 6},
		{name: 'code', type: 'character(3)', precision: null, scale: null, length: 3, nullable: false, ordinal: 7},
	];
	t.deepEqual(await describeTable(connection, 'public', 'we"ird'), expected);
	const tables = await listTables(connection, 'public');
	t.is(tables.find(table => table.name === 'we"ird')?.rows, 3);

	const pg = pgConnection();
	t.deepEqual(await describeTable(pg, 'public', 'we"ird'), expected);
	const rows = await pg.query('select amount, label, seen, flag, small, ratio from public."we""ird" order by small nulls last');
	t.deepEqual(rows.rows, [
		['1234567890123456789012345678.0123456789', 'it\'s "quoted" — Zürich 東京', '2024-02-29 23:59:59.123456', true, -32768, 1.5],
		['0.0000000001', '', '1970-01-01 00:00:00', false, 32767, -0.25],
		[null, null, null, null, null, null],
	]);
	t.deepEqual(rows.columns[0], {name: 'amount', typeName: 'numeric', precision: 38, scale: 10});
	const viaDataApi = await connection.query('select amount, label from public."we""ird" order by small nulls last');
	t.deepEqual(viaDataApi.rows.map(row => row.slice(0, 2)), rows.rows.map(row => row.slice(0, 2)));
	await pg.close();
	await connection.close();
});

test.serial('the pg client runs statements, reports whoami and SQL errors', async t => {
	const pg = pgConnection();
	t.deepEqual(await pg.whoami(), {user: 'awsuser', database: 'dev'});
	t.deepEqual(await pg.execute('create table public.pg_made (id int)'), {});
	const count = await pg.query('select count(*) from public.lineitem');
	t.is(count.rows[0]?.[0], tpchRowCounts(0.01).lineitem);
	const error = await t.throwsAsync(pg.query('select nope from public.pg_made'), {instanceOf: ServiceError});
	t.regex(error.message, /column "nope" does not exist/);
	await t.throwsAsync(pg.waitFor('any-id'), {message: /no statement ids/});
	await pg.close();
});
