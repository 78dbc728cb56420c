import process from 'node:process';
import {parseCliArgs, type ParsedArgs} from './cli-args.js';
import {bugReportHint, describeOutcome, errorDocument, exitCodes, isBug} from '../engine/errors.js';
import {commandTable} from './command-table.js';
import {findCommand} from './flag-table.js';
import {helpText} from './help.js';
import {redact} from '../log/redact.js';
import {writeCrashLog} from '../store/crash-log.js';
import type {CommandIo} from './io.js';
import {beginCommand, endCommand} from './signals.js';
import {packageVersion} from './version.js';

type CommandModule = {default: (args: ParsedArgs, io: CommandIo) => Promise<number>};

const commandModules: Record<string, () => Promise<CommandModule>> = {
	run: async () => import('../commands/run.js'),
	resume: async () => import('../commands/resume.js'),
	sessions: async () => import('../commands/sessions.js'),
	report: async () => import('../commands/report.js'),
	plan: async () => import('../commands/plan.js'),
	apply: async () => import('../commands/apply.js'),
	verify: async () => import('../commands/verify.js'),
	sql: async () => import('../commands/sql.js'),
	profiles: async () => import('../commands/profiles.js'),
	'local-cloud': async () => import('../commands/local-cloud.js'),
	home: async () => import('../commands/home.js'),
	completion: async () => import('../commands/completion.js'),
};

/** Commands that run a session: a signal while they load and prepare is kept for the run to act on (signals.ts). */
const interruptibleCommands = new Set(['run', 'resume', 'verify', 'apply']);

export async function main(argv: string[], io: CommandIo = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin}): Promise<number> {
	let args: ParsedArgs | undefined;
	try {
		args = parseCliArgs(argv);
		if (args.flags.version) {
			io.stdout.write(`${packageVersion()}\n`);
			return exitCodes.ok;
		}

		if (args.flags.help) {
			io.stdout.write(helpText(args.spec?.path));
			return exitCodes.ok;
		}

		if (args.command === 'help') {
			if (args.positionals.length > 0 && !findCommand(commandTable, args.positionals)) {
				// The same refusal, with the closest match, as running the command would give.
				parseCliArgs(args.positionals);
			}

			io.stdout.write(helpText(args.positionals));
			return exitCodes.ok;
		}

		const command = args.command ?? 'home';
		const load = commandModules[command]!;
		// A signal that arrived while ferry loaded ends any other command here, with its exit code.
		beginCommand({defer: interruptibleCommands.has(command)});
		const module = await load();
		return await module.default(args, io);
	} catch (error) {
		// A flag that failed to parse still asked for JSON if --json was among the arguments.
		return reportError(error, io, args?.flags.json ?? argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json'), argv);
	} finally {
		endCommand();
	}
}

/**
 * One line of cause, one of hint, the right exit code; a stack trace only with FERRY_DEBUG=1. An exception ferry did
 * not expect is told apart from the user's mistake: "This is a bug in ferry", with the file that holds its details.
 * With --json the error is also a document on stdout, with a machine-readable code and the service's request id.
 */
export function reportError(error: unknown, io: Pick<CommandIo, 'stdout' | 'stderr'>, json: boolean, argv: readonly string[] = []): number {
	const document = errorDocument(error);
	const {exitCode} = describeOutcome(error);
	if (isBug(error)) {
		const log = writeCrashLog(error, {version: packageVersion(), argv});
		document.hint = bugReportHint(log);
		Object.assign(document, log ? {log} : {});
	}

	const {message, hint} = document;
	if (json) {
		io.stdout.write(`${JSON.stringify({ok: false, exitCode, error: {...document, message: redact(message), ...(hint ? {hint: redact(hint)} : {})}}, undefined, 2)}\n`);
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
