import test from 'ava';
import {
	checkOdpsSignature,
	odpsStringToSign,
	odpsV2Signature,
	odpsV4Signature,
	parseOdpsAuthorization,
} from '../../source/maxcompute/signature-check.js';

// aliyun/aliyun-odps-java-sdk odps-sdk/odps-sdk-core/src/test/java/com/aliyun/odps/account/SecurityUtilsTest.java,
// testBuildCanonicalizedResource: only content-md5, content-type, date and x-odps-* headers are signed.
test('string to sign matches the Java SDK canonical-string vector', t => {
	const stringToSign = odpsStringToSign({
		method: 'POST',
		target: '/projects/odps_test_tunnel_project/instances',
		headers: {
			'x-odps-user-agent': 'JavaSDK/0.12.0;Linux',
			date: 'Tue, 13 May 2014 09:22:20 GMT',
			'content-length': '369',
			'content-md5': '746a0402967096663daa8bd1a2ff5c7c',
			'user-agent': 'JavaSDK/0.12.0;Linux',
			'content-type': 'application/xml',
		},
	});
	t.is(stringToSign, 'POST\n746a0402967096663daa8bd1a2ff5c7c\napplication/xml\nTue, 13 May 2014 09:22:20 GMT\nx-odps-user-agent:JavaSDK/0.12.0;Linux\n/projects/odps_test_tunnel_project/instances');
});

// Same file, testHmacsha1Signature: the int arrays decode to this string, this key and the digest below.
test('v2 signature matches the Java SDK HMAC-SHA1 vector', t => {
	const data = 'POST\n6c2e10f17bb7385f2ac30811b5e8e46f\napplication/xml\nTue, 13 May 2014 09:51:17 GMT\nx-odps-user-agent:JavaSDK/0.12.0;Linux\n/projects/odps_test_tunnel_project/instances';
	const digest = Buffer.from([-5, 103, 5, -52, 28, -21, -38, -2, -26, 2, 83, -107, 26, 11, -91, 67, -18, 124, -98, -28].map(byte => byte & 0xff));
	t.is(odpsV2Signature('oRd30z7sV4hBX9aYtJgii5qnyhg=', data), digest.toString('base64'));
});

// aliyun/aliyun-odps-go-sdk odps/account/account_test.go, TestGenerateSignatureV2.
test('v2 signature matches the Go SDK vector', t => {
	t.is(odpsV2Signature('my-secret-key', 'testdata'), 'iAcVTeAghMtN74BeKwFTj/pgFEA=');
});

// Same file, TestBuildCanonicalString / TestCanonicalHeaders / TestBuildCanonicalResource.
test('repeated x-odps-* headers are joined by commas; parameters sorted, empty ones bare (Go SDK vectors)', t => {
	const stringToSign = odpsStringToSign({
		method: 'GET',
		target: '/path?b=2&a=1&c',
		headers: {
			date: 'Mon, 01 Jan 2020 00:00:00 GMT',
			'content-md5': 'content-md5',
			'content-type': 'application/json',
			'x-odps-test-header': ['value1', 'value2'],
			'X-Odps-Another-Header': 'valueA',
			'non-odps-header': 'ignored',
		},
	});
	t.is(stringToSign, 'GET\ncontent-md5\napplication/json\nMon, 01 Jan 2020 00:00:00 GMT\nx-odps-another-header:valueA\nx-odps-test-header:value1,value2\n/path?a=1&b=2&c');
	t.true(odpsStringToSign({method: 'GET', target: '/resource?orderby=name&action=list&limit=10', headers: {}}).endsWith('\n/resource?action=list&limit=10&orderby=name'));
});

// Authorization values printed by pyodps itself (aliyun/aliyun-odps-python-sdk odps/accounts.py @ d4cdf3c,
// CloudAccount.sign_request with datetime_utcnow fixed to 2026-11-21) for these requests and the key pair below:
// a vendor-produced vector for v4, whose SDK tests only assert that a v4 header contains "aliyun_v4_request".
// (One fresh CloudAccount per region: pyodps caches the v4 key by day only.)
const pyodpsKeys = {accessKeyId: 'LTAI5tTestAccessKey', secret: 'TestSecretKeyForVectors'};
const pyodpsTablesRequest = {
	method: 'GET',
	target: '/projects/ferry_local/tables?expectmarker=true&curr_project=ferry_local',
	headers: {date: 'Sat, 21 Nov 2026 08:00:00 GMT', 'x-odps-user-agent': 'pyodps'},
};

test('v2 and v4 signatures match what pyodps signs for the same request', t => {
	const stringToSign = odpsStringToSign(pyodpsTablesRequest);
	t.is(stringToSign, 'GET\n\n\nSat, 21 Nov 2026 08:00:00 GMT\nx-odps-user-agent:pyodps\n/projects/ferry_local/tables?curr_project=ferry_local&expectmarker=true');
	t.is(odpsV2Signature(pyodpsKeys.secret, stringToSign), 'ctCEYxPHDIR6xQbavMZo7RdP6bs=');
	t.is(odpsV4Signature(pyodpsKeys.secret, '20261121', 'ap-southeast-1', stringToSign), '7m0ExDBY1hXxZuoPuQg+LOdCcQQ=');
	const post = odpsStringToSign({
		method: 'POST',
		target: '/projects/ferry_local/instances?curr_project=ferry_local',
		headers: {date: 'Sat, 21 Nov 2026 08:00:00 GMT', 'content-type': 'application/xml', 'content-md5': 'abc', 'content-length': '11'},
	});
	t.is(odpsV4Signature(pyodpsKeys.secret, '20261121', 'cn-hangzhou', post), 'eVealGABcccFXVhn9eqNEQBRTXc=');
});

test('checkOdpsSignature accepts the pyodps v2 and v4 headers and refuses changed requests, keys and regions', t => {
	const keys = {...pyodpsKeys, region: 'ap-southeast-1'};
	const v2 = {...pyodpsTablesRequest, headers: {...pyodpsTablesRequest.headers, authorization: 'ODPS LTAI5tTestAccessKey:ctCEYxPHDIR6xQbavMZo7RdP6bs='}};
	const v4 = {...pyodpsTablesRequest, headers: {...pyodpsTablesRequest.headers, authorization: 'ODPS LTAI5tTestAccessKey/20261121/ap-southeast-1/odps/aliyun_v4_request:7m0ExDBY1hXxZuoPuQg+LOdCcQQ='}};
	t.deepEqual(checkOdpsSignature(v2, keys), {ok: true, version: 'v2', accessKeyId: 'LTAI5tTestAccessKey'});
	t.deepEqual(checkOdpsSignature(v4, keys), {ok: true, version: 'v4', accessKeyId: 'LTAI5tTestAccessKey'});
	t.like(checkOdpsSignature({...v2, target: `${v2.target}&marker=x`}, keys), {ok: false, reason: 'mismatch'});
	t.like(checkOdpsSignature({...v2, method: 'DELETE'}, keys), {ok: false, reason: 'mismatch'});
	t.like(checkOdpsSignature({...v2, headers: {...v2.headers, 'x-odps-extra': '1'}}, keys), {ok: false, reason: 'mismatch'});
	t.like(checkOdpsSignature(v2, {...keys, secret: 'other'}), {ok: false, reason: 'mismatch'});
	t.like(checkOdpsSignature(v2, {...keys, accessKeyId: 'other'}), {ok: false, reason: 'unknown-key', accessKeyId: 'LTAI5tTestAccessKey'});
	t.like(checkOdpsSignature(v4, {...keys, region: 'cn-hangzhou'}), {ok: false, reason: 'scope'});
	t.like(checkOdpsSignature({...v2, headers: {...v2.headers, authorization: undefined}}, keys), {ok: false, reason: 'malformed'});
});

test('the resource is compared percent-decoded, query values once', t => {
	const plain = odpsStringToSign({method: 'GET', target: '/projects/my_proj/tables?name=a b&marker=x+y', headers: {}});
	t.is(odpsStringToSign({method: 'GET', target: '/projects/my%5Fproj/tables?name=a%20b&marker=x%2By', headers: {}}), plain);
	t.true(plain.endsWith('\n/projects/my_proj/tables?marker=x+y&name=a b'));
});

test('parseOdpsAuthorization reads both forms and nothing else', t => {
	t.deepEqual(parseOdpsAuthorization('ODPS ak:c2ln'), {version: 'v2', accessKeyId: 'ak', signature: 'c2ln'});
	t.deepEqual(parseOdpsAuthorization('ODPS ak/20261121/cn-hangzhou/odps/aliyun_v4_request:c2ln'), {version: 'v4', accessKeyId: 'ak', day: '20261121', region: 'cn-hangzhou', signature: 'c2ln'});
	for (const header of ['OSS ak:sig', 'ODPS ak', 'ODPS ak:', 'ODPS ak/20261121/cn-hangzhou/oss/aliyun_v4_request:sig', 'ODPS ak/2026/cn-hangzhou/odps/aliyun_v4_request:sig', undefined]) {
		t.is(parseOdpsAuthorization(header), undefined, String(header));
	}
});
