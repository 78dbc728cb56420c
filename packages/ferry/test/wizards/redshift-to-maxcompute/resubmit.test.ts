import test from 'ava';
import {loadTasks} from '../../../wizards/redshift-to-maxcompute/maxcompute-tables.js';
import type {TablePlan} from '../../../wizards/redshift-to-maxcompute/migration-plan.js';
import {transferWithOnlineMigration} from '../../../wizards/redshift-to-maxcompute/transfer.js';
import {unloadTasks} from '../../../wizards/redshift-to-maxcompute/unload.js';
import type {MaxComputeClient, InstanceProgress} from '../../../source/clouds/maxcompute/client.js';
import type {OnlineMigrationClient} from '../../../source/clouds/online-migration/client.js';
import type {RedshiftConnection, StatementDescription} from '../../../source/clouds/redshift/connection.js';
import type {Checkpoints, SubTaskContext} from '../../../source/engine/wizard.js';
import {ServiceError} from '../../../source/engine/errors.js';
import {silentLogger, type Logger} from '../../../source/log/logger.js';

function memoryCheckpoints(initial: Record<string, unknown>): Checkpoints & {values: Record<string, unknown>} {
	const values: Record<string, unknown> = {...initial};
	return {
		values,
		get: <T>(key: string) => values[key] as T | undefined,
		set(key, value) {
			values[key] = value;
		},
		async once<T>(key: string, create: () => Promise<T>) {
			if (!(key in values)) {
				values[key] = await create();
			}

			return values[key] as T;
		},
	};
}

function recordingTask(): SubTaskContext & {lines: string[]} {
	const lines: string[] = [];
	return {lines, output: line => lines.push(line), progress() {}, title() {}, signal: new AbortController().signal};
}

function recordingLog(): Logger & {warnings: string[]} {
	const warnings: string[] = [];
	return {...silentLogger, warn: message => warnings.push(message), warnings};
}

const signal = new AbortController().signal;

function fakeRedshift(statuses: Record<string, 'FINISHED' | 'FAILED' | 'ABORTED'>): RedshiftConnection & {executed: string[]} {
	const executed: string[] = [];
	return {
		kind: 'data-api',
		executed,
		async execute(sql) {
			executed.push(sql);
			const id = `new-${executed.length}`;
			statuses[id] = 'FINISHED';
			return {statementId: id};
		},
		async waitFor(id): Promise<StatementDescription> {
			const status = statuses[id];
			if (status === 'ABORTED') {
				throw new ServiceError('Redshift', 'Query was aborted because the cluster restarted', {code: 'StatementAborted'});
			}

			if (status === 'FAILED') {
				throw new ServiceError('Redshift', 'S3 access denied', {code: 'StatementFailed'});
			}

			return {id, status: 'FINISHED', hasResultSet: false, resultRows: 42};
		},
		async query() {
			throw new Error('not used');
		},
		async cancel() {},
		async whoami() {
			return {user: 'u', database: 'dev'};
		},
		async close() {},
	};
}

for (const ended of ['ABORTED', 'FAILED'] as const) {
	test(`a saved UNLOAD statement that is ${ended} is discarded and submitted again`, async t => {
		const redshift = fakeRedshift({old: ended});
		const checkpoint = memoryCheckpoints({'statement:orders': 'old'});
		const log = recordingLog();
		const task = recordingTask();
		const [sub] = unloadTasks({redshift, tables: [{table: 'orders', statement: 'UNLOAD …'}], checkpoint, signal, log});
		await sub!.run(task);
		t.deepEqual(redshift.executed, ['UNLOAD …']);
		t.is(checkpoint.values['statement:orders'], 'new-1');
		t.like(checkpoint.values['done:orders'], {table: 'orders', statementId: 'new-1', rows: 42});
		t.regex(log.warnings.join('\n'), /statement old (was aborted|failed).*submitting the UNLOAD of orders again/);
		t.true(task.lines.some(line => /submitting the UNLOAD of orders again/.test(line)));
	});
}

test('a saved UNLOAD statement that finished is re-attached, not run again', async t => {
	const redshift = fakeRedshift({old: 'FINISHED'});
	const checkpoint = memoryCheckpoints({'statement:orders': 'old'});
	const [sub] = unloadTasks({redshift, tables: [{table: 'orders', statement: 'UNLOAD …'}], checkpoint, signal});
	await sub!.run(recordingTask());
	t.deepEqual(redshift.executed, []);
	t.like(checkpoint.values['done:orders'], {statementId: 'old', rows: 42});
});

test('a fresh UNLOAD that fails still fails the step (it is resubmitted on the next resume)', async t => {
	const redshift = fakeRedshift({});
	redshift.execute = async () => ({statementId: 'bad'});
	redshift.waitFor = async () => {
		throw new ServiceError('Redshift', 'S3 access denied', {code: 'StatementFailed'});
	};

	const checkpoint = memoryCheckpoints({});
	const [sub] = unloadTasks({redshift, tables: [{table: 'orders', statement: 'UNLOAD …'}], checkpoint, signal});
	await t.throwsAsync(sub!.run(recordingTask()), {message: /S3 access denied/});
	t.is(checkpoint.values['statement:orders'], 'bad');
});

function fakeMigration(status: string): OnlineMigrationClient & {calls: string[]} {
	const calls: string[] = [];
	const state = {status};
	const client = {
		calls,
		async getJob(name: string) {
			calls.push(`getJob ${state.status}`);
			return {name, status: state.status, srcAddress: 's', destAddress: 'd', overwriteMode: 'always', transferMode: 'all'};
		},
		async updateJobStatus(_name: string, next: string) {
			calls.push(`update ${next}`);
			state.status = 'IMPORT_JOB_DOING';
		},
		async waitForJob() {
			calls.push('wait');
			if (state.status !== 'IMPORT_JOB_DOING' && state.status !== 'IMPORT_JOB_FINISHED') {
				throw new ServiceError('Data Online Migration', `Migration job stopped with ${state.status}`, {code: state.status});
			}

			return {job: {name: 'j', status: 'IMPORT_JOB_FINISHED'}, run: {copiedCount: 3, copiedSize: 300, totalCount: 3, totalSize: 300}};
		},
	};
	return client as unknown as OnlineMigrationClient & {calls: string[]};
}

async function transfer(client: OnlineMigrationClient, log?: Logger) {
	const task = recordingTask();
	const result = await transferWithOnlineMigration({
		client, sessionId: 'rtm-1', s3Endpoint: 'http://s3', s3Keys: {accessKeyId: 'a', secretAccessKey: 'b'}, from: {bucket: 'b', prefix: 'p/'},
		to: {bucket: 'o', prefix: 'p/', regionId: 'ap-southeast-1'}, roleName: 'r', checkpoint: memoryCheckpoints({addresses: {}, job: 'ferry-rtm-1-job'}),
		task, totalBytes: 300, signal, ...(log ? {log} : {}),
	});
	return {result, task};
}

test('a saved migration job that ended in failure is launched again, then waited for', async t => {
	const client = fakeMigration('IMPORT_JOB_INTERRUPTED');
	const log = recordingLog();
	const {result, task} = await transfer(client, log);
	t.deepEqual(client.calls, ['getJob IMPORT_JOB_INTERRUPTED', 'update IMPORT_JOB_LAUNCHING', 'wait']);
	t.deepEqual(result, {copiedCount: 3, copiedBytes: 300});
	t.regex(log.warnings.join('\n'), /IMPORT_JOB_INTERRUPTED; launching it again/);
	t.true(task.lines.some(line => line.includes('launching it again')));
});

for (const live of ['IMPORT_JOB_DOING', 'IMPORT_JOB_FINISHED']) {
	test(`a saved migration job in ${live} is re-attached`, async t => {
		const client = fakeMigration(live);
		await transfer(client);
		t.deepEqual(client.calls, [`getJob ${live}`, 'wait']);
	});
}

const plan = {table: 'orders', load: 'LOAD OVERWRITE TABLE orders FROM LOCATION \'oss://…\'', settings: {}} as unknown as TablePlan;

function fakeMaxCompute(saved: InstanceProgress): MaxComputeClient & {calls: string[]} {
	const calls: string[] = [];
	const client = {
		calls,
		async getTaskStatus(id: string) {
			calls.push(`status ${id}`);
			return saved;
		},
		async attach(id: string) {
			calls.push(`attach ${id}`);
			return {instanceId: id, columns: [], rows: [], truncated: false, text: 'OK'};
		},
		async runSql(sql: string, options: {onSubmitted?: (id: string) => void}) {
			calls.push(`run ${sql.slice(0, 14)}`);
			options.onSubmitted?.('fresh');
			return {instanceId: 'fresh', columns: [], rows: [], truncated: false, text: 'OK'};
		},
		logviewUrl: () => undefined,
	};
	return client as unknown as MaxComputeClient & {calls: string[]};
}

for (const taskStatus of ['Failed', 'Cancelled']) {
	test(`a saved LOAD instance whose task ${taskStatus} is discarded and the LOAD submitted again`, async t => {
		const maxcompute = fakeMaxCompute({instanceId: 'old', instanceStatus: 'Terminated', tasks: [{name: 'AnonymousSQLTask', status: taskStatus}]});
		const checkpoint = memoryCheckpoints({'instance:orders': 'old'});
		const log = recordingLog();
		const task = recordingTask();
		const [sub] = loadTasks({maxcompute, tables: [plan], checkpoint, signal, log});
		await sub!.run(task);
		t.deepEqual(maxcompute.calls, ['status old', 'run LOAD OVERWRITE']);
		t.is(checkpoint.values['instance:orders'], 'fresh');
		t.like(checkpoint.values['done:orders'], {instanceId: 'fresh'});
		t.regex(log.warnings.join('\n'), new RegExp(`instance old ended ${taskStatus}; submitting the LOAD of orders again`));
		t.true(task.lines.some(line => line.includes('submitting the LOAD of orders again')));
	});
}

for (const [instanceStatus, taskStatus] of [['Running', 'Running'], ['Terminated', 'Success']]) {
	test(`a saved LOAD instance ${instanceStatus}/${taskStatus} is re-attached`, async t => {
		const maxcompute = fakeMaxCompute({instanceId: 'old', instanceStatus: instanceStatus!, tasks: [{name: 'AnonymousSQLTask', status: taskStatus!}]});
		const checkpoint = memoryCheckpoints({'instance:orders': 'old'});
		const [sub] = loadTasks({maxcompute, tables: [plan], checkpoint, signal});
		await sub!.run(recordingTask());
		t.deepEqual(maxcompute.calls, ['status old', 'attach old']);
		t.like(checkpoint.values['done:orders'], {instanceId: 'old'});
	});
}

test('a migration job run that ends with failed objects is launched again within the step, at most 3 runs', async t => {
	const calls: string[] = [];
	let failuresLeft = 2;
	const client = {
		async getJob(name: string) {
			return {name, status: 'IMPORT_JOB_DOING'};
		},
		async updateJobStatus(_name: string, next: string) {
			calls.push(`update ${next}`);
		},
		async waitForJob() {
			calls.push('wait');
			if (failuresLeft-- > 0) {
				throw new ServiceError('Data Online Migration', 'stopped with IMPORT_JOB_INTERRUPTED: 15 of 16 objects copied, 1 failed', {code: 'IMPORT_JOB_INTERRUPTED'});
			}

			return {job: {name: 'j', status: 'IMPORT_JOB_FINISHED'}, run: {copiedCount: 16, copiedSize: 1600}};
		},
	} as unknown as OnlineMigrationClient;
	const log = recordingLog();
	const {result} = await transfer(client, log);
	t.deepEqual(calls, ['wait', 'update IMPORT_JOB_LAUNCHING', 'wait', 'update IMPORT_JOB_LAUNCHING', 'wait']);
	t.deepEqual(result, {copiedCount: 16, copiedBytes: 1600});
	t.is(log.warnings.length, 2);

	failuresLeft = 5;
	calls.length = 0;
	await t.throwsAsync(transfer(client), {message: /IMPORT_JOB_INTERRUPTED/});
	t.is(calls.filter(call => call === 'wait').length, 3);
});
