import {readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type {PlanFile} from '../../../source/engine/plan-file.js';
import {describeRun, parseJsonOutput, useLocalCloud} from '../../helpers/cli.js';

const cloud = useLocalCloud(test);
const planFile = () => path.join(cloud.home, 'plan.json');

test.serial('`ferry plan --out` records the table\'s columns and the partition\'s rows; a row added to it is drift', async t => {
	const result = await cloud.ferry(['plan', 'maxcompute-to-loghub', '--local', '--set', 'logstore=applied', '--out', planFile()]);
	t.is(result.exitCode, 0, describeRun(result));
	const plan = JSON.parse(readFileSync(planFile(), 'utf8')) as PlanFile;
	t.like(plan, {wizard: {id: 'maxcompute-to-loghub'}, facts: {checkBefore: ['log-service', 'run']}, answers: {logstore: 'applied', partition: 'pt=20161226'}});
	const [table] = plan.facts.objects;
	t.like(table, {exists: true});
	t.true(table!.columns!.some(column => column.name === 'pt' && column.partition === true));
	t.is(table!.partitions!.length, 1);
	const planned = table!.partitions![0]!;
	t.is(planned.name, 'pt=20161226');
	t.true(planned.rows! > 0);

	const same = await cloud.ferry(['apply', planFile(), '--plan-only']);
	t.is(same.exitCode, 0, describeRun(same));
	t.is(same.stdout, 'No drift: the 1 object the plan depends on is as planned.\n');

	const insert = await cloud.ferry(['sql', '--local', '--wizard', 'maxcompute-to-loghub', '--side', 'source', 'INSERT INTO ak_biz_log_detail PARTITION (pt=\'20161226\') VALUES (\'extra\', 1, 1.5, 2.25, true, \'one more row\', \'2016_12_26 12:00:00\')']);
	t.is(insert.exitCode, 0, describeRun(insert));
	const drifted = await cloud.ferry(['apply', planFile(), '--plan-only', '--json']);
	t.is(drifted.exitCode, 4, describeRun(drifted));
	t.deepEqual(parseJsonOutput<{drift: Array<{change: string}>}>(drifted).drift.map(item => item.change), [`partition pt=20161226: ${planned.rows!.toLocaleString('en-US')} rows when planned, ${(planned.rows! + 1).toLocaleString('en-US')} now (the plan allows no change)`]);
});
