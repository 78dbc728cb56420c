import {commandTable, example, exampleSession as session} from './command-table.js';
import {findCommand, renderCommandHelp} from './flag-table.js';
import {configLayers, environmentVariables, layerSources} from '../engine/precedence.js';
import {wizardCatalog} from '../../wizards/index.js';

/** The precedence and the environment, from the one place that defines them (precedence.ts). */
function configurationLines(): string {
	const names = [...environmentVariables.layer, ...environmentVariables.other].map(variable => variable.name);
	const width = Math.max(...names.map(name => name.length));
	const variable = (indent: string) => ({name, meaning}: {name: string; meaning: string}) => `${indent}${name.padEnd(width)}  ${meaning}`;
	const [first, ...rest] = environmentVariables.layer.map(variable(''));
	return [
		...configLayers.map(layer => `  ${layer.padEnd(18)} ${layer === 'environment' ? [first, ...rest.map(line => `${' '.repeat(21)}${line}`)].join('\n') : layerSources[layer]}`),
		'  On resume the saved answers stand: only --set, --answers and FERRY_SECRET_<KEY> change them.',
		'',
		'Environment, besides',
		...environmentVariables.other.map(variable('  ')),
	].join('\n');
}

/** ferry's own help: examples first, the most common flags first, then how configuration is decided. */
const general = () => `ferry — carries data between clouds, step by step, resumable and verified

Usage
  ferry                                   open the home screen (start, resume, profiles)
${(commandTable.subcommands ?? []).map(command => `  ${`ferry ${command.path[0]} ${command.usage}`.padEnd(38)}  ${command.summary}`).join('\n')}

Examples
  $ ferry                                                   # interactive, on the local cloud by default
  $ ferry run ${example.id} --local --yes --json </dev/null
  $ ferry run ${example.id} --profile prod --answers answers.yaml --set ${example.examples.set}
  $ ferry run ${example.id} --local --yes --events - | jq -c .   # follow a run as JSON lines
  $ ferry resume ${session}
  $ ferry verify ${session} --json
  $ source <(ferry completion bash)                         # Tab completes commands, flags, ids

Wizards
${wizardCatalog.map(wizard => `  ${wizard.id.padEnd(24)} ${wizard.summary}`).join('\n')}

Common options (each command lists its own: ferry <command> --help)
  -p, --profile NAME   where endpoints and credentials come from (default: local)
      --local          use the local cloud (same as --profile local)
  -a, --answers FILE   answers as JSON or YAML; secrets may go here, never in --set
  -s, --set KEY=VALUE  one answer (repeatable)
  -y, --yes            accept the review and confirmations (required without a terminal)
      --json           print one JSON document on stdout; progress goes to stderr
      --events FILE|-  a JSON-lines event stream of the run (- for stdout)
      --no-input       never prompt, even in a terminal
  -q, --quiet          errors only on stderr     --verbose   everything the session log gets
      --log-level L    error, warn, info (default) or debug
      --no-color       no colours (also NO_COLOR=1)
  -h, --help           help for a command: ferry <command> --help
  -v, --version        the version

Configuration: ${configLayers.join(' > ')} (the first that has a value wins)
${configurationLines()}

Exit codes
  0 done · 1 a step failed, or a bug in ferry · 2 usage or missing input · 3 configuration or credentials
  4 preflight failed · 5 verification found a difference (a comparison differed; a check that
  could not run is never one) · 128 + the signal when interrupted, the session saved and resumable:
  130 Ctrl-C (SIGINT) · 143 SIGTERM (timeout, docker stop, systemd) · 129 SIGHUP (a dropped SSH session)

Files
  FERRY_HOME overrides every path; otherwise ~/.config/ferry (profiles, credentials, mode 0600)
  and ~/.local/share/ferry (sessions, logs, reports, local cloud data).
`;

export function helpText(path: readonly string[] = []): string {
	const spec = path.length === 0 ? undefined : findCommand(commandTable, path);
	return spec ? renderCommandHelp(spec) : general();
}

/** The top-level commands. */
export function knownCommands(): string[] {
	return (commandTable.subcommands ?? []).map(command => command.path[0]!);
}
