import test from 'ava';
import {parseCliArgs, parseSetFlags} from '../../source/cli/cli-args.js';
import {UsageError} from '../../source/engine/errors.js';

test('splits the command, its positionals and the flags', t => {
	const parsed = parseCliArgs(['run', 'redshift-to-maxcompute', '--local', '-y', '--json', '--no-input', '-s', 'a=1', '--set', 'b=2', '-p', 'prod', '--answers', 'a.yaml']);
	t.is(parsed.command, 'run');
	t.deepEqual(parsed.positionals, ['redshift-to-maxcompute']);
	t.like(parsed.flags, {local: true, yes: true, json: true, noInput: true, help: false, version: false, quiet: false, logLevel: 'info', profile: 'prod', answers: 'a.yaml', set: ['a=1', 'b=2']});
});

test('no arguments means no command and default flags', t => {
	const parsed = parseCliArgs([]);
	t.is(parsed.command, undefined);
	t.deepEqual(parsed.positionals, []);
	t.deepEqual(parsed.flags.set, []);
	t.false(parsed.flags.json);
	t.is(parsed.flags.profile, undefined);
});

test('an unknown flag is a one-line usage error with a hint', t => {
	const error = t.throws(() => parseCliArgs(['run', '--frobnicate']), {instanceOf: UsageError});
	t.is(error?.exitCode, 2);
	t.is(error?.message, 'Unknown option --frobnicate for ferry run');
	t.is(error?.hint, 'See `ferry run --help`.');
});

test('a string flag without its value is a usage error', t => {
	const error = t.throws(() => parseCliArgs(['run', '--profile']), {instanceOf: UsageError});
	t.false(error?.message.includes('\n'));
	t.true(error?.message.includes('--profile'));
});

test('--set pairs split at the first = and keep the rest of the value', t => {
	t.deepEqual(parseSetFlags(['a=1', 'filter=x=y', ' spaced =v', 'empty=']), {a: '1', filter: 'x=y', spaced: 'v', empty: ''});
	t.throws(() => parseSetFlags(['novalue']), {instanceOf: UsageError, message: '--set needs key=value, got "novalue"'});
	t.throws(() => parseSetFlags(['=value']), {instanceOf: UsageError});
});
