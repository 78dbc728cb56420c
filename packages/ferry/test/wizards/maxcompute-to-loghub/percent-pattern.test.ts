import test from 'ava';
import {isPercentPattern, translatePercentPattern} from '../../../wizards/maxcompute-to-loghub/percent-pattern.js';
import {logTimeParser} from '../../../wizards/maxcompute-to-loghub/log-time.js';

test('the procedure\'s parameter table pattern (strftime) becomes yyyy_MM_dd HH:mm:ss', t => {
	t.deepEqual(translatePercentPattern('%Y_%m_%d %H:%M:%S'), {pattern: 'yyyy_MM_dd HH:mm:ss'});
});

test('the procedure\'s JSON example (MySQL, %i for minutes) becomes the same pattern', t => {
	t.deepEqual(translatePercentPattern('%Y_%m_%d %H:%i:%S'), {pattern: 'yyyy_MM_dd HH:mm:ss'});
	t.deepEqual(translatePercentPattern('%Y-%m-%d %H:%i:%s'), {pattern: 'yyyy-MM-dd HH:mm:ss'}, 'MySQL %s is seconds');
});

test('%M is minutes in strftime and the month name in MySQL', t => {
	t.deepEqual(translatePercentPattern('%H:%M'), {pattern: 'HH:mm'});
	t.deepEqual(translatePercentPattern('%d %M %Y %H:%i'), {pattern: 'dd MMMM yyyy HH:mm'});
});

test('literal letters are quoted and quotes doubled, so Java reads them as text', t => {
	t.deepEqual(translatePercentPattern('%Y-%m-%dT%H:%M:%SZ'), {pattern: 'yyyy-MM-dd\'T\'HH:mm:ss\'Z\''});
	t.deepEqual(translatePercentPattern('at %H o\'clock'), {pattern: '\'at \'HH\' o\'\'clock\''});
	t.deepEqual(translatePercentPattern('%F %T'), {pattern: 'yyyy-MM-dd HH:mm:ss'});
	t.deepEqual(translatePercentPattern('100%% %Y'), {pattern: '100% yyyy'});
});

test('directives with no SimpleDateFormat equivalent are refused with the reason', t => {
	t.regex((translatePercentPattern('%s') as {problem: string}).problem, /bigint/);
	t.regex((translatePercentPattern('%Y %H:%M:%S.%f') as {problem: string}).problem, /%f .*finer/);
	t.regex((translatePercentPattern('%Y %U') as {problem: string}).problem, /week numbers/);
	t.regex((translatePercentPattern('%Y %q') as {problem: string}).problem, /not a date directive/);
	t.regex((translatePercentPattern('%Y %') as {problem: string}).problem, /at the end/);
});

test('a translated pattern parses the values it describes', t => {
	const translation = translatePercentPattern('%Y_%m_%d %H:%M:%S') as {pattern: string};
	const parser = logTimeParser(translation.pattern, 0);
	t.true('parse' in parser);
	if ('parse' in parser) {
		t.is(parser.parse('2016_12_01 08:30:05'), Date.UTC(2016, 11, 1, 8, 30, 5));
	}
});

test('only % directives count as a percent pattern', t => {
	t.true(isPercentPattern('%Y_%m_%d'));
	t.false(isPercentPattern('yyyy_MM_dd HH:mm:ss'));
	t.false(isPercentPattern('bigint'));
	t.false(isPercentPattern('100 % sure'));
});
