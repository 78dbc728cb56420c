import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {createFileLogger, createMemoryLogger} from '../../source/log/logger.js';
import {registerSecret} from '../../source/log/redact.js';

test('every line is redacted and carries its level', t => {
	const secret = 'logger-test-secret-0001';
	registerSecret(secret);
	const log = createMemoryLogger();
	log.info(`connecting with ${secret}`);
	log.warn("SECRET_ACCESS_KEY 'not-registered-either'");
	log.error('plain');
	t.is(log.lines.length, 3);
	t.regex(log.lines[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}connecting with \[redacted\]$/);
	t.regex(log.lines[1]!, / WARN {2}SECRET_ACCESS_KEY '\[redacted\]'$/);
	t.regex(log.lines[2]!, / ERROR plain$/);
});

test('request() writes one line without the query string', t => {
	const log = createMemoryLogger();
	log.request({service: 'oss', operation: 'GetObject', method: 'GET', url: 'http://127.0.0.1:1/b/k?Signature=abc&OSSAccessKeyId=LTAI', status: 200, durationMs: 12.6, requestId: 'REQ1', attempt: 2});
	log.request({service: 's3', operation: 'PutObject', durationMs: 3, attempt: 1, error: 'SlowDown'});
	t.is(log.lines.length, 2);
	t.true(log.lines[0]!.endsWith('CALL  oss.GetObject GET http://127.0.0.1:1/b/k -> 200 13ms attempt 2 request-id REQ1'));
	t.false(log.lines[0]!.includes('Signature'));
	t.true(log.lines[1]!.endsWith('CALL  s3.PutObject 3ms error: SlowDown'), 'the first attempt is not labelled');
});

test('child loggers nest their prefixes', t => {
	const log = createMemoryLogger();
	log.child('unload').child('orders').info('done');
	t.true(log.lines[0]!.endsWith('INFO  [unload/orders] done'));
});

test('the file logger appends to a 0600 file, creating its directory', t => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-log-'));
	t.teardown(() => rmSync(directory, {recursive: true, force: true}));
	const file = path.join(directory, 'nested', 'session.log');
	const log = createFileLogger(file);
	log.info('one');
	log.info('two');
	const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
	t.is(lines.length, 2);
	t.true(lines[1]!.endsWith('INFO  two'));
	t.is(statSync(file).mode & 0o777, 0o600);
});
