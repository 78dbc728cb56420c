/** Reads until `done` holds for what was read, every `intervalMs`; fails after `timeoutMs` with what it last read. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, {intervalMs = 15, timeoutMs = 10_000} = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms; last read: ${JSON.stringify(value)}`);
		}

		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}
}
