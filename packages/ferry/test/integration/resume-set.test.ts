import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, sessionDirectory, useLocalCloud, waitForSession} from '../helpers/cli.js';
import type {RunDocument} from '../helpers/run-document.js';

// A wrong answer found only once the session exists (a schema with no tables, a table that is not there) is
// fixed with `ferry resume ID --set key=value`: the hint names that command, and the resume reaches a verified result.
const cloud = useLocalCloud(test);

test.serial('a wrong schema, then a wrong table: each hint names `ferry resume ID --set KEY=…`, and resume --set finishes the run', async t => {
	const before = new Set(listSessionIds(cloud.home));
	const first = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--set', 'sourceSchema=nosuch']);
	t.is(first.exitCode, 2, describeRun(first));
	const sessionId = listSessionIds(cloud.home).find(id => !before.has(id))!;
	t.truthy(sessionId);
	const lines = first.stderr.trimEnd().split('\n').slice(-3);
	t.is(lines[0], '✖ Schema nosuch has no tables');
	t.true(lines[1]?.includes(`\`ferry resume ${sessionId} --set sourceSchema=`), lines[1]);
	t.is(lines[2], `  Session ${sessionId} is saved.`, 'no "continue with ferry resume" that would fail the same way');

	// A table that does not exist cannot be checked before the tables are discovered: the rerun finds it.
	const second = await cloud.ferry(['resume', sessionId, '--set', 'sourceSchema=public', '--set', 'tables=nation,nosuch', '--yes', '--json']);
	t.is(second.exitCode, 2, describeRun(second));
	const refused = parseJsonOutput<RunDocument>(second);
	t.regex(refused.error?.message ?? '', /Unknown tables: nosuch/);
	t.true(refused.error?.hint?.startsWith(`Change the answer and continue: \`ferry resume ${sessionId} --set tables=`), refused.error?.hint);
	t.is(refused.steps.find(step => step.id === 'tables')?.error?.hint, refused.error?.hint, 'the session records the same hint');
	t.deepEqual(refused.steps.filter(step => step.state === 'done').map(step => step.id), ['connections', 'preflight']);

	// Now it is known: a wrong table is refused before anything runs, and nothing changes.
	const third = await cloud.ferry(['resume', sessionId, '--set', 'tables=nosuch2', '--yes']);
	t.is(third.exitCode, 2, describeRun(third));
	t.regex(third.stderr, /Unknown tables: nosuch2 \(choose from /);
	t.deepEqual(readSessionFile(cloud.home, sessionId)?.answers['tables'], ['nation', 'nosuch']);

	const fixed = await cloud.ferry(['resume', sessionId, '--set', 'tables=nation,region', '--yes', '--json'], {timeoutMs: 300_000});
	t.is(fixed.exitCode, 0, describeRun(fixed));
	const document = parseJsonOutput<RunDocument>(fixed);
	t.true(document.ok);
	t.true(document.verification?.equal, document.verification?.summary.text);
	const session = readSessionFile(cloud.home, sessionId)!;
	t.deepEqual(session.answers['tables'], ['nation', 'region']);
	t.is(session.answers['sourceSchema'], 'public');
	const log = readFileSync(path.join(sessionDirectory(cloud.home, sessionId), 'session.log'), 'utf8');
	t.regex(log, /resume: answer sourceSchema changed from "nosuch" to "public"/);
	t.regex(log, /resume: answer tables changed from \["nation","nosuch"\] to \["nation","region"\]/);
});

test.serial('a missing MaxCompute project: its hint once, not once per check that met it', async t => {
	const result = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--set', 'maxcomputeProject=nosuch']);
	t.is(result.exitCode, 3, describeRun(result));
	const {error} = parseJsonOutput<RunDocument>(result);
	t.regex(error?.message ?? '', /project "nosuch" not found/);
	const hint = error?.hint ?? '';
	const sentences = hint.split(/(?<=\.) /);
	t.true(sentences.length > 0);
	t.is(new Set(sentences).size, sentences.length, hint);
});

// The case: killed during "Write records", then resumed with another topic, the records went again into the
// new topic, whose connector synced them into the same table (21,100 rows for 20,000 records).
test.serial('resume --set datahubTopic=another after a kill during "Write records" is refused, and the session is unchanged', async t => {
	t.timeout(600_000);
	const before = new Set(listSessionIds(cloud.home));
	const child = cloud.spawn(['run', 'datahub-to-maxcompute', '--local', '--yes', '--json', '--set', 'records=20000', '--set', 'batchSize=100'], {timeoutMs: 300_000});
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	const writing = await waitForSession(cloud.home, session => !before.has(session.id) && typeof session.steps['write']?.checkpoints['written'] === 'number', {intervalMs: 10, exited: () => exited, timeoutMs: 240_000});
	child.kill('SIGKILL');
	await child;
	t.truthy(writing, 'the write step was never seen writing');
	const file = path.join(sessionDirectory(cloud.home, writing!.id), 'session.json');
	const saved = readFileSync(file, 'utf8');

	const refused = await cloud.ferry(['resume', writing!.id, '--yes', '--json', '--set', 'datahubTopic=another_topic']);
	t.is(refused.exitCode, 2, describeRun(refused));
	const {error} = parseJsonOutput<RunDocument>(refused);
	t.regex(error?.message ?? '', /^Cannot change datahubTopic of session .+: "Write records" already (wrote part of its data|ran) with the old answer, and running it again with the new one would write that data a second time$/);
	t.regex(error?.hint ?? '', /Start a new session with the new answer \(`ferry run datahub-to-maxcompute --set datahubTopic=…`\)/);
	t.is(readFileSync(file, 'utf8'), saved, 'the session is unchanged');

	// An answer edited by hand in session.json is checked again on resume: exit 2, the key named, nothing run.
	const edited = JSON.parse(saved) as {answers: Record<string, unknown>};
	edited.answers['batchSize'] = 0;
	writeFileSync(file, JSON.stringify(edited, undefined, '\t'));
	const rejected = await cloud.ferry(['resume', writing!.id, '--yes', '--json']);
	t.is(rejected.exitCode, 2, describeRun(rejected));
	t.regex(parseJsonOutput<RunDocument>(rejected).error?.message ?? '', /^The saved answer batchSize of session .+ is not valid/);
	t.regex(parseJsonOutput<RunDocument>(rejected).error?.hint ?? '', new RegExp(`^Put it back as it was in .+session\\.json, or change it with \`ferry resume ${writing!.id} --set batchSize=`));
	t.is(readSessionFile(cloud.home, writing!.id)?.steps['write']?.state, JSON.parse(saved).steps.write.state, 'nothing ran');

	// Put back, the session resumes to a verified result with its own topic.
	writeFileSync(file, saved);
	const fixed = await cloud.ferry(['resume', writing!.id, '--yes', '--json'], {timeoutMs: 300_000});
	t.is(fixed.exitCode, 0, describeRun(fixed));
	t.is(parseJsonOutput<RunDocument>(fixed).verification?.outcome, 'equal');
});
