import test from 'ava';
import {authorizationV2, canonicalString, parseAuthorization, signatureV2, signatureV4, signRequest} from '../../../source/clouds/maxcompute/signature.js';

// Vectors from the MaxCompute Java SDK, aliyun/aliyun-odps-java-sdk,
// odps-sdk/odps-sdk-core/src/test/java/com/aliyun/odps/account/SecurityUtilsTest.java
// (testBuildCanonicalizedResource and testHmacsha1Signature; the byte arrays there decode to the strings below).
test('canonical string matches the Java SDK vector (headers other than content-md5/type/date/x-odps-* are left out)', t => {
	const canonical = canonicalString({
		method: 'POST',
		resource: '/projects/odps_test_tunnel_project/instances',
		headers: {
			'x-odps-user-agent': 'JavaSDK/0.12.0;Linux',
			Date: 'Tue, 13 May 2014 09:22:20 GMT',
			'Content-Length': '369',
			'Content-MD5': '746a0402967096663daa8bd1a2ff5c7c',
			'User-Agent': 'JavaSDK/0.12.0;Linux',
			'Content-Type': 'application/xml',
		},
	});
	t.is(canonical, 'POST\n746a0402967096663daa8bd1a2ff5c7c\napplication/xml\nTue, 13 May 2014 09:22:20 GMT\nx-odps-user-agent:JavaSDK/0.12.0;Linux\n/projects/odps_test_tunnel_project/instances');
});

test('HMAC-SHA1 signature matches the Java SDK vector', t => {
	const canonical = 'POST\n6c2e10f17bb7385f2ac30811b5e8e46f\napplication/xml\nTue, 13 May 2014 09:51:17 GMT\nx-odps-user-agent:JavaSDK/0.12.0;Linux\n/projects/odps_test_tunnel_project/instances';
	// Expected digest bytes {-5, 103, 5, -52, …, -98, -28} in Base64.
	t.is(signatureV2('oRd30z7sV4hBX9aYtJgii5qnyhg=', canonical), '+2cFzBzr2v7mAlOVGgulQ+58nuQ=');
	t.is(authorizationV2('AKID', 'oRd30z7sV4hBX9aYtJgii5qnyhg=', canonical), 'ODPS AKID:+2cFzBzr2v7mAlOVGgulQ+58nuQ=');
});

test('query parameters are sorted, empty values become bare keys, x-odps-* parameters are signed like headers', t => {
	const canonical = canonicalString({
		method: 'get',
		resource: '/projects/p/instances/20261121abc?result&curr_project=p&x-odps-token=abc',
		headers: {date: 'Fri, 21 Nov 2026 08:00:00 GMT', 'X-ODPS-B': '2', 'x-odps-a': '1'},
	});
	t.is(canonical, [
		'GET',
		'',
		'',
		'Fri, 21 Nov 2026 08:00:00 GMT',
		'x-odps-a:1',
		'x-odps-b:2',
		'x-odps-token:abc',
		'/projects/p/instances/20261121abc?curr_project=p&result&x-odps-token=abc',
	].join('\n'));
});

test('the resource is percent-decoded before signing, like pyodps (unquote of the whole URL)', t => {
	const canonical = canonicalString({method: 'GET', resource: '/projects/my%5Fproj/tables?curr_project=my%5Fproj&name=a%20b', headers: {Date: 'x'}});
	t.true(canonical.endsWith('\n/projects/my_proj/tables?curr_project=my_proj&name=a b'));
});

test('signRequest adds the STS token header only for STS keys', t => {
	const request = {method: 'GET', resource: '/projects/p', headers: {Date: 'Fri, 21 Nov 2026 08:00:00 GMT'}};
	const plain = signRequest(request, {accessKeyId: 'id', accessKeySecret: 'secret'});
	t.deepEqual(Object.keys(plain), ['Authorization']);
	t.is(plain.Authorization, `ODPS id:${signatureV2('secret', 'GET\n\n\nFri, 21 Nov 2026 08:00:00 GMT\n/projects/p')}`);
	const sts = signRequest(request, {accessKeyId: 'STS.id', accessKeySecret: 'secret', securityToken: 'token'});
	t.is(sts['authorization-sts-token'], 'token');
});

test('parseAuthorization reads v2 and v4 headers and refuses others', t => {
	t.deepEqual(parseAuthorization('ODPS AKID:abc+/='), {version: 'v2', accessKeyId: 'AKID', signature: 'abc+/='});
	t.deepEqual(parseAuthorization('ODPS AKID/20261121/ap-southeast-1/odps/aliyun_v4_request:sig'), {version: 'v4', accessKeyId: 'AKID', date: '20261121', region: 'ap-southeast-1', signature: 'sig'});
	t.is(parseAuthorization('Bearer x'), undefined);
	t.is(parseAuthorization(undefined), undefined);
});

test('v4 key chain differs by day and region', t => {
	const a = signatureV4('secret', '20261121', 'ap-southeast-1', 'c');
	t.not(a, signatureV4('secret', '20261122', 'ap-southeast-1', 'c'));
	t.not(a, signatureV4('secret', '20261121', 'cn-hangzhou', 'c'));
	t.regex(a, /^[A-Za-z\d+/]{27}=$/);
});
