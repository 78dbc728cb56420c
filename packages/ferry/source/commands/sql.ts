import process from 'node:process';
import {collectAnswers} from '../cli/answers.js';
import type {ParsedArgs} from '../cli/cli-args.js';
import {lineWriter} from '../log/log-level.js';
import {defaultFor, parseAnswer} from '../engine/parameters.js';
import type {Answers} from '../engine/wizard.js';
import {exitCodes, UsageError} from '../engine/errors.js';
import {environmentValue} from '../engine/precedence.js';
import {formatTable} from '../ui/format.js';
import {silentLogger} from '../log/logger.js';
import type {CommandIo} from '../cli/io.js';
import {prepareProfile} from '../services/profile-endpoints.js';
import {openSessionSecrets} from '../store/credentials-store.js';
import {getProfile, profileSecrets, profileSettings} from '../store/profiles.js';
import {loadSession, resolveSessionId} from '../store/session-store.js';
import type {Parameter} from '../engine/wizard.js';
import {loadWizard, wizardCatalog} from '../../wizards/index.js';
import {profileFromFlags} from './run.js';

/**
 * Answers for a bare profile (no session), in the usual order: --set, then FERRY_ANSWER_<KEY>, then the profile's
 * settings, then the wizard's defaults.
 */
export async function profileAnswers(parameters: readonly Parameter[], profile: string, set: string[]): Promise<Answers> {
	const settings = profileSettings(profile);
	const given = (await collectAnswers({parameters, set})).answers;
	const answers: Answers = {};
	for (const [key, value] of Object.entries(given)) {
		answers[key] = parseAnswer(parameters.find(candidate => candidate.key === key)!, value);
	}

	for (const parameter of parameters) {
		if (answers[parameter.key] === undefined && (!parameter.when || parameter.when(answers))) {
			const value = defaultFor(parameter, {answers, outputs: {}, profile, settings});
			if (value !== undefined) {
				answers[parameter.key] = value;
			}
		}
	}

	return answers;
}

export default async function sql(args: ParsedArgs, io: CommandIo): Promise<number> {
	const statement = args.positionals.join(' ').trim();
	const side = args.flags.side;
	if (!statement) {
		throw new UsageError('ferry sql needs a statement', {hint: 'Example: ferry sql --session ID --side target "SELECT * FROM orders LIMIT 100"'});
	}

	if (side !== 'source' && side !== 'target') {
		throw new UsageError('ferry sql needs --side source or --side target', {hint: 'The source is where the procedure reads from, the target where it writes.'});
	}

	// FERRY_PROFILE stands in for --profile only when no session is named: a session has its own profile.
	const environmentProfile = args.flags.session ? undefined : environmentValue(process.env, 'FERRY_PROFILE');
	if (Boolean(args.flags.session) === Boolean(args.flags.profile || args.flags.local || environmentProfile)) {
		throw new UsageError('ferry sql needs exactly one of --session ID or --profile NAME', {hint: 'See `ferry sql --help`.'});
	}

	const session = args.flags.session ? loadSession(resolveSessionId(args.flags.session)) : undefined;
	const wizardId = session?.wizard ?? args.flags.wizard ?? (wizardCatalog.length === 1 ? wizardCatalog[0]!.id : undefined);
	if (!wizardId) {
		throw new UsageError('ferry sql --profile needs --wizard to know which procedure\'s sides to query', {hint: `Choose one of ${wizardCatalog.map(wizard => wizard.id).join(', ')}.`});
	}

	const wizard = await loadWizard(wizardId);
	if (!wizard.sides) {
		throw new UsageError(`The ${wizard.id} procedure has no sides to query`);
	}

	const sides = wizard.sides;
	const profileName = session?.profile ?? profileFromFlags(args.flags);
	await prepareProfile(await getProfile(profileName), {log: lineWriter(io.stderr, args.flags.logLevel)});
	const answers = session ? session.answers : await profileAnswers(wizard.parameters, profileName, args.flags.set);
	const signal = AbortSignal.timeout(10 * 60_000);
	const supplied = profileSecrets(profileName);
	const secrets = session ? await openSessionSecrets(session.id) : {get: (key: string) => supplied[key], set: () => undefined};
	const clients = await wizard.createClients({profile: profileName, answers, secrets, log: silentLogger, signal});
	let result;
	try {
		result = await sides[side].query(clients, statement, {signal});
	} finally {
		await wizard.closeClients?.(clients).catch(() => undefined);
	}

	const {columns, rows, note = ''} = result;
	if (args.flags.json) {
		io.stdout.write(`${JSON.stringify({side, columns, rows, ...(note ? {note} : {})}, undefined, 2)}\n`);
	} else {
		if (columns.length > 0) {
			io.stdout.write(formatTable(columns, rows.map(row => row.map(value => (value === null ? 'NULL' : String(value))))));
		}

		if (note) {
			io.stderr.write(`${note}\n`);
		}
	}

	return exitCodes.ok;
}
