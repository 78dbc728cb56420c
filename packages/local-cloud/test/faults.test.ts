import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test from 'ava';
import {createFaultPoint, faultCode, formatFaultRules, injectionFor, parseFaultSpec, FaultSpecError, type FaultPoint} from '../source/faults.js';

const services = ['s3', 'oss', 'redshift', 'maxcompute'];

test('parses counts, rates, reset and slow', t => {
	t.deepEqual(parseFaultSpec('s3:503:5%,maxcompute:reset:3,oss:slow:2,redshift:429:1,oss:slow:0.5:10%', services), [
		{service: 's3', kind: 503, rate: 0.05},
		{service: 'maxcompute', kind: 'reset', count: 3},
		{service: 'oss', kind: 'slow', delaySeconds: 2},
		{service: 'redshift', kind: 429, count: 1},
		{service: 'oss', kind: 'slow', delaySeconds: 0.5, rate: 0.1},
	]);
});

test('formats rules the way --faults spells them', t => {
	const spec = 's3:503:5%,maxcompute:reset:3,oss:slow:2,oss:slow:1:10%';
	t.is(formatFaultRules(parseFaultSpec(spec, services)), spec);
});

for (const [spec, reason] of [
	['dynamo:503:1', /unknown service/],
	['s3:503', /SERVICE:KIND:AMOUNT/],
	['s3:200:1', /HTTP error status/],
	['s3:boom:1', /HTTP error status/],
	['s3:503:0', /neither a count/],
	['s3:503:150%', /between 0% and 100%/],
	['s3:503:x%', /neither a count/],
	['s3:slow:0', /delay in seconds/],
	['s3:reset:1:2', /SERVICE:KIND:AMOUNT/],
	['', /no faults/],
] as const) {
	test(`rejects ${JSON.stringify(spec)}`, t => {
		const error = t.throws(() => parseFaultSpec(spec, services), {instanceOf: FaultSpecError});
		t.regex(error.message, reason);
	});
}

test('a status rule uses the service\'s own code for it', t => {
	t.is(faultCode('s3', 503), 'SlowDown');
	t.is(faultCode('maxcompute', 503), 'ServiceUnavailable');
	t.deepEqual(injectionFor({service: 's3', kind: 503, rate: 0.05}), {status: 503, code: 'SlowDown', rate: 0.05});
	t.deepEqual(injectionFor({service: 'oss', kind: 'slow', delaySeconds: 1.5}), {delayMs: 1500});
});

async function serve(faults: FaultPoint): Promise<{url: string; close: () => Promise<void>}> {
	const server = http.createServer((request, response) => {
		void (async () => {
			const fault = await faults.apply(request);
			if (fault?.type === 'reset') {
				return;
			}

			response.writeHead(fault ? fault.status : 200).end(fault ? fault.code : 'ok');
		})();
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
		close: async () => new Promise(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

test('a count fault hits the next N requests, then requests pass', async t => {
	const faults = createFaultPoint();
	faults.inject({status: 500, code: 'InternalError', count: 2});
	const server = await serve(faults);
	t.teardown(server.close);
	const statuses = [];
	for (let index = 0; index < 3; index++) {
		statuses.push((await fetch(server.url)).status);
	}

	t.deepEqual(statuses, [500, 500, 200]);
});

test('a rate fault hits that share of requests and never runs out', async t => {
	const draws = [0.01, 0.5, 0.04, 0.9];
	const faults = createFaultPoint({random: () => draws.shift() ?? 0.99});
	faults.inject(injectionFor({service: 's3', kind: 503, rate: 0.05}));
	const server = await serve(faults);
	t.teardown(server.close);
	const answers = [];
	for (let index = 0; index < 5; index++) {
		const response = await fetch(server.url);
		answers.push(`${response.status} ${await response.text()}`);
	}

	t.deepEqual(answers, ['503 SlowDown', '200 ok', '503 SlowDown', '200 ok', '200 ok']);
});

test('reset drops the connection without an answer', async t => {
	const faults = createFaultPoint();
	faults.inject(injectionFor({service: 's3', kind: 'reset', count: 1}));
	const server = await serve(faults);
	t.teardown(server.close);
	const error = await t.throwsAsync(fetch(server.url));
	t.regex(String((error?.cause as Error | undefined)?.message ?? error?.message), /socket|closed|reset|terminated/i);
	t.is((await fetch(server.url)).status, 200);
});

test('slow delays every request, then it proceeds', async t => {
	const faults = createFaultPoint();
	faults.inject(injectionFor({service: 's3', kind: 'slow', delaySeconds: 0.3}));
	const server = await serve(faults);
	t.teardown(server.close);
	for (let index = 0; index < 2; index++) {
		const started = Date.now();
		const response = await fetch(server.url);
		t.is(response.status, 200);
		t.true(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
	}
});
