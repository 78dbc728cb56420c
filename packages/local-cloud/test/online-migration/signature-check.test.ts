import test from 'ava';
import {checkMgwSignature, mgwCanonicalRequest, mgwCanonicalUri, parseMgwAuthorization} from '../../source/online-migration/signature-check.js';

// aliyun/alibabacloud-oss-go-sdk-v2 oss/signer/signer_test.go, TestV4AuthHeader, TestV4AuthHeaderToken and
// TestV4AuthHeaderWithAdditionalHeaders: ak/sk, PUT /bucket/1234+-/123/1.txt in cn-hangzhou. With no bucket in the
// host, the path is the canonical URI, exactly how the hcs-mgw gateway signs its API paths, so the vectors apply as is.
const headers = {
	'x-oss-head1': 'value',
	abc: 'value',
	zabc: 'value',
	xyz: 'value',
	'content-type': 'text/plain',
	'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
};
const url = '/bucket/1234%2B-/123/1.txt?param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2';
const keys = {accessKeyId: 'ak', secret: 'sk', region: 'cn-hangzhou'};

test('accepts the Go SDK V4 header vector', t => {
	const request = {method: 'PUT', url, headers: {...headers, 'x-oss-date': '20231216T162057Z', authorization: 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe'}};
	const check = checkMgwSignature(request, {...keys, now: new Date(1_702_743_657_000)});
	t.like(check, {ok: true, accessKeyId: 'ak'});
	t.is(check.ok ? check.canonicalRequest.split('\n').slice(0, 3).join('\n') : '', 'PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2');
});

test('accepts the Go SDK STS-token vector (x-oss-security-token is signed)', t => {
	const request = {method: 'PUT', url, headers: {...headers, 'x-oss-security-token': 'token', 'x-oss-date': '20231217T034736Z', authorization: 'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea'}};
	t.like(checkMgwSignature(request, {...keys, now: new Date(1_702_784_856_000)}), {ok: true});
	const withoutToken = {...request, headers: {...request.headers, 'x-oss-security-token': undefined}};
	t.like(checkMgwSignature(withoutToken, {...keys, now: new Date(1_702_784_856_000)}), {ok: false, code: 'SignatureDoesNotMatch'});
});

test('accepts the AdditionalHeaders vector, written with the gateway\'s ", " separators too', t => {
	const authorization = 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, AdditionalHeaders=abc;zabc, Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f';
	const request = {method: 'PUT', url, headers: {...headers, 'x-oss-date': '20231216T172512Z', authorization}};
	t.like(checkMgwSignature(request, {...keys, now: new Date(1_702_747_512_000)}), {ok: true});
	t.like(checkMgwSignature({...request, headers: {...request.headers, abc: 'changed'}}, {...keys, now: new Date(1_702_747_512_000)}), {ok: false, code: 'SignatureDoesNotMatch'});
});

test('refuses changed requests, other keys, stale dates, other scopes and malformed headers with the service codes', t => {
	const authorization = 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe';
	const request = {method: 'PUT', url, headers: {...headers, 'x-oss-date': '20231216T162057Z', authorization}};
	const now = new Date(1_702_743_657_000);
	t.like(checkMgwSignature({...request, method: 'POST'}, {...keys, now}), {ok: false, status: 403, code: 'SignatureDoesNotMatch'});
	t.like(checkMgwSignature({...request, url: url.replace('1.txt', '2.txt')}, {...keys, now}), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(checkMgwSignature({...request, headers: {...request.headers, 'x-oss-head1': 'other'}}, {...keys, now}), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(checkMgwSignature(request, {...keys, secret: 'not-sk', now}), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(checkMgwSignature(request, {...keys, accessKeyId: 'other', now}), {ok: false, status: 403, code: 'InvalidAccessKeyId'});
	t.like(checkMgwSignature(request, {...keys, now: new Date(now.getTime() + 16 * 60 * 1000)}), {ok: false, code: 'RequestTimeTooSkewed'});
	t.like(checkMgwSignature(request, {...keys, region: 'ap-southeast-1', now}), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(checkMgwSignature({...request, headers: {...request.headers, 'x-oss-date': '20231215T162057Z'}}, {...keys, now}), {ok: false, code: 'AccessDenied'});
	t.like(checkMgwSignature({...request, headers: {...request.headers, authorization: 'OSS ak:sig'}}, {...keys, now}), {ok: false, status: 400, code: 'InvalidArgument'});
});

test('the canonical URI is the API path, each segment encoded once (?verify is a bare key)', t => {
	t.is(mgwCanonicalUri('/address/my%20addr'), '/address/my%20addr');
	t.is(mgwCanonicalUri('/address/my addr'), '/address/my%20addr');
	t.is(mgwCanonicalUri(''), '/');
	const canonical = mgwCanonicalRequest({method: 'GET', url: '/address/src-addr?verify', headers: {'x-oss-date': '20261121T080000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', host: 'not-signed'}}, []);
	t.is(canonical, 'GET\n/address/src-addr\nverify\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20261121T080000Z\n\n\nUNSIGNED-PAYLOAD');
});

test('parseMgwAuthorization reads the credential scope and nothing malformed', t => {
	t.deepEqual(parseMgwAuthorization('OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, AdditionalHeaders=ZAbc;abc, Signature=' + 'a'.repeat(64)), {
		accessKeyId: 'ak', day: '20231216', region: 'cn-hangzhou', product: 'oss', additionalHeaders: ['abc', 'zabc'], signature: 'a'.repeat(64),
	});
	t.is(parseMgwAuthorization('OSS4-HMAC-SHA256 Credential=ak/20231216/oss/aliyun_v4_request,Signature=' + 'a'.repeat(64)), undefined);
	t.is(parseMgwAuthorization('OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=xyz'), undefined);
	t.is(parseMgwAuthorization(undefined), undefined);
});
