import test from 'ava';
import {httpError, parseErrorBody, splitOdpsMessage} from '../../../source/clouds/maxcompute/errors.js';
import {parseResultCsv} from '../../../source/clouds/maxcompute/result-csv.js';

const context = {project: 'p', endpoint: 'https://service.ap-southeast-1.maxcompute.aliyun.com/api', region: 'ap-southeast-1', idempotent: true};

test('CSV: header, doubled quotes, embedded newlines and CRLF, bare \\N is NULL, quoted "\\N" and backslashes are text', t => {
	t.deepEqual(parseResultCsv('a,b,c\r\n"x ""y""","1\n2",\\N\r\n"\\N",C:\\dir,""\n'), {
		columns: ['a', 'b', 'c'],
		rows: [['x "y"', '1\n2', null], ['\\N', 'C:\\dir', '']],
	});
	t.deepEqual(parseResultCsv(''), {columns: [], rows: []});
	t.deepEqual(parseResultCsv('OK'), {columns: ['OK'], rows: []});
	t.deepEqual(parseResultCsv('n\n1'), {columns: ['n'], rows: [['1']]}, 'no final newline');
});

test('error bodies in XML and JSON (pyodps odps/tests/test_errors.py fixtures)', t => {
	const xml = parseErrorBody(500, '<Error>\n<Code>InternalServerError</Code>\n<Message>System internal error</Message>\n<RequestId>REQ_ID</RequestId>\n<HostId>host</HostId>\n</Error>', new Headers());
	t.deepEqual(xml, {code: 'InternalServerError', message: 'System internal error', requestId: 'REQ_ID'});
	const json = parseErrorBody(500, '{"Code": "InternalServerError", "Message": "System internal error", "HostId": "host"}', new Headers({'x-odps-request-id': 'REQ_ID'}));
	t.deepEqual(json, {code: 'InternalServerError', message: 'System internal error', requestId: 'REQ_ID'});
	const html = parseErrorBody(502, '<!DOCTYPE html><html><body>An error occurred.</body></html>', new Headers());
	t.is(html.code, undefined);
	t.true(httpError(502, html, context).retryable);
});

test('error mapping: skew typo normalised, auth errors exit 3 and never retried, POST 500 not retried', t => {
	const skew = httpError(403, {code: 'RequestTimeTooSkewd', message: 'ODPS-0410031:Authentication request expired', requestId: 'r'}, context);
	t.is(skew.code, 'RequestTimeTooSkewed');
	t.is(skew.exitCode, 3);
	const credentials = httpError(400, {code: 'InvalidParameter', message: 'ODPS-0410051:Invalid credentials - accessKeyId not found', requestId: undefined}, context);
	t.is(credentials.exitCode, 3);
	t.false(credentials.retryable);
	t.true(httpError(500, {code: 'InternalServerError', message: 'x', requestId: undefined}, context).retryable);
	t.false(httpError(500, {code: 'InternalServerError', message: 'x', requestId: undefined}, {...context, idempotent: false}).retryable);
	t.true(httpError(503, {code: 'ServiceUnavailable', message: 'x', requestId: undefined}, {...context, idempotent: false}).retryable);
	t.false(httpError(404, {code: 'NoSuchObject', message: 'x', requestId: undefined}, context).retryable);
});

test('ODPS codes are split from task error texts', t => {
	t.deepEqual(splitOdpsMessage('ODPS-0130071:[1,8] Semantic analysis exception - column x cannot be resolved'), {code: 'ODPS-0130071', message: '[1,8] Semantic analysis exception - column x cannot be resolved'});
	t.deepEqual(splitOdpsMessage('FAILED: ODPS-0123055:Script exception - ValueError'), {code: 'ODPS-0123055', message: 'Script exception - ValueError'});
	t.deepEqual(splitOdpsMessage('502 Update replicas failed'), {code: undefined, message: '502 Update replicas failed'});
});
