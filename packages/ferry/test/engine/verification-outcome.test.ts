import test from 'ava';
import {InterruptedError, ServiceError, StepError} from '../../source/engine/errors.js';
import {runSession, type RunnerUi} from '../../source/engine/runner.js';
import {createSession, displayState, verificationOf} from '../../source/engine/session.js';
import {defineWizard, type Wizard} from '../../source/engine/wizard.js';
import {createMemoryLogger} from '../../source/log/logger.js';
import {loadSession, saveSession} from '../../source/store/session-store.js';
import type {QueryOutcome} from '../../source/verify/compare.js';
import type {QueryPair} from '../../source/verify/query-pair.js';
import {runVerification} from '../../source/verify/run.js';
import {useFerryHome} from '../helpers/ferry-home.js';

type Side = (pair: QueryPair, signal: AbortSignal) => Promise<QueryOutcome>;

const pairs: QueryPair[] = ['a', 'b', 'c', 'd'].map(id => ({id, title: `Rows in ${id}`, source: `select count(*) from ${id}`, target: `select count(*) from ${id}`, keyColumns: [], kind: 'row-count'}));
const count = (value: number): QueryOutcome => ({columns: [{name: 'row_count'}], rows: [[value]]});

function verifyingWizard(target: Side, onStart?: () => void): Wizard<unknown> {
	return defineWizard<unknown>({
		id: 'verifying',
		title: 'Verifying',
		description: 'One verify step over four checks',
		version: 1,
		parameters: [],
		async createClients() {
			return {};
		},
		steps: [{
			id: 'verify',
			title: 'Verify',
			explain: 'Compare.',
			kind: 'verify',
			rerun: 'safe',
			async run(context) {
				onStart?.();
				context.verified(await runVerification({pairs, source: async () => count(10), target, sessionId: context.sessionId, signal: context.signal}));
			},
		}],
	});
}

const ui: RunnerUi = {
	stepStarted() {},
	stepSkipped() {},
	stepFinished() {},
	askParameters: async () => ({}),
	review: async () => true,
	confirm: async () => true,
	confirmRerun: async () => true,
	rendering: () => ({renderer: 'silent'}),
};

async function run(wizard: Wizard<unknown>, signal = new AbortController().signal) {
	const session = createSession({wizard: wizard.id, wizardVersion: 1, profile: 'local', stepIds: ['verify'], answers: {}});
	const result = runSession({wizard, session, ui, secrets: {get: () => undefined, set() {}}, log: createMemoryLogger(), signal});
	return {session, result};
}

/** A target that answers two checks, then waits until the run is aborted (the way a query in flight sees Ctrl-C). */
function stallingTarget(): {side: Side; answered: Promise<void>} {
	let answers = 0;
	let release!: () => void;
	const answered = new Promise<void>(resolve => {
		release = resolve;
	});
	return {
		answered,
		async side(pair, signal) {
			if (pair.id === 'a' || pair.id === 'b') {
				if (++answers === 2) {
					release();
				}

				return count(10);
			}

			await new Promise((_resolve, reject) => {
				signal.addEventListener('abort', () => reject(new InterruptedError('Interrupted: the session is saved')), {once: true});
			});
			throw new Error('unreachable');
		},
	};
}

test.serial('checks interrupted in flight: the step and the session are interrupted (130), never different, and the report says which did not run', async t => {
	useFerryHome(t);
	const controller = new AbortController();
	const target = stallingTarget();
	const {session, result} = await run(verifyingWizard(target.side), controller.signal);
	await target.answered;
	controller.abort();
	const error = await t.throwsAsync(result, {instanceOf: InterruptedError});
	t.is(error?.exitCode, 130);
	t.regex(error!.message, /2 of 4 checks not compared/);
	const saved = loadSession(session.id);
	t.is(saved.state, 'interrupted');
	t.is(saved.steps['verify']!.state, 'interrupted');
	t.not(saved.exitCode, 5);
	const {outcome, report} = verificationOf(saved.steps['verify']);
	t.is(outcome, 'not-compared');
	t.like((report as {summary: object}).summary, {equalQueries: 2, differingQueries: 0, notComparedQueries: 2});
	t.is(displayState(saved), 'interrupted');
});

test.serial('a check whose query failed: the step fails (exit 1), the session is failed and resumable, not different', async t => {
	useFerryHome(t);
	const {session, result} = await run(verifyingWizard(async pair => {
		if (pair.id === 'c') {
			throw new ServiceError('MaxCompute', 'ODPS-0010000: System internal error', {status: 500});
		}

		return count(10);
	}));
	const error = await t.throwsAsync(result, {instanceOf: StepError});
	t.is(error?.exitCode, 1);
	t.regex(error!.message, /^The verification is incomplete: 1 of 4 checks not compared \(the query failed\)/);
	t.regex(error!.hint ?? '', new RegExp(`ferry resume ${session.id}`));
	const saved = loadSession(session.id);
	t.is(saved.state, 'failed');
	t.is(saved.steps['verify']!.state, 'failed');
});

test.serial('a difference found next to a failed check is still a difference (exit 5)', async t => {
	useFerryHome(t);
	const {session, result} = await run(verifyingWizard(async pair => {
		if (pair.id === 'c') {
			throw new Error('socket hang up');
		}

		return count(pair.id === 'd' ? 11 : 10);
	}));
	t.is((await result).exitCode, 5);
	t.is(loadSession(session.id).state, 'different');
});

test.serial('a session an older ferry saved as "different" over interrupted checks is listed as interrupted', async t => {
	useFerryHome(t);
	const session = createSession({wizard: 'verifying', wizardVersion: 1, profile: 'local', stepIds: ['verify'], answers: {}});
	session.state = 'different';
	session.steps['verify'] = {state: 'done', attempts: 1, checkpoints: {}, outputs: {equal: false, report: {equal: false, comparisons: [{errors: [{side: 'target', message: 'Interrupted: the session is saved'}], rows: [], missingRows: [], extraRows: [], missingColumns: [], extraColumns: [], duplicateKeys: [], equal: false}]}}};
	saveSession(session);
	t.is(displayState(loadSession(session.id)), 'interrupted');
	t.is(verificationOf(session.steps['verify']).outcome, 'not-compared');
});
