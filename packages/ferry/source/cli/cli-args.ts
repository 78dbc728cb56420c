import process from 'node:process';
import {UsageError} from '../engine/errors.js';
import {commandTable} from './command-table.js';
import {parseCommandLine, type CommandSpec, type FlagValues} from './flag-table.js';
import {resolveLogLevel, type LogLevel} from '../log/log-level.js';

/**
 * The flags of every command, by camelCase name; a command's own table (command-table.ts) says which it accepts, and
 * the others keep these defaults. Secrets never come from flags.
 */
export type Flags = {
	help: boolean;
	version: boolean;
	json: boolean;
	yes: boolean;
	noInput: boolean;
	/** --quiet, or --log-level error. */
	quiet: boolean;
	/** From --quiet, --verbose, --log-level or FERRY_LOG_LEVEL (log-level.ts). */
	logLevel: LogLevel;
	local: boolean;
	profile?: string;
	answers?: string;
	set: string[];
	session?: string;
	side?: string;
	output?: string;
	/** `ferry plan --out FILE`: the machine-readable plan that `ferry apply` runs. */
	out?: string;
	/** `ferry plan --row-tolerance PERCENT`: how far a row count may move before `apply` stops. */
	rowTolerance?: string;
	/** `ferry apply --plan-only`: the drift, without running. */
	planOnly: boolean;
	ports?: string;
	scale?: string;
	/** `local-cloud start --faults SPEC`: standing faults of the stand-ins. */
	faults?: string;
	/** `local-cloud start --identities configured|missing`: what fresh data is seeded with. */
	identities?: string;
	/** `ferry local-cloud env`: sh, fish or json. */
	shell?: string;
	/** `ferry sql --profile`: which procedure's two sides to query. */
	wizard?: string;
	/** `--events FILE|-`: the JSON-lines event stream of a run (events.ts). */
	events?: string;
	/** `ferry report --format md|json|junit|html`. */
	format?: string;
};

export type ParsedArgs = {
	/** The top-level command (`run`, `local-cloud`); undefined for the home screen. */
	command: string | undefined;
	/** For a command with actions, the action first (its default filled in), then its arguments. */
	positionals: string[];
	flags: Flags;
	/** The (sub)command as typed, for its help (`ferry sessions`, whose default action is list). */
	spec?: CommandSpec;
};

function flagsFrom(values: FlagValues, env: NodeJS.ProcessEnv): Flags {
	const text = (key: string) => values[key] as string | undefined;
	const logLevel = resolveLogLevel({quiet: values['quiet'] === true, verbose: values['verbose'] === true, logLevel: text('logLevel')}, env);
	return {
		help: values['help'] === true,
		version: values['version'] === true,
		json: values['json'] === true,
		yes: values['yes'] === true,
		noInput: values['noInput'] === true,
		quiet: logLevel === 'error',
		logLevel,
		local: values['local'] === true,
		profile: text('profile'),
		answers: text('answers'),
		set: (values['set'] as string[] | undefined) ?? [],
		session: text('session'),
		side: text('side'),
		output: text('output'),
		out: text('out'),
		rowTolerance: text('rowTolerance'),
		planOnly: values['planOnly'] === true,
		ports: text('ports'),
		scale: text('scale'),
		faults: text('faults'),
		identities: text('identities'),
		shell: text('shell'),
		wizard: text('wizard'),
		events: text('events'),
		format: text('format'),
	};
}

/** Parses argv against the command table: each command accepts only the flags and arguments it declares. */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
	const {spec, typed, positionals, values} = parseCommandLine(commandTable, argv);
	const [command, action] = spec.path;
	const flags = flagsFrom(values, env);
	if (flags.json && flags.events === '-') {
		throw new UsageError('--json and --events - both want stdout', {hint: 'Send the events to a file (--events FILE), or drop --json: the stream ends with the result.'});
	}

	return {command, positionals: action === undefined ? positionals : [action, ...positionals], flags, spec: typed};
}

/** Whether stdout carries data (the --json document or the event stream), so the terminal UI draws on stderr. */
export function stdoutCarriesData(flags: Pick<Flags, 'json' | 'events'>): boolean {
	return flags.json || flags.events === '-';
}

/** `--set key=value` pairs; the value may contain '='. */
export function parseSetFlags(pairs: string[]): Record<string, string> {
	const result: Record<string, string> = {};
	for (const pair of pairs) {
		const index = pair.indexOf('=');
		if (index <= 0) {
			throw new UsageError(`--set needs key=value, got ${JSON.stringify(pair)}`, {hint: 'Example: --set tables=orders,lineitem'});
		}

		result[pair.slice(0, index).trim()] = pair.slice(index + 1);
	}

	return result;
}
