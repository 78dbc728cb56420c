/**
 * Shell completion. `ferry completion bash|zsh|fish` prints a small script; on Tab the shell runs
 * `ferry __complete WORD…` (the words after `ferry`, the last one being completed, possibly empty), which prints one
 * candidate per line as `value<TAB>description`, or the single line `__files__` to let the shell complete a path.
 * Everything comes from the command table, the wizard catalog, the sessions folder and the profiles file: no conf,
 * no clients, nothing of the bundle that a run needs, so a Tab answers in a few tens of milliseconds.
 */
import {readdirSync} from 'node:fs';
import {commandTable} from './command-table.js';
import {type CommandSpec, type CompletionSource, type FlagSpec} from './flag-table.js';
import {services} from '../services/index.js';
import {listProfileSummaries} from '../store/profiles.js';
import {ferryPaths} from '../store/paths.js';
import {wizardCatalog} from '../../wizards/index.js';

export type Candidate = {value: string; description?: string};

/** Where the values of each completion source come from; tests pass their own. */
export type CompletionSources = Record<Exclude<CompletionSource, 'files'>, () => readonly Candidate[]>;

export const filesDirective = '__files__';

export type Completion = {files: true} | {files: false; candidates: Candidate[]};

function flagsOf(spec: CommandSpec): readonly FlagSpec[] {
	// A group without an action typed parses as its default action (`ferry sessions` is `ferry sessions list`).
	const fallback = spec.defaultSubcommand ? spec.subcommands?.find(command => command.path.at(-1) === spec.defaultSubcommand) : undefined;
	return fallback ? fallback.flags : spec.flags;
}

function findFlag(spec: CommandSpec, word: string): FlagSpec | undefined {
	const all = [...flagsOf(spec), ...(spec.subcommands ?? []).flatMap(command => command.flags)];
	return word.startsWith('--') ? all.find(flag => flag.name === word.slice(2).split('=')[0]) : all.find(flag => flag.short === word.at(-1));
}

/** A source (with descriptions) before bare choices: a wizard argument has both. */
function valuesOf(choices: readonly string[] | undefined, source: CompletionSource | undefined, sources: CompletionSources): Completion {
	if (source === 'files') {
		return {files: true};
	}

	if (source) {
		return {files: false, candidates: [...sources[source]()]};
	}

	return {files: false, candidates: (choices ?? []).map(value => ({value}))};
}

/** The candidates for the last of `words` (the words after `ferry`), from the command table. */
export function complete(words: readonly string[], sources: CompletionSources): Completion {
	const current = words.at(-1) ?? '';
	let spec = commandTable;
	let positionals = 0;
	let pendingValue: FlagSpec | undefined;
	let literal = false;
	const given = new Set<string>();
	for (const word of words.slice(0, -1)) {
		if (pendingValue) {
			pendingValue = undefined;
		} else if (word === '--') {
			literal = true;
		} else if (word.startsWith('-') && word !== '-' && !literal) {
			const flag = findFlag(spec, word);
			if (flag) {
				given.add(flag.name);
			}

			if (flag?.type === 'string' && !word.includes('=') && (word.startsWith('--') || word.length === 2)) {
				pendingValue = flag;
			}
		} else {
			const next = positionals === 0 ? spec.subcommands?.find(command => command.path.at(-1) === word) : undefined;
			if (next) {
				spec = next;
			} else {
				positionals++;
			}
		}
	}

	const filter = (completion: Completion, prefix: string, shown = (value: string) => value): Completion => (completion.files ? completion : {
		files: false,
		candidates: completion.candidates.filter(candidate => candidate.value.startsWith(prefix)).map(candidate => ({...candidate, value: shown(candidate.value)})),
	});
	if (pendingValue) {
		return filter(valuesOf(pendingValue.choices, pendingValue.complete, sources), current);
	}

	if (current.startsWith('--') && current.includes('=') && !literal) {
		const flag = findFlag(spec, current);
		const written = current.slice(0, current.indexOf('=') + 1);
		return flag ? filter(valuesOf(flag.choices, flag.complete, sources), current.slice(written.length), value => `${written}${value}`) : {files: false, candidates: []};
	}

	const flags = {files: false, candidates: flagsOf(spec).filter(flag => flag.repeatable || !given.has(flag.name)).map(flag => ({value: `--${flag.name}`, description: flag.help}))} as const;
	if (current.startsWith('-') && !literal) {
		return filter(flags, current);
	}

	if (spec.subcommands) {
		// After a word that names no command or action, nothing fits.
		return positionals === 0 ? filter({files: false, candidates: spec.subcommands.map(command => ({value: command.path.at(-1)!, description: command.summary}))}, current) : {files: false, candidates: []};
	}

	const declared = spec.positionals ?? [];
	const positional = declared[positionals] ?? (declared.at(-1)?.variadic ? declared.at(-1) : undefined);
	if (positional && (positional.choices || positional.complete)) {
		return filter(valuesOf(positional.choices, positional.complete, sources), current);
	}

	return current === '' && !positional ? flags : {files: false, candidates: []};
}

/** Lists a folder's entries, or nothing when it does not exist: a Tab must never print an error. */
function entries(directory: string): string[] {
	try {
		return readdirSync(directory, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => entry.name);
	} catch {
		return [];
	}
}

/** The real values: session folders (newest id first), profile names, wizard ids, services, commands. */
export const realSources: CompletionSources = {
	wizards: () => wizardCatalog.map(wizard => ({value: wizard.id, description: wizard.summary})),
	sessions: () => entries(ferryPaths().sessions).sort().reverse().map(value => ({value})),
	profiles() {
		try {
			return listProfileSummaries().map(profile => ({value: profile.name, description: profile.description}));
		} catch {
			return [{value: 'local'}];
		}
	},
	// The services `ferry profiles test` can ask (their descriptors are data; their clients load only when used).
	services: () => services.filter(service => service.whoami).map(service => ({value: service.name, description: service.title})),
	commands: () => (commandTable.subcommands ?? []).map(command => ({value: command.path[0]!, description: command.summary})),
};

/** What `ferry __complete` prints. */
export function completionOutput(words: readonly string[], sources: CompletionSources = realSources): string {
	const completion = complete(words, sources);
	if (completion.files) {
		return `${filesDirective}\n`;
	}

	// One line per candidate; a tab or line break inside a description would split it.
	return completion.candidates.map(candidate => `${candidate.value}\t${(candidate.description ?? '').replaceAll(/\s+/g, ' ')}\n`).join('');
}
