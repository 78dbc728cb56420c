import {readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {parseSetFlags} from './cli-args.js';
import {UsageError} from '../engine/errors.js';
import {secretEnvName} from '../engine/parameters.js';
import type {Answers, Parameter} from '../engine/wizard.js';

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
 * Merges answers from the file and --set flags, and splits secrets out of them.
 * Unknown keys are refused so a typo does not silently fall back to a default.
 */
export async function collectAnswers(options: {parameters: readonly Parameter[]; answersFile?: string; set: string[]; env?: NodeJS.ProcessEnv}): Promise<{answers: Answers; secrets: Record<string, string>}> {
	const env = options.env ?? process.env;
	const fromFile = options.answersFile ? await readAnswersFile(options.answersFile) : {};
	const fromFlags = parseSetFlags(options.set);
	const known = new Map(options.parameters.map(parameter => [parameter.key, parameter]));
	const answers: Answers = {};
	const secrets: Record<string, string> = {};
	for (const [key, value] of Object.entries({...fromFile, ...fromFlags})) {
		const parameter = known.get(key);
		if (!parameter) {
			throw new UsageError(`Unknown answer ${JSON.stringify(key)}`, {hint: `Known answers: ${[...known.keys()].join(', ')}`});
		}

		// A key left blank in YAML (`bucket:`) is null: not answered, rather than the text "null".
		if (value === null || value === undefined) {
			continue;
		}

		if (parameter.type === 'secret') {
			if (key in fromFlags) {
				throw new UsageError(`${key} is a secret and cannot be passed with --set (it would show in the process list)`, {hint: `Put it in the answers file or set ${secretEnvName(key)}.`});
			}

			secrets[key] = String(value);
			continue;
		}

		answers[key] = value;
	}

	for (const parameter of options.parameters) {
		const fromEnv = env[secretEnvName(parameter.key)];
		if (parameter.type === 'secret' && fromEnv && secrets[parameter.key] === undefined) {
			secrets[parameter.key] = fromEnv;
		}
	}

	return {answers, secrets};
}
