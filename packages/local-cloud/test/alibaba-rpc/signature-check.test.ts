import {createHash} from 'node:crypto';
import test from 'ava';
import {
	canonicalQuery, decodeQuery, isRpcV1Request, NonceLedger, rpcSignature, rpcStringToSign, verifyAcs3Request, verifyRpcV1Request, type ArrivedRequest,
} from '../../source/alibaba-rpc/signature-check.js';

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

// The legacy RPC signature's worked example: ECS DescribeRegions, AccessKey testid / testsecret, GET. The signature
// OLeaidS1JvxuMvnyHOwuJ+uX5qY= is the one Alibaba Cloud's docs give for it with the parameter spelled Timestamp (it is
// the sample Signature of the RPC common-parameter tables, e.g. the SMC reseller doc "Make API requests"); the string
// to sign follows the steps of "Request syntax and signature method V2 for RPC APIs" (help.aliyun.com/document_detail/25490).
const rpcExample: Record<string, string> = {
	AccessKeyId: 'testid', Action: 'DescribeRegions', Format: 'XML', SignatureMethod: 'HMAC-SHA1', SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
	SignatureVersion: '1.0', Timestamp: '2016-02-23T12:46:24Z', Version: '2014-05-26', Signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
};
const rpcOptions = () => ({secretOf: (id: string): string | undefined => (id === 'testid' ? 'testsecret' : undefined), nowMs: Date.parse('2016-02-23T12:50:00Z'), maxSkewMs: 900_000, nonces: new NonceLedger(900_000)});

test('v1: the vendor worked example\'s string to sign and signature', t => {
	t.is(rpcStringToSign('GET', rpcExample), 'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1'
		+ '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26');
	t.is(rpcSignature(rpcStringToSign('GET', rpcExample), 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
	t.deepEqual(verifyRpcV1Request({method: 'GET', params: rpcExample}, rpcOptions()), {ok: true, accessKeyId: 'testid'});
});

test('v1: the older edition of the example, whose parameter is spelled TimeStamp, signs to CT9X0VtwR86fNWSnsc6v8YGOjuE=', t => {
	// developer.aliyun.com/ask/210168 ("API 签名机制(示例)"); the same value is the sample Signature of the RPC signature pages.
	const {Timestamp, Signature: _signature, ...rest} = rpcExample;
	t.is(rpcSignature(rpcStringToSign('GET', {...rest, TimeStamp: Timestamp!}), 'testsecret'), 'CT9X0VtwR86fNWSnsc6v8YGOjuE=');
});

test('v1: refuses a wrong secret, an unknown key, a tampered parameter, another method, a stale or malformed Timestamp', t => {
	const verify = (params: Record<string, string>, overrides: Partial<ReturnType<typeof rpcOptions>> = {}, method = 'GET') => verifyRpcV1Request({method, params}, {...rpcOptions(), ...overrides});
	t.like(verify(rpcExample, {secretOf: () => 'another-secret'}), {ok: false, status: 400, code: 'SignatureDoesNotMatch'});
	t.like(verify(rpcExample, {secretOf: () => undefined}), {ok: false, status: 404, code: 'InvalidAccessKeyId.NotFound'});
	t.like(verify({...rpcExample, Format: 'JSON'}), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(verify(rpcExample, {}, 'POST'), {ok: false, code: 'SignatureDoesNotMatch'});
	t.like(verify(rpcExample, {nowMs: Date.parse('2016-02-23T13:02:00Z')}), {ok: false, status: 400, code: 'InvalidTimeStamp.Expired'});
	t.like(verify(rpcExample, {nowMs: Date.parse('2016-02-23T12:30:00Z')}), {ok: false, code: 'InvalidTimeStamp.Expired'});
	t.like(verify({...rpcExample, Timestamp: '2016-02-23 12:46:24'}), {ok: false, status: 400, code: 'InvalidTimeStamp.Format'});
	t.like(verify({...rpcExample, Timestamp: '2016-02-23T20:46:24+08:00'}), {ok: false, code: 'InvalidTimeStamp.Format'});
});

test('v1: a SignatureNonce is used once', t => {
	const options = rpcOptions();
	t.true(verifyRpcV1Request({method: 'GET', params: rpcExample}, options).ok);
	t.like(verifyRpcV1Request({method: 'GET', params: rpcExample}, options), {ok: false, status: 400, code: 'SignatureNonceUsed'});
	// A request that fails its signature check does not use the nonce up.
	const fresh = rpcOptions();
	t.false(verifyRpcV1Request({method: 'GET', params: rpcExample}, {...fresh, secretOf: () => 'another-secret'}).ok);
	t.true(verifyRpcV1Request({method: 'GET', params: rpcExample}, fresh).ok);
});

test('v1: SignatureMethod HMAC-SHA1 and SignatureVersion 1.0 only; every common parameter is mandatory', t => {
	t.like(verifyRpcV1Request({method: 'GET', params: {...rpcExample, SignatureMethod: 'HMAC-SHA256'}}, rpcOptions()), {ok: false, status: 400, code: 'IncompleteSignature'});
	t.like(verifyRpcV1Request({method: 'GET', params: {...rpcExample, SignatureVersion: '2.0'}}, rpcOptions()), {ok: false, code: 'IncompleteSignature'});
	for (const name of ['AccessKeyId', 'Action', 'Version', 'Timestamp', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Signature']) {
		const {[name]: _dropped, ...rest} = rpcExample;
		t.like(verifyRpcV1Request({method: 'GET', params: rest}, rpcOptions()), {ok: false, status: 400, code: `Missing${name}`, message: `${name} is mandatory for this action.`});
	}
});

test('v1: a request means to be v1-signed when it carries the signature parameters', t => {
	t.true(isRpcV1Request(rpcExample));
	t.true(isRpcV1Request({AccessKeyId: 'testid', Action: 'GetProject'}));
	t.false(isRpcV1Request({ProjectId: '1', Action: 'GetProject'}));
});

test('NonceLedger forgets a nonce once it is older than the window', t => {
	const ledger = new NonceLedger(1000);
	t.true(ledger.claim('n', 0));
	t.false(ledger.claim('n', 1000));
	t.true(ledger.claim('n', 2001));
});
