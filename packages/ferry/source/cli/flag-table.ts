/**
 * Declared commands and flags: every command (and subcommand) lists its flags once, and from that one table come its
 * parsing, the refusal of anything it does not know (with the closest match), its `--help` text and its shell
 * completion. This module is pure (no I/O, no imports beyond the error type and the matcher) so completion loads fast.
 */
import {UsageError} from '../engine/errors.js';
import {closestMatch} from '../engine/closest-match.js';

/** Where a shell completion takes the values of a flag or positional from. */
export type CompletionSource = 'wizards' | 'sessions' | 'profiles' | 'services' | 'commands' | 'files';

export type FlagSpec = {
	/** The long name, without `--` (`log-level`); its camelCase form is the key in the parsed values. */
	readonly name: string;
	readonly short?: string;
	readonly type: 'boolean' | 'string';
	readonly help: string;
	/** The value's placeholder in help: `--profile NAME`. */
	readonly value?: string;
	/** Shown in help; the command applies it (a flag's absence is visible to the command, for precedence). */
	readonly default?: string;
	/** May be given more than once; the values are collected in order. */
	readonly repeatable?: boolean;
	/** The only values accepted; anything else is refused with the closest one. */
	readonly choices?: readonly string[];
	readonly complete?: CompletionSource;
	/** The environment variable that stands in when the flag is absent (documented in help; the command reads it). */
	readonly env?: string;
};

export type PositionalSpec = {
	readonly name: string;
	readonly optional?: boolean;
	/** Takes every remaining argument. */
	readonly variadic?: boolean;
	readonly choices?: readonly string[];
	readonly complete?: CompletionSource;
};

export type CommandSpec = {
	/** `['local-cloud', 'start']`; empty for `ferry` itself. */
	readonly path: readonly string[];
	/** One line, for listings. */
	readonly summary: string;
	/** What follows `ferry <path>` in the usage line: `<wizard> [options]`. */
	readonly usage: string;
	/** Paragraphs printed after the usage line. */
	readonly description?: string;
	readonly flags: readonly FlagSpec[];
	readonly positionals?: readonly PositionalSpec[];
	/** `$ ferry …  # comment` lines. */
	readonly examples: readonly string[];
	readonly subcommands?: readonly CommandSpec[];
	/** The subcommand a bare `ferry <path>` runs. */
	readonly defaultSubcommand?: string;
	/** Printed after the options. */
	readonly notes?: string;
};

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export type ParsedCommand = {
	/** The (sub)command that was found, its default action filled in: its flags and positionals are the ones parsed. */
	spec: CommandSpec;
	/** The command as typed (`ferry sessions` rather than its default `ferry sessions list`), for its help. */
	typed: CommandSpec;
	/** The arguments that are not flags, after the command's path. */
	positionals: string[];
	/** By camelCase name; only the flags that were given. */
	values: FlagValues;
};

export function camelCase(name: string): string {
	return name.replaceAll(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function commandName(spec: CommandSpec): string {
	return ['ferry', ...spec.path].join(' ');
}

const helpHint = (spec: CommandSpec) => `See \`${commandName(spec)} --help\`.`;

/** `Did you mean …? ` for a hint, or nothing when nothing is close. */
function suggestion(match: string | undefined, shown: (value: string) => string = value => value): string {
	return match === undefined ? '' : `Did you mean ${shown(match)}? `;
}

/**
 * The refusal of a word that names nothing known (a command, an action, an option, a value): the cause on one line,
 * and on the next the closest known word (or none), then what the command accepts and where its help is.
 */
function unknownWord(message: string, options: {match?: string | undefined; shown?: (value: string) => string; accepted?: string; help: string}): UsageError {
	return new UsageError(message, {hint: `${suggestion(options.match, options.shown)}${options.accepted ? `${options.accepted} ` : ''}${options.help}`});
}

/**
 * Finds the command `argv` names (following subcommands, with their defaults) and parses the rest against its flag
 * table: `--name value`, `--name=value`, `-x value`, `-xy` for short booleans, `--` before arguments that start with
 * a dash. Unknown commands, flags and values, a missing value and a surplus argument are usage errors that name the
 * closest match and the command's help.
 */
export function parseCommandLine(root: CommandSpec, argv: readonly string[]): ParsedCommand {
	let spec = root;
	let index = 0;
	// The path: leading words that name subcommands; flags before a word are the parent's (booleans only, at the root).
	const pending: string[] = [];
	while (index < argv.length) {
		const word = argv[index]!;
		if (word === '--') {
			break;
		}

		if (word.startsWith('-') && word !== '-') {
			if (spec.subcommands && !knownHere(spec, word)) {
				// Before an action is named, a flag no action here knows is refused as one of the action that would run.
				const action = spec.subcommands.find(candidate => candidate.path.at(-1) === spec.defaultSubcommand) ?? spec;
				throw unknownFlag(action, word.split('=')[0]!, root);
			}

			pending.push(word);
			index++;
			if (!word.includes('=') && takesValue(spec, word) && spec.subcommands) {
				pending.push(argv[index] ?? '');
				index++;
			}

			continue;
		}

		if (!spec.subcommands) {
			break;
		}

		const next = spec.subcommands.find(candidate => candidate.path.at(-1) === word);
		if (!next) {
			throw unknownSubcommand(spec, word);
		}

		spec = next;
		index++;
	}

	const typed = spec;
	if (spec.subcommands && spec.defaultSubcommand) {
		spec = spec.subcommands.find(candidate => candidate.path.at(-1) === typed.defaultSubcommand) ?? spec;
	}

	return {spec, typed, ...parseFlags(spec, [...pending, ...argv.slice(index)], root)};
}

/** Whether a flag word is one of this command's or of a command below it (combined short flags are left to the parser). */
function knownHere(spec: CommandSpec, word: string): boolean {
	const all = [spec, ...(spec.subcommands ?? [])].flatMap(command => command.flags);
	if (word.startsWith('--')) {
		const name = word.slice(2).split('=')[0];
		return all.some(flag => flag.name === name);
	}

	return word.length > 2 || all.some(flag => flag.short === word.slice(1));
}

/** Whether a flag word (`--profile`, `-p`) takes the next argument as its value, in this command or one below it. */
function takesValue(spec: CommandSpec, word: string): boolean {
	const all = [spec, ...(spec.subcommands ?? [])].flatMap(command => command.flags);
	const flag = word.startsWith('--') ? all.find(candidate => candidate.name === word.slice(2)) : all.find(candidate => candidate.short === word.slice(1));
	return flag?.type === 'string';
}

function unknownSubcommand(spec: CommandSpec, word: string): UsageError {
	const names = (spec.subcommands ?? []).map(command => command.path.at(-1)!);
	const shown = (name: string) => `\`${commandName(spec)} ${name}\``;
	const match = closestMatch(word, names);
	if (spec.path.length === 0) {
		return unknownWord(`Unknown command ${JSON.stringify(word)}`, {match, shown, help: helpHint(spec)});
	}

	return unknownWord(`Unknown ${spec.path.join(' ')} action ${JSON.stringify(word)}`, {match, shown, accepted: `The actions: ${names.join(', ')}.`, help: helpHint(spec)});
}

function parseFlags(spec: CommandSpec, words: readonly string[], root: CommandSpec): {positionals: string[]; values: FlagValues} {
	const values: FlagValues = {};
	const positionals: string[] = [];
	const set = (flag: FlagSpec, value: string | boolean, written: string) => {
		if (typeof value === 'string' && flag.choices && !flag.choices.includes(value)) {
			throw unknownWord(`Invalid ${written} ${JSON.stringify(value)} for ${commandName(spec)}`, {match: closestMatch(value, flag.choices), accepted: `Use one of ${flag.choices.join(', ')}.`, help: helpHint(spec)});
		}

		const key = camelCase(flag.name);
		if (flag.repeatable) {
			values[key] = [...(values[key] as string[] | undefined) ?? [], value as string];
		} else if (values[key] !== undefined && values[key] !== value) {
			throw new UsageError(`${written} is given twice for ${commandName(spec)}`, {hint: `Pass it once. ${helpHint(spec)}`});
		} else {
			values[key] = value;
		}
	};

	for (let index = 0; index < words.length; index++) {
		const word = words[index]!;
		if (word === '--') {
			positionals.push(...words.slice(index + 1));
			break;
		}

		if (!word.startsWith('-') || word === '-') {
			positionals.push(word);
			continue;
		}

		if (word.startsWith('--')) {
			const equals = word.indexOf('=');
			const name = equals === -1 ? word.slice(2) : word.slice(2, equals);
			const flag = spec.flags.find(candidate => candidate.name === name);
			if (!flag) {
				throw unknownFlag(spec, `--${name}`, root);
			}

			if (flag.type === 'boolean') {
				if (equals !== -1) {
					throw new UsageError(`--${name} takes no value for ${commandName(spec)}`, {hint: `Pass --${name} alone. ${helpHint(spec)}`});
				}

				set(flag, true, word);
				continue;
			}

			const value = equals === -1 ? words[++index] : word.slice(equals + 1);
			if (value === undefined || (equals === -1 && value.startsWith('--'))) {
				throw missingValue(spec, flag);
			}

			set(flag, value, `--${name}`);
			continue;
		}

		// Short flags: -y, -yq (booleans together), -p NAME, -pNAME.
		const letters = word.slice(1);
		for (const [position, letter] of [...letters].entries()) {
			const flag = spec.flags.find(candidate => candidate.short === letter);
			if (!flag) {
				throw unknownFlag(spec, `-${letter}`, root);
			}

			if (flag.type === 'boolean') {
				set(flag, true, `-${letter}`);
				continue;
			}

			const rest = letters.slice(position + 1);
			const value = rest === '' ? words[++index] : rest;
			if (value === undefined || (rest === '' && value.startsWith('--'))) {
				throw missingValue(spec, flag);
			}

			set(flag, value, `-${letter}`);
			break;
		}
	}

	checkPositionals(spec, positionals);
	return {positionals, values};
}

function unknownFlag(spec: CommandSpec, written: string, root: CommandSpec): UsageError {
	const name = written.replace(/^-+/, '');
	const match = written.startsWith('--') ? closestMatch(name, spec.flags.map(flag => flag.name)) : undefined;
	// A flag of another command is a common slip (a flag before the wrong word): say whose it is.
	const owners = match ? [] : allCommands(root).filter(command => command.flags.some(flag => (written.startsWith('--') ? flag.name === name : flag.short === name)));
	const elsewhere = owners.length > 0 ? `${written} is an option of ${owners.slice(0, 3).map(command => `\`${commandName(command)}\``).join(', ')}.` : undefined;
	const accepted = [elsewhere, spec.flags.length > 0 ? undefined : 'It takes no options.'].filter(Boolean).join(' ');
	return unknownWord(`Unknown option ${written} for ${commandName(spec)}`, {match, shown: flag => `--${flag}`, accepted, help: helpHint(spec)});
}

function missingValue(spec: CommandSpec, flag: FlagSpec): UsageError {
	return new UsageError(`--${flag.name} needs a value (${flag.value ?? 'VALUE'}) for ${commandName(spec)}`, {hint: `Example: --${flag.name} ${flag.choices?.[0] ?? flag.value ?? 'VALUE'}. ${helpHint(spec)}`});
}

function checkPositionals(spec: CommandSpec, positionals: readonly string[]): void {
	const declared = spec.positionals ?? [];
	const variadic = declared.some(positional => positional.variadic);
	if (!variadic && positionals.length > declared.length) {
		const surplus = positionals[declared.length]!;
		throw new UsageError(`Unexpected argument ${JSON.stringify(surplus)} for ${commandName(spec)}`, {hint: `Usage: ${commandName(spec)} ${spec.usage}. ${helpHint(spec)}`});
	}

	for (const [index, positional] of declared.entries()) {
		const value = positionals[index];
		if (value !== undefined && positional.choices && !positional.choices.includes(value)) {
			throw unknownWord(`Unknown ${positional.name} ${JSON.stringify(value)} for ${commandName(spec)}`, {match: closestMatch(value, positional.choices), accepted: `Use one of ${positional.choices.join(', ')}.`, help: helpHint(spec)});
		}
	}
}

/** Every command of the tree, depth first, the root included. */
export function allCommands(root: CommandSpec): CommandSpec[] {
	return [root, ...(root.subcommands ?? []).flatMap(command => allCommands(command))];
}

/** The command a path names exactly, or undefined. */
export function findCommand(root: CommandSpec, path: readonly string[]): CommandSpec | undefined {
	return allCommands(root).find(command => command.path.join(' ') === path.join(' '));
}

function flagLabel(flag: FlagSpec): string {
	const short = flag.short ? `-${flag.short}, ` : '    ';
	const value = flag.type === 'string' ? ` ${flag.choices && !flag.value ? flag.choices.join('|') : flag.value ?? 'VALUE'}` : '';
	return `${short}--${flag.name}${value}`;
}

function flagHelp(flag: FlagSpec): string {
	const extras = [
		flag.repeatable ? 'repeatable' : undefined,
		flag.default === undefined ? undefined : `default: ${flag.default}`,
		flag.env ? `env ${flag.env}` : undefined,
	].filter(Boolean);
	return extras.length > 0 ? `${flag.help} (${extras.join('; ')})` : flag.help;
}

/** A command's `--help`: usage, description, its actions, examples first among the details, then every flag. */
export function renderCommandHelp(spec: CommandSpec): string {
	const sections = [`${commandName(spec)} ${spec.usage} — ${spec.summary}`];
	if (spec.description) {
		sections.push(spec.description);
	}

	if (spec.subcommands?.length) {
		const width = Math.max(...spec.subcommands.map(command => command.path.at(-1)!.length));
		sections.push(`Actions${spec.defaultSubcommand ? ` (default: ${spec.defaultSubcommand})` : ''}\n${spec.subcommands.map(command => `  ${command.path.at(-1)!.padEnd(width)}  ${command.summary}`).join('\n')}\n\nEach action has its own help: \`${commandName(spec)} ${spec.subcommands[0]!.path.at(-1)} --help\`.`);
	}

	sections.push(`Examples\n${spec.examples.map(example => `  ${example}`).join('\n')}`);
	if (spec.flags.length > 0) {
		const labels = spec.flags.map(flag => flagLabel(flag));
		const width = Math.min(28, Math.max(...labels.map(label => label.length)));
		sections.push(`Options\n${spec.flags.map((flag, index) => {
			const label = labels[index]!;
			return label.length > width ? `  ${label}\n  ${' '.repeat(width)}  ${flagHelp(flag)}` : `  ${label.padEnd(width)}  ${flagHelp(flag)}`;
		}).join('\n')}`);
	}

	if (spec.notes) {
		sections.push(spec.notes);
	}

	return `${sections.join('\n\n')}\n`;
}
