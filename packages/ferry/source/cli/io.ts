import process from 'node:process';
import {exitCodes} from '../engine/errors.js';

/** Where a command writes and reads: the process's streams, or fakes in tests. */
export type CommandIo = {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
};

let interrupts = 0;

/**
 * A SIGINT (or SIGTERM) that reaches `run`/`resume` before the session's own handler is installed (while modules
 * load, answers are read and the profile is checked) would otherwise kill ferry with no result and no saved state.
 * It is recorded instead, and the run stops cleanly at its next boundary (`interruptRequested`). Once the run has
 * its own handler, that handler decides; a second signal with no other handler in place exits at once.
 */
export function recordInterrupt(signal: NodeJS.Signals): void {
	interrupts++;
	if (interrupts > 1 && process.listenerCount(signal) === 1) {
		process.stderr.write('\nInterrupted again: exiting now.\n');
		process.exit(exitCodes.interrupted);
	}
}

/** Whether the user interrupted the current command before its run took over the handling of signals. */
export function interruptRequested(): boolean {
	return interrupts > 0;
}

/**
 * `cli.ts` records a signal that arrives while this module and its imports load (before `main` can listen);
 * `main` of a run or resume then treats it like one that arrived during preparation.
 */
let earlyInterrupts = 0;
export function recordEarlyInterrupt(): void {
	earlyInterrupts++;
}

/** A command that runs a session starts from the signals that arrived while ferry loaded. */
export function beginInterruptWatch(): void {
	interrupts = earlyInterrupts;
	earlyInterrupts = 0;
}
