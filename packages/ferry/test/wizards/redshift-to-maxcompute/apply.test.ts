import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type {PlanFile} from '../../../source/engine/plan-file.js';
import type {Session} from '../../../source/engine/session.js';
import {describeRun, listSessionIds, parseJsonOutput, useLocalCloud} from '../../helpers/cli.js';
import {redshiftToMaxComputeSteps, type RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
const tables = 'tables=nation,region';
const planFile = () => path.join(cloud.home, 'plan.json');

async function sourceSql(statement: string): Promise<void> {
	const result = await cloud.ferry(['sql', '--local', '--wizard', 'redshift-to-maxcompute', '--side', 'source', statement]);
	if (result.exitCode !== 0) {
		throw new Error(describeRun(result));
	}
}

async function targetTables(): Promise<string> {
	const result = await cloud.ferry(['sql', '--local', '--wizard', 'redshift-to-maxcompute', '--side', 'target', 'SHOW TABLES']);
	if (result.exitCode !== 0) {
		throw new Error(describeRun(result));
	}

	return result.stdout;
}

test.serial('`ferry plan --out` writes the answers, endpoints, each table\'s columns and rows, the review and a content hash', async t => {
	const result = await cloud.ferry(['plan', 'redshift-to-maxcompute', '--local', '--set', tables, '--out', planFile()]);
	t.is(result.exitCode, 0, describeRun(result));
	// The Markdown stays on stdout.
	t.regex(result.stdout, /^# Plan: 2 tables from Redshift public to MaxCompute/m);
	const plan = JSON.parse(readFileSync(planFile(), 'utf8')) as PlanFile;
	t.regex(result.stderr, new RegExp(`Plan for \`ferry apply\` written to .*plan\\.json \\(${plan.hash}\\)`));
	t.like(plan, {format: 'ferry-plan', formatVersion: 1, wizard: {id: 'redshift-to-maxcompute', version: 1}, profile: {name: 'local'}, facts: {rowTolerance: {percent: 0}, checkBefore: ['identities', 'unload']}});
	t.deepEqual(plan.answers['tables'], ['nation', 'region']);
	t.truthy(plan.profile.endpoints['aws']?.['s3']);
	t.deepEqual(plan.facts.objects.map(fact => [fact.object, fact.exists, fact.rows]), [['Redshift table public.nation', true, 25], ['Redshift table public.region', true, 5]]);
	t.deepEqual(plan.facts.objects[1]!.columns!.map(column => column.name), ['r_regionkey', 'r_name', 'r_comment']);
	t.true(plan.review.sections.some(section => section.code?.includes('UNLOAD (\'SELECT * FROM "public"."nation"\')')));
	t.deepEqual(listSessionIds(cloud.home), []);
});

test.serial('a tampered plan is refused with exit 2 and no session', async t => {
	const plan = JSON.parse(readFileSync(planFile(), 'utf8')) as PlanFile;
	const tampered = path.join(cloud.home, 'tampered.json');
	writeFileSync(tampered, JSON.stringify({...plan, answers: {...plan.answers, tables: ['nation', 'region', 'orders']}}, undefined, 2));
	const result = await cloud.ferry(['apply', tampered, '--yes']);
	t.is(result.exitCode, 2, describeRun(result));
	t.regex(result.stderr, /^✖ .*tampered\.json was changed after it was made: its content hash is sha256:[\da-f]{64}, the file says sha256:/m);
	t.deepEqual(listSessionIds(cloud.home), []);
});

test.serial('a column added to a source table stops `ferry apply` with exit 4 and a diff naming it, before anything is created', async t => {
	await sourceSql('ALTER TABLE public.region ADD COLUMN r_note varchar(20)');
	t.teardown(async () => sourceSql('ALTER TABLE public.region DROP COLUMN r_note'));
	const planOnly = await cloud.ferry(['apply', planFile(), '--plan-only']);
	t.is(planOnly.exitCode, 4, describeRun(planOnly));
	t.regex(planOnly.stdout, /^Drift since the plan \(1 change\):\n- Redshift table public\.region: column r_note character varying\(20\) added$/m);

	const result = await cloud.ferry(['apply', planFile(), '--yes', '--json']);
	t.is(result.exitCode, 4, describeRun(result));
	const document = parseJsonOutput<RunDocument & {error: {message: string; code: string}}>(result);
	t.like(document.error, {code: 'PlanDrift'});
	t.regex(document.error.message, /^The source changed since plan sha256:[\da-f]{64} was made \(1 change\), so identities did not start:\n- Redshift table public\.region: column r_note character varying\(20\) added$/);
	t.deepEqual(document.steps.map(step => [step.id, step.state]), redshiftToMaxComputeSteps.map((id, index) => [id, index < 4 ? 'done' : id === 'identities' ? 'failed' : 'pending']));
	t.notRegex(await targetTables(), /:(nation|region)\b/);
});

test.serial('with no change, `ferry apply` prints the hash and runs to a verified result; the session names the plan', async t => {
	const plan = JSON.parse(readFileSync(planFile(), 'utf8')) as PlanFile;
	const planOnly = await cloud.ferry(['apply', planFile(), '--plan-only']);
	t.is(planOnly.exitCode, 0, describeRun(planOnly));
	t.is(planOnly.stdout, 'No drift: the 2 objects the plan depends on are as planned.\n');

	const result = await cloud.ferry(['apply', planFile(), '--yes', '--json']);
	t.is(result.exitCode, 0, describeRun(result));
	t.true(result.stderr.includes(`${plan.hash}\n`), result.stderr);
	const document = parseJsonOutput<RunDocument & {session: {planHash?: string}}>(result);
	t.true(document.verification?.equal);
	t.is(document.session.planHash, plan.hash);

	const shown = await cloud.ferry(['sessions', 'show', document.session.id, '--json']);
	t.like(parseJsonOutput<Session>(shown).plan, {hash: plan.hash, file: planFile()});
	const plain = await cloud.ferry(['sessions', 'show', document.session.id]);
	t.true(plain.stdout.includes(`applied from ${planFile()}, plan ${plan.hash}`), plain.stdout);
	t.regex(await targetTables(), /:nation\b/);
});

test.serial('a row count outside the plan\'s tolerance is drift', async t => {
	await sourceSql('INSERT INTO public.region VALUES (5, \'ANTARCTICA\', \'cold\')');
	t.teardown(async () => sourceSql('DELETE FROM public.region WHERE r_regionkey = 5'));
	const result = await cloud.ferry(['apply', planFile(), '--plan-only', '--json']);
	t.is(result.exitCode, 4, describeRun(result));
	t.deepEqual(parseJsonOutput<{drift: unknown[]}>(result).drift, [{object: 'Redshift table public.region', change: '5 rows when planned, 6 now (the plan allows no change)'}]);
});
