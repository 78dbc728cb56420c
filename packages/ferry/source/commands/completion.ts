import type {ParsedArgs} from '../cli/cli-args.js';
import {completionScript, type CompletionShell} from '../cli/completion-scripts.js';
import type {CommandIo} from '../cli/io.js';
import {exitCodes, UsageError} from '../engine/errors.js';

/** `ferry completion bash|zsh|fish`: the script that makes Tab complete ferry's commands, flags and ids. */
export default async function completion(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [shell] = args.positionals;
	if (!shell) {
		throw new UsageError('ferry completion needs a shell: bash, zsh or fish', {hint: 'Example: source <(ferry completion bash). See `ferry completion --help`.'});
	}

	io.stdout.write(completionScript(shell as CompletionShell));
	return exitCodes.ok;
}
