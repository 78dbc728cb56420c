import test from 'ava';
import {createHash} from 'node:crypto';
import {Readable} from 'node:stream';
import {MigrationApiError, MigrationGateway} from '../../../source/clouds/online-migration/gateway.js';
import {parseOssV4Authorization, signOssV4} from '../../../source/clouds/alibaba/oss-v4-signature.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {ConfigurationError} from '../../../source/engine/errors.js';
import {createOnlineMigrationClient} from '../../../source/clouds/online-migration/client.js';
import {silentLogger} from '../../../source/log/logger.js';

const credentials = resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIgateway', accessKeySecret: 'gateway-secret-0001'});

function context(endpoint: string, pathname: string, body?: unknown) {
	return {
		request: {headers: {}, query: {}, body, hostMap: {userid: '1234567890123456'}, pathname, method: body ? 'POST' : 'GET', reqBodyType: 'xml', bodyType: 'xml', userAgent: 'ferry-test'},
		configuration: {endpoint},
		response: {statusCode: 200, headers: {}, body: Readable.from([])},
	};
}

test('production requests go to {uid}.{region}.mgw.aliyuncs.com, XML body with Content-MD5, OSS4 signed', async t => {
	const gateway = new MigrationGateway({credentials, region: 'ap-southeast-1', now: () => new Date('2026-11-21T08:00:00Z')});
	const call = context('ap-southeast-1.mgw.aliyuncs.com', '/address', {ImportAddress: {Name: 'a_b', AddressDetail: {AddressType: 'oss', Bucket: 'b'}}});
	await gateway.modifyRequest(call as never);
	const headers = call.request.headers as Record<string, string>;
	t.is(headers.host, '1234567890123456.ap-southeast-1.mgw.aliyuncs.com');
	const xml = (call.request as {stream?: string}).stream ?? '';
	t.regex(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><ImportAddress><Name>a_b<\/Name><AddressDetail><AddressType>oss<\/AddressType><Bucket>b<\/Bucket><\/AddressDetail><\/ImportAddress>$/);
	t.is(headers['content-md5'], createHash('md5').update(xml).digest('base64'));
	t.is(headers['x-oss-date'], '20261121T080000Z');
	const parsed = parseOssV4Authorization(headers.authorization);
	t.like(parsed, {accessKeyId: 'LTAIgateway', date: '20261121', region: 'ap-southeast-1', product: 'oss'});
	const expected = signOssV4({method: 'POST', resource: '/address', query: {}, headers, dateTime: '20261121T080000Z', region: 'ap-southeast-1'}, 'LTAIgateway', 'gateway-secret-0001');
	t.is(parsed?.signature, expected.signature);
});

test('sub-resources such as ?verify move into the signed query; a local endpoint keeps its bare host', async t => {
	const gateway = new MigrationGateway({credentials, region: 'ap-southeast-1'});
	const call = context('127.0.0.1:4567', '/address/src?verify');
	await gateway.modifyRequest(call as never);
	t.is(call.request.pathname, '/address/src');
	t.deepEqual(call.request.query, {verify: ''});
	t.is((call.request.headers as Record<string, string>).host, '127.0.0.1:4567');
});

test('OSS-style error bodies become MigrationApiError with code, status and request id', async t => {
	const gateway = new MigrationGateway({credentials, region: 'ap-southeast-1'});
	const call = context('127.0.0.1:1', '/job/x');
	call.response = {statusCode: 404, headers: {'x-oss-request-id': 'header-id'}, body: Readable.from([Buffer.from('<?xml version="1.0"?><Error><Code>NoSuchImportJob</Code><Message>gone</Message><RequestId>REQ1</RequestId></Error>')])};
	const error = await t.throwsAsync(gateway.modifyResponse(call as never), {instanceOf: MigrationApiError});
	t.like(error, {status: 404, code: 'NoSuchImportJob', message: 'gone', requestId: 'REQ1'});
});

test('the client needs a region it can sign with', t => {
	t.throws(() => createOnlineMigrationClient({endpoint: 'http://127.0.0.1:1', accountId: '1', credentials, logger: silentLogger}), {instanceOf: ConfigurationError});
	const client = createOnlineMigrationClient({endpoint: 'cn-beijing.mgw.aliyuncs.com', accountId: '1', credentials, logger: silentLogger});
	t.is(client.region, 'cn-beijing');
	t.is(client.endpoint, 'https://cn-beijing.mgw.aliyuncs.com');
});
