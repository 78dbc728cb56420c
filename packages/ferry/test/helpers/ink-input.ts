import {setTimeout as delay} from 'node:timers/promises';

/** Key sequences as a terminal in raw mode sends them. */
export const keys = {
	enter: '\r',
	escape: '\u001B',
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	backspace: '\u007F',
	space: ' ',
	ctrlC: '\u0003',
} as const;

/** Writes keys one at a time; Ink waits 20 ms for the rest of an escape sequence and React needs a tick to commit. */
export async function press(stdin: {write(data: string): void}, ...sequence: string[]): Promise<void> {
	for (const key of sequence) {
		stdin.write(key);
		await delay(80);
	}
}

/** Polls until the frame satisfies the condition (Shopify's waitForContent idea), returning the last frame seen. */
export async function waitForFrame(lastFrame: () => string | undefined, condition: RegExp | ((frame: string) => boolean), timeoutMs = 3000): Promise<string> {
	const test = typeof condition === 'function' ? condition : (frame: string) => condition.test(frame);
	const deadline = Date.now() + timeoutMs;
	let frame = lastFrame() ?? '';
	while (!test(frame) && Date.now() < deadline) {
		await delay(20);
		frame = lastFrame() ?? '';
	}

	// A screen's input handlers attach in an effect after its first frame; give them a moment before the next key.
	await delay(40);
	return frame;
}
