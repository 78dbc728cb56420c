import {createHash} from 'node:crypto';
import test from 'ava';
import {canonicalResources, parseLogAuthorization, stringToSign, verifyLogSignature} from '../../source/log-service/signature-check.js';
import {encodeLogGroup, signLog} from '../helpers/log-service-request.js';

// Vendor vectors: aliyun-log-go-sdk signature_test.go (SignerV1Suite), key "mockAccessKeySecret".
const secret = 'mockAccessKeySecret';

test('the Go SDK GET vector verifies (no Content-Type, x-log-* headers sorted)', t => {
	const headers = {'x-log-apiversion': '0.6.0', 'x-log-signaturemethod': 'hmac-sha1', 'x-log-bodyrawsize': '0', Date: 'Mon, 3 Jan 2010 08:33:47 GMT'};
	t.true(verifyLogSignature({method: 'GET', target: '/logstores', headers}, secret, 'Rwm6cTKzoti4HWoe+GKcb6Kv07E='));
	t.false(verifyLogSignature({method: 'GET', target: '/logstores', headers}, 'other-secret', 'Rwm6cTKzoti4HWoe+GKcb6Kv07E='));
	t.false(verifyLogSignature({method: 'GET', target: '/logstores/x', headers}, secret, 'Rwm6cTKzoti4HWoe+GKcb6Kv07E='));
});

test('the Go SDK vector with a protobuf body verifies (Content-MD5 and Content-Type signed)', t => {
	const group = encodeLogGroup({logs: [{time: 1_405_409_656, contents: {TestKey: 'TestContent'}}], topic: '', source: '10.230.201.117'});
	const body = Buffer.concat([Buffer.from([0x0A, group.length]), group]);
	const headers = {
		'x-log-apiversion': '0.6.0',
		'x-log-signaturemethod': 'hmac-sha1',
		'x-log-bodyrawsize': '50',
		'Content-MD5': createHash('md5').update(body).digest('hex').toUpperCase(),
		'Content-Type': 'application/x-protobuf',
		'Content-Length': '50',
		Date: 'Mon, 3 Jan 2010 08:33:47 GMT',
	};
	t.true(verifyLogSignature({method: 'GET', target: '/logstores/app_log', headers}, secret, '87xQWqFaOSewqRIma8kPjGYlXHc='));
});

test('query pairs are decoded and sorted; x-log-date and x-log-meta-* are not signed (doc 29010, Python SDK)', t => {
	const headers = {Date: 'Mon, 3 Jan 2010 08:33:47 GMT', 'x-log-apiversion': '0.6.0', 'x-log-signaturemethod': 'hmac-sha1'};
	const query = {type: 'log', from: '1', to: '2', query: '* | select count(*) as cnt'};
	const signature = signLog('GET', '/logstores/app', query, headers, 'sk');
	const target = `/logstores/app?${new URLSearchParams(query).toString()}`;
	t.true(verifyLogSignature({method: 'GET', target, headers: {...headers, 'x-log-date': headers.Date, 'x-log-meta-trace': 'x'}}, 'sk', signature));
	t.true(canonicalResources(target).includes('/logstores/app?from=1&query=* | select count(*) as cnt&to=2&type=log'));
	t.true(stringToSign({method: 'get', target: '/', headers: {'X-Log-B': ' 2 ', 'x-acs-security-token': 't', 'x-log-a': '1'}}, '/').endsWith('x-acs-security-token:t\nx-log-a:1\nx-log-b:2\n/'));
});

test('the Authorization header must be "LOG <AccessKeyId>:<Signature>"', t => {
	t.deepEqual(parseLogAuthorization('LOG ak:c2ln'), {accessKeyId: 'ak', signature: 'c2ln'});
	t.is(parseLogAuthorization('SLS4-HMAC-SHA256 Credential=ak/x,Signature=y'), undefined);
	t.is(parseLogAuthorization(undefined), undefined);
});
