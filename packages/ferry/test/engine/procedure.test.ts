/**
 * Typed procedures: answers typed by parameter kind, outputs by what each step declares. The `@ts-expect-error`
 * lines are the proof that a misspelt answer, secret, output or step does not compile: `npm run typecheck` fails if
 * any of them compiles (an unused `@ts-expect-error` is an error).
 */
import test from 'ava';
import {defineParameters, defineProcedure, fixedChoices, StepError, type AnswersOf, type ProcedureContext, type StepContext} from '../../source/kit.js';

const parameters = defineParameters([
	{key: 'table', label: 'Table', help: '', type: 'string'},
	{key: 'batchSize', label: 'Batch size', help: '', type: 'number', default: 500},
	{key: 'mode', label: 'Mode', help: '', type: 'select', default: 'once', choices: fixedChoices([{value: 'once', label: 'Once'}, {value: 'schedule', label: 'Schedule'}])},
	{key: 'tables', label: 'Tables', help: '', type: 'list'},
	{key: 'topic', label: 'Topic', help: '', type: 'string', optional: true},
	{key: 'timeFormat', label: 'Time format', help: '', type: 'string', when: answers => Boolean(answers['topic'])},
	{key: 'password', label: 'Password', help: '', type: 'secret'},
	{key: 'checks', label: 'Checks', help: '', type: 'json', optional: true},
]);

type Outputs = {
	preflight: {shape: {columns: number}};
	run: {partition?: string; instanceId: number};
};

type Types = {clients: {name: string}; parameters: typeof parameters; outputs: Outputs};
const procedure = defineProcedure<Types>();

type Answers = AnswersOf<typeof parameters>;

test('answers are typed by parameter kind; optional and conditional ones may be absent; secrets are not answers', t => {
	t.deepEqual(parameters.map(parameter => parameter.key), ['table', 'batchSize', 'mode', 'tables', 'topic', 'timeFormat', 'password', 'checks']);
	const answers: Answers = {table: 'orders', batchSize: 500, mode: 'schedule', tables: ['a']};
	const table: string = answers.table;
	const batchSize: number = answers.batchSize;
	const mode: 'once' | 'schedule' = answers.mode;
	const topic: string | undefined = answers.topic;
	const timeFormat: string | undefined = answers.timeFormat;
	const tables: string[] = answers.tables;
	// @ts-expect-error an optional answer may be absent
	const topicText: string = answers.topic;
	// @ts-expect-error a misspelt answer does not compile
	const misspelt = answers.tabel;
	// @ts-expect-error a choice outside the parameter's choices does not compile
	const other: Answers = {...answers, mode: 'weekly'};
	// @ts-expect-error a secret is not an answer
	const password = answers.password;
	t.deepEqual([table, batchSize, mode, topic, timeFormat, tables, topicText, misspelt, other.mode, password], ['orders', 500, 'schedule', undefined, undefined, ['a'], undefined, undefined, 'weekly', undefined]);
});

test('a step records only its declared outputs and reads other steps\' outputs typed; a missing one is a step error', async t => {
	const recorded: Record<string, unknown> = {};
	const step = procedure.step({
		id: 'run',
		title: 'Run',
		explain: '',
		kind: 'task',
		rerun: 'safe',
		async run(context) {
			const shape: {columns: number} = context.outputOf('preflight', 'shape');
			context.output('instanceId', shape.columns);
			const partition: string | undefined = context.outputs.run?.partition;
			// Compiled, never called: each line is a mistake the compiler catches.
			const mistakes = () => {
				// @ts-expect-error a step records only what it declares
				context.output('instanceid', 1);
				// @ts-expect-error an output's value has its declared type
				context.output('instanceId', 'one');
				// @ts-expect-error a misspelt step does not compile
				context.outputOf('prefligt', 'shape');
				// @ts-expect-error a misspelt output does not compile
				context.outputOf('preflight', 'shap');
				// @ts-expect-error a secret key is checked too
				context.secret('pasword');
			};

			recorded['mistakes'] = typeof mistakes;
			recorded['secret'] = context.secret('password');
			recorded['partition'] = partition;
			recorded['topic'] = context.answers.topic;
			t.throws(() => context.outputOf('run', 'instanceId'), {instanceOf: StepError, message: 'The run step\'s instanceId is missing from the session'});
		},
	});
	const outputs: Record<string, unknown> = {};
	const context = {
		answers: {table: 'orders', topic: null},
		outputs: {preflight: {shape: {columns: 3}}},
		secret: (key: string) => (key === 'password' ? 'hunter2' : undefined),
		output(key: string, value: unknown) {
			outputs[key] = value;
		},
	} as unknown as StepContext<{name: string}>;
	await step.run!(context);
	t.deepEqual(outputs, {instanceId: 3});
	// An answer emptied on purpose (null in the session) is absent to the step.
	t.deepEqual(recorded, {mistakes: 'function', secret: 'hunter2', partition: undefined, topic: undefined});
});

test('a form step lists only known parameters; a helper context reads everything and records nothing', t => {
	const form = procedure.step({id: 'connections', title: 'Connections', explain: '', kind: 'form', rerun: 'safe', parameters: ['table', 'password']});
	// @ts-expect-error a form asks only for declared parameters
	const misspelt = procedure.step({id: 'connections', title: 'Connections', explain: '', kind: 'form', rerun: 'safe', parameters: ['tabel']});
	const helper = (context: ProcedureContext<Types>) => {
		// @ts-expect-error a helper shared by steps records nothing
		context.output('instanceId', 1);
		return context.answers.table;
	};

	t.deepEqual(form.parameters, ['table', 'password']);
	t.deepEqual(misspelt.parameters, ['tabel']);
	t.is(typeof helper, 'function');
});

test('confirm and createClients get the typed answers without answers emptied on purpose', async t => {
	const step = procedure.step({id: 'load', title: 'Load', explain: '', kind: 'task', rerun: 'safe', confirm: answers => ({expected: answers.table, message: answers.topic ?? 'no topic'})});
	t.deepEqual(step.confirm!({table: 'orders', topic: null}, {outputs: {}, mode: 'headless'}), {expected: 'orders', message: 'no topic'});
	const create = procedure.createClients(async ({answers, secrets}) => ({name: `${answers.table}:${secrets.get('password') ?? ''}`}));
	const clients = await create({profile: 'local', answers: {table: 'orders'}, secrets: {get: () => 'pw', set() {}}, log: undefined as never, signal: new AbortController().signal});
	t.deepEqual(clients, {name: 'orders:pw'});
});
