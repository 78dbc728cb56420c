import {UsageError} from './errors.js';
import type {Answers, Parameter, ParameterContext} from './wizard.js';

/** Parses a raw answer (from --set, an answers file or a form) into the parameter's type. */
export function parseAnswer(parameter: Parameter, raw: unknown): unknown {
	switch (parameter.type) {
		case 'number': {
			const text = String(raw).trim();
			// Number('') is 0: a blank answer must not pass as zero.
			const value = typeof raw === 'number' ? raw : text === '' ? Number.NaN : Number(text);
			if (!Number.isFinite(value)) {
				throw new UsageError(`${parameter.key} must be a number, got ${JSON.stringify(raw)}`);
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

			throw new UsageError(`${parameter.key} must be true or false, got ${JSON.stringify(raw)}`);
		}

		case 'json': {
			if (typeof raw !== 'string') {
				return raw;
			}

			try {
				return JSON.parse(raw) as unknown;
			} catch (error) {
				throw new UsageError(`${parameter.key} must be JSON: ${(error as Error).message}`);
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

export function defaultFor(parameter: Parameter, context: ParameterContext): unknown {
	return typeof parameter.default === 'function' ? (parameter.default as (context: ParameterContext) => unknown)(context) : parameter.default;
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
export function resolveParameters(parameters: Parameter[], context: ParameterContext, secretAvailable: (key: string) => boolean): Answers {
	const answers: Answers = {...context.answers};
	for (const parameter of parameters) {
		if (parameter.when && !parameter.when(answers)) {
			continue;
		}

		const scoped = {...context, answers};
		if (parameter.type === 'secret') {
			if (!secretAvailable(parameter.key) && !parameter.optional) {
				throw new UsageError(`Missing secret answer ${parameter.key} (${parameter.label})`, {
					hint: `Put "${parameter.key}" in the answers file (--answers FILE) or set FERRY_SECRET_${parameter.key.replace(/[A-Z]/g, letter => `_${letter}`).toUpperCase()}; secrets are never taken from --set.`,
				});
			}

			continue;
		}

		const value = isEmptyAnswer(answers[parameter.key]) ? defaultFor(parameter, scoped) : parseAnswer(parameter, answers[parameter.key]);
		if (isEmptyAnswer(value) && !parameter.optional) {
			throw new UsageError(`Missing answer ${parameter.key} (${parameter.label})`, {hint: `Pass ${setFlagExample(parameter)} or put it in the answers file. ${parameter.help}`});
		}

		const problem = checkAnswer(parameter, value, scoped);
		if (problem) {
			throw new UsageError(`Invalid answer ${parameter.key}: ${problem}`, {hint: `Pass ${setFlagExample(parameter)}.`});
		}

		if (!isEmptyAnswer(value)) {
			answers[parameter.key] = value;
		}
	}

	return answers;
}
