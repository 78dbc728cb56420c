import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {collectAnswers} from '../../source/cli/answers.js';
import {helpText} from '../../source/cli/help.js';
import {profileFromFlags} from '../../source/commands/run.js';
import {resolveParameters} from '../../source/engine/parameters.js';
import {configLayers, environmentVariables, firstByPrecedence} from '../../source/engine/precedence.js';
import type {Parameter} from '../../source/engine/wizard.js';
import {resolveLogLevel} from '../../source/log/log-level.js';

const parameters: Parameter[] = [
	{key: 'bucket', label: 'Bucket', help: 'The bucket.', type: 'string', default: 'from-default'},
	{key: 'secretKey', label: 'Secret key', help: 'A key.', type: 'secret'},
];

/** The answer `bucket` when the layers from `from` on hold a value: each is named after the layer it stands in. */
async function bucketFrom(layers: ReadonlySet<string>): Promise<unknown> {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-precedence-'));
	try {
		const file = path.join(directory, 'answers.yaml');
		writeFileSync(file, layers.has('answers file') ? 'bucket: from-answers-file\n' : '{}\n');
		const {answers} = await collectAnswers({
			parameters,
			answersFile: file,
			set: layers.has('flags') ? ['bucket=from-flags'] : [],
			env: layers.has('environment') ? {FERRY_ANSWER_BUCKET: 'from-environment'} : {},
		});
		const settings: Record<string, string> = layers.has('profile settings') ? {bucket: 'from-profile-settings'} : {};
		return resolveParameters(parameters.filter(parameter => parameter.type !== 'secret'), {answers, outputs: {}, profile: 'p', settings}, () => true)['bucket'];
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

test('an answer comes from the first layer that has it: flags > environment > answers file > profile settings > defaults', async t => {
	const expected = ['from-flags', 'from-environment', 'from-answers-file', 'from-profile-settings', 'from-default'];
	for (const [index, layer] of configLayers.entries()) {
		// Every layer from this one down holds a value: this one must win.
		const present = new Set(configLayers.slice(index));
		t.is(await bucketFrom(present), expected[index], layer);
	}
});

test('a secret skips --set but keeps the rest of the order: FERRY_SECRET_<KEY> beats the answers file', async t => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-precedence-'));
	t.teardown(() => rmSync(directory, {recursive: true, force: true}));
	const file = path.join(directory, 'answers.json');
	writeFileSync(file, JSON.stringify({secretKey: 'from-file'}));
	t.deepEqual((await collectAnswers({parameters, answersFile: file, set: [], env: {FERRY_SECRET_SECRET_KEY: 'from-env'}})).secrets, {secretKey: 'from-env'});
	t.deepEqual((await collectAnswers({parameters, answersFile: file, set: [], env: {FERRY_SECRET_SECRET_KEY: ''}})).secrets, {secretKey: 'from-file'}, 'an empty variable is not set');
});

test('the profile: --local or --profile, then FERRY_PROFILE, then local; an empty FERRY_PROFILE is not set', t => {
	t.is(profileFromFlags({local: false, profile: 'prod'}, {FERRY_PROFILE: 'staging'}), 'prod');
	t.is(profileFromFlags({local: true, profile: undefined}, {FERRY_PROFILE: 'staging'}), 'local');
	t.is(profileFromFlags({local: false, profile: undefined}, {FERRY_PROFILE: 'staging'}), 'staging');
	t.is(profileFromFlags({local: false, profile: undefined}, {FERRY_PROFILE: ''}), 'local');
	t.is(profileFromFlags({local: false, profile: undefined}, {}), 'local');
});

test('the log level: --quiet, --verbose or --log-level, then FERRY_LOG_LEVEL, then info', t => {
	t.is(resolveLogLevel({logLevel: 'warn'}, {FERRY_LOG_LEVEL: 'debug'}), 'warn');
	t.is(resolveLogLevel({quiet: true}, {FERRY_LOG_LEVEL: 'debug'}), 'error');
	t.is(resolveLogLevel({verbose: true}, {FERRY_LOG_LEVEL: 'error'}), 'debug');
	t.is(resolveLogLevel({}, {FERRY_LOG_LEVEL: 'debug'}), 'debug');
	t.is(resolveLogLevel({}, {FERRY_LOG_LEVEL: ''}), 'info');
	t.is(resolveLogLevel({}, {}), 'info');
	t.throws(() => resolveLogLevel({}, {FERRY_LOG_LEVEL: 'loud'}), {message: 'Invalid FERRY_LOG_LEVEL "loud"'});
});

test('firstByPrecedence computes a layer only when every layer before it had nothing', t => {
	let computed = 0;
	const defaults = () => {
		computed++;
		return 'default';
	};

	t.deepEqual(firstByPrecedence({environment: 'env', defaults}), {value: 'env', layer: 'environment'});
	t.is(computed, 0);
	t.deepEqual(firstByPrecedence({flags: undefined, defaults}), {value: 'default', layer: 'defaults'});
	t.is(computed, 1);
	t.deepEqual(firstByPrecedence({'answers file': null, defaults}), {value: null, layer: 'answers file'}, 'null is a value (a blank key)');
	t.is(firstByPrecedence({}), undefined);
});

const sourceRoot = new URL('../../source/', import.meta.url);

function sourceFiles(directory: string): string[] {
	return readdirSync(directory).flatMap(name => {
		const file = path.join(directory, name);
		return statSync(file).isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(name) ? [file] : [];
	});
}

test('every environment variable ferry reads is listed (and so in `ferry --help` and the README)', t => {
	const listed = [...environmentVariables.layer, ...environmentVariables.other].map(variable => `${variable.name} ${variable.meaning}`).join(' ');
	const read = new Set<string>();
	for (const file of sourceFiles(sourceRoot.pathname)) {
		const text = readFileSync(file, 'utf8');
		for (const match of text.matchAll(/env(?:ironment)?\[['"]([A-Z][A-Z0-9_]+)['"]\]|environmentValue\([^,]+, ['"]([A-Z][A-Z0-9_]+)['"]\)/g)) {
			read.add(match[1] ?? match[2]!);
		}
	}

	// The vendors' own (their credential chains, documented with the profiles), Node's and the terminal's (locale and
	// the terminals that draw Unicode, as every terminal program reads them) are not ferry's to list.
	const theirs = /^(?:AWS_|ALIBABA_CLOUD_|ALICLOUD_|NODE_|FORCE_COLOR$|HOME$|TERM$|TERM_PROGRAM$|WT_SESSION$|TERMINUS_SUBLIME$|LANG$|LC_)/;
	t.true(read.has('FERRY_HOME') && read.has('FERRY_PROFILE'), 'the scan finds reads');
	t.deepEqual([...read].filter(name => !theirs.test(name) && !listed.includes(name)).sort(), []);
	const help = helpText();
	const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8').replaceAll(/\s+/g, ' ');
	t.true(help.includes(configLayers.join(' > ')));
	t.true(readme.includes(configLayers.join(' > ')), 'README states the order');
	for (const variable of [...environmentVariables.layer, ...environmentVariables.other]) {
		t.true(help.includes(variable.name), `help: ${variable.name}`);
		t.true(readme.includes(`\`${variable.name}\``), `README: ${variable.name}`);
	}
});
