import {emitKeypressEvents} from 'node:readline';
import {InterruptedError} from '../engine/errors.js';

/**
 * Asks one line on a terminal, echoing `*` for each character when `mask` is set. For the few prompts that run
 * outside the Ink app (adding a profile); Ctrl-C rejects so the command can exit 130.
 */
export async function promptLine(question: string, options: {mask?: boolean; stdin: NodeJS.ReadStream; output: NodeJS.WritableStream}): Promise<string> {
	const {stdin, output} = options;
	output.write(question);
	emitKeypressEvents(stdin);
	stdin.setRawMode(true);
	stdin.resume();
	return new Promise((resolve, reject) => {
		let value = '';
		const finish = (error?: InterruptedError) => {
			stdin.off('keypress', onKey);
			stdin.setRawMode(false);
			stdin.pause();
			output.write('\n');
			if (error) {
				reject(error);
			} else {
				resolve(value);
			}
		};

		const onKey = (text: string | undefined, key: {name?: string; ctrl?: boolean} | undefined) => {
			if (key?.ctrl && key.name === 'c') {
				finish(new InterruptedError('Interrupted: nothing was saved'));
			} else if (key?.name === 'return' || key?.name === 'enter') {
				finish();
			} else if (key?.name === 'backspace') {
				if (value.length > 0) {
					value = value.slice(0, -1);
					output.write('\b \b');
				}
			} else if (text && !key?.ctrl && text >= ' ') {
				value += text;
				output.write(options.mask ? '*'.repeat(text.length) : text);
			}
		};

		stdin.on('keypress', onKey);
	});
}
