import {setTimeout as sleep} from 'node:timers/promises';
import {backoffDelay, ServiceError, type StepContext} from '../../source/kit.js';
import type {LogHubClients} from './clients.js';

type DataWorks = Pick<LogHubClients['dataworks'], 'runManualDagNodes' | 'listInstances'>;
type ManualRunRequest = Parameters<DataWorks['runManualDagNodes']>[0] & {projectId: number; includeNodeIds: [number]};

/** What a run once keeps: when it first asked, for which business date, the DAG once known, and failed DAGs. */
export type ManualRunCheckpoint = {askedAt: number; bizDate: string; dagId?: number; excludedDagIds?: number[]};

/** How much earlier than ferry's first ask a run's instance may have been created, for the clocks' difference. */
const clockSlackMs = 120_000;
const attempts = 5;

/**
 * Starts a manually triggered workflow's run of one node, once, and answers its DAG id. RunManualDagNodes has no
 * client token, so a start whose answer was lost (a kill, a reset, a 5xx) may have happened: before asking again,
 * ferry looks for the node's manual instance of this business date created since it first asked, and re-attaches to
 * it. The first ask's time is checkpointed before the call, so a resumed session looks too.
 */
export async function startManualRun(options: {
	dataworks: DataWorks;
	checkpoint: StepContext<unknown>['checkpoint'];
	report: (line: string) => void;
	signal?: AbortSignal;
	request: ManualRunRequest;
}): Promise<number> {
	const {dataworks, checkpoint, request, signal} = options;
	const saved = checkpoint.get<ManualRunCheckpoint>('manualRun');
	if (saved?.dagId !== undefined) {
		return saved.dagId;
	}

	// The first ask's time and business date are kept: a resume after CST midnight must look for the same date.
	const askedAt = saved?.askedAt ?? Date.now();
	const bizDate = saved?.bizDate ?? request.bizDate;
	const excluded = new Set(saved?.excludedDagIds ?? []);
	const keep = (dagId?: number): ManualRunCheckpoint => ({askedAt, bizDate, excludedDagIds: [...excluded], ...(dagId === undefined ? {} : {dagId})});
	checkpoint.set('manualRun', keep());
	const [nodeId] = request.includeNodeIds;
	const bizdate = Date.parse(`${bizDate.slice(0, 10)}T00:00:00+08:00`);
	const startedEarlier = async (): Promise<number | undefined> => {
		const page = await dataworks.listInstances({projectId: request.projectId, projectEnv: request.projectEnv, nodeId, bizdate: bizDate}, {signal});
		// The node is a manual one (the task step made sure): every instance of it comes from a run of its workflow.
		// A run that failed before is never taken for this one; the newest match wins.
		return page.items
			.filter(instance => instance.bizdate === bizdate && (instance.createTime ?? 0) >= askedAt - clockSlackMs && !excluded.has(instance.dagId))
			.sort((left, right) => (right.createTime ?? 0) - (left.createTime ?? 0))[0]?.dagId;
	};

	for (let attempt = 1; ; attempt++) {
		const earlier = saved || attempt > 1 ? await startedEarlier() : undefined;
		if (earlier !== undefined) {
			options.report(`the run asked for earlier had started: DAG ${earlier}, re-attached`);
			checkpoint.set('manualRun', keep(earlier));
			return earlier;
		}

		try {
			const {dagId} = await dataworks.runManualDagNodes({...request, bizDate}, {signal});
			checkpoint.set('manualRun', keep(dagId));
			return dagId;
		} catch (error) {
			if (!(error instanceof ServiceError && error.retryable) || attempt >= attempts) {
				throw error;
			}

			options.report(`RunManualDagNodes: ${error.message}; checking whether the run started before asking again`);
			await sleep(backoffDelay(attempt, 500, 8000), undefined, {signal});
		}
	}
}
