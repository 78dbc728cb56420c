import process from 'node:process';
import {parseCliArgs, type ParsedArgs} from './cli-args.js';
import {describeError, exitCodes, UsageError} from '../engine/errors.js';
import {helpText, knownCommands} from './help.js';
import {redact} from '../log/redact.js';
import type {CommandIo} from './io.js';
import {beginCommand, endCommand} from './signals.js';
import {packageVersion} from './version.js';

type CommandModule = {default: (args: ParsedArgs, io: CommandIo) => Promise<number>};

const commandModules: Record<string, () => Promise<CommandModule>> = {
	run: async () => import('../commands/run.js'),
	resume: async () => import('../commands/resume.js'),
	sessions: async () => import('../commands/sessions.js'),
	plan: async () => import('../commands/plan.js'),
	verify: async () => import('../commands/verify.js'),
	sql: async () => import('../commands/sql.js'),
	profiles: async () => import('../commands/profiles.js'),
	'local-cloud': async () => import('../commands/local-cloud.js'),
	home: async () => import('../commands/home.js'),
};

/** Commands that run a session: a signal while they load and prepare is kept for the run to act on (signals.ts). */
const interruptibleCommands = new Set(['run', 'resume', 'verify']);

export async function main(argv: string[], io: CommandIo = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin}): Promise<number> {
	let args: ParsedArgs | undefined;
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

		// A signal that arrived while ferry loaded ends any other command here, with its exit code.
		beginCommand({defer: interruptibleCommands.has(command)});
		const module = await load();
		return await module.default(args, io);
	} catch (error) {
		return reportError(error, io, args?.flags.json ?? false);
	} finally {
		endCommand();
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
