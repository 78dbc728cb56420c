import test from 'ava';
import {runSession, type RunnerUi} from '../../source/engine/runner.js';
import {createSession} from '../../source/engine/session.js';
import {defineWizard} from '../../source/engine/wizard.js';
import {StepError} from '../../source/engine/errors.js';
import {silentLogger} from '../../source/log/logger.js';
import {loadSession} from '../../source/store/session-store.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const quietUi: RunnerUi = {
	stepStarted() {},
	stepSkipped() {},
	stepFinished() {},
	askParameters: async () => ({}),
	review: async () => true,
	confirm: async () => true,
	confirmRerun: async () => true,
	rendering: () => ({renderer: 'silent'}),
};
const noSecrets = {get: () => undefined, set() {}};

test('checkpoint.once creates a remote job once: a resumed step gets the saved id back instead of a second job', async t => {
	useFerryHome(t);
	const created: string[] = [];
	let failAfterCreate = true;
	const wizard = defineWizard<undefined>({
		id: 'once-wizard',
		title: 'Once',
		description: 'checkpoint.once',
		version: 1,
		parameters: [],
		createClients: async () => undefined,
		steps: [{
			id: 'submit',
			title: 'Submit',
			explain: 'Submits a job, then fails the first time after it.',
			kind: 'task',
			rerun: 'safe',
			async run(context) {
				const id = await context.checkpoint.once('job', async () => {
					created.push(`job-${created.length + 1}`);
					return created.at(-1)!;
				});
				context.output('job', id);
				if (failAfterCreate) {
					failAfterCreate = false;
					throw new StepError('the connection dropped after the job was submitted');
				}
			},
		}],
	});
	const session = createSession({wizard: wizard.id, wizardVersion: 1, profile: 'local', stepIds: ['submit'], answers: {}});
	const options = {wizard, ui: quietUi, secrets: noSecrets, log: silentLogger, signal: new AbortController().signal};
	await t.throwsAsync(runSession({...options, session}), {instanceOf: StepError});
	t.is(loadSession(session.id).steps['submit']!.checkpoints['job'], 'job-1', 'the id is on disk before the failure');

	const resumed = await runSession({...options, session: loadSession(session.id)});
	t.is(resumed.exitCode, 0);
	t.deepEqual(created, ['job-1'], 'no second job was created');
	t.is(resumed.session.steps['submit']!.outputs['job'], 'job-1');
});
