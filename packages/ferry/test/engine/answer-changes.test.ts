import test from 'ava';
import {changeAnswers} from '../../source/engine/answer-changes.js';
import {UsageError} from '../../source/engine/errors.js';
import {AnswerError} from '../../source/engine/parameters.js';
import {createSession, type Session} from '../../source/engine/session.js';
import type {Parameter, Step, Wizard} from '../../source/engine/wizard.js';

const parameters: Parameter[] = [
	{key: 'bucket', label: 'Bucket', help: 'Where files go.', type: 'string', example: 'my-bucket', validate: value => (/^[a-z0-9-]{3,63}$/.test(String(value)) ? undefined : 'Bucket names have 3–63 lower-case letters')},
	{key: 'schema', label: 'Schema', help: 'The schema.', type: 'string', default: 'public'},
	{key: 'tables', label: 'Tables', help: 'The tables.', type: 'list', choices: context => ((context.outputs['tables']?.['discovered'] as string[] | undefined) ?? []).map(name => ({value: name, label: name}))},
	{key: 'password', label: 'Password', help: 'A secret.', type: 'secret', optional: true},
];

const step = (id: string, kind: Step['kind'], extra: Partial<Step> = {}): Step => ({id, title: id, explain: id, kind, rerun: 'safe', ...extra});
const wizard: Wizard<unknown> = {
	id: 'test-wizard', title: 'Test', description: 'Test', version: 1, parameters,
	steps: [
		step('connections', 'form', {parameters: ['bucket', 'schema', 'password']}),
		step('preflight', 'task'),
		step('tables', 'form', {parameters: ['tables']}),
		step('copy', 'task', {rerun: 'duplicates'}),
	],
	createClients: async () => ({}),
};

/** A session that ran connections and preflight, discovered two tables, and failed at the tables step. */
function failedAtTables(): Session {
	const session = createSession({wizard: wizard.id, wizardVersion: 1, profile: 'local', stepIds: wizard.steps.map(item => item.id), answers: {bucket: 'old-bucket', schema: 'public', tables: ['nosuch']}});
	session.state = 'failed';
	Object.assign(session.steps['connections']!, {state: 'done', attempts: 1});
	Object.assign(session.steps['preflight']!, {state: 'done', attempts: 1, outputs: {checks: ['ok']}});
	Object.assign(session.steps['tables']!, {state: 'failed', attempts: 1, outputs: {discovered: ['orders', 'lineitem']}, error: {message: 'Unknown tables: nosuch'}});
	return session;
}

test('a changed answer is saved parsed, and the steps from the one that asks it run again', t => {
	const session = failedAtTables();
	const {changes, reset} = changeAnswers({wizard, session, answers: {tables: 'orders, lineitem'}});
	t.deepEqual(changes, [{key: 'tables', from: ['nosuch'], to: ['orders', 'lineitem'], secret: false}]);
	t.deepEqual(session.answers['tables'], ['orders', 'lineitem']);
	t.deepEqual(reset, ['tables']);
	t.is(session.steps['connections']?.state, 'done');
	t.is(session.steps['preflight']?.state, 'done');
	t.deepEqual(session.steps['tables'], {state: 'pending', attempts: 1, outputs: {}, checkpoints: {}});
});

test('an earlier answer sets back every step that ran after its form, keeping attempts', t => {
	const session = failedAtTables();
	const {reset} = changeAnswers({wizard, session, answers: {schema: 'sales'}});
	t.deepEqual(reset, ['connections', 'preflight', 'tables']);
	t.deepEqual(session.steps['preflight'], {state: 'pending', attempts: 1, outputs: {}, checkpoints: {}});
	t.is(session.steps['copy']?.state, 'pending');
	t.is(session.answers['schema'], 'sales');
});

test('a changed answer is validated as run validates it, with what the session discovered; nothing changes then', t => {
	const session = failedAtTables();
	const before = structuredClone(session);
	const bad = t.throws(() => changeAnswers({wizard, session, answers: {bucket: 'BAD_'}}), {instanceOf: AnswerError});
	t.is(bad?.key, 'bucket');
	t.is(bad?.exitCode, 2);
	t.throws(() => changeAnswers({wizard, session, answers: {tables: 'orders,nosuch2'}}), {instanceOf: AnswerError, message: /Unknown tables: nosuch2 \(choose from orders, lineitem\)/});
	t.throws(() => changeAnswers({wizard, session, answers: {bukket: 'x'}}), {instanceOf: AnswerError, message: /Unknown answer "bukket"/});
	t.deepEqual(session, before);
});

test('the same value is no change; a replaced secret is one, without its value, and sets no step back', t => {
	const session = failedAtTables();
	t.deepEqual(changeAnswers({wizard, session, answers: {bucket: 'old-bucket'}}), {changes: [], reset: []});
	t.is(session.steps['preflight']?.state, 'done');
	const {changes, reset} = changeAnswers({wizard, session, answers: {}, changedSecrets: ['password']});
	t.deepEqual(changes, [{key: 'password', from: undefined, to: undefined, secret: true}]);
	t.deepEqual(reset, []);
	t.is(session.steps['preflight']?.state, 'done');
	t.false('password' in session.answers);
});

test('a finished session whose answer changes is no longer finished', t => {
	const session = failedAtTables();
	for (const record of Object.values(session.steps)) {
		Object.assign(record, {state: 'done', attempts: 1});
	}

	Object.assign(session, {state: 'done', exitCode: 0});
	// The copy step of this session cleans up after itself: a rerun from its start is allowed (a `duplicates` one is
	// refused, see below).
	const cleaning: Wizard<unknown> = {...wizard, steps: [...wizard.steps.slice(0, 3), step('copy', 'task', {rerun: 'cleanup'})]};
	const {reset} = changeAnswers({wizard: cleaning, session, answers: {tables: 'orders'}});
	t.deepEqual(reset, ['tables', 'copy']);
	t.is(session.steps['copy']?.attempts, 1, 'attempts are kept, so the runner\'s rerun guard still sees the step ran');
	t.is(session.state, 'interrupted');
	t.is(session.exitCode, undefined);
});

test('a change that would rerun a step that duplicates data, after it wrote, is refused and changes nothing', t => {
	const session = failedAtTables();
	Object.assign(session.steps['tables']!, {state: 'done', error: undefined});
	Object.assign(session.steps['copy']!, {state: 'interrupted', attempts: 1, checkpoints: {written: 5000}});
	const before = structuredClone(session);
	const refused = t.throws(() => changeAnswers({wizard, session, answers: {bucket: 'new-bucket'}}), {instanceOf: UsageError});
	t.is(refused?.exitCode, 2);
	t.regex(refused!.message, /^Cannot change bucket of session .+: "copy" already wrote part of its data with the old answer, and running it again with the new one would write that data a second time$/);
	t.regex(refused!.hint ?? '', /^Nothing was changed\. Start a new session with the new answer \(`ferry run test-wizard --set bucket=…`\)/);
	t.deepEqual(session, before);
});

test('a step safe to resume but duplicating from its start (rerunFromStart) is guarded the same way; one that wrote nothing is not', t => {
	const guarded: Wizard<unknown> = {...wizard, steps: [...wizard.steps.slice(0, 3), step('copy', 'task', {rerun: 'safe', rerunFromStart: 'duplicates'})]};
	const session = failedAtTables();
	Object.assign(session.steps['copy']!, {state: 'done', attempts: 1});
	t.throws(() => changeAnswers({wizard: guarded, session, answers: {bucket: 'new-bucket'}}), {instanceOf: UsageError, message: /"copy" already ran with the old answer/});

	const untouched = failedAtTables();
	Object.assign(untouched.steps['copy']!, {state: 'interrupted', attempts: 1, checkpoints: {}});
	const {reset} = changeAnswers({wizard: guarded, session: untouched, answers: {bucket: 'new-bucket'}});
	t.deepEqual(reset, ['connections', 'preflight', 'tables', 'copy']);
});
