import http from 'node:http';

/**
 * An HTTP agent that resolves every name to 127.0.0.1, where the stand-ins listen: vendor SDKs put bucket and project
 * names in the host (`*.localhost`), which Node's resolver does not map, so tests give the SDK this agent, as a user
 * would for any *.localhost name.
 */
export function loopbackAgent(): http.Agent {
	return new http.Agent({
		keepAlive: true,
		lookup(_hostname, options, callback) {
			if ((options as {all?: boolean}).all) {
				(callback as unknown as (error: null, addresses: Array<{address: string; family: number}>) => void)(null, [{address: '127.0.0.1', family: 4}]);
			} else {
				callback(null, '127.0.0.1', 4);
			}
		},
	});
}
