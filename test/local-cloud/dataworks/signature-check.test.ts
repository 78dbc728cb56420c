import {createHash} from 'node:crypto';
import test from 'ava';
import {canonicalQuery, decodeQuery, verifyAcs3Request, type ArrivedRequest} from '../../../source/local-cloud/dataworks/signature-check.js';

const emptySha256 = createHash('sha256').update('').digest('hex');

// help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature: the fixed RunInstances example
// (AccessKey YourAccessKeyId / YourAccessKeySecret, 2023-10-26T10:22:32Z, nonce 3156853299f313e23d1673dc12e1703d).
const vendorRequest: ArrivedRequest = {
	method: 'POST',
	path: '/',
	rawQuery: 'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
	headers: {
		host: 'ecs.cn-shanghai.aliyuncs.com',
		'x-acs-action': 'RunInstances',
		'x-acs-version': '2014-05-26',
		'x-acs-date': '2023-10-26T10:22:32Z',
		'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
		'x-acs-content-sha256': emptySha256,
		authorization: 'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
	},
	body: Buffer.alloc(0),
};

const options = {secretOf: (id: string) => (id === 'YourAccessKeyId' ? 'YourAccessKeySecret' : undefined), nowMs: Date.parse('2023-10-26T10:25:00Z'), maxSkewMs: 900_000};

test('accepts the vendor worked example', t => {
	t.deepEqual(verifyAcs3Request(vendorRequest, options), {ok: true, accessKeyId: 'YourAccessKeyId'});
});

test('refuses a wrong secret, an unknown key, a stale date, a tampered body and a malformed header', t => {
	t.like(verifyAcs3Request(vendorRequest, {...options, secretOf: () => 'another-secret'}), {ok: false, status: 400, code: 'SignatureDoesNotMatch'});
	t.like(verifyAcs3Request(vendorRequest, {...options, secretOf: () => undefined}), {ok: false, status: 404, code: 'InvalidAccessKeyId.NotFound'});
	t.like(verifyAcs3Request(vendorRequest, {...options, nowMs: Date.parse('2023-10-26T11:00:00Z')}), {ok: false, code: 'InvalidTimeStamp.Expired'});
	t.like(verifyAcs3Request({...vendorRequest, body: Buffer.from('x')}, options), {ok: false, code: 'ContentSHA256NotMatched'});
	t.like(verifyAcs3Request({...vendorRequest, rawQuery: 'ImageId=other&RegionId=cn-shanghai'}, options), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(verifyAcs3Request({...vendorRequest, headers: {...vendorRequest.headers, authorization: 'OSS ak:sig'}}, options), {ok: false, code: 'IncompleteSignature'});
});

test('canonical query: RFC 3986 encoding, sorted, + is not a space', t => {
	t.is(canonicalQuery(decodeQuery('b=&a=x%20y%2A%21%27%28%29~&c=%C3%A9&d=1+2')), 'a=x%20y%2A%21%27%28%29~&b=&c=%C3%A9&d=1%2B2');
});
