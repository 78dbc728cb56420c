/**
 * A forward proxy for `*.localhost` names, run by the local-cloud daemon. Python (awscli, boto3) and Go (rclone) ask
 * the system resolver, which does not map `bucket.oss-region.localhost` to 127.0.0.1; with HTTP_PROXY pointing here a
 * client sends the absolute URL with its own Host header, and the proxy connects to 127.0.0.1 on the URL's port, the
 * Host header (and so the virtual-hosted bucket or project, and the signature) unchanged. It never connects anywhere
 * but 127.0.0.1, and there (in the daemon) only to the local cloud's own ports: any other destination gets 403, so it
 * can neither become an open relay nor reach another program on the machine (`http://evil.localhost:22/`).
 */
import http from 'node:http';
import net, {type AddressInfo} from 'node:net';

export type LocalhostProxy = {url: string; port: number; close(): Promise<void>};

/** The proxy's name among the remembered ports (and for `local-cloud start --ports`). */
export const localhostProxyPortName = 'localhost-proxy';

/** Whether the proxy may reach a host name: localhost, its subdomains and the IPv4 loopback address the stand-ins use. */
export function isLocalDestination(hostname: string): boolean {
	const name = hostname.toLowerCase().replace(/\.$/, '');
	return name === 'localhost' || name.endsWith('.localhost') || name === '127.0.0.1';
}

function parsePort(text: string, fallback: number): number | undefined {
	if (text === '') {
		return fallback;
	}

	const port = Number(text);
	return Number.isInteger(port) && port > 0 && port <= 65_535 ? port : undefined;
}

function refuse(response: http.ServerResponse, status: number, message: string): void {
	response.writeHead(status, {'content-type': 'text/plain; charset=utf-8', connection: 'close'}).end(`${message}\n`);
}

/** The ports the proxy may connect to; undefined: any port of 127.0.0.1 (tests that proxy to servers of their own). */
type AllowedPorts = ReadonlySet<number> | undefined;

function allowed(ports: AllowedPorts, port: number): boolean {
	return ports === undefined || ports.has(port);
}

function forward(ports: AllowedPorts, request: http.IncomingMessage, response: http.ServerResponse): void {
	let target: URL;
	try {
		target = new URL(request.url ?? '');
	} catch {
		refuse(response, 400, 'ferry localhost proxy: an absolute http:// URL is expected');
		return;
	}

	const port = parsePort(target.port, 80);
	if (target.protocol !== 'http:' || !isLocalDestination(target.hostname) || port === undefined) {
		refuse(response, 403, `ferry localhost proxy: only http://*.localhost is reachable through this proxy, not ${target.protocol}//${target.host}`);
		return;
	}

	if (!allowed(ports, port)) {
		refuse(response, 403, `ferry localhost proxy: port ${port} is not one of the local cloud's`);
		return;
	}

	const headers = {...request.headers};
	delete headers['proxy-connection'];
	delete headers['proxy-authorization'];
	const upstream = http.request({host: '127.0.0.1', port, method: request.method, path: `${target.pathname}${target.search}`, headers}, answer => {
		response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
		answer.pipe(response);
	});
	upstream.on('error', error => {
		if (response.headersSent) {
			response.destroy(error);
		} else {
			refuse(response, 502, `ferry localhost proxy: 127.0.0.1:${port} did not answer (${(error as NodeJS.ErrnoException).code ?? error.message})`);
		}
	});
	request.pipe(upstream);
}

/** CONNECT host:port tunnels, for clients that tunnel even plain HTTP; the same 127.0.0.1-only rule applies. */
function tunnel(ports: AllowedPorts, request: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
	const authority = request.url ?? '';
	const separator = authority.lastIndexOf(':');
	const hostname = separator > 0 ? authority.slice(0, separator).replace(/^\[|\]$/g, '') : authority;
	const port = separator > 0 ? parsePort(authority.slice(separator + 1), 443) : undefined;
	if (!isLocalDestination(hostname) || port === undefined || !allowed(ports, port)) {
		socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nferry localhost proxy: only *.localhost is reachable through this proxy, not ${authority}\n`);
		return;
	}

	const upstream = net.connect({host: '127.0.0.1', port}, () => {
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) {
			upstream.write(head);
		}

		upstream.pipe(socket);
		socket.pipe(upstream);
	});
	upstream.on('error', () => {
		socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
	});
	socket.on('error', () => upstream.destroy());
}

async function listen(server: http.Server, port: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const failed = (error: Error) => {
			server.off('listening', listening);
			reject(error);
		};

		const listening = () => {
			server.off('error', failed);
			resolve();
		};

		server.once('error', failed);
		server.once('listening', listening);
		server.listen(port, '127.0.0.1');
	});
}

/**
 * Starts the proxy on 127.0.0.1; with `allowedPorts` (the daemon passes its stand-ins' ports) it connects to those only. `port` is the one remembered from an earlier start; when another program holds it,
 * a free port is taken instead (the state file, and so `ferry local-cloud env`, names whichever is used).
 */
export async function startLocalhostProxy(options: {port?: number | undefined; allowedPorts?: ReadonlySet<number>} = {}): Promise<LocalhostProxy> {
	const sockets = new Set<net.Socket>();
	const server = http.createServer((request, response) => forward(options.allowedPorts, request, response));
	server.on('connect', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => tunnel(options.allowedPorts, request, socket, head));
	server.on('connection', socket => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	try {
		await listen(server, options.port ?? 0);
	} catch (error) {
		if (!options.port || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
			throw error;
		}

		await listen(server, 0);
	}

	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		async close() {
			await new Promise<void>(resolve => {
				server.close(() => resolve());
				for (const socket of sockets) {
					socket.destroy();
				}
			});
		},
	};
}
