import process from 'node:process';
import {parseCliArgs, type ParsedArgs} from './cli-args.js';
import {describeError, exitCodes, UsageError} from './errors.js';
import {helpText, knownCommands} from './help.js';
import {redact} from './log/redact.js';
import {packageVersion} from './version.js';

export type CommandIo = {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
};

type CommandModule = {default: (args: ParsedArgs, io: CommandIo) => Promise<number>};

const commandModules: Record<string, () => Promise<CommandModule>> = {
	run: async () => import('./commands/run.js'),
	resume: async () => import('./commands/resume.js'),
	sessions: async () => import('./commands/sessions.js'),
	plan: async () => import('./commands/plan.js'),
	verify: async () => import('./commands/verify.js'),
	sql: async () => import('./commands/sql.js'),
	profiles: async () => import('./commands/profiles.js'),
	'local-cloud': async () => import('./commands/local-cloud.js'),
	home: async () => import('./commands/home.js'),
};

/** Commands that run a session: a Ctrl-C while they load and prepare is kept for the run to act on. */
const interruptibleCommands = new Set(['run', 'resume']);
let interrupts = 0;

/**
 * A SIGINT (or SIGTERM) that reaches `run`/`resume` before the session's own handler is installed (while modules
 * load, answers are read and the profile is checked) would otherwise kill ferry with no result and no saved state.
 * It is recorded instead, and the run stops cleanly at its next boundary (`interruptRequested`). Once the run has
 * its own handler, that handler decides; a second signal with no other handler in place exits at once.
 */
function recordInterrupt(signal: NodeJS.Signals): void {
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

export async function main(argv: string[], io: CommandIo = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin}): Promise<number> {
	let args: ParsedArgs | undefined;
	interrupts = earlyInterrupts;
	earlyInterrupts = 0;
	let guarded = false;
	try {
		args = parseCliArgs(argv);
		if (args.flags.version) {
			io.stdout.write(`${packageVersion()}\n`);
			return exitCodes.ok;
		}

		if (args.command === 'help' || (args.flags.help && !args.command)) {
			io.stdout.write(helpText(args.positionals[0]));
			return exitCodes.ok;
		}

		if (args.flags.help) {
			io.stdout.write(helpText(args.command));
			return exitCodes.ok;
		}

		const command = args.command ?? 'home';
		const load = commandModules[command];
		if (!load) {
			const suggestion = knownCommands().find(name => name.startsWith(command.slice(0, 3)));
			throw new UsageError(`Unknown command ${JSON.stringify(command)}`, {hint: suggestion ? `Did you mean \`ferry ${suggestion}\`? See \`ferry --help\`.` : 'See `ferry --help`.'});
		}

		if (interruptibleCommands.has(command)) {
			process.on('SIGINT', recordInterrupt);
			process.on('SIGTERM', recordInterrupt);
			guarded = true;
		}

		const module = await load();
		return await module.default(args, io);
	} catch (error) {
		return reportError(error, io, args?.flags.json ?? false);
	} finally {
		if (guarded) {
			process.off('SIGINT', recordInterrupt);
			process.off('SIGTERM', recordInterrupt);
		}
	}
}

/** One line of cause, one of hint, the right exit code; a stack trace only with FERRY_DEBUG=1. */
export function reportError(error: unknown, io: Pick<CommandIo, 'stdout' | 'stderr'>, json: boolean): number {
	const {message, hint, exitCode} = describeError(error);
	if (json) {
		io.stdout.write(`${JSON.stringify({ok: false, exitCode, error: {message: redact(message), hint}}, undefined, 2)}\n`);
	}

	io.stderr.write(`✖ ${redact(message)}\n`);
	if (hint) {
		io.stderr.write(`  ${redact(hint)}\n`);
	}

	if (process.env['FERRY_DEBUG'] === '1' && error instanceof Error && error.stack) {
		io.stderr.write(`${redact(error.stack)}\n`);
	}

	return exitCode;
}
