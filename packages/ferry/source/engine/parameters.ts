import {PreflightError, UsageError, type FerryErrorOptions} from './errors.js';
import {firstByPrecedence} from './precedence.js';
import type {Answers, Parameter, ParameterContext} from './wizard.js';

/** A wrong or missing answer: it names its key, so a hint can say how to change it. Exit 2. */
export class AnswerError extends UsageError {
	readonly key: string;

	constructor(key: string, message: string, options: FerryErrorOptions = {}) {
		super(message, options);
		this.name = 'AnswerError';
		this.key = key;
	}
}

function screamingSnake(key: string): string {
	return key.replace(/[A-Z]/g, letter => `_${letter}`).toUpperCase();
}

/** The environment variable a secret answer may come from, e.g. FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY. */
export function secretEnvName(key: string): string {
	return `FERRY_SECRET_${screamingSnake(key)}`;
}

/** The environment variable any other answer may come from, e.g. FERRY_ANSWER_TABLES. */
export function answerEnvName(key: string): string {
	return `FERRY_ANSWER_${screamingSnake(key)}`;
}

/** Parses a raw answer (from --set, an answers file or a form) into the parameter's type. */
export function parseAnswer(parameter: Parameter, raw: unknown): unknown {
	switch (parameter.type) {
		case 'number': {
			const text = String(raw).trim();
			// Number('') is 0: a blank answer must not pass as zero.
			const value = typeof raw === 'number' ? raw : text === '' ? Number.NaN : Number(text);
			if (!Number.isFinite(value)) {
				throw new AnswerError(parameter.key, `${parameter.key} must be a number, got ${JSON.stringify(raw)}`, {hint: `Pass ${setFlagExample(parameter)}.`});
			}

			return value;
		}

		case 'boolean': {
			if (typeof raw === 'boolean') {
				return raw;
			}

			const text = String(raw).trim().toLowerCase();
			if (['true', 'yes', 'y', '1', 'on'].includes(text)) {
				return true;
			}

			if (['false', 'no', 'n', '0', 'off'].includes(text)) {
				return false;
			}

			throw new AnswerError(parameter.key, `${parameter.key} must be true or false, got ${JSON.stringify(raw)}`, {hint: `Pass --set ${parameter.key}=true or false.`});
		}

		case 'json': {
			if (typeof raw !== 'string') {
				return raw;
			}

			try {
				return JSON.parse(raw) as unknown;
			} catch (error) {
				throw new AnswerError(parameter.key, `${parameter.key} must be JSON: ${(error as Error).message}`, {hint: `Pass ${setFlagExample(parameter)}.`});
			}
		}

		case 'list': {
			const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
			return items.map(item => item.trim()).filter(Boolean);
		}

		default: {
			return typeof raw === 'string' ? raw.trim() : String(raw);
		}
	}
}

/**
 * A parameter's default: the last two layers of the precedence (precedence.ts), the profile's setting for its key,
 * else the parameter's own default. A secret never comes from settings.
 */
export function defaultFor(parameter: Parameter, context: ParameterContext): unknown {
	const setting = parameter.type === 'secret' ? undefined : context.settings?.[parameter.key];
	return firstByPrecedence<unknown>({
		'profile settings': setting === undefined ? undefined : () => parseAnswer(parameter, setting),
		defaults: () => (typeof parameter.default === 'function' ? (parameter.default as (context: ParameterContext) => unknown)(context) : parameter.default),
	})?.value;
}

export function isEmptyAnswer(value: unknown): boolean {
	return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Checks a parsed value against the parameter's choices and validator. Returns a message or undefined. */
export function checkAnswer(parameter: Parameter, value: unknown, context: ParameterContext): string | undefined {
	if (isEmptyAnswer(value)) {
		return parameter.optional ? undefined : `${parameter.label} is required`;
	}

	if (parameter.choices && (parameter.type === 'select' || parameter.type === 'list')) {
		const allowed = new Set(parameter.choices(context).map(choice => choice.value));
		const values = parameter.type === 'list' ? (value as string[]) : [value as string];
		const unknown = values.filter(item => !allowed.has(item));
		if (allowed.size > 0 && unknown.length > 0) {
			return `Unknown ${parameter.label.toLowerCase()}: ${unknown.join(', ')} (choose from ${[...allowed].join(', ')})`;
		}
	}

	return parameter.validate?.(value, context.answers);
}

export function setFlagExample(parameter: Parameter): string {
	return `--set ${parameter.key}=${parameter.example ?? `<${parameter.type === 'list' ? 'a,b' : parameter.type}>`}`;
}

/**
 * Non-interactive resolution of a step's parameters: given answers first, then defaults.
 * A missing answer is a usage error naming the flag to pass.
 */
export function resolveParameters(parameters: readonly Parameter[], context: ParameterContext, secretAvailable: (key: string) => boolean): Answers {
	const answers: Answers = {...context.answers};
	for (const parameter of parameters) {
		if (parameter.when && !parameter.when(answers)) {
			continue;
		}

		const scoped = {...context, answers};
		if (parameter.type === 'secret') {
			if (!secretAvailable(parameter.key) && !parameter.optional) {
				throw new AnswerError(parameter.key, `Missing secret answer ${parameter.key} (${parameter.label})`, {
					hint: `Put "${parameter.key}" in the answers file (--answers FILE) or set ${secretEnvName(parameter.key)}; secrets are never taken from --set.`,
				});
			}

			continue;
		}

		const value = isEmptyAnswer(answers[parameter.key]) ? defaultFor(parameter, scoped) : parseAnswer(parameter, answers[parameter.key]);
		if (isEmptyAnswer(value) && !parameter.optional) {
			throw new AnswerError(parameter.key, `Missing answer ${parameter.key} (${parameter.label})`, {hint: `Pass ${setFlagExample(parameter)} or put it in the answers file. ${parameter.help}`});
		}

		const problem = checkAnswer(parameter, value, scoped);
		if (problem) {
			throw new AnswerError(parameter.key, `Invalid answer ${parameter.key}: ${problem}`, {hint: `Pass ${setFlagExample(parameter)}.`});
		}

		if (!isEmptyAnswer(value)) {
			answers[parameter.key] = value;
		}
	}

	return answers;
}

/** One asked parameter of a form, with the value it would take now. */
export type ResolvedParameter = {
	parameter: Parameter;
	/** The parsed answer or default; undefined for an optional answer left empty and for every secret. */
	value: unknown;
	/** `missing`: no answer and no default that passes the checks, so a person must answer it. */
	state: 'resolved' | 'missing';
	/** A secret already held by the secret store (shown masked, never read here). */
	storedSecret?: boolean;
};

/**
 * Which of a form's parameters already have a good answer (given, or a default that passes the same checks as a
 * typed answer) and which still need one. Parameters are walked in order, so a later `when` or default sees the
 * earlier values. An answer of `null` means "left empty on purpose": its default does not apply.
 */
export function resolveForm(parameters: readonly Parameter[], context: ParameterContext, secretAvailable: (key: string) => boolean): {answers: Answers; rows: ResolvedParameter[]} {
	const answers: Answers = {...context.answers};
	const rows: ResolvedParameter[] = [];
	for (const parameter of parameters) {
		if (parameter.when && !parameter.when(answers)) {
			continue;
		}

		if (parameter.type === 'secret') {
			const stored = secretAvailable(parameter.key);
			rows.push({parameter, value: undefined, state: stored || parameter.optional ? 'resolved' : 'missing', ...(stored ? {storedSecret: true} : {})});
			continue;
		}

		const given = answers[parameter.key];
		const raw = given === null ? undefined : isEmptyAnswer(given) ? defaultFor(parameter, {...context, answers}) : given;
		let value: unknown;
		try {
			value = isEmptyAnswer(raw) ? undefined : parseAnswer(parameter, raw);
		} catch {
			rows.push({parameter, value: raw, state: 'missing'});
			continue;
		}

		const problem = checkAnswer(parameter, value, {...context, answers});
		rows.push({parameter, value, state: problem ? 'missing' : 'resolved'});
		if (!problem && value !== undefined) {
			answers[parameter.key] = value;
		}
	}

	return {answers, rows};
}

/**
 * Checks every answer that can be checked before a session exists: given answers (--set, answers file) and defaults
 * (the profile's included), parsed and held to their parameter's choices and validator, in order, so `when` sees the
 * answers before it. A missing answer is left to the form that asks it; secrets are not checked here.
 */
export function validateAnswers(parameters: readonly Parameter[], context: ParameterContext, options: {only?: ReadonlySet<string>} = {}): void {
	const answers: Answers = {...context.answers};
	for (const parameter of parameters) {
		if (parameter.type === 'secret' || (parameter.when && !parameter.when(answers))) {
			continue;
		}

		const scoped = {...context, answers};
		const given = !isEmptyAnswer(answers[parameter.key]);
		const checked = !options.only || options.only.has(parameter.key);
		let value: unknown;
		try {
			value = given ? parseAnswer(parameter, answers[parameter.key]) : defaultFor(parameter, scoped);
		} catch (error) {
			if (checked) {
				throw error;
			}

			continue;
		}

		if (isEmptyAnswer(value)) {
			continue;
		}

		const problem = checkAnswer(parameter, value, scoped);
		if (problem && checked) {
			throw new AnswerError(parameter.key, `Invalid answer ${parameter.key}${given ? '' : ` (the default of profile ${context.profile})`}: ${problem}`, {hint: `Pass ${setFlagExample(parameter)}.`});
		}

		answers[parameter.key] = value;
	}
}

/** The command that changes one answer of a saved session; a secret goes through an answers file or its variable. */
export function resumeWithAnswer(sessionId: string, parameter: Parameter): string {
	return parameter.type === 'secret'
		? `put "${parameter.key}" in an answers file and run \`ferry resume ${sessionId} --answers FILE\` (or set ${secretEnvName(parameter.key)} and run \`ferry resume ${sessionId}\`)`
		: `\`ferry resume ${sessionId} ${setFlagExample(parameter)}\``;
}

/** The AnswerError anywhere in an error: its cause chain or a preflight's causes. */
function findAnswerError(error: unknown): AnswerError | undefined {
	const seen = new Set<unknown>();
	const queue: unknown[] = [error];
	while (queue.length > 0) {
		const link = queue.shift();
		if (link instanceof AnswerError) {
			return link;
		}

		if (link instanceof Error && !seen.has(link)) {
			seen.add(link);
			queue.push(link.cause, ...(link instanceof PreflightError ? link.causes : []));
		}
	}

	return undefined;
}

/**
 * The hint for an error found after the session exists: when it names a wrong answer (an AnswerError, or a hint that
 * says `--set KEY`), it says how to change that answer and continue (`ferry resume ID --set key=value`); otherwise
 * the hint is kept.
 */
export function hintForSavedSession(error: unknown, hint: string | undefined, parameters: readonly Parameter[], sessionId: string): string | undefined {
	if (hint?.includes(`ferry resume ${sessionId} `)) {
		return hint;
	}

	const answerError = findAnswerError(error);
	const known = new Map(parameters.map(parameter => [parameter.key, parameter]));
	if (answerError && known.has(answerError.key)) {
		// The engine's own hint says "pass --set", which a saved session takes only through resume: replace it.
		const parameter = known.get(answerError.key)!;
		return `Change the answer and continue: ${resumeWithAnswer(sessionId, parameter)}. ${parameter.help}`.trim();
	}

	const named = [...(hint ?? '').matchAll(/--set[ =]([A-Za-z]\w*)/g)].map(match => known.get(match[1]!)).find(parameter => parameter !== undefined);
	return named ? `${hint!} Change the answer and continue: ${resumeWithAnswer(sessionId, named)}.` : hint;
}
