import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {collectAnswers, readAnswersFile, secretEnvName} from '../../source/cli/answers.js';
import {UsageError} from '../../source/engine/errors.js';
import type {Parameter} from '../../source/engine/wizard.js';

const parameters: Parameter[] = [
	{key: 'tables', label: 'Tables', help: 'Tables to move.', type: 'list'},
	{key: 'unloadBucket', label: 'Bucket', help: 'S3 bucket.', type: 'string'},
	{key: 'parallel', label: 'Parallel', help: 'Parallel copies.', type: 'number'},
	{key: 'unloadSecretAccessKey', label: 'Secret access key', help: 'For UNLOAD.', type: 'secret'},
];

function answersFile(t: ExecutionContext, name: string, content: string): string {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-answers-'));
	t.teardown(() => rmSync(directory, {recursive: true, force: true}));
	const file = path.join(directory, name);
	writeFileSync(file, content);
	return file;
}

test('reads a JSON answers file', async t => {
	const file = answersFile(t, 'answers.json', JSON.stringify({tables: ['orders'], parallel: 4}));
	t.deepEqual(await readAnswersFile(file), {tables: ['orders'], parallel: 4});
});

test('reads a YAML answers file, whatever the extension', async t => {
	const yaml = 'tables: orders,lineitem\nparallel: 8\nunloadBucket: "my-bucket"\n';
	t.deepEqual(await readAnswersFile(answersFile(t, 'answers.yaml', yaml)), {tables: 'orders,lineitem', parallel: 8, unloadBucket: 'my-bucket'});
	t.deepEqual(await readAnswersFile(answersFile(t, 'answers.yml', yaml)), {tables: 'orders,lineitem', parallel: 8, unloadBucket: 'my-bucket'});
	t.deepEqual(await readAnswersFile(answersFile(t, 'answers', 'tables:\n  - orders\n  - nation\n')), {tables: ['orders', 'nation']});
});

test('an empty answers file means no answers', async t => {
	t.deepEqual(await readAnswersFile(answersFile(t, 'answers.yaml', '')), {});
	t.deepEqual(await readAnswersFile(answersFile(t, 'answers.yaml', '# only a comment\n')), {});
});

test('a malformed file is a usage error with a one-line cause naming the file', async t => {
	const json = await t.throwsAsync(readAnswersFile(answersFile(t, 'bad.json', '{"tables": [orders]')), {instanceOf: UsageError});
	t.is(json?.exitCode, 2);
	t.regex(json?.message ?? '', /^The answers file bad\.json is not valid JSON: /);
	t.false(json?.message.includes('\n'));
	const yaml = await t.throwsAsync(readAnswersFile(answersFile(t, 'bad.yaml', 'tables: [orders\nparallel: 4\n')), {instanceOf: UsageError});
	t.regex(yaml?.message ?? '', /^The answers file bad\.yaml is not valid YAML: \S/);
	t.false(yaml?.message.includes('\n'), 'the YAML parser\'s multi-line excerpt is cut to its first line');
});

test('a file that is not a map is refused', async t => {
	for (const [name, content] of [['list.yaml', '- orders\n- lineitem\n'], ['scalar.yaml', 'orders\n'], ['array.json', '[1,2]'], ['number.json', '42']] as const) {
		const error = await t.throwsAsync(readAnswersFile(answersFile(t, name, content)), {instanceOf: UsageError}, name);
		t.true(error?.message.includes('must be a map'), name);
	}
});

test('a missing file is a usage error that names it', async t => {
	const error = await t.throwsAsync(readAnswersFile('/nonexistent/ferry/answers.yaml'), {instanceOf: UsageError});
	t.true(error?.message.includes('/nonexistent/ferry/answers.yaml'));
	t.true(error?.message.includes('ENOENT'));
});

test('--set answers override the file; secrets from the file go to secrets, not answers', async t => {
	const file = answersFile(t, 'answers.yaml', 'tables: orders\nparallel: 2\nunloadSecretAccessKey: from-the-file-1234\n');
	const {answers, secrets} = await collectAnswers({parameters, answersFile: file, set: ['parallel=6', 'unloadBucket=b=1'], env: {}});
	t.deepEqual(answers, {tables: 'orders', parallel: '6', unloadBucket: 'b=1'});
	t.deepEqual(secrets, {unloadSecretAccessKey: 'from-the-file-1234'});
});

test('an unknown key is refused with the closest known key and the list of them', async t => {
	const error = await t.throwsAsync(collectAnswers({parameters, set: ['tabels=orders'], env: {}}), {instanceOf: UsageError});
	t.is(error?.message, 'Unknown answer "tabels"');
	t.is(error?.hint, 'Did you mean tables? Known answers: tables, unloadBucket, parallel, unloadSecretAccessKey');
	const far = await t.throwsAsync(collectAnswers({parameters, set: ['frobnicate=1'], env: {}}), {instanceOf: UsageError});
	t.is(far?.hint, 'Known answers: tables, unloadBucket, parallel, unloadSecretAccessKey');
	const fromFile = answersFile(t, 'answers.json', '{"bucket": "x"}');
	await t.throwsAsync(collectAnswers({parameters, answersFile: fromFile, set: [], env: {}}), {instanceOf: UsageError, message: 'Unknown answer "bucket"'});
});

test('a secret passed with --set is refused without echoing its value', async t => {
	const error = await t.throwsAsync(collectAnswers({parameters, set: ['unloadSecretAccessKey=leaked-value-9876'], env: {}}), {instanceOf: UsageError});
	t.true(error?.message.includes('unloadSecretAccessKey'));
	t.true(error?.hint?.includes('FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY'));
	t.false(`${error?.message} ${error?.hint}`.includes('leaked-value-9876'));
});

test('a secret is picked up from its FERRY_SECRET_ variable, which wins over the file (environment > answers file)', async t => {
	t.is(secretEnvName('unloadSecretAccessKey'), 'FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY');
	const env = {FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY: 'from-env-5678', FERRY_SECRET_TABLES: 'not a secret parameter'};
	const fromEnv = await collectAnswers({parameters, set: [], env});
	t.deepEqual(fromEnv, {answers: {}, secrets: {unloadSecretAccessKey: 'from-env-5678'}, notices: []});
	const file = answersFile(t, 'answers.json', '{"unloadSecretAccessKey": "from-file-4321"}');
	const both = await collectAnswers({parameters, answersFile: file, set: [], env});
	t.deepEqual(both.secrets, {unloadSecretAccessKey: 'from-env-5678'});
	const fileOnly = await collectAnswers({parameters, answersFile: file, set: [], env: {}});
	t.deepEqual(fileOnly.secrets, {unloadSecretAccessKey: 'from-file-4321'});
});

test('a malformed --set is a usage error', async t => {
	await t.throwsAsync(collectAnswers({parameters, set: ['tables'], env: {}}), {instanceOf: UsageError, message: '--set needs key=value, got "tables"'});
	await t.throwsAsync(collectAnswers({parameters, set: ['=orders'], env: {}}), {instanceOf: UsageError});
});

test('a key left blank in the answers file counts as not answered', async t => {
	const file = answersFile(t, 'answers.yaml', 'unloadBucket:\ntables: orders\nunloadSecretAccessKey:\n');
	const {answers, secrets} = await collectAnswers({parameters, answersFile: file, set: [], env: {FERRY_SECRET_UNLOAD_SECRET_ACCESS_KEY: 'from-env-blank-file'}});
	t.deepEqual(answers, {tables: 'orders'}, 'not the string "null"');
	t.deepEqual(secrets, {unloadSecretAccessKey: 'from-env-blank-file'}, 'a blank secret does not hide the env var');
});
