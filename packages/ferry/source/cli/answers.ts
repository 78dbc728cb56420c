import {readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {parseSetFlags} from './cli-args.js';
import {UsageError} from '../engine/errors.js';
import {answerEnvName, secretEnvName} from '../engine/parameters.js';
import {closestMatch} from '../engine/closest-match.js';
import {environmentValue, firstByPrecedence} from '../engine/precedence.js';
import type {Answers, Parameter} from '../engine/wizard.js';
import {symbols} from '../ui/theme.js';

/** Reads a JSON or YAML answers file; a malformed one is a usage error that names the file and the problem. */
export async function readAnswersFile(file: string): Promise<Answers> {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new UsageError(`Cannot read the answers file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {hint: 'Check the path given to --answers.'});
	}

	let data: unknown;
	try {
		if (/\.json$/i.test(file)) {
			data = JSON.parse(text);
		} else {
			// The default export: a bundle's dynamic import of a CommonJS package has no named exports.
			const {default: yaml} = await import('yaml');
			data = yaml.parse(text);
		}
	} catch (error) {
		throw new UsageError(`The answers file ${path.basename(file)} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, {hint: 'Fix the file; it is a map of answer keys to values (see `ferry plan <wizard>`).'});
	}

	if (data === null || data === undefined) {
		return {};
	}

	if (typeof data !== 'object' || Array.isArray(data)) {
		throw new UsageError(`The answers file ${path.basename(file)} must be a map of keys to values`, {hint: 'Example (YAML): tables: orders,lineitem'});
	}

	return data as Answers;
}

export {secretEnvName} from '../engine/parameters.js';

/**
 * The answers given outside the forms, each from the first place that has it (precedence.ts): --set, then the
 * environment (FERRY_ANSWER_<KEY>, FERRY_SECRET_<KEY> for secrets), then the answers file. The profile's settings and
 * the parameters' own defaults come after these (`defaultFor`). Secrets are split out; unknown keys are refused so a typo
 * does not silently fall back to a default. `answerEnv: false` (resume) leaves FERRY_ANSWER_* out: a variable left
 * in the shell must not change a saved session's answers.
 */
export async function collectAnswers(options: {parameters: readonly Parameter[]; answersFile?: string; set: string[]; env?: NodeJS.ProcessEnv; answerEnv?: boolean}): Promise<{answers: Answers; secrets: Record<string, string>; notices: string[]}> {
	const env = options.env ?? process.env;
	const fromFile = options.answersFile ? await readAnswersFile(options.answersFile) : {};
	const fromFlags = parseSetFlags(options.set);
	const known = new Map(options.parameters.map(parameter => [parameter.key, parameter]));
	const fromEnv: Record<string, string> = {};
	for (const parameter of options.parameters) {
		const value = parameter.type === 'secret' ? environmentValue(env, secretEnvName(parameter.key)) : options.answerEnv === false ? undefined : environmentValue(env, answerEnvName(parameter.key));
		if (value !== undefined) {
			fromEnv[parameter.key] = value;
		}
	}

	const answers: Answers = {};
	const secrets: Record<string, string> = {};
	const notices: string[] = [];
	for (const key of new Set([...Object.keys(fromFlags), ...Object.keys(fromEnv), ...Object.keys(fromFile)])) {
		const given = firstByPrecedence({flags: fromFlags[key], environment: fromEnv[key], 'answers file': fromFile[key]});
		const value = given?.value;
		const parameter = known.get(key);
		if (!parameter) {
			const match = closestMatch(key, [...known.keys()]);
			throw new UsageError(`Unknown answer ${JSON.stringify(key)}`, {hint: `${match ? `Did you mean ${match}? ` : ''}Known answers: ${[...known.keys()].join(', ')}`});
		}

		// A key left blank in YAML (`bucket:`) is null: not answered, rather than the text "null".
		if (value === null || value === undefined) {
			continue;
		}

		if (parameter.type === 'secret') {
			if (given?.layer === 'flags') {
				throw new UsageError(`${key} is a secret and cannot be passed with --set (it would show in the process list)`, {hint: `Put it in the answers file or set ${secretEnvName(key)}.`});
			}

			secrets[key] = String(value);
			continue;
		}

		const correction = typeof value === 'string' ? parameter.correct?.(value) : undefined;
		if (correction) {
			notices.push(`${key}: ${correction.notice}`);
		}

		answers[key] = correction ? correction.value : value;
	}

	return {answers, secrets, notices};
}

/** Says which given answers were corrected (see `Parameter.correct`), one warning line each. */
export function tellCorrections(notices: readonly string[], warn: (line: string) => void): void {
	for (const notice of notices) {
		warn(`${symbols.warning} ${notice}`);
	}
}
