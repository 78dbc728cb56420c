/**
 * `--events FILE|-`: a run as JSON lines, for scripts that follow its progress. One object per line, written (and
 * flushed: a synchronous write to the file or pipe) the moment it happens:
 *
 *   {"event":"session","time":…,"session":"rtm-…","wizard":"…","profile":"local","log":"/…/session.log"}
 *   {"event":"step.started","time":…,"session":…,"step":"unload","title":"…","index":3,"total":9}
 *   {"event":"progress","time":…,"session":…,"step":"unload","task":"orders","line":"12.0 MiB / …","progress":{…}}
 *   {"event":"step.finished","time":…,"session":…,"step":"unload","title":"…","state":"done","summary":"…","durationMs":…}
 *   {"event":"step.skipped",…,"summary":"…"}                 (done in an earlier run)
 *   {"event":"step.failed",…,"state":"failed"|"interrupted","error":{"message":"…","hint":"…"}}
 *   {"event":"verification","time":…,"session":…,"step":"verify","outcome":"equal"|"differs"|"not-compared",
 *    "checks":[{"id":"…","title":"…","outcome":"equal"|"differs"|"not-compared","notCompared":"interrupted"|…}],
 *    "equal":4,"differing":0,"notCompared":0,"report":"/…/report.json"}   (before its step's end, when it has a report)
 *   {"event":"result","time":…,"session":…,"result":{the --json result document: ok, exitCode, session, steps, error, verification}}
 *
 * `progress` lines come at most every quarter second per task (a task's last line always, before its step's end);
 * every other event always comes. `result` is last.
 */
import {closeSync, openSync, writeSync} from 'node:fs';
import type {ProgressUpdate, RunnerUi, StepInfo} from '../engine/runner.js';
import {type Session, type StepRecord, verificationOf} from '../engine/session.js';
import {UsageError} from '../engine/errors.js';
import {redact} from '../log/redact.js';
import {sessionFiles} from '../store/session-store.js';
import {verdictOf} from '../verify/outcome.js';
import type {VerificationReport} from '../verify/report.js';
import {summaryRows} from '../verify/report-summary.js';

export type EventStream = {
	/** The first event: which session runs, and where its log is. */
	begin(session: Session, log: string): void;
	/** The same front end, with every step event and progress line also written to the stream. */
	follow(ui: RunnerUi): RunnerUi;
	/** The last event: the run's result document. Closes the stream. */
	result(document: object): void;
};

const progressIntervalMs = 250;

/**
 * Opens the stream `--events` names (`-` is stdout); undefined without the flag. Opened before a run creates or
 * changes anything, so a path that cannot be written is a usage error with nothing done.
 */
export function openEventStream(target: string | undefined, stdout: {write(text: string): unknown}): EventStream | undefined {
	if (target === undefined) {
		return undefined;
	}

	let write: (text: string) => void;
	let close = () => undefined as void;
	if (target === '-') {
		write = text => {
			stdout.write(text);
		};
	} else {
		let fd: number;
		try {
			// Private: the stream names tables and answers.
			fd = openSync(target, 'w', 0o600);
		} catch (error) {
			throw new UsageError(`Cannot open the event stream ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {hint: 'Check the path given to --events (or pass - for stdout).'});
		}

		let broken = false;
		write = text => {
			if (broken) {
				return;
			}

			try {
				writeSync(fd, text);
			} catch {
				// A reader that went away must not fail the run: the session and its log still record everything.
				broken = true;
			}
		};

		close = () => closeSync(fd);
	}

	let sessionId = '';
	// Each string is redacted before it is encoded, so a secret with a quote or backslash in it is still found.
	const emit = (event: string, fields: object) => write(`${JSON.stringify({event, time: new Date().toISOString(), session: sessionId, ...fields}, (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value))}\n`);
	const lastProgress = new Map<string, number>();
	const held = new Map<string, {step: string; line: string}>();
	const stepFields = (step: StepInfo) => ({step: step.id, title: step.title});
	const duration = (record: StepRecord) => (record.startedAt && record.finishedAt ? {durationMs: Date.parse(record.finishedAt) - Date.parse(record.startedAt)} : {});
	return {
		begin(session, log) {
			sessionId = session.id;
			emit('session', {wizard: session.wizard, profile: session.profile, log});
		},
		follow(ui) {
			return {
				...ui,
				stepStarted(step, index, total) {
					emit('step.started', {...stepFields(step), index, total});
					ui.stepStarted(step, index, total);
				},
				stepSkipped(step, index, total, record) {
					emit('step.skipped', {...stepFields(step), index, total, ...(record?.summary ? {summary: record.summary} : {})});
					ui.stepSkipped(step, index, total, record);
				},
				stepFinished(step, record) {
					// A task's last progress line, held back by the rate limit, comes before its step's end.
					for (const [key, fields] of held) {
						if (fields.step === step.id) {
							held.delete(key);
							emit('progress', fields);
						}
					}

					const report = step.kind === 'verify' ? verificationOf(record).report as VerificationReport | undefined : undefined;
					if (report) {
						const {outcome, equal, differing, notCompared} = verdictOf(report.comparisons);
						const checks = summaryRows(report).map(row => ({id: row.id, title: row.title, outcome: row.result, ...(row.notCompared ? {notCompared: row.notCompared} : {})}));
						emit('verification', {step: step.id, outcome, checks, equal, differing, notCompared, report: sessionFiles(sessionId).reportJson});
					}

					if (record.state === 'done') {
						emit('step.finished', {...stepFields(step), state: record.state, ...(record.summary ? {summary: record.summary} : {}), attempts: record.attempts, ...duration(record)});
					} else {
						emit('step.failed', {...stepFields(step), state: record.state, attempts: record.attempts, ...(record.error ? {error: record.error} : {}), ...duration(record)});
					}

					ui.stepFinished(step, record);
				},
				progress(step, update: ProgressUpdate) {
					const key = `${step.id}\u0000${update.task ?? ''}`;
					const fields = {step: step.id, ...(update.task ? {task: update.task} : {}), line: update.line, ...(update.progress ? {progress: update.progress} : {})};
					const now = Date.now();
					if (now - (lastProgress.get(key) ?? 0) >= progressIntervalMs) {
						lastProgress.set(key, now);
						held.delete(key);
						emit('progress', fields);
					} else {
						held.set(key, fields);
					}

					ui.progress?.(step, update);
				},
			};
		},
		result(document) {
			emit('result', {result: document});
			close();
		},
	};
}
