import test from 'ava';
import {cycleFor} from '../../../wizards/maxcompute-to-loghub/schedule.js';

const day = Date.UTC(2026, 10, 20, 16); // 2026-11-21 00:00 CST

test('a daily partition gets a daily cycle reading pt=${bizdate}, the business date of each instance', t => {
	const cycle = cycleFor('pt=20161226');
	if ('problem' in cycle) {
		t.fail(cycle.problem);
		return;
	}

	t.like(cycle, {kind: 'daily', cycleType: 'DAY', cronExpress: '00 30 00 * * ?', paraValue: 'bizdate=$bizdate', partition: 'pt=${bizdate}'});
	t.is(cycle.valueFor({bizdate: day - 86_400_000, cycTime: day + 1_800_000}), '20261120');
	const dashed = cycleFor('ds=2016-12-26');
	t.true(!('problem' in dashed) && dashed.partition === 'ds=${bizdate_dashed}' && dashed.valueFor({bizdate: day - 86_400_000, cycTime: day}) === '2026-11-20');
});

test('an hourly partition gets an hourly cycle reading the hour before the cycle time; anything else has no cycle', t => {
	const cycle = cycleFor('pt=2016122613');
	t.true(!('problem' in cycle) && cycle.cycleType === 'NOT_DAY' && cycle.paraValue === 'last_hour=$[yyyymmddhh24-1/24]');
	t.is(!('problem' in cycle) && cycle.valueFor({bizdate: day - 86_400_000, cycTime: day + (13 * 3_600_000) + 600_000}), '2026112112');
	t.regex((cycleFor('pt=latest') as {problem: string}).problem, /not a day .* or an hour/);
});
