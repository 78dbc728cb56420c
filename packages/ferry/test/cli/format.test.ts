import test from 'ava';
import {formatAge, formatTable} from '../../source/ui/format.js';

test('formatAge rounds to seconds, minutes, hours, then days', t => {
	const now = Date.parse('2026-11-21T12:00:00Z');
	const ago = (seconds: number) => new Date(now - (seconds * 1000)).toISOString();
	t.is(formatAge(ago(0), now), '0s ago');
	t.is(formatAge(ago(59), now), '59s ago');
	t.is(formatAge(ago(90), now), '2m ago');
	t.is(formatAge(ago(59 * 60), now), '59m ago');
	t.is(formatAge(ago(5 * 3600), now), '5h ago');
	t.is(formatAge(ago(47 * 3600), now), '47h ago');
	t.is(formatAge(ago(72 * 3600), now), '3d ago');
	t.is(formatAge(new Date(now + 10_000).toISOString(), now), '0s ago', 'a clock skew into the future is not negative');
});

test('formatTable pads every column but the last to its widest cell', t => {
	t.is(formatTable(['ID', 'STATE'], [['r2m-1', 'done'], ['x', 'failed']]), 'ID     STATE\nr2m-1  done\nx      failed\n');
	t.is(formatTable(['A', 'B', 'C'], [['1', '', '']]), 'A  B  C\n1\n', 'trailing blanks are trimmed');
});
