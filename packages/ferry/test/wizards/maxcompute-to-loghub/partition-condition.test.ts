import test from 'ava';
import {UsageError} from '../../../source/engine/errors.js';
import {partitionCondition} from '../../../wizards/maxcompute-to-loghub/verification.js';

// `--set 'partition=pt=2016\'` reached MaxCompute as an unclosed literal ("ODPS-0130161 string literal is not closed").
test('a partition value ending in a backslash still closes its literal; quotes, backticks and NUL are handled', t => {
	t.is(partitionCondition({column: 'pt', value: '2016\\'}), '`pt` = \'2016\\\\\'');
	t.is(partitionCondition({column: 'pt', value: 'it\'s'}), '`pt` = \'it\\\'s\'');
	t.is(partitionCondition({column: 'p`t', value: '1'}), '`p``t` = \'1\'');
	t.throws(() => partitionCondition({column: 'pt', value: 'a\u0000'}), {instanceOf: UsageError});
});
