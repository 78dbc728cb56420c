/**
 * Proxies: the NO_PROXY reading by itself, then ferry's clients against a real forward proxy written here (absolute-URI
 * HTTP forwarding, and CONNECT, which it records and refuses). Real-looking endpoints go through it; the local cloud's
 * names never do, whatever HTTP_PROXY says; NO_PROXY exempts a host. The tests set process.env, so they run serially.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test from 'ava';
import {resolveAlibabaCredentials} from '../../source/clouds/credentials/alibaba.js';
import {createDataHubClient} from '../../source/clouds/datahub/client.js';
import {createDataWorksClient} from '../../source/clouds/dataworks/client.js';
import {createMaxComputeClient} from '../../source/clouds/maxcompute/client.js';
import {createObjectStore} from '../../source/clouds/object-store/client.js';
import {isExemptFromProxy, isLocalHost, nodeSendsThroughProxies, proxyFor} from '../../source/clouds/proxy.js';
import {ConfigurationError, ServiceError} from '../../source/engine/errors.js';
import {silentLogger} from '../../source/log/logger.js';
import {redact} from '../../source/log/redact.js';

const credentials = resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIproxytest0001', accessKeySecret: 'proxy-test-secret-Hq3'});

test('NO_PROXY: host names match themselves and their subdomains, in every written form; ports; *', t => {
	const cases: Array<[string, string, string, boolean]> = [
		['dh-ap-southeast-1.aliyuncs.com', '443', 'aliyuncs.com', true],
		['dh-ap-southeast-1.aliyuncs.com', '443', '.aliyuncs.com', true],
		['dh-ap-southeast-1.aliyuncs.com', '443', '*.aliyuncs.com', true],
		['aliyuncs.com', '443', '.aliyuncs.com', true],
		['notaliyuncs.com', '443', 'aliyuncs.com', false],
		['notaliyuncs.com', '443', '.aliyuncs.com', false],
		['s3.amazonaws.com', '443', 'example.com, amazonaws.com', true],
		['s3.amazonaws.com', '443', 'example.com amazonaws.com', true],
		['s3.amazonaws.com', '443', 'amazonaws.com:443', true],
		['s3.amazonaws.com', '8443', 'amazonaws.com:443', false],
		['S3.AmazonAWS.com.', '443', 'AMAZONAWS.COM', true],
		['10.1.2.3', '80', '10.1.2.3', true],
		['10.1.2.4', '80', '10.1.2.3', false],
		['fd00::1', '443', '[fd00::1]:443', true],
		['anything.example', '80', '*', true],
		['anything.example', '80', '', false],
		['anything.example', '80', ' , ', false],
	];
	for (const [host, port, noProxy, exempt] of cases) {
		t.is(isExemptFromProxy(host, port, noProxy), exempt, `${host}:${port} with NO_PROXY="${noProxy}"`);
	}
});

test('proxyFor: the scheme\'s variable (lower case first), never for the local cloud, a ConfigurationError for a bad URL', t => {
	const env = {HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'proxy.corp:8080'};
	t.is(proxyFor(new URL('https://dh-ap-southeast-1.aliyuncs.com/projects'), env)?.href, 'http://lower:3128/');
	t.is(proxyFor(new URL('http://dh-ap-southeast-1.aliyuncs.com/projects'), env)?.href, 'http://proxy.corp:8080/', 'a bare host:port is an http proxy');
	t.is(proxyFor(new URL('https://x.example'), {}), undefined);
	t.is(proxyFor(new URL('https://x.example'), {HTTPS_PROXY: '  '}), undefined);
	for (const local of ['http://127.0.0.1:4000/', 'http://localhost:1/', 'http://bucket.oss-ap-southeast-1.localhost:9000/', 'http://[::1]:80/', 'http://127.1.2.3/']) {
		t.is(proxyFor(new URL(local), {HTTP_PROXY: 'http://p:1', NO_PROXY: ''}), undefined, local);
		t.true(isLocalHost(new URL(local).hostname), local);
	}

	t.throws(() => proxyFor(new URL('https://x.example'), {HTTPS_PROXY: 'http://[bad'}), {instanceOf: ConfigurationError});
	t.throws(() => proxyFor(new URL('https://x.example'), {HTTPS_PROXY: 'socks5://p:1080'}), {instanceOf: ConfigurationError, message: /socks5/});
	proxyFor(new URL('https://x.example'), {HTTPS_PROXY: 'http://user:proxy-pass-9Kq@p:3128'});
	t.false(redact('via http://user:proxy-pass-9Kq@p:3128').includes('proxy-pass-9Kq'), 'the proxy password is a secret');
});

test('Node.js sends through a proxy from 22.21 and 24.5 on', t => {
	for (const version of ['22.21.0', '22.23.3', '24.5.0', '24.21.0', '25.0.0']) {
		t.true(nodeSendsThroughProxies(version), version);
	}

	for (const version of ['22.13.0', '22.20.9', '23.11.0', '24.4.1']) {
		t.false(nodeSendsThroughProxies(version), version);
	}
});

type Proxy = {url: string; seen: string[]};

/** A forward proxy that sends every absolute-URI request to `target` (keeping its Host), and records CONNECTs and refuses them. */
async function startProxy(t: {teardown(fn: () => void): void}, target: number): Promise<Proxy> {
	const seen: string[] = [];
	const server = http.createServer((request, response) => {
		seen.push(`${request.method} ${request.url}`);
		const url = new URL(request.url ?? '');
		const upstream = http.request({host: '127.0.0.1', port: target, method: request.method, path: `${url.pathname}${url.search}`, headers: request.headers}, answer => {
			response.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(response);
		});
		upstream.on('error', () => response.writeHead(502).end());
		request.pipe(upstream);
	});
	server.on('connect', (request, socket) => {
		seen.push(`CONNECT ${request.url}`);
		socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen};
}

/** Answers as DataHub (ListProjects), DataWorks (GetProject) or S3 (HeadBucket) by the Host it is sent, and records the Host. */
async function startFakeCloud(t: {teardown(fn: () => void): void}): Promise<{port: number; hosts: string[]}> {
	const hosts: string[] = [];
	const server = http.createServer((request, response) => {
		const host = request.headers.host ?? '';
		hosts.push(host);
		request.resume();
		if (host.startsWith('dataworks.')) {
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({RequestId: 'r', Success: true, Data: {ProjectId: 7, ProjectName: 'via', ProjectMode: 3}}));
		} else if (host.startsWith('s3.')) {
			response.writeHead(200, {'x-amz-request-id': 'r'}).end();
		} else {
			response.writeHead(200, {'content-type': 'application/json', 'x-datahub-request-id': 'r'}).end(JSON.stringify({ProjectNames: ['via']}));
		}
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(() => server.close());
	return {port: (server.address() as AddressInfo).port, hosts};
}

function withEnvironment(t: {teardown(fn: () => void): void}, values: Record<string, string | undefined>): void {
	const names = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
	const saved = Object.fromEntries(names.map(name => [name, process.env[name]]));
	for (const name of names) {
		delete process.env[name];
	}

	Object.assign(process.env, values);
	t.teardown(() => {
		for (const name of names) {
			if (saved[name] === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = saved[name];
			}
		}
	});
}

test.serial('real-looking endpoints go through the proxy (HTTP forwarding and CONNECT); the local cloud never does', async t => {
	const cloud = await startFakeCloud(t);
	const proxy = await startProxy(t, cloud.port);
	withEnvironment(t, {HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url});

	const datahub = createDataHubClient({endpoint: 'http://dh-ap-southeast-1.aliyuncs.com', credentials, retry: {attempts: 1}});
	t.deepEqual(await datahub.listProjects(), ['via']);
	const dataworks = createDataWorksClient({endpoint: 'http://dataworks.ap-southeast-1.aliyuncs.com', regionId: 'ap-southeast-1', credentials, retry: {attempts: 1}});
	t.like(await dataworks.getProject(7), {projectId: 7, name: 'via', mode: 'standard'});
	const s3 = createObjectStore({kind: 's3', endpoint: 'http://s3.ap-southeast-1.amazonaws.com', region: 'ap-southeast-1', forcePathStyle: true, credentials: {accessKeyId: 'AKIDPROXYTEST', secretAccessKey: 'proxy-s3-secret'}, logger: silentLogger, attempts: 1});
	t.true(await s3.bucketExists('landing'));
	t.deepEqual(cloud.hosts, ['dh-ap-southeast-1.aliyuncs.com', 'dataworks.ap-southeast-1.aliyuncs.com', 's3.ap-southeast-1.amazonaws.com'], 'each Host kept through the proxy');
	t.deepEqual(proxy.seen.map(line => line.replace(/\?.*$/, '')), [
		'GET http://dh-ap-southeast-1.aliyuncs.com/projects',
		'POST http://dataworks.ap-southeast-1.aliyuncs.com/',
		'HEAD http://s3.ap-southeast-1.amazonaws.com/landing/',
	]);

	const maxcompute = createMaxComputeClient({endpoint: 'https://service.ap-southeast-1.maxcompute.aliyun.com/api', project: 'p', credentials: {accessKeyId: 'a', accessKeySecret: 'proxy-mc-secret'}, logger: silentLogger, attempts: 1});
	const refused = await t.throwsAsync(maxcompute.getProject(), {instanceOf: ServiceError});
	t.regex(refused.message, /could not reach .*maxcompute/);
	t.is(proxy.seen.at(-1), 'CONNECT service.ap-southeast-1.maxcompute.aliyun.com:443', 'https goes through a CONNECT tunnel');

	const seenBefore = proxy.seen.length;
	for (const endpoint of [`http://127.0.0.1:${cloud.port}`, `http://dh-ap-southeast-1.datahub.localhost:${cloud.port}`]) {
		const local = createDataHubClient({endpoint, credentials, retry: {attempts: 1}});
		t.deepEqual(await local.listProjects(), ['via'], endpoint);
	}

	t.is(proxy.seen.length, seenBefore, 'the local cloud is reached directly');
});

test.serial('NO_PROXY exempts a host: it is reached directly, and without the entry it goes through the proxy', async t => {
	const cloud = await startFakeCloud(t);
	const proxy = await startProxy(t, cloud.port);
	// 192.0.2.0/24 is TEST-NET-1 (RFC 5737): nothing answers there directly.
	const endpoint = 'http://192.0.2.1:8080';
	withEnvironment(t, {HTTP_PROXY: proxy.url, NO_PROXY: 'localhost, 192.0.2.1'});
	const direct = createDataHubClient({endpoint, credentials, timeoutMs: 300, retry: {attempts: 1}});
	await t.throwsAsync(direct.listProjects(), {instanceOf: ServiceError});
	t.deepEqual(proxy.seen, []);

	process.env.NO_PROXY = 'localhost, 192.0.2.1:9999';
	const proxied = createDataHubClient({endpoint, credentials, timeoutMs: 3000, retry: {attempts: 1}});
	t.deepEqual(await proxied.listProjects(), ['via'], 'an entry for another port does not exempt it');
	t.deepEqual(proxy.seen, ['GET http://192.0.2.1:8080/projects']);
});
