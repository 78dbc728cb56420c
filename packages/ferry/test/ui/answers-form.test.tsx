import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import type {Answers, Parameter, ParameterContext, SecretStore} from '../../source/engine/wizard.js';
import {resolveForm} from '../../source/engine/parameters.js';
import {AnswersForm} from '../../source/ui/answers-form.js';
import {parameters as redshiftParameters} from '../../wizards/redshift-to-maxcompute/parameters.js';
import {keys, press, waitForFrame} from '../helpers/ink-input.js';
import {publishedSettings} from '@ferry/local-cloud/published-settings';

const {enter, escape, down, up, backspace} = keys;

function secretStore(initial: Record<string, string> = {}): SecretStore & {values: Map<string, string>} {
	const values = new Map(Object.entries(initial));
	return {values, get: key => values.get(key), set(key, value) {
		values.set(key, value);
	}};
}

// The settings a local cloud publishes, on the redshift-pg door's usual port.
const local: ParameterContext = {answers: {}, outputs: {}, profile: 'local', settings: publishedSettings({'redshift-pg': 5439})};

function formFor(parameters: readonly Parameter[], options: {context?: ParameterContext; secrets?: ReturnType<typeof secretStore>; height?: number; columns?: number} = {}) {
	let submitted: Answers | undefined;
	const secrets = options.secrets ?? secretStore();
	const instance = render(<AnswersForm parameters={parameters} context={options.context ?? local} secrets={secrets} height={options.height ?? 18} columns={options.columns ?? 80} listRows={8} onSubmit={answers => {
		submitted = answers;
	}} />);
	return {...instance, secrets, submitted: () => submitted, frame: () => instance.lastFrame() ?? ''};
}

const connectionKeys = ['redshiftAccess', 'redshiftCluster', 'redshiftDbUser', 'redshiftWorkgroup', 'redshiftSecretArn', 'redshiftHost', 'redshiftPort', 'redshiftUser', 'redshiftPassword', 'redshiftDatabase', 'sourceSchema', 's3Bucket', 's3Prefix', 'unloadAuth', 'unloadRoleArn', 'unloadAccessKeyId', 'unloadSecretAccessKey', 'unloadSessionToken', 'transferMethod', 'migrationRoleName', 'ossRegion', 'ossBucket', 'ossPrefix', 'maxcomputeProject', 'loadRoleArn', 'parallelism'];
const connections = connectionKeys.map(key => redshiftParameters.find(parameter => parameter.key === key)!);

test('resolveForm: given answers and passing defaults resolve, a failing or absent default is missing, secrets count when stored', t => {
	const parameters: Parameter[] = [
		{key: 'region', label: 'Region', help: '', type: 'string', default: 'cn-hangzhou'},
		{key: 'bucket', label: 'Bucket', help: '', type: 'string'},
		{key: 'workers', label: 'Workers', help: '', type: 'number', default: 40, validate: value => ((value as number) > 16 ? 'at most 16' : undefined)},
		{key: 'note', label: 'Note', help: '', type: 'string', optional: true, default: 'x'},
		{key: 'token', label: 'Token', help: '', type: 'secret'},
		{key: 'later', label: 'Later', help: '', type: 'string', default: 'y', when: answers => answers['region'] === 'eu-central-1'},
	];
	const {rows, answers} = resolveForm(parameters, {answers: {note: null}, outputs: {}, profile: 'real'}, key => key === 'token');
	t.deepEqual(rows.map(row => [row.parameter.key, row.state]), [['region', 'resolved'], ['bucket', 'missing'], ['workers', 'missing'], ['note', 'resolved'], ['token', 'resolved']]);
	t.is(answers['region'], 'cn-hangzhou');
	t.is(rows[3]!.value, undefined, 'null keeps an optional answer empty instead of bringing its default back');
	t.true(rows[4]!.storedSecret);
});

test.serial('on local, every connection answer of redshift-to-maxcompute is on one screen and one Enter accepts them all', async t => {
	const form = formFor(connections, {height: 17});
	const frame = await waitForFrame(form.frame, /Accept these 18 answers/);
	t.regex(frame, /^❯ Accept these 18 answers$/m);
	t.regex(frame, /^ {2}Redshift access {8}Data API, provisioned cluster$/m, 'a choice shows by its label');
	t.regex(frame, /Secrets Manager ARN +—/, 'an optional answer without a default shows as a dash');
	t.regex(frame, /1–13 of 18 · more below/);
	t.regex(frame, /Enter accept all · ↑↓ move · e edit/);
	await press(form.stdin, enter);
	const answers = form.submitted();
	t.is(answers?.['redshiftCluster'], 'ferry-local');
	t.is(answers?.['parallelism'], 4);
	t.is(answers?.['ossRegion'], 'ap-southeast-1');
	t.false('redshiftSecretArn' in (answers ?? {}));
	t.false('redshiftHost' in (answers ?? {}), 'a parameter switched off by `when` is not answered');
	form.unmount();
});

test.serial('the summary fits 60 columns: long values are cut with … and shown whole under the list when highlighted', async t => {
	const form = formFor(connections, {height: 10, columns: 60});
	const frame = await waitForFrame(form.frame, /Accept these/);
	t.true(frame.split('\n').every(line => line.length < 60), `every line fits:\n${frame}`);
	t.is(frame.split('\n').length, 10, 'the screen keeps to its height');
	for (let row = 0; row < 17; row++) {
		await press(form.stdin, down);
	}

	const end = await waitForFrame(form.frame, /RAM role ARN for LOAD/);
	t.regex(end, /acs:ram::.*…/, 'the long ARN is cut in the list');
	t.regex(end, /^acs:ram::\d+:role\/\S+$/m, 'and whole under it');
	t.regex(end, /Enter\/e edit · ↑↓ move · Esc to accept/);
	t.is(form.submitted(), undefined);
	form.unmount();
});

test.serial('e edits one answer in the usual field, Enter takes it back to the summary; Esc leaves it as it was', async t => {
	const form = formFor(connections);
	await waitForFrame(form.frame, /Accept these/);
	// Down to "Database" (the fifth row), then e.
	await press(form.stdin, down, down, down, down, down);
	await waitForFrame(form.frame, /❯ Database/);
	await press(form.stdin, 'e');
	t.regex(await waitForFrame(form.frame, /Change one answer/), /The database holding the tables/);
	await press(form.stdin, backspace, backspace, backspace, 'tpch', enter);
	const back = await waitForFrame(form.frame, /Accept these/);
	t.regex(back, /❯ Database +tpch/, 'the summary shows the new value with the cursor where it was');
	await press(form.stdin, enter);
	t.regex(await waitForFrame(form.frame, /Change one answer/), /Database/, 'Enter on a row edits it too');
	await press(form.stdin, 'x');
	await press(form.stdin, escape);
	t.regex(await waitForFrame(form.frame, /Accept these/), /Database +tpch/, 'Esc dropped the unfinished edit');
	await press(form.stdin, escape, enter);
	t.is(form.submitted()?.['redshiftDatabase'], 'tpch');
	form.unmount();
});

test.serial('on local, a direct connection resolves host, port and user from the settings the local cloud publishes; only the password is asked', async t => {
	const form = formFor(connections);
	await waitForFrame(form.frame, /Accept these 18 answers/);
	await press(form.stdin, down, 'e');
	await waitForFrame(form.frame, /Direct connection/);
	await press(form.stdin, down, down, enter);
	const summary = await waitForFrame(form.frame, /to answer/);
	t.regex(summary, /Accept these 18 answers · 1 to answer/);
	t.regex(summary, /Redshift host +127\.0\.0\.1/);
	t.regex(summary, /Redshift port +5439/);
	t.regex(summary, /Database user +awsuser/);
	t.regex(summary, /Database password +to answer next/);
	form.unmount();
});

test.serial('changing a choice brings its own answers: those without a default are asked field by field after the summary', async t => {
	// A profile that publishes no direct-connection settings (the local cloud's without its PostgreSQL door).
	const form = formFor(connections, {context: {...local, settings: publishedSettings({})}});
	await waitForFrame(form.frame, /Accept these 18 answers/);
	await press(form.stdin, down, 'e');
	await waitForFrame(form.frame, /Direct connection/);
	await press(form.stdin, down, down, enter);
	const summary = await waitForFrame(form.frame, /to answer/);
	t.regex(summary, /Accept these 16 answers · 3 to answer/);
	t.regex(summary, /Redshift access +Direct connection/);
	t.regex(summary, /Redshift port +5439/);
	await press(form.stdin, escape, enter);
	t.regex(await waitForFrame(form.frame, /Redshift host \(1\/3\)/), /Redshift host \(1\/3\)/);
	// Esc on the first asked field goes back to the summary.
	await press(form.stdin, escape);
	await waitForFrame(form.frame, /Accept these 16 answers/);
	await press(form.stdin, enter);
	await waitForFrame(form.frame, /Redshift host \(1\/3\)/);
	await press(form.stdin, 'cluster.example.com', enter);
	await waitForFrame(form.frame, /Database user \(2\/3\)/);
	await press(form.stdin, 'awsuser', enter);
	await waitForFrame(form.frame, /Database password \(3\/3\)/);
	await press(form.stdin, 'hunter2-secret', enter);
	const answers = form.submitted();
	t.is(answers?.['redshiftAccess'], 'direct');
	t.is(answers?.['redshiftHost'], 'cluster.example.com');
	t.is(answers?.['redshiftPort'], 5439);
	t.false('redshiftCluster' in (answers ?? {}));
	t.false('redshiftPassword' in (answers ?? {}), 'the secret stays out of the answers');
	t.is(form.secrets.values.get('redshiftPassword'), 'hunter2-secret');
	t.false(form.frames.some(frame => frame.includes('hunter2')));
	form.unmount();
});

test.serial('a stored secret is masked in the summary', async t => {
	const parameters: Parameter[] = [
		{key: 'user', label: 'User', help: '', type: 'string', default: 'admin'},
		{key: 'password', label: 'Password', help: '', type: 'secret'},
		{key: 'port', label: 'Port', help: '', type: 'number', default: 5439},
	];
	const form = formFor(parameters, {secrets: secretStore({password: 'hunter2-secret'})});
	const frame = await waitForFrame(form.frame, /Accept these 3 answers/);
	t.regex(frame, /Password +\*{6} \(stored\)/);
	t.false(form.frames.some(rendered => rendered.includes('hunter2')));
	await press(form.stdin, enter);
	t.deepEqual(form.submitted(), {user: 'admin', port: 5439});
	form.unmount();
});

test.serial('with fewer than two resolved answers the form is field by field, as before', async t => {
	const form = formFor([
		{key: 'bucket', label: 'Bucket', help: 'Target bucket', type: 'string'},
		{key: 'region', label: 'Region', help: '', type: 'string', default: 'cn-hangzhou'},
	]);
	t.regex(await waitForFrame(form.frame, /Bucket \(1\/2\)/), /Target bucket/);
	t.notRegex(form.frame(), /Accept these/);
	await delay(30);
	await press(form.stdin, 'stage', enter, enter);
	t.deepEqual(form.submitted(), {bucket: 'stage', region: 'cn-hangzhou'});
	form.unmount();
});

test.serial('↑ from a row and Esc both return the cursor to the accept line', async t => {
	const form = formFor(connections);
	await waitForFrame(form.frame, /Accept these/);
	await press(form.stdin, down, down, up, up);
	t.regex(await waitForFrame(form.frame, /Enter accept all/), /^❯ Accept/m);
	await press(form.stdin, down, down, escape);
	t.regex(await waitForFrame(form.frame, /Enter accept all/), /^❯ Accept/m);
	form.unmount();
});
