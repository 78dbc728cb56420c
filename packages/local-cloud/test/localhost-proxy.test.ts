import http from 'node:http';
import net, {type AddressInfo} from 'node:net';
import test from 'ava';
import {isLocalDestination, startLocalhostProxy} from '../source/localhost-proxy.js';

/** A tiny origin on 127.0.0.1 that echoes the Host header and path it received. */
async function startOrigin(): Promise<{port: number; close(): Promise<void>}> {
	const server = http.createServer((request, response) => {
		response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({host: request.headers.host, path: request.url, method: request.method}));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {port: (server.address() as AddressInfo).port, close: async () => new Promise<void>(resolve => {
		server.close(() => resolve());
		server.closeAllConnections();
	})};
}

/** A request in proxy form: the absolute URL as the request target, sent to the proxy. */
async function viaProxy(proxyPort: number, target: string, method = 'GET'): Promise<{status: number; body: string}> {
	const url = new URL(target);
	return new Promise((resolve, reject) => {
		const request = http.request({host: '127.0.0.1', port: proxyPort, method, path: target, headers: {host: url.host}}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
		});
		request.on('error', reject);
		request.end();
	});
}

async function connect(proxyPort: number, authority: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(proxyPort, '127.0.0.1', () => {
			socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
		});
		let answer = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			answer += chunk;
			if (answer.includes('\r\n\r\n')) {
				socket.destroy();
				resolve(answer);
			}
		});
		socket.on('error', reject);
		socket.on('close', () => resolve(answer));
	});
}

test('isLocalDestination: localhost, its subdomains and 127.0.0.1 only', t => {
	t.true(isLocalDestination('bucket.oss-ap-southeast-1.localhost'));
	t.true(isLocalDestination('LOCALHOST'));
	t.true(isLocalDestination('127.0.0.1'));
	t.false(isLocalDestination('example.com'));
	t.false(isLocalDestination('localhost.example.com'));
	t.false(isLocalDestination('evillocalhost'));
	t.false(isLocalDestination('10.0.0.1'));
});

test('a *.localhost request reaches 127.0.0.1 on its port with its own Host header', async t => {
	const origin = await startOrigin();
	const proxy = await startLocalhostProxy();
	t.teardown(async () => {
		await proxy.close();
		await origin.close();
	});
	const answer = await viaProxy(proxy.port, `http://bucket.oss-ap-southeast-1.localhost:${origin.port}/key?list-type=2`);
	t.is(answer.status, 200);
	t.deepEqual(JSON.parse(answer.body), {host: `bucket.oss-ap-southeast-1.localhost:${origin.port}`, path: '/key?list-type=2', method: 'GET'});
});

test('any other destination is refused with 403, for plain requests and CONNECT alike', async t => {
	const proxy = await startLocalhostProxy();
	t.teardown(async () => proxy.close());
	const plain = await viaProxy(proxy.port, 'http://example.com/');
	t.is(plain.status, 403);
	t.regex(plain.body, /only http:\/\/\*\.localhost/);
	t.is((await viaProxy(proxy.port, 'http://localhost.example.com:80/')).status, 403);
	t.is((await viaProxy(proxy.port, 'http://10.0.0.1:80/')).status, 403);
	t.regex(await connect(proxy.port, 'example.com:443'), /^HTTP\/1\.1 403 /);
});

test('CONNECT to a *.localhost port tunnels to 127.0.0.1', async t => {
	const origin = await startOrigin();
	const proxy = await startLocalhostProxy();
	t.teardown(async () => {
		await proxy.close();
		await origin.close();
	});
	t.regex(await connect(proxy.port, `project.ap-southeast-1.log.localhost:${origin.port}`), /^HTTP\/1\.1 200 /);
});

test('a remembered port is reused; when another program holds it a free one is taken', async t => {
	const first = await startLocalhostProxy();
	const port = first.port;
	const busy = await startLocalhostProxy({port});
	t.not(busy.port, port);
	await busy.close();
	await first.close();
	const again = await startLocalhostProxy({port});
	t.is(again.port, port);
	await again.close();
});

test('with the local cloud\'s ports named, any other loopback port is refused (http://evil.localhost:22/)', async t => {
	const own = await startOrigin();
	const other = await startOrigin();
	const proxy = await startLocalhostProxy({allowedPorts: new Set([own.port])});
	t.teardown(async () => {
		await proxy.close();
		await own.close();
		await other.close();
	});
	t.is((await viaProxy(proxy.port, `http://bucket.oss-ap-southeast-1.localhost:${own.port}/`)).status, 200);
	const refused = await viaProxy(proxy.port, `http://evil.localhost:${other.port}/`);
	t.is(refused.status, 403);
	t.regex(refused.body, new RegExp(`port ${other.port} is not one of the local cloud's`));
	t.is((await viaProxy(proxy.port, 'http://evil.localhost:22/')).status, 403);
	t.is((await viaProxy(proxy.port, 'http://127.0.0.1:22/')).status, 403);
	t.regex(await connect(proxy.port, `evil.localhost:${other.port}`), /^HTTP\/1\.1 403 /);
	t.regex(await connect(proxy.port, `project.log.localhost:${own.port}`), /^HTTP\/1\.1 200 /);
});
