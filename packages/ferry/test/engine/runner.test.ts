import {readFileSync} from 'node:fs';
import test, {type ExecutionContext} from 'ava';
import {InterruptedError, StepError} from '../../source/engine/errors.js';
import {resolveParameters} from '../../source/engine/parameters.js';
import {ReviewDeclinedError, runSession, type RunnerUi, type StepInfo} from '../../source/engine/runner.js';
import {createSession, type Session, type StepRecord} from '../../source/engine/session.js';
import {defineWizard, type RerunPolicy, type SecretStore, type Wizard} from '../../source/engine/wizard.js';
import {createMemoryLogger} from '../../source/log/logger.js';
import {registerSecret} from '../../source/log/redact.js';
import {loadSession, sessionFiles} from '../../source/store/session-store.js';
import {useFerryHome} from '../helpers/ferry-home.js';

/** Knobs and counters of the test wizard, so a test can make a step fail or hang and see what ran. */
type Behaviour = {
	failCopyAfter?: string;
	failMessage?: string;
	hangInCopy?: boolean;
	equal: boolean;
	copyRerun: RerunPolicy;
	runs: Record<string, number>;
	subTaskRuns: string[];
	clientsCreated: number;
	clientsClosed: number;
	/** Session file states seen on disk from inside the copy step. */
	seenInsideCopy: string[];
};

type Clients = {name: string};

function behaviour(overrides: Partial<Behaviour> = {}): Behaviour {
	return {equal: true, copyRerun: 'cleanup', runs: {}, subTaskRuns: [], clientsCreated: 0, clientsClosed: 0, seenInsideCopy: [], ...overrides};
}

function readDisk(id: string): Session {
	return JSON.parse(readFileSync(sessionFiles(id).session, 'utf8')) as Session;
}

function testWizard(b: Behaviour): Wizard<Clients> {
	const count = (id: string) => {
		b.runs[id] = (b.runs[id] ?? 0) + 1;
	};

	return defineWizard<Clients>({
		id: 'test-wizard',
		title: 'Test wizard',
		description: 'A tiny wizard for the runner tests',
		version: 1,
		parameters: [
			{key: 'bucket', label: 'Bucket', help: 'Where to copy.', type: 'string'},
			{key: 'tables', label: 'Tables', help: 'What to copy.', type: 'list', default: ['orders', 'lineitem', 'nation']},
			{key: 'password', label: 'Password', help: 'A secret.', type: 'secret'},
		],
		async createClients() {
			b.clientsCreated++;
			return {name: 'clients'};
		},
		async closeClients() {
			b.clientsClosed++;
		},
		steps: [
			{
				id: 'connect',
				title: 'Connect',
				explain: 'Collect the answers.',
				kind: 'form',
				rerun: 'safe',
				parameters: ['bucket', 'tables', 'password'],
				async run(context) {
					count('connect');
					context.output('discovered', ['orders', 'lineitem', 'nation']);
				},
			},
			{
				id: 'copy',
				title: 'Copy tables',
				explain: 'Copy each table, one sub-task per table.',
				kind: 'task',
				get rerun() {
					return b.copyRerun;
				},
				async run(context) {
					count('copy');
					b.seenInsideCopy.push(readDisk(context.sessionId).steps['copy']!.state);
					if (b.hangInCopy) {
						await new Promise((_resolve, reject) => {
							context.signal.addEventListener('abort', () => {
								reject(context.signal.reason as Error);
							});
						});
					}

					const tables = context.answers['tables'] as string[];
					await context.tasks(tables.map(table => ({
						title: table,
						skip: () => (context.checkpoint.get<string[]>('copied') ?? []).includes(table) ? 'copied before' : false,
						async run(sub) {
							b.subTaskRuns.push(table);
							sub.progress({done: 1, total: 2, unit: 'objects'});
							sub.output(`copying ${table} with ${context.secret('password') ?? 'no password'}`);
							if (b.failCopyAfter !== undefined && (context.checkpoint.get<string[]>('copied') ?? []).includes(b.failCopyAfter)) {
								// A step's own failure is typed (a plain Error would be a bug in ferry, see test/cli/bug-report.test.ts).
								throw new StepError(b.failMessage ?? 'copy failed');
							}

							context.checkpoint.set('copied', [...(context.checkpoint.get<string[]>('copied') ?? []), table]);
						},
					})), {concurrency: 1});
					context.output('tables', (context.checkpoint.get<string[]>('copied') ?? []).length);
					context.report(`copied into ${String(context.answers['bucket'])} by ${context.clients.name}`);
				},
			},
			{
				id: 'review',
				title: 'Review',
				explain: 'Check before anything changes.',
				kind: 'review',
				rerun: 'safe',
				async review(context) {
					count('review');
					return {title: 'Plan', sections: [{title: 'Tables', body: (context.answers['tables'] as string[]).join(', ')}]};
				},
			},
			{
				id: 'verify',
				title: 'Verify',
				explain: 'Compare both sides.',
				kind: 'verify',
				rerun: 'safe',
				async run(context) {
					count('verify');
					context.verified({equal: b.equal});
					context.output('copied', context.outputs['copy']?.['tables']);
				},
			},
		],
	});
}

type UiLog = {
	events: string[];
	/** The session state on disk for the step, at each UI callback. */
	disk: Array<{event: string; step: string; state: string | undefined; sessionState: string}>;
	rerunAsked: StepRecord[];
};

function testUi(t: ExecutionContext, sessionId: () => string, options: {review?: boolean; rerun?: boolean; onStepFinished?: (step: StepInfo) => void} = {}): RunnerUi & UiLog {
	const log: UiLog = {events: [], disk: [], rerunAsked: []};
	const snapshot = (event: string, step: StepInfo) => {
		const onDisk = readDisk(sessionId());
		log.disk.push({event, step: step.id, state: onDisk.steps[step.id]?.state, sessionState: onDisk.state});
	};

	return Object.assign(log, {
		stepStarted(step: StepInfo) {
			log.events.push(`started ${step.id}`);
			snapshot('started', step);
		},
		stepSkipped(step: StepInfo) {
			log.events.push(`skipped ${step.id}`);
		},
		stepFinished(step: StepInfo, record: StepRecord) {
			log.events.push(`finished ${step.id} ${record.state}`);
			snapshot('finished', step);
			options.onStepFinished?.(step);
		},
		async askParameters(step: StepInfo, parameters: Parameters<RunnerUi['askParameters']>[1], context: Parameters<RunnerUi['askParameters']>[2], secrets: SecretStore) {
			log.events.push(`ask ${step.id} ${parameters.map(parameter => parameter.key).join(',')}`);
			t.deepEqual(context.outputs['connect'], {discovered: ['orders', 'lineitem', 'nation']}, 'the form sees what its run() discovered');
			return resolveParameters(parameters, context, key => secrets.get(key) !== undefined);
		},
		async review(step: StepInfo) {
			log.events.push(`review ${step.id}`);
			return options.review ?? true;
		},
		async confirm() {
			return true;
		},
		async confirmRerun(step: StepInfo, record: StepRecord) {
			log.events.push(`rerun? ${step.id}`);
			log.rerunAsked.push(structuredClone(record));
			return options.rerun ?? true;
		},
		rendering: () => ({renderer: 'silent'}),
	});
}

function memorySecrets(initial: Record<string, string> = {}): SecretStore {
	const values = new Map(Object.entries(initial));
	return {get: key => values.get(key), set: (key, value) => values.set(key, value)};
}

function newSession(wizard: Wizard<Clients>, answers: Record<string, unknown> = {bucket: 'b1'}): Session {
	return createSession({wizard: wizard.id, wizardVersion: wizard.version, profile: 'local', stepIds: wizard.steps.map(step => step.id), answers});
}

test.serial('runs every step in order, saving the session after each transition', async t => {
	useFerryHome(t);
	const b = behaviour();
	const wizard = testWizard(b);
	const session = newSession(wizard, {bucket: 'b1', tables: 'orders, lineitem'});
	const ui = testUi(t, () => session.id);
	const log = createMemoryLogger();
	const result = await runSession({wizard, session, ui, secrets: memorySecrets({password: 'pw-0001'}), log, signal: new AbortController().signal});

	t.is(result.exitCode, 0);
	t.is(result.session.state, 'done');
	t.deepEqual(ui.events, [
		'started connect', 'ask connect bucket,tables,password', 'finished connect done',
		'started copy', 'finished copy done',
		'started review', 'review review', 'finished review done',
		'started verify', 'finished verify done',
	]);
	for (const entry of ui.disk) {
		t.is(entry.state, entry.event === 'started' ? 'running' : 'done', `${entry.event} ${entry.step} was on disk before the UI heard of it`);
	}

	t.deepEqual(b.seenInsideCopy, ['running']);
	t.deepEqual(b.subTaskRuns, ['orders', 'lineitem']);
	t.deepEqual(b.runs, {connect: 1, copy: 1, review: 1, verify: 1});
	t.is(b.clientsCreated, 1, 'clients are created once per run');
	t.is(b.clientsClosed, 1);

	const disk = loadSession(session.id);
	t.is(disk.state, 'done');
	t.is(disk.exitCode, 0);
	t.is(disk.currentStep, undefined);
	t.deepEqual(disk.answers, {bucket: 'b1', tables: ['orders', 'lineitem']}, 'answers parsed by the form, and no secret');
	t.false(readFileSync(sessionFiles(session.id).session, 'utf8').includes('pw-0001'));
	t.deepEqual(disk.steps['copy']!.checkpoints, {copied: ['orders', 'lineitem']});
	t.deepEqual(disk.steps['copy']!.outputs, {tables: 2});
	t.deepEqual(disk.steps['review']!.outputs['review'], {title: 'Plan', sections: [{title: 'Tables', body: 'orders, lineitem'}]});
	t.deepEqual(disk.steps['verify']!.outputs, {report: {equal: true}, equal: true, copied: 2});
	for (const record of Object.values(disk.steps)) {
		t.like(record, {state: 'done', attempts: 1});
		t.truthy(record.startedAt && record.finishedAt);
	}

	t.true(log.lines.some(line => line.includes('INFO  copied into b1 by clients')));
	t.true(log.lines.some(line => line.includes('step verify done')));
});

test.serial('a verification that differs ends with exit code 5 and state different', async t => {
	useFerryHome(t);
	const wizard = testWizard(behaviour({equal: false}));
	const session = newSession(wizard);
	const result = await runSession({wizard, session, ui: testUi(t, () => session.id), secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal});
	t.is(result.exitCode, 5);
	t.is(result.session.state, 'different');
	t.like(loadSession(session.id), {state: 'different', exitCode: 5});
	t.is(loadSession(session.id).steps['verify']!.state, 'done');
});

test.serial('a throwing step is marked failed with a redacted message; a second run skips finished steps and resumes from the checkpoint', async t => {
	useFerryHome(t);
	const secret = 'runner-test-secret-value-1234';
	registerSecret(secret);
	const b = behaviour({failCopyAfter: 'orders', failMessage: `upload refused for key ${secret}`});
	const wizard = testWizard(b);
	const session = newSession(wizard);
	const log = createMemoryLogger();
	const error = await t.throwsAsync(runSession({wizard, session, ui: testUi(t, () => session.id), secrets: memorySecrets({password: 'pw'}), log, signal: new AbortController().signal}));
	t.true(error?.message.includes('upload refused'));

	const failed = loadSession(session.id);
	t.is(failed.state, 'failed');
	t.is(failed.currentStep, 'copy');
	t.like(failed.steps['connect'], {state: 'done', attempts: 1});
	t.like(failed.steps['copy'], {state: 'failed', attempts: 1, error: {message: 'upload refused for key [redacted]'}});
	t.deepEqual(failed.steps['copy']!.checkpoints, {copied: ['orders']}, 'the checkpoint taken before the failure persisted');
	t.like(failed.steps['review'], {state: 'pending', attempts: 0});
	t.false(readFileSync(sessionFiles(session.id).session, 'utf8').includes(secret));
	t.false(log.lines.join('\n').includes(secret));
	t.deepEqual(b.subTaskRuns, ['orders', 'lineitem']);
	t.is(b.clientsClosed, 1, 'clients are closed after a failure too');

	b.failCopyAfter = undefined;
	b.subTaskRuns.length = 0;
	const resumed = loadSession(session.id);
	const ui = testUi(t, () => resumed.id);
	const result = await runSession({wizard, session: resumed, ui, secrets: memorySecrets({password: 'pw'}), log, signal: new AbortController().signal});
	t.is(result.exitCode, 0);
	t.deepEqual(ui.events.slice(0, 2), ['skipped connect', 'started copy']);
	t.deepEqual(ui.rerunAsked, [], 'a cleanup step is rerun without asking');
	t.is(b.runs['connect'], 1, 'the finished form step did not run again');
	t.is(b.runs['copy'], 2);
	t.deepEqual(b.subTaskRuns, ['lineitem', 'nation'], 'the checkpointed sub-task was skipped');
	const done = loadSession(session.id);
	t.like(done, {state: 'done', exitCode: 0});
	t.like(done.steps['copy'], {state: 'done', attempts: 2});
	t.is(done.steps['copy']!.error, undefined, 'the old error is cleared');
	t.deepEqual(done.steps['copy']!.checkpoints, {copied: ['orders', 'lineitem', 'nation']});
});

test.serial('an aborted signal marks the step and the session interrupted', async t => {
	useFerryHome(t);
	const b = behaviour({hangInCopy: true});
	const wizard = testWizard(b);
	const session = newSession(wizard);
	const controller = new AbortController();
	const run = runSession({wizard, session, ui: testUi(t, () => session.id), secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: controller.signal});
	const waitForCopy = async () => {
		while (b.runs['copy'] === undefined) {
			await new Promise(resolve => {
				setTimeout(resolve, 5);
			});
		}
	};

	await waitForCopy();
	controller.abort();
	const error = await t.throwsAsync(run, {instanceOf: InterruptedError});
	t.is(error?.exitCode, 130);
	t.true(error?.hint?.includes(`ferry resume ${session.id}`));
	const disk = loadSession(session.id);
	t.is(disk.state, 'interrupted');
	t.like(disk.steps['copy'], {state: 'interrupted', attempts: 1});
	t.like(disk.steps['connect'], {state: 'done'});
});

test.serial('an abort between two steps also leaves the session interrupted', async t => {
	useFerryHome(t);
	const b = behaviour();
	const wizard = testWizard(b);
	const session = newSession(wizard);
	const controller = new AbortController();
	const ui = testUi(t, () => session.id, {onStepFinished(step) {
		if (step.id === 'connect') {
			controller.abort();
		}
	}});
	const error = await t.throwsAsync(runSession({wizard, session, ui, secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: controller.signal}), {instanceOf: InterruptedError});
	t.is(error?.exitCode, 130);
	t.true(error?.hint?.includes(`ferry resume ${session.id}`));
	t.is(b.runs['copy'], undefined, 'the next step did not start');
	const disk = loadSession(session.id);
	t.is(disk.state, 'interrupted');
	t.like(disk.steps['connect'], {state: 'done'});
	t.like(disk.steps['copy'], {state: 'pending', attempts: 0});
});

test.serial('a step that would duplicate data asks before a rerun, and stops with a StepError when refused', async t => {
	useFerryHome(t);
	const b = behaviour({failCopyAfter: 'orders', copyRerun: 'duplicates'});
	const wizard = testWizard(b);
	const session = newSession(wizard);
	await t.throwsAsync(runSession({wizard, session, ui: testUi(t, () => session.id), secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal}));
	t.is(b.runs['copy'], 1);

	b.failCopyAfter = undefined;
	const refusing = testUi(t, () => session.id, {rerun: false});
	const refused = await t.throwsAsync(runSession({wizard, session: loadSession(session.id), ui: refusing, secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal}), {instanceOf: StepError});
	t.is(refused?.exitCode, 1);
	t.true(refused?.message.includes('Copy tables'));
	t.true(refused?.hint?.includes('ferry resume'));
	t.is(refusing.rerunAsked.length, 1);
	t.like(refusing.rerunAsked[0], {state: 'failed', attempts: 1});
	t.is(b.runs['copy'], 1, 'the step did not run again');
	t.like(loadSession(session.id).steps['copy'], {state: 'failed', attempts: 1});

	const accepting = testUi(t, () => session.id, {rerun: true});
	const result = await runSession({wizard, session: loadSession(session.id), ui: accepting, secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal});
	t.is(result.exitCode, 0);
	t.is(accepting.rerunAsked.length, 1);
	t.is(b.runs['copy'], 2);
});

test.serial('a step that never ran is not guarded, even if it would duplicate data', async t => {
	useFerryHome(t);
	const wizard = testWizard(behaviour({copyRerun: 'duplicates'}));
	const session = newSession(wizard);
	const ui = testUi(t, () => session.id, {rerun: false});
	t.is((await runSession({wizard, session, ui, secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal})).exitCode, 0);
	t.deepEqual(ui.rerunAsked, []);
});

test.serial('refusing the review stops with ReviewDeclinedError before anything after it runs', async t => {
	useFerryHome(t);
	const b = behaviour();
	const wizard = testWizard(b);
	const session = newSession(wizard);
	const error = await t.throwsAsync(runSession({wizard, session, ui: testUi(t, () => session.id, {review: false}), secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal}), {instanceOf: ReviewDeclinedError});
	t.is(error?.exitCode, 130);
	t.is(b.runs['verify'], undefined);
	const disk = loadSession(session.id);
	t.is(disk.state, 'interrupted');
	t.like(disk.steps['review'], {state: 'interrupted', error: {message: 'Stopped at the review: nothing was changed'}});
	t.truthy(disk.steps['review']!.outputs['review'], 'the reviewed document is kept');
});

test.serial('a missing answer in the form fails the form step with a usage error', async t => {
	useFerryHome(t);
	const wizard = testWizard(behaviour());
	const session = newSession(wizard, {});
	const error = await t.throwsAsync(runSession({wizard, session, ui: testUi(t, () => session.id), secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal}));
	t.is((error as {exitCode?: number} | undefined)?.exitCode, 2);
	t.true(error?.message.includes('bucket'));
	t.like(loadSession(session.id), {state: 'failed', steps: {connect: {state: 'failed', error: {message: 'Missing answer bucket (Bucket)'}}}});
});

test.serial('`until` stops after the named step and leaves the session running', async t => {
	useFerryHome(t);
	const b = behaviour();
	const wizard = testWizard(b);
	const session = newSession(wizard);
	const result = await runSession({wizard, session, ui: testUi(t, () => session.id), secrets: memorySecrets({password: 'pw'}), log: createMemoryLogger(), signal: new AbortController().signal, until: 'copy'});
	t.is(result.exitCode, 0);
	t.is(result.session.state, 'running');
	t.deepEqual(b.runs, {connect: 1, copy: 1});
	t.like(loadSession(session.id).steps, {copy: {state: 'done'}, review: {state: 'pending'}});
});

test('defineWizard refuses duplicate step ids and unknown parameter keys', t => {
	const base = testWizard(behaviour());
	t.throws(() => defineWizard({...base, steps: [base.steps[0]!, base.steps[0]!]}), {message: 'Wizard test-wizard: duplicate step id connect'});
	t.throws(() => defineWizard({...base, steps: [{...base.steps[0]!, parameters: ['bucket', 'nope']}]}), {message: 'Wizard test-wizard: step connect asks for unknown parameter nope'});
});
