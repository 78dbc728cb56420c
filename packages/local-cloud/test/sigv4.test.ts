import test from 'ava';
import {verifySigV4, type SigV4Request} from '../source/sigv4.js';

/*
 * Vectors from the AWS Signature Version 4 test suite, as the AWS SDK for JavaScript v3 ships them in
 * `packages/signature-v4/src/suite.fixture.ts` (credentials AKIDEXAMPLE, region us-east-1, service "service",
 * 2015-08-30T12:36:00Z). Paths are given as the suite's request.txt has them (get-utf8 keeps its raw UTF-8 path).
 */
const now = new Date('2015-08-30T12:36:00Z');
const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const scope = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

type Vector = {name: string; method: string; url: string; headers?: Record<string, string>; body?: string; signedHeaders: string; signature: string};

const vectors: Vector[] = [
	{name: 'get-vanilla', method: 'GET', url: '/', signedHeaders: 'host;x-amz-date', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'},
	{name: 'post-vanilla', method: 'POST', url: '/', signedHeaders: 'host;x-amz-date', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'},
	{name: 'get-vanilla-query-order-key-case', method: 'GET', url: '/?Param2=value2&Param1=value1', signedHeaders: 'host;x-amz-date', signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'},
	{name: 'get-vanilla-utf8-query', method: 'GET', url: '/?%E1%88%B4=bar', signedHeaders: 'host;x-amz-date', signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'},
	{name: 'get-utf8', method: 'GET', url: '/ሴ', signedHeaders: 'host;x-amz-date', signature: '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85'},
	{name: 'get-unreserved', method: 'GET', url: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', signedHeaders: 'host;x-amz-date', signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f'},
	{name: 'get-header-value-trim', method: 'GET', url: '/', headers: {'my-header1': 'value1', 'my-header2': '"a   b   c"'}, signedHeaders: 'host;my-header1;my-header2;x-amz-date', signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736'},
	{name: 'post-header-value-case', method: 'POST', url: '/', headers: {'my-header1': 'VALUE1'}, signedHeaders: 'host;my-header1;x-amz-date', signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d'},
	{name: 'post-x-www-form-urlencoded', method: 'POST', url: '/', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'Param1=value1', signedHeaders: 'content-type;host;x-amz-date', signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a'},
];

function requestFor(vector: Vector, signature = vector.signature): SigV4Request {
	return {
		method: vector.method,
		url: vector.url,
		headers: {
			host: 'example.amazonaws.com',
			'x-amz-date': '20150830T123600Z',
			...vector.headers,
			authorization: `AWS4-HMAC-SHA256 ${scope}, SignedHeaders=${vector.signedHeaders}, Signature=${signature}`,
		},
	};
}

const options = (body?: string) => ({service: 'service', region: 'us-east-1', now, body, lookupSecret: (id: string) => (id === 'AKIDEXAMPLE' ? secret : undefined)});

for (const vector of vectors) {
	test(`accepts the suite vector ${vector.name}`, async t => {
		const result = await verifySigV4(requestFor(vector), options(vector.body));
		t.true(result.ok, result.ok ? '' : result.message);
	});
}

test('rejects a signature that differs by one digit', async t => {
	const vector = vectors[0]!;
	const result = await verifySigV4(requestFor(vector, vector.signature.replace(/.$/, '0')), options());
	t.false(result.ok);
	t.like(result, {s3Code: 'SignatureDoesNotMatch', status: 403, reason: 'bad-signature'});
});

test('rejects a tampered body when the body hash is signed implicitly', async t => {
	const vector = vectors.find(({name}) => name === 'post-x-www-form-urlencoded')!;
	const result = await verifySigV4(requestFor(vector), options('Param1=value2'));
	t.like(result, {ok: false, s3Code: 'SignatureDoesNotMatch'});
});

test('rejects an unknown access key, a wrong region and a stale date', async t => {
	const vector = vectors[0]!;
	t.like(await verifySigV4(requestFor(vector), {...options(), lookupSecret: () => undefined}), {ok: false, s3Code: 'InvalidAccessKeyId', reason: 'unknown-key'});
	t.like(await verifySigV4(requestFor(vector), {...options(), region: 'ap-southeast-1'}), {ok: false, s3Code: 'AuthorizationHeaderMalformed', reason: 'wrong-region'});
	t.like(await verifySigV4(requestFor(vector), {...options(), now: new Date('2015-08-30T13:36:00Z')}), {ok: false, s3Code: 'RequestTimeTooSkewed'});
});

test('rejects a request without any signature', async t => {
	t.like(await verifySigV4({method: 'GET', url: '/', headers: {host: 'example.amazonaws.com'}}, options()), {ok: false, reason: 'missing', s3Code: 'AccessDenied'});
});
