import {readFileSync} from 'node:fs';
import path from 'node:path';
import {collectAnswers} from '../cli/answers.js';
import type {ParsedArgs} from '../cli/cli-args.js';
import type {CommandIo} from '../cli/io.js';
import {interruptSignal} from '../cli/signals.js';
import {packageVersion} from '../cli/version.js';
import {exitCodes, UsageError} from '../engine/errors.js';
import {checkPlanVersions, parsePlanFile, splitPlanAnswers, type PlanFile} from '../engine/plan-file.js';
import {presentAnswers} from '../engine/procedure.js';
import {diffFacts, driftText, type Drift} from '../engine/source-facts.js';
import type {SecretStore, Wizard} from '../engine/wizard.js';
import {lineWriter} from '../log/log-level.js';
import {silentLogger} from '../log/logger.js';
import {registerSecret} from '../log/redact.js';
import {prepareProfile} from '../services/profile-endpoints.js';
import {getProfile, profileSecrets} from '../store/profiles.js';
import {loadWizard} from '../../wizards/index.js';
import {startRun} from './run.js';

function readPlan(file: string): PlanFile {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new UsageError(`Cannot read the plan ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {hint: 'Make one with `ferry plan <wizard> --out plan.json`.'});
	}

	return parsePlanFile(text, file);
}

/**
 * `ferry apply PLAN.json`: the plan's hash and versions checked, then its answers run as a new session that reads
 * the source facts again before the steps that depend on them (runner.ts); `--plan-only` shows the drift and stops.
 */
export default async function apply(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [file] = args.positionals;
	if (!file) {
		throw new UsageError('ferry apply needs a plan file', {hint: 'Make one with `ferry plan <wizard> --out plan.json`, then `ferry apply plan.json`.'});
	}

	const plan = readPlan(file);
	const wizard = await loadWizard(plan.wizard.id);
	checkPlanVersions(plan, {ferryVersion: packageVersion(), wizardVersion: wizard.version});
	io.stderr.write(`Plan ${file}: ${plan.wizard.id} on profile ${plan.profile.name}, ${plan.hash}\n`);
	const {answers, secretKeys} = splitPlanAnswers(plan);
	if (args.flags.planOnly) {
		return showDrift({plan, wizard, args, io});
	}

	return startRun({
		wizardId: plan.wizard.id,
		profileName: plan.profile.name,
		args,
		io,
		planned: {answers, secretKeys, plan: {hash: plan.hash, file: path.resolve(file), rowTolerance: plan.facts.rowTolerance, facts: plan.facts.objects}},
	});
}

function memorySecrets(values: Record<string, string>): SecretStore {
	const stored = new Map(Object.entries(values));
	for (const value of stored.values()) {
		registerSecret(value);
	}

	return {get: key => stored.get(key), set: (key, value) => stored.set(key, value)};
}

/** The facts read now, through the wizard's clients, against the plan's: "no drift" (0) or the differences (4). */
async function showDrift(options: {plan: PlanFile; wizard: Wizard<unknown>; args: ParsedArgs; io: CommandIo}): Promise<number> {
	const {plan, wizard, args, io} = options;
	const profile = await getProfile(plan.profile.name);
	await prepareProfile(profile, {log: lineWriter(io.stderr, args.flags.logLevel), signal: interruptSignal()});
	const given = await collectAnswers({parameters: wizard.parameters, answersFile: args.flags.answers, set: [], answerEnv: false});
	const secrets = memorySecrets({...profileSecrets(profile.name), ...given.secrets});
	const {answers} = splitPlanAnswers(plan);
	let drift: Drift[] = [];
	if (wizard.facts) {
		const signal = interruptSignal();
		const clients = await wizard.createClients({profile: profile.name, answers, secrets, log: silentLogger, signal});
		try {
			drift = diffFacts(plan.facts.objects, await wizard.facts.read({clients, answers: presentAnswers(answers), signal}), plan.facts.rowTolerance);
		} finally {
			await wizard.closeClients?.(clients).catch(() => undefined);
		}
	}

	const exitCode = drift.length === 0 ? exitCodes.ok : exitCodes.preflight;
	if (args.flags.json) {
		io.stdout.write(`${JSON.stringify({ok: exitCode === exitCodes.ok, exitCode, plan: {hash: plan.hash, wizard: plan.wizard.id}, drift}, undefined, 2)}\n`);
	} else if (drift.length === 0) {
		const objects = plan.facts.objects.length;
		io.stdout.write(`No drift: ${objects === 1 ? 'the 1 object the plan depends on is' : `the ${objects} objects the plan depends on are`} as planned.\n`);
	} else {
		io.stdout.write(`Drift since the plan (${drift.length === 1 ? '1 change' : `${drift.length} changes`}):\n${driftText(drift)}\n`);
	}

	return exitCode;
}
