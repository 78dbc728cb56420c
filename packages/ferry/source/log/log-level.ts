import process from 'node:process';
import {UsageError} from '../engine/errors.js';
import {environmentValue, firstByPrecedence} from '../engine/precedence.js';

/**
 * How much of a headless run reaches stderr. The session log keeps everything whatever the level.
 * - error: the outcome and errors only;
 * - warn: also warnings (a step rerun that may duplicate data, a confirmation given by --yes);
 * - info: also the progress of every step (the default);
 * - debug: also every line the session log gets (each call to a service, with its request id).
 */
export const logLevels = ['error', 'warn', 'info', 'debug'] as const;

export type LogLevel = (typeof logLevels)[number];

/** Whether a message of `level` is shown when the chosen level is `chosen`. */
export function shows(chosen: LogLevel, level: LogLevel): boolean {
	return logLevels.indexOf(level) <= logLevels.indexOf(chosen);
}

/**
 * The level from --quiet, --verbose and --log-level (one of them at most), else FERRY_LOG_LEVEL, else info (precedence.ts).
 * A wrong FERRY_LOG_LEVEL is refused like a wrong flag: silently ignoring it would hide what the user asked for.
 */
export function resolveLogLevel(flags: {quiet?: boolean; verbose?: boolean; logLevel?: string}, env: NodeJS.ProcessEnv = process.env): LogLevel {
	const given = [flags.quiet ? '--quiet' : undefined, flags.verbose ? '--verbose' : undefined, flags.logLevel === undefined ? undefined : '--log-level'].filter(Boolean);
	if (given.length > 1) {
		throw new UsageError(`${given.join(' and ')} contradict each other`, {hint: 'Pass one of --quiet, --verbose and --log-level.'});
	}

	const chosen = firstByPrecedence<string>({
		flags: flags.quiet ? 'error' : flags.verbose ? 'debug' : flags.logLevel,
		environment: environmentValue(env, 'FERRY_LOG_LEVEL'),
		defaults: 'info',
	})!;
	// The flag's value was checked against its choices while parsing; the variable's is checked here.
	if (!(logLevels as readonly string[]).includes(chosen.value)) {
		throw new UsageError(`Invalid FERRY_LOG_LEVEL ${JSON.stringify(chosen.value)}`, {hint: `Use one of ${logLevels.join(', ')}, or unset it.`});
	}

	return chosen.value as LogLevel;
}

/** A writer of one line per message to `stream`, silent when the chosen level hides `level` (or when `muted`). */
export function lineWriter(stream: {write(text: string): unknown}, chosen: LogLevel, options: {level?: LogLevel; muted?: boolean} = {}): (message: string) => void {
	const visible = shows(chosen, options.level ?? 'info') && !options.muted;
	return message => {
		if (visible) {
			stream.write(`${message}\n`);
		}
	};
}
