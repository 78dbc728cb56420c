import {writeFileAtomic} from '../store/atomic-write.js';
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

/** A document a command produces: written to `file` (saying so on stderr, as `what`), else printed on stdout. */
export function emitDocument(io: CommandIo, text: string, file: string | undefined, what: string): void {
	if (file) {
		writeFileAtomic(file, text, 0o644);
		io.stderr.write(`${what} written to ${file}\n`);
	} else {
		io.stdout.write(text);
	}
}
