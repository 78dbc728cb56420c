import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {startLogServiceStandIn} from '@ferry/local-cloud/log-service/server';
import {createLogServiceClient} from '../../../source/clouds/log-service/client.js';
import {sampleLogsQuery, type LogCheckPlan} from '../../../wizards/maxcompute-to-loghub/verification.js';

const keys = {accessKeyId: 'LTAIsamplequery01', secret: 'sample-query-secret'};

test('the sample\'s logs are found by one analytic query: exact values, empty ones, quotes and newlines, a log written twice', async t => {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-sample-query-'));
	const standIn = await startLogServiceStandIn({dataDir, region: 'ap-southeast-1', credentials: keys});
	t.teardown(async () => {
		await standIn.close();
		await fs.rm(dataDir, {recursive: true, force: true});
	});
	const client = createLogServiceClient({endpoint: standIn.url, credentials: {description: 'test keys', getCredentials: async () => ({accessKeyId: keys.accessKeyId, accessKeySecret: keys.secret})}});
	await client.createProject('sample-logs', 'test');
	await client.createLogstore('sample-logs', 'logs', {ttlDays: 30, shardCount: 2});
	await client.createIndex('sample-logs', 'logs', {keys: {name: {type: 'text', caseSensitive: true, token: [' ']}, note: {type: 'text', caseSensitive: true, token: [' ']}}});
	const time = Math.floor(Date.now() / 1000);
	const logs = [['u1', 'it\'s "one"'], ['u2', ''], ['u3', 'two\nlines'], ['u1', 'it\'s "one"'], ['u4', 'other'], ['u11', 'it\'s "one"']];
	await client.putLogs('sample-logs', 'logs', {topic: 'sample', logs: logs.map(([name, note]) => ({time, contents: {name: name!, note: note!}}))});
	const plan: LogCheckPlan = {table: 't', partitionColumn: 'pt', partitionValue: '1', columns: [{name: 'name', type: 'string'}, {name: 'note', type: 'string'}]};
	const query = sampleLogsQuery(plan, [['u1', 'it\'s "one"'], ['u2', ''], ['u3', 'two\nlines']])!;
	const found = await client.getLogs('sample-logs', 'logs', {from: time - 60, to: time + 60, topic: 'sample', query});
	t.deepEqual(found.logs.map(log => [log['name'], log['note'] ?? '']).sort(), [['u1', 'it\'s "one"'], ['u1', 'it\'s "one"'], ['u2', ''], ['u3', 'two\nlines']]);
	t.is(sampleLogsQuery(plan, []), undefined);
});
