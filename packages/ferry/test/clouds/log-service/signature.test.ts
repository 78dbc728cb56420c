import {createHash} from 'node:crypto';
import test from 'ava';
import {encodeLogGroup} from '../../../source/clouds/log-service/protobuf.js';
import {contentMd5, logAuthorization, logSignature, logStringToSign, signLogRequest} from '../../../source/clouds/log-service/signature.js';

// aliyun-log-nodejs-sdk test/unit.test.js (@ cc265ca): "client#_sign should sign GET/POST requests correctly".
const nodeKeys = {accessKeyId: 'bq2sjzesjmo86kq35behupbq', accessKeySecret: '4fdO2fTDDnZPU/L7CHNdemB2Nsk='};
// aliyun-log-go-sdk signature_test.go (@ 210ae4b) SignerV1Suite.
const goKeys = {accessKeyId: 'mockAccessKeyID', accessKeySecret: 'mockAccessKeySecret'};

test('Node SDK GET vector: sorted query pairs, an empty value kept as `key=`', t => {
	const text = logStringToSign({
		method: 'GET',
		date: 'Mon, 09 Nov 2015 06:11:16 GMT',
		headers: {date: 'Mon, 09 Nov 2015 06:11:16 GMT', 'x-log-apiversion': '0.6.0', 'x-log-signaturemethod': 'hmac-sha1'},
		path: '/logstores',
		query: {logstoreName: '', offset: '0', size: '1000'},
	});
	t.is(text, 'GET\n\n\nMon, 09 Nov 2015 06:11:16 GMT\nx-log-apiversion:0.6.0\nx-log-signaturemethod:hmac-sha1\n/logstores?logstoreName=&offset=0&size=1000');
	t.is(logAuthorization(text, nodeKeys), 'LOG bq2sjzesjmo86kq35behupbq:jEYOTCJs2e88o+y5F4/S5IsnBJQ=');
});

test('Node SDK POST vector: Content-MD5 and Content-Type lines; Content-Length is not signed; x-log-compresstype is', t => {
	const headers = {
		date: 'Mon, 09 Nov 2015 06:03:03 GMT',
		'x-log-apiversion': '0.6.0',
		'x-log-signaturemethod': 'hmac-sha1',
		'content-md5': '1DD45FA4A70A9300CC9FE7305AF2C494',
		'content-length': '52',
		'content-type': 'application/x-protobuf',
		'x-log-bodyrawsize': '50',
		'x-log-compresstype': 'lz4',
	};
	const input = {method: 'POST', contentMd5: headers['content-md5'], contentType: headers['content-type'], date: headers.date, headers, path: '/logstores/test-logstore', query: {}};
	t.is(logAuthorization(logStringToSign(input), nodeKeys), 'LOG bq2sjzesjmo86kq35behupbq:XWLGYHGg2F2hcfxWxMLiNkGki6g=');

	const sts = {
		accessKeyId: 'STS.NSNYgJ2KUoYaEuDrNazRLg2a6',
		accessKeySecret: '56Xqw2THF5vTHTNkGWR6uGRKXToKWMi2eLFjppPNV8RR',
		securityToken: 'CAISiwJ1q6Ft5B2yfSjIr5D7Et3+35R02JuKR1P1lk40dt1giPfK1Dz2IHhLdXNrAuEXs/w0mmBQ7v8TlqZdVplOWU3Da+B364xK7Q75jHw5B0zwv9I+k5SANTW5KXyShb3/AYjQSNfaZY3eCTTtnTNyxr3XbCirW0ffX7SClZ9gaKZ8PGD6F00kYu1bPQx/ssQXGGLMPPK2SH7Qj3HXEVBjt3gX6wo9y9zmnZHNukGH3QOqkbVM9t6rGPX+MZkwZqUYesyuwel7epDG1CNt8BVQ/M909vccpmad5YrMUgQJuEvWa7KNo8caKgJmI7M3AbBFp/WlyKMn5raOydSrkE8cePtSVynP+g0hR0dZ+YgagAEFdb+5rO1e+OZ3kcmPKF5Zh2Sni+vF1qzKA/SElND5koQQV6uvVCweKnfzCPMKjY0OXWmfgtcwOTyJ4ABGsTGnILzBNRD/+Gdqe7wclZrj0aDUkTdFf8k7SudZuO9KOPBe8mS3pJoMs1p67mWA/J4Wn0dottbprb5EQOBRxUC6bw==',
	};
	const withToken = {...input, headers: {...headers, 'x-acs-security-token': sts.securityToken}};
	t.is(logAuthorization(logStringToSign(withToken), sts), 'LOG STS.NSNYgJ2KUoYaEuDrNazRLg2a6:G3R03b6PwVI+zUaLtqezsBDL/j8=');
});

test('Go SDK GET vector: header names in any case are lower-cased and sorted, no Content-Type', t => {
	const headers = {'x-log-apiversion': '0.6.0', 'x-log-signaturemethod': 'hmac-sha1', 'x-log-bodyrawsize': '0', Date: 'Mon, 3 Jan 2010 08:33:47 GMT'};
	const text = logStringToSign({method: 'GET', date: headers.Date, headers, path: '/logstores'});
	t.is(text, 'GET\n\n\nMon, 3 Jan 2010 08:33:47 GMT\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:0\nx-log-signaturemethod:hmac-sha1\n/logstores');
	t.is(logSignature(text, goKeys.accessKeySecret), 'Rwm6cTKzoti4HWoe+GKcb6Kv07E=');
});

test('Go SDK POST vector: the MD5 of ferry\'s protobuf bytes signs to the vendor\'s digest (byte-exact LogGroup)', t => {
	// The Go test marshals LogGroupList{LogGroups: [LogGroup{Topic: "", Source: "10.230.201.117",
	// Logs: [{Time: 1405409656, Contents: [{TestKey, TestContent}]}]}]}: field 1 (0x0A), length 50, the group.
	const group = encodeLogGroup({topic: '', source: '10.230.201.117', logs: [{time: 1_405_409_656, contents: [['TestKey', 'TestContent']]}]});
	t.is(group.length, 50);
	const body = Buffer.concat([Buffer.from([0x0A, group.length]), group]);
	const headers = {
		'x-log-apiversion': '0.6.0',
		'x-log-signaturemethod': 'hmac-sha1',
		'x-log-bodyrawsize': '50',
		'Content-MD5': contentMd5(body),
		'Content-Type': 'application/x-protobuf',
		'Content-Length': '50',
		Date: 'Mon, 3 Jan 2010 08:33:47 GMT',
	};
	t.is(headers['Content-MD5'], createHash('md5').update(body).digest('hex').toUpperCase());
	const text = logStringToSign({method: 'GET', contentMd5: headers['Content-MD5'], contentType: headers['Content-Type'], date: headers.Date, headers, path: '/logstores/app_log'});
	t.is(logAuthorization(text, goKeys), 'LOG mockAccessKeyID:87xQWqFaOSewqRIma8kPjGYlXHc=');
});

test('query values are signed decoded and header values trimmed; x-acs-* headers are signed, other headers are not', t => {
	const text = logStringToSign({
		method: 'get',
		date: 'D',
		headers: {'X-Log-B': ' 2 ', 'x-acs-security-token': 't', 'x-log-a': '1', 'User-Agent': 'ferry', Host: 'p.r.log.aliyuncs.com'},
		path: '/logstores/app',
		query: {type: 'log', query: '* | select count(*) as cnt', topic: undefined},
	});
	t.is(text, 'GET\n\n\nD\nx-acs-security-token:t\nx-log-a:1\nx-log-b:2\n/logstores/app?query=* | select count(*) as cnt&type=log');
});

test('signLogRequest adds Date, API version, method, raw size, upper-case hex Content-MD5, the STS token and Authorization', t => {
	const body = Buffer.from('compressed bytes');
	const date = new Date(Date.UTC(2015, 10, 9, 6, 3, 3));
	const keys = {...nodeKeys, securityToken: 'sts-token'};
	const headers = signLogRequest({method: 'POST', path: '/logstores/s/shards/lb', body, rawSize: 123, contentType: 'application/x-protobuf', headers: {'x-log-compresstype': 'deflate'}, date}, keys);
	const md5 = createHash('md5').update(body).digest('hex').toUpperCase();
	t.deepEqual(Object.keys(headers).sort(), ['Authorization', 'Content-MD5', 'Content-Type', 'Date', 'x-acs-security-token', 'x-log-apiversion', 'x-log-bodyrawsize', 'x-log-compresstype', 'x-log-signaturemethod']);
	t.like(headers, {Date: 'Mon, 09 Nov 2015 06:03:03 GMT', 'x-log-apiversion': '0.6.0', 'x-log-signaturemethod': 'hmac-sha1', 'x-log-bodyrawsize': '123', 'Content-MD5': md5, 'x-acs-security-token': 'sts-token'});
	t.regex(headers['Content-MD5']!, /^[\dA-F]{32}$/);
	const expected = `POST\n${md5}\napplication/x-protobuf\nMon, 09 Nov 2015 06:03:03 GMT\nx-acs-security-token:sts-token\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:123\nx-log-compresstype:deflate\nx-log-signaturemethod:hmac-sha1\n/logstores/s/shards/lb`;
	t.is(headers['Authorization'], logAuthorization(expected, keys));

	const get = signLogRequest({method: 'GET', path: '/', query: {offset: '0', size: '500'}, date}, nodeKeys);
	t.is(get['x-log-bodyrawsize'], '0');
	t.is(get['Content-MD5'], undefined);
	t.is(get['Authorization'], logAuthorization('GET\n\n\nMon, 09 Nov 2015 06:03:03 GMT\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:0\nx-log-signaturemethod:hmac-sha1\n/?offset=0&size=500', nodeKeys));
});
