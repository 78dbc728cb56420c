import {wizardCatalog} from '../../wizards/index.js';

/** The procedure the examples use: the catalog's first, so help names no procedure of its own. */
const example = wizardCatalog[0]!;
/** A session id of that procedure, as `createSession` makes them. */
const session = `${example.id.split('-').map(part => part[0]).join('')}-20261121-0935-1a2b`;

/** Help texts: examples first, the most common flags first. */
const general = () => `ferry — carries data between clouds, step by step, resumable and verified

Usage
  ferry                                   open the home screen (start, resume, profiles)
  ferry run <wizard> [options]            run a migration procedure
  ferry resume [SESSION]                  continue a saved session (the newest if omitted)
  ferry sessions [list|show|delete] [ID]  saved sessions
  ferry plan <wizard> [options]           the exact SQL and API calls of each step, as Markdown
  ferry verify <SESSION>                  run the verification again, side by side
  ferry sql --session ID --side source|target "<statement>"
  ferry profiles [list|show|add|test|remove] [NAME] [SERVICE…]
  ferry local-cloud start|stop|status|reset|env

Examples
  $ ferry                                                   # interactive, on the local cloud by default
  $ ferry run ${example.id} --local --yes --json </dev/null
  $ ferry run ${example.id} --profile prod --answers answers.yaml --set ${example.examples.set}
  $ ferry resume ${session}
  $ ferry verify ${session} --json

Wizards
${wizardCatalog.map(wizard => `  ${wizard.id.padEnd(24)} ${wizard.summary}`).join('\n')}

Common options
  -p, --profile NAME   where endpoints and credentials come from (default: local)
      --local          use the local cloud (same as --profile local)
  -a, --answers FILE   answers as JSON or YAML; secrets may go here, never in --set
  -s, --set KEY=VALUE  one answer (repeatable)
  -y, --yes            accept the review and confirmations (required without a terminal)
      --json           print one JSON document on stdout; progress goes to stderr
      --no-input       never prompt, even in a terminal
  -q, --quiet          no progress output
      --no-color       no colours (also NO_COLOR=1)
  -h, --help           help for a command: ferry <command> --help
  -v, --version        the version

Exit codes
  0 done · 1 a step failed · 2 usage or missing input · 3 configuration or credentials
  4 preflight failed · 5 verification found a difference (a comparison differed; a check that
  could not run is never one) · 128 + the signal when interrupted, the session saved and resumable:
  130 Ctrl-C (SIGINT) · 143 SIGTERM (timeout, docker stop, systemd) · 129 SIGHUP (a dropped SSH session)

Files
  FERRY_HOME overrides every path; otherwise ~/.config/ferry (profiles, credentials, mode 0600)
  and ~/.local/share/ferry (sessions, logs, reports, local cloud data).
`;

const commands: Record<string, string> = {
	run: `ferry run <wizard> [options] — run a migration procedure

Examples
  $ ferry run ${example.id}                      # interactive, local cloud
  $ ferry run ${example.id} --local --yes --json </dev/null
  $ ferry run ${example.id} --profile prod --answers answers.yaml --yes
  $ ferry run ${example.id} --local --set ${example.examples.set} --yes

Options
  -p, --profile NAME   profile to use (default: local)       --local   the local cloud
  -a, --answers FILE   JSON or YAML answers (secrets allowed here, or FERRY_SECRET_<KEY> env vars)
  -s, --set KEY=VALUE  one answer, repeatable (ferry plan lists every key)
  -y, --yes            accept the review and confirmations
      --json           one result document on stdout
      --no-input       never prompt
`,
	resume: `ferry resume [SESSION] [options] — continue a saved session where it stopped

Finished steps are skipped; a remote job still running (UNLOAD, migration job, MaxCompute instance) is
re-attached by its saved id instead of being started again. --set and --answers change saved answers (checked
as ferry run checks them, recorded in the session's log); the steps from the one that asked a changed answer
run again. Secrets go in the answers file or FERRY_SECRET_<KEY>, never in --set.

Examples
  $ ferry resume                     # the newest unfinished session
  $ ferry resume ${session} --yes --json </dev/null
  $ ferry resume ${session} --set maxcomputeProject=my_project --yes   # fix a wrong answer

Options
  -s, --set KEY=VALUE  change one answer, repeatable       -a, --answers FILE   change answers from a file
  -y, --yes            accept the review and confirmations       --json    one result document on stdout
`,
	sessions: `ferry sessions [list|show|delete] [ID] — saved sessions

Examples
  $ ferry sessions
  $ ferry sessions show ${session}
  $ ferry sessions delete ${session}
  $ ferry sessions --json
`,
	plan: `ferry plan <wizard> [options] — print what each step will run, as Markdown, secrets redacted

Examples
  $ ferry plan ${example.id} --local
  $ ferry plan ${example.id} --profile prod --answers answers.yaml -o plan.md
`,
	verify: `ferry verify <SESSION> — run the verification queries again on both sides

Exit code 5 when a comparison differs; a check that could not run (interrupted, its query failed) is listed as
"not compared" with its cause, and exits 130 (143, 129 by signal) or 1, resumable.

Examples
  $ ferry verify ${session}
  $ ferry verify ${session} --json
`,
	sql: `ferry sql (--session ID | --profile NAME --wizard ID) --side source|target "<statement>" — run one statement

The source is where the session's procedure reads from, the target where it writes; with --profile, --wizard
names the procedure whose sides are meant.

Examples
  $ ferry sql --session ${session} --side ${example.examples.sql.side} ${JSON.stringify(example.examples.sql.statement)}
  $ ferry sql --profile local --wizard ${example.id} --side ${example.examples.sql.side} ${JSON.stringify(example.examples.sql.statement)} --json
`,
	profiles: `ferry profiles [list|show|add|test|remove] [NAME] [SERVICE…] — where endpoints and credentials come from

A profile prefers the vendors' own credential chains (AWS env/profiles/SSO, Alibaba Cloud env,
~/.alibabacloud/credentials, ~/.aliyun/config.json, RAM roles); keys typed into ferry go to its
credentials file (mode 0600) and are shown only as their last 4 characters. test asks every service the
profile reaches "who am I" (or only the services named after the profile).

Examples
  $ ferry profiles
  $ ferry profiles add prod --set awsRegion=ap-southeast-1 --set alibabaRegion=ap-southeast-1
  $ ferry profiles test local
  $ ferry profiles test prod maxcompute datahub
  $ ferry profiles remove prod
`,
	'local-cloud': `ferry local-cloud start|stop|status|reset|env — the local stand-ins

Redshift (Data API + PostgreSQL wire, on PGlite, and its management API), S3, IAM, STS, OSS, Data Online
Migration, MaxCompute (ODPS REST, on DuckDB), DataHub, Log Service and DataWorks on 127.0.0.1, speaking
the real protocols, with the identities they enforce (roles, policies, the cluster's IAM roles). Data
lives under FERRY_HOME and survives restarts; reset clears it. env prints the endpoints, the local
cloud's throwaway keys and a proxy for *.localhost names, so your own tools (awscli, rclone, psql, the
vendors' SDKs) reach every stand-in.

Examples
  $ ferry local-cloud start
  $ ferry local-cloud status --json
  $ ferry local-cloud start --scale 0.1        # TPC-H scale factor for a fresh seed
  $ ferry local-cloud start --faults s3:503:5%,maxcompute:reset:3,oss:slow:2   # rehearse a bad day
  $ ferry local-cloud start --identities missing   # a fresh account with no roles, to rehearse the setup
  $ eval "$(ferry local-cloud env)" && aws s3 ls && psql -c 'select count(*) from orders'
  $ ferry local-cloud env --shell fish | source
  $ ferry local-cloud env --shell json         # for scripts
  $ ferry local-cloud reset

--faults SPEC: a comma list of SERVICE:KIND:AMOUNT. KIND is an HTTP status (503, 500, 429…) answered in the
service's own error shape, reset (the connection is dropped) or slow (AMOUNT seconds of delay, then the request
proceeds; a fourth field limits it to a count or rate). AMOUNT is a count (3: the next three requests) or a rate
(5%: that share of every request). Faults hit every client, the stand-ins' own work included; status shows them.

--identities configured|missing: what fresh data is seeded with. configured (the default) has every role,
policy and association the procedures need (e.g. the UNLOAD role, associated with the cluster); missing has
none of them. It is kept with the data: changing it needs reset. status shows it.
`,
};

export function helpText(command?: string): string {
	return (command && commands[command]) || general();
}

export function knownCommands(): string[] {
	return Object.keys(commands);
}
