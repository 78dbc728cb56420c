/**
 * The local DataWorks' state and its rules, with no HTTP in them: the workspace and its folders, workflows, data
 * sources, DI files with their scheduling properties, deployments and instances, kept by state.ts. The actions decode
 * a request and call these; a refusal is a StandInError in the service's words. What then happens by itself
 * (deployments completing, cycle instances, runs) is the scheduler's.
 *
 * A workflow is auto-triggered (UseType NORMAL) or manually triggered (MANUAL_BIZ). A node created in a manually
 * triggered workflow is a MANUAL node: the scheduler never generates its instances, a backfill refuses it, and it runs
 * only when its workflow is run (RunManualDagNodes or CreateManualDag, for a business date at least a day back).
 */
import {StandInError} from '../stand-in-kit.js';
import {found, invalid} from './errors.js';
import {JobConfigError, parseDiJob} from './job-config.js';
import {cstDayStart} from './scheduling.js';
import {openStateStore, type BusinessRecord, type DataSourceRecord, type DeploymentRecord, type FileRecord, type FileSchedule, type InstanceRecord, type StateStore} from './state.js';

export type DataWorksWorkspace = {
	id: number;
	name: string;
	mode: 'standard' | 'basic';
	/** Existing folder paths, e.g. `Workflow/ferry/Data Integration`; their parents exist too, and each workflow they name is an auto-triggered one. */
	folders: string[];
	/** Identifiers of the DI resource groups the workspace may use. */
	resourceGroups: string[];
};

export const day = 86_400_000;
const diOfflineFileType = 23;

/** GetFile's NodeConfiguration of a file whose scheduling was never set. */
export const defaultSchedule: FileSchedule = {
	cronExpress: '00 05 00 * * ?', cycleType: 'DAY', paraValue: '', autoRerunTimes: 3, autoRerunIntervalMillis: 120_000, rerunMode: 'ALL_ALLOWED',
	schedulerType: 'NORMAL', stop: false, inputList: '', outputList: '', startEffectDate: 0, endEffectDate: 4_155_787_800_000, dependentType: 'NONE',
	applyScheduleImmediately: false,
};

/** Folder paths of workflows: `Workflow/<workflow>/Data Integration` holds a workflow's batch sync nodes. */
const workflowRoot = 'Workflow';
const dataIntegrationFolder = 'Data Integration';

/** The workflow a folder path is in: `Workflow/<workflow>/…`. */
function workflowOf(folderPath: string): string | undefined {
	const [root, name] = folderPath.split('/');
	return root === workflowRoot && name ? name : undefined;
}

/** The filters of ListInstances, and its order: newest first, by instance id (the default) or by creation time. */
export type InstanceQuery = {dagId?: number; nodeId?: number; nodeName?: string; bizdate?: number; orderBy: 'INSTANCE_ID_DESC' | 'CREATE_TIME_DESC'};

function checkJob(content: string, parameter: string): void {
	try {
		parseDiJob(content);
	} catch (error) {
		if (error instanceof JobConfigError) {
			throw invalid(parameter, error.message);
		}

		throw error;
	}
}

export class DataWorksModel {
	static async open(options: {dataDir: string; workspace: DataWorksWorkspace; now: () => number}): Promise<DataWorksModel> {
		return new DataWorksModel(await openStateStore(options.dataDir), options.workspace, options.now);
	}

	readonly workspace: DataWorksWorkspace;
	readonly store: StateStore;
	/** Every folder of the workspace, parents included, with stable ids. */
	readonly folders = new Map<string, number>();
	/** The scheduler's clock. */
	readonly now: () => number;

	private constructor(store: StateStore, workspace: DataWorksWorkspace, now: () => number) {
		this.store = store;
		this.workspace = workspace;
		this.now = now;
		for (const folder of [...new Set(workspace.folders.flatMap(path => this.withParents(path)))].sort()) {
			this.folders.set(folder, 5000 + this.folders.size);
		}

		// The workflows the workspace was seeded with are auto-triggered ones; each workflow has its Data Integration folder.
		for (const name of new Set(workspace.folders.map(folder => workflowOf(folder)).filter(name => name !== undefined))) {
			if (!this.state.businesses.some(business => business.name === name)) {
				this.state.businesses.push({businessId: store.newId() + 100_000_000, name, useType: 'NORMAL', description: '', createTime: Date.now()});
			}
		}

		for (const business of this.state.businesses) {
			this.addFolder(`${workflowRoot}/${business.name}/${dataIntegrationFolder}`);
		}
	}

	get state() {
		return this.store.state;
	}

	private withParents(folderPath: string): string[] {
		const parts = folderPath.split('/').filter(Boolean);
		return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
	}

	private addFolder(folderPath: string): void {
		for (const folder of this.withParents(folderPath)) {
			if (!this.folders.has(folder)) {
				this.folders.set(folder, 5000 + this.folders.size);
			}
		}
	}

	async save(): Promise<void> {
		await this.store.save();
	}

	businessOf(folderPath: string): BusinessRecord | undefined {
		return this.state.businesses.find(business => business.name === workflowOf(folderPath));
	}

	isManual(file: FileRecord): boolean {
		return this.businessOf(file.folderPath)?.useType === 'MANUAL_BIZ';
	}

	// --- lookups by id -------------------------------------------------------------------------------------------

	business(id: number): BusinessRecord {
		return found(this.state.businesses.find(item => item.businessId === id), 'Invalid.Business.NotExist', `workflow ${id}`);
	}

	dataSource(id: number): DataSourceRecord {
		return found(this.state.dataSources.find(item => item.id === id), 'Invalid.DataSource.NotExists', `data source ${id}`);
	}

	deployment(id: number): DeploymentRecord {
		return found(this.state.deployments.find(item => item.id === id), 'Invalid.Deployment.NotExist', `deployment ${id}`);
	}

	instance(id: number): InstanceRecord {
		return found(this.state.instances.find(item => item.instanceId === id), 'Invalid.Instance.NotExist', `instance ${id}`);
	}

	file(key: {fileId: number} | {nodeId: number}): FileRecord {
		const file = this.state.files.find(item => ('fileId' in key ? item.fileId === key.fileId : item.nodeId === key.nodeId));
		return found(file, 'Invalid.File.NotExist', 'fileId' in key ? `file ${key.fileId}` : `file of node ${key.nodeId}`);
	}

	// --- workflows -----------------------------------------------------------------------------------------------

	async createWorkflow(name: string, useType: BusinessRecord['useType'], description: string): Promise<BusinessRecord> {
		if (name.includes('/')) {
			throw invalid('BusinessName', 'a workflow name cannot contain /');
		}

		if (this.state.businesses.some(business => business.name === name)) {
			throw new StandInError(400, 'Invalid.Business.NameExists', `A workflow named ${name} already exists in this workspace.`);
		}

		const business: BusinessRecord = {businessId: this.store.newId() + 100_000_000, name, useType, description, createTime: Date.now()};
		this.state.businesses.push(business);
		this.addFolder(`${workflowRoot}/${name}/${dataIntegrationFolder}`);
		await this.save();
		return business;
	}

	// --- data sources --------------------------------------------------------------------------------------------

	async createDataSource(fields: Pick<DataSourceRecord, 'name' | 'type' | 'subType' | 'envType' | 'content' | 'description'>): Promise<DataSourceRecord> {
		if (this.state.dataSources.some(source => source.name === fields.name && source.envType === fields.envType)) {
			throw new StandInError(400, 'Invalid.DataSource.AlreadyExists', `A data source named ${fields.name} already exists in this environment.`);
		}

		const time = Date.now();
		const record: DataSourceRecord = {id: this.store.newId(), ...fields, createTime: time, modifyTime: time};
		this.state.dataSources.push(record);
		await this.save();
		return record;
	}

	async updateDataSource(record: DataSourceRecord, change: {content?: Record<string, unknown>; description?: string}): Promise<void> {
		Object.assign(record, change, {modifyTime: Date.now()});
		await this.save();
	}

	/** The connection of a production data source, as a DI job names it. */
	productionDataSource(name: string, type: string): Record<string, unknown> | undefined {
		return this.state.dataSources.find(source => source.name === name && source.type === type && source.envType === 1)?.content;
	}

	// --- files and nodes -----------------------------------------------------------------------------------------

	/**
	 * A DI_OFFLINE task's file in a workflow folder, or why not (CreateDISyncTask answers those as `Status: fail`). A
	 * client token already used gives the file it created.
	 */
	async createDiTask(task: {taskName: string; taskType: string; content: string; folderPath: string; resourceGroup: string; clientToken?: string}): Promise<FileRecord | {failure: string}> {
		const existing = task.clientToken ? this.state.files.find(file => file.clientToken === task.clientToken) : undefined;
		if (existing) {
			return existing;
		}

		if (!this.folders.has(task.folderPath)) {
			return {failure: `Invalid path: ${task.folderPath || '(empty)'}`};
		}

		if (!this.workspace.resourceGroups.includes(task.resourceGroup)) {
			return {failure: `Invalid resource group: ${task.resourceGroup || '(empty)'} is not a Data Integration resource group of this workspace`};
		}

		if (this.state.files.some(file => file.fileName === task.taskName)) {
			return {failure: `The file name ${task.taskName} already exists in this workspace`};
		}

		checkJob(task.content, 'TaskContent');
		const time = Date.now();
		const file: FileRecord = {
			fileId: this.store.newId() + 500_000_000, fileName: task.taskName, folderPath: task.folderPath, taskType: task.taskType, content: task.content,
			resourceGroup: task.resourceGroup, fileType: diOfflineFileType, commitStatus: 0, currentVersion: 1, createTime: time, lastEditTime: time,
			...(task.clientToken ? {clientToken: task.clientToken} : {}),
			// A node of a manually triggered workflow is a manual one: the scheduler never runs it.
			...(this.businessOf(task.folderPath)?.useType === 'MANUAL_BIZ' ? {schedule: {...defaultSchedule, schedulerType: 'MANUAL' as const}} : {}),
		};
		this.state.files.push(file);
		await this.save();
		return file;
	}

	/** A new working copy: its schedule, and its content if given; production keeps the released ones until the next release. */
	async updateFile(file: FileRecord, schedule: FileSchedule, content: string | undefined): Promise<void> {
		if ((schedule.schedulerType === 'MANUAL') !== this.isManual(file)) {
			throw invalid('SchedulerType', this.isManual(file) ? 'a node of a manually triggered workflow is MANUAL' : 'MANUAL is the type of the nodes of manually triggered workflows');
		}

		if (content !== undefined) {
			checkJob(content, 'Content');
			file.content = content;
		}

		Object.assign(file, {schedule, currentVersion: file.currentVersion + 1, commitStatus: 0, lastEditTime: Date.now()});
		await this.save();
	}

	// --- deployments ---------------------------------------------------------------------------------------------

	/** SubmitFile's deployment: to development, or (basic mode) straight to production. */
	async submit(file: FileRecord): Promise<DeploymentRecord> {
		return this.addDeployment(file, 'submit', 0, this.workspace.mode === 'basic' ? 2 : 1);
	}

	/** DeployFile's deployment to production, in standard mode, of a submitted file. */
	async deploy(file: FileRecord): Promise<DeploymentRecord> {
		if (this.workspace.mode === 'basic') {
			throw new StandInError(400, 'Invalid.Project.NotStandardMode', `The workspace ${this.workspace.name} is in basic mode: SubmitFile already releases to production, and DeployFile is not available.`);
		}

		if (file.commitStatus !== 1) {
			throw new StandInError(400, 'Invalid.File.NotCommitted', `The file ${file.fileId} has not been submitted; call SubmitFile and wait for its deployment first.`);
		}

		return this.addDeployment(file, 'deploy', 1, 2);
	}

	private async addDeployment(file: FileRecord, kind: DeploymentRecord['kind'], fromEnvironment: number, toEnvironment: number): Promise<DeploymentRecord> {
		const deployment: DeploymentRecord = {
			id: this.store.newId() + 300_000_000, fileId: file.fileId, name: `${kind} ${file.fileName}`, kind, status: 0, fromEnvironment, toEnvironment, createTime: Date.now(),
		};
		this.state.deployments.push(deployment);
		await this.save();
		return deployment;
	}

	// --- instances -----------------------------------------------------------------------------------------------

	/** RunCycleDagNodes: one DAG per business date from `start` to `end`, with an instance of each node (the root first). */
	async backfill(request: {name: string; rootNodeId: number; include: number[]; start: number; end: number; nodeParams: Record<string, string>}): Promise<{dagIds: number[]; instances: InstanceRecord[]}> {
		const include = request.include.includes(request.rootNodeId) ? request.include : [request.rootNodeId, ...request.include];
		const files = include.map(nodeId => {
			const file = this.state.files.find(item => item.nodeId === nodeId);
			if (!file || file.prodVersion === undefined) {
				const hint = this.workspace.mode === 'standard' ? 'submit the file and deploy it with DeployFile first' : 'submit the file first';
				throw new StandInError(400, 'Invalid.Node.NotInProduction', `The node ${nodeId} does not exist in the production environment; ${hint}.`);
			}

			if (this.isManual(file)) {
				throw invalid('IncludeNodeIds', `the node ${nodeId} belongs to a manually triggered workflow, which has no cycle instances to backfill; run it with RunManualDagNodes`);
			}

			return file;
		});
		const dagIds: number[] = [];
		const instances: InstanceRecord[] = [];
		for (let bizdate = request.start; bizdate <= request.end; bizdate += day) {
			const dagId = this.store.newId() + 800_000_000;
			dagIds.push(dagId);
			for (const file of files) {
				const time = Date.now();
				instances.push({
					instanceId: this.store.newId() + 900_000_000, dagId, dagName: request.name, nodeId: file.nodeId!, nodeName: file.fileName, fileId: file.fileId,
					status: 'NOT_RUN', bizdate, cycTime: bizdate + day, paramValues: request.nodeParams[String(file.nodeId)] ?? '', createTime: time, modifyTime: time,
				});
			}
		}

		this.state.instances.push(...instances);
		await this.save();
		return {dagIds, instances};
	}

	/**
	 * A run of a manually triggered workflow: one DAG (DagType MANUAL) with an instance of each deployed node it runs
	 * (all, or those in `include`), for a business date at least a day back; nodes in `exclude` get dry-run instances.
	 * Gives the DAG and the instances to run.
	 */
	async runManualDag(request: {flowName: string; bizdate: number; include: number[]; exclude: number[]; nodeParameters: Record<string, string>}): Promise<{dagId: number; instances: InstanceRecord[]}> {
		const {flowName, include, exclude} = request;
		if (request.bizdate > cstDayStart(this.now()) - day) {
			throw invalid('BizDate', 'the business date must be one or more days before the current date');
		}

		const business = this.state.businesses.find(item => item.name === flowName);
		if (!business) {
			throw new StandInError(400, 'Invalid.ManualDag.NotExist', `The workspace has no manually triggered workflow named ${flowName}.`);
		}

		if (business.useType === 'NORMAL') {
			throw invalid('FlowName', `the workflow ${flowName} is auto-triggered (UseType NORMAL): the scheduler runs its nodes, and RunManualDagNodes runs manually triggered workflows (MANUAL_BIZ) only`);
		}

		const nodes = this.state.files.filter(file => this.businessOf(file.folderPath) === business && file.prodVersion !== undefined && file.nodeId !== undefined);

		if (nodes.length === 0) {
			const hint = this.workspace.mode === 'standard' ? 'submit its files and deploy them with DeployFile first' : 'submit its files first';
			throw new StandInError(400, 'Invalid.ManualDag.NotExist', `The manually triggered workflow ${flowName} has no node in the production environment; ${hint}.`);
		}

		for (const nodeId of include) {
			if (!nodes.some(file => file.nodeId === nodeId)) {
				throw invalid('IncludeNodeIds', `the node ${nodeId} is not a deployed node of the workflow ${flowName}`);
			}
		}

		const dagId = this.store.newId() + 800_000_000;
		const instances: InstanceRecord[] = [];
		for (const file of nodes.filter(item => include.length === 0 || include.includes(item.nodeId!))) {
			const created = this.now();
			const dryRun = exclude.includes(file.nodeId!);
			const instance: InstanceRecord = {
				instanceId: this.store.newId() + 900_000_000, dagId, dagName: flowName, dagType: 'MANUAL', taskType: dryRun ? 'SKIP' : 'MANUAL', nodeId: file.nodeId!, nodeName: file.fileName,
				fileId: file.fileId, status: dryRun ? 'SUCCESS' : 'NOT_RUN', bizdate: request.bizdate, cycTime: created, paramValues: request.nodeParameters[String(file.nodeId)] ?? '',
				createTime: created, modifyTime: created, ...(dryRun ? {finishTime: created} : {}),
			};
			this.state.instances.push(instance);
			if (!dryRun) {
				instances.push(instance);
			}
		}

		await this.save();
		return {dagId, instances};
	}

	/** Makes a finished instance run again, as its node's rerun property allows: the same instance id, its log kept. */
	async restart(instance: InstanceRecord): Promise<void> {
		const id = instance.instanceId;
		const mode = this.state.files.find(item => item.fileId === instance.fileId)?.prodSchedule?.rerunMode ?? 'ALL_ALLOWED';
		if (instance.status !== 'FAILURE' && instance.status !== 'SUCCESS') {
			throw new StandInError(400, 'Invalid.Instance.Status', `The instance ${id} is ${instance.status}; only a finished instance can be rerun.`);
		}

		if (mode === 'ALL_DENIED' || (mode === 'FAILURE_ALLOWED' && instance.status === 'SUCCESS')) {
			throw new StandInError(400, 'Invalid.Instance.RerunDenied', `The node's rerun property is ${mode}: instance ${id} (${instance.status}) cannot be rerun.`);
		}

		// A rerun runs the node for real, a dry-run instance's too; a manual node's instance stays MANUAL.
		Object.assign(instance, {status: 'NOT_RUN', modifyTime: this.now(), rerunCount: (instance.rerunCount ?? 0) + 1, taskType: instance.taskType === 'MANUAL' ? 'MANUAL' : 'NORMAL'});
		delete instance.finishTime;
		delete instance.errorMessage;
		await this.store.appendLog(id, `\n--- rerun ${instance.rerunCount} ---\n`);
		await this.save();
	}

	instances(query: InstanceQuery): InstanceRecord[] {
		const matching = this.state.instances.filter(instance => (query.dagId === undefined || instance.dagId === query.dagId)
			&& (query.nodeId === undefined || instance.nodeId === query.nodeId)
			&& (query.bizdate === undefined || instance.bizdate === query.bizdate)
			&& (!query.nodeName || instance.nodeName === query.nodeName));
		const byId = (left: InstanceRecord, right: InstanceRecord) => right.instanceId - left.instanceId;
		return matching.sort(query.orderBy === 'CREATE_TIME_DESC' ? (left, right) => (right.createTime - left.createTime) || byId(left, right) : byId);
	}
}
