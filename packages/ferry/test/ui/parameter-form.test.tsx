import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import type {Answers, Parameter, ParameterContext, SecretStore} from '../../source/engine/wizard.js';
import {ParameterForm} from '../../source/ui/parameter-form.js';
import {parameters as logHubParameters} from '../../wizards/maxcompute-to-loghub/parameters.js';
import {keys, press, waitForFrame} from '../helpers/ink-input.js';

const {enter, escape, down, up, backspace} = keys;

function secretStore(): SecretStore & {values: Map<string, string>} {
	const values = new Map<string, string>();
	return {values, get: key => values.get(key), set(key, value) {
		values.set(key, value);
	}};
}

const context: ParameterContext = {answers: {}, outputs: {}, profile: 'local'};

function formFor(parameters: Parameter[], secrets = secretStore(), formContext = context) {
	let submitted: Answers | undefined;
	const instance = render(<ParameterForm parameters={parameters} context={formContext} secrets={secrets} onSubmit={answers => {
		submitted = answers;
	}} />);
	return {...instance, secrets, submitted: () => submitted};
}

test.serial('Enter accepts the pre-filled default', async t => {
	const form = formFor([{key: 'region', label: 'Region', help: 'Where the bucket lives', type: 'string', default: 'cn-hangzhou'}]);
	await delay(50);
	t.regex(await waitForFrame(form.lastFrame, /Region/), /Region/);
	t.regex(await waitForFrame(form.lastFrame, /Where the bucket lives/), /Where the bucket lives/);
	t.regex(await waitForFrame(form.lastFrame, /cn-hangzhou/), /cn-hangzhou/);
	await press(form.stdin, enter);
	t.deepEqual(form.submitted(), {region: 'cn-hangzhou'});
	form.unmount();
});

test.serial('an invalid value shows the validation message and does not advance', async t => {
	const form = formFor([
		{key: 'workers', label: 'Workers', help: 'Parallel uploads', type: 'number', default: 4, validate: value => ((value as number) > 16 ? 'at most 16 workers' : undefined)},
		{key: 'bucket', label: 'Bucket', help: 'Target bucket', type: 'string'},
	]);
	await delay(50);
	await press(form.stdin, backspace, '40', enter);
	t.regex(await waitForFrame(form.lastFrame, /at most 16 workers/), /at most 16 workers/);
	t.regex(await waitForFrame(form.lastFrame, /Workers/), /Workers/);
	t.notRegex(form.lastFrame() ?? '', /Bucket/);
	await press(form.stdin, backspace, backspace, 'abc', enter);
	t.regex(await waitForFrame(form.lastFrame, /must be a number/), /must be a number/);
	await press(form.stdin, backspace, backspace, backspace, '8', enter);
	t.regex(await waitForFrame(form.lastFrame, /Bucket/), /Bucket/);
	t.notRegex(form.lastFrame() ?? '', /at most 16/);
	// Required and empty: refused with the engine's message.
	await press(form.stdin, enter);
	t.regex(await waitForFrame(form.lastFrame, /Bucket is required/), /Bucket is required/);
	t.is(form.submitted(), undefined);
	await press(form.stdin, 'ferry-stage', enter);
	t.deepEqual(form.submitted(), {workers: 8, bucket: 'ferry-stage'});
	form.unmount();
});

test.serial('a secret is masked in the frame and lands in the SecretStore, not in the answers', async t => {
	const form = formFor([
		{key: 'user', label: 'User', help: '', type: 'string', default: 'admin'},
		{key: 'password', label: 'Password', help: 'The database password', type: 'secret'},
	]);
	await delay(50);
	await press(form.stdin, enter, 'hunter2-secret');
	const frame = form.lastFrame() ?? '';
	t.notRegex(frame, /hunter2/);
	t.regex(frame, /\*{14}/);
	await press(form.stdin, enter);
	t.deepEqual(form.submitted(), {user: 'admin'});
	t.is(form.secrets.values.get('password'), 'hunter2-secret');
	t.false(form.frames.some(rendered => rendered.includes('hunter2')));
	form.unmount();
});

test.serial('list multi-select: space toggles, a selects all or none, hints are shown, Enter confirms in choice order', async t => {
	const form = formFor([{
		key: 'tables',
		label: 'Tables',
		help: 'Tables to migrate',
		type: 'list',
		choices: () => [
			{value: 'lineitem', label: 'lineitem', hint: '6,001,215 rows'},
			{value: 'orders', label: 'orders', hint: '1,500,000 rows'},
			{value: 'nation', label: 'nation', hint: '25 rows'},
		],
		default: ['orders'],
	}]);
	await delay(50);
	t.regex(await waitForFrame(form.lastFrame, /6,001,215 rows/), /6,001,215 rows/);
	t.regex(await waitForFrame(form.lastFrame, /1 of 3 selected/), /1 of 3 selected/);
	await press(form.stdin, 'a');
	t.regex(await waitForFrame(form.lastFrame, /3 of 3 selected/), /3 of 3 selected/);
	await press(form.stdin, 'a');
	t.regex(await waitForFrame(form.lastFrame, /0 of 3 selected/), /0 of 3 selected/);
	await press(form.stdin, enter);
	t.regex(await waitForFrame(form.lastFrame, /Tables is required/), /Tables is required/);
	await press(form.stdin, down, down, ' ', up, up, ' ', enter);
	t.deepEqual(form.submitted(), {tables: ['lineitem', 'nation']});
	form.unmount();
});

test.serial('select and boolean fields; Esc goes back one field and keeps the earlier answer', async t => {
	const form = formFor([
		{key: 'mode', label: 'Mode', help: '', type: 'select', choices: () => [{value: 'overwrite', label: 'overwrite'}, {value: 'append', label: 'append', hint: 'keeps rows'}], default: 'append'},
		{key: 'compress', label: 'Compress', help: '', type: 'boolean', default: true},
	]);
	t.regex(await waitForFrame(form.lastFrame, /keeps rows/), /keeps rows/);
	await delay(50);
	await press(form.stdin, enter);
	t.regex(await waitForFrame(form.lastFrame, /\(Y\/n\)/), /\(Y\/n\)/);
	await press(form.stdin, escape);
	t.regex(await waitForFrame(form.lastFrame, /Mode/), /Mode/);
	await delay(50);
	await press(form.stdin, up, enter, 'n');
	t.deepEqual(form.submitted(), {mode: 'overwrite', compress: false});
	form.unmount();
});

test.serial('keys arriving in one chunk (a paste, tmux send-keys) each see the previous key', async t => {
	const form = formFor([{
		key: 'tables',
		label: 'Tables',
		help: '',
		type: 'list',
		choices: () => ['lineitem', 'orders', 'nation'].map(value => ({value, label: value})),
		default: ['orders'],
	}]);
	await waitForFrame(form.lastFrame, /1 of 3 selected/);
	// Ink splits escape sequences out of a chunk; a run of plain text (" \r") would arrive as one input, so Enter goes alone.
	form.stdin.write(`${down}${down} `);
	await delay(80);
	await press(form.stdin, enter);
	t.deepEqual(form.submitted(), {tables: ['orders', 'nation']});
	form.unmount();
});

test.serial('text pasted with its Enter in one chunk is submitted as typed, without the line break', async t => {
	const form = formFor([{key: 'bucket', label: 'Bucket', help: 'Target bucket', type: 'string'}]);
	await delay(50);
	form.stdin.write('my-bucket\r');
	await delay(100);
	t.deepEqual(form.submitted(), {bucket: 'my-bucket'});
	form.unmount();
});

test.serial('a strftime time format is refused with its SimpleDateFormat equivalent pre-filled, which Enter accepts', async t => {
	const timeFormat = logHubParameters.find(parameter => parameter.key === 'timeFormat')!;
	const form = formFor([timeFormat as Parameter], secretStore(), {...context, answers: {time: 'time_str'}});
	await delay(50);
	t.regex(await waitForFrame(form.lastFrame, /yyyy_MM_dd HH:mm:ss/), /Time format/);
	await press(form.stdin, ...Array.from({length: 19}, () => backspace), '%Y_%m_%d %H:%M:%S', enter);
	const frame = await waitForFrame(form.lastFrame, /Enter accepts it/);
	t.regex(frame, /% directives/);
	t.regex(frame, /yyyy_MM_dd HH:mm:ss/);
	t.is(form.submitted(), undefined);
	await press(form.stdin, enter);
	t.deepEqual(form.submitted(), {timeFormat: 'yyyy_MM_dd HH:mm:ss'});
	form.unmount();
});
