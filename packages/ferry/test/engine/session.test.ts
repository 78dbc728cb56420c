import test from 'ava';
import {createSession, displayState, lastStep, newSessionId} from '../../source/engine/session.js';

test('session ids carry the wizard initials, a UTC timestamp and a random tail', t => {
	const id = newSessionId('redshift-to-maxcompute', new Date('2026-11-21T09:35:07.123Z'));
	t.regex(id, /^rtm-20261121-093507-[\da-f]{4}$/);
	const sameSecond = new Set(Array.from({length: 5}, () => newSessionId('a-b', new Date(0))));
	t.true(sameSecond.size > 1, 'ids made in the same second differ');
});

test('a new session has every step pending, and no secrets', t => {
	const now = new Date('2026-11-21T09:35:07.000Z');
	const session = createSession({wizard: 'datahub-to-maxcompute', wizardVersion: 2, profile: 'prod', stepIds: ['a', 'b'], answers: {x: 1}, now});
	t.like(session, {wizard: 'datahub-to-maxcompute', wizardVersion: 2, profile: 'prod', state: 'running', createdAt: now.toISOString(), updatedAt: now.toISOString(), answers: {x: 1}});
	t.deepEqual(session.steps, {a: {state: 'pending', attempts: 0, outputs: {}, checkpoints: {}}, b: {state: 'pending', attempts: 0, outputs: {}, checkpoints: {}}});
	t.is(session.steps['a']!.checkpoints === session.steps['b']!.checkpoints, false, 'records are not shared');
});

test('lastStep prefers the current step, else the last one started', t => {
	const session = createSession({wizard: 'w', wizardVersion: 1, profile: 'local', stepIds: ['a', 'b', 'c'], answers: {}});
	t.is(lastStep(session), undefined);
	session.steps['a']!.state = 'done';
	session.steps['b']!.state = 'failed';
	t.is(lastStep(session), 'b');
	session.currentStep = 'c';
	t.is(lastStep(session), 'c');
});

test('displayState calls a running session whose process is gone "killed", and leaves live or finished ones alone', t => {
	const session = createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['a'], answers: {}});
	t.is(displayState(session), 'running');
	session.pid = process.pid;
	t.is(displayState(session), 'running');
	session.pid = 2 ** 22 + 12_345;
	t.is(displayState(session), 'killed');
	session.state = 'done';
	t.is(displayState(session), 'done');
});
