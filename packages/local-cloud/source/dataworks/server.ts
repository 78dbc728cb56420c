/**
 * The local DataWorks stand-in (dataworks-public 2020-05-18, RPC): POST/GET `/` with parameters in the query and the
 * form body, signed with ACS3-HMAC-SHA256 or the legacy RPC signature (checked as every RPC stand-in does, ../alibaba-rpc/). It keeps workflows, data sources, DI
 * files with their scheduling properties, deployments, and backfill, cycle and manual instances under its data dir
 * (model.ts), runs them with the DI runner and schedules them as the service does (scheduler.ts); each group of actions
 * is a module of its own under actions/.
 */
import type {StandInHandle} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {serveRpcActions} from '../alibaba-rpc/rpc-api.js';
import type {Action, ActionContext} from './actions/context.js';
import {dataSourceActions} from './actions/data-sources.js';
import {deploymentActions} from './actions/deployments.js';
import {diTaskActions} from './actions/di-tasks.js';
import {fileActions} from './actions/files.js';
import {instanceActions} from './actions/instances.js';
import {workflowActions} from './actions/workflows.js';
import {workspaceActions} from './actions/workspace.js';
import type {DiRunner} from './di-runner.js';
import {DataWorksModel, type DataWorksWorkspace} from './model.js';
import {apiVersion, rpcAnswer} from './rpc.js';
import {startScheduler} from './scheduler.js';

export type {DataWorksWorkspace} from './model.js';

export type DataWorksStandInOptions = {
	dataDir: string;
	region: string;
	credentials: {accessKeyId: string; secret: string};
	accountId: string;
	workspace: DataWorksWorkspace;
	runner: DiRunner;
	port?: number;
	/** Pause between instance states and before a deployment succeeds, so pollers see them. @default 200 */
	stepDelayMs?: number;
	/** @default 15 minutes */
	maxSkewMs?: number;
	/** The scheduler: how often it looks for due instances (@default 1000 ms), and rehearsal (scheduler.ts; @default true). */
	schedule?: {tickMs?: number; rehearsal?: boolean};
	/** The scheduler's clock. @default Date.now */
	now?: () => number;
};

export type DataWorksStandInHandle = Omit<StandInHandle, 'name'> & {name: 'dataworks'};

export async function startDataWorksStandIn(options: DataWorksStandInOptions): Promise<DataWorksStandInHandle> {
	const model = await DataWorksModel.open({dataDir: options.dataDir, workspace: options.workspace, now: options.now ?? Date.now});
	const scheduler = await startScheduler(model, {
		runner: options.runner, stepDelayMs: options.stepDelayMs ?? 200, tickMs: options.schedule?.tickMs ?? 1000, rehearsal: options.schedule?.rehearsal ?? true,
	});
	const context: ActionContext = {model, scheduler, region: options.region, accountId: options.accountId};
	const actions: Record<string, Action> = {
		...workspaceActions(context), ...workflowActions(context), ...dataSourceActions(context), ...diTaskActions(context),
		...fileActions(context), ...deploymentActions(context), ...instanceActions(context),
	};
	const faults = createFaultPoint();
	const {port, stop} = await serveRpcActions({
		port: options.port,
		faults,
		product: 'dataworks-public',
		serviceTitle: 'the local DataWorks',
		version: apiVersion,
		keyOf: id => (id === options.credentials.accessKeyId ? {secret: options.credentials.secret} : undefined),
		...(options.maxSkewMs === undefined ? {} : {maxSkewMs: options.maxSkewMs}),
		actions,
		envelope: rpcAnswer,
	});

	let closing: Promise<void> | undefined;
	return {
		name: 'dataworks',
		url: `http://127.0.0.1:${port}`,
		port,
		close() {
			closing ??= (async () => {
				const drained = scheduler.close();
				await stop();
				await drained;
				await model.save();
			})();
			return closing;
		},
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
