/**
 * SIGINT, SIGTERM and SIGHUP, handled one way for the whole life of the process. `cli.ts` installs the handler
 * before anything else loads, and it is never removed, so there is no moment at which a signal meets Node's default
 * action (death with no result and no saved state).
 *
 * A command that runs a session (run, resume, verify, and the home screen while it runs one) *defers* signals: the
 * first one aborts `interruptSignal()`, which the preparation (the local cloud's start wait) and the run itself
 * listen to, so the session is saved and the command ends with 128 + the signal's number (130, 143, 129); a second
 * signal exits at once. Any other command, and the process after its command returned, exits at once with that code.
 */
import process from 'node:process';
import {InterruptedError, interruptSignals, type InterruptSignal, signalExitCodes} from '../engine/errors.js';

let installed = false;
let controller = new AbortController();
let received: InterruptSignal[] = [];
let deferring = true;
let commandEnded = false;
let secondSignalNote = '';

function exitNow(signal: InterruptSignal): never {
	process.exit(commandEnded && typeof process.exitCode === 'number' ? process.exitCode : signalExitCodes[signal]);
}

function interruptedBy(signal: InterruptSignal): InterruptedError {
	return new InterruptedError('Interrupted: the session is saved', {signal});
}

/** What a signal (or the UI's Ctrl-C key) does now. */
export function interrupt(signal: InterruptSignal = 'SIGINT'): void {
	received.push(signal);
	if (!deferring) {
		exitNow(signal);
	}

	if (received.length === 1) {
		controller.abort(interruptedBy(signal));
		return;
	}

	process.stderr.write(`\nInterrupted again: exiting now.${secondSignalNote}\n`);
	exitNow(received[0]!);
}

/** Installs the process's one handler for the three signals; called first thing by cli.ts (and again harmlessly). */
export function installSignalHandlers(): void {
	if (installed) {
		return;
	}

	installed = true;
	for (const signal of interruptSignals) {
		process.on(signal, () => {
			interrupt(signal);
		});
	}
}

/**
 * A command begins: `defer` for the commands that run a session. Signals that arrived while ferry loaded are kept
 * (a deferring command sees them as an interrupt at its first boundary; another command exits with their code).
 */
export function beginCommand(options: {defer: boolean}): void {
	if (commandEnded) {
		// Another command in the same process (the tests call main repeatedly): it starts from no signal.
		controller = new AbortController();
		received = [];
		commandEnded = false;
	}

	secondSignalNote = '';
	deferring = options.defer;
	if (!deferring && received.length > 0) {
		exitNow(received[0]!);
	}
}

/** The command returned: a signal from now on ends the process at once, with the command's exit code. */
export function endCommand(): void {
	commandEnded = true;
	deferring = false;
}

/** While a session runs, signals are deferred whatever the command (the home screen starts runs too). */
export function deferSignals(note: string): () => void {
	const previous = deferring;
	deferring = true;
	secondSignalNote = note;
	return () => {
		deferring = previous;
		secondSignalNote = '';
	};
}

/** Aborted by the first signal of the current command; its reason is the InterruptedError that names the signal. */
export function interruptSignal(): AbortSignal {
	return controller.signal;
}

/** The first signal of the current command, if one arrived. */
export function receivedSignal(): InterruptSignal | undefined {
	return received[0];
}
