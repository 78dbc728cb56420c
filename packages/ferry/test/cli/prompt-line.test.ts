import {PassThrough} from 'node:stream';
import test from 'ava';
import {InterruptedError} from '../../source/engine/errors.js';
import {promptLine} from '../../source/cli/prompt-line.js';

function fakeTerminal() {
	const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => stdin}) as unknown as NodeJS.ReadStream;
	const output = new PassThrough();
	let written = '';
	output.on('data', chunk => {
		written += String(chunk);
	});
	return {stdin, output, written: () => written};
}

test('a masked prompt echoes stars, keeps the typed value, and handles backspace', async t => {
	const terminal = fakeTerminal();
	const answer = promptLine('secret: ', {mask: true, stdin: terminal.stdin, output: terminal.output});
	terminal.stdin.write('abcX\u007Fd\r');
	t.is(await answer, 'abcd');
	t.false(terminal.written().includes('abcd'));
	t.true(terminal.written().startsWith('secret: ****'));
});

test('Ctrl-C rejects the prompt with an InterruptedError (exit 130)', async t => {
	const terminal = fakeTerminal();
	const answer = promptLine('key id: ', {stdin: terminal.stdin, output: terminal.output});
	terminal.stdin.write('\u0003');
	const error = await t.throwsAsync(answer, {instanceOf: InterruptedError});
	t.is(error?.exitCode, 130);
});
