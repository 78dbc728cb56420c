import {createServer} from 'node:net';
import test from 'ava';
import {resolveAlibabaCredentials} from '../../source/clouds/credentials/alibaba.js';
import {networkErrorMessage} from '../../source/clouds/network-message.js';
import {createOnlineMigrationClient} from '../../source/clouds/online-migration/client.js';
import {describeError} from '../../source/engine/errors.js';
import {silentLogger} from '../../source/log/logger.js';

/** A port that was free a moment ago: nothing listens on it. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as {port: number};
	await new Promise<void>(resolve => {
		server.close(() => resolve());
	});
	return port;
}

test('the request httpx glues to a network error is set apart, without its query', t => {
	t.is(
		networkErrorMessage('connect ECONNREFUSED 127.0.0.1:36363GET http://127.0.0.1:36363/?Action=ListAddress&Signature=abc failed.'),
		'connect ECONNREFUSED 127.0.0.1:36363 (GET http://127.0.0.1:36363/)',
	);
	t.is(networkErrorMessage('socket hang upPOST https://x.example/v2/jobs failed.'), 'socket hang up (POST https://x.example/v2/jobs)');
	t.is(networkErrorMessage('the service said no'), 'the service said no');
	t.is(networkErrorMessage('ConnectTimeout: Connect http://a/ failed.'), 'ConnectTimeout: Connect http://a/ failed.');
});

test('an unreachable Data Online Migration endpoint reads as cause, then request', async t => {
	const port = await closedPort();
	const client = createOnlineMigrationClient({
		endpoint: `http://127.0.0.1:${port}`, region: 'ap-southeast-1', accountId: '1000000000000000', logger: silentLogger,
		credentials: resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIexample', accessKeySecret: 'secret-example'}),
		retry: {attempts: 1},
	});
	const error = await t.throwsAsync(client.whoami());
	const {message} = describeError(error);
	t.notRegex(message, new RegExp(`:${port}(GET|POST|PUT|DELETE)`), message);
	t.regex(message, new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port} \\((GET|POST|PUT|DELETE) http://127\\.0\\.0\\.1:${port}/`), message);
	t.false(message.includes('Signature'), message);
});
