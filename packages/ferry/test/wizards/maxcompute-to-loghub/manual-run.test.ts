import test from 'ava';
import type {Instance, Page} from '../../../source/clouds/dataworks/client.js';
import {ServiceError} from '../../../source/engine/errors.js';
import {startManualRun} from '../../../wizards/maxcompute-to-loghub/manual-run.js';
import {manualBizDate} from '../../../wizards/maxcompute-to-loghub/run-instance.js';

const request = {projectEnv: 'PROD' as const, projectName: 'ws', projectId: 1, flowName: 'flow', bizDate: '2016-12-26 00:00:00', includeNodeIds: [42] as [number]};
const bizdate = Date.parse('2016-12-26T00:00:00+08:00');

/** A DataWorks that starts a DAG per call and can lose the answer of the next `lost` starts after starting them. */
function fakeDataWorks(options: {lost?: number; refuse?: ServiceError; earlier?: Array<Partial<Instance>>} = {}) {
	const instances: Instance[] = (options.earlier ?? []).map(item => ({instanceId: 1, nodeId: 42, nodeName: 'n', dagId: 1, status: 'SUCCESS', dagType: 'MANUAL', taskType: 'NORMAL', bizdate, cycTime: 0, createTime: Date.now(), beginRunningTime: undefined, finishTime: undefined, errorMessage: undefined, ...item}));
	let lost = options.lost ?? 0;
	const starts: number[] = [];
	return {
		starts,
		dataworks: {
			async runManualDagNodes() {
				if (options.refuse) {
					throw options.refuse;
				}

				const dagId = 7000 + starts.length;
				starts.push(dagId);
				instances.push({instanceId: 9000 + starts.length, nodeId: 42, nodeName: 'n', dagId, status: 'NOT_RUN', dagType: 'MANUAL', taskType: 'NORMAL', bizdate, cycTime: Date.now(), createTime: Date.now(), beginRunningTime: undefined, finishTime: undefined, errorMessage: undefined});
				if (lost > 0) {
					lost--;
					throw new ServiceError('DataWorks', 'RunManualDagNodes: 503 ServiceUnavailable', {status: 503, retryable: true});
				}

				return {dagId};
			},
			async listInstances(): Promise<Page<Instance>> {
				return {total: instances.length, pageNumber: 1, pageSize: 100, items: [...instances]};
			},
		},
	};
}

function checkpoints(initial: Record<string, unknown> = {}) {
	const saved = new Map(Object.entries(initial));
	return {
		saved,
		checkpoint: {
			get: <T>(key: string) => saved.get(key) as T | undefined,
			set(key: string, value: unknown) {
				saved.set(key, value);
			},
			async once<T>(key: string, create: () => Promise<T>): Promise<T> {
				if (!saved.has(key)) {
					saved.set(key, await create());
				}

				return saved.get(key) as T;
			},
		},
	};
}

test('a start answers its DAG id, checkpointed with the time it was asked', async t => {
	const {dataworks, starts} = fakeDataWorks();
	const {checkpoint, saved} = checkpoints();
	const dagId = await startManualRun({dataworks, checkpoint, report: () => undefined, request});
	t.is(dagId, 7000);
	t.deepEqual(starts, [7000]);
	t.like(saved.get('manualRun'), {dagId: 7000});
	t.is(await startManualRun({dataworks, checkpoint, report: () => undefined, request}), 7000, 'a resumed step gets the saved DAG back');
	t.is(starts.length, 1);
});

test('a start whose answer was lost is found and re-attached, not started twice', async t => {
	const {dataworks, starts} = fakeDataWorks({lost: 1});
	const lines: string[] = [];
	const dagId = await startManualRun({dataworks, checkpoint: checkpoints().checkpoint, report: line => lines.push(line), request});
	t.deepEqual(starts, [7000], 'RunManualDagNodes was called once');
	t.is(dagId, 7000);
	t.true(lines.some(line => /re-attached/.test(line)), lines.join('\n'));
});

test('a session killed after asking looks for the run before asking again', async t => {
	const asked = Date.now() - 5000;
	const found = fakeDataWorks({earlier: [{dagId: 6000, createTime: asked + 100}]});
	t.is(await startManualRun({dataworks: found.dataworks, checkpoint: checkpoints({manualRun: {askedAt: asked}}).checkpoint, report: () => undefined, request}), 6000);
	t.deepEqual(found.starts, []);

	// Another business date, or an instance older than the ask, is not this run: it starts.
	const other = fakeDataWorks({earlier: [{dagId: 6001, createTime: asked - 600_000}, {dagId: 6002, createTime: asked + 100, bizdate: bizdate - 86_400_000}]});
	t.is(await startManualRun({dataworks: other.dataworks, checkpoint: checkpoints({manualRun: {askedAt: asked}}).checkpoint, report: () => undefined, request}), 7000);
	t.deepEqual(other.starts, [7000]);
});

test('a refusal is not retried', async t => {
	const refused = fakeDataWorks({refuse: new ServiceError('DataWorks', 'RunManualDagNodes: InvalidParameter.BizDate', {status: 400})});
	await t.throwsAsync(startManualRun({dataworks: refused.dataworks, checkpoint: checkpoints().checkpoint, report: () => undefined, request}), {message: /BizDate/});
});

test('the business date of a run once is the partition\'s date, at most yesterday in China Standard Time', t => {
	const now = Date.parse('2026-11-28T20:00:00Z'); // 04:00 on the 29th in CST
	t.is(manualBizDate('20161226', now), '2016-12-26');
	t.is(manualBizDate('2016-12-26', now), '2016-12-26');
	t.is(manualBizDate('20261129', now), '2026-11-28', 'today (CST) becomes yesterday');
	t.is(manualBizDate('20270101', now), '2026-11-28');
	t.is(manualBizDate('abc', now), '2026-11-28');
});

test('a resume keeps the first ask\'s business date, and a failed run\'s DAG is never taken for the new one', async t => {
	const asked = Date.now() - 5000;
	const failed = fakeDataWorks({earlier: [{dagId: 6000, createTime: asked + 100, status: 'FAILURE'}]});
	const {checkpoint, saved} = checkpoints({manualRun: {askedAt: asked, bizDate: '2016-12-26 00:00:00', excludedDagIds: [6000]}});
	t.is(await startManualRun({dataworks: failed.dataworks, checkpoint, report: () => undefined, request: {...request, bizDate: '2016-12-27 00:00:00'}}), 7000);
	t.deepEqual(failed.starts, [7000], 'the failed DAG was not re-attached');
	t.like(saved.get('manualRun'), {bizDate: '2016-12-26 00:00:00', dagId: 7000, excludedDagIds: [6000]});
});
