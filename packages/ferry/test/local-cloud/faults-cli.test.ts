import {readFileSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {describeRun, parseJsonOutput, runFerry} from '../helpers/cli.js';

type Status = {running: boolean; pid: number; faults: string; services: Array<{name: string; url: string}>};

const spec = 's3:503:100%,oss:reset:100%,maxcompute:slow:1';
let home = '';

test.before(async () => {
	home = mkdtempSync(path.join(os.tmpdir(), 'ferry-faults-'));
	const started = await runFerry(home, ['local-cloud', 'start', '--faults', spec], {
		timeoutMs: 150_000,
		env: {AWS_SECRET_ACCESS_KEY: 'aws-secret-of-the-shell', FERRY_SECRET_REDSHIFT_PASSWORD: 'pw', ALIBABA_CLOUD_ACCESS_KEY_ID: 'ak', MY_API_TOKEN: 'tok', GITHUB_KEY: 'k', SOME_SETTING: 'harmless'},
	});
	if (started.exitCode !== 0) {
		throw new Error(`ferry local-cloud start --faults failed:\n${describeRun(started)}`);
	}
});

test.after.always(async () => {
	if (home) {
		await runFerry(home, ['local-cloud', 'stop'], {timeoutMs: 30_000});
		rmSync(home, {recursive: true, force: true});
	}
});

async function status(): Promise<Status> {
	const result = await runFerry(home, ['local-cloud', 'status', '--json']);
	// With every S3 request failing, the health check still counts an answer (a 503) as up.
	t_assert(result.exitCode === 0, describeRun(result));
	return parseJsonOutput<Status>(result);
}

function t_assert(condition: boolean, message: string): asserts condition {
	if (!condition) {
		throw new Error(message);
	}
}

function urlOf(state: Status, name: string): string {
	const url = state.services.find(service => service.name === name)?.url;
	t_assert(url !== undefined, `no ${name} in ${JSON.stringify(state)}`);
	// *.localhost names resolve through ferry's own lookup only.
	const parsed = new URL(url);
	parsed.hostname = '127.0.0.1';
	return parsed.toString();
}

test.serial('status shows the faults in force, as text and JSON', async t => {
	t.is((await status()).faults, spec);
	const text = await runFerry(home, ['local-cloud', 'status']);
	t.regex(text.stdout, new RegExp(`Faults in force: ${spec.replaceAll('%', '%')}`));
});

test.serial('s3:503:100% answers every S3 request with 503 SlowDown in S3\'s XML shape', async t => {
	const response = await fetch(new URL('/some-bucket?list-type=2', urlOf(await status(), 's3')));
	t.is(response.status, 503);
	const body = await response.text();
	t.regex(body, /<Code>SlowDown<\/Code>/);
	t.truthy(response.headers.get('x-amz-request-id'));
});

test.serial('oss:reset drops the connection', async t => {
	const url = urlOf(await status(), 'oss');
	const error = await t.throwsAsync(fetch(url));
	t.regex(`${error?.message} ${String((error?.cause as Error | undefined)?.message)}`, /fetch failed|socket|closed|reset/i);
});

test.serial('maxcompute:slow:1 delays a request by a second, then it is answered', async t => {
	const url = urlOf(await status(), 'maxcompute');
	const started = Date.now();
	const response = await fetch(new URL('/api/projects/ferry_local', url));
	t.true(Date.now() - started >= 950, `answered after ${Date.now() - started} ms`);
	// Unsigned, so the stand-in itself answers: the request went through after the delay.
	t.true(response.status === 401 || response.status === 403, String(response.status));
});

test.serial('the daemon runs without the launching shell\'s secrets', async t => {
	const {pid} = await status();
	const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
	const names = environment.map(entry => entry.slice(0, entry.indexOf('=')));
	for (const name of ['AWS_SECRET_ACCESS_KEY', 'FERRY_SECRET_REDSHIFT_PASSWORD', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'MY_API_TOKEN', 'GITHUB_KEY', 'SOME_SETTING']) {
		t.false(names.includes(name), name);
	}

	t.false(environment.some(entry => /aws-secret-of-the-shell/.test(entry)));
	t.true(names.includes('PATH'));
	t.true(environment.includes(`FERRY_HOME=${home}`));
});

test.serial('start with different faults while running is a usage error; a bad spec too', async t => {
	const different = await runFerry(home, ['local-cloud', 'start', '--faults', 's3:500:1']);
	t.is(different.exitCode, 2, describeRun(different));
	t.regex(different.stderr, /already running .*with faults/);
	const bad = await runFerry(home, ['local-cloud', 'start', '--faults', 's3:teapot:1']);
	t.is(bad.exitCode, 2, describeRun(bad));
	t.regex(bad.stderr, /Invalid --faults entry "s3:teapot:1"/);
	t.regex(bad.stderr, /--faults s3:503:5%/);
});

test.serial('status exits 3 with one line when the local cloud is not running', async t => {
	const stopped = await runFerry(home, ['local-cloud', 'stop']);
	t.is(stopped.exitCode, 0, describeRun(stopped));
	const result = await runFerry(home, ['local-cloud', 'status']);
	t.is(result.exitCode, 3, describeRun(result));
	t.is(result.stdout.trim().split('\n').length, 1);
	t.regex(result.stdout, /not running/);
	const json = await runFerry(home, ['local-cloud', 'status', '--json']);
	t.is(json.exitCode, 3);
	t.deepEqual(parseJsonOutput(json), {running: false});
});
