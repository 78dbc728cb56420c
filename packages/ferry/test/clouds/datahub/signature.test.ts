/**
 * No DataHub SDK (python, go, java, cpp) ships a signature test with fixed inputs and outputs. These vectors were
 * produced by running the vendor's own signer, aliyun-datahub-sdk-python @ 888ed43 `datahub/auth/aliyun_account.py`
 * (`AliyunAccount._build_canonical_str` and `sign_request` on a prepared `requests` request with the headers below),
 * outside this repository; the first one is also worked through by hand.
 */
import {createHmac} from 'node:crypto';
import test from 'ava';
import {dataHubAuthorization, dataHubStringToSign, signDataHubRequest} from '../../../source/clouds/datahub/signature.js';

const keys = {accessKeyId: 'LTAI5tFerryVectorKey', accessKeySecret: 'ferryVectorSecret0123456789abcd'};
const date = 'Thu, 19 Nov 2026 08:00:00 GMT';
const common = {contentType: 'application/json', date, headers: {'x-datahub-client-version': '1.1', 'User-Agent': 'ferry-test'}};

test('GET /projects, step by step', t => {
	// 1. METHOD, Content-Type, Date, each x-datahub-* header as name:value (sorted), the resource; joined with \n.
	const stringToSign = dataHubStringToSign({...common, method: 'GET', path: '/projects'});
	t.is(stringToSign, 'GET\napplication/json\nThu, 19 Nov 2026 08:00:00 GMT\nx-datahub-client-version:1.1\n/projects');
	// 2. base64(HMAC-SHA1(secret, string)) — checked with node:crypto directly…
	t.is(createHmac('sha1', keys.accessKeySecret).update(stringToSign).digest('base64'), 'RMEgaWI6KDm2bZAALzk7ZOxTTnE=');
	// 3. …and the header, as the Python SDK produced it.
	t.is(dataHubAuthorization(stringToSign, keys), 'DATAHUB LTAI5tFerryVectorKey:RMEgaWI6KDm2bZAALzk7ZOxTTnE=');
});

test('POST with an STS token header: the token is signed like any x-datahub-* header', t => {
	const stringToSign = dataHubStringToSign({
		...common,
		method: 'POST',
		headers: {...common.headers, 'x-datahub-security-token': 'CAISstsTokenExample=='},
		path: '/projects/ferry_demo/topics/events/shards',
	});
	t.is(stringToSign, 'POST\napplication/json\nThu, 19 Nov 2026 08:00:00 GMT\nx-datahub-client-version:1.1\nx-datahub-security-token:CAISstsTokenExample==\n/projects/ferry_demo/topics/events/shards');
	t.is(dataHubAuthorization(stringToSign, keys), 'DATAHUB LTAI5tFerryVectorKey:IchtZPoFbC55gDUd5sRfH4Gl1VQ=');
});

test('query parameters: k=v, bare keys for empty values, sorted by key', t => {
	const list = dataHubStringToSign({...common, method: 'GET', path: '/projects/ferry_demo/topics/events/connectors', query: {mode: 'id'}});
	t.is(dataHubAuthorization(list, keys), 'DATAHUB LTAI5tFerryVectorKey:8ohgZLU2YnCUR3W3tIH2mfYDqWA=');

	const doneTime = dataHubStringToSign({...common, method: 'GET', path: '/projects/ferry_demo/topics/events/connectors/sink_odps', query: {donetime: ''}});
	t.true(doneTime.endsWith('\n/projects/ferry_demo/topics/events/connectors/sink_odps?donetime'));
	t.is(dataHubAuthorization(doneTime, keys), 'DATAHUB LTAI5tFerryVectorKey:uGf32YwZN9JrFkFqW1qJayjo/Xg=');

	const sorted = dataHubStringToSign({
		...common,
		method: 'GET',
		headers: {...common.headers, 'X-DataHub-Request-Action': 'sub'},
		path: '/projects/ferry_demo/topics',
		query: {filter: 'ev', a: '1', donetime: ''},
	});
	t.is(sorted, 'GET\napplication/json\nThu, 19 Nov 2026 08:00:00 GMT\nx-datahub-client-version:1.1\nx-datahub-request-action:sub\n/projects/ferry_demo/topics?a=1&donetime&filter=ev');
	t.is(dataHubAuthorization(sorted, keys), 'DATAHUB LTAI5tFerryVectorKey:jHW21yjhPhgmLN+aicZrePi7xTY=');
});

test('the path is signed percent-decoded', t => {
	const encoded = dataHubStringToSign({...common, method: 'GET', path: '/projects/a%5Fb'});
	t.true(encoded.endsWith('\n/projects/a_b'));
});

test('signDataHubRequest adds Date, Content-Type, the client version, the STS token and Authorization', t => {
	const headers = signDataHubRequest({method: 'POST', path: '/projects/ferry_demo/topics/events/shards', date: new Date(Date.UTC(2026, 10, 19, 8))}, {...keys, securityToken: 'CAISstsTokenExample=='});
	t.deepEqual(headers, {
		Date: date,
		'Content-Type': 'application/json',
		'x-datahub-client-version': '1.1',
		'x-datahub-security-token': 'CAISstsTokenExample==',
		Authorization: 'DATAHUB LTAI5tFerryVectorKey:IchtZPoFbC55gDUd5sRfH4Gl1VQ=',
	});

	const plain = signDataHubRequest({method: 'GET', path: '/projects', date: new Date(Date.UTC(2026, 10, 19, 8))}, keys);
	t.is(plain.Authorization, 'DATAHUB LTAI5tFerryVectorKey:RMEgaWI6KDm2bZAALzk7ZOxTTnE=');
	t.false('x-datahub-security-token' in plain);
	t.false(Object.values(plain).some(value => value.includes(keys.accessKeySecret)));
});
