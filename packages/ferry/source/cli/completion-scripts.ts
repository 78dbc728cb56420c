/**
 * The scripts `ferry completion bash|zsh|fish` prints. Each asks `ferry __complete` for the candidates of the word
 * under the cursor (complete.ts), so the scripts never go stale when commands or flags change.
 */
import type {completionShells} from './command-table.js';
import {filesDirective} from './complete.js';

export type CompletionShell = (typeof completionShells)[number];

const bash = `# ferry completion for bash. Load it now with: source <(ferry completion bash)
# or keep it: ferry completion bash > ~/.local/share/bash-completion/completions/ferry
_ferry_complete() {
	local cur=\${COMP_WORDS[COMP_CWORD]} out line
	out=$(ferry __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
	COMPREPLY=()
	if [[ $out == ${filesDirective} ]]; then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
	fi
	while IFS= read -r line; do
		[[ -n $line ]] && COMPREPLY+=("\${line%%$'\\t'*}")
	done <<< "$out"
}
complete -F _ferry_complete ferry
`;

const zsh = `#compdef ferry
# ferry completion for zsh. Load it now with: source <(ferry completion zsh)   (after compinit)
# or keep it: ferry completion zsh > "\${fpath[1]}/_ferry"
_ferry() {
	local out line value description
	local -a candidates
	out=$(ferry __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
	if [[ $out == ${filesDirective} ]]; then
		_files
		return
	fi
	for line in "\${(@f)out}"; do
		[[ -z $line ]] && continue
		value=\${line%%$'\\t'*}
		description=\${line#*$'\\t'}
		if [[ -n $description ]]; then
			candidates+=("\${value//:/\\\\:}:$description")
		else
			candidates+=("\${value//:/\\\\:}")
		fi
	done
	_describe -t ferry ferry candidates
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_ferry "$@"
else
	compdef _ferry ferry
fi
`;

const fish = `# ferry completion for fish. Load it now with: ferry completion fish | source
# or keep it: ferry completion fish > ~/.config/fish/completions/ferry.fish
function __ferry_complete
	set -l words (commandline -opc)
	set -l current (commandline -ct)
	set -l out (ferry __complete $words[2..-1] "$current" 2>/dev/null)
	if test "$out" = ${filesDirective}
		__fish_complete_path "$current"
		return
	end
	printf '%s\\n' $out
end
complete -c ferry -f -a '(__ferry_complete)'
`;

export function completionScript(shell: CompletionShell): string {
	return {bash, zsh, fish}[shell];
}
