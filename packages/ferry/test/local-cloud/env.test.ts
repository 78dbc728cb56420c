/**
 * `ferry local-cloud env` against a running local cloud: its output, evaluated by bash, points awscli and psql at
 * the stand-ins (OSS through the daemon's *.localhost proxy), and the proxy reaches nothing but 127.0.0.1.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import test from 'ava';
import {ferryCliPath, parseJsonOutput, runFerry, useLocalCloud} from '../helpers/cli.js';

const cloud = useLocalCloud(test);
const hasAws = spawnSync('aws', ['--version']).status === 0;
const hasPsql = spawnSync('psql', ['--version']).status === 0;

type EnvJson = {note: string; set: Record<string, string>; unset: string[]};

/** Runs a bash script after `eval "$(ferry local-cloud env)"`, in a clean environment with a private HOME. */
function bashWithEnv(script: string): {status: number | null; stdout: string; stderr: string} {
	const home = mkdtempSync(path.join(os.tmpdir(), 'ferry-env-home-'));
	try {
		const prelude = `set -euo pipefail\nferry() { "${process.execPath}" "${ferryCliPath}" "$@"; }\neval "$(ferry local-cloud env)"\n`;
		return spawnSync('bash', ['-c', `${prelude}${script}`], {
			encoding: 'utf8',
			timeout: 120_000,
			// AWS_PROFILE stands for a user's real setting, which the output must clear.
			env: {PATH: process.env['PATH'], HOME: home, FERRY_HOME: cloud.home, NO_COLOR: '1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: 'prod'},
		});
	} finally {
		rmSync(home, {recursive: true, force: true});
	}
}

async function throughProxy(proxy: string, target: string): Promise<{status: number; body: string}> {
	const proxyUrl = new URL(proxy);
	return new Promise((resolve, reject) => {
		const request = http.request({host: proxyUrl.hostname, port: Number(proxyUrl.port), path: target, headers: {host: new URL(target).host}}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
		});
		request.on('error', reject);
		request.end();
	});
}

async function environment(): Promise<EnvJson> {
	return parseJsonOutput<EnvJson>(await cloud.ferry(['local-cloud', 'env', '--shell', 'json']));
}

test.serial('without a running local cloud: exit 3, one line, and the hint to start it', async t => {
	const empty = mkdtempSync(path.join(os.tmpdir(), 'ferry-env-empty-'));
	t.teardown(() => rmSync(empty, {recursive: true, force: true}));
	const result = await runFerry(empty, ['local-cloud', 'env']);
	t.is(result.exitCode, 3);
	t.is(result.stdout, '');
	t.regex(result.stderr, /The local cloud is not running/);
	t.regex(result.stderr, /ferry local-cloud start/);
});

test.serial('refuses another profile (exit 2) and an unknown shell (exit 2)', async t => {
	const profile = await cloud.ferry(['local-cloud', 'env', '--profile', 'prod']);
	t.is(profile.exitCode, 2);
	t.is(profile.stdout, '');
	t.regex(profile.stderr, /local cloud's keys only/);
	const shell = await cloud.ferry(['local-cloud', 'env', '--shell', 'zsh']);
	t.is(shell.exitCode, 2);
	t.regex(shell.stderr, /Invalid --shell "zsh"/);
	t.is((await cloud.ferry(['local-cloud', 'env', '--profile', 'local'])).exitCode, 0);
});

test.serial('the keys printed are the local cloud\'s own; the AWS files ferry points at are private', async t => {
	const {set} = await environment();
	const keys = JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'credentials.json'), 'utf8')) as {aws: {accessKeyId: string; secretAccessKey: string}; alibaba: {accessKeyId: string; accessKeySecret: string}};
	t.is(set['AWS_ACCESS_KEY_ID'], keys.aws.accessKeyId);
	t.is(set['AWS_SECRET_ACCESS_KEY'], keys.aws.secretAccessKey);
	t.is(set['ALIBABA_CLOUD_ACCESS_KEY_ID'], keys.alibaba.accessKeyId);
	t.is(set['ALIBABA_CLOUD_ACCESS_KEY_SECRET'], keys.alibaba.accessKeySecret);
	for (const file of [set['AWS_CONFIG_FILE']!, set['AWS_SHARED_CREDENTIALS_FILE']!]) {
		t.is(statSync(file).mode & 0o777, 0o600);
	}

	const status = parseJsonOutput<{localhostProxy: string}>(await cloud.ferry(['local-cloud', 'status', '--json']));
	t.is(set['HTTP_PROXY'], status.localhostProxy);
});

test.serial('the daemon\'s proxy reaches *.localhost stand-ins and refuses any other destination with 403', async t => {
	const {set} = await environment();
	const proxy = set['HTTP_PROXY']!;
	const refused = await throughProxy(proxy, 'http://example.com/');
	t.is(refused.status, 403);
	t.regex(refused.body, /only http:\/\/\*\.localhost/);
	t.is((await throughProxy(proxy, 'http://169.254.169.254/latest/meta-data/')).status, 403);
	// An anonymous ListBuckets reaches the OSS stand-in, which answers with its own error document.
	const oss = await throughProxy(proxy, `${set['FERRY_LOCAL_OSS_ENDPOINT']!}/`);
	t.regex(oss.body, /<Error>[\s\S]*<Code>/);
});

if (hasAws) {
	test.serial('eval "$(ferry local-cloud env)": awscli lists and writes S3, OSS (through the proxy) and calls the Redshift Data API', t => {
		const result = bashWithEnv(`
aws s3 mb s3://env-check-s3 >/dev/null
aws s3api list-buckets --query 'Buckets[].Name' --output text
echo '--- s3 ls'
aws s3 ls
echo '--- oss'
oss() { aws --profile ferry-local-oss --endpoint-url "$FERRY_LOCAL_OSS_ENDPOINT" "$@"; }
oss s3 mb s3://env-check-oss >/dev/null
printf 'hello oss' > "$HOME/hello.txt"
oss s3 cp "$HOME/hello.txt" s3://env-check-oss/dir/hello.txt >/dev/null
oss s3api list-buckets --query 'Buckets[].Name' --output text
oss s3 ls s3://env-check-oss/dir/
oss s3 cp s3://env-check-oss/dir/hello.txt - 
echo
echo '--- redshift-data'
aws redshift-data execute-statement --cluster-identifier "$FERRY_LOCAL_REDSHIFT_CLUSTER" --db-user "$FERRY_LOCAL_REDSHIFT_DB_USER" --database dev --sql 'select 1' --query Id --output text
`);
		t.is(result.status, 0, result.stderr);
		const [s3Buckets = '', s3Listing = '', rest = ''] = result.stdout.split(/--- s3 ls\n|--- oss\n/);
		t.true(s3Buckets.split(/\s+/).includes('env-check-s3'));
		t.regex(s3Listing, /\benv-check-s3\n/);
		t.false(s3Listing.includes('env-check-oss'));
		const [oss = '', redshift = ''] = rest.split('--- redshift-data\n');
		t.true(oss.split(/\s+/).includes('env-check-oss'));
		t.regex(oss, /\b9 hello\.txt\n/);
		t.regex(oss, /hello oss/);
		t.regex(redshift.trim(), /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/);
	});
} else {
	test.skip('awscli through `ferry local-cloud env`: skipped because `aws` (awscli) is not on PATH; .ci/run installs it', () => {});
}

(hasPsql ? test.serial : test.skip)(`psql with PGHOST/PGPORT/PGUSER/PGDATABASE from the env queries the local Redshift${hasPsql ? '' : ' (skipped: psql is not installed)'}`, t => {
	const result = bashWithEnv('psql -XAtc \'select count(*) > 0 from orders\'');
	t.is(result.status, 0, result.stderr);
	t.is(result.stdout.trim(), 't');
});

test.serial('the proxy keeps its port across a restart', async t => {
	const before = (await environment()).set['HTTP_PROXY'];
	t.is((await cloud.ferry(['local-cloud', 'stop'])).exitCode, 0);
	t.is((await cloud.ferry(['local-cloud', 'start'], {timeoutMs: 150_000})).exitCode, 0);
	t.is((await environment()).set['HTTP_PROXY'], before);
});
