import {interruptSignal} from './signals.js';

/** Where a command writes and reads: the process's streams, or fakes in tests. */
export type CommandIo = {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
};

/**
 * Whether a signal (SIGINT, SIGTERM, SIGHUP) reached the current `run`/`resume` before its run began (while modules
 * loaded, answers were read and the profile was checked): it then stops cleanly at its next boundary (signals.ts).
 */
export function interruptRequested(): boolean {
	return interruptSignal().aborted;
}
