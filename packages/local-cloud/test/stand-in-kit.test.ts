import http from 'node:http';
import {Readable} from 'node:stream';
import test, {type ExecutionContext} from 'ava';
import {rpcErrorBody, rpcHeaders, rpcInternalError} from '../source/alibaba-rpc/rpc-api.js';
import {dataHubErrorBody} from '../source/datahub/errors.js';
import {createFaultPoint, healthProbeHeader, type FaultPoint} from '../source/faults.js';
import {logServiceErrorBody} from '../source/log-service/errors.js';
import {xmlDocument} from '../source/object-store/xml.js';
import {queryErrorXml} from '../source/query-protocol.js';
import {serveStandIn, StandInError, type StandInOptions, type StandInRequest} from '../source/stand-in-kit.js';

type Seen = {stages: string[]; bodies: string[]};

/** A stand-in on the kit whose stages say when they run; `overrides` replace any of them. */
async function serve(t: ExecutionContext, overrides: Partial<StandInOptions<string>> = {}): Promise<{url: string; faults: FaultPoint; seen: Seen}> {
	const seen: Seen = {stages: [], bodies: []};
	const faults = createFaultPoint();
	const served = await serveStandIn<string>({
		faults,
		requestId: () => 'REQ-1',
		body: {limit: 64, tooLarge: (size, limit) => new StandInError(413, 'TooLarge', `${size} > ${limit}`)},
		authenticate(request) {
			seen.stages.push('authenticate');
			seen.bodies.push(request.body.toString('utf8'));
			if (request.headers.authorization !== 'good') {
				throw new StandInError(403, 'Unauthorized', 'bad signature');
			}

			return 'caller-1';
		},
		async route(request, caller) {
			seen.stages.push(`route:${caller}`);
			return {body: {path: request.path, query: request.rawQuery, caller}};
		},
		errorBody: error => ({code: error.code, message: error.message}),
		internalError: error => new StandInError(500, 'Internal', `crashed: ${(error as Error).message}`),
		headers: request => ({'Content-Type': 'application/json', 'x-request-id': request.id}),
		...overrides,
	});
	t.teardown(async () => served.stop());
	return {url: `http://127.0.0.1:${served.port}`, faults, seen};
}

const signed = {authorization: 'good'};

test('the pipeline runs fault first, then the signature check, then the route', async t => {
	const {url, faults, seen} = await serve(t);
	faults.inject({status: 503, code: 'ServiceUnavailable'});
	const fault = await fetch(`${url}/a`, {headers: signed});
	t.is(fault.status, 503);
	t.deepEqual(await fault.json(), {code: 'ServiceUnavailable', message: 'Injected fault (ServiceUnavailable)'});
	t.deepEqual(seen.stages, [], 'a fault answers before the signature is checked');

	const unsigned = await fetch(`${url}/a`, {method: 'POST', body: 'hello'});
	t.is(unsigned.status, 403);
	t.deepEqual(await unsigned.json(), {code: 'Unauthorized', message: 'bad signature'});
	t.deepEqual(seen.stages, ['authenticate'], 'a refused signature never reaches the route');
	t.deepEqual(seen.bodies, ['hello'], 'the check sees the whole body');

	const routed = await fetch(`${url}/a/b?x=%20y`, {headers: signed});
	t.is(routed.status, 200);
	t.is(routed.headers.get('x-request-id'), 'REQ-1');
	t.deepEqual(await routed.json(), {path: '/a/b', query: 'x=%20y', caller: 'caller-1'});
	t.deepEqual(seen.stages, ['authenticate', 'authenticate', 'route:caller-1']);
});

test('a body over the service\'s limit gets its refusal before the signature is checked', async t => {
	const {url, seen} = await serve(t);
	const answer = await fetch(`${url}/`, {method: 'PUT', headers: signed, body: 'x'.repeat(65)});
	t.is(answer.status, 413);
	t.deepEqual(await answer.json(), {code: 'TooLarge', message: '65 > 64'});
	const large = await fetch(`${url}/`, {method: 'PUT', headers: signed, body: 'x'.repeat(4 * 1024 * 1024)});
	t.is(large.status, 413, 'a body of many chunks is refused too, and the refusal arrives');
	t.deepEqual(seen.stages, []);
});

test('a health probe is answered by the process: no fault is spent, no signature or route runs', async t => {
	const {url, faults, seen} = await serve(t);
	faults.inject({status: 500, code: 'InternalError'});
	const probe = await fetch(`${url}/`, {headers: {[healthProbeHeader]: '1'}});
	t.is(probe.status, 204);
	t.deepEqual(seen.stages, []);
	t.is((await fetch(`${url}/`, {headers: signed})).status, 500, 'the fault is still there for the next request');
});

test('an injected reset drops the connection', async t => {
	const {url, faults, seen} = await serve(t);
	faults.inject({reset: true});
	await t.throwsAsync(fetch(`${url}/`, {headers: signed}));
	t.deepEqual(seen.stages, []);
});

test('a crash in an action is the service\'s internal error, not a dropped connection', async t => {
	const {url} = await serve(t, {
		async route() {
			throw new TypeError('undefined is not a function');
		},
	});
	const answer = await fetch(`${url}/`, {headers: signed});
	t.is(answer.status, 500);
	t.deepEqual(await answer.json(), {code: 'Internal', message: 'crashed: undefined is not a function'});
});

test('the local DataWorks\' crash is its POP gateway InternalError', async t => {
	const {url} = await serve(t, {
		async route() {
			throw new Error('disk full');
		},
		errorBody: rpcErrorBody('dataworks-public'), internalError: rpcInternalError, headers: rpcHeaders,
	});
	const answer = await fetch(`${url}/`, {headers: signed});
	t.is(answer.status, 500);
	t.like(await answer.json(), {RequestId: 'REQ-1', Code: 'InternalError', Message: 'The request processing has failed due to some unknown error. (disk full)'});
});

test('once the answer has begun, a crash drops the connection: the client never takes a cut body for a whole one', async t => {
	const {url} = await serve(t, {
		async route() {
			const body = new Readable({read() {}});
			body.push('{"partial":');
			setTimeout(() => body.destroy(new Error('the disk went away')), 20);
			return {body, headers: {'Content-Length': '100'}};
		},
	});
	const answer = await new Promise<{status: number | undefined; error: Error}>((resolve, reject) => {
		http.get(`${url}/`, {headers: signed}, response => {
			response.on('data', () => undefined);
			response.on('error', error => resolve({status: response.statusCode, error}));
			response.on('end', () => reject(new Error('the body ended as if whole')));
		}).on('error', reject);
	});
	t.is(answer.status, 200);
	t.regex(answer.error.message, /aborted/);
});

const refusal = new StandInError(404, 'NoSuchThing', 'The thing <a&b> does not exist.', {Resource: 'things/a&b'});

async function refused(t: ExecutionContext, style: Pick<StandInOptions<string>, 'errorBody' | 'headers'>): Promise<{status: number; type: string | null; text: string; host: string}> {
	const {url} = await serve(t, {
		...style,
		async route() {
			throw refusal;
		},
	});
	const answer = await fetch(`${url}/`, {headers: signed});
	return {status: answer.status, type: answer.headers.get('content-type'), text: await answer.text(), host: new URL(url).host};
}

const json = (request: StandInRequest) => ({'Content-Type': 'application/json', 'x-request-id': request.id});

test('a StandInError in DataHub\'s JSON: {ErrorCode, ErrorMessage}', async t => {
	const answer = await refused(t, {errorBody: dataHubErrorBody, headers: json});
	t.is(answer.status, 404);
	t.deepEqual(JSON.parse(answer.text), {ErrorCode: 'NoSuchThing', ErrorMessage: 'The thing <a&b> does not exist.'});
});

test('a StandInError in Log Service\'s JSON: {errorCode, errorMessage}', async t => {
	const answer = await refused(t, {errorBody: logServiceErrorBody, headers: json});
	t.is(answer.status, 404);
	t.deepEqual(JSON.parse(answer.text), {errorCode: 'NoSuchThing', errorMessage: 'The thing <a&b> does not exist.'});
});

test('a StandInError in DataWorks\' JSON: the POP gateway\'s {RequestId, HostId, Code, Message, Recommend}', async t => {
	const answer = await refused(t, {errorBody: rpcErrorBody('dataworks-public'), headers: rpcHeaders});
	t.is(answer.status, 404);
	t.is(answer.type, 'application/json;charset=utf-8');
	t.deepEqual(JSON.parse(answer.text), {
		RequestId: 'REQ-1', HostId: answer.host, Code: 'NoSuchThing', Message: 'The thing <a&b> does not exist.',
		Recommend: 'https://api.aliyun.com/troubleshoot?q=NoSuchThing&product=dataworks-public',
	});
});

test('a StandInError in S3\'s XML, its extra fields beside Code and Message', async t => {
	const answer = await refused(t, {
		errorBody: (error, request) => xmlDocument('Error', {Code: error.code, Message: error.message, ...error.extra, RequestId: request.id}, false),
		headers: request => ({'Content-Type': 'application/xml', 'x-amz-request-id': request.id}),
	});
	t.is(answer.status, 404);
	t.is(answer.type, 'application/xml');
	t.is(answer.text, '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchThing</Code><Message>The thing &lt;a&amp;b&gt; does not exist.</Message><Resource>things/a&amp;b</Resource><RequestId>REQ-1</RequestId></Error>');
});

test('a StandInError in the AWS query protocol\'s XML (IAM, STS, Redshift): a refusal is the Sender\'s, a 5xx the Receiver\'s', async t => {
	const namespace = 'https://iam.amazonaws.com/doc/2010-05-08/';
	const style = {errorBody: (error: StandInError, request: StandInRequest) => queryErrorXml(namespace, error, request.id), headers: () => ({'content-type': 'text/xml'})};
	const answer = await refused(t, style);
	t.is(answer.status, 404);
	t.is(answer.text, `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>NoSuchThing</Code><Message>The thing &lt;a&amp;b&gt; does not exist.</Message></Error><RequestId>REQ-1</RequestId></ErrorResponse>`);
	const {url} = await serve(t, {
		...style,
		internalError: error => new StandInError(500, 'ServiceFailure', (error as Error).message),
		async route() {
			throw new Error('boom');
		},
	});
	const crashed = await fetch(`${url}/`, {headers: signed});
	t.is(crashed.status, 500);
	t.regex(await crashed.text(), /<Type>Receiver<\/Type><Code>ServiceFailure<\/Code><Message>boom<\/Message>/);
});
