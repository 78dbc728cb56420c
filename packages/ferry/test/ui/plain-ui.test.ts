import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import test from 'ava';
import {Listr} from 'listr2';
import {UsageError} from '../../source/engine/errors.js';
import {createPlainUi} from '../../source/ui/plain-ui.js';

function capture() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString();
	});
	return {stream, text: () => text};
}

const step = {id: 'target', title: 'Target project', explain: '', kind: 'form' as const, rerun: 'safe' as const};
const secrets = {get: () => undefined, set() {}};
const context = {answers: {}, outputs: {}, profile: 'local'};

test('a missing answer is a UsageError naming the --set flag', async t => {
	const ui = createPlainUi({yes: true, stderr: capture().stream});
	const error = await t.throwsAsync(ui.askParameters(step, [{key: 'targetProject', label: 'Target project', help: 'The MaxCompute project.', type: 'string', example: 'ferry_dw'}], context, secrets), {instanceOf: UsageError});
	t.regex(error.message, /targetProject/);
	t.regex(error.hint ?? '', /--set targetProject=ferry_dw/);
	t.is(error.exitCode, 2);
});

test('given answers and defaults resolve without a prompt', async t => {
	const ui = createPlainUi({yes: false, stderr: capture().stream});
	const answers = await ui.askParameters(step, [
		{key: 'targetProject', label: 'Target project', help: '', type: 'string'},
		{key: 'workers', label: 'Workers', help: '', type: 'number', default: 4},
	], {...context, answers: {targetProject: 'ferry_dw'}}, secrets);
	t.like(answers, {targetProject: 'ferry_dw', workers: 4});
});

test('review prints the plan to stderr and needs --yes', async t => {
	const stderr = capture();
	const document = {title: 'Plan', sections: [{title: 'Load', code: 'LOAD OVERWRITE TABLE lineitem', warnings: ['lineitem will be overwritten']}]};
	const refusing = createPlainUi({yes: false, stderr: stderr.stream});
	await t.throwsAsync(refusing.review(step, document), {instanceOf: UsageError, message: /pass --yes to accept the plan/});
	t.regex(stderr.text(), /LOAD OVERWRITE TABLE lineitem/);
	t.regex(stderr.text(), /lineitem will be overwritten/);
	t.true(await createPlainUi({yes: true, stderr: capture().stream}).review(step, document));
});

test('confirmations and reruns are accepted only with --yes', async t => {
	const refusing = createPlainUi({yes: false, stderr: capture().stream});
	await t.throwsAsync(refusing.confirm(step, {expected: 'lineitem', message: 'LOAD OVERWRITE replaces lineitem'}), {instanceOf: UsageError, message: /replaces lineitem/});
	await t.throwsAsync(refusing.confirmRerun({...step, rerun: 'duplicates'}, {state: 'failed', attempts: 1, outputs: {}, checkpoints: {}}), {instanceOf: UsageError, message: /duplicate data/});
	const accepting = createPlainUi({yes: true, stderr: capture().stream});
	t.true(await accepting.confirm(step, {expected: 'lineitem', message: 'LOAD OVERWRITE replaces lineitem'}));
	t.true(await accepting.confirmRerun({...step, rerun: 'duplicates'}, {state: 'failed', attempts: 1, outputs: {}, checkpoints: {}}));
});

test('progress goes through the simple renderer on stderr, step headers too; quiet is silent', async t => {
	const stderr = capture();
	const ui = createPlainUi({yes: true, stderr: stderr.stream});
	ui.stepStarted({...step, title: 'Unload to S3'}, 5, 10);
	await new Listr([{title: 'Unload lineitem', task: async (_context, task) => {
		task.output = '40.0 MiB / 40.0 MiB · 100%';
	}}], {...(ui.rendering() as object), registerSignalListeners: false} as never).run();
	t.regex(stderr.text(), /Step 5\/10 · Unload to S3/);
	t.regex(stderr.text(), /Unload lineitem/);
	t.regex(stderr.text(), /40\.0 MiB/);

	const quiet = capture();
	const silent = createPlainUi({yes: true, quiet: true, stderr: quiet.stream});
	silent.stepStarted(step, 1, 2);
	await new Listr([{title: 'Count', task: async () => undefined}], {...(silent.rendering() as object), registerSignalListeners: false} as never).run();
	t.is(quiet.text(), '');
});

/** The modules plain-ui loads at run time: value imports only, followed through relative files. */
function runtimeImports(entry: string): Set<string> {
	const seen = new Set<string>();
	const bare = new Set<string>();
	const visit = (file: string) => {
		if (seen.has(file)) {
			return;
		}

		seen.add(file);
		const source = readFileSync(file, 'utf8');
		for (const match of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
			const [, typeOnly, specifier = ''] = match;
			if (typeOnly) {
				continue;
			}

			if (specifier.startsWith('.')) {
				const base = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '');
				visit(existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.tsx`);
			} else {
				bare.add(specifier);
			}
		}
	};

	visit(entry);
	return bare;
}

test('plain-ui does not load Ink or React', t => {
	const packages = [...runtimeImports(path.resolve('source/ui/plain-ui.ts'))];
	t.true(packages.includes('listr2'), 'the walk follows the real imports');
	t.deepEqual(packages.filter(name => /^(ink|react)(-|$|\/)/.test(name)), []);
});
