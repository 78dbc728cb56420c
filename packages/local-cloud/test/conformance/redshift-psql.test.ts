/**
 * psql, an independent PostgreSQL client, against the Redshift stand-in's wire door: what psql sees here must be
 * what it sees on a cluster (catalog views, UNLOAD, one session per connection, Redshift's auth failure).
 */
import {execFile, spawn, spawnSync} from 'node:child_process';
import test, {type ExecutionContext} from 'ava';
import {localUnloadRoleArn} from '../../source/contract.js';
import {redshiftKeys, startLocalRedshift, unloadBucket, type LocalRedshift} from '../helpers/redshift-local.js';

const hasPsql = spawnSync('psql', ['--version'], {encoding: 'utf8'}).status === 0;

let local: LocalRedshift;

if (hasPsql) {
	test.before(async () => {
		local = await startLocalRedshift();
	});

	test.after.always(async () => {
		await local?.close();
	});
}

type PsqlResult = {code: number; stdout: string; stderr: string};

const psqlEnv = (password = redshiftKeys.secret): NodeJS.ProcessEnv => ({
	PATH: process.env.PATH, HOME: process.env.HOME, PGHOST: '127.0.0.1', PGPORT: String(local.redshift.pgPort), PGUSER: 'awsuser',
	PGDATABASE: 'dev', PGPASSWORD: password, PGSSLMODE: 'prefer', PGCONNECT_TIMEOUT: '10',
});

/** Runs psql unaligned, tuples only (`-At`), stopping at the first error. */
async function psql(sql: string, password?: string): Promise<PsqlResult> {
	return new Promise(resolve => {
		execFile('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], {env: psqlEnv(password), timeout: 60_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

const skipWithoutPsql = (title: string, implementation: (t: ExecutionContext) => Promise<void>) => {
	if (hasPsql) {
		test.serial(title, implementation);
	} else {
		test(title, t => {
			t.log('psql is not installed (apt-get install postgresql-client): skipped');
			t.pass();
		});
	}
};

skipWithoutPsql('catalog queries: pg_table_def, svv_tables, information_schema and version()', async t => {
	const tableDef = await psql('select "column", type, "notnull" from pg_table_def where tablename = \'nation\' order by "column"');
	t.is(tableDef.code, 0, tableDef.stderr);
	t.deepEqual(tableDef.stdout.trim().split('\n'), ['n_comment|character varying(152)|t', 'n_name|character(25)|t', 'n_nationkey|integer|t', 'n_regionkey|integer|t']);
	const tables = await psql('select table_name, table_type from svv_tables where table_schema = \'public\' order by 1');
	t.deepEqual(tables.stdout.trim().split('\n'), ['customer|BASE TABLE', 'lineitem|BASE TABLE', 'nation|BASE TABLE', 'orders|BASE TABLE', 'part|BASE TABLE', 'partsupp|BASE TABLE', 'region|BASE TABLE', 'supplier|BASE TABLE']);
	const columns = await psql('select count(*) from information_schema.columns where table_schema = \'public\' and table_name = \'lineitem\'');
	t.is(columns.stdout.trim(), '16');
	const version = await psql('select version(); show server_version');
	t.regex(version.stdout, /^PostgreSQL 8\.0\.2 on i686-pc-linux-gnu, .* Redshift 1\.0\.\d+$/m);
});

skipWithoutPsql('UNLOAD on the wire writes Parquet files into the S3 stand-in and says so', async t => {
	const result = await psql(`UNLOAD ('select * from region where r_name <> ''X''') TO 's3://${unloadBucket}/psql/region_' IAM_ROLE '${localUnloadRoleArn}' FORMAT AS PARQUET MANIFEST`);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /INFO: {2}UNLOAD completed, 5 record\(s\) unloaded successfully\./);
	const keys = (await local.objectStore.inventory(unloadBucket, 'psql/')).objects.map(object => object.key).sort();
	t.deepEqual(keys, ['psql/region_0000_part_00.parquet', 'psql/region_0001_part_00.parquet', 'psql/region_manifest']);
	const refused = await psql(`UNLOAD ('select 1') TO 's3://${unloadBucket}/psql/region_' IAM_ROLE '${localUnloadRoleArn}' FORMAT AS PARQUET`);
	t.not(refused.code, 0);
	t.regex(refused.stderr, /ERROR: {2}Specified unload destination on S3 is not empty/);
});

skipWithoutPsql('two psql sessions keep their own search_path and temporary tables', async t => {
	await psql('create schema if not exists psql_own; create table if not exists psql_own.mine (x int)');
	// One interactive psql holds its session open while another runs.
	const held = spawn('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1'], {env: psqlEnv(), stdio: ['pipe', 'pipe', 'pipe']});
	let output = '';
	held.stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	const waitFor = async (text: string) => {
		for (let attempt = 0; attempt < 200 && !output.includes(text); attempt++) {
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	};

	t.teardown(() => {
		held.kill();
	});
	held.stdin.write('set search_path to psql_own, public;\ncreate temp table psql_temp (id int);\ninsert into psql_temp values (42);\nselect \'ready\';\n');
	await waitFor('ready');
	const other = await psql('show search_path; select count(*) from mine');
	t.regex(other.stdout, /^"\$user", public$/m);
	t.regex(other.stderr, /relation "mine" does not exist/);
	const otherTemp = await psql('select * from psql_temp');
	t.regex(otherTemp.stderr, /relation "psql_temp" does not exist/);
	held.stdin.write('select count(*) from mine; select id from psql_temp; show search_path; select \'done\';\n');
	await waitFor('done');
	held.stdin.end();
	await new Promise(resolve => held.once('close', resolve));
	t.deepEqual(output.trim().split('\n'), ['SET', 'CREATE TABLE', 'INSERT 0 1', 'ready', '0', '42', 'psql_own, public', 'done']);
	const afterwards = await psql('select * from psql_temp');
	t.regex(afterwards.stderr, /relation "psql_temp" does not exist/);
});

skipWithoutPsql('a wrong password is refused as Redshift refuses it', async t => {
	const result = await psql('select 1', 'not-the-password');
	t.is(result.code, 2);
	t.regex(result.stderr, /FATAL: {2}password authentication failed for user "awsuser"/);
});
