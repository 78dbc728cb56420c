/**
 * A forward HTTP proxy for `*.localhost` names. Python (awscli) and Go resolve names through the system resolver,
 * which does not map `bucket.oss-region.localhost` to 127.0.0.1; with HTTP_PROXY pointing here the client sends
 * the absolute URL and its own Host header, and the proxy connects to 127.0.0.1 on the URL's port unchanged.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type LocalhostProxy = {url: string; close(): Promise<void>};

export async function startLocalhostProxy(): Promise<LocalhostProxy> {
	const server = http.createServer((request, response) => {
		let target: URL;
		try {
			target = new URL(request.url ?? '');
		} catch {
			response.writeHead(400).end('absolute URL expected');
			return;
		}

		if (target.protocol !== 'http:' || !(target.hostname === 'localhost' || target.hostname.endsWith('.localhost') || target.hostname === '127.0.0.1')) {
			response.writeHead(502).end(`the test proxy only reaches *.localhost, not ${target.hostname}`);
			return;
		}

		const headers = {...request.headers};
		delete headers['proxy-connection'];
		const upstream = http.request({host: '127.0.0.1', port: Number(target.port || 80), method: request.method, path: `${target.pathname}${target.search}`, headers}, answer => {
			response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
			answer.pipe(response);
		});
		upstream.on('error', error => {
			response.destroy(error);
		});
		request.pipe(upstream);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		async close() {
			await new Promise<void>(resolve => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
