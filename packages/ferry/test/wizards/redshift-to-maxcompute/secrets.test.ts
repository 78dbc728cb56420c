import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import type {LocalCloudCredentials} from '@ferry/local-cloud/contract';
import {describeRun, filesUnder, parseJsonOutput, readSessionFile, useLocalCloud, type FerryResult} from '../../helpers/cli.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);

function localKeys(): LocalCloudCredentials {
	return JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'credentials.json'), 'utf8')) as LocalCloudCredentials;
}

/** The argv of a process, or undefined once it has gone. */
function commandLine(pid: number): string | undefined {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
	} catch {
		return undefined;
	}
}

function parentOf(pid: number): number | undefined {
	try {
		// The command name (field 2) is in parentheses and may hold spaces; the parent pid follows it.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return undefined;
	}
}

/** A process and all its descendants, found through /proc. */
function processTree(root: number): number[] {
	const pids = readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number);
	const tree = new Set([root]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const pid of pids) {
			const parent = parentOf(pid);
			if (!tree.has(pid) && parent !== undefined && tree.has(parent)) {
				tree.add(pid);
				grew = true;
			}
		}
	}

	return [...tree];
}

/** Samples the argv of a running command and its children until it exits. */
async function watchArgv(pid: number, exited: () => boolean): Promise<string[]> {
	const seen = new Set<string>();
	while (!exited()) {
		for (const member of processTree(pid)) {
			const line = commandLine(member);
			if (line) {
				seen.add(line);
			}
		}

		await sleep(50);
	}

	return [...seen];
}

function leaksIn(texts: Record<string, string>, secrets: string[]): string[] {
	return Object.entries(texts).filter(([, text]) => secrets.some(secret => text.includes(secret))).map(([name]) => name);
}

test.serial('a run with UNLOAD access keys keeps every secret out of sessions, logs, output, plans and argv', async t => {
	const keys = localKeys();
	const secrets = [keys.aws.secretAccessKey, keys.alibaba.accessKeySecret];
	t.true(secrets.every(secret => secret.length >= 16));
	const answersFile = path.join(cloud.home, 'answers.yaml');
	writeFileSync(answersFile, `unloadAuth: keys\nunloadAccessKeyId: ${keys.aws.accessKeyId}\nunloadSecretAccessKey: ${keys.aws.secretAccessKey}\n`, {mode: 0o600});

	const child = cloud.spawn(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--answers', answersFile]);
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const argv = await watchArgv(child.pid!, () => exited);
	const run = await child;
	t.is(run.exitCode, 0, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, document.verification?.summary.text);
	const session = readSessionFile(cloud.home, document.session.id)!;
	t.is(session.answers['unloadAuth'], 'keys');
	t.is(session.answers['unloadAccessKeyId'], keys.aws.accessKeyId);
	t.true(argv.some(line => line.includes('redshift-to-maxcompute')), 'the CLI\'s own argv was sampled');

	const state = JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'state.json'), 'utf8')) as {pid: number};
	const daemonArgv = commandLine(state.pid);
	t.truthy(daemonArgv);

	const planFile = path.join(cloud.home, 'plan.json');
	const plan = await cloud.ferry(['plan', 'redshift-to-maxcompute', '--local', '--answers', answersFile, '--set', 'tables=orders', '--out', planFile]);
	t.is(plan.exitCode, 0, describeRun(plan));
	// The saved plan names its secret answers, never their values; `apply` takes them from the answers file again.
	const savedPlan = JSON.parse(readFileSync(planFile, 'utf8')) as {answers: Record<string, unknown>};
	t.deepEqual(savedPlan.answers['unloadSecretAccessKey'], {secret: 'unloadSecretAccessKey'});
	const withoutSecret = await cloud.ferry(['apply', planFile, '--yes']);
	t.is(withoutSecret.exitCode, 2, describeRun(withoutSecret));
	t.regex(withoutSecret.stderr, /^✖ The plan refers to the secret unloadSecretAccessKey, which was not given$/m);
	const applied = await cloud.ferry(['apply', planFile, '--plan-only', '--answers', answersFile]);
	t.is(applied.exitCode, 0, describeRun(applied));
	// The UNLOAD in the plan is the one that runs, with the key material redacted (and no token, none was given).
	t.regex(plan.stdout, /^UNLOAD \('SELECT \* FROM "public"\."orders"'\) TO '\S+' ACCESS_KEY_ID '\[redacted\]' SECRET_ACCESS_KEY '\[redacted\]' FORMAT AS PARQUET/m);

	const files = [...filesUnder(path.join(cloud.home, 'sessions')), path.join(cloud.home, 'local-cloud', 'daemon.log')];
	t.true(files.some(file => file.endsWith('session.log')) && files.some(file => file.endsWith('report.md')));
	const texts: Record<string, string> = {
		...Object.fromEntries(files.map(file => [path.relative(cloud.home, file), readFileSync(file, 'utf8')])),
		'run stdout': run.stdout,
		'run stderr': run.stderr,
		'plan Markdown': plan.stdout,
		'plan stderr': plan.stderr,
		'plan file': readFileSync(planFile, 'utf8'),
		'apply --plan-only': applied.stdout + applied.stderr,
		'apply without the secret': withoutSecret.stdout + withoutSecret.stderr,
		'daemon argv': daemonArgv ?? '',
		...Object.fromEntries(argv.map((line, index) => [`argv ${index}: ${line.slice(0, 80)}`, line])),
	};
	t.deepEqual(leaksIn(texts, secrets), []);

	// The secrets live in 0600 files only: ferry's credentials file holds the session's secret answer.
	const credentialFiles = [path.join(cloud.home, 'config', 'credentials.json'), path.join(cloud.home, 'local-cloud', 'credentials.json')];
	for (const file of credentialFiles) {
		t.is(statSync(file).mode & 0o777, 0o600, file);
	}

	t.true(readFileSync(credentialFiles[0]!, 'utf8').includes(keys.aws.secretAccessKey));
});

test.serial('a wrong UNLOAD secret from FERRY_SECRET_* fails the unload step without showing the secret', async t => {
	const keys = localKeys();
	const wrongSecret = `${keys.aws.secretAccessKey.slice(0, -6)}WRONG0`;
	const run: FerryResult = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--set', 'unloadAuth=keys', '--set', `unloadAccessKeyId=${keys.aws.accessKeyId}`, '--set', 'tables=region'], {env: {FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY: wrongSecret}});
	t.is(run.exitCode, 1, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.like(document.steps.find(step => step.id === 'unload'), {state: 'failed'});
	// The stand-in checks UNLOAD's keys the way S3 does: a wrong secret is refused, it is not ignored.
	t.regex(document.error?.message ?? '', /AccessDenied|SignatureDoesNotMatch/);
	const texts: Record<string, string> = {
		stdout: run.stdout,
		stderr: run.stderr,
		...Object.fromEntries(filesUnder(path.join(cloud.home, 'sessions', document.session.id)).map(file => [path.basename(file), readFileSync(file, 'utf8')])),
	};
	t.deepEqual(leaksIn(texts, [wrongSecret, keys.aws.secretAccessKey]), []);
});
