import {parseArgs} from 'node:util';
import {UsageError} from '../engine/errors.js';

/** Flags every command understands. Secrets never come from flags. */
const flagSpec = {
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
	json: {type: 'boolean'},
	yes: {type: 'boolean', short: 'y'},
	'no-input': {type: 'boolean'},
	'no-color': {type: 'boolean'},
	quiet: {type: 'boolean', short: 'q'},
	local: {type: 'boolean'},
	profile: {type: 'string', short: 'p'},
	answers: {type: 'string', short: 'a'},
	set: {type: 'string', multiple: true, short: 's'},
	session: {type: 'string'},
	side: {type: 'string'},
	output: {type: 'string', short: 'o'},
	ports: {type: 'string'},
	scale: {type: 'string'},
	faults: {type: 'string'},
	identities: {type: 'string'},
	shell: {type: 'string'},
	wizard: {type: 'string'},
	force: {type: 'boolean', short: 'f'},
} as const;

export type Flags = {
	help: boolean;
	version: boolean;
	json: boolean;
	yes: boolean;
	noInput: boolean;
	quiet: boolean;
	local: boolean;
	force: boolean;
	profile?: string;
	answers?: string;
	set: string[];
	session?: string;
	side?: string;
	output?: string;
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
};

export type ParsedArgs = {command: string | undefined; positionals: string[]; flags: Flags};

export function parseCliArgs(argv: string[]): ParsedArgs {
	let parsed;
	try {
		parsed = parseArgs({args: argv, options: flagSpec, allowPositionals: true, strict: true});
	} catch (error) {
		throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''), {hint: 'Run `ferry --help` for the commands and flags.'});
	}

	const {values, positionals} = parsed;
	const [command, ...rest] = positionals;
	return {
		command,
		positionals: rest,
		flags: {
			help: values.help ?? false,
			version: values.version ?? false,
			json: values.json ?? false,
			yes: values.yes ?? false,
			noInput: values['no-input'] ?? false,
			quiet: values.quiet ?? false,
			local: values.local ?? false,
			force: values.force ?? false,
			profile: values.profile,
			answers: values.answers,
			set: values.set ?? [],
			session: values.session,
			side: values.side,
			output: values.output,
			ports: values.ports,
			scale: values.scale,
			faults: values.faults,
			identities: values.identities,
			shell: values.shell,
			wizard: values.wizard,
		},
	};
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
