import {collectAnswers, tellCorrections} from '../cli/answers.js';
import type {ParsedArgs} from '../cli/cli-args.js';
import {runSession} from '../engine/runner.js';
import {reviewMarkdown} from '../engine/review-markdown.js';
import {createSession} from '../engine/session.js';
import type {ReviewDocument, SecretStore, Wizard} from '../engine/wizard.js';
import type {Session} from '../engine/session.js';
import {answersWithSecretReferences, planFormat, planFormatVersion, sealPlan, type PlanFile} from '../engine/plan-file.js';
import {presentAnswers} from '../engine/procedure.js';
import type {RowTolerance, SourceFact} from '../engine/source-facts.js';
import {redact} from '../log/redact.js';
import {packageVersion} from '../cli/version.js';
import {exitCodes, UsageError} from '../engine/errors.js';
import {silentLogger} from '../log/logger.js';
import {emitDocument, type CommandIo} from '../cli/io.js';
import {prepareProfile, resolveProfile} from '../services/profile-endpoints.js';
import {deleteSessionSecrets, openSessionSecrets} from '../store/credentials-store.js';
import {getProfile, profileSecrets, type Profile} from '../store/profiles.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {deleteSession, saveSession} from '../store/session-store.js';
import {createPlainUi} from '../ui/plain-ui.js';
import {loadWizard, wizardCatalog} from '../../wizards/index.js';
import {profileFromFlags} from './run.js';
import {lineWriter} from '../log/log-level.js';

/**
 * Runs the read-only steps (connections, preflight, table discovery) up to the review, prints the review as
 * Markdown (or writes it with -o), with --out also writes the plan `ferry apply` runs, and leaves no session behind.
 */
export default async function plan(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [wizardId] = args.positionals;
	if (!wizardId) {
		throw new UsageError('ferry plan needs a wizard', {hint: `Example: ferry plan ${wizardCatalog[0]!.id} --local`});
	}

	const wizard = await loadWizard(wizardId);
	const reviewStep = wizard.steps.find(step => step.kind === 'review');
	if (!reviewStep) {
		throw new UsageError(`${wizard.id} has no plan to print`);
	}

	const profile = await getProfile(profileFromFlags(args.flags));
	await prepareProfile(profile, {log: lineWriter(io.stderr, args.flags.logLevel)});
	const collected = await collectAnswers({parameters: wizard.parameters, answersFile: args.flags.answers, set: args.flags.set});
	const {answers} = collected;
	tellCorrections(collected.notices, lineWriter(io.stderr, args.flags.logLevel, {level: 'warn'}));
	const secrets = {...profileSecrets(profile.name), ...collected.secrets};
	const session = createSession({wizard: wizard.id, wizardVersion: wizard.version, profile: profile.name, stepIds: wizard.steps.map(step => step.id), answers});
	saveSession(session);
	const secretStore = await openSessionSecrets(session.id);
	for (const [key, value] of Object.entries(secrets)) {
		secretStore.set(key, value);
	}

	const rowTolerance = rowTolerancePercent(args.flags.rowTolerance);
	let review: ReviewDocument | undefined;
	let savedPlan: PlanFile | undefined;
	const plainUi = createPlainUi({yes: true, quiet: true, stderr: io.stderr});
	try {
		await runSession({
			wizard,
			session,
			ui: {...plainUi, async review(_step, document) {
				review = document;
				return true;
			}},
			secrets: secretStore,
			log: silentLogger,
			signal: new AbortController().signal,
			until: reviewStep.id,
			mode: 'plan',
		});
		if (args.flags.out) {
			savedPlan = await planFile({wizard, session, secrets: secretStore, review: review!, rowTolerance, profile});
		}
	} finally {
		deleteSession(session.id);
		await deleteSessionSecrets(session.id);
	}

	if (savedPlan && args.flags.out) {
		writeFileAtomic(args.flags.out, `${JSON.stringify(savedPlan, undefined, 2)}\n`, 0o644);
		io.stderr.write(`Plan for \`ferry apply\` written to ${args.flags.out} (${savedPlan.hash})\n`);
	}

	const markdown = reviewMarkdown(review!);
	emitDocument(io, markdown, args.flags.output, 'Plan');

	return exitCodes.ok;
}

function rowTolerancePercent(text: string | undefined): RowTolerance {
	const percent = Number(text ?? '0');
	if (text?.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
		throw new UsageError(`--row-tolerance ${JSON.stringify(text)} is not a percentage from 0 to 100`, {hint: 'Example: --row-tolerance 1 lets a row count move by 1% before `ferry apply` stops.'});
	}

	return {percent};
}

/**
 * The machine-readable plan: the answers the session now holds (the forms' defaults resolved) with secrets as
 * references, the profile's endpoints, the facts read through the wizard's clients, and the review, secrets redacted.
 */
async function planFile(options: {wizard: Wizard; session: Session; secrets: SecretStore; review: ReviewDocument; rowTolerance: RowTolerance; profile: Profile}): Promise<PlanFile> {
	const {wizard, session, secrets} = options;
	const resolved = await resolveProfile(options.profile);
	const secretKeys = wizard.parameters.filter(parameter => parameter.type === 'secret' && secrets.get(parameter.key) !== undefined).map(parameter => parameter.key);
	const signal = new AbortController().signal;
	let objects: SourceFact[] = [];
	if (wizard.facts) {
		const clients = await wizard.createClients({profile: session.profile, answers: session.answers, secrets, log: silentLogger, signal});
		try {
			objects = await wizard.facts.read({clients, answers: presentAnswers(session.answers), signal});
		} finally {
			await wizard.closeClients?.(clients).catch(() => undefined);
		}
	}

	return sealPlan({
		format: planFormat,
		formatVersion: planFormatVersion,
		ferry: {version: packageVersion()},
		wizard: {id: wizard.id, version: wizard.version},
		profile: {name: resolved.name, endpoints: {aws: resolved.aws.endpoints, alibaba: resolved.alibaba.endpoints}},
		answers: answersWithSecretReferences(presentAnswers(session.answers), secretKeys),
		facts: {rowTolerance: options.rowTolerance, checkBefore: wizard.facts?.checkBefore ?? [], objects},
		review: JSON.parse(redact(JSON.stringify(options.review))) as ReviewDocument,
	});
}
