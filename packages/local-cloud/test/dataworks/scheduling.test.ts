import test from 'ava';
import {cstDayStart, parseCron, resolveParaValue, slotsOfDay} from '../../source/dataworks/scheduling.js';

// 2026-11-21 00:00 CST = 2026-11-20 16:00 UTC.
const day = Date.UTC(2026, 10, 20, 16);

test('cron: daily and hourly slots of a CST day, with the business date the day before', t => {
	t.is(cstDayStart(Date.UTC(2026, 10, 21, 3)), day);
	t.is(cstDayStart(Date.UTC(2026, 10, 20, 17)), day);
	const daily = slotsOfDay(parseCron('00 30 00 * * ?', 'DAY'), day);
	t.deepEqual(daily, [{cycTime: day + (30 * 60_000), bizdate: day - 86_400_000}]);
	const hourly = slotsOfDay(parseCron('00 10 00-23/1 * * ?', 'NOT_DAY'), day);
	t.is(hourly.length, 24);
	t.is(hourly[23]!.cycTime, day + (23 * 3_600_000) + (10 * 60_000));
});

test('cron limits from the UpdateFile model: 6 fields, no earlier than 00:05, at most every 5 minutes, DAY runs once', t => {
	t.throws(() => parseCron('0 30 0 * *', 'DAY'), {message: /has 5 fields; DataWorks cron has 6/});
	t.throws(() => parseCron('00 00 00 * * ?', 'DAY'), {message: /before 00:05/});
	t.throws(() => parseCron('00 00/2 * * * ?', 'NOT_DAY'), {message: /less than 5 minutes apart/});
	t.throws(() => parseCron('00 10 00-23/1 * * ?', 'DAY'), {message: /runs 24 times a day/});
	t.throws(() => parseCron('00 30 00 1 * ?', 'DAY'), {message: /daily, hourly and minute cycles/});
	t.notThrows(() => parseCron('00 00/10 * * * ?', 'NOT_DAY') && parseCron('00 05 00 * * ?', 'DAY'));
});

test('scheduling parameters (doc 137548): $bizdate, $cyctime, ${…} from the business date, $[…] from the cycle time, constants', t => {
	const at = {bizdate: day - 86_400_000, cycTime: day + (13 * 3_600_000) + (10 * 60_000)};
	t.deepEqual(resolveParaValue('bizdate=$bizdate cyc=$cyctime dashed=${yyyy-mm-dd} before=${yyyymmdd-1} hour=$[yyyymmddhh24-1/24] now=$[hh24:mi:ss] c=\'abc\'', at), {
		bizdate: '20261120', cyc: '20261121131000', dashed: '2026-11-20', before: '20261119', hour: '2026112112', now: '13:10:00', c: 'abc',
	});
});
