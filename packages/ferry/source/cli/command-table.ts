/**
 * Every command of ferry and the flags each one takes: the one table that parsing, `--help` and shell completion
 * read (see flag-table.ts). Adding a flag to a command is adding it here; the command reads it from `args.flags`.
 */
import type {CommandSpec, FlagSpec, PositionalSpec} from './flag-table.js';
import {identitiesSeeds} from '../local/files.js';
import {logLevels} from '../log/log-level.js';
import {wizardCatalog} from '../../wizards/index.js';

/** The procedure the examples use: the catalog's first, so help names no procedure of its own. */
export const example = wizardCatalog[0]!;
/** A session id of that procedure, as `createSession` makes them. */
export const exampleSession = `${example.id.split('-').map(part => part[0]).join('')}-20261121-0935-1a2b`;
const session = exampleSession;

/**
 * The procedures' ids: a wizard argument is one of them, refused with the closest otherwise. Read from the catalog
 * each time (getters), so a procedure registered in it is known without an edit here.
 */
const wizardIds = () => wizardCatalog.map(entry => entry.id);
const wizard: PositionalSpec = {
	name: 'wizard',
	complete: 'wizards',
	get choices() {
		return wizardIds();
	},
};
const wizardList = () => `Wizards\n${wizardCatalog.map(entry => `  ${entry.id.padEnd(Math.max(...wizardIds().map(id => id.length)))}  ${entry.summary}`).join('\n')}`;

const flag = {
	help: {name: 'help', short: 'h', type: 'boolean', help: 'this help'},
	version: {name: 'version', short: 'v', type: 'boolean', help: 'the version'},
	noColor: {name: 'no-color', type: 'boolean', help: 'no colours (also NO_COLOR=1)'},
	json: {name: 'json', type: 'boolean', help: 'one JSON document on stdout (errors too); progress goes to stderr'},
	yes: {name: 'yes', short: 'y', type: 'boolean', help: 'accept the review and confirmations (required without a terminal)'},
	noInput: {name: 'no-input', type: 'boolean', help: 'never prompt, even in a terminal'},
	profile: {name: 'profile', short: 'p', type: 'string', value: 'NAME', help: 'where endpoints and credentials come from', default: 'local', env: 'FERRY_PROFILE', complete: 'profiles'},
	local: {name: 'local', type: 'boolean', help: 'the local cloud (same as --profile local)'},
	answers: {name: 'answers', short: 'a', type: 'string', value: 'FILE', help: 'answers as JSON or YAML; secrets may go here, never in --set', complete: 'files'},
	set: {name: 'set', short: 's', type: 'string', value: 'KEY=VALUE', repeatable: true, help: 'one answer (`ferry plan` lists every key)'},
	quiet: {name: 'quiet', short: 'q', type: 'boolean', help: 'errors only on stderr (same as --log-level error)'},
	verbose: {name: 'verbose', type: 'boolean', help: 'everything the session log gets, on stderr too (same as --log-level debug)'},
	logLevel: {name: 'log-level', type: 'string', value: 'LEVEL', choices: logLevels, help: `${logLevels.join(', ')}: what reaches stderr headless (the session log keeps everything)`, default: 'info', env: 'FERRY_LOG_LEVEL'},
	events: {name: 'events', type: 'string', value: 'FILE|-', help: 'a JSON-lines event stream of the run (steps, progress, result) to FILE, or stdout with -', complete: 'files'},
	session: {name: 'session', type: 'string', value: 'ID', help: 'a saved session', complete: 'sessions'},
} as const satisfies Record<string, FlagSpec>;

/** Every command takes these. */
const common = [flag.help, flag.version, flag.noColor];
/** Commands that write progress to stderr. */
const logging = [flag.quiet, flag.verbose, flag.logLevel];

const run: CommandSpec = {
	path: ['run'],
	summary: 'run a migration procedure',
	usage: '<wizard> [options]',
	get description() {
		return wizardList();
	},
	positionals: [wizard],
	examples: [
		`$ ferry run ${example.id}                      # interactive, local cloud`,
		`$ ferry run ${example.id} --local --yes --json </dev/null`,
		`$ ferry run ${example.id} --profile prod --answers answers.yaml --yes`,
		`$ ferry run ${example.id} --local --set ${example.examples.set} --yes`,
		`$ ferry run ${example.id} --local --yes --events - | jq -c 'select(.event == "step.finished")'`,
	],
	flags: [flag.profile, flag.local, flag.answers, flag.set, flag.yes, flag.json, flag.noInput, flag.events, ...logging, ...common],
	notes: 'Answers: --set, then FERRY_ANSWER_<KEY> (FERRY_SECRET_<KEY> for secrets), then the answers file, then the\nprofile\'s settings, then the procedure\'s defaults. See `ferry --help` for the whole order.',
};

const resume: CommandSpec = {
	path: ['resume'],
	summary: 'continue a saved session where it stopped',
	usage: '[SESSION] [options]',
	description: `Finished steps are skipped; a remote job still running (UNLOAD, migration job, MaxCompute instance) is
re-attached by its saved id instead of being started again. --set and --answers change saved answers (checked
as ferry run checks them, recorded in the session's log); the steps from the one that asked a changed answer
run again. Secrets go in the answers file or FERRY_SECRET_<KEY>, never in --set. Without SESSION, the newest
unfinished session.`,
	positionals: [{name: 'session', optional: true, complete: 'sessions'}],
	examples: [
		'$ ferry resume                     # the newest unfinished session',
		`$ ferry resume ${session} --yes --json </dev/null`,
		`$ ferry resume ${session} --set maxcomputeProject=my_project --yes   # fix a wrong answer`,
	],
	flags: [{...flag.set, help: 'change one answer'}, {...flag.answers, help: 'change answers from a file'}, flag.yes, flag.json, flag.noInput, flag.events, ...logging, ...common],
};

const sessions: CommandSpec = {
	path: ['sessions'],
	summary: 'saved sessions',
	usage: '[list|show|delete|verify-log] [ID]',
	defaultSubcommand: 'list',
	flags: [flag.json, ...common],
	examples: ['$ ferry sessions', `$ ferry sessions show ${session}`, `$ ferry sessions delete ${session}`, '$ ferry sessions --json'],
	subcommands: [
		{path: ['sessions', 'list'], summary: 'every session, newest first', usage: '[options]', flags: [flag.json, ...common], examples: ['$ ferry sessions list', '$ ferry sessions list --json']},
		{path: ['sessions', 'show'], summary: 'one session\'s steps and log', usage: '<ID> [options]', positionals: [{name: 'session', complete: 'sessions'}], flags: [flag.json, ...common], examples: [`$ ferry sessions show ${session}`, `$ ferry sessions show ${session.slice(0, 12)} --json   # a unique prefix will do`]},
		{path: ['sessions', 'delete'], summary: 'remove a session and its secrets', usage: '<ID> [options]', positionals: [{name: 'session', complete: 'sessions'}], flags: [flag.json, ...common], examples: [`$ ferry sessions delete ${session}`]},
		{
			path: ['sessions', 'verify-log'],
			summary: 'check that no line of a session\'s audit trail was edited, removed or reordered',
			usage: '<ID> [options]',
			description: `Walks the hash chain of the session's audit.jsonl (one line per remote call, statement, decision, step and
verification, each holding the SHA-256 of the one before) and prints its line count and head hash. Exit 0 when the
chain is intact; exit 5 with the first bad line named when a line was edited, removed or reordered.`,
			positionals: [{name: 'session', complete: 'sessions'}],
			flags: [flag.json, ...common],
			examples: [`$ ferry sessions verify-log ${session}`, `$ ferry sessions verify-log ${session} --json`],
		},
	],
};

const report: CommandSpec = {
	path: ['report'],
	summary: 'a session\'s evidence: plan, steps, verification side by side, audit head',
	usage: '<SESSION> [options]',
	description: `md is the verification report (report.md); json the whole evidence pack for machines (the plan's hash, the
steps with their timings and remote ids, the verification with the rules it applied, what ferry created, the audit
trail's head); junit one testcase per verification check, a failure where it differed, so a CI job can gate on the
migration; html a self-contained page. Secrets never appear in any of them.`,
	positionals: [{name: 'session', complete: 'sessions'}],
	examples: [`$ ferry report ${session}`, `$ ferry report ${session} --format junit -o ferry-junit.xml`, `$ ferry report ${session} --format html -o evidence.html`],
	flags: [
		{name: 'format', short: 'f', type: 'string', value: 'FORMAT', choices: ['md', 'json', 'junit', 'html'], default: 'md', help: 'md, json, junit or html'},
		{name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'write the report to FILE instead of stdout', complete: 'files'},
		...common,
	],
};

const plan: CommandSpec = {
	path: ['plan'],
	summary: 'the exact SQL and API calls of each step, as Markdown, secrets redacted',
	usage: '<wizard> [options]',
	get description() {
		return `Runs the read-only steps (connections, preflight, discovery) up to the review and prints it; no session stays behind.\n\n${wizardList()}`;
	},
	positionals: [wizard],
	examples: [
		`$ ferry plan ${example.id} --local`,
		`$ ferry plan ${example.id} --profile prod --answers answers.yaml -o plan.md`,
		`$ ferry plan ${example.id} --local --out plan.json -o plan.md   # review plan.md, then: ferry apply plan.json`,
		`$ ferry plan ${example.id} --local --out plan.json --row-tolerance 1   # a live source: row counts may move by 1%`,
	],
	flags: [
		flag.profile, flag.local, flag.answers, flag.set, {name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'write the Markdown plan to FILE instead of stdout', complete: 'files'},
		{name: 'out', type: 'string', value: 'FILE', help: 'also write the plan as JSON for `ferry apply` (answers, secrets as references, endpoints, source facts, review, content hash)', complete: 'files'},
		{name: 'row-tolerance', type: 'string', value: 'PERCENT', help: 'with --out: how far a source row count may move before `apply` stops', default: '0'},
		...logging, ...common,
	],
};

const apply: CommandSpec = {
	path: ['apply'],
	summary: 'run a saved plan exactly, refusing drift',
	usage: '<PLAN.json> [options]',
	description: `Checks the plan's content hash (a changed file is refused, exit 2), the ferry major and the wizard version
(exit 4), then runs the plan's answers as a new session on the plan's profile; secrets come from the answers file,
FERRY_SECRET_<KEY> or the profile, as for ferry run. Before each step that depends on the source facts the plan
recorded (columns and types, row counts, partitions, a topic's schema), they are read again: a change stops the
run with exit 4 and the difference, before that step does anything. The session records the plan's hash; resume
keeps checking. Headless only: the review is accepted with --yes.`,
	positionals: [{name: 'plan', complete: 'files'}],
	examples: [
		'$ ferry apply plan.json --plan-only        # the drift since the plan, or "no drift"; exit 0 or 4',
		'$ ferry apply plan.json --yes',
		'$ ferry apply plan.json --answers secrets.yaml --yes --json </dev/null',
	],
	flags: [
		{...flag.answers, help: 'the secrets the plan refers to, as JSON or YAML (its other answers are the plan\'s)'},
		{name: 'plan-only', type: 'boolean', help: 'print the drift since the plan and exit 0 (none) or 4, without running'},
		flag.yes, flag.json, flag.events, ...logging, ...common,
	],
};

const verify: CommandSpec = {
	path: ['verify'],
	summary: 'run the verification again, side by side',
	usage: '<SESSION> [options]',
	description: `Runs the verification queries again on both sides. Exit code 5 when a comparison differs; a check that
could not run (interrupted, its query failed) is listed as "not compared" with its cause, and exits 130 (143,
129 by signal) or 1, resumable.`,
	positionals: [{name: 'session', optional: true, complete: 'sessions'}],
	examples: [`$ ferry verify ${session}`, `$ ferry verify ${session} --json`],
	flags: [flag.session, flag.json, flag.noInput, flag.events, ...logging, ...common],
};

const sql: CommandSpec = {
	path: ['sql'],
	summary: 'run one statement on a procedure\'s source or target',
	usage: '(--session ID | --profile NAME --wizard ID) --side source|target "<statement>"',
	description: `The source is where the session's procedure reads from, the target where it writes; with --profile, --wizard
names the procedure whose sides are meant.`,
	positionals: [{name: 'statement', variadic: true}],
	examples: [
		`$ ferry sql --session ${session} --side ${example.examples.sql.side} ${JSON.stringify(example.examples.sql.statement)}`,
		`$ ferry sql --profile local --wizard ${example.id} --side ${example.examples.sql.side} ${JSON.stringify(example.examples.sql.statement)} --json`,
	],
	flags: [
		flag.session, {...flag.profile, help: 'query with this profile instead of a session\'s'}, flag.local,
		{
			name: 'wizard', type: 'string', value: 'ID', help: 'with --profile: the procedure whose sides are meant', complete: 'wizards',
			get choices() {
				return wizardIds();
			},
		},
		{name: 'side', type: 'string', choices: ['source', 'target'], help: 'which side to query'},
		{...flag.set, help: 'with --profile: an answer the sides need (e.g. the project)'}, flag.json, ...logging, ...common,
	],
};

const profileName = {name: 'name', complete: 'profiles'} as const;
const profiles: CommandSpec = {
	path: ['profiles'],
	summary: 'where endpoints and credentials come from',
	usage: '[list|show|add|test|remove] [NAME] [SERVICE…]',
	description: `A profile prefers the vendors' own credential chains (AWS env/profiles/SSO, Alibaba Cloud env,
~/.alibabacloud/credentials, ~/.aliyun/config.json, RAM roles); keys typed into ferry go to its
credentials file (mode 0600) and are shown only as their last 4 characters. A profile's settings are
defaults for every procedure's answers.`,
	defaultSubcommand: 'list',
	flags: [flag.json, ...common],
	examples: [
		'$ ferry profiles',
		'$ ferry profiles add prod --set awsRegion=ap-southeast-1 --set alibabaRegion=ap-southeast-1',
		'$ ferry profiles test local',
		'$ ferry profiles test prod maxcompute datahub',
		'$ ferry profiles remove prod',
	],
	subcommands: [
		{path: ['profiles', 'list'], summary: 'every profile', usage: '[options]', flags: [flag.json, ...common], examples: ['$ ferry profiles list', '$ ferry profiles list --json']},
		{path: ['profiles', 'show'], summary: 'one profile as JSON, stored keys masked', usage: '<NAME> [options]', positionals: [profileName], flags: [{...flag.json, help: 'errors as JSON too (the profile is JSON either way)'}, ...common], examples: ['$ ferry profiles show prod']},
		{
			path: ['profiles', 'add'],
			summary: 'add or replace a profile',
			usage: '<NAME> --set KEY=VALUE… [options]',
			description: 'Settings: awsRegion, alibabaRegion, awsCredentials and alibabaCredentials (chain or stored), awsProfile,\nalibabaProfile, alibabaAccountId, logviewHost, description, <service>Endpoint and the settings the services\'\nwhoami needs (e.g. maxcomputeProject). Keys go in the answers file or FERRY_SECRET_<KEY>, never in --set.',
			positionals: [{name: 'name'}],
			flags: [{...flag.set, help: 'one setting'}, {...flag.answers, help: 'settings and keys from a JSON or YAML file'}, flag.json, flag.noInput, ...common],
			examples: ['$ ferry profiles add prod --set awsRegion=ap-southeast-1 --set alibabaRegion=ap-southeast-1', '$ ferry profiles add keys --set alibabaRegion=cn-hangzhou --set alibabaCredentials=stored --answers keys.yaml'],
		},
		{
			path: ['profiles', 'test'],
			summary: 'ask every service the profile reaches "who am I"',
			usage: '<NAME> [SERVICE…] [options]',
			positionals: [profileName, {name: 'service', optional: true, variadic: true, complete: 'services'}],
			flags: [{...flag.set, help: 'a setting a whoami needs, for this test only'}, flag.json, ...logging, ...common],
			examples: ['$ ferry profiles test local', '$ ferry profiles test prod maxcompute datahub'],
		},
		{path: ['profiles', 'remove'], summary: 'remove a profile and its stored keys', usage: '<NAME> [options]', positionals: [profileName], flags: [flag.json, ...common], examples: ['$ ferry profiles remove prod']},
	],
};

const localCloud: CommandSpec = {
	path: ['local-cloud'],
	summary: 'the local stand-ins',
	usage: 'start|stop|status|reset|env',
	description: `Redshift (Data API + PostgreSQL wire, on PGlite, and its management API), S3, IAM, STS, OSS, Data Online
Migration, MaxCompute (ODPS REST, on DuckDB), DataHub, Log Service and DataWorks on 127.0.0.1, speaking
the real protocols, with the identities they enforce (roles, policies, the cluster's IAM roles). Data
lives under FERRY_HOME and survives restarts; reset clears it. env prints the endpoints, the local
cloud's throwaway keys and a proxy for *.localhost names, so your own tools (awscli, rclone, psql, the
vendors' SDKs) reach every stand-in.`,
	defaultSubcommand: 'status',
	flags: [flag.json, ...common],
	examples: [
		'$ ferry local-cloud start',
		'$ ferry local-cloud status --json',
		'$ ferry local-cloud start --scale 0.1        # TPC-H scale factor for a fresh seed',
		'$ ferry local-cloud start --faults s3:503:5%,maxcompute:reset:3,oss:slow:2   # rehearse a bad day',
		'$ ferry local-cloud start --identities missing   # a fresh account with no roles, to rehearse the setup',
		'$ eval "$(ferry local-cloud env)" && aws s3 ls && psql -c \'select count(*) from orders\'',
		'$ ferry local-cloud env --shell fish | source',
		'$ ferry local-cloud env --shell json         # for scripts',
		'$ ferry local-cloud reset',
	],
	subcommands: [
		{
			path: ['local-cloud', 'start'],
			summary: 'start the stand-ins (seeding TPC-H on the first start)',
			usage: '[options]',
			flags: [
				{name: 'scale', type: 'string', value: 'FACTOR', help: 'TPC-H scale factor for a fresh seed (0.01, 0.1, 1…)', default: '0.01'},
				{name: 'ports', type: 'string', value: 'NAME=PORT,…', help: 'fixed ports for some stand-ins'},
				{name: 'faults', type: 'string', value: 'SPEC', help: 'standing faults of the stand-ins (below)'},
				{name: 'identities', type: 'string', choices: identitiesSeeds, help: 'what fresh data is seeded with (below)', default: 'configured'},
				flag.json, ...logging, ...common,
			],
			examples: ['$ ferry local-cloud start', '$ ferry local-cloud start --scale 0.1', '$ ferry local-cloud start --faults s3:503:5%,maxcompute:reset:3,oss:slow:2', '$ ferry local-cloud start --identities missing', '$ ferry local-cloud start --ports s3=9000,oss=9001'],
			notes: `--faults SPEC: a comma list of SERVICE:KIND:AMOUNT. KIND is an HTTP status (503, 500, 429…) answered in the
service's own error shape, reset (the connection is dropped) or slow (AMOUNT seconds of delay, then the request
proceeds; a fourth field limits it to a count or rate). AMOUNT is a count (3: the next three requests) or a rate
(5%: that share of every request). Faults hit every client, the stand-ins' own work included; status shows them.

--identities configured|missing: what fresh data is seeded with. configured (the default) has every role,
policy and association the procedures need (e.g. the UNLOAD role, associated with the cluster); missing has
none of them. It is kept with the data: changing it needs reset. status shows it.`,
		},
		{path: ['local-cloud', 'stop'], summary: 'stop the stand-ins (their data stays)', usage: '[options]', flags: [flag.json, ...common], examples: ['$ ferry local-cloud stop']},
		{path: ['local-cloud', 'status'], summary: 'whether each stand-in answers', usage: '[options]', flags: [flag.json, ...common], examples: ['$ ferry local-cloud status', '$ ferry local-cloud status --json']},
		{path: ['local-cloud', 'reset'], summary: 'stop and clear the data; the next start seeds again', usage: '[options]', flags: [flag.json, ...common], examples: ['$ ferry local-cloud reset']},
		{
			path: ['local-cloud', 'env'],
			summary: 'endpoints and keys for your own tools',
			usage: '[--shell sh|fish|json] [options]',
			flags: [
				{name: 'shell', type: 'string', choices: ['sh', 'fish', 'json'], help: 'the syntax to print', default: 'sh (json with --json)'},
				{...flag.profile, help: 'only local: env never prints a real profile\'s keys', env: undefined},
				flag.json, ...common,
			],
			examples: ['$ eval "$(ferry local-cloud env)"', '$ ferry local-cloud env --shell fish | source', '$ ferry local-cloud env --shell json'],
		},
	],
};

export const completionShells = ['bash', 'zsh', 'fish'] as const;

const completion: CommandSpec = {
	path: ['completion'],
	summary: 'a shell completion script',
	usage: 'bash|zsh|fish',
	description: 'Prints a script that completes commands, actions, flags, wizard ids, session ids and profile names.',
	positionals: [{name: 'shell', choices: completionShells}],
	examples: [
		'$ source <(ferry completion bash)                              # now; add it to ~/.bashrc to keep it',
		'$ ferry completion zsh > "${fpath[1]}/_ferry"                  # then restart zsh',
		'$ ferry completion fish > ~/.config/fish/completions/ferry.fish',
	],
	flags: common,
};

const help: CommandSpec = {
	path: ['help'],
	summary: 'help for ferry or one command',
	usage: '[COMMAND [ACTION]]',
	positionals: [{name: 'command', optional: true, variadic: true, complete: 'commands'}],
	examples: ['$ ferry help', '$ ferry help run', '$ ferry help local-cloud start'],
	flags: common,
};

/** `ferry` itself: with no command it opens the home screen. */
export const commandTable: CommandSpec = {
	path: [],
	summary: 'carries data between clouds, step by step, resumable and verified',
	usage: '[COMMAND] [options]',
	flags: [flag.noInput, ...common],
	examples: [],
	subcommands: [run, resume, sessions, report, plan, apply, verify, sql, profiles, localCloud, completion, help],
};
