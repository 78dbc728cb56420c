import {Listr, type ListrTaskWrapper} from 'listr2';
import {bugReportHint, describeOutcome, FerryError, InterruptedError, isBug, PreflightError, StepError} from './errors.js';
import type {Logger} from '../log/logger.js';
import {redact} from '../log/redact.js';
import {profileSettings} from '../store/profiles.js';
import {noAuditTrail, sha256, type AuditTrail} from '../store/audit-trail.js';
import {saveSession, sessionFiles} from '../store/session-store.js';
import {hintForSavedSession} from './parameters.js';
import {formatProgress} from './progress.js';
import {diffFacts, driftText} from './source-facts.js';
import {createdKey, type Session, type StepRecord, verificationKeys, verificationOf} from './session.js';
import {notComparedCauseText, verdictOfReport} from '../verify/outcome.js';
import type {
	Answers,
	CreatedResource,
	Parameter,
	ParameterContext,
	ReviewDocument,
	RunMode,
	SecretStore,
	Step,
	StepContext,
	StepOutputs,
	SubTask,
	SubTaskProgress,
	Wizard,
} from './wizard.js';

/** How the listr2 tasks of a step are drawn: the Ink renderer, the plain renderer on stderr, or silent. */
export type ListrRendering = {
	renderer: unknown;
	rendererOptions?: unknown;
	fallbackRenderer?: unknown;
	fallbackRendererOptions?: unknown;
};

/** The front end of a run: the Ink UI in a terminal, or answers and flags when headless. */
export type StepInfo = Pick<Step, 'id' | 'title' | 'explain' | 'kind' | 'rerun'>;

export type RunnerUi = {
	stepStarted(step: StepInfo, index: number, total: number): void;
	/** A step done in an earlier run; its record holds the summary it gave then. */
	stepSkipped(step: StepInfo, index: number, total: number, record?: StepRecord): void;
	stepFinished(step: StepInfo, record: StepRecord): void;
	/** Form steps: returns the answers for these parameters (interactive forms, or resolved non-interactively). */
	askParameters(step: StepInfo, parameters: Parameter[], context: ParameterContext, secrets: SecretStore): Promise<Answers>;
	review(step: StepInfo, document: ReviewDocument): Promise<boolean>;
	confirm(step: StepInfo, request: {expected: string; message: string}): Promise<boolean>;
	/** A step that would duplicate data failed or was interrupted earlier: run it again? */
	confirmRerun(step: StepInfo, record: StepRecord): Promise<boolean>;
	rendering(): ListrRendering;
	/** A progress line of a step (its `report`) or of one of its sub-tasks (by title), for front ends that follow them. */
	progress?(step: StepInfo, update: ProgressUpdate): void;
};

export type ProgressUpdate = {
	/** The sub-task's title; absent for the step's own line. */
	task?: string;
	line: string;
	/** A sub-task's counts, when it reported them. */
	progress?: SubTaskProgress;
};

export type RunOptions<Clients> = {
	wizard: Wizard<Clients>;
	session: Session;
	ui: RunnerUi;
	secrets: SecretStore;
	log: Logger;
	signal: AbortSignal;
	/** Runs only up to and including this step (used by tests and `plan`). */
	until?: string;
	/** The profile's settings, defaults for the answers its forms ask (`ParameterContext.settings`). */
	settings?: Readonly<Record<string, string>>;
	/** @default 'headless' */
	mode?: RunMode;
	/** The session's audit trail: steps, decisions and verifications (calls reach it through `log`'s observer). */
	audit?: AuditTrail;
};

export type RunResult = {session: Session; exitCode: number};

export class ReviewDeclinedError extends FerryError {
	constructor() {
		super('Stopped at the review: nothing was changed', 130, {hint: 'Resume later with `ferry resume`; `ferry resume ID --set key=value` changes an answer first.'});
	}
}

function interruptedError(session: Session): InterruptedError {
	return new InterruptedError('Interrupted: the session is saved', {hint: `Continue with \`ferry resume ${session.id}\`.`});
}

function outputsOf(session: Session): StepOutputs {
	return Object.fromEntries(Object.entries(session.steps).map(([id, record]) => [id, record.outputs]));
}

/** Runs a session through its steps, saving after every transition. Finished steps are skipped on resume. */
export async function runSession<Clients>(given: RunOptions<Clients>): Promise<RunResult> {
	const options = {...given, settings: given.settings ?? profileSettings(given.session.profile), audit: given.audit ?? noAuditTrail};
	const {wizard, session, ui, log, signal, audit} = options;
	const save = () => saveWithAuditHead(session, audit);
	const total = wizard.steps.length;
	let clients: Clients | undefined;
	const getClients = async () => {
		clients ??= await wizard.createClients({profile: session.profile, answers: session.answers, secrets: options.secrets, log, signal});
		return clients;
	};

	try {
		for (const [index, step] of wizard.steps.entries()) {
			const record = session.steps[step.id] ?? (session.steps[step.id] = {state: 'pending', attempts: 0, outputs: {}, checkpoints: {}});
			if (record.state === 'done') {
				ui.stepSkipped(step, index + 1, total, record);
				continue;
			}

			if (record.attempts > 0 && step.rerun === 'duplicates') {
				const rerun = await ui.confirmRerun(step, record);
				audit.record({type: 'decision', step: step.id, decision: rerun ? 'rerun-accepted' : 'rerun-refused', detail: `attempt ${record.attempts + 1} of a step that duplicates data`});
				if (!rerun) {
					throw new StepError(`Step "${step.title}" was not rerun because it would duplicate data`, {hint: 'Clean up the target by hand, then `ferry resume` and accept the rerun.'});
				}
			}

			if (signal.aborted) {
				// Aborted between two steps: no step is interrupted, but the session is, and says so on disk.
				session.state = 'interrupted';
				save();
				throw interruptedError(session);
			}

			session.state = 'running';
			session.currentStep = step.id;
			record.state = 'running';
			record.startedAt = new Date().toISOString();
			delete record.finishedAt;
			delete record.error;
			delete record.summary;
			record.attempts++;
			audit.enterStep(step.id);
			audit.record({type: 'step', phase: 'start', attempt: record.attempts});
			save();
			log.info(`step ${step.id} started (attempt ${record.attempts})`);
			ui.stepStarted(step, index + 1, total);

			try {
				await checkPlannedFacts(step, options, getClients);
				await runStep(step, record, options, getClients);
				if (step.kind === 'verify') {
					recordVerification(record, audit);
					throwIfNotCompared(record, session);
				}

				record.state = 'done';
				record.finishedAt = new Date().toISOString();
				audit.record({type: 'step', phase: 'end', attempt: record.attempts, state: 'done'});
				audit.enterStep(undefined);
				save();
				log.info(`step ${step.id} done`);
				ui.stepFinished(step, record);
			} catch (error) {
				const interrupted = signal.aborted || error instanceof InterruptedError || error instanceof ReviewDeclinedError;
				const described = describeOutcome(error);
				const {message} = described;
				const bug = isBug(error);
				if (bug) {
					// The stack goes to the session log only: the screen gets the one-line cause and where to look.
					log.error(`step ${step.id}: an unexpected exception (a bug in ferry): ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
				}

				const hint = bug ? bugReportHint(sessionFiles(session.id).log) : hintForSavedSession(error, described.hint, wizard.parameters, session.id);
				record.state = interrupted ? 'interrupted' : 'failed';
				record.finishedAt = new Date().toISOString();
				record.error = hint ? {message: redact(message), hint} : {message: redact(message)};
				// A summary speaks for a finished step only.
				delete record.summary;
				session.state = interrupted ? 'interrupted' : 'failed';
				try {
					audit.record({type: 'step', phase: 'end', attempt: record.attempts, state: record.state, error: record.error.message});
				} catch {
					// A trail that cannot be written (a full disk) must not hide the step's own error.
				}

				audit.enterStep(undefined);
				save();
				log.error(`step ${step.id} ${record.state}: ${message}`);
				ui.stepFinished(step, record);
				if (interrupted && !(error instanceof FerryError)) {
					throw interruptedError(session);
				}

				throw error;
			}

			if (step.id === options.until) {
				break;
			}
		}
	} finally {
		if (clients !== undefined) {
			await wizard.closeClients?.(clients).catch(() => undefined);
		}
	}

	const different = wizard.steps.some(step => step.kind === 'verify' && verificationOf(session.steps[step.id]).outcome === 'differs');
	const finished = wizard.steps.every(step => session.steps[step.id]?.state === 'done');
	session.state = different ? 'different' : finished ? 'done' : 'running';
	delete session.currentStep;
	session.exitCode = different ? 5 : 0;
	save();
	return {session, exitCode: session.exitCode};
}

/**
 * A session applied from a saved plan reads the facts again before each step that depends on them and stops (exit 4)
 * before the step does anything when they differ from the plan's: a run never does what nobody reviewed.
 */
async function checkPlannedFacts<Clients>(step: Step<Clients>, options: RunOptions<Clients>, getClients: () => Promise<Clients>): Promise<void> {
	const {wizard, session, signal, log} = options;
	const {plan} = session;
	if (!plan || !wizard.facts?.checkBefore.includes(step.id)) {
		return;
	}

	const current = await wizard.facts.read({clients: await getClients(), answers: session.answers, signal});
	const drift = diffFacts(plan.facts, current, plan.rowTolerance);
	if (drift.length > 0) {
		throw new PreflightError(`The source changed since plan ${plan.hash} was made (${drift.length === 1 ? '1 change' : `${drift.length} changes`}), so ${step.id} did not start:\n${driftText(drift)}`, {code: 'PlanDrift', hint: `Nothing was changed by this step. Make the plan again (\`ferry plan ${wizard.id} … --out\`), review it, and apply the new one.`});
	}

	log.info(`step ${step.id}: the source facts are as planned (${plan.hash})`);
}

/**
 * A verification whose checks did not all run to a comparison is not finished, whatever it found: an interrupted
 * check makes the step interrupted (exit 130), a failed one failed (exit 1), so `ferry resume` runs them again. A
 * difference found by the checks that did run still counts when none was interrupted (exit 5).
 */
function throwIfNotCompared(record: StepRecord, session: Session): void {
	const verdict = verdictOfReport(record.outputs[verificationKeys.report]);
	if (!verdict || (verdict.notCompared === 0 && verdict.checks > 0)) {
		return;
	}

	const missed = `${verdict.notCompared} of ${verdict.checks} checks not compared`;
	if (verdict.causes.interrupted !== undefined) {
		throw new InterruptedError(`Interrupted during the verification (${missed}): the session is saved`, {hint: `Continue with \`ferry resume ${session.id}\`: the checks run again.`});
	}

	if (verdict.outcome === 'differs') {
		return;
	}

	const cause = verdict.cause === undefined ? 'no check was run' : `${missed} (${notComparedCauseText[verdict.cause]})`;
	throw new StepError(`The verification is incomplete: ${cause}; the checks that ran found no difference`, {hint: `The report lists why each check did not run. Fix the cause, then \`ferry resume ${session.id}\` runs the checks again.`});
}

async function runStep<Clients>(step: Step<Clients>, record: StepRecord, options: RunOptions<Clients> & {audit: AuditTrail}, getClients: () => Promise<Clients>): Promise<void> {
	const {wizard, session, ui, log, signal, audit} = options;
	const save = () => saveWithAuditHead(session, audit);
	const parameterContext = (): ParameterContext => ({answers: session.answers, outputs: outputsOf(session), profile: session.profile, settings: options.settings});

	const mode = options.mode ?? 'headless';
	const makeContext = async (task?: ListrTaskWrapper<unknown, never, never>): Promise<StepContext<Clients>> => ({
		sessionId: session.id,
		mode,
		profile: session.profile,
		answers: session.answers,
		outputs: outputsOf(session),
		clients: await getClients(),
		secret: key => options.secrets.get(key),
		log: log.child(step.id),
		signal,
		checkpoint: {
			get: <T>(key: string) => record.checkpoints[key] as T | undefined,
			set(key, value) {
				record.checkpoints[key] = value;
				save();
			},
			async once<T>(key: string, create: () => Promise<T>): Promise<T> {
				if (key in record.checkpoints) {
					return record.checkpoints[key] as T;
				}

				const value = await create();
				record.checkpoints[key] = value;
				save();
				return value;
			},
		},
		output(key, value) {
			record.outputs[key] = value;
			save();
		},
		created(resource) {
			const created = Array.isArray(record.outputs[createdKey]) ? record.outputs[createdKey] as CreatedResource[] : [];
			if (!created.some(item => item.service === resource.service && item.kind === resource.kind && item.name === resource.name)) {
				record.outputs[createdKey] = [...created, resource];
				save();
			}
		},
		verified(report) {
			record.outputs[verificationKeys.report] = report;
			record.outputs[verificationKeys.equal] = report.equal;
			save();
		},
		tasks: async (subTasks, taskOptions) => runSubTasks(subTasks, taskOptions?.concurrency ?? 1, task, signal, options.ui.rendering(), update => ui.progress?.(step, update)),
		report(line) {
			if (task) {
				task.output = line;
			}

			log.info(line);
			ui.progress?.(step, {line});
		},
		summary(line) {
			record.summary = redact(oneLine(line));
			save();
			log.info(`summary: ${record.summary}`);
		},
	});

	const runAsTask = async (run: (context: StepContext<Clients>) => Promise<void>) => {
		const list = new Listr(
			[{
				title: step.title,
				async task(_context: unknown, task: ListrTaskWrapper<unknown, never, never>) {
					await run(await makeContext(task));
					// The summary becomes the task's last line: the live task list and the plain renderer show it as the step ends.
					// A form's task ends before its questions, so its summary waits for the step's end (RunnerUi.stepFinished).
					if (step.kind !== 'form' && record.summary !== undefined && lastOutputLine(task) !== record.summary) {
						task.output = record.summary;
					}
				},
			}],
			{...(ui.rendering() as object), exitOnError: true, registerSignalListeners: false} as never,
		);
		await list.run();
	};

	if (step.kind === 'form') {
		if (step.run) {
			await runAsTask(step.run);
		}

		const parameters = (step.parameters ?? []).map(key => wizard.parameters.find(parameter => parameter.key === key)).filter(parameter => parameter !== undefined);
		const answers = await ui.askParameters(step, parameters, parameterContext(), options.secrets);
		Object.assign(session.answers, answers);
		record.summary ??= count(parameters.filter(parameter => answers[parameter.key] !== undefined && answers[parameter.key] !== '').length, 'answer');
		save();
		return;
	}

	if (step.kind === 'review') {
		const document = await step.review!(await makeContext());
		record.outputs['review'] = document;
		save();
		const accepted = await ui.review(step, document);
		// The review's hash ties the decision to what was shown.
		audit.record({type: 'decision', decision: accepted ? 'plan-accepted' : 'plan-declined', detail: `review sha256 ${sha256(JSON.stringify(document))}`});
		if (!accepted) {
			throw new ReviewDeclinedError();
		}

		record.summary ??= `accepted: ${count(document.sections.length, 'section')}`;
		return;
	}

	const confirmation = step.confirm?.(session.answers, {outputs: outputsOf(session), mode});
	if (confirmation) {
		const confirmed = await ui.confirm(step, confirmation);
		audit.record({type: 'decision', decision: confirmed ? 'confirmed' : 'confirmation-refused', detail: `typed confirmation "${confirmation.expected}"`});
		if (!confirmed) {
			throw new ReviewDeclinedError();
		}
	}

	if (step.run) {
		await runAsTask(step.run);
	}
}

/** Saves the session with the audit trail's head, so a line removed or edited at the trail's end is found too. */
function saveWithAuditHead(session: Session, audit: AuditTrail): void {
	const head = audit.head();
	if (head.lines > 0) {
		session.audit = head;
	}

	saveSession(session);
}

function recordVerification(record: StepRecord, audit: AuditTrail): void {
	const verdict = verdictOfReport(record.outputs[verificationKeys.report]);
	if (verdict) {
		audit.record({type: 'verification', outcome: verdict.outcome, checks: verdict.checks, equal: verdict.equal, differing: verdict.differing, notCompared: verdict.notCompared});
	}
}

function count(amount: number, noun: string): string {
	return `${amount.toLocaleString('en-US')} ${noun}${amount === 1 ? '' : 's'}`;
}

/** A summary is one line: line breaks would break the finished-step line and the listing. */
function oneLine(text: string): string {
	return text.replaceAll(/\s*\n\s*/g, ' ').trim();
}

function lastOutputLine(task: ListrTaskWrapper<unknown, never, never>): string | undefined {
	return (task.task.output as string | undefined)?.trimEnd().split('\n').at(-1)?.trim();
}

async function runSubTasks(
	subTasks: SubTask[],
	concurrency: number,
	parent: ListrTaskWrapper<unknown, never, never> | undefined,
	signal: AbortSignal,
	rendering: ListrRendering,
	onProgress: (update: ProgressUpdate) => void,
): Promise<void> {
	const tasks = subTasks.map(subTask => ({
		title: subTask.title,
		skip: () => subTask.skip?.() ?? false,
		task: async (_context: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
			const started = Date.now();
			await subTask.run({
				signal,
				output(line) {
					task.output = line;
					onProgress({task: subTask.title, line});
				},
				progress(progress) {
					task.output = formatProgress(progress, Date.now() - started);
					onProgress({task: subTask.title, line: task.output as string, progress});
				},
				title(title) {
					task.title = title;
				},
			});
		},
	}));
	const options = {concurrent: Math.max(1, concurrency), exitOnError: true};
	if (parent) {
		await parent.newListr(tasks as never, options as never).run();
		return;
	}

	await new Listr(tasks as never, {...(rendering as object), ...options, registerSignalListeners: false} as never).run();
}
