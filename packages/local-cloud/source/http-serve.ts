import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type ServedHttp = {port: number; stop(): Promise<void>};

/**
 * The HTTP scaffolding every stand-in shares: listen on 127.0.0.1 (a port in use rejects the start), keep idle
 * sockets open longer than the clients do, and stop by dropping open connections first. What a request means,
 * including an injected fault and the service's error shape, stays with the stand-in's handler. A handler that
 * throws past its own error path gets `onCrash`, or a dropped connection once the answer has begun.
 */
export async function serveHttp(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>, options: {port?: number; onCrash?: (error: unknown, response: ServerResponse) => void} = {}): Promise<ServedHttp> {
	const server = http.createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (response.headersSent || !options.onCrash) {
				response.destroy();
				return;
			}

			options.onCrash(error, response);
		});
	});
	// Longer than the clients' idle-socket timeouts, so a client never reuses a socket the server is closing.
	server.keepAliveTimeout = 30_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	let stopping: Promise<void> | undefined;
	return {
		port: (server.address() as AddressInfo).port,
		stop() {
			stopping ??= new Promise<void>(resolve => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return stopping;
		},
	};
}
