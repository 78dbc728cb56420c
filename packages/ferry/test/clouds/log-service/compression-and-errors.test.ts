import {randomBytes} from 'node:crypto';
import {inflateSync} from 'node:zlib';
import test from 'ava';
import {compressBody, deflateBody, lz4LiteralBlock} from '../../../source/clouds/log-service/compression.js';
import {isAuthError, isRetryableError, logServiceError, parseErrorBody} from '../../../source/clouds/log-service/errors.js';
import {ServiceError} from '../../../source/engine/errors.js';
import {lz4DecodeBlock} from '../../helpers/log-service-fake.js';

test('deflate is a zlib stream (RFC 1950 header 0x78, Adler-32 trailer) that inflates back', t => {
	const raw = Buffer.from('a log group '.repeat(100));
	const body = deflateBody(raw);
	t.is(body[0], 0x78);
	t.is((body[0]! * 256 + body[1]!) % 31, 0, 'the RFC 1950 header check');
	t.true(body.length < raw.length);
	t.deepEqual(inflateSync(body), raw);
	t.deepEqual(compressBody(raw, 'deflate').compressType, 'deflate');
	t.deepEqual(compressBody(raw, 'none'), {body: raw, compressType: undefined});
});

test('a literal-only LZ4 block: the token holds lengths below 15, then 15 + 255-byte steps', t => {
	t.is(lz4LiteralBlock(Buffer.from('abc')).toString('hex'), '30' + Buffer.from('abc').toString('hex'));
	t.deepEqual([...lz4LiteralBlock(Buffer.alloc(14)).subarray(0, 1)], [0xE0]);
	t.deepEqual([...lz4LiteralBlock(Buffer.alloc(15)).subarray(0, 2)], [0xF0, 0x00]);
	t.deepEqual([...lz4LiteralBlock(Buffer.alloc(15 + 254)).subarray(0, 2)], [0xF0, 0xFE]);
	t.deepEqual([...lz4LiteralBlock(Buffer.alloc(15 + 255)).subarray(0, 3)], [0xF0, 0xFF, 0x00]);
	t.deepEqual([...lz4LiteralBlock(Buffer.alloc(15 + 600)).subarray(0, 4)], [0xF0, 0xFF, 0xFF, 90]);
	t.is(lz4LiteralBlock(Buffer.alloc(0)).toString('hex'), '00');
	for (const size of [0, 1, 14, 15, 269, 270, 100_000]) {
		const raw = randomBytes(size);
		t.deepEqual(lz4DecodeBlock(lz4LiteralBlock(raw), size), raw, `size ${size}`);
	}
});

test('the service\'s error JSON is read; anything else keeps the status and the start of the text', t => {
	t.deepEqual(parseErrorBody(404, '{"errorCode":"LogStoreNotExist","errorMessage":"logstore x does not exist"}'), {code: 'LogStoreNotExist', message: 'logstore x does not exist'});
	t.deepEqual(parseErrorBody(502, '<html>Bad Gateway</html>'), {code: undefined, message: '<html>Bad Gateway</html>'});
	t.deepEqual(parseErrorBody(500, ''), {code: undefined, message: 'HTTP 500'});
});

test('which answers are auth errors (exit 3), which are retried, and which are neither', t => {
	const cases: Array<[number, string | undefined, 'auth' | 'retry' | 'fail']> = [
		[401, 'Unauthorized', 'auth'],
		[403, 'Unauthorized', 'auth'],
		[401, 'InvalidAccessKeyId', 'auth'],
		[401, 'SignatureNotMatch', 'auth'],
		[403, 'ProjectForbidden', 'auth'],
		[400, 'RequestTimeExpired', 'auth'],
		[403, undefined, 'auth'],
		[403, 'WriteQuotaExceed', 'retry'],
		[403, 'ShardWriteQuotaExceed', 'retry'],
		[403, 'ReadQuotaExceed', 'retry'],
		[503, 'ServerBusy', 'retry'],
		[500, 'InternalServerError', 'retry'],
		[502, undefined, 'retry'],
		[429, undefined, 'retry'],
		[404, 'ProjectNotExist', 'fail'],
		[404, 'LogStoreNotExist', 'fail'],
		[404, 'IndexConfigNotExist', 'fail'],
		[400, 'LogStoreAlreadyExist', 'fail'],
		[400, 'ParameterInvalid', 'fail'],
	];
	for (const [status, code, expected] of cases) {
		const actual = isAuthError(status, code) ? 'auth' : isRetryableError(status, code) ? 'retry' : 'fail';
		t.is(actual, expected, `${status} ${code ?? '(no code)'}`);
	}
});

test('logServiceError carries the code, status, request id, exit code and a hint', t => {
	const error = logServiceError(400, {code: 'RequestTimeExpired', message: 'Request time … has been expired'}, 'REQ1', {operation: 'PutLogs', endpoint: 'https://x'});
	t.true(error instanceof ServiceError);
	t.like(error, {code: 'RequestTimeExpired', status: 400, requestId: 'REQ1', exitCode: 3, retryable: false});
	t.regex(error.hint ?? '', /clock/);
	t.is(error.message, 'Log Service: PutLogs failed (HTTP 400 RequestTimeExpired: Request time … has been expired)');
	const busy = logServiceError(503, {code: 'ServerBusy', message: 'busy'}, undefined, {operation: 'GetLogs', endpoint: 'https://x'});
	t.like(busy, {exitCode: 1, retryable: true, requestId: undefined});
});
