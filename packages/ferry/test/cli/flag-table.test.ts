import {readFileSync} from 'node:fs';
import test from 'ava';
import {parseCliArgs} from '../../source/cli/cli-args.js';
import {commandTable} from '../../source/cli/command-table.js';
import {allCommands, camelCase, commandName, findCommand, parseCommandLine, renderCommandHelp, type CommandSpec} from '../../source/cli/flag-table.js';
import {UsageError} from '../../source/engine/errors.js';

const wizard = 'redshift-to-maxcompute';

const usage = (argv: string[]) => {
	const error = (() => {
		try {
			parseCliArgs(argv, {});
		} catch (caught) {
			return caught;
		}

		return undefined;
	})();
	if (!(error instanceof UsageError)) {
		throw new Error(`${argv.join(' ')} was accepted`);
	}

	return {message: error.message, hint: error.hint, exitCode: error.exitCode};
};

test('a flag of another command is refused, and the hint says whose it is (issue 18: sessions list --scale 5 exited 0)', t => {
	t.deepEqual(usage(['sessions', 'list', '--scale', '5', '--faults', 'x']), {
		message: 'Unknown option --scale for ferry sessions list',
		hint: '--scale is an option of `ferry local-cloud start`. See `ferry sessions list --help`.',
		exitCode: 2,
	});
	t.is(usage(['sessions', '--scale', '5']).message, 'Unknown option --scale for ferry sessions list', 'a bare group is its default action');
	t.deepEqual(usage(['sessions', 'list', '--jsn']), {message: 'Unknown option --jsn for ferry sessions list', hint: 'Did you mean --json? See `ferry sessions list --help`.', exitCode: 2}, 'the nearest flag of the command itself');
});

test('a mistyped flag names the closest one and the command\'s help', t => {
	t.deepEqual(usage(['local-cloud', 'start', '--scal', '5']), {message: 'Unknown option --scal for ferry local-cloud start', hint: 'Did you mean --scale? See `ferry local-cloud start --help`.', exitCode: 2});
	t.is(usage(['run', wizard, '--jsn']).hint, 'Did you mean --json? See `ferry run --help`.');
	t.is(usage(['run', wizard, '--answer', 'a.yaml']).hint, 'Did you mean --answers? See `ferry run --help`.');
	t.deepEqual(usage(['run', wizard, '-z']), {message: 'Unknown option -z for ferry run', hint: 'See `ferry run --help`.', exitCode: 2});
	t.is(usage(['completion', 'bash', '--json']).hint, '--json is an option of `ferry run`, `ferry resume`, `ferry sessions`. See `ferry completion --help`.');
});

test('values outside a flag\'s or an argument\'s choices are refused with the closest one', t => {
	t.deepEqual(usage(['sql', '--side', 'sorce', 'SELECT 1']), {message: 'Invalid --side "sorce" for ferry sql', hint: 'Did you mean source? Use one of source, target. See `ferry sql --help`.', exitCode: 2});
	t.deepEqual(usage(['run', wizard, '--log-level', 'verbose']), {message: 'Invalid --log-level "verbose" for ferry run', hint: 'Use one of error, warn, info, debug. See `ferry run --help`.', exitCode: 2}, 'nothing close: no guess');
	t.is(usage(['run', wizard, '--log-level=debugg']).hint, 'Did you mean debug? Use one of error, warn, info, debug. See `ferry run --help`.');
	t.deepEqual(usage(['completion', 'fsh']), {message: 'Unknown shell "fsh" for ferry completion', hint: 'Did you mean fish? Use one of bash, zsh, fish. See `ferry completion --help`.', exitCode: 2});
	t.regex(usage(['local-cloud', 'env', '--shell', 'zsh']).message, /^Invalid --shell "zsh"/);
});

test('unknown commands and actions name the closest one', t => {
	t.deepEqual(usage(['sesions']), {message: 'Unknown command "sesions"', hint: 'Did you mean `ferry sessions`? See `ferry --help`.', exitCode: 2});
	t.deepEqual(usage(['local-cloud', 'strat']), {message: 'Unknown local-cloud action "strat"', hint: 'Did you mean `ferry local-cloud start`? The actions: start, stop, status, reset, env. See `ferry local-cloud --help`.', exitCode: 2});
	t.is(usage(['profiles', 'remvoe', 'x']).hint, 'Did you mean `ferry profiles remove`? The actions: list, show, add, test, remove. See `ferry profiles --help`.');
	t.deepEqual(usage(['xyzzy']), {message: 'Unknown command "xyzzy"', hint: 'See `ferry --help`.', exitCode: 2}, 'nothing close: no guess');
});

test('an unknown wizard names the closest one, the wizards and the command\'s help (issue 22: no hint)', t => {
	t.deepEqual(usage(['run', 'datahub', '--local']), {message: 'Unknown wizard "datahub" for ferry run', hint: 'Did you mean datahub-to-maxcompute? Use one of redshift-to-maxcompute, datahub-to-maxcompute, maxcompute-to-loghub. See `ferry run --help`.', exitCode: 2});
	t.is(usage(['plan', 'redshift-to-maxcomptue']).hint, 'Did you mean redshift-to-maxcompute? Use one of redshift-to-maxcompute, datahub-to-maxcompute, maxcompute-to-loghub. See `ferry plan --help`.');
	t.is(usage(['run', 'nothing-like-it']).hint, 'Use one of redshift-to-maxcompute, datahub-to-maxcompute, maxcompute-to-loghub. See `ferry run --help`.');
	t.is(usage(['sql', '--profile', 'local', '--wizard', 'maxcompute-to-log', '--side', 'source', 'SELECT 1']).message, 'Invalid --wizard "maxcompute-to-log" for ferry sql');
	t.true(renderCommandHelp(findCommand(commandTable, ['run'])!).includes('\nWizards\n  redshift-to-maxcompute  '), 'the command\'s help lists them');
});

test('a missing value, a surplus argument, a value for a switch and a flag given twice are refused', t => {
	t.deepEqual(usage(['run', wizard, '--profile']), {message: '--profile needs a value (NAME) for ferry run', hint: 'Example: --profile NAME. See `ferry run --help`.', exitCode: 2});
	t.is(usage(['run', wizard, '--profile', '--json']).message, '--profile needs a value (NAME) for ferry run');
	t.deepEqual(usage(['sessions', 'show', 'a', 'b']), {message: 'Unexpected argument "b" for ferry sessions show', hint: 'Usage: ferry sessions show <ID> [options]. See `ferry sessions show --help`.', exitCode: 2});
	t.is(usage(['run', wizard, '--yes=no']).message, '--yes takes no value for ferry run');
	t.is(usage(['run', wizard, '--profile', 'a', '-p', 'b']).message, '-p is given twice for ferry run');
	t.is(usage(['run', wizard, '--quiet', '--verbose']).message, '--quiet and --verbose contradict each other');
});

test('the accepted forms: --name value, --name=value, -x value, -xVALUE, -yq, repeatable flags, -- before dashes', t => {
	const parsed = parseCliArgs(['run', wizard, '--profile=prod', '-yq', '-sa=1', '--set', 'b=2', '--set=c=3', '--events', '-'], {});
	t.like(parsed, {command: 'run', positionals: [wizard]});
	t.like(parsed.flags, {profile: 'prod', yes: true, quiet: true, logLevel: 'error', set: ['a=1', 'b=2', 'c=3'], events: '-'});
	const sql = parseCliArgs(['sql', '--local', '--side', 'target', '--', '-- a comment', 'SELECT 1'], {});
	t.deepEqual(sql.positionals, ['-- a comment', 'SELECT 1']);
	const before = parseCliArgs(['local-cloud', '--json', '--faults', 's3:503:1', 'start'], {});
	t.like(before, {command: 'local-cloud', positionals: ['start']});
	t.like(before.flags, {json: true, faults: 's3:503:1'});
	t.deepEqual(parseCliArgs(['sessions'], {}).positionals, ['list'], 'the default action is filled in');
	t.deepEqual(parseCliArgs(['profiles', 'test', 'prod', 'maxcompute', 'datahub'], {}).positionals, ['test', 'prod', 'maxcompute', 'datahub']);
});

test('--json with --events - is refused: stdout holds one of them', t => {
	t.regex(usage(['run', wizard, '--json', '--events', '-']).message, /--json and --events - both want stdout/);
	t.is(parseCliArgs(['run', wizard, '--json', '--events', 'events.jsonl'], {}).flags.events, 'events.jsonl');
});

test('every command and action has help with its examples and every one of its flags', t => {
	for (const spec of allCommands(commandTable).filter(command => command.path.length > 0)) {
		const help = renderCommandHelp(spec);
		t.true(help.startsWith(`${commandName(spec)} `), commandName(spec));
		t.true(help.includes('\nExamples\n  $ '), commandName(spec));
		for (const flag of spec.flags) {
			t.true(help.includes(`--${flag.name}`), `${commandName(spec)} --${flag.name}`);
		}

		for (const example of spec.examples) {
			// An example runs as written: it parses against the table (shell syntax after the command aside).
			const argv = example.replace(/^\$ /, '').replace(/\s+#.*$/, '').replace(/\s*(\||<|>|&&).*$/, '').match(/"[^"]*"|'[^']*'|\S+/g)!.slice(1).map(word => word.replaceAll(/^["']|["']$/g, ''));
			if (!argv.some(word => word.includes('$('))) {
				t.notThrows(() => parseCliArgs(argv, {}), example);
			}
		}
	}
});

test('each flag a command module reads is declared in that command\'s table', t => {
	const modules: Record<string, CommandSpec | undefined> = {
		run: findCommand(commandTable, ['run']), resume: findCommand(commandTable, ['resume']), sessions: findCommand(commandTable, ['sessions']),
		plan: findCommand(commandTable, ['plan']), apply: findCommand(commandTable, ['apply']), verify: findCommand(commandTable, ['verify']), sql: findCommand(commandTable, ['sql']),
		profiles: findCommand(commandTable, ['profiles']), 'local-cloud': findCommand(commandTable, ['local-cloud']), completion: findCommand(commandTable, ['completion']),
	};
	// Derived flags: logLevel comes from --quiet, --verbose and --log-level.
	const derived = new Set(['logLevel', 'quiet']);
	for (const [name, spec] of Object.entries(modules)) {
		const text = readFileSync(new URL(`../../source/commands/${name}.ts`, import.meta.url), 'utf8');
		const declared = new Set(allCommands(spec!).flatMap(command => command.flags.map(flag => camelCase(flag.name))));
		const read = [...new Set([...text.matchAll(/args\.flags\.(\w+)/g)].map(match => match[1]!))];
		t.deepEqual(read.filter(flag => !declared.has(flag) && !derived.has(flag)), [], name);
	}
});

test('parseCommandLine keeps the command as typed for its help', t => {
	const parsed = parseCommandLine(commandTable, ['sessions', '--help']);
	t.deepEqual(parsed.spec.path, ['sessions', 'list']);
	t.deepEqual(parsed.typed.path, ['sessions']);
});
