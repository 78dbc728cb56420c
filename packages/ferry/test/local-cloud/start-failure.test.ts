import {appendFileSync, mkdirSync, writeFileSync} from 'node:fs';
import test from 'ava';
import {startFailure} from '@ferry/local-cloud/manager';
import {localCloudFiles} from '../../source/local/files.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function logWith(text: string): number {
	const files = localCloudFiles();
	mkdirSync(files.root, {recursive: true});
	writeFileSync(files.log, text);
	return text.length;
}

test.serial('a start that wrote to daemon.log points to it', t => {
	useFerryHome(t);
	const offset = logWith('an earlier run\n');
	appendFileSync(localCloudFiles().log, 'Error: listen EADDRINUSE 127.0.0.1:5439\n');
	const error = startFailure(1, offset, 10 ** 9);
	t.is(error.exitCode, 3);
	t.is(error.message, 'The local cloud failed to start (daemon exit 1): Error: listen EADDRINUSE 127.0.0.1:5439');
	t.true(error.hint?.startsWith(`See ${localCloudFiles().log};`), error.hint);
});

test.serial('an empty daemon.log is not offered: a full disk is named instead', t => {
	useFerryHome(t);
	const offset = logWith('');
	const error = startFailure(1, offset, 4096);
	t.regex(error.message, /no space left on the device holding /);
	t.false(error.hint?.includes('daemon.log'), error.hint);
	t.regex(error.hint ?? '', /Free some disk space/);
});

test.serial('an old log with nothing new from this start is not offered either', t => {
	useFerryHome(t);
	const offset = logWith('Error: yesterday\'s failure\n');
	const error = startFailure(7, offset, 10 ** 9);
	t.regex(error.message, /exited \(7\) before writing to .*daemon\.log/);
	t.false(error.message.includes('yesterday'), 'an earlier start\'s error is not this one\'s cause');
	t.false(error.hint?.includes('See '), error.hint);
});
