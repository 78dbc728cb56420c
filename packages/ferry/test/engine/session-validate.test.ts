import process from 'node:process';
import test from 'ava';
import {createSession, displayState, validateSession} from '../../source/engine/session.js';

const valid = () => createSession({wizard: 'redshift-to-maxcompute', wizardVersion: 1, profile: 'local', stepIds: ['a', 'b'], answers: {x: 1}});

test('a new session records its owner pid from the start, so a kill before the first step shows as killed', t => {
	const session = valid();
	t.is(session.pid, process.pid);
	const orphan = {...valid(), pid: 2 ** 22 + 12_345};
	t.is(displayState(orphan), 'killed');
});

test('validateSession accepts what createSession makes and names what is wrong otherwise', t => {
	const session = valid();
	t.is(validateSession(JSON.parse(JSON.stringify(session)), session.id), undefined);
	const cases: Array<[unknown, string]> = [
		[{}, '`id` is missing or not a string'],
		[[], 'the file does not hold a JSON object'],
		[null, 'the file does not hold a JSON object'],
		['text', 'the file does not hold a JSON object'],
		[{...session, id: 'other'}, `it names session "other", not the ${session.id} its folder is named after`],
		[{...session, wizardVersion: '1'}, '`wizardVersion` is missing or not a number'],
		[{...session, state: 'exploded'}, '`state` is not one of running, failed, interrupted, done, different ("exploded")'],
		[{...session, answers: []}, '`answers` is missing or not an object'],
		[{...session, steps: undefined}, '`steps` is missing or not an object'],
		[{...session, steps: {a: null}}, 'step a is not an object'],
		[{...session, steps: {a: {state: 'done', attempts: -1, outputs: {}, checkpoints: {}}}}, 'step a has no valid attempts count'],
		[{...session, steps: {a: {state: 'done', attempts: 1, outputs: {}}}}, 'step a has no checkpoints object'],
		[{...session, pid: 'me'}, '`pid` is not a process id'],
	];
	for (const [value, reason] of cases) {
		t.is(validateSession(value, session.id), reason, JSON.stringify(value)?.slice(0, 80));
	}
});
