import test from 'ava';
import {insertStatement, odpsString, timestampToMs, valueLiteral} from '../../source/datahub/odps-sql.js';
import {datetimeText, timePartition} from '../../source/datahub/partition.js';

const at = Date.UTC(2026, 0, 8, 23, 52, 41, 7);

test('partition values round down to TimeRange minutes in the connector time zone', t => {
	const config: [string, string][] = [['ds', '%Y%m%d'], ['hh', '%H'], ['mm', '%M']];
	t.deepEqual(timePartition(config, at, 'UTC', 15), [['ds', '20260108'], ['hh', '23'], ['mm', '45']]);
	t.deepEqual(timePartition(config, at, 'UTC', 120), [['ds', '20260108'], ['hh', '22'], ['mm', '00']]);
	// Asia/Shanghai is UTC+8: 23:52 UTC is 07:52 the next day.
	t.deepEqual(timePartition(config, at, 'Asia/Shanghai', 60), [['ds', '20260109'], ['hh', '07'], ['mm', '00']]);
});

test('TIMESTAMP values become DATETIME text by TimestampUnit', t => {
	t.is(timestampToMs('1767916361007000', 'MICROSECOND'), 1_767_916_361_007);
	t.is(timestampToMs('1767916361007', 'MILLISECOND'), 1_767_916_361_007);
	t.is(timestampToMs('1767916361', 'SECOND'), 1_767_916_361_000);
	t.is(datetimeText(at, 'UTC'), '2026-01-08 23:52:41.007');
	t.is(valueLiteral('TIMESTAMP', String(at * 1000), {unit: 'MICROSECOND', timeZone: 'UTC'}), "DATETIME '2026-01-08 23:52:41.007'");
});

test('string literals escape quotes, backslashes and control characters', t => {
	t.is(odpsString("it's \\ a\nb\t\u0001"), "'it\\'s \\\\ a\\nb\\t\\001'");
	t.is(valueLiteral('STRING', null, {unit: 'MICROSECOND', timeZone: 'UTC'}), 'NULL');
	t.is(valueLiteral('BIGINT', '42', {unit: 'MICROSECOND', timeZone: 'UTC'}), "CAST('42' AS BIGINT)");
	t.is(insertStatement('test', [['ds', '20260108']], [["'a'", 'NULL']]), "INSERT INTO `test` PARTITION (`ds`='20260108') VALUES ('a', NULL);");
});
