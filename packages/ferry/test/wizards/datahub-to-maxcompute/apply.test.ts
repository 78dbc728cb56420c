import {readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type {PlanFile} from '../../../source/engine/plan-file.js';
import {describeRun, parseJsonOutput, useLocalCloud} from '../../helpers/cli.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);
const planFile = () => path.join(cloud.home, 'plan.json');

async function targetSql(statement: string): Promise<string> {
	const result = await cloud.ferry(['sql', '--local', '--wizard', 'datahub-to-maxcompute', '--side', 'target', statement]);
	if (result.exitCode !== 0) {
		throw new Error(describeRun(result));
	}

	return result.stdout;
}

test.serial('`ferry plan --out` records that the topic and the table do not exist yet', async t => {
	const result = await cloud.ferry(['plan', 'datahub-to-maxcompute', '--local', '--set', 'records=500', '--set', 'datahubTopic=applied', '--set', 'maxcomputeTable=applied_logs', '--out', planFile()]);
	t.is(result.exitCode, 0, describeRun(result));
	const plan = JSON.parse(readFileSync(planFile(), 'utf8')) as PlanFile;
	t.like(plan, {wizard: {id: 'datahub-to-maxcompute'}, facts: {checkBefore: ['table']}, answers: {datahubTopic: 'applied', maxcomputeTable: 'applied_logs', records: 500}});
	t.deepEqual(plan.facts.objects.map(fact => [fact.object.replace(/ \S+\.(?=applied)/, ' '), fact.exists]), [['DataHub topic applied', false], ['MaxCompute table applied_logs', false]]);
	t.true(plan.review.sections.length > 0);
});

test.serial('a table created after the plan stops `ferry apply` with exit 4 before the table step; without it the plan runs to a verified result', async t => {
	await targetSql('CREATE TABLE applied_logs (note STRING) PARTITIONED BY (ds STRING)');
	const drifted = await cloud.ferry(['apply', planFile(), '--yes', '--json']);
	t.is(drifted.exitCode, 4, describeRun(drifted));
	const document = parseJsonOutput<RunDocument>(drifted);
	t.regex(document.error?.message ?? '', /so table did not start:\n- MaxCompute table \S+\.applied_logs: now exists \(it did not when planned\)$/);
	t.like(document.steps.find(step => step.id === 'topic'), {state: 'pending'});

	await targetSql('DROP TABLE applied_logs');
	const plan = JSON.parse(readFileSync(planFile(), 'utf8')) as PlanFile;
	const applied = await cloud.ferry(['apply', planFile(), '--yes', '--json']);
	t.is(applied.exitCode, 0, describeRun(applied));
	const finished = parseJsonOutput<RunDocument & {session: {planHash?: string}}>(applied);
	t.true(finished.verification?.equal, finished.verification?.summary.text);
	t.is(finished.session.planHash, plan.hash);
});
