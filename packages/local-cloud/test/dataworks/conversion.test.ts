import test from 'ava';
import {compileSimpleDateFormat, parseWithPattern} from '../../source/dataworks/simple-date-format.js';
import {createLogTimeParser, javaIntegerValueOf} from '../../source/dataworks/log-time.js';
import {bigDecimalPlainString, toWriterString, ValueConversionError} from '../../source/dataworks/value-strings.js';

const cst = {offsetMinutes: 480, nowMs: Date.UTC(2026, 0, 1)};

function parse(pattern: string, text: string): number | undefined {
	const compiled = compileSimpleDateFormat(pattern);
	if (!compiled.ok) {
		throw new Error(`pattern ${pattern} did not compile`);
	}

	return parseWithPattern(compiled, text, cst);
}

test('SimpleDateFormat subset: fields, literals, quoted text, zone', t => {
	// 2024-03-05 06:07:08 in GMT+8 is 2024-03-04T22:07:08Z.
	t.is(parse('yyyy-MM-dd HH:mm:ss', '2024-03-05 06:07:08'), Date.UTC(2024, 2, 4, 22, 7, 8));
	t.is(parse('yyyy-MM-dd HH:mm:ss.SSS', '2024-03-05 06:07:08.250'), Date.UTC(2024, 2, 4, 22, 7, 8, 250));
	t.is(parse('yyyy_MM_dd \'at\' HH', '2024_03_05 at 06'), Date.UTC(2024, 2, 4, 22));
	t.is(parse('yyyyMMddHHmmss', '20240305060708'), Date.UTC(2024, 2, 4, 22, 7, 8), 'abutting fields take their width');
	t.is(parse('yyyy-MM-dd', '2024-3-5'), Date.UTC(2024, 2, 4, 16), 'non-abutting fields are greedy');
	t.is(parse('yyyy-MM-dd', '2024-03-05 trailing text'), Date.UTC(2024, 2, 4, 16), 'parse(String) ignores what follows');
	t.is(parse('yyyy-MM-dd', '2024-13-01'), Date.UTC(2024, 11, 31, 16), 'lenient: month 13 is January of the next year');
	t.is(parse('yy-MM-dd', '24-01-02'), Date.UTC(2024, 0, 1, 16), 'two-digit years fall within 80 years before now');
	t.is(parse('yy-MM-dd', '47-01-02'), Date.UTC(1947, 0, 1, 16), '…and at most 20 years after it');
	t.is(parse('yyyy-MM-dd', '2024/03/05'), undefined, 'a literal that does not match fails');
	t.is(parse('yyyy-MM-dd', 'x2024-03-05'), undefined);
	t.like(compileSimpleDateFormat('%Y_%m_%d %H:%i:%S'), {ok: false, reason: 'illegal', letter: 'i'});
	t.like(compileSimpleDateFormat('EEE, dd MMM yyyy'), {ok: false, reason: 'unsupported'});
});

test('log time: bigint is Integer.valueOf seconds; anything unparsable silently becomes now', t => {
	const bigint = createLogTimeParser('bigint', cst);
	t.deepEqual(bigint('1529382552'), {seconds: 1_529_382_552, fellBackToNow: false});
	t.deepEqual(bigint('+12'), {seconds: 12, fellBackToNow: false});
	t.deepEqual(bigint('1529382552000'), {seconds: cst.nowMs / 1000, fellBackToNow: true}, 'milliseconds overflow an int');
	t.deepEqual(bigint(' 12'), {seconds: cst.nowMs / 1000, fellBackToNow: true});
	t.deepEqual(bigint(null), {seconds: cst.nowMs / 1000, fellBackToNow: true});
	t.is(javaIntegerValueOf('2147483648'), undefined);
	t.is(javaIntegerValueOf('-2147483648'), -2_147_483_648);

	const pattern = createLogTimeParser('yyyy-MM-dd HH:mm:ss', cst);
	t.deepEqual(pattern('2018-06-19 12:30:25'), {seconds: 1_529_382_625, fellBackToNow: false});
	t.deepEqual(pattern('19/06/2018'), {seconds: cst.nowMs / 1000, fellBackToNow: true});
	// The procedure's strftime-style example is not a SimpleDateFormat pattern: every record gets "now".
	const strftime = createLogTimeParser('%Y_%m_%d %H:%i:%S', cst);
	t.deepEqual(strftime('2018_06_19 12:30:25'), {seconds: cst.nowMs / 1000, fellBackToNow: true});
});

test('values become the strings DataX produces', t => {
	t.is(toWriterString('42', 'bigint'), '42');
	t.is(toWriterString('-9223372036854775808', 'BIGINT'), '-9223372036854775808');
	t.is(toWriterString('1.5', 'double'), '1.5');
	t.is(toWriterString('1.0E10', 'double'), '10000000000');
	t.is(toWriterString('1.0E-5', 'double'), '0.000010');
	t.is(toWriterString('-1.2345E-4', 'double'), '-0.00012345');
	t.is(toWriterString('-0.0', 'double'), '0.0');
	t.is(toWriterString('100.0', 'float'), '100.0');
	t.throws(() => toWriterString('NaN', 'double'), {instanceOf: ValueConversionError});
	t.is(toWriterString('12.50', 'decimal(10,2)'), '12.50');
	t.is(toWriterString('-0.05', 'decimal(10,2)'), '-0.05');
	t.is(toWriterString('true', 'boolean'), 'true');
	t.is(toWriterString('FALSE', 'boolean'), 'false');
	t.is(toWriterString('2024-03-05 06:07:08.123', 'datetime'), '2024-03-05 06:07:08');
	t.is(toWriterString('2024-03-05', 'date'), '2024-03-05');
	t.is(toWriterString('say "hi",\nthen 你好', 'string'), 'say "hi",\nthen 你好');
	t.is(toWriterString(null, 'string'), null);
	t.is(bigDecimalPlainString('1.0E7'), '10000000');
	t.is(bigDecimalPlainString('0.001'), '0.001');
});
