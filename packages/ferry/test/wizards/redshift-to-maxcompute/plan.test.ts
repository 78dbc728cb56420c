import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {describeRun, listSessionIds, useLocalCloud} from '../../helpers/cli.js';

const cloud = useLocalCloud(test);

function sessionSecretsInCredentialsFile(): string[] {
	const file = path.join(cloud.home, 'config', 'credentials.json');
	return existsSync(file) ? Object.keys((JSON.parse(readFileSync(file, 'utf8')) as {sessions?: Record<string, unknown>}).sessions ?? {}) : [];
}

test.serial('`ferry plan` prints the UNLOAD, CREATE TABLE and LOAD statements of exactly the chosen tables, and leaves nothing behind', async t => {
	const result = await cloud.ferry(['plan', 'redshift-to-maxcompute', '--local', '--set', 'tables=orders,lineitem']);
	t.is(result.exitCode, 0, describeRun(result));
	const markdown = result.stdout;
	t.regex(markdown, /^# Plan: 2 tables from Redshift public to MaxCompute ferry_local$/m);
	t.deepEqual([...markdown.matchAll(/^## (\d)\. /gm)].map(match => match[1]), ['1', '2', '3', '4', '5']);
	t.deepEqual([...markdown.matchAll(/^UNLOAD \('SELECT \* FROM "public"\."(\w+)"'\) TO 's3:\/\/ferry-unload\/unload_from_redshift\/\1\/\1_' IAM_ROLE '[^']+' FORMAT AS PARQUET MAXFILESIZE \d+ MB CLEANPATH;$/gm)].map(match => match[1]), ['orders', 'lineitem']);
	t.deepEqual([...markdown.matchAll(/^CREATE TABLE `(\w+)` \(/gm)].map(match => match[1]), ['orders', 'lineitem']);
	t.deepEqual([...markdown.matchAll(/^LOAD OVERWRITE TABLE `(\w+)`\nFROM LOCATION 'oss:\/\/[^/]+\/ferry-landing\/unload_from_redshift\/\1\/'/gm)].map(match => match[1]), ['orders', 'lineitem']);
	t.is([...markdown.matchAll(/^(UNLOAD|CREATE TABLE|LOAD)\b/gm)].length, 6);
	t.regex(markdown, /`l_extendedprice` DECIMAL\(15,2\)/);
	t.notRegex(markdown, /customer|partsupp|supplier/);

	t.deepEqual(listSessionIds(cloud.home), []);
	t.deepEqual(sessionSecretsInCredentialsFile(), []);
	// A plan changes nothing: no table was created in MaxCompute.
	const tables = await cloud.ferry(['sql', '--local', '--wizard', 'redshift-to-maxcompute', '--side', 'target', 'SHOW TABLES']);
	t.is(tables.exitCode, 0, describeRun(tables));
	t.notRegex(tables.stdout, /:(orders|lineitem)\b/);

	const outputFile = path.join(cloud.home, 'plan.md');
	const written = await cloud.ferry(['plan', 'redshift-to-maxcompute', '--local', '--set', 'tables=orders,lineitem', '--output', outputFile]);
	t.is(written.exitCode, 0, describeRun(written));
	t.is(written.stdout, '');
	t.is(readFileSync(outputFile, 'utf8'), markdown);
});

test.serial('`ferry plan` with a table that does not exist exits 2 naming it, and leaves no session', async t => {
	const result = await cloud.ferry(['plan', 'redshift-to-maxcompute', '--local', '--set', 'tables=orders,no_such_table']);
	t.is(result.exitCode, 2, describeRun(result));
	t.regex(result.stderr, /^✖ .*no_such_table/m);
	t.notRegex(result.stderr, /^\s{4}at /m);
	t.is(result.stdout, '');
	t.deepEqual(listSessionIds(cloud.home), []);
	t.deepEqual(sessionSecretsInCredentialsFile(), []);
});
