import test from 'ava';
import {ServiceError} from '../../../source/engine/errors.js';
import {createMemoryLogger} from '../../../source/log/logger.js';
import {tpchRowCounts} from '@ferry/local-cloud/tpch/index';
import {startLocalRedshift, type LocalRedshift} from '@ferry/local-cloud/test/helpers/redshift-local';

let local: LocalRedshift;

test.before(async () => {
	local = await startLocalRedshift();
});

test.after.always(async () => {
	await local?.close();
});

test.serial('execute, wait and query read every page of a large result with exact values', async t => {
	const connection = local.connect();
	const result = await connection.query('select o_orderkey, o_totalprice, o_orderdate, o_comment from orders order by o_orderkey');
	t.is(result.rows.length, tpchRowCounts(0.01).orders);
	t.true(result.rows.length > 1000, 'more than one page');
	t.deepEqual(result.columns.map(column => column.typeName), ['int8', 'numeric', 'date', 'varchar']);
	t.is(result.columns[1]?.precision, 15);
	t.is(result.columns[1]?.scale, 2);
	t.is(typeof result.rows[0]?.[0], 'number');
	t.regex(String(result.rows[0]?.[1]), /^\d+\.\d{2}$/);
	t.regex(String(result.rows[0]?.[2]), /^\d{4}-\d{2}-\d{2}$/);
	await connection.close();
});

test.serial('a statement started with execute reports its rows through waitFor and attach', async t => {
	const connection = local.connect();
	await connection.query('create table public.scratch (id int, name varchar(10))');
	const {statementId} = await connection.execute('insert into public.scratch values (1, \'a\'), (2, null)');
	const statuses: string[] = [];
	const finished = await connection.waitFor(statementId, {onStatus: description => statuses.push(description.status)});
	t.is(finished.status, 'FINISHED');
	t.is(finished.resultRows, 2);
	t.is(statuses.at(-1), 'FINISHED');
	const attached = await connection.attach(statementId);
	t.is(attached.id, statementId);
	t.is(attached.status, 'FINISHED');
	t.deepEqual(await connection.whoami(), {user: 'awsuser', database: 'dev'});
	await connection.close();
});

test.serial('failing SQL gives Redshift\'s error text', async t => {
	const connection = local.connect();
	const error = await t.throwsAsync(connection.query('select * from no_such_table'), {instanceOf: ServiceError});
	t.regex(error.message, /relation "no_such_table" does not exist/);
	t.is(error.code, 'StatementFailed');
	await connection.close();
});

test.serial('a wrong secret is an auth error and is not retried', async t => {
	const logger = createMemoryLogger();
	const connection = local.connect({credentials: {accessKeyId: 'AKIAFERRYREDSHIFT01', secretAccessKey: 'wrong-secret-value'}, logger});
	const error = await t.throwsAsync(connection.query('select 1'), {instanceOf: ServiceError});
	t.is(error.status, 403);
	t.is(error.code, 'InvalidSignatureException');
	t.is(error.exitCode, 3);
	t.is(logger.lines.length, 1, 'one attempt only');
	t.false(logger.lines.join('\n').includes('wrong-secret-value'));
	await connection.close();
});

test.serial('throttling and 503 are retried, each attempt logged', async t => {
	const logger = createMemoryLogger();
	const connection = local.connect({logger});
	local.redshift.injectFault({status: 400, code: 'ThrottlingException', count: 1});
	local.redshift.injectFault({status: 503, code: 'ServiceUnavailable', count: 1});
	const result = await connection.query('select 41 + 1 as answer');
	t.deepEqual(result.rows, [[42]]);
	t.true(logger.lines.some(line => line.includes('ThrottlingException')));
	t.true(logger.lines.some(line => line.includes('-> 503')));
	t.true(logger.lines.some(line => line.includes('attempt 3')));
	await connection.close();
});

test.serial('unknown statement ids and unknown clusters give the service\'s errors', async t => {
	const connection = local.connect();
	const unknown = await t.throwsAsync(connection.attach('00000000-0000-0000-0000-000000000000'), {instanceOf: ServiceError});
	t.is(unknown.code, 'ResourceNotFoundException');
	const unknownCluster = local.connect({target: {kind: 'cluster', clusterIdentifier: 'no-such-cluster'}});
	const invalid = await t.throwsAsync(unknownCluster.execute('select 1'), {instanceOf: ServiceError});
	t.is(invalid.code, 'ValidationException');
	t.false(invalid.retryable);
	await connection.close();
	await unknownCluster.close();
});
