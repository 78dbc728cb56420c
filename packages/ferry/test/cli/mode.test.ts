import test from 'ava';
import {decideMode} from '../../source/cli/mode.js';

type Streams = Parameters<typeof decideMode>[2];

function streams(stdin: boolean, stdout: boolean, stderr: boolean): Streams {
	return {stdin: {isTTY: stdin}, stdout: {isTTY: stdout}, stderr: {isTTY: stderr}} as unknown as Streams;
}

const flags = {noInput: false, json: false};
const terminalEnv = {TERM: 'xterm-256color'};

test('interactive only when stdin and stdout are terminals', t => {
	t.is(decideMode(flags, terminalEnv, streams(true, true, true)), 'interactive');
	t.is(decideMode(flags, terminalEnv, streams(true, true, false)), 'interactive', 'stderr does not matter without --json');
	t.is(decideMode(flags, terminalEnv, streams(false, true, true)), 'plain', 'stdin piped');
	t.is(decideMode(flags, terminalEnv, streams(true, false, true)), 'plain', 'stdout piped');
	t.is(decideMode(flags, terminalEnv, streams(false, false, false)), 'plain');
});

test('--json routes the UI to stderr, so stderr must be the terminal', t => {
	const json = {noInput: false, json: true};
	t.is(decideMode(json, terminalEnv, streams(true, false, true)), 'interactive', 'stdout piped to a file, UI on stderr');
	t.is(decideMode(json, terminalEnv, streams(true, true, false)), 'plain', 'stderr redirected');
});

test('--no-input forces plain mode even in a terminal', t => {
	t.is(decideMode({noInput: true, json: false}, terminalEnv, streams(true, true, true)), 'plain');
});

test('CI means plain unless it is empty, "false" or "0"', t => {
	const all = streams(true, true, true);
	t.is(decideMode(flags, {...terminalEnv, CI: 'true'}, all), 'plain');
	t.is(decideMode(flags, {...terminalEnv, CI: '1'}, all), 'plain');
	t.is(decideMode(flags, {...terminalEnv, CI: 'woodpecker'}, all), 'plain');
	t.is(decideMode(flags, {...terminalEnv, CI: 'false'}, all), 'interactive');
	t.is(decideMode(flags, {...terminalEnv, CI: '0'}, all), 'interactive');
	t.is(decideMode(flags, {...terminalEnv, CI: ''}, all), 'interactive');
});

test('TERM=dumb means plain', t => {
	t.is(decideMode(flags, {TERM: 'dumb'}, streams(true, true, true)), 'plain');
	t.is(decideMode(flags, {}, streams(true, true, true)), 'interactive', 'an unset TERM is not dumb');
});
