import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type {LocalCloudCredentials} from '@ferry/local-cloud/contract';
import {describeRun, parseJsonOutput, useLocalCloud} from '../../helpers/cli.js';
import {redshiftToMaxComputeSteps, type RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);

test.serial('a headless run over the direct connection (PostgreSQL protocol) unloads, loads and verifies equal', async t => {
	const status = await cloud.ferry(['local-cloud', 'status', '--json']);
	t.is(status.exitCode, 0, describeRun(status));
	const pgPort = parseJsonOutput<{doorPorts: Record<string, number>}>(status).doorPorts['redshift-pg'];
	t.truthy(pgPort);
	// The local cluster's master user is awsuser; its password is the local cloud's AWS secret key.
	const keys = (JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'credentials.json'), 'utf8')) as LocalCloudCredentials).aws;
	const answersFile = path.join(cloud.home, 'direct.json');
	writeFileSync(answersFile, JSON.stringify({redshiftPassword: keys.secretAccessKey}), {mode: 0o600});

	const result = await cloud.ferry([
		'run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--answers', answersFile,
		'--set', 'redshiftAccess=direct', '--set', 'redshiftHost=127.0.0.1', '--set', `redshiftPort=${pgPort}`, '--set', 'redshiftUser=awsuser',
	]);
	t.is(result.exitCode, 0, describeRun(result));
	const document = parseJsonOutput<RunDocument>(result);
	t.deepEqual(document.steps.map(step => [step.id, step.state]), redshiftToMaxComputeSteps.map(id => [id, 'done']));
	t.true(document.verification?.equal, document.verification?.summary.text);
	t.is(document.verification?.comparisons.filter(comparison => comparison.kind === 'row-count').length, 8);
	t.false(result.stdout.includes(keys.secretAccessKey) || result.stderr.includes(keys.secretAccessKey));
});

test.serial('on the local profile, --set redshiftAccess=direct needs no other answer: host, port, user and password come from the local cloud', async t => {
	const result = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--set', 'redshiftAccess=direct', '--set', 'tables=nation,region']);
	t.is(result.exitCode, 0, describeRun(result));
	const document = parseJsonOutput<RunDocument>(result);
	t.true(document.verification?.equal, document.verification?.summary.text);
	const session = JSON.parse(readFileSync(path.join(cloud.home, 'sessions', document.session.id, 'session.json'), 'utf8')) as {answers: Record<string, unknown>};
	t.is(session.answers['redshiftHost'], '127.0.0.1');
	t.is(session.answers['redshiftUser'], 'awsuser');
	t.false('redshiftPassword' in session.answers, 'the password is a secret: never in the session');
	const keys = (JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'credentials.json'), 'utf8')) as LocalCloudCredentials).aws;
	t.false(readFileSync(path.join(cloud.home, 'local-cloud', 'state.json'), 'utf8').includes(keys.secretAccessKey), 'the state file holds a reference, not the password');
});
