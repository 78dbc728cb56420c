import {constants} from 'node:os';
import process from 'node:process';
import type Conf from 'conf';

type ConfClass = typeof Conf;

let loaded: Promise<ConfClass> | undefined;

/**
 * Loads conf without the signal relay its file writer brings along. conf imports `atomically`, which imports
 * `when-exit`; on load, when-exit adds a `process.once` listener for SIGINT, SIGTERM, SIGHUP and a dozen more
 * that deletes atomically's temp files and then sends the same signal to the process again. With ferry's own
 * SIGINT handler in place, that second signal makes one Ctrl-C count as two (the run exits at once, with no JSON
 * result and no saved state); without one, it kills ferry before its own handler is installed. ferry writes its
 * stores itself (see atomic-write.ts) and cleans stale temp files on load, so the relay is removed: exactly the
 * listeners the import added. The 'exit' hook when-exit keeps still removes atomically's temp files.
 */
export async function loadConf(): Promise<ConfClass> {
	loaded ??= (async () => {
		const signals = Object.keys(constants.signals) as NodeJS.Signals[];
		const before = new Map(signals.map(signal => [signal, new Set(process.listeners(signal))]));
		const {default: conf} = await import('conf');
		for (const signal of signals) {
			const existing = before.get(signal);
			for (const listener of process.listeners(signal)) {
				if (!existing?.has(listener)) {
					process.off(signal, listener);
				}
			}
		}

		return conf;
	})();
	return loaded;
}
