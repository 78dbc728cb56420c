import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {writeFileAtomic} from '../../source/store/atomic-write.js';

function temporaryDirectory(t: ExecutionContext): string {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-atomic-'));
	t.teardown(() => rmSync(directory, {recursive: true, force: true}));
	return directory;
}

test('creates parent directories, writes the content with mode 0600 and leaves no temp file', t => {
	const directory = temporaryDirectory(t);
	const file = path.join(directory, 'a', 'b', 'session.json');
	writeFileAtomic(file, '{"x":1}\n');
	t.is(readFileSync(file, 'utf8'), '{"x":1}\n');
	t.is(statSync(file).mode & 0o777, 0o600);
	t.deepEqual(readdirSync(path.dirname(file)), ['session.json']);
});

test('replaces the previous content whole, many times over', t => {
	const directory = temporaryDirectory(t);
	const file = path.join(directory, 'session.json');
	for (let index = 0; index < 50; index++) {
		const content = JSON.stringify({index, padding: 'x'.repeat(50 - index)});
		writeFileAtomic(file, content);
		t.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {index, padding: 'x'.repeat(50 - index)});
	}

	t.deepEqual(readdirSync(directory), ['session.json']);
});

test('honours a different mode', t => {
	const file = path.join(temporaryDirectory(t), 'public.txt');
	writeFileAtomic(file, 'hello', 0o644);
	t.is(statSync(file).mode & 0o777, 0o644 & ~process.umask());
});

test('a failed rename leaves the target untouched and removes the temp file', t => {
	const directory = temporaryDirectory(t);
	const target = path.join(directory, 'occupied');
	mkdirSync(path.join(target, 'child'), {recursive: true});
	t.throws(() => writeFileAtomic(target, 'content'));
	t.true(statSync(target).isDirectory());
	t.deepEqual(readdirSync(directory), ['occupied']);
});
