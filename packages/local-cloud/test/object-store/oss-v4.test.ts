import test from 'ava';
import {verifyOssV4} from '../../source/object-store/oss-v4.js';

// aliyun/alibabacloud-oss-go-sdk-v2 oss/signer/signer_test.go, TestV4AuthHeader: ak/sk, PUT
// bucket.oss-cn-hangzhou.aliyuncs.com/1234+-/123/1.txt, signed at 1702743657 (and 1702747512 with AdditionalHeaders).
const headers = {
	'x-oss-head1': 'value',
	abc: 'value',
	zabc: 'value',
	xyz: 'value',
	'content-type': 'text/plain',
	'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
};
const url = '/1234%2B-/123/1.txt?param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2';
const lookupSecret = (id: string) => (id === 'ak' ? 'sk' : undefined);
const target = {region: 'cn-hangzhou', bucket: 'bucket', key: '1234+-/123/1.txt', lookupSecret};

test('accepts the vendor\'s OSS V4 header vector', t => {
	const result = verifyOssV4({method: 'PUT', url, headers: {...headers, 'x-oss-date': '20231216T162057Z', authorization: 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe'}}, {...target, now: new Date(1_702_743_657_000)});
	t.like(result, {ok: true, accessKeyId: 'ak', payloadHash: 'UNSIGNED-PAYLOAD', scope: '20231216/cn-hangzhou/oss/aliyun_v4_request'});
});

test('accepts the vendor\'s AdditionalHeaders vector, with a space after the commas as some SDKs write it', t => {
	const authorization = 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, AdditionalHeaders=abc;zabc, Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f';
	const result = verifyOssV4({method: 'PUT', url, headers: {...headers, 'x-oss-date': '20231216T172512Z', authorization}}, {...target, now: new Date(1_702_747_512_000)});
	t.true(result.ok);
});

test('refuses a changed request, a wrong key, a stale date and another region', t => {
	const authorization = 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe';
	const request = {method: 'PUT', url, headers: {...headers, 'x-oss-date': '20231216T162057Z', authorization}};
	const now = new Date(1_702_743_657_000);
	const changed = verifyOssV4({...request, headers: {...request.headers, 'x-oss-head1': 'other'}}, {...target, now});
	t.like(changed, {ok: false, code: 'SignatureDoesNotMatch', status: 403, extra: {OSSAccessKeyId: 'ak', EC: '0002-00000201'}});
	t.regex(changed.ok ? '' : changed.extra.CanonicalRequest ?? '', /^PUT\n\/bucket\/1234%2B-\/123\/1\.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n/);
	t.like(verifyOssV4(request, {...target, key: '1234+-/123/2.txt', now}), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(verifyOssV4(request, {...target, lookupSecret: () => 'not-sk', now}), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(verifyOssV4(request, {...target, lookupSecret: () => undefined, now}), {ok: false, code: 'InvalidAccessKeyId', message: 'The OSS Access Key Id you provided does not exist in our records.'});
	t.like(verifyOssV4(request, {...target, now: new Date(1_702_743_657_000 + 16 * 60 * 1000)}), {ok: false, code: 'RequestTimeTooSkewed'});
	t.like(verifyOssV4(request, {...target, region: 'ap-southeast-1', now}), {ok: false, code: 'InvalidArgument', status: 400});
});
