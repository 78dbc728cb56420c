import test from 'ava';
import {DistinctCounter} from '../../source/verify/distinct.js';

test('counts each key once, across the table growing many times over', t => {
	const counter = new DistinctCounter();
	const seen = new Set<string>();
	for (let index = 0; index < 60_000; index++) {
		const key = JSON.stringify(['20261101', `web-0${index % 5}`, index % 45_000]);
		counter.add(key);
		seen.add(key);
	}

	t.is(counter.size, seen.size);
	t.is(counter.size, 45_000);
});

test('empty and near-identical keys are told apart', t => {
	const counter = new DistinctCounter();
	for (const key of ['', '', '[null]', '["null"]', '[1]', '["1"]', 'a', 'a ', 'a']) {
		counter.add(key);
	}

	t.is(counter.size, 7);
});
