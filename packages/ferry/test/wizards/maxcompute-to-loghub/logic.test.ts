import test from 'ava';
import {buildJob, checkJob} from '../../../wizards/maxcompute-to-loghub/job.js';
import {javaDoubleString, logString} from '../../../wizards/maxcompute-to-loghub/log-strings.js';
import {logTimeParser} from '../../../wizards/maxcompute-to-loghub/log-time.js';
import {diCounts} from '../../../wizards/maxcompute-to-loghub/run-instance.js';

test('values become the strings the LogHub writer sends (Java\'s Double and BigDecimal rules, NULL as "")', t => {
	const cases: Array<[number, string]> = [[3, '3.0'], [1e10, '10000000000'], [0.1, '0.1'], [-2.5, '-2.5'], [1.5e-7, '0.00000015'], [123_456.789, '123456.789'], [1e7, '10000000'], [9_999_999, '9999999.0']];
	for (const [value, expected] of cases) {
		t.is(javaDoubleString(value), expected, String(value));
	}

	t.is(logString('bigint', '9223372036854775807'), '9223372036854775807');
	t.is(logString('decimal(20,4)', '-0.0001'), '-0.0001');
	t.is(logString('boolean', 'TRUE'), 'true');
	t.is(logString('datetime', '2026-11-01T08:30:00'), '2026-11-01 08:30:00');
	t.is(logString('string', null), '');
	t.is(logString('string', 'two\nlines'), 'two\nlines');
});

test('the time format is checked the way the writer parses: SimpleDateFormat in China Standard Time, or bigint seconds', t => {
	const pattern = logTimeParser('yyyy_MM_dd HH:mm:ss', 480);
	if ('problem' in pattern) {
		t.fail(pattern.problem);
		return;
	}

	t.is(pattern.parse('2016_12_26 08:00:00'), Date.UTC(2016, 11, 26, 0, 0, 0));
	t.is(pattern.parse('2016-12-26 08:00:00'), undefined);
	t.is(pattern.parse('2016_13_26 08:00:00'), undefined);
	const seconds = logTimeParser('bigint', 480);
	if ('problem' in seconds) {
		t.fail(seconds.problem);
		return;
	}

	t.is(seconds.parse('1482710400'), 1_482_710_400_000);
	t.is(seconds.parse('2016_12_26 08:00:00'), undefined);
	t.is(seconds.parse('2147483648'), undefined, 'Integer.valueOf stops at 2^31 - 1');
	t.regex((logTimeParser('%Y_%m_%d %H:%i:%S', 480) as {problem: string}).problem, /letter i, which Java's SimpleDateFormat refuses/);
	t.regex((logTimeParser('EEE, dd MMM yyyy', 480) as {problem: string}).problem, /letter E, which ferry cannot check/);
});

test('jobs are checked the same in both forms: columns, time and its format, batchSize', t => {
	const built = buildJob({odpsDataSource: 'odps_first', loghubDataSource: 'sls', table: 't', partition: 'pt=1', columns: ['a', 'b'], logstore: 'ls', topic: '', batchSize: 1024, time: 'b', timeFormat: 'bigint'});
	t.like(checkJob(built), {shape: {reader: {table: 't', partition: ['pt=1'], column: ['a', 'b']}, writer: {logstore: 'ls', batchSize: 1024, time: 'b', timeFormat: 'bigint'}}});
	const broken = {type: 'job', version: '1.0', configuration: {reader: {plugin: 'odps', parameter: {table: 't', column: ['a', 'b', 'c']}}, writer: {plugin: 'loghub', parameter: {logstore: 'ls', batchSize: '8192', column: ['a', 'b'], time: 'x'}}}};
	t.deepEqual(checkJob(broken), {problems: [
		'the reader reads 3 columns but the writer names 2 keys: every record would be dirty',
		'writer.batchSize is 8192; it must be a whole number from 1 to 4096',
		'writer.time is x, so writer.timeFormat is required',
		'writer.time names x, which is not among writer.column',
	]});
	t.deepEqual(checkJob({type: 'job', steps: []}), {problems: ['the reader must be the odps plugin with parameters', 'the writer must be the loghub plugin with parameters']});
});

test('the DI log\'s summary gives the records read, written and dirty', t => {
	t.deepEqual(diCounts('...\n读出记录总数                    : 1000\n读写失败总数                    : 3\n'), {read: 1000, written: 997, dirty: 3});
});
