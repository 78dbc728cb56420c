/**
 * awscli's `redshift-data`, an independent client of the Redshift Data API, against the Redshift stand-in: the
 * operations beyond ferry's own use (batches, listings, the catalog) and the errors a real cluster answers with.
 */
import {execFile, spawnSync} from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {localRegion} from '../../source/contract.js';
import {redshiftKeys, startLocalRedshift, type LocalRedshift} from '../helpers/redshift-local.js';

const hasAws = spawnSync('aws', ['--version'], {encoding: 'utf8'}).status === 0;

let work: string;
let local: LocalRedshift;

if (hasAws) {
	test.before(async () => {
		work = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-awscli-redshift-'));
		await fs.writeFile(path.join(work, 'config'), '[default]\n');
		local = await startLocalRedshift();
	});

	test.after.always(async () => {
		await local?.close();
		if (work) {
			await fs.rm(work, {recursive: true, force: true});
		}
	});
}

type AwsResult = {code: number; stdout: string; stderr: string};

async function aws(args: string[]): Promise<AwsResult> {
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH, HOME: work, NO_PROXY: '*',
		AWS_ACCESS_KEY_ID: redshiftKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: redshiftKeys.secret, AWS_DEFAULT_REGION: localRegion,
		AWS_CONFIG_FILE: path.join(work, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
		AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1',
	};
	return new Promise(resolve => {
		execFile('aws', ['--endpoint-url', local.redshift.url, '--output', 'json', 'redshift-data', ...args], {env, timeout: 120_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

async function ok<T>(args: string[]): Promise<T> {
	const result = await aws(args);
	if (result.code !== 0) {
		throw new Error(`aws redshift-data ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
	}

	return JSON.parse(result.stdout) as T;
}

const target = ['--cluster-identifier', 'ferry-local', '--database', 'dev'];

async function finished(id: string): Promise<{Status: string; SubStatements?: Array<{Id: string; Status: string}>; Error?: string}> {
	for (;;) {
		const described = await ok<{Status: string}>(['describe-statement', '--id', id]);
		if (['FINISHED', 'FAILED', 'ABORTED'].includes(described.Status)) {
			return described;
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

const awsTest = (title: string, implementation: (t: ExecutionContext) => Promise<void>) => {
	if (hasAws) {
		test.serial(title, implementation);
	} else {
		test(title, t => {
			t.log('awscli is not installed: skipped');
			t.pass();
		});
	}
};

awsTest('batch-execute-statement, then get-statement-result of a sub-statement and list-statements', async t => {
	const {Id} = await ok<{Id: string}>(['batch-execute-statement', ...target, '--db-user', 'awsuser', '--statement-name', 'cli-batch',
		'--sqls', 'create table public.cli_probe (x int)', 'insert into public.cli_probe values (1), (2), (3)', 'select sum(x) from public.cli_probe']);
	const described = await finished(Id);
	t.is(described.Status, 'FINISHED');
	t.deepEqual(described.SubStatements?.map(sub => sub.Id), [`${Id}:1`, `${Id}:2`, `${Id}:3`]);
	const result = await ok<{Records: unknown[][]}>(['get-statement-result', '--id', `${Id}:3`]);
	t.deepEqual(result.Records, [[{longValue: 6}]]);
	const listed = await ok<{Statements: Array<{Id: string; StatementName?: string; IsBatchStatement: boolean}>}>(['list-statements', '--statement-name', 'cli-']);
	t.deepEqual(listed.Statements.map(statement => [statement.Id, statement.StatementName, statement.IsBatchStatement]), [[Id, 'cli-batch', true]]);
});

awsTest('execute-statement with --parameters, in the IAM-identity mode (no --db-user, no --secret-arn)', async t => {
	const {Id} = await ok<{Id: string}>(['execute-statement', ...target, '--sql', 'select r_name from region where r_regionkey = :key',
		'--parameters', '[{"name":"key","value":"3"}]']);
	t.is((await finished(Id)).Status, 'FINISHED');
	const result = await ok<{Records: Array<Array<{stringValue?: string}>>}>(['get-statement-result', '--id', Id]);
	t.is(result.Records[0]?.[0]?.stringValue?.trim(), 'EUROPE');
});

awsTest('list-databases, list-schemas, list-tables and describe-table', async t => {
	t.deepEqual((await ok<{Databases: string[]}>(['list-databases', ...target])).Databases, ['dev']);
	t.true((await ok<{Schemas: string[]}>(['list-schemas', ...target])).Schemas.includes('public'));
	const tables = await ok<{Tables: Array<{name: string; schema: string; type: string}>}>(['list-tables', ...target, '--schema-pattern', 'public', '--table-pattern', 'part%']);
	t.deepEqual(tables.Tables, [{name: 'part', schema: 'public', type: 'TABLE'}, {name: 'partsupp', schema: 'public', type: 'TABLE'}]);
	// The CLI follows NextToken itself: a small page size still returns every column.
	const columns = await ok<{ColumnList: Array<{name: string; typeName: string}>}>(['describe-table', ...target, '--schema', 'public', '--table', 'orders', '--page-size', '3']);
	t.deepEqual(columns.ColumnList.map(column => column.name), ['o_orderkey', 'o_custkey', 'o_orderstatus', 'o_totalprice', 'o_orderdate', 'o_orderpriority', 'o_clerk', 'o_shippriority', 'o_comment']);
});

awsTest('errors: an unknown cluster, a malformed id, an unknown id', async t => {
	const cluster = await aws(['execute-statement', '--cluster-identifier', 'nowhere', '--database', 'dev', '--sql', 'select 1']);
	t.not(cluster.code, 0, cluster.stderr);
	t.regex(cluster.stderr, /\(ValidationException\).*Redshift endpoint doesn't exist in this region\./);
	const malformed = await aws(['describe-statement', '--id', 'abc']);
	t.regex(malformed.stderr, /\(ValidationException\)/);
	const unknown = await aws(['get-statement-result', '--id', '11111111-2222-3333-4444-555555555555']);
	t.regex(unknown.stderr, /\(ResourceNotFoundException\)/);
});
