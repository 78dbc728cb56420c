/**
 * The kit's shared actions against the local cloud's stand-ins, run twice as a resumed step would: the second run
 * keeps what the first created.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {resolveAlibabaCredentials} from '../../source/clouds/credentials/alibaba.js';
import {createLogServiceClient} from '../../source/clouds/log-service/client.js';
import {createMaxComputeClient} from '../../source/clouds/maxcompute/client.js';
import {ensureLogstoreAndIndex, ensureMaxComputeTable, StepError} from '../../source/kit.js';
import {createMemoryLogger} from '../../source/log/logger.js';
import {useLocalCloud} from '../helpers/cli.js';
import {localCloudAccess} from '../helpers/local-cloud-access.js';

const cloud = useLocalCloud(test);
const signal = new AbortController().signal;

function clients() {
	const access = localCloudAccess(cloud.home);
	const {settings} = JSON.parse(readFileSync(path.join(cloud.home, 'local-cloud', 'state.json'), 'utf8')) as {settings: Record<string, string>};
	const credentials = resolveAlibabaCredentials({kind: 'keys', ...access.alibaba});
	const logger = createMemoryLogger();
	return {
		maxcompute: createMaxComputeClient({endpoint: access.services['maxcompute']!, project: settings['maxcomputeProject']!, credentials: async () => credentials.getCredentials(), logger}),
		logService: createLogServiceClient({endpoint: access.services['log-service']!, credentials, logger}),
	};
}

const settings = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};

test.serial('ensureMaxComputeTable creates the table, keeps it on a rerun, and refuses one with other columns', async t => {
	const {maxcompute} = clients();
	const table = {name: 'ensure_me', columns: [{name: 'id', type: 'bigint'}, {name: 'amount', type: 'decimal(10,2)'}], create: 'CREATE TABLE IF NOT EXISTS `ensure_me` (`id` BIGINT, `amount` DECIMAL(10,2)) PARTITIONED BY (`ds` STRING)', settings, differs: (difference: string) => new StepError(difference), signal};
	t.deepEqual(await ensureMaxComputeTable(maxcompute, table), {created: true, columns: 2});
	t.deepEqual((await maxcompute.describeTable('ensure_me')).map(column => [column.name, column.partition]), [['id', false], ['amount', false], ['ds', true]]);
	t.deepEqual(await ensureMaxComputeTable(maxcompute, table), {created: false, columns: 2});
	const refused = await t.throwsAsync(ensureMaxComputeTable(maxcompute, {...table, columns: [{name: 'id', type: 'string'}, {name: 'amount', type: 'decimal(10,2)'}]}), {instanceOf: StepError});
	t.regex(refused.message, /id/);
});

test.serial('ensureLogstoreAndIndex creates the project, the logstore and the index once, and keeps them on a rerun', async t => {
	const {logService} = clients();
	const target = {project: 'ferry-ensure', projectDescription: 'ensureLogstoreAndIndex test', logstore: 'ensured', ttlDays: 30, shardCount: 2, keys: ['col0', 'time_str'], signal};
	t.deepEqual(await ensureLogstoreAndIndex(logService, target), {projectCreated: true, logstoreCreated: true, indexCreated: true});
	t.like(await logService.getLogstore('ferry-ensure', 'ensured'), {ttlDays: 30, shardCount: 2});
	const index = await logService.getIndex('ferry-ensure', 'ensured');
	t.deepEqual(Object.keys(index.keys).sort(), ['col0', 'time_str']);
	t.like(index.keys['col0'], {type: 'text', caseSensitive: true});
	t.deepEqual(await ensureLogstoreAndIndex(logService, target), {projectCreated: false, logstoreCreated: false, indexCreated: false});
});
