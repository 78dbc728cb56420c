import test from 'ava';
import {closestMatch, editDistance} from '../../source/engine/closest-match.js';

test('editDistance counts insertions, deletions, substitutions and swaps of neighbours', t => {
	t.is(editDistance('', ''), 0);
	t.is(editDistance('scale', 'scale'), 0);
	t.is(editDistance('scal', 'scale'), 1);
	t.is(editDistance('sesions', 'sessions'), 1);
	t.is(editDistance('kitten', 'sitting'), 3);
	t.is(editDistance('', 'abc'), 3);
	t.is(editDistance('tabels', 'tables'), 1, 'a swap of neighbours is one edit');
	t.is(editDistance('strat', 'start'), 1);
	t.is(editDistance('ca', 'abc'), 3, 'optimal string alignment: a swapped pair is not edited again');
	t.is(editDistance('数据', '数据库'), 1, 'by code point, not UTF-16 unit');
});

test('closestMatch: a typo, an abbreviation, or nothing when nothing is close', t => {
	const commands = ['run', 'resume', 'sessions', 'plan', 'verify', 'sql', 'profiles', 'local-cloud', 'completion', 'help'];
	t.is(closestMatch('sesions', commands), 'sessions');
	t.is(closestMatch('lcoal-cloud', commands), 'local-cloud');
	t.is(closestMatch('prof', commands), 'profiles', 'a unique prefix');
	t.is(closestMatch('pro', ['profile', 'progress']), undefined, 'an ambiguous prefix is no answer');
	t.is(closestMatch('strat', ['start', 'stop', 'status', 'reset', 'env']), 'start');
	t.is(closestMatch('fsh', ['bash', 'zsh', 'fish']), 'fish', 'a tie goes to the longer common start');
	t.is(closestMatch('rn', commands), 'run');
	t.is(closestMatch('xyzzy', commands), undefined);
	t.is(closestMatch('', commands), undefined);
	t.is(closestMatch('SQL', commands), 'sql', 'case does not matter');
	t.is(closestMatch('scal', ['scale', 'ports', 'faults']), 'scale');
	t.is(closestMatch('sorce', ['source', 'target']), 'source');
	t.is(closestMatch('datahub', ['redshift-to-maxcompute', 'datahub-to-maxcompute', 'maxcompute-to-loghub']), 'datahub-to-maxcompute');
	t.is(closestMatch('redshift-to-maxcomptue', ['redshift-to-maxcompute', 'datahub-to-maxcompute']), 'redshift-to-maxcompute');
	t.is(closestMatch('pln', ['plan', 'sql']), 'plan', 'one edit for a short word');
	t.is(closestMatch('abcdef', ['uvwxyz']), undefined, 'the limit grows with the word, to a third of it');
});
