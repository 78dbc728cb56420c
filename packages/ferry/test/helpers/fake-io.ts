import {PassThrough} from 'node:stream';
import type {CommandIo} from '../../source/cli/io.js';

/** What a command wrote, for assertions. */
export type CapturedIo = {io: CommandIo; stdout(): string; stderr(): string};

/** Non-TTY streams that record everything written to them; stdin is empty. */
export function captureIo(): CapturedIo {
	let out = '';
	let error = '';
	const writer = (append: (text: string) => void) => ({
		isTTY: false,
		columns: 100,
		write(chunk: string | Uint8Array, ...rest: unknown[]) {
			append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
			const callback = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
			callback?.();
			return true;
		},
	});
	const stdin = new PassThrough();
	stdin.end();
	return {
		io: {
			stdout: writer(text => {
				out += text;
			}) as unknown as NodeJS.WriteStream,
			stderr: writer(text => {
				error += text;
			}) as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
		},
		stdout: () => out,
		stderr: () => error,
	};
}
