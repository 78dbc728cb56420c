import process from 'node:process';
import {stdoutCarriesData, type Flags} from './cli-args.js';
import {runSession, type RunnerUi} from '../engine/runner.js';
import {createdResourcesHint, createdResourcesOf, type Session, verificationOf} from '../engine/session.js';
import type {SecretStore, Wizard} from '../engine/wizard.js';
import {bugReportHint, describeOutcome, errorDocument, exitCodes, InterruptedError, isBug, signalExitCodes} from '../engine/errors.js';
import {hintForSavedSession} from '../engine/parameters.js';
import {createFileLogger} from '../log/logger.js';
import {redact} from '../log/redact.js';
import type {EventStream} from './events.js';
import type {CommandIo} from './io.js';
import type {Mode} from './mode.js';
import {deferSignals, interrupt, interruptSignal, receivedSignal} from './signals.js';
import {auditObserver} from '../store/audit-trail.js';
import {openSessionAudit, sessionFiles} from '../store/session-store.js';
import type {InteractiveApp} from '../ui/interactive-app.js';

export type ExecuteOptions = {
	wizard: Wizard<unknown>;
	session: Session;
	secrets: SecretStore;
	mode: Mode;
	flags: Flags;
	io: CommandIo;
	/** An interactive app already on screen (the home screen started it). */
	app?: InteractiveApp;
	/** `--events`: the run as JSON lines. */
	events?: EventStream;
};

/**
 * Runs a session in the chosen mode with crash-only bookkeeping: Ctrl-C, SIGTERM or SIGHUP aborts the run cleanly and
 * saves it (exit 130, 143 or 129), a second signal exits at once. Returns the exit code.
 */
export async function executeSession(options: ExecuteOptions): Promise<number> {
	const {wizard, session, secrets, mode, flags, io, events} = options;
	// --verbose headless: every line of the session log also on stderr.
	// Every call and statement of the clients reaches the audit trail through the logger's observer.
	const audit = openSessionAudit(session.id);
	const log = createFileLogger(sessionFiles(session.id).log, mode === 'plain' && flags.logLevel === 'debug' ? line => io.stderr.write(`${line}\n`) : undefined, auditObserver(audit));
	const signal = interruptSignal();
	const restoreSignals = deferSignals(' The session was saved at the last transition.');
	const logInterrupt = () => log.warn(`interrupted (${receivedSignal() ?? 'SIGINT'})`);
	if (signal.aborted) {
		logInterrupt();
	} else {
		signal.addEventListener('abort', logInterrupt, {once: true});
	}

	let app = options.app;
	let ui: RunnerUi;
	if (mode === 'interactive') {
		if (!app) {
			const {startInteractiveApp} = await import('../ui/interactive-app.js');
			app = startInteractiveApp({stdout: stdoutCarriesData(flags) ? io.stderr : io.stdout, stdin: io.stdin, onInterrupt: () => interrupt('SIGINT')});
		}

		ui = app.runnerUi;
	} else {
		const {createPlainUi} = await import('../ui/plain-ui.js');
		ui = createPlainUi({yes: flags.yes, logLevel: flags.logLevel, stderr: io.stderr});
	}

	events?.begin(session, sessionFiles(session.id).log);
	ui = events?.follow(ui) ?? ui;

	session.pid = process.pid;
	log.info(`session ${session.id} (${wizard.id} v${wizard.version}) on profile ${session.profile}, mode ${mode}, pid ${process.pid}`);
	let exitCode: number;
	let error: ResultError | undefined;
	try {
		const result = await runSession({wizard, session, ui, secrets, log, signal, mode: mode === 'interactive' ? 'interactive' : 'headless', audit});
		exitCode = result.exitCode;
	} catch (caught) {
		if (signal.aborted) {
			exitCode = signalExitCodes[receivedSignal() ?? 'SIGINT'];
			error = {message: caught instanceof InterruptedError ? redact(caught.message) : 'Interrupted: the session is saved', hint: `Continue with \`ferry resume ${session.id}\`.`, code: 'interrupted'};
			log.error(`run ended: interrupted (exit ${exitCode})`);
		} else {
			const described = describeOutcome(caught);
			exitCode = described.exitCode;
			// A bug's details (its stack) are in the session log, which the runner wrote them to.
			const hint = isBug(caught) ? bugReportHint(sessionFiles(session.id).log) : hintForSavedSession(caught, described.hint, wizard.parameters, session.id);
			const {code, requestId} = errorDocument(caught);
			error = {message: redact(described.message), ...(hint ? {hint} : {}), code, ...(requestId ? {requestId} : {})};
			log.error(`run ended: ${described.message}`);
		}
	} finally {
		signal.removeEventListener('abort', logInterrupt);
		restoreSignals();
		audit.close();
	}

	const report = findVerificationReport(wizard, session);
	if (app) {
		const created = createdResourcesHint(session);
		await app.showOutcome({sessionId: session.id, exitCode, ...(report ? {report: report as never} : {}), ...(error ? {error} : {}), ...(created ? {created} : {})});
		await app.close();
	}

	events?.result(resultDocument(wizard, session, exitCode, error, report));
	if (flags.json) {
		io.stdout.write(`${JSON.stringify(resultDocument(wizard, session, exitCode, error, report), undefined, 2)}\n`);
	} else if (mode === 'plain') {
		await printPlainOutcome(io, session, exitCode, error, report);
	}

	return exitCode;
}

export function findVerificationReport(wizard: Wizard<unknown>, session: Session): unknown {
	const verifyStep = wizard.steps.find(step => step.kind === 'verify');
	return verifyStep ? verificationOf(session.steps[verifyStep.id]).report : undefined;
}

/** The `error` of a result document: the one-line cause, the hint, a code (see `errorDocument`), the request id. */
export type ResultError = {message: string; hint?: string; code?: string; requestId?: string};

export function resultDocument(wizard: Wizard<unknown>, session: Session, exitCode: number, error: ResultError | undefined, report: unknown) {
	return {
		ok: exitCode === exitCodes.ok,
		exitCode,
		session: {id: session.id, wizard: session.wizard, profile: session.profile, state: session.state, log: sessionFiles(session.id).log, ...(session.plan ? {planHash: session.plan.hash, planFile: session.plan.file} : {})},
		steps: wizard.steps.map(step => ({id: step.id, title: step.title, state: session.steps[step.id]?.state ?? 'pending', attempts: session.steps[step.id]?.attempts ?? 0, summary: session.steps[step.id]?.summary, error: session.steps[step.id]?.error})),
		...(error ? {error} : {}),
		...(report ? {verification: report} : {}),
		created: createdResourcesOf(session),
	};
}

async function printPlainOutcome(io: CommandIo, session: Session, exitCode: number, error: ResultError | undefined, report: unknown): Promise<void> {
	if (report) {
		const {renderVerificationText} = await import('../ui/plain-report.js');
		io.stderr.write(`\n${renderVerificationText(report as never, {columns: io.stderr.columns ?? 100})}\n`);
	}

	if (exitCode === exitCodes.ok) {
		io.stderr.write(`✔ Session ${session.id} finished.\n`);
	} else if (exitCode === exitCodes.verification) {
		io.stderr.write(`✖ Verification found differences. Report: ${sessionFiles(session.id).reportMarkdown}\n`);
	} else if (error) {
		io.stderr.write(`✖ ${error.message}\n`);
		if (error.hint) {
			io.stderr.write(`  ${error.hint}\n`);
		}

		// A hint that already names the resume command (to change an answer) is the way to continue.
		io.stderr.write(error.hint?.includes(`ferry resume ${session.id}`) ? `  Session ${session.id} is saved.\n` : `  Session ${session.id} is saved; continue with \`ferry resume ${session.id}\`.\n`);
	}

	const created = createdResourcesHint(session);
	if (created) {
		io.stderr.write(`  ${created}\n`);
	}
}
