/**
 * The local DataWorks stand-in (dataworks-public 2020-05-18, RPC): POST/GET `/` with parameters in the query and the
 * form body, signed either with ACS3-HMAC-SHA256 (action and version in `x-acs-action` / `x-acs-version`) or with the
 * legacy RPC signature (Action, Version and the signature in the parameters), both checked by the shared `../alibaba-rpc/` code; answers
 * `{RequestId, Success, HttpStatusCode, Data}` and errors `{RequestId, HostId, Code, Message, Recommend}` with the HTTP
 * status. It keeps workflows, data sources, DI files with their scheduling properties, deployments, and backfill, cycle
 * and manual instances under its data dir, and runs instances NOT_RUN → WAIT_RESOURCE → RUNNING → SUCCESS|FAILURE with
 * the DI runner, one at a time.
 *
 * A workflow is auto-triggered (UseType NORMAL) or manually triggered (MANUAL_BIZ). A node created in a manually
 * triggered workflow is a MANUAL node: the scheduler never generates its instances, a backfill refuses it, and it runs
 * only when its workflow is run (RunManualDagNodes or CreateManualDag, for a business date at least a day back).
 *
 * The scheduler follows DataWorks' instance generation ("Instance generation mode", DataWorks user guide): a node
 * released to production gets cycle instances (DagType DAILY) from the next day on, one per cron slot of each CST day;
 * with ApplyScheduleImmediately ("Immediately after deployment") also on the release day, where slots later than the
 * release + 10 minutes run at their time and earlier ones are expired dry runs (TaskType SKIP, SUCCESS without running).
 * An instance waits in WAIT_TIME until its cycle time. Rehearsal (`schedule.rehearsal`, on by default: this stand-in
 * is the local cloud's) changes one thing, so that a rehearsal need not wait for tomorrow: at an immediate release,
 * the release day's first slot runs at once instead of being expired or waiting — the instance the real scheduler
 * would run for that day had the node been released before it. Its bizdate and cycle time stay those of the slot.
 */
import {randomUUID} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import type {StandInHandle} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {serveHttp} from '../http-serve.js';
import type {DiRunner} from './di-runner.js';
import {JobConfigError, parseDiJob, substituteParameters} from './job-config.js';
import {cstDayStart, parseCron, resolveParaValue, slotsOfDay} from './scheduling.js';
import {authenticateRpcRequest, invalidParameter, missingParameter, readRpcRequest, rpcErrorBody, RpcError, sendRpcJson} from '../alibaba-rpc/rpc-api.js';
import {NonceLedger} from '../alibaba-rpc/signature-check.js';
import {openStateStore, type BusinessRecord, type DataSourceRecord, type DeploymentRecord, type FileRecord, type FileSchedule, type InstanceRecord} from './state.js';

export type DataWorksWorkspace = {
	id: number;
	name: string;
	mode: 'standard' | 'basic';
	/** Existing folder paths, e.g. `Workflow/ferry/Data Integration`; their parents exist too, and each workflow they name is an auto-triggered one. */
	folders: string[];
	/** Identifiers of the DI resource groups the workspace may use. */
	resourceGroups: string[];
};

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
	/** The scheduler: how often it looks for due instances (@default 1000 ms), and rehearsal (see above; @default true). */
	schedule?: {tickMs?: number; rehearsal?: boolean};
	/** The scheduler's clock. @default Date.now */
	now?: () => number;
};

export type DataWorksStandInHandle = Omit<StandInHandle, 'name'> & {name: 'dataworks'};

const apiVersion = '2020-05-18';
const diOfflineFileType = 23;
const day = 86_400_000;
/** Business dates are calendar days in China Standard Time, the service's zone. */
const cstOffsetMs = 8 * 3_600_000;
/** "Immediately after deployment": slots up to the release + 10 minutes are expired (dry runs). */
const immediateCutoffMs = 10 * 60_000;

/** GetFile's NodeConfiguration of a file whose scheduling was never set. */
const defaultSchedule: FileSchedule = {
	cronExpress: '00 05 00 * * ?', cycleType: 'DAY', paraValue: '', autoRerunTimes: 3, autoRerunIntervalMillis: 120_000, rerunMode: 'ALL_ALLOWED',
	schedulerType: 'NORMAL', stop: false, inputList: '', outputList: '', startEffectDate: 0, endEffectDate: 4_155_787_800_000, dependentType: 'NONE',
	applyScheduleImmediately: false,
};

/** Folder paths of workflows: `Workflow/<workflow>/Data Integration` holds a workflow's batch sync nodes. */
const workflowRoot = 'Workflow';
const dataIntegrationFolder = 'Data Integration';

type Params = Record<string, string>;

type Answer = {status: number; body: Record<string, unknown>};

/** An answer whose fields sit beside RequestId instead of under Data, as CreateBusiness's and RunManualDagNodes' do. */
class TopLevelAnswer {
	readonly fields: Record<string, unknown>;

	constructor(fields: Record<string, unknown>) {
		this.fields = fields;
	}
}

const missing = missingParameter;
const invalid = invalidParameter;

function required(params: Params, name: string): string {
	const value = params[name];
	if (value === undefined || value === '') {
		throw missing(name);
	}

	return value;
}

function requiredId(params: Params, name: string): number {
	const value = required(params, name);
	if (!/^\d+$/.test(value)) {
		throw invalid(name, 'expected a number');
	}

	return Number(value);
}

function bizdateText(bizdate: number): string {
	return new Date(bizdate + cstOffsetMs).toISOString().slice(0, 10).replaceAll('-', '');
}

function parseBizDate(value: string, name: string): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$/.exec(value);
	if (!match) {
		throw invalid(name, 'expected yyyy-MM-dd 00:00:00');
	}

	return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - cstOffsetMs;
}

/** Every folder of the workspace, parents included, with stable ids. */
function folderTree(paths: string[]): Map<string, number> {
	const all = new Set<string>();
	for (const full of paths) {
		const parts = full.split('/').filter(Boolean);
		for (let length = 1; length <= parts.length; length++) {
			all.add(parts.slice(0, length).join('/'));
		}
	}

	return new Map([...all].sort().map((folder, index) => [folder, 5000 + index]));
}

/** Scheduling parameters by node id (`{"123": "bizdate=20240101"}`), as backfills and manual runs take them. */
function nodeParametersOf(params: Params, name: string): Record<string, string> {
	if (!params[name]) {
		return {};
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(params[name]);
	} catch {
		throw invalid(name, 'not a JSON object');
	}

	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw invalid(name, 'not a JSON object');
	}

	return parsed as Record<string, string>;
}

/** The workflow a folder path is in: `Workflow/<workflow>/…`. */
function workflowOf(folderPath: string): string | undefined {
	const [root, name] = folderPath.split('/');
	return root === workflowRoot && name ? name : undefined;
}

function maskContent(content: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(content).map(([key, value]) => [key, /key|secret|password|token/i.test(key) && key !== 'accessId' ? '******' : value]));
}

export async function startDataWorksStandIn(options: DataWorksStandInOptions): Promise<DataWorksStandInHandle> {
	const {workspace} = options;
	const store = await openStateStore(options.dataDir);
	const {state} = store;
	const folders = folderTree(workspace.folders);
	const addFolder = (folderPath: string) => {
		const parts = folderPath.split('/');
		for (let length = 1; length <= parts.length; length++) {
			const folder = parts.slice(0, length).join('/');
			if (!folders.has(folder)) {
				folders.set(folder, 5000 + folders.size);
			}
		}
	};

	// The workflows the workspace was seeded with are auto-triggered ones; each workflow has its Data Integration folder.
	for (const name of new Set(workspace.folders.map(folder => workflowOf(folder)).filter(name => name !== undefined))) {
		if (!state.businesses.some(business => business.name === name)) {
			state.businesses.push({businessId: store.newId() + 100_000_000, name, useType: 'NORMAL', description: '', createTime: Date.now()});
		}
	}

	for (const business of state.businesses) {
		addFolder(`${workflowRoot}/${business.name}/${dataIntegrationFolder}`);
	}

	const businessOf = (folderPath: string): BusinessRecord | undefined => state.businesses.find(business => business.name === workflowOf(folderPath));
	const isManual = (file: FileRecord) => businessOf(file.folderPath)?.useType === 'MANUAL_BIZ';
	const stepDelayMs = options.stepDelayMs ?? 200;
	const maxSkewMs = options.maxSkewMs ?? 900_000;
	const now = options.now ?? Date.now;
	const rehearsal = options.schedule?.rehearsal ?? true;
	const faults = createFaultPoint();
	const nonces = new NonceLedger(maxSkewMs);
	const timers = new Set<NodeJS.Timeout>();
	const abort = new AbortController();
	let queue = Promise.resolve();
	let closing = false;

	function later(ms: number, work: () => Promise<void>): void {
		const timer = setTimeout(() => {
			timers.delete(timer);
			if (!closing) {
				work().catch(() => undefined);
			}
		}, ms);
		timers.add(timer);
	}

	const pause = async (ms: number) => sleep(ms, undefined, {signal: abort.signal}).catch(() => undefined);

	// --- instances -----------------------------------------------------------------------------------------------

	function enqueue(instance: InstanceRecord): void {
		queue = queue.then(async () => runInstance(instance)).catch(() => undefined);
	}

	async function setStatus(instance: InstanceRecord, status: InstanceRecord['status'], extra: Partial<InstanceRecord> = {}): Promise<void> {
		Object.assign(instance, {status, modifyTime: Date.now()}, extra);
		await store.save();
	}

	async function runInstance(instance: InstanceRecord): Promise<void> {
		if (closing || instance.status !== 'NOT_RUN') {
			return;
		}

		await pause(stepDelayMs);
		if (closing) {
			return;
		}

		await setStatus(instance, 'WAIT_RESOURCE', {beginWaitResTime: Date.now()});
		await pause(stepDelayMs);
		if (closing) {
			return;
		}

		const file = state.files.find(item => item.fileId === instance.fileId);
		await setStatus(instance, 'RUNNING', {beginRunningTime: Date.now()});
		const log = async (line: string) => store.appendLog(instance.instanceId, `${line}\n`);
		await log(`${new Date(Date.now() + cstOffsetMs).toISOString().slice(0, 19).replace('T', ' ')} : Start Job[${instance.nodeName}], instance [${instance.instanceId}], bizdate [${bizdateText(instance.bizdate)}], resource group [${file?.resourceGroup ?? ''}]`);
		let lines: string[] = [];
		try {
			if (!file) {
				throw new JobConfigError(`the file of node ${instance.nodeId} no longer exists`);
			}

			// The node's scheduling parameters, resolved for this instance; a backfill's NodeParams override them.
			const parameters = {
				bizdate: bizdateText(instance.bizdate),
				...resolveParaValue((file.prodSchedule ?? file.schedule)?.paraValue ?? '', {bizdate: instance.bizdate, cycTime: instance.cycTime}),
				...Object.fromEntries(instance.paramValues.split(/\s+/).filter(Boolean).map(pair => pair.split('=', 2) as [string, string])),
			};
			const job = parseDiJob(substituteParameters(file.prodContent ?? file.content, parameters));
			if (closing) {
				// Stopped before the job began: nothing was sent, so the next start may run it.
				instance.status = 'NOT_RUN';
				return;
			}

			const result = await options.runner.run({
				job,
				dataSources: (name, type) => state.dataSources.find(source => source.name === name && source.type === type && source.envType === 1)?.content,
				log: line => lines.push(line),
				signal: abort.signal,
			});
			await log(lines.join('\n'));
			lines = [];
			await log(result.status === 'SUCCESS' ? 'Exit with SUCCESS.' : `Exit with FAILURE.\n${result.errorMessage ?? ''}`);
			await setStatus(instance, result.status, {finishTime: Date.now(), ...(result.errorMessage ? {errorMessage: result.errorMessage} : {})});
		} catch (error) {
			if (lines.length > 0) {
				await log(lines.join('\n'));
			}

			if (closing) {
				// Left RUNNING: the next start marks it failed (see below).
				return;
			}

			const message = error instanceof Error ? error.message : String(error);
			await log(`Exit with FAILURE.\n${message}`);
			await setStatus(instance, 'FAILURE', {finishTime: Date.now(), errorMessage: message});
		}
	}

	// --- answers -------------------------------------------------------------------------------------------------

	function businessJson(business: BusinessRecord) {
		return {BusinessId: business.businessId, BusinessName: business.name, Description: business.description, Owner: options.accountId, ProjectId: workspace.id, UseType: business.useType};
	}

	/**
	 * A run of a manually triggered workflow: one DAG (DagType MANUAL) with an instance of each deployed node it runs,
	 * for a business date at least a day back; nodes in ExcludeNodeIds get dry-run instances.
	 */
	async function runManualDag(params: Params): Promise<number> {
		const env = required(params, 'ProjectEnv');
		const projectName = required(params, 'ProjectName');
		const flowName = required(params, 'FlowName');
		if (env !== 'PROD') {
			throw invalid('ProjectEnv', 'the local DataWorks runs manually triggered workflows in PROD only');
		}

		if (projectName !== workspace.name || (params.ProjectId && params.ProjectId !== String(workspace.id))) {
			throw new RpcError(403, 'Forbidden.Access.ProjectNotExistOrNoPermission', `The workspace ${projectName} does not exist in region ${options.region} or you are not a member of it.`);
		}

		let bizdate: number;
		if (params.BizDate) {
			bizdate = parseBizDate(params.BizDate, 'BizDate');
		} else {
			bizdate = parseBizDate(required(params, 'StartBizDate'), 'StartBizDate');
			if (parseBizDate(required(params, 'EndBizDate'), 'EndBizDate') !== bizdate) {
				throw invalid('EndBizDate', 'the local DataWorks runs one business date per call: make it StartBizDate');
			}
		}

		if (bizdate > cstDayStart(now()) - day) {
			throw invalid('BizDate', 'the business date must be one or more days before the current date');
		}

		const business = state.businesses.find(item => item.name === flowName && item.useType === 'MANUAL_BIZ');
		const nodes = state.files.filter(file => business && businessOf(file.folderPath) === business && file.prodVersion !== undefined && file.nodeId !== undefined);
		if (nodes.length === 0) {
			throw new RpcError(400, 'Invalid.ManualDag.NotExist', `The manually triggered workflow ${flowName} has no node in the production environment${workspace.mode === 'standard' ? '; submit its files and deploy them with DeployFile first' : '; submit its files first'}.`);
		}

		const ids = (name: string) => (params[name] ?? '').split(',').map(item => item.trim()).filter(Boolean).map(Number);
		const include = ids('IncludeNodeIds');
		const exclude = include.length > 0 ? ids('ExcludeNodeIds') : [];
		for (const nodeId of include) {
			if (!nodes.some(file => file.nodeId === nodeId)) {
				throw invalid('IncludeNodeIds', `the node ${nodeId} is not a deployed node of the workflow ${flowName}`);
			}
		}

		const nodeParameters = nodeParametersOf(params, 'NodeParameters');

		const dagId = store.newId() + 800_000_000;
		for (const file of nodes.filter(item => include.length === 0 || include.includes(item.nodeId!))) {
			const created = now();
			const dryRun = exclude.includes(file.nodeId!);
			const instance: InstanceRecord = {
				instanceId: store.newId() + 900_000_000, dagId, dagName: flowName, dagType: 'MANUAL', taskType: dryRun ? 'SKIP' : 'MANUAL', nodeId: file.nodeId!, nodeName: file.fileName,
				fileId: file.fileId, status: dryRun ? 'SUCCESS' : 'NOT_RUN', bizdate, cycTime: created, paramValues: nodeParameters[String(file.nodeId)] ?? '', createTime: created, modifyTime: created,
				...(dryRun ? {finishTime: created} : {}),
			};
			state.instances.push(instance);
			if (!dryRun) {
				enqueue(instance);
			}
		}

		await store.save();
		return dagId;
	}

	function project(params: Params): void {
		const id = params.ProjectId;
		const identifier = params.ProjectIdentifier;
		if (!id && !identifier) {
			throw missing('ProjectId');
		}

		if ((id && id !== String(workspace.id)) || (!id && identifier !== workspace.name)) {
			throw new RpcError(403, 'Forbidden.Access.ProjectNotExistOrNoPermission', `The workspace ${id ?? identifier} does not exist in region ${options.region} or you are not a member of it.`);
		}
	}

	function fileOf(params: Params): FileRecord {
		const fileId = params.FileId ? requiredId(params, 'FileId') : undefined;
		const nodeId = params.NodeId ? requiredId(params, 'NodeId') : undefined;
		if (fileId === undefined && nodeId === undefined) {
			throw missing('FileId');
		}

		const file = state.files.find(item => (fileId !== undefined ? item.fileId === fileId : item.nodeId === nodeId));
		if (!file) {
			throw new RpcError(404, 'Invalid.File.NotExist', `The file ${fileId ?? `of node ${nodeId}`} does not exist.`);
		}

		return file;
	}

	function fileJson(file: FileRecord) {
		return {
			FileId: file.fileId, FileName: file.fileName, FileFolderId: String(folders.get(file.folderPath) ?? ''), FileType: file.fileType,
			Content: file.content, CommitStatus: file.commitStatus, CurrentVersion: file.currentVersion, Owner: options.accountId,
			CreateUser: options.accountId, LastEditUser: options.accountId, CreateTime: file.createTime, LastEditTime: file.lastEditTime,
			UseType: businessOf(file.folderPath)?.useType ?? 'NORMAL', BusinessId: businessOf(file.folderPath)?.businessId ?? 0, BizId: businessOf(file.folderPath)?.businessId ?? 0,
			IsMaxCompute: false, ConnectionName: '', FileDescription: '', ParentId: 0,
			...(file.nodeId === undefined ? {} : {NodeId: file.nodeId}),
		};
	}

	function instanceJson(instance: InstanceRecord) {
		return {
			InstanceId: instance.instanceId, NodeId: instance.nodeId, NodeName: instance.nodeName, DagId: instance.dagId, DagType: instance.dagType ?? 'SUPPLY_DATA',
			Status: instance.status, Bizdate: instance.bizdate, CycTime: instance.cycTime, CreateTime: instance.createTime, ModifyTime: instance.modifyTime,
			BeginWaitTimeTime: instance.createTime, BeginWaitResTime: instance.beginWaitResTime, BeginRunningTime: instance.beginRunningTime,
			FinishTime: instance.finishTime, ErrorMessage: instance.errorMessage ?? '', ParamValues: instance.paramValues, Priority: 1,
			TaskType: instance.taskType ?? 'NORMAL', TaskRerunTime: instance.rerunCount ?? 0, Connection: '', RelatedFlowId: 0, BaselineId: 0, Repeatability: true, RepeatInterval: 0, DqcType: 1, DqcDescription: '',
		};
	}

	function nodeConfiguration(schedule: FileSchedule) {
		return {
			AutoRerunTimes: schedule.autoRerunTimes, AutoRerunIntervalMillis: schedule.autoRerunIntervalMillis, RerunMode: schedule.rerunMode, Stop: schedule.stop,
			ParaValue: schedule.paraValue, StartEffectDate: schedule.startEffectDate, EndEffectDate: schedule.endEffectDate, CronExpress: schedule.cronExpress,
			CycleType: schedule.cycleType, DependentType: schedule.dependentType, DependentNodeIdList: '', SchedulerType: schedule.schedulerType,
			ApplyScheduleImmediately: String(schedule.applyScheduleImmediately), ResourceGroupId: 0,
			InputList: schedule.inputList.split(',').filter(Boolean).map(output => ({Input: output, ParseType: 'MANUAL'})),
			OutputList: schedule.outputList.split(',').filter(Boolean).map(output => ({Output: output, RefTableName: ''})),
		};
	}

	function deploymentJson(deployment: DeploymentRecord) {
		return {
			Name: deployment.name, CreatorId: options.accountId, HandlerId: options.accountId, CreateTime: deployment.createTime,
			ExecuteTime: deployment.executeTime ?? 0, Status: deployment.status, FromEnvironment: deployment.fromEnvironment,
			ToEnvironment: deployment.toEnvironment, ErrorMessage: deployment.errorMessage ?? '',
		};
	}

	function completeDeployment(deployment: DeploymentRecord): void {
		later(stepDelayMs, async () => {
			const file = state.files.find(item => item.fileId === deployment.fileId);
			if (!file) {
				Object.assign(deployment, {status: 2, executeTime: Date.now(), errorMessage: 'The file no longer exists.'});
			} else if (deployment.kind === 'submit') {
				file.commitStatus = 1;
				file.nodeId ??= store.newId() + 700_000_000;
				if (workspace.mode === 'basic') {
					release(file);
				}

				Object.assign(deployment, {status: 1, executeTime: Date.now()});
			} else {
				release(file);
				Object.assign(deployment, {status: 1, executeTime: Date.now()});
			}

			await store.save();
		});
	}

	// --- the scheduler -----------------------------------------------------------------------------------------------

	/** Production now runs this version; with immediate generation, the release day's instances are made at once. */
	function release(file: FileRecord): void {
		file.prodVersion = file.currentVersion;
		file.prodContent = file.content;
		file.prodSchedule = file.schedule ?? defaultSchedule;
		file.releasedAt = now();
		file.generatedDays = [];
		if (file.prodSchedule.applyScheduleImmediately) {
			generateDay(file, cstDayStart(file.releasedAt), true);
		}
	}

	function generateDay(file: FileRecord, dayStart: number, releaseDay: boolean): void {
		const schedule = file.prodSchedule!;
		file.generatedDays = [...(file.generatedDays ?? []), dayStart];
		if (schedule.schedulerType === 'MANUAL' || schedule.stop || dayStart + day <= schedule.startEffectDate || dayStart > schedule.endEffectDate) {
			return;
		}

		const dagId = store.newId() + 800_000_000;
		const cutoff = (file.releasedAt ?? 0) + immediateCutoffMs;
		for (const [index, slot] of slotsOfDay(parseCron(schedule.cronExpress, schedule.cycleType), dayStart).entries()) {
			const created = now();
			const runNow = releaseDay && rehearsal && index === 0;
			const expired = releaseDay && !runNow && slot.cycTime <= cutoff;
			const dryRun = expired || schedule.schedulerType === 'SKIP';
			const instance: InstanceRecord = {
				instanceId: store.newId() + 900_000_000, dagId, dagName: `${file.fileName} ${new Date(dayStart + cstOffsetMs).toISOString().slice(0, 10)}`, dagType: 'DAILY',
				taskType: dryRun ? 'SKIP' : 'NORMAL', nodeId: file.nodeId!, nodeName: file.fileName, fileId: file.fileId,
				status: expired ? 'SUCCESS' : (runNow ? 'NOT_RUN' : 'WAIT_TIME'), bizdate: slot.bizdate, cycTime: slot.cycTime, paramValues: '', createTime: created, modifyTime: created,
				...(expired ? {finishTime: created} : {}),
			};
			state.instances.push(instance);
			if (runNow) {
				enqueue(instance);
			}
		}
	}

	/** Generates the instances of days that began since the release, and starts those whose time has come. */
	async function tick(): Promise<void> {
		const time = now();
		const today = cstDayStart(time);
		let changed = false;
		for (const file of state.files) {
			if (file.prodVersion === undefined || file.nodeId === undefined || file.releasedAt === undefined) {
				continue;
			}

			// The real service generates the next day's instances from 23:30; the local one when the day begins.
			for (let dayStart = cstDayStart(file.releasedAt) + day; dayStart <= today; dayStart += day) {
				if (!(file.generatedDays ?? []).includes(dayStart)) {
					generateDay(file, dayStart, false);
					changed = true;
				}
			}
		}

		for (const instance of state.instances) {
			if (instance.status === 'WAIT_TIME' && instance.cycTime <= time) {
				const file = state.files.find(item => item.fileId === instance.fileId);
				if (instance.taskType === 'SKIP' || file?.prodSchedule?.schedulerType === 'SKIP') {
					Object.assign(instance, {status: 'SUCCESS', finishTime: time, modifyTime: time});
				} else if (file?.prodSchedule?.schedulerType === 'PAUSE') {
					Object.assign(instance, {status: 'FAILURE', finishTime: time, modifyTime: time, errorMessage: 'The node is frozen (paused): its instance is set to failed.'});
				} else {
					Object.assign(instance, {status: 'NOT_RUN', modifyTime: time});
					enqueue(instance);
				}

				changed = true;
			}
		}

		if (changed) {
			await store.save();
		}
	}

	function scheduleOf(params: Params, base: FileSchedule): FileSchedule {
		const schedule = {...base};
		const text = (name: string) => (params[name] === undefined || params[name] === '' ? undefined : params[name]);
		const integer = (name: string, min: number, max: number): number | undefined => {
			const value = text(name);
			if (value === undefined) {
				return undefined;
			}

			if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
				throw invalid(name, `expected a whole number from ${min} to ${max}`);
			}

			return Number(value);
		};

		const oneOf = <T extends string>(name: string, values: readonly T[]): T | undefined => {
			const value = text(name);
			if (value !== undefined && !values.includes(value as T)) {
				throw invalid(name, `expected one of ${values.join(', ')}`);
			}

			return value as T | undefined;
		};

		const flag = (name: string) => (text(name) === undefined ? undefined : text(name) === 'true');
		Object.assign(schedule, Object.fromEntries(Object.entries({
			cronExpress: text('CronExpress'), cycleType: oneOf('CycleType', ['DAY', 'NOT_DAY'] as const), paraValue: params.ParaValue,
			autoRerunTimes: integer('AutoRerunTimes', 0, 10), autoRerunIntervalMillis: integer('AutoRerunIntervalMillis', 0, 1_800_000),
			rerunMode: oneOf('RerunMode', ['ALL_ALLOWED', 'FAILURE_ALLOWED', 'ALL_DENIED'] as const), schedulerType: oneOf('SchedulerType', ['NORMAL', 'MANUAL', 'PAUSE', 'SKIP'] as const),
			stop: flag('Stop'), inputList: params.InputList, outputList: params.OutputList, startEffectDate: integer('StartEffectDate', 0, Number.MAX_SAFE_INTEGER),
			endEffectDate: integer('EndEffectDate', 0, Number.MAX_SAFE_INTEGER), dependentType: text('DependentType'), applyScheduleImmediately: flag('ApplyScheduleImmediately'),
		}).filter(([, value]) => value !== undefined)));
		try {
			parseCron(schedule.cronExpress, schedule.cycleType);
		} catch (error) {
			throw invalid('CronExpress', (error as Error).message);
		}

		return schedule;
	}

	function page<T>(items: T[], params: Params): {PageNumber: number; PageSize: number; TotalCount: number; items: T[]} {
		const pageNumber = Math.max(1, Number(params.PageNumber ?? 1) || 1);
		const pageSize = Math.min(100, Math.max(1, Number(params.PageSize ?? 10) || 10));
		return {PageNumber: pageNumber, PageSize: pageSize, TotalCount: items.length, items: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize)};
	}

	const actions: Record<string, (params: Params) => Promise<unknown>> = {
		async GetProject(params) {
			project(params);
			return {
				ProjectId: workspace.id, ProjectName: workspace.name, ProjectIdentifier: workspace.name, ProjectMode: workspace.mode === 'standard' ? 3 : 2,
				Status: 0, EnvTypes: workspace.mode === 'standard' ? ['DEV', 'PROD'] : ['PROD'], DefaultDiResourceGroupIdentifier: workspace.resourceGroups[0] ?? '',
				ProjectOwnerBaseId: options.accountId, ResidentArea: 'private', DevelopmentType: 4, IsDefault: 0, ProtectedMode: 0, TablePrivacyMode: 0,
				SchedulerMaxRetryTimes: 3, SchedulerRetryInterval: 120_000, DisableDevelopment: false, IsAllowDownload: 1, ProjectDescription: '',
			};
		},

		async ListDataSources(params) {
			project(params);
			const matching = state.dataSources.filter(source => (!params.Name || source.name === params.Name)
				&& (!params.DataSourceType || source.type === params.DataSourceType)
				&& (params.EnvType === undefined || params.EnvType === '' || String(source.envType) === params.EnvType));
			const {items, ...paging} = page(matching, params);
			return {
				...paging,
				DataSources: items.map(source => ({
					Id: source.id, Name: source.name, DataSourceType: source.type, SubType: source.subType, EnvType: source.envType,
					Content: JSON.stringify(maskContent(source.content)), Description: source.description, Status: 'ENABLED', ConnectStatus: 1,
					ProjectId: workspace.id, Operator: options.accountId, GmtCreate: new Date(source.createTime).toUTCString(), GmtModified: new Date(source.modifyTime).toUTCString(),
				})),
			};
		},

		async CreateDataSource(params) {
			project(params);
			const name = required(params, 'Name');
			const type = required(params, 'DataSourceType');
			const envType = Number(required(params, 'EnvType'));
			if (envType !== 0 && envType !== 1) {
				throw invalid('EnvType', '0 (development) or 1 (production)');
			}

			if (workspace.mode === 'basic' && envType === 0) {
				throw invalid('EnvType', 'a workspace in basic mode has the production environment only');
			}

			let content: unknown;
			try {
				content = JSON.parse(required(params, 'Content'));
			} catch {
				throw invalid('Content', 'not a JSON object');
			}

			if (!content || typeof content !== 'object' || Array.isArray(content)) {
				throw invalid('Content', 'not a JSON object');
			}

			if (state.dataSources.some(source => source.name === name && source.envType === envType)) {
				throw new RpcError(400, 'Invalid.DataSource.AlreadyExists', `A data source named ${name} already exists in this environment.`);
			}

			const now = Date.now();
			const record: DataSourceRecord = {id: store.newId(), name, type, subType: params.SubType ?? '', envType, content: content as Record<string, unknown>, description: params.Description ?? '', createTime: now, modifyTime: now};
			state.dataSources.push(record);
			await store.save();
			return record.id;
		},

		/** DataSourceId (required), Content, Description, EnvType, Status: the connection of an existing data source. */
		async UpdateDataSource(params) {
			const id = requiredId(params, 'DataSourceId');
			const record = state.dataSources.find(source => source.id === id);
			if (!record) {
				throw new RpcError(404, 'Invalid.DataSource.NotExists', `The data source ${id} does not exist.`);
			}

			if (params.Content !== undefined && params.Content !== '') {
				let content: unknown;
				try {
					content = JSON.parse(params.Content);
				} catch {
					throw invalid('Content', 'not a JSON object');
				}

				if (!content || typeof content !== 'object' || Array.isArray(content)) {
					throw invalid('Content', 'not a JSON object');
				}

				record.content = content as Record<string, unknown>;
			}

			if (params.Description !== undefined) {
				record.description = params.Description;
			}

			record.modifyTime = Date.now();
			await store.save();
			return true;
		},

		async CreateDISyncTask(params) {
			project(params);
			const taskType = required(params, 'TaskType');
			const taskName = required(params, 'TaskName');
			const content = required(params, 'TaskContent');
			if (!['DI_OFFLINE', 'DI_REALTIME', 'DI_SOLUTION'].includes(taskType)) {
				throw invalid('TaskType', 'DI_OFFLINE, DI_REALTIME or DI_SOLUTION');
			}

			if (taskType !== 'DI_OFFLINE') {
				throw invalid('TaskType', 'the local DataWorks creates DI_OFFLINE tasks only');
			}

			let taskParam: {FileFolderPath?: unknown; ResourceGroup?: unknown};
			try {
				taskParam = JSON.parse(required(params, 'TaskParam')) as typeof taskParam;
			} catch {
				throw invalid('TaskParam', 'not JSON');
			}

			const clientToken = params.ClientToken;
			const existing = clientToken ? state.files.find(file => file.clientToken === clientToken) : undefined;
			if (existing) {
				return {Status: 'success', FileId: existing.fileId};
			}

			const folderPath = typeof taskParam.FileFolderPath === 'string' ? taskParam.FileFolderPath.replace(/\/+$/, '') : '';
			if (!folders.has(folderPath)) {
				return {Status: 'fail', Message: `Invalid path: ${folderPath || '(empty)'}`};
			}

			const resourceGroup = typeof taskParam.ResourceGroup === 'string' ? taskParam.ResourceGroup : '';
			if (!workspace.resourceGroups.includes(resourceGroup)) {
				return {Status: 'fail', Message: `Invalid resource group: ${resourceGroup || '(empty)'} is not a Data Integration resource group of this workspace`};
			}

			if (state.files.some(file => file.fileName === taskName)) {
				return {Status: 'fail', Message: `The file name ${taskName} already exists in this workspace`};
			}

			try {
				parseDiJob(content);
			} catch (error) {
				if (error instanceof JobConfigError) {
					throw invalid('TaskContent', error.message);
				}

				throw error;
			}

			const now = Date.now();
			const file: FileRecord = {
				fileId: store.newId() + 500_000_000, fileName: taskName, folderPath, taskType, content, resourceGroup, fileType: diOfflineFileType,
				commitStatus: 0, currentVersion: 1, createTime: now, lastEditTime: now, ...(clientToken ? {clientToken} : {}),
				// A node of a manually triggered workflow is a manual one: the scheduler never runs it.
				...(businessOf(folderPath)?.useType === 'MANUAL_BIZ' ? {schedule: {...defaultSchedule, schedulerType: 'MANUAL' as const}} : {}),
			};
			state.files.push(file);
			await store.save();
			return {Status: 'success', FileId: file.fileId};
		},

		async GetFile(params) {
			project(params);
			const file = fileOf(params);
			return {
				File: fileJson(file),
				NodeConfiguration: nodeConfiguration(file.schedule ?? defaultSchedule),
			};
		},

		/** Content and scheduling properties of the working copy; production keeps the released ones until the next release. */
		async UpdateFile(params) {
			project(params);
			const file = fileOf(params);
			const schedule = scheduleOf(params, file.schedule ?? defaultSchedule);
			if ((schedule.schedulerType === 'MANUAL') !== isManual(file)) {
				throw invalid('SchedulerType', isManual(file) ? 'a node of a manually triggered workflow is MANUAL' : 'MANUAL is the type of the nodes of manually triggered workflows');
			}

			if (params.Content !== undefined && params.Content !== '') {
				try {
					parseDiJob(params.Content);
				} catch (error) {
					if (error instanceof JobConfigError) {
						throw invalid('Content', error.message);
					}

					throw error;
				}

				file.content = params.Content;
			}

			Object.assign(file, {schedule, currentVersion: file.currentVersion + 1, commitStatus: 0, lastEditTime: Date.now()});
			await store.save();
			return true;
		},

		/** Runs a finished instance again, as its node's rerun property allows; the same instance id. */
		async RestartInstance(params) {
			const id = requiredId(params, 'InstanceId');
			required(params, 'ProjectEnv');
			const instance = state.instances.find(item => item.instanceId === id);
			if (!instance) {
				throw new RpcError(404, 'Invalid.Instance.NotExist', `The instance ${id} does not exist.`);
			}

			const mode = state.files.find(item => item.fileId === instance.fileId)?.prodSchedule?.rerunMode ?? 'ALL_ALLOWED';
			if (instance.status !== 'FAILURE' && instance.status !== 'SUCCESS') {
				throw new RpcError(400, 'Invalid.Instance.Status', `The instance ${id} is ${instance.status}; only a finished instance can be rerun.`);
			}

			if (mode === 'ALL_DENIED' || (mode === 'FAILURE_ALLOWED' && instance.status === 'SUCCESS')) {
				throw new RpcError(400, 'Invalid.Instance.RerunDenied', `The node's rerun property is ${mode}: instance ${id} (${instance.status}) cannot be rerun.`);
			}

			const time = now();
			// A rerun runs the node for real, a dry-run instance's too; a manual node's instance stays MANUAL.
			Object.assign(instance, {status: 'NOT_RUN', modifyTime: time, rerunCount: (instance.rerunCount ?? 0) + 1, taskType: instance.taskType === 'MANUAL' ? 'MANUAL' : 'NORMAL'});
			delete instance.finishTime;
			delete instance.errorMessage;
			await store.appendLog(instance.instanceId, `\n--- rerun ${instance.rerunCount} ---\n`);
			await store.save();
			enqueue(instance);
			return true;
		},

		async ListFiles(params) {
			project(params);
			const types = params.FileTypes ? params.FileTypes.split(',').map(Number) : undefined;
			const folderPath = params.FileFolderPath?.replace(/\/+$/, '');
			const matching = state.files.filter(file => (!folderPath || file.folderPath === folderPath)
				&& (!params.Keyword || file.fileName.includes(params.Keyword))
				&& (!types || types.includes(file.fileType)));
			const {items, ...paging} = page(matching, params);
			return {...paging, Files: items.map(file => fileJson(file))};
		},

		async ListFolders(params) {
			project(params);
			const parent = required(params, 'ParentFolderPath').replace(/\/+$/, '');
			const children = [...folders.entries()].filter(([folder]) => folder.slice(0, folder.lastIndexOf('/')) === parent && folder.includes('/'));
			const {items, ...paging} = page(children, params);
			return {...paging, Folders: items.map(([folder, id]) => ({FolderId: String(id), FolderPath: folder}))};
		},

		async ListResourceGroups() {
			return workspace.resourceGroups.map((identifier, index) => ({
				Id: 9000 + index, Identifier: identifier, Name: identifier, ResourceGroupType: 4, Status: 0, Mode: 'ISOLATE', IsDefault: index === 0,
				Cluster: options.region, BizExtKey: '', Specs: '', Sequence: index + 1, TenantId: 0, CreateTime: '', UpdateTime: '', EnableKp: false,
			}));
		},

		async SubmitFile(params) {
			project(params);
			const file = fileOf(params);
			const deployment: DeploymentRecord = {
				id: store.newId() + 300_000_000, fileId: file.fileId, name: `submit ${file.fileName}`, kind: 'submit', status: 0,
				fromEnvironment: 0, toEnvironment: workspace.mode === 'basic' ? 2 : 1, createTime: Date.now(),
			};
			state.deployments.push(deployment);
			await store.save();
			completeDeployment(deployment);
			return deployment.id;
		},

		async DeployFile(params) {
			project(params);
			if (workspace.mode === 'basic') {
				throw new RpcError(400, 'Invalid.Project.NotStandardMode', `The workspace ${workspace.name} is in basic mode: SubmitFile already releases to production, and DeployFile is not available.`);
			}

			const file = fileOf(params);
			if (file.commitStatus !== 1) {
				throw new RpcError(400, 'Invalid.File.NotCommitted', `The file ${file.fileId} has not been submitted; call SubmitFile and wait for its deployment first.`);
			}

			const deployment: DeploymentRecord = {
				id: store.newId() + 300_000_000, fileId: file.fileId, name: `deploy ${file.fileName}`, kind: 'deploy', status: 0,
				fromEnvironment: 1, toEnvironment: 2, createTime: Date.now(),
			};
			state.deployments.push(deployment);
			await store.save();
			completeDeployment(deployment);
			return deployment.id;
		},

		async GetDeployment(params) {
			project(params);
			const id = requiredId(params, 'DeploymentId');
			const deployment = state.deployments.find(item => item.id === id);
			if (!deployment) {
				throw new RpcError(404, 'Invalid.Deployment.NotExist', `The deployment ${id} does not exist.`);
			}

			return {Deployment: deploymentJson(deployment)};
		},

		async RunCycleDagNodes(params) {
			const env = required(params, 'ProjectEnv');
			const name = required(params, 'Name');
			const rootNodeId = requiredId(params, 'RootNodeId');
			const include = required(params, 'IncludeNodeIds').split(',').map(item => item.trim()).filter(Boolean).map(Number);
			const start = parseBizDate(required(params, 'StartBizDate'), 'StartBizDate');
			const end = parseBizDate(required(params, 'EndBizDate'), 'EndBizDate');
			required(params, 'Parallelism');
			if (env !== 'PROD') {
				throw invalid('ProjectEnv', 'the local DataWorks runs backfills in PROD only');
			}

			if (end < start || (end - start) / day > 31) {
				throw invalid('EndBizDate', 'must not be before StartBizDate, at most 31 days later');
			}

			if (!include.includes(rootNodeId)) {
				include.unshift(rootNodeId);
			}

			const files = include.map(nodeId => {
				const file = state.files.find(item => item.nodeId === nodeId);
				if (!file || file.prodVersion === undefined) {
					throw new RpcError(400, 'Invalid.Node.NotInProduction', `The node ${nodeId} does not exist in the production environment${workspace.mode === 'standard' ? '; submit the file and deploy it with DeployFile first' : '; submit the file first'}.`);
				}

				if (isManual(file)) {
					throw invalid('IncludeNodeIds', `the node ${nodeId} belongs to a manually triggered workflow, which has no cycle instances to backfill; run it with RunManualDagNodes`);
				}

				return file;
			});
			const nodeParams = nodeParametersOf(params, 'NodeParams');

			const dagIds: number[] = [];
			for (let bizdate = start; bizdate <= end; bizdate += day) {
				const dagId = store.newId() + 800_000_000;
				dagIds.push(dagId);
				for (const file of files) {
					const now = Date.now();
					const instance: InstanceRecord = {
						instanceId: store.newId() + 900_000_000, dagId, dagName: name, nodeId: file.nodeId!, nodeName: file.fileName, fileId: file.fileId,
						status: 'NOT_RUN', bizdate, cycTime: bizdate + day, paramValues: nodeParams[String(file.nodeId)] ?? '', createTime: now, modifyTime: now,
					};
					state.instances.push(instance);
					enqueue(instance);
				}
			}

			await store.save();
			return dagIds;
		},

		/** Runs the deployed nodes of a manually triggered workflow (or those in IncludeNodeIds) for one business date. */
		async RunManualDagNodes(params) {
			return new TopLevelAnswer({DagId: await runManualDag(params)});
		},

		/** The same run; BizDate is required. */
		async CreateManualDag(params) {
			required(params, 'BizDate');
			return new TopLevelAnswer({DagId: await runManualDag(params)});
		},

		/** The instances of one run of a manually triggered workflow: `Instances` beside RequestId, its date as BizDate. */
		async ListManualDagInstances(params) {
			required(params, 'ProjectEnv');
			const projectName = required(params, 'ProjectName');
			const dagId = requiredId(params, 'DagId');
			if (projectName !== workspace.name) {
				throw new RpcError(403, 'Forbidden.Access.ProjectNotExistOrNoPermission', `The workspace ${projectName} does not exist in region ${options.region} or you are not a member of it.`);
			}

			const instances = state.instances.filter(instance => instance.dagId === dagId && instance.dagType === 'MANUAL');
			return new TopLevelAnswer({Instances: instances.map(instance => {
				const {Bizdate: bizDate, ...fields} = instanceJson(instance);
				return {...fields, BizDate: bizDate, CreateUser: options.accountId};
			})});
		},

		async ListBusiness(params) {
			project(params);
			const matching = state.businesses.filter(business => !params.Keyword || business.name.includes(params.Keyword));
			const {items, ...paging} = page(matching, params);
			return {...paging, Business: items.map(business => businessJson(business))};
		},

		async GetBusiness(params) {
			project(params);
			const id = requiredId(params, 'BusinessId');
			const business = state.businesses.find(item => item.businessId === id);
			if (!business) {
				throw new RpcError(404, 'Invalid.Business.NotExist', `The workflow ${id} does not exist.`);
			}

			return businessJson(business);
		},

		async CreateBusiness(params) {
			project(params);
			const name = required(params, 'BusinessName');
			const useType = params.UseType || 'NORMAL';
			if (useType !== 'NORMAL' && useType !== 'MANUAL_BIZ') {
				throw invalid('UseType', 'NORMAL or MANUAL_BIZ');
			}

			if (name.includes('/')) {
				throw invalid('BusinessName', 'a workflow name cannot contain /');
			}

			if (state.businesses.some(business => business.name === name)) {
				throw new RpcError(400, 'Invalid.Business.NameExists', `A workflow named ${name} already exists in this workspace.`);
			}

			const business: BusinessRecord = {businessId: store.newId() + 100_000_000, name, useType, description: params.Description ?? '', createTime: Date.now()};
			state.businesses.push(business);
			addFolder(`${workflowRoot}/${name}/${dataIntegrationFolder}`);
			await store.save();
			return new TopLevelAnswer({Success: true, HttpStatusCode: 200, BusinessId: business.businessId});
		},

		async ListInstances(params) {
			project(params);
			required(params, 'ProjectEnv');
			const dagId = params.DagId ? Number(params.DagId) : undefined;
			const nodeId = params.NodeId ? Number(params.NodeId) : undefined;
			const bizdate = params.Bizdate ? parseBizDate(params.Bizdate, 'Bizdate') : undefined;
			const matching = state.instances.filter(instance => (dagId === undefined || instance.dagId === dagId)
				&& (nodeId === undefined || instance.nodeId === nodeId)
				&& (bizdate === undefined || instance.bizdate === bizdate)
				&& (!params.NodeName || instance.nodeName === params.NodeName));
			const {items, ...paging} = page(matching, params);
			return {...paging, Instances: items.map(instance => instanceJson(instance))};
		},

		async GetInstance(params) {
			const id = requiredId(params, 'InstanceId');
			required(params, 'ProjectEnv');
			const instance = state.instances.find(item => item.instanceId === id);
			if (!instance) {
				throw new RpcError(404, 'Invalid.Instance.NotExist', `The instance ${id} does not exist.`);
			}

			return instanceJson(instance);
		},

		async GetInstanceLog(params) {
			const id = requiredId(params, 'InstanceId');
			required(params, 'ProjectEnv');
			if (!state.instances.some(item => item.instanceId === id)) {
				throw new RpcError(404, 'Invalid.Instance.NotExist', `The instance ${id} does not exist.`);
			}

			return store.readLog(id);
		},
	};

	// --- HTTP ----------------------------------------------------------------------------------------------------

	const keyOf = (id: string) => (id === options.credentials.accessKeyId ? {secret: options.credentials.secret} : undefined);

	async function answer(request: IncomingMessage, requestId: string): Promise<Answer> {
		const fault = await faults.apply(request);
		if (fault) {
			// A reset has already dropped the connection; the error only ends this request's work.
			throw fault.type === 'reset' ? new RpcError(500, 'ConnectionReset', 'Injected reset.') : new RpcError(fault.status, fault.code, `Injected fault (${fault.code}).`);
		}

		const arrived = await readRpcRequest(request);
		const {params} = arrived;
		const {action, version} = authenticateRpcRequest(request, arrived, {keyOf, nonces, maxSkewMs, serviceTitle: 'the local DataWorks'});
		if (version !== apiVersion) {
			throw new RpcError(400, 'InvalidVersion', `Specified parameter Version is not valid: the local DataWorks speaks ${apiVersion}.`);
		}

		const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
		if (arrived.path !== '/' || !handler) {
			throw new RpcError(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method. (${action})`);
		}

		const data = await handler(params);
		return {status: 200, body: data instanceof TopLevelAnswer ? {RequestId: requestId, ...data.fields} : {RequestId: requestId, Success: true, HttpStatusCode: 200, Data: data}};
	}

	const {port, stop} = await serveHttp(async (request, response) => {
		const requestId = randomUUID().toUpperCase();
		await answer(request, requestId).then(result => sendRpcJson(response, result.status, result.body), (error: unknown) => {
			if (!request.socket.destroyed) {
				const failure = rpcErrorBody(error, {requestId, host: request.headers.host ?? '127.0.0.1', product: 'dataworks-public'});
				sendRpcJson(response, failure.status, failure.body);
			}
		});
	}, {port: options.port});

	// Recovery after a stop: deployments still pending complete; instances that had not started run; an instance that
	// was RUNNING is marked FAILURE rather than run again, because the loghub writer may already have sent part of its
	// logs and a silent rerun would duplicate them — the real service also fails an instance whose worker died, and
	// leaves the rerun to the operator.
	for (const deployment of state.deployments.filter(item => item.status === 0)) {
		completeDeployment(deployment);
	}

	for (const instance of state.instances) {
		if (instance.status === 'RUNNING') {
			const message = 'The instance was interrupted: the local DataWorks stopped while it was running. Logs sent before the stop stay in Log Service; rerun it if needed.';
			Object.assign(instance, {status: 'FAILURE', finishTime: Date.now(), modifyTime: Date.now(), errorMessage: message});
			await store.appendLog(instance.instanceId, `Exit with FAILURE.\n${message}\n`);
		} else if (instance.status === 'WAIT_RESOURCE' || instance.status === 'NOT_RUN') {
			instance.status = 'NOT_RUN';
			enqueue(instance);
		}
	}

	await store.save();
	const scheduler = setInterval(() => {
		if (!closing) {
			tick().catch(() => undefined);
		}
	}, options.schedule?.tickMs ?? 1000);
	scheduler.unref();

	return {
		name: 'dataworks',
		url: `http://127.0.0.1:${port}`,
		port,
		async close() {
			if (closing) {
				return;
			}

			closing = true;
			clearInterval(scheduler);
			abort.abort(new Error('the local DataWorks is stopping'));
			for (const timer of timers) {
				clearTimeout(timer);
			}

			await stop();
			await queue;
			await store.save();
		},
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
