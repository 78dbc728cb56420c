import {collectAnswers, tellCorrections} from '../cli/answers.js';
import type {ParsedArgs} from '../cli/cli-args.js';
import {runSession} from '../engine/runner.js';
import {reviewMarkdown} from '../engine/review-markdown.js';
import {createSession} from '../engine/session.js';
import type {ReviewDocument} from '../engine/wizard.js';
import {exitCodes, UsageError} from '../engine/errors.js';
import {silentLogger} from '../log/logger.js';
import type {CommandIo} from '../cli/io.js';
import {prepareProfile} from '../services/profile-endpoints.js';
import {deleteSessionSecrets, openSessionSecrets} from '../store/credentials-store.js';
import {getProfile, profileSecrets} from '../store/profiles.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {deleteSession, saveSession} from '../store/session-store.js';
import {createPlainUi} from '../ui/plain-ui.js';
import {loadWizard, wizardCatalog} from '../../wizards/index.js';
import {profileFromFlags} from './run.js';
import {lineWriter} from '../log/log-level.js';

/**
 * Runs the read-only steps (connections, preflight, table discovery) up to the review, prints the review as
 * Markdown, and leaves no session behind.
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

	let review: ReviewDocument | undefined;
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
	} finally {
		deleteSession(session.id);
		await deleteSessionSecrets(session.id);
	}

	const markdown = reviewMarkdown(review!);
	if (args.flags.output) {
		writeFileAtomic(args.flags.output, markdown, 0o644);
		io.stderr.write(`Plan written to ${args.flags.output}\n`);
	} else {
		io.stdout.write(markdown);
	}

	return exitCodes.ok;
}
