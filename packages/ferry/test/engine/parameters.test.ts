import test from 'ava';
import {PreflightError, StepError, UsageError} from '../../source/engine/errors.js';
import {AnswerError, checkAnswer, defaultFor, hintForSavedSession, isEmptyAnswer, parseAnswer, resolveParameters, setFlagExample, validateAnswers} from '../../source/engine/parameters.js';
import type {Parameter, ParameterContext} from '../../source/engine/wizard.js';

function parameter(key: string, type: Parameter['type'], extra: Partial<Parameter> = {}): Parameter {
	return {key, label: key.replace(/^./, letter => letter.toUpperCase()), help: `Help for ${key}.`, type, ...extra};
}

const context = (answers: Record<string, unknown> = {}): ParameterContext => ({answers, outputs: {}, profile: 'local'});
const noSecrets = () => false;

test('numbers parse from strings and numbers; anything else is a usage error', t => {
	const port = parameter('port', 'number');
	t.is(parseAnswer(port, '5439'), 5439);
	t.is(parseAnswer(port, ' 2.5 '), 2.5);
	t.is(parseAnswer(port, 7), 7);
	for (const bad of ['abc', '12abc', 'NaN', 'Infinity', '   ', '']) {
		const error = t.throws(() => parseAnswer(port, bad), {instanceOf: UsageError}, JSON.stringify(bad));
		t.is(error?.exitCode, 2);
		t.true(error?.message.startsWith('port must be a number'));
	}
});

test('booleans accept the usual spellings; anything else is a usage error', t => {
	const flag = parameter('dropFirst', 'boolean');
	for (const yes of [true, 'true', 'YES', 'y', '1', 'on', ' True ']) {
		t.true(parseAnswer(flag, yes) as boolean, String(yes));
	}

	for (const no of [false, 'false', 'No', 'n', '0', 'off']) {
		t.false(parseAnswer(flag, no) as boolean, String(no));
	}

	for (const bad of ['maybe', '2', '']) {
		t.throws(() => parseAnswer(flag, bad), {instanceOf: UsageError, message: /^dropFirst must be true or false/});
	}
});

test('lists split on commas and trim, and accept arrays', t => {
	const tables = parameter('tables', 'list');
	t.deepEqual(parseAnswer(tables, 'a, b,c'), ['a', 'b', 'c']);
	t.deepEqual(parseAnswer(tables, ' a ,, b , '), ['a', 'b']);
	t.deepEqual(parseAnswer(tables, ['x ', ' y']), ['x', 'y']);
	t.deepEqual(parseAnswer(tables, ''), []);
});

test('strings, selects and secrets are trimmed text', t => {
	t.is(parseAnswer(parameter('bucket', 'string'), '  my-bucket '), 'my-bucket');
	t.is(parseAnswer(parameter('region', 'select'), 'ap-southeast-1'), 'ap-southeast-1');
	t.is(parseAnswer(parameter('bucket', 'string'), 42), '42');
});

test('defaults may be values or functions of the context', t => {
	t.is(defaultFor(parameter('a', 'string', {default: 'x'}), context()), 'x');
	t.is(defaultFor(parameter('a', 'string'), context()), undefined);
	const derived = parameter('prefix', 'string', {default: (c: ParameterContext) => `${String(c.answers['bucket'])}/unload/`});
	t.is(defaultFor(derived, context({bucket: 'b1'})), 'b1/unload/');
});

test('isEmptyAnswer treats undefined, empty strings and empty lists as empty', t => {
	t.true(isEmptyAnswer(undefined));
	t.true(isEmptyAnswer(''));
	t.true(isEmptyAnswer([]));
	t.false(isEmptyAnswer(0));
	t.false(isEmptyAnswer(false));
	t.false(isEmptyAnswer(['a']));
});

test('setFlagExample uses the example or a placeholder for the type', t => {
	t.is(setFlagExample(parameter('tables', 'list')), '--set tables=<a,b>');
	t.is(setFlagExample(parameter('port', 'number')), '--set port=<number>');
	t.is(setFlagExample(parameter('bucket', 'string', {example: 'my-bucket'})), '--set bucket=my-bucket');
});

test('resolveParameters applies defaults, parses given answers and keeps other answers', t => {
	const parameters = [
		parameter('bucket', 'string'),
		parameter('prefix', 'string', {default: (c: ParameterContext) => `${String(c.answers['bucket'])}/p/`}),
		parameter('parallel', 'number', {default: 4}),
		parameter('tables', 'list'),
	];
	const answers = resolveParameters(parameters, context({bucket: 'b1', tables: 'a, b,c', unrelated: 'kept'}), noSecrets);
	t.deepEqual(answers, {bucket: 'b1', prefix: 'b1/p/', parallel: 4, tables: ['a', 'b', 'c'], unrelated: 'kept'});
});

test('resolveParameters: a missing answer names the key and the --set flag', t => {
	const parameters = [parameter('tables', 'list', {example: 'orders,lineitem'})];
	const error = t.throws(() => resolveParameters(parameters, context(), noSecrets), {instanceOf: UsageError});
	t.is(error?.exitCode, 2);
	t.true(error?.message.includes('tables'));
	t.true(error?.hint?.includes('--set tables=orders,lineitem'));
	t.true(error?.hint?.includes('Help for tables.'));
});

test('resolveParameters: an optional parameter may stay empty and is not added', t => {
	const answers = resolveParameters([parameter('note', 'string', {optional: true})], context(), noSecrets);
	t.false('note' in answers);
});

test('resolveParameters: `when` skips parameters, seeing answers resolved before them', t => {
	const parameters = [
		parameter('useRole', 'boolean', {default: false}),
		parameter('roleArn', 'string', {when: answers => answers['useRole'] === true}),
	];
	t.deepEqual(resolveParameters(parameters, context(), noSecrets), {useRole: false}, 'roleArn is not required when skipped');
	t.throws(() => resolveParameters(parameters, context({useRole: 'yes'}), noSecrets), {instanceOf: UsageError, message: /roleArn/});
	t.deepEqual(resolveParameters(parameters, context({useRole: 'yes', roleArn: 'arn:aws:iam::1:role/r'}), noSecrets), {useRole: true, roleArn: 'arn:aws:iam::1:role/r'});
});

test('resolveParameters: a missing secret points to the answers file and the env var, not to --set', t => {
	const parameters = [parameter('unloadSecretAccessKey', 'secret', {label: 'Secret access key for UNLOAD'})];
	const error = t.throws(() => resolveParameters(parameters, context(), noSecrets), {instanceOf: UsageError});
	t.true(error?.message.includes('unloadSecretAccessKey'));
	t.true(error?.hint?.includes('answers file'));
	t.true(error?.hint?.includes('FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY'));
	t.notRegex(error?.hint ?? '', /--set\s+\S+=/, 'never suggests passing a secret with --set');
	t.deepEqual(resolveParameters(parameters, context(), key => key === 'unloadSecretAccessKey'), {});
	t.deepEqual(resolveParameters([{...parameters[0]!, optional: true}], context(), noSecrets), {});
});

test('resolveParameters: secrets never land in the answers', t => {
	const parameters = [parameter('password', 'secret')];
	const answers = resolveParameters(parameters, context(), () => true);
	t.false('password' in answers);
});

test('choices are enforced for selects and lists', t => {
	const choices = () => [{value: 'orders', label: 'orders'}, {value: 'lineitem', label: 'lineitem'}];
	const tables = parameter('tables', 'list', {choices});
	const region = parameter('region', 'select', {choices: () => [{value: 'cn-hangzhou', label: 'Hangzhou'}]});
	t.deepEqual(resolveParameters([tables], context({tables: 'orders,lineitem'}), noSecrets), {tables: ['orders', 'lineitem']});
	const error = t.throws(() => resolveParameters([tables], context({tables: 'orders, nation, part'}), noSecrets), {instanceOf: UsageError});
	t.true(error?.message.includes('nation, part'));
	t.true(error?.message.includes('choose from orders, lineitem'));
	t.true(error?.hint?.includes('--set tables='));
	t.throws(() => resolveParameters([region], context({region: 'us-east-1'}), noSecrets), {instanceOf: UsageError, message: /Unknown region: us-east-1/});
	t.is(checkAnswer(region, 'cn-hangzhou', context()), undefined);
	const noChoicesYet = parameter('tables', 'list', {choices: () => []});
	t.is(checkAnswer(noChoicesYet, ['anything'], context()), undefined, 'an empty choice list (not discovered yet) accepts any value');
});

test('the validator sees the parsed value and its message becomes the usage error', t => {
	const port = parameter('port', 'number', {validate: value => ((value as number) > 0 && (value as number) < 65_536 ? undefined : 'must be a TCP port')});
	t.deepEqual(resolveParameters([port], context({port: '5439'}), noSecrets), {port: 5439});
	t.throws(() => resolveParameters([port], context({port: '70000'}), noSecrets), {instanceOf: UsageError, message: 'Invalid answer port: must be a TCP port'});
	t.throws(() => resolveParameters([port], context({port: 'x'}), noSecrets), {instanceOf: UsageError, message: /port must be a number/});
});

test('checkAnswer reports a required value that is empty', t => {
	t.is(checkAnswer(parameter('bucket', 'string'), '', context()), 'Bucket is required');
	t.is(checkAnswer(parameter('bucket', 'string', {optional: true}), '', context()), undefined);
});

const bucket = parameter('bucket', 'string', {example: 'my-bucket', validate: value => (/^[a-z0-9-]{3,63}$/.test(String(value)) ? undefined : 'Bucket names have 3–63 lower-case letters')});

test('validateAnswers refuses a given answer its validator refuses, naming the key', t => {
	const error = t.throws(() => validateAnswers([bucket], context({bucket: 'BAD_'})), {instanceOf: AnswerError});
	t.is(error?.key, 'bucket');
	t.is(error?.exitCode, 2);
	t.is(error?.message, 'Invalid answer bucket: Bucket names have 3–63 lower-case letters');
	t.is(error?.hint, 'Pass --set bucket=my-bucket.');
	t.notThrows(() => validateAnswers([bucket], context({bucket: 'good-one'})));
});

test('validateAnswers checks defaults (the profile\'s included), parsing and choices, in order', t => {
	const withDefault = parameter('bucket', 'string', {default: (c: ParameterContext) => (c.profile === 'local' ? 'Bad_Default' : undefined), validate: bucket.validate!});
	t.throws(() => validateAnswers([withDefault], context()), {instanceOf: AnswerError, message: /^Invalid answer bucket \(the default of profile local\)/});
	t.notThrows(() => validateAnswers([withDefault], {answers: {}, outputs: {}, profile: 'prod'}), 'no default, no answer: left to the form');
	t.throws(() => validateAnswers([parameter('parallelism', 'number')], context({parallelism: 'four'})), {instanceOf: AnswerError, message: /parallelism must be a number/});
	const access = parameter('access', 'select', {default: 'api', choices: () => [{value: 'api', label: 'API'}, {value: 'direct', label: 'Direct'}]});
	t.throws(() => validateAnswers([access], context({access: 'telnet'})), {instanceOf: AnswerError, message: /Unknown access: telnet/});
	const port = parameter('port', 'number', {when: answers => answers['access'] === 'direct', validate: value => ((value as number) > 0 ? undefined : 'must be positive')});
	t.notThrows(() => validateAnswers([access, port], context({port: '-1'})), 'port is not asked with the default access');
	t.throws(() => validateAnswers([access, port], context({access: 'direct', port: '-1'})), {instanceOf: AnswerError, message: /port: must be positive/});
});

test('validateAnswers leaves missing answers, secrets and not-yet-discovered choices alone', t => {
	const tables = parameter('tables', 'list', {choices: (c: ParameterContext) => ((c.outputs['tables']?.['discovered'] as string[] | undefined) ?? []).map(name => ({value: name, label: name}))});
	t.notThrows(() => validateAnswers([bucket, parameter('password', 'secret'), tables], context({tables: 'whatever'})));
	t.throws(() => validateAnswers([tables], {answers: {tables: 'nosuch'}, outputs: {tables: {discovered: ['orders']}}, profile: 'local'}), {instanceOf: AnswerError, message: /Unknown tables: nosuch/});
});

test('a wrong answer found after the session exists is fixed with `ferry resume ID --set key=…`', t => {
	const tables = parameter('tables', 'list', {example: 'orders,lineitem', choices: () => [{value: 'orders', label: 'orders'}]});
	const found = t.throws(() => resolveParameters([tables], context({tables: 'nosuch'}), noSecrets), {instanceOf: AnswerError});
	const hint = hintForSavedSession(found, found?.hint, [tables], 'rtm-1');
	t.is(hint, 'Change the answer and continue: `ferry resume rtm-1 --set tables=orders,lineitem`. Help for tables.');
	t.false(hint?.includes('Pass --set'), 'no --set without the resume command');
});

test('a step\'s hint that names --set KEY gets the resume command for that key; other hints stay', t => {
	const schema = parameter('sourceSchema', 'string', {example: 'public'});
	const parameters = [bucket, schema];
	const missing = new StepError('Schema nosuch has no tables', {code: 'NoSuchSchema', hint: 'Check --set sourceSchema and the database.'});
	t.is(hintForSavedSession(missing, missing.hint, parameters, 'rtm-2'), 'Check --set sourceSchema and the database. Change the answer and continue: `ferry resume rtm-2 --set sourceSchema=public`.');
	const wrapped = new PreflightError('Preflight failed', {hint: 'Fix the checks above.', causes: [new AnswerError('bucket', 'Invalid answer bucket: no')]});
	t.regex(hintForSavedSession(wrapped, wrapped.hint, parameters, 'rtm-2') ?? '', /ferry resume rtm-2 --set bucket=my-bucket/);
	t.is(hintForSavedSession(new StepError('boom', {hint: 'Try later.'}), 'Try later.', parameters, 'rtm-2'), 'Try later.');
	t.is(hintForSavedSession(new StepError('boom'), undefined, parameters, 'rtm-2'), undefined);
	t.is(hintForSavedSession(missing, 'Use --set unknownKey=1.', parameters, 'rtm-2'), 'Use --set unknownKey=1.', 'only keys of the procedure');
});

test('a wrong secret is fixed through an answers file or its variable, never --set', t => {
	const secret = parameter('unloadSecretAccessKey', 'secret');
	const hint = hintForSavedSession(new AnswerError('unloadSecretAccessKey', 'Missing secret answer unloadSecretAccessKey'), undefined, [secret], 'rtm-3');
	t.regex(hint ?? '', /ferry resume rtm-3 --answers FILE/);
	t.regex(hint ?? '', /FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY/);
	t.notRegex(hint ?? '', /--set/);
});
