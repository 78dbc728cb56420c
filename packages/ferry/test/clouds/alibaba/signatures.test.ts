import test from 'ava';
import {ossV4DateTime, parseOssV4Authorization, signOssV4} from '../../../source/clouds/alibaba/oss-v4-signature.js';

test('OSS V4 reproduces the vendor vector (alibabacloud-oss-go-sdk-v2 TestV4AuthHeader)', t => {
	// aliyun/alibabacloud-oss-go-sdk-v2 oss/signer/signer_test.go, TestV4AuthHeader case 1 and the AdditionalHeaders case.
	const headers = {
		'x-oss-head1': 'value',
		abc: 'value',
		zabc: 'value',
		xyz: 'value',
		'content-type': 'text/plain',
		'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
	};
	const query = {param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: ''};
	const dateTime = ossV4DateTime(new Date(1_702_743_657_000));
	t.is(dateTime, '20231216T162057Z');
	const signed = signOssV4({method: 'PUT', resource: '/bucket/1234+-/123/1.txt', query, headers: {...headers, 'x-oss-date': dateTime}, dateTime, region: 'cn-hangzhou'}, 'ak', 'sk');
	t.is(signed.authorization, 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe');

	const later = ossV4DateTime(new Date(1_702_747_512_000));
	const withAdditional = signOssV4({method: 'PUT', resource: '/bucket/1234+-/123/1.txt', query, headers: {...headers, 'x-oss-date': later}, additionalHeaders: ['ZAbc', 'abc'], dateTime: later, region: 'cn-hangzhou'}, 'ak', 'sk');
	t.is(withAdditional.authorization, 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f');
	t.deepEqual(parseOssV4Authorization(withAdditional.authorization), {
		accessKeyId: 'ak', date: '20231216', region: 'cn-hangzhou', product: 'oss', additionalHeaders: ['abc', 'zabc'], signature: '4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
	});
	// The gateway SDKs put a space after the comma; both spellings parse.
	t.is(parseOssV4Authorization('OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=abc')?.signature, 'abc');
	t.is(parseOssV4Authorization('OSS4-HMAC-SHA256 Credential=ak/20231216/oss/aliyun_v4_request,Signature=abc'), undefined);
});
