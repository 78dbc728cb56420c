import {commandTable, example, exampleSession as session} from './command-table.js';
import {findCommand, renderCommandHelp} from './flag-table.js';
import {wizardCatalog} from '../../wizards/index.js';

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

Configuration, first match wins
  1. flags                 --profile/--local, --set, --log-level (--quiet, --verbose)
  2. environment           FERRY_PROFILE, FERRY_ANSWER_<KEY> and FERRY_SECRET_<KEY> (KEY in SCREAMING_SNAKE_CASE:
                           tables → FERRY_ANSWER_TABLES), FERRY_LOG_LEVEL
  3. the answers file      --answers FILE
  4. the profile's settings (\`ferry profiles add NAME --set KEY=VALUE\`; the local cloud publishes its own)
  5. the procedure's defaults
  Also read: FERRY_HOME (every path), FERRY_DEBUG=1 (stack traces), NO_COLOR, CI (no prompts).
  On resume only --set and --answers change saved answers (and FERRY_SECRET_<KEY> a secret).

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
