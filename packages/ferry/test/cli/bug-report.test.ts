import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {parseCliArgs} from '../../source/cli/cli-args.js';
import {reportError} from '../../source/cli/main.js';
import {executeSession} from '../../source/cli/session-run.js';
import {describeOutcome, errorDocument, isBug, ServiceError, StepError, UsageError} from '../../source/engine/errors.js';
import {createSession} from '../../source/engine/session.js';
import {defineWizard, type Wizard} from '../../source/engine/wizard.js';
import {saveSession, sessionFiles} from '../../source/store/session-store.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';

test('an exception ferry did not expect is a bug; a user\'s mistake, a system error or a service\'s answer is not', t => {
	t.true(isBug(new TypeError('Cannot read properties of undefined (reading \'id\')')));
	t.true(isBug(new Error('plain')));
	t.true(isBug('a thrown string'));
	t.false(isBug(new UsageError('Unknown option --x')));
	t.false(isBug(Object.assign(new Error('ENOENT: no such file'), {code: 'ENOENT'})), 'the system says what it is');
	t.false(isBug(Object.assign(new Error('AccessDenied'), {$metadata: {httpStatusCode: 403}})), 'an AWS SDK error');
	t.false(isBug(new DOMException('The operation was aborted', 'AbortError')));
	t.false(isBug(new StepError('the copy failed', {cause: new TypeError('inner')})), 'a typed error that wraps one');
	t.like(describeOutcome(new TypeError('x is not a function')), {message: 'This is a bug in ferry: TypeError: x is not a function', exitCode: 1});
	t.like(describeOutcome(new UsageError('wrong')), {message: 'wrong', exitCode: 2});
});

test('a --json error has a code: the service\'s own, ferry\'s for its kind, or bug; and the service\'s request id', t => {
	const service = new ServiceError('maxcompute', 'ODPS-0130071: table not found', {code: 'ODPS-0130071', status: 404, requestId: '5F2A-REQ'});
	t.like(errorDocument(new StepError('Loading orders failed', {cause: service})), {code: 'ODPS-0130071', requestId: '5F2A-REQ', service: 'maxcompute', message: 'Loading orders failed'});
	t.deepEqual(errorDocument(new UsageError('bad', {hint: 'fix it'})), {message: 'bad', hint: 'fix it', code: 'usage'});
	t.is(errorDocument(new StepError('failed')).code, 'step-failed');
	t.is(errorDocument(new TypeError('boom')).code, 'bug');
	t.false('requestId' in errorDocument(new StepError('failed')), 'no request id when no service answered');
});

test.serial('a bug outside a run: one line saying so, the crash log (0600, the stack and arguments) named, exit 1; --json says code bug and the log', t => {
	const home = useFerryHome(t);
	const captured = captureIo();
	const bug = new TypeError('Cannot read properties of undefined (reading \'pid\')');
	t.is(reportError(bug, captured.io, true, ['local-cloud', 'status', '--json']), 1);
	const document = JSON.parse(captured.stdout()) as {ok: boolean; exitCode: number; error: {code: string; message: string; hint: string; log: string}};
	t.like(document, {ok: false, exitCode: 1, error: {code: 'bug', message: 'This is a bug in ferry: TypeError: Cannot read properties of undefined (reading \'pid\')'}});
	const logs = readdirSync(path.join(home, 'logs'));
	t.is(logs.length, 1);
	const log = path.join(home, 'logs', logs[0]!);
	t.is(document.error.log, log);
	t.is(document.error.hint, `Its details are in ${log}; please report it with that file and the command you ran.`);
	t.deepEqual(captured.stderr().split('\n'), [`✖ ${document.error.message}`, `  ${document.error.hint}`, '']);
	t.is(statSync(log).mode & 0o777, 0o600);
	const text = readFileSync(log, 'utf8');
	t.true(text.includes('arguments: ["local-cloud","status","--json"]'));
	t.true(text.includes(bug.stack!.split('\n')[1]!.trim()), 'the stack is in the file, not on the screen');
	t.false(captured.stderr().includes('    at '));

	const mistake = captureIo();
	t.is(reportError(new UsageError('Unknown option --x for ferry run', {hint: 'See `ferry run --help`.'}), mistake.io, false), 2);
	t.is(mistake.stderr(), '✖ Unknown option --x for ferry run\n  See `ferry run --help`.\n');
	t.is(readdirSync(path.join(home, 'logs')).length, 1, 'a user\'s mistake writes no crash log');
});

function failingWizard(failure: () => never): Wizard<unknown> {
	return defineWizard<Record<string, never>>({
		id: 'failing',
		title: 'Failing',
		description: 'One step that throws',
		version: 1,
		parameters: [],
		async createClients() {
			return {};
		},
		steps: [{id: 'copy', title: 'Copy', explain: 'Throws.', kind: 'task', rerun: 'safe', async run() {
			failure();
		}}],
	}) as Wizard<unknown>;
}

async function runFailing(failure: () => never) {
	const wizard = failingWizard(failure);
	const session = createSession({wizard: wizard.id, wizardVersion: 1, profile: 'local', stepIds: ['copy'], answers: {}});
	saveSession(session);
	const captured = captureIo();
	const exitCode = await executeSession({wizard, session, secrets: {get: () => undefined, set: () => undefined}, mode: 'plain', flags: parseCliArgs(['resume', '--yes', '--json'], {}).flags, io: captured.io});
	return {exitCode, session, document: JSON.parse(captured.stdout()) as {error: {message: string; hint?: string; code: string; requestId?: string}; steps: Array<{error?: {hint?: string}}>}, stderr: captured.stderr()};
}

test.serial('a bug in a step: exit 1, "this is a bug in ferry" with the session log that holds its stack; code bug', async t => {
	useFerryHome(t);
	const {exitCode, session, document} = await runFailing(() => {
		throw new TypeError('rows.map is not a function');
	});
	t.is(exitCode, 1);
	const log = sessionFiles(session.id).log;
	t.like(document.error, {code: 'bug', message: 'This is a bug in ferry: TypeError: rows.map is not a function', hint: `Its details are in ${log}; please report it with that file and the command you ran.`});
	t.is(document.steps[0]!.error?.hint, document.error.hint, 'the step says the same');
	t.regex(readFileSync(log, 'utf8'), /an unexpected exception \(a bug in ferry\): TypeError: rows\.map is not a function\n\s+at /);
});

test.serial('a service\'s refusal in a step is not a bug: its code and request id reach the --json error', async t => {
	useFerryHome(t);
	const {exitCode, document} = await runFailing(() => {
		throw new StepError('Creating the table failed', {cause: new ServiceError('maxcompute', 'ODPS-0110061: Failed to run ddltask', {code: 'ODPS-0110061', status: 400, requestId: '20261207ABC'})});
	});
	t.is(exitCode, 1);
	t.like(document.error, {code: 'ODPS-0110061', requestId: '20261207ABC', message: 'Creating the table failed'});
	t.false(document.error.message.includes('bug'));
});
