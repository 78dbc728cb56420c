/** The kit's shared actions with recording fakes: what each sends, keeps and refuses, so that a rerun is safe. */
import test from 'ava';
import {ensureLogstoreAndIndex, ensureMaxComputeTable, StepError, verifyStep, waitForDeployment, type DataWorksClient, type LogServiceClient, type MaxComputeClient, type QueryPair} from '../../source/kit.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const signal = new AbortController().signal;

function fakeMaxCompute(existing?: Array<{name: string; type: string; partition?: boolean}>) {
	const statements: string[] = [];
	const client = {
		tableExists: async () => existing !== undefined,
		describeTable: async () => existing ?? [],
		async runSql(sql: string, options: {settings?: Record<string, string>}) {
			statements.push(`${sql} ${JSON.stringify(options.settings)}`);
			return {columns: [], rows: [], text: ''};
		},
	};
	return {client: client as unknown as MaxComputeClient, statements};
}

const table = {name: 'orders', columns: [{name: 'id', type: 'bigint'}, {name: 'note', type: 'string'}], create: 'CREATE TABLE IF NOT EXISTS `orders` (`id` BIGINT, `note` STRING)', settings: {'odps.sql.type.system.odps2': 'true'}, differs: (difference: string) => new StepError(`orders differs:\n${difference}`), signal};

test('ensureMaxComputeTable creates a missing table with the statement and settings given', async t => {
	const {client, statements} = fakeMaxCompute();
	t.deepEqual(await ensureMaxComputeTable(client, table), {created: true, columns: 2});
	t.deepEqual(statements, ['CREATE TABLE IF NOT EXISTS `orders` (`id` BIGINT, `note` STRING); {"odps.sql.type.system.odps2":"true"}']);
});

test('ensureMaxComputeTable keeps a table with the same columns (partitions aside, types by their canonical name) and sends nothing', async t => {
	const {client, statements} = fakeMaxCompute([{name: 'id', type: 'BIGINT'}, {name: 'note', type: 'string'}, {name: 'ds', type: 'string', partition: true}]);
	t.deepEqual(await ensureMaxComputeTable(client, table), {created: false, columns: 2});
	t.deepEqual(statements, []);
});

test('ensureMaxComputeTable stops with the caller\'s error naming the difference, and changes nothing', async t => {
	const {client, statements} = fakeMaxCompute([{name: 'id', type: 'string'}, {name: 'note', type: 'string'}]);
	const error = await t.throwsAsync(ensureMaxComputeTable(client, table), {instanceOf: StepError});
	t.regex(error.message, /^orders differs:\n.*id/s);
	t.deepEqual(statements, []);
});

test('ensureLogstoreAndIndex creates or keeps the project, the logstore and a text index on every key', async t => {
	const calls: unknown[] = [];
	const exists = new Set(['project']);
	const logService = {
		async createProject(project: string, description: string) {
			calls.push(['project', project, description]);
			return {created: !exists.has('project')};
		},
		async createLogstore(project: string, logstore: string, settings: {ttlDays: number; shardCount: number}) {
			calls.push(['logstore', project, logstore, settings.ttlDays, settings.shardCount]);
			return {created: true};
		},
		async createIndex(project: string, logstore: string, index: {keys: Record<string, {type: string; caseSensitive?: boolean; token?: readonly string[]}>; line?: {caseSensitive?: boolean}}) {
			calls.push(['index', project, logstore, Object.entries(index.keys).map(([key, config]) => [key, config.type, config.caseSensitive, config.token?.includes('=')]), index.line?.caseSensitive]);
			return {created: false};
		},
	} as unknown as LogServiceClient;
	const ensured = await ensureLogstoreAndIndex(logService, {project: 'p', projectDescription: 'by ferry', logstore: 'l', ttlDays: 30, shardCount: 2, keys: ['a', 'b'], signal});
	t.deepEqual(ensured, {projectCreated: false, logstoreCreated: true, indexCreated: false});
	t.deepEqual(calls, [['project', 'p', 'by ferry'], ['logstore', 'p', 'l', 30, 2], ['index', 'p', 'l', [['a', 'text', true, true], ['b', 'text', true, true]], false]]);
});

function fakeDataWorks(states: Array<{status: string; errorMessage?: string}>) {
	const reads: unknown[] = [];
	const client = {
		async getDeployment(request: {projectId: number; deploymentId: number}) {
			reads.push(request);
			return states.shift() ?? {status: 'ready'};
		},
	};
	return {client: client as unknown as DataWorksClient, reads};
}

test('waitForDeployment reads the deployment until it leaves ready; success ends the wait', async t => {
	const {client, reads} = fakeDataWorks([{status: 'ready'}, {status: 'unknown'}, {status: 'success'}]);
	await waitForDeployment(client, {projectId: 7, deploymentId: 42, what: 'submitted', signal});
	t.deepEqual(reads, [{projectId: 7, deploymentId: 42}, {projectId: 7, deploymentId: 42}, {projectId: 7, deploymentId: 42}]);
});

test('waitForDeployment fails the step with DataWorks\' reason, and gives up after its bound', async t => {
	const failed = await t.throwsAsync(waitForDeployment(fakeDataWorks([{status: 'failed', errorMessage: 'node has no owner'}]).client, {projectId: 7, deploymentId: 42, what: 'deployed', signal}), {instanceOf: StepError});
	t.is(failed.message, 'DataWorks could not finish deployment 42 (deployed): node has no owner');
	const stuck = await t.throwsAsync(waitForDeployment(fakeDataWorks([]).client, {projectId: 7, deploymentId: 43, what: 'submitted', signal, timeoutMs: 50}), {instanceOf: StepError});
	t.regex(stuck.message, /deployment 43 \(submitted\)/);
});

test.serial('verifyStep runs the pairs on both sides, reports each check, hands the report to the engine and sums it up', async t => {
	useFerryHome(t);
	const lines: string[] = [];
	const verified: Array<{equal: boolean}> = [];
	let summary = '';
	const context = {sessionId: 'verify-step-test', signal, report: (line: string) => lines.push(line), verified: (report: {equal: boolean}) => verified.push(report), summary: (line: string) => {
		summary = line;
	}};
	const pairs: QueryPair[] = [{id: 'rows', title: 'Rows', source: 'count', target: 'count', keyColumns: [], kind: 'query'}];
	const side = (rows: number) => async () => ({columns: [{name: 'n'}], rows: [[rows]]});
	const equal = await verifyStep(context, {pairs, source: side(3), target: side(3)});
	t.true(equal.equal);
	t.deepEqual(verified, [equal]);
	t.is(lines.length, 2);
	t.regex(lines[0]!, /Rows/);
	t.is(lines[1], equal.summary.text);
	t.regex(summary, /equal/i);
	const different = await verifyStep(context, {pairs, source: side(3), target: side(4)}, report => `custom: ${report.equal}`);
	t.false(different.equal);
	t.is(summary, 'custom: false');
});
