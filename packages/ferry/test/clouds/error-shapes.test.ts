/**
 * The classify stage of every hand-written client, through the pipeline: each service's own error shape (JSON or XML,
 * its field names and request-id header) for a credentials problem, throttling, a 5xx, a plain 4xx and a 501, answered
 * by a fake endpoint. Credentials problems exit 3 and are not retried; throttling and 5xx are retried; other 4xx are
 * not; 501 never is. The request id reaches the error.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test from 'ava';
import {resolveAlibabaCredentials} from '../../source/clouds/credentials/alibaba.js';
import {createDataHubClient} from '../../source/clouds/datahub/client.js';
import {createDataWorksClient} from '../../source/clouds/dataworks/client.js';
import {createLogServiceClient} from '../../source/clouds/log-service/client.js';
import {createMaxComputeClient} from '../../source/clouds/maxcompute/client.js';
import {createOnlineMigrationClient} from '../../source/clouds/online-migration/client.js';
import {createAlibabaStsClient, createRamClient} from '../../source/clouds/ram/client.js';
import {ServiceError} from '../../source/engine/errors.js';
import {silentLogger} from '../../source/log/logger.js';

type Answer = {status: number; headers: Record<string, string>; body: string};
type Shape = (status: number, code: string) => Answer;

const credentials = resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIshapes000001', accessKeySecret: 'shapes-secret-Lm4'});
const retry = {attempts: 2, baseDelayMs: 1, maxDelayMs: 2};
const xml = (code: string, requestId: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>said ${code}</Message><RequestId>${requestId}</RequestId></Error>`;

type Service = {
	name: string;
	shape: Shape;
	codes: {auth: string; throttling: string; server: string; client: string};
	call: (endpoint: string) => Promise<unknown>;
	host?: string;
};

const services: Service[] = [
	{
		name: 'DataHub',
		shape: (status, code) => ({status, headers: {'content-type': 'application/json', 'x-datahub-request-id': 'RID-datahub'}, body: JSON.stringify({ErrorCode: code, ErrorMessage: `said ${code}`})}),
		codes: {auth: 'Unauthorized', throttling: 'LimitExceeded', server: 'InternalServerError', client: 'InvalidParameter'},
		call: endpoint => createDataHubClient({endpoint, credentials, retry}).listProjects(),
	},
	{
		name: 'Log Service',
		shape: (status, code) => ({status, headers: {'content-type': 'application/json', 'x-log-requestid': 'RID-log'}, body: JSON.stringify({errorCode: code, errorMessage: `said ${code}`})}),
		codes: {auth: 'SignatureNotMatch', throttling: 'WriteQuotaExceed', server: 'InternalServerError', client: 'ParameterInvalid'},
		call: endpoint => createLogServiceClient({endpoint, credentials, retry}).listProjects(),
		host: 'ap-southeast-1.log.localhost',
	},
	{
		name: 'MaxCompute',
		shape: (status, code) => ({status, headers: {'content-type': 'application/xml', 'x-odps-request-id': 'RID-maxcompute'}, body: xml(code, 'RID-maxcompute')}),
		codes: {auth: 'InvalidAccessKeyId', throttling: 'QPSExceeded', server: 'InternalServerError', client: 'InvalidParameter'},
		call: endpoint => createMaxComputeClient({endpoint: `${endpoint}/api`, project: 'p', credentials: {accessKeyId: 'a', accessKeySecret: 'shapes-mc-secret'}, logger: silentLogger, attempts: retry.attempts, retryBaseDelayMs: 1}).getProject(),
	},
	{
		name: 'DataWorks',
		shape: (status, code) => ({status, headers: {'content-type': 'application/json;charset=utf-8'}, body: JSON.stringify({RequestId: 'RID-dataworks', HostId: 'h', Code: code, Message: `said ${code}`})}),
		codes: {auth: 'InvalidAccessKeyId.NotFound', throttling: 'Throttling.User', server: 'InternalError', client: 'Invalid.Parameter'},
		call: endpoint => createDataWorksClient({endpoint, regionId: 'ap-southeast-1', credentials, retry}).getProject(1),
	},
	{
		name: 'Data Online Migration',
		shape: (status, code) => ({status, headers: {'content-type': 'application/xml', 'x-oss-request-id': 'RID-mgw'}, body: xml(code, 'RID-mgw')}),
		codes: {auth: 'InvalidAccessKeyId', throttling: 'Throttling', server: 'InternalError', client: 'InvalidArgument'},
		call: endpoint => createOnlineMigrationClient({endpoint, region: 'ap-southeast-1', accountId: '1000000000000000', credentials, logger: silentLogger, retry}).whoami(),
	},
	{
		name: 'RAM',
		shape: (status, code) => ({status, headers: {'content-type': 'application/json;charset=utf-8'}, body: JSON.stringify({RequestId: 'RID-ram', HostId: 'ram.aliyuncs.com', Code: code, Message: `said ${code}`})}),
		codes: {auth: 'InvalidAccessKeyId.NotFound', throttling: 'Throttling.User', server: 'ServiceUnavailable', client: 'InvalidParameter.RoleName.InvalidChars'},
		call: endpoint => createRamClient({endpoint, credentials, retry}).listPoliciesForRole('r'),
	},
	{
		name: 'Alibaba Cloud STS',
		shape: (status, code) => ({status, headers: {'content-type': 'application/json;charset=utf-8'}, body: JSON.stringify({RequestId: 'RID-sts', HostId: 'sts.aliyuncs.com', Code: code, Message: `said ${code}`})}),
		codes: {auth: 'InvalidSecurityToken.Expired', throttling: 'Throttling', server: 'InternalError', client: 'InvalidParameter'},
		call: endpoint => createAlibabaStsClient({endpoint, credentials, retry}).getCallerIdentity(),
	},
];

/** Answers every request with the next scripted answer (then 200 with an empty body), counting them. */
async function fakeEndpoint(t: {teardown(fn: () => void): void}, script: Answer[]): Promise<{port: number; count: () => number}> {
	let count = 0;
	const server = http.createServer((request, response) => {
		request.resume();
		count++;
		const answer = script.shift() ?? {status: 200, headers: {}, body: ''};
		response.writeHead(answer.status, answer.headers).end(answer.body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(() => server.close());
	return {port: (server.address() as AddressInfo).port, count: () => count};
}

for (const service of services) {
	const cases: Array<{what: string; status: number; code: keyof Service['codes']; exitCode: number; requests: number}> = [
		{what: 'a credentials problem exits 3 and is not retried', status: service.name === 'DataHub' ? 401 : 403, code: 'auth', exitCode: 3, requests: 1},
		{what: 'throttling is retried', status: service.name === 'Log Service' ? 403 : (['DataWorks', 'RAM', 'Alibaba Cloud STS'].includes(service.name) ? 400 : 429), code: 'throttling', exitCode: 1, requests: 2},
		{what: 'a 5xx is retried', status: 503, code: 'server', exitCode: 1, requests: 2},
		{what: 'another 4xx is not retried', status: 400, code: 'client', exitCode: 1, requests: 1},
		{what: '501 is never retried', status: 501, code: 'server', exitCode: 1, requests: 1},
	];
	for (const entry of cases) {
		test(`${service.name}: ${entry.what}`, async t => {
			const answer = service.shape(entry.status, service.codes[entry.code]);
			const fake = await fakeEndpoint(t, [answer, answer, answer]);
			const error = await t.throwsAsync(service.call(`http://${service.host ?? '127.0.0.1'}:${fake.port}`), {instanceOf: ServiceError});
			t.is(error.exitCode as number, entry.exitCode, error.message);
			t.is(error.status, entry.status);
			t.is(error.code, service.codes[entry.code]);
			t.regex(error.requestId ?? '', /^RID-/);
			t.is(fake.count(), entry.requests, error.message);
		});
	}
}
