/**
 * Where a setting or an answer comes from, and which source wins: the one rule every command follows, stated once
 * here and printed by `ferry --help` and the README from the same lists.
 *
 *   flags > environment > answers file > profile settings > parameter defaults
 *
 * The first three are what the user gave for this run; they are gathered (and checked) before anything starts. The
 * last two are known only once the profile is ready (the local cloud publishes its settings when it runs), so they
 * fill in an answer when a form or a step needs it. Both ends go through `firstByPrecedence`.
 */

export const configLayers = ['flags', 'environment', 'answers file', 'profile settings', 'defaults'] as const;

export type ConfigLayer = (typeof configLayers)[number];

/** What each layer is, in the user's words (help, README). */
export const layerSources: Readonly<Record<ConfigLayer, string>> = {
	flags: '--profile/--local, --set KEY=VALUE, --log-level (--quiet, --verbose)',
	environment: 'the variables of `environmentVariables.layer`',
	'answers file': '--answers FILE (JSON or YAML; secrets may go here)',
	'profile settings': '`ferry profiles add NAME --set KEY=VALUE`; the local cloud publishes its own',
	defaults: 'each procedure\'s own (`ferry plan` lists every key)',
};

/** A layer's value, or a function that computes it (called only when every layer before it had none). */
export type LayerValues<T> = Partial<Record<ConfigLayer, T | undefined | (() => T | undefined)>>;

/**
 * The value of the first layer, in precedence order, that has one, and which layer it came from. Only undefined is
 * absent: each layer's reader says what "not given" is for it (an exported but empty variable, `environmentValue`);
 * `null` is a value (an answers file's blank key: "not answered", which the caller decides about).
 */
export function firstByPrecedence<T>(values: LayerValues<T>): {value: T; layer: ConfigLayer} | undefined {
	for (const layer of configLayers) {
		const given = values[layer];
		const value = typeof given === 'function' ? (given as () => T | undefined)() : given;
		if (value !== undefined) {
			return {value, layer};
		}
	}

	return undefined;
}

/** An environment variable as a layer's value: set but empty (`FERRY_PROFILE=`) is not set, as for the vendors' CLIs. */
export function environmentValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const value = env[name];
	return value === undefined || value === '' ? undefined : value;
}

export type EnvironmentVariable = {
	readonly name: string;
	/** What it sets, and the flag it stands in for. */
	readonly meaning: string;
};

/**
 * Every environment variable ferry reads (a test holds the sources to this list). The first group is the
 * "environment" layer above: each stands in for a flag or an answer; the second moves files or changes the output.
 */
export const environmentVariables = {
	layer: [
		{name: 'FERRY_PROFILE', meaning: 'the profile (--profile; --local is the profile local)'},
		{name: 'FERRY_ANSWER_<KEY>', meaning: 'one answer (--set KEY=…): tables → FERRY_ANSWER_TABLES'},
		{name: 'FERRY_SECRET_<KEY>', meaning: 'one secret answer (never --set; also read on resume)'},
		{name: 'FERRY_LOG_LEVEL', meaning: 'what reaches stderr (--log-level; --quiet, --verbose)'},
	],
	other: [
		{name: 'FERRY_HOME', meaning: 'one folder for every file ferry writes (else XDG_CONFIG_HOME, XDG_DATA_HOME)'},
		{name: 'FERRY_DEBUG', meaning: '1: stack traces on stderr, and Node\'s own warnings'},
		{name: 'FERRY_ASCII', meaning: 'any value: ASCII symbols instead of Unicode ones'},
		{name: 'NO_COLOR', meaning: 'any value: no colours (as --no-color; also TERM=dumb)'},
		{name: 'CI', meaning: 'set (not false or 0): never prompt (as --no-input)'},
		{name: 'HTTPS_PROXY', meaning: 'a forward proxy for real clouds (also HTTP_PROXY; NO_PROXY exempts hosts)'},
	],
} as const satisfies Record<string, readonly EnvironmentVariable[]>;
