import test from 'ava';
import {canonicalResource, canonicalString, dataHubSignature, parseDataHubAuthorization, verifyDataHubSignature} from '../../source/datahub/signature-check.js';
import {signDataHub} from '../helpers/datahub-request.js';

/*
 * No vendor repository ships a DATAHUB signature vector, so these are hand-computed: the canonical strings follow
 * aliyun-datahub-sdk-python datahub/auth/aliyun_account.py, and the expected values came from OpenSSL, e.g.
 *   printf 'POST\napplication/json\nThu, 08 Jan 2026 08:00:00 GMT\nx-datahub-client-version:1.1\n
 *   x-datahub-security-token:sts-token-1\n/projects/ferry_local/topics/test/shards' \
 *     | openssl dgst -sha1 -hmac 'test-secret-Abc123' -binary | base64
 */
const secret = 'test-secret-Abc123';
const date = 'Thu, 08 Jan 2026 08:00:00 GMT';

test('canonical string: method, Content-Type, Date, sorted x-datahub-* headers, resource', t => {
	const canonical = canonicalString({
		method: 'post',
		target: '/projects/ferry_local/topics/test/shards',
		headers: {'X-Datahub-Security-Token': 'sts-token-1', 'content-type': 'application/json', date, 'x-datahub-client-version': '1.1', 'user-agent': 'ignored'},
	});
	t.is(canonical, `POST\napplication/json\n${date}\nx-datahub-client-version:1.1\nx-datahub-security-token:sts-token-1\n/projects/ferry_local/topics/test/shards`);
	t.is(dataHubSignature(secret, canonical), 'ZJTC7/+BGWk0934R517eFLyfU/k=');
});

test('hand-computed vectors for bare and valued query parameters', t => {
	const headers = {'Content-Type': 'application/json', Date: date, 'x-datahub-client-version': '1.1'};
	t.true(verifyDataHubSignature({method: 'GET', target: '/projects/p1/topics/t1/connectors/c1?donetime', headers}, secret, 'iv3cfFhXnR9q+obNldw1lRqtL7s='));
	t.true(verifyDataHubSignature({method: 'GET', target: '/projects/p1/topics/t1/connectors?mode=id', headers}, secret, 'lPYQiv+943YQEbG4yRJkqqJOBXY='));
	t.false(verifyDataHubSignature({method: 'GET', target: '/projects/p1/topics/t1/connectors?mode=ids', headers}, secret, 'lPYQiv+943YQEbG4yRJkqqJOBXY='));
	t.false(verifyDataHubSignature({method: 'GET', target: '/projects/p1/topics/t1/connectors?mode=id', headers}, 'other-secret', 'lPYQiv+943YQEbG4yRJkqqJOBXY='));
});

test('the resource is decoded and its query sorted, as the Python SDK signs it', t => {
	t.is(canonicalResource('/projects/p%5Fa/topics?b=2&a=1&flag'), '/projects/p_a/topics?a=1&b=2&flag');
	t.is(canonicalResource('/projects'), '/projects');
});

test('the test signer and the stand-in checker agree', t => {
	const headers = {'Content-Type': 'application/json', Date: date, 'x-datahub-client-version': '1.1'};
	const signature = signDataHub('GET', '/projects/p1/topics?z=1&a=2', headers, secret);
	t.true(verifyDataHubSignature({method: 'GET', target: '/projects/p1/topics?z=1&a=2', headers}, secret, signature));
});

test('Authorization header parsing', t => {
	t.deepEqual(parseDataHubAuthorization('DATAHUB AKID:abc+/='), {accessKeyId: 'AKID', signature: 'abc+/='});
	t.is(parseDataHubAuthorization('ODPS AKID:abc'), undefined);
	t.is(parseDataHubAuthorization(undefined), undefined);
});
