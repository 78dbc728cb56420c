/**
 * Backfills (RunCycleDagNodes), manual runs of manually triggered workflows (RunManualDagNodes, CreateManualDag,
 * ListManualDagInstances), and instances: ListInstances (newest first, as OrderBy's default INSTANCE_ID_DESC),
 * GetInstance, GetInstanceLog and RestartInstance.
 */
import {invalid, noWorkspace} from '../errors.js';
import {day, type InstanceQuery} from '../model.js';
import {bizDate, idList, jsonObject, page, required, requiredId, TopLevelAnswer, type Params} from '../rpc.js';
import type {InstanceRecord} from '../state.js';
import {checkProject, type Action, type ActionContext} from './context.js';

const orders: ReadonlyArray<InstanceQuery['orderBy']> = ['INSTANCE_ID_DESC', 'CREATE_TIME_DESC'];

function instanceJson(instance: InstanceRecord) {
	return {
		InstanceId: instance.instanceId, NodeId: instance.nodeId, NodeName: instance.nodeName, DagId: instance.dagId, DagType: instance.dagType ?? 'SUPPLY_DATA',
		Status: instance.status, Bizdate: instance.bizdate, CycTime: instance.cycTime, CreateTime: instance.createTime, ModifyTime: instance.modifyTime,
		BeginWaitTimeTime: instance.createTime, BeginWaitResTime: instance.beginWaitResTime, BeginRunningTime: instance.beginRunningTime,
		FinishTime: instance.finishTime, ErrorMessage: instance.errorMessage ?? '', ParamValues: instance.paramValues, Priority: 1,
		TaskType: instance.taskType ?? 'NORMAL', TaskRerunTime: instance.rerunCount ?? 0, Connection: '', RelatedFlowId: 0, BaselineId: 0, Repeatability: true, RepeatInterval: 0, DqcType: 1, DqcDescription: '',
	};
}

/** Scheduling parameters by node id (`{"123": "bizdate=20240101"}`), as backfills and manual runs take them. */
function nodeParametersOf(params: Params, name: string): Record<string, string> {
	return (jsonObject(params, name) ?? {}) as Record<string, string>;
}

export function instanceActions(context: ActionContext): Record<string, Action> {
	const {model, scheduler} = context;

	/** RunManualDagNodes and CreateManualDag: one business date per call, in PROD. */
	async function runManualDag(params: Params): Promise<TopLevelAnswer> {
		const env = required(params, 'ProjectEnv');
		const projectName = required(params, 'ProjectName');
		const flowName = required(params, 'FlowName');
		if (env !== 'PROD') {
			throw invalid('ProjectEnv', 'the local DataWorks runs manually triggered workflows in PROD only');
		}

		if (projectName !== model.workspace.name || (params.ProjectId && params.ProjectId !== String(model.workspace.id))) {
			throw noWorkspace(projectName, context.region);
		}

		let bizdate: number;
		if (params.BizDate) {
			bizdate = bizDate(params.BizDate, 'BizDate');
		} else {
			bizdate = bizDate(required(params, 'StartBizDate'), 'StartBizDate');
			if (bizDate(required(params, 'EndBizDate'), 'EndBizDate') !== bizdate) {
				throw invalid('EndBizDate', 'the local DataWorks runs one business date per call: make it StartBizDate');
			}
		}

		const include = idList(params, 'IncludeNodeIds');
		const run = await model.runManualDag({
			flowName, bizdate, include, exclude: include.length > 0 ? idList(params, 'ExcludeNodeIds') : [], nodeParameters: nodeParametersOf(params, 'NodeParameters'),
		});
		scheduler.run(run.instances);
		return new TopLevelAnswer({DagId: run.dagId});
	}

	/** An instance by InstanceId, in the ProjectEnv named. */
	function instanceOf(params: Params): InstanceRecord {
		const id = requiredId(params, 'InstanceId');
		required(params, 'ProjectEnv');
		return model.instance(id);
	}

	return {
		async RunCycleDagNodes(params) {
			const env = required(params, 'ProjectEnv');
			const name = required(params, 'Name');
			const rootNodeId = requiredId(params, 'RootNodeId');
			required(params, 'IncludeNodeIds');
			const include = idList(params, 'IncludeNodeIds');
			const start = bizDate(required(params, 'StartBizDate'), 'StartBizDate');
			const end = bizDate(required(params, 'EndBizDate'), 'EndBizDate');
			required(params, 'Parallelism');
			if (env !== 'PROD') {
				throw invalid('ProjectEnv', 'the local DataWorks runs backfills in PROD only');
			}

			if (end < start || (end - start) / day > 31) {
				throw invalid('EndBizDate', 'must not be before StartBizDate, at most 31 days later');
			}

			const backfill = await model.backfill({name, rootNodeId, include, start, end, nodeParams: nodeParametersOf(params, 'NodeParams')});
			scheduler.run(backfill.instances);
			return backfill.dagIds;
		},

		/** Runs the deployed nodes of a manually triggered workflow (or those in IncludeNodeIds) for one business date. */
		RunManualDagNodes: runManualDag,

		/** The same run; BizDate is required. */
		async CreateManualDag(params) {
			required(params, 'BizDate');
			return runManualDag(params);
		},

		/** The instances of one run of a manually triggered workflow: `Instances` beside RequestId, its date as BizDate. */
		async ListManualDagInstances(params) {
			required(params, 'ProjectEnv');
			const projectName = required(params, 'ProjectName');
			const dagId = requiredId(params, 'DagId');
			if (projectName !== model.workspace.name) {
				throw noWorkspace(projectName, context.region);
			}

			const instances = model.state.instances.filter(instance => instance.dagId === dagId && instance.dagType === 'MANUAL');
			return new TopLevelAnswer({Instances: instances.map(instance => {
				const {Bizdate: bizdate, ...fields} = instanceJson(instance);
				return {...fields, BizDate: bizdate, CreateUser: context.accountId};
			})});
		},

		async ListInstances(params) {
			checkProject(context, params);
			required(params, 'ProjectEnv');
			const orderBy = (params.OrderBy || 'INSTANCE_ID_DESC') as InstanceQuery['orderBy'];
			if (!orders.includes(orderBy)) {
				throw invalid('OrderBy', orders.join(' or '));
			}

			const instances = model.instances({
				orderBy,
				...(params.DagId ? {dagId: Number(params.DagId)} : {}),
				...(params.NodeId ? {nodeId: Number(params.NodeId)} : {}),
				...(params.NodeName ? {nodeName: params.NodeName} : {}),
				...(params.Bizdate ? {bizdate: bizDate(params.Bizdate, 'Bizdate')} : {}),
			});
			const {items, ...paging} = page(instances, params);
			return {...paging, Instances: items.map(instance => instanceJson(instance))};
		},

		async GetInstance(params) {
			return instanceJson(instanceOf(params));
		},

		async GetInstanceLog(params) {
			return model.store.readLog(instanceOf(params).instanceId);
		},

		/** Runs a finished instance again, as its node's rerun property allows; the same instance id. */
		async RestartInstance(params) {
			const instance = instanceOf(params);
			await model.restart(instance);
			scheduler.run([instance]);
			return true;
		},
	};
}
