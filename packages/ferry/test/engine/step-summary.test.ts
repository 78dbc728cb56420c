import {PassThrough} from 'node:stream';
import test from 'ava';
import {StepError} from '../../source/engine/errors.js';
import {resolveParameters} from '../../source/engine/parameters.js';
import {runSession, type RunnerUi, type StepInfo} from '../../source/engine/runner.js';
import {createSession, type StepRecord} from '../../source/engine/session.js';
import {defineWizard, type Wizard} from '../../source/engine/wizard.js';
import {createMemoryLogger} from '../../source/log/logger.js';
import {registerSecret} from '../../source/log/redact.js';
import {loadSession} from '../../source/store/session-store.js';
import {createTaskStore, InkListrRenderer} from '../../source/ui/ink-listr-renderer.js';
import {createPlainUi} from '../../source/ui/plain-ui.js';
import {useFerryHome} from '../helpers/ferry-home.js';

type Knobs = {failCopy?: boolean};

function summaryWizard(knobs: Knobs): Wizard<unknown> {
	return defineWizard<unknown>({
		id: 'summary-wizard',
		title: 'Summary wizard',
		description: 'Steps that summarise, and one that does not',
		version: 1,
		parameters: [
			{key: 'bucket', label: 'Bucket', help: '', type: 'string'},
			{key: 'prefix', label: 'Prefix', help: '', type: 'string', optional: true},
		],
		async createClients() {
			return {};
		},
		steps: [
			{id: 'connect', title: 'Connect', explain: '', kind: 'form', rerun: 'safe', parameters: ['bucket', 'prefix']},
			{
				id: 'copy',
				title: 'Copy tables',
				explain: '',
				kind: 'task',
				rerun: 'safe',
				async run(context) {
					context.report('orders: 1,000 rows');
					context.summary('3 tables\n· 1,234 rows · secret-summary-token');
					context.report('closing the connection');
					if (knobs.failCopy) {
						throw new StepError('the copy broke');
					}
				},
			},
			{
				id: 'count',
				title: 'Count',
				explain: '',
				kind: 'task',
				rerun: 'safe',
				async run(context) {
					context.report('counted 1,234 rows');
				},
			},
			{
				id: 'plan',
				title: 'Plan',
				explain: '',
				kind: 'review',
				rerun: 'safe',
				async review() {
					return {title: 'Plan', sections: [{title: 'One'}, {title: 'Two'}]};
				},
			},
		],
	});
}

/** A front end that draws tasks through the Ink renderer's store, and notes what the store shows as each step ends. */
function inkStoreUi(): RunnerUi & {lastLines: Record<string, string | undefined>; skipped: Record<string, string | undefined>; finished: Record<string, StepRecord>} {
	const store = createTaskStore();
	const lastLines: Record<string, string | undefined> = {};
	const skipped: Record<string, string | undefined> = {};
	const finished: Record<string, StepRecord> = {};
	return {
		lastLines,
		skipped,
		finished,
		stepStarted() {
			store.clear();
		},
		stepSkipped(step: StepInfo, _index: number, _total: number, record?: StepRecord) {
			skipped[step.id] = record?.summary;
		},
		stepFinished(step: StepInfo, record: StepRecord) {
			lastLines[step.id] = store.getSnapshot().at(-1)?.output;
			finished[step.id] = structuredClone(record);
		},
		async askParameters(_step, parameters, context, secrets) {
			return resolveParameters(parameters, context, key => secrets.get(key) !== undefined);
		},
		async review() {
			return true;
		},
		async confirm() {
			return true;
		},
		async confirmRerun() {
			return true;
		},
		rendering: () => ({renderer: InkListrRenderer, rendererOptions: {store}, fallbackRenderer: 'silent'}),
	};
}

const secrets = {get: () => undefined, set() {}};

function newSession(wizard: Wizard<unknown>) {
	return createSession({wizard: wizard.id, wizardVersion: wizard.version, profile: 'local', stepIds: wizard.steps.map(step => step.id), answers: {bucket: 'b1'}});
}

test.serial('a step\'s summary is saved with it, one line and redacted, and is the last line the task list shows', async t => {
	useFerryHome(t);
	registerSecret('secret-summary-token');
	const wizard = summaryWizard({});
	const session = newSession(wizard);
	const ui = inkStoreUi();
	const log = createMemoryLogger();
	const result = await runSession({wizard, session, ui, secrets, log, signal: new AbortController().signal});
	t.is(result.exitCode, 0);

	const disk = loadSession(session.id);
	t.is(disk.steps['copy']!.summary, '3 tables · 1,234 rows · [redacted]');
	t.is(ui.finished['copy']!.summary, '3 tables · 1,234 rows · [redacted]', 'the front end gets it with the record');
	t.is(ui.lastLines['copy'], '3 tables · 1,234 rows · [redacted]', 'the summary replaces the later progress line');
	t.is(disk.steps['count']!.summary, undefined, 'a step that gives none has none');
	t.is(ui.lastLines['count'], 'counted 1,234 rows', 'and shows its last progress line, as before');
	t.is(disk.steps['connect']!.summary, '1 answer', 'a form says how many of its questions were answered');
	t.is(disk.steps['plan']!.summary, 'accepted: 2 sections', 'a review says it was accepted');
	t.true(log.lines.some(line => line.includes('summary: 3 tables · 1,234 rows · [redacted]')));
	t.false(log.lines.some(line => line.includes('secret-summary-token')));

	// A finished session passes every step; each is shown with the summary it gave then.
	const again = inkStoreUi();
	await runSession({wizard, session: loadSession(session.id), ui: again, secrets, log, signal: new AbortController().signal});
	t.deepEqual(again.skipped, {connect: '1 answer', copy: '3 tables · 1,234 rows · [redacted]', count: undefined, plan: 'accepted: 2 sections'});
});

test.serial('a step that fails keeps no summary, and a rerun starts without the old one', async t => {
	useFerryHome(t);
	const knobs: Knobs = {failCopy: true};
	const wizard = summaryWizard(knobs);
	const session = newSession(wizard);
	const ui = inkStoreUi();
	await t.throwsAsync(runSession({wizard, session, ui, secrets, log: createMemoryLogger(), signal: new AbortController().signal}), {instanceOf: StepError});
	const failed = loadSession(session.id).steps['copy']!;
	t.is(failed.state, 'failed');
	t.is(failed.summary, undefined);
	t.is(ui.finished['copy']!.summary, undefined);

	knobs.failCopy = false;
	await runSession({wizard, session: loadSession(session.id), ui: inkStoreUi(), secrets, log: createMemoryLogger(), signal: new AbortController().signal});
	t.is(loadSession(session.id).steps['copy']!.summary, '3 tables · 1,234 rows · [redacted]');
});

test.serial('the plain reporter prints a task\'s summary as it finishes, a form\'s and a review\'s on their own line, and a skipped step\'s on resume', async t => {
	useFerryHome(t);
	const wizard = summaryWizard({});
	const session = newSession(wizard);
	let text = '';
	const stderr = new PassThrough();
	stderr.on('data', (chunk: Buffer) => {
		text += chunk.toString();
	});
	await runSession({wizard, session, ui: createPlainUi({yes: true, stderr}), secrets, log: createMemoryLogger(), signal: new AbortController().signal});
	t.regex(text, /✔ Connect — 1 answer\n/);
	t.regex(text, /› closing the connection\n› 3 tables · 1,234 rows · \[redacted\]\n✔ Copy tables\n/);
	t.regex(text, /› counted 1,234 rows\n✔ Count\n/);
	t.regex(text, /✔ Plan — accepted: 2 sections\n/);

	text = '';
	await runSession({wizard, session: loadSession(session.id), ui: createPlainUi({yes: true, stderr}), secrets, log: createMemoryLogger(), signal: new AbortController().signal});
	t.regex(text, /^Step 2\/4 · Copy tables: done earlier, skipped — 3 tables · 1,234 rows · \[redacted\]$/m);
	t.regex(text, /^Step 3\/4 · Count: done earlier, skipped$/m);
});
