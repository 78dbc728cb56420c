/**
 * `ferry local-cloud start --identities missing`: a fresh account with no roles and a cluster with no IAM roles,
 * shown in status, kept with the data (another choice is refused until `reset`), and `configured` again after it.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {describeRun, parseJsonOutput, runFerry} from '../helpers/cli.js';
import {queryRequest, xmlValue} from '@ferry/local-cloud/test/helpers/query-request';

type Status = {identities: string; services: Array<{name: string; url: string}>};
type Keys = {accessKeyId: string; secretAccessKey: string};

let home = '';

test.before(async () => {
	home = mkdtempSync(path.join(os.tmpdir(), 'ferry-identities-'));
});

test.after.always(async () => {
	if (home) {
		await runFerry(home, ['local-cloud', 'stop'], {timeoutMs: 30_000});
		rmSync(home, {recursive: true, force: true});
	}
});

async function status(): Promise<Status> {
	const result = await runFerry(home, ['local-cloud', 'status', '--json']);
	if (result.exitCode !== 0) {
		throw new Error(describeRun(result));
	}

	return parseJsonOutput<Status>(result);
}

async function keys(): Promise<Keys> {
	const env = parseJsonOutput<{set: Record<string, string>}>(await runFerry(home, ['local-cloud', 'env', '--shell', 'json']));
	return {accessKeyId: env.set['AWS_ACCESS_KEY_ID']!, secretAccessKey: env.set['AWS_SECRET_ACCESS_KEY']!};
}

const urlOf = (state: Status, name: string) => state.services.find(service => service.name === name)!.url;

/** The account's role names and the cluster's IAM roles, through IAM and the Redshift management API. */
async function identities(state: Status): Promise<{roles: string[]; clusterRoles: string[]}> {
	const credentials = await keys();
	const roles = await queryRequest(urlOf(state, 'iam'), {service: 'iam', region: 'us-east-1', keys: credentials, parameters: {Action: 'ListRoles', Version: '2010-05-08'}});
	const clusters = await queryRequest(urlOf(state, 'redshift-management'), {service: 'redshift', region: 'ap-southeast-1', keys: credentials, parameters: {Action: 'DescribeClusters', Version: '2012-12-01'}});
	return {
		roles: [...roles.body.matchAll(/<RoleName>([^<]+)<\/RoleName>/g)].map(match => match[1]!),
		clusterRoles: [...clusters.body.matchAll(/<IamRoleArn>([^<]+)<\/IamRoleArn>/g)].map(match => match[1]!),
	};
}

test.serial('missing: no roles, no cluster association; shown in status and kept until reset', async t => {
	const invalid = await runFerry(home, ['local-cloud', 'start', '--identities', 'none']);
	t.is(invalid.exitCode, 2);
	t.regex(invalid.stderr, /Invalid --identities "none"/);

	const started = await runFerry(home, ['local-cloud', 'start', '--identities', 'missing'], {timeoutMs: 150_000});
	t.is(started.exitCode, 0, describeRun(started));
	t.regex(started.stdout, /Identities: missing/);
	const state = await status();
	t.is(state.identities, 'missing');
	t.deepEqual(await identities(state), {roles: [], clusterRoles: []});
	t.regex((await runFerry(home, ['local-cloud', 'status'])).stdout, /Identities: missing \(no roles or policies were seeded/);

	const running = await runFerry(home, ['local-cloud', 'start', '--identities', 'configured']);
	t.is(running.exitCode, 2);
	t.regex(running.stderr, /already running .* with identities missing/);
	t.is((await runFerry(home, ['local-cloud', 'stop'])).exitCode, 0);
	const kept = await runFerry(home, ['local-cloud', 'start', '--identities', 'configured']);
	t.is(kept.exitCode, 2, describeRun(kept));
	t.regex(kept.stderr, /seeded with identities missing, not configured/);
	t.regex(kept.stderr, /ferry local-cloud reset/);
	const again = await runFerry(home, ['local-cloud', 'start'], {timeoutMs: 150_000});
	t.is(again.exitCode, 0, describeRun(again));
	t.is((await status()).identities, 'missing');
});

test.serial('after reset, the default seeds the UNLOAD role, associated with the cluster', async t => {
	t.is((await runFerry(home, ['local-cloud', 'reset'])).exitCode, 0);
	const started = await runFerry(home, ['local-cloud', 'start'], {timeoutMs: 150_000});
	t.is(started.exitCode, 0, describeRun(started));
	const state = await status();
	t.is(state.identities, 'configured');
	t.deepEqual(await identities(state), {roles: ['ferry-local-unload'], clusterRoles: ['arn:aws:iam::000000000000:role/ferry-local-unload']});
	const caller = await queryRequest(urlOf(state, 'aws-sts'), {service: 'sts', region: 'ap-southeast-1', keys: await keys(), parameters: {Action: 'GetCallerIdentity', Version: '2011-06-15'}});
	t.is(xmlValue(caller.body, 'Arn'), 'arn:aws:iam::000000000000:root');
});
