/**
 * ferry's DataWorks client (dataworks-public 2020-05-18, RPC style): the requests @alicloud/openapi-client's `callApi`
 * builds for the generated SDKs (ACS3-HMAC-SHA256, `alibaba/acs3-rpc-signature.ts`; form bodies, JSON
 * answers), sent through ferry's HTTP pipeline (the SDK's own sender takes no agent and ignores proxy settings). Which parameters go in the query and
 * which in the form body follows the vendor's Java SDK request classes (aliyun-openapi-java-sdk
 * aliyun-java-sdk-dataworks-public …/v20200518/*Request.java). A batch job goes CreateDISyncTask → SubmitFile →
 * (DeployFile in standard mode) → GetDeployment → RunCycleDagNodes → ListInstances/GetInstance → GetInstanceLog.
 */
import {ConfigurationError, ServiceError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import {formOf, signRpcRequest} from '../alibaba/acs3-rpc-signature.js';
import type {AlibabaCredentialsProvider} from '../credentials/alibaba.js';
import {createHttpPipeline, type HttpCall, type HttpResponse, type RetrySettings} from '../http-pipeline.js';
import {dataWorksAnswerError, dataWorksError, dataWorksNetworkError, serviceName} from './errors.js';

const apiVersion = '2020-05-18';

export type DataWorksClientOptions = {
	/** `dataworks.ap-southeast-1.aliyuncs.com`, `https://…`, or the local cloud's `http://127.0.0.1:PORT`. */
	endpoint: string;
	regionId: string;
	credentials: AlibabaCredentialsProvider;
	logger?: Logger;
	/** Per request. @default 30000 */
	timeoutMs?: number;
	retry?: Pick<RetrySettings, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
};

export type CallOptions = {signal?: AbortSignal};

export type Workspace = {
	projectId: number;
	name: string;
	identifier: string;
	/** GetProject `ProjectMode`: 2 basic, 3 standard (CreateProject doc). */
	mode: 'basic' | 'standard' | 'unknown';
	status: number | undefined;
	envTypes: string[];
	defaultDiResourceGroup: string | undefined;
	ownerId: string | undefined;
};

export type DataSource = {id: number; name: string; type: string; subType: string; envType: number; status: string; content: Record<string, unknown>};

export type DataSourceDefinition = {
	projectId: number;
	name: string;
	/** e.g. `odps`, `loghub`. */
	dataSourceType: string;
	/** The connection JSON, e.g. `{endpoint, project, accessId, accessKey}`; secrets in it are registered for redaction. */
	content: Record<string, unknown>;
	/** 0 development, 1 production. */
	envType: 0 | 1;
	subType?: string;
	description?: string;
};

export type TaskParam = {FileFolderPath: string; ResourceGroup: string; Cu?: number};

export type FileInfo = {
	fileId: number;
	fileName: string;
	folderId: string | undefined;
	fileType: number | undefined;
	/** Present once the file was submitted. */
	nodeId: number | undefined;
	commitStatus: number | undefined;
	currentVersion: number | undefined;
	content: string | undefined;
	/** The module: NORMAL for an auto-triggered workflow's file, MANUAL_BIZ for a manually triggered workflow's. */
	useType: string | undefined;
	/** The workflow the file is in. */
	businessId: number | undefined;
};

/** GetFile: the file and its node's scheduling properties (`NodeConfiguration`). */
export type FileDetails = FileInfo & {scheduling: FileScheduling};

/** A workflow (business process): auto-triggered (NORMAL) or manually triggered (MANUAL_BIZ). */
export type Business = {businessId: number; name: string; useType: 'NORMAL' | 'MANUAL_BIZ' | string; description: string};

/** RunManualDagNodes: a manually triggered workflow's deployed nodes run for one business date. */
export type RunManualDagNodesRequest = {
	projectEnv: ProjectEnv;
	/** The workspace's identifier (its English name). */
	projectName: string;
	projectId?: number;
	flowName: string;
	/** `yyyy-MM-dd 00:00:00`, at least a day before today. */
	bizDate: string;
	/** Only these nodes; absent: every node of the workflow. */
	includeNodeIds?: number[];
	/** By node id, e.g. `{"123": "bizdate=20240101"}`. */
	nodeParameters?: Record<string, string>;
};

export type DeploymentStatus = 'ready' | 'success' | 'failed' | 'unknown';
export type Deployment = {status: DeploymentStatus; statusCode: number | undefined; name: string | undefined; errorMessage: string | undefined; fromEnvironment: number | undefined; toEnvironment: number | undefined};

export type InstanceStatus = 'NOT_RUN' | 'WAIT_TIME' | 'WAIT_RESOURCE' | 'RUNNING' | 'CHECKING' | 'CHECKING_CONDITION' | 'FAILURE' | 'SUCCESS' | string;
export type Instance = {
	instanceId: number;
	nodeId: number;
	nodeName: string;
	dagId: number;
	status: InstanceStatus;
	/** DAILY (the scheduler's cycle instances), SUPPLY_DATA (backfills), MANUAL, SMOKE_TEST. */
	dagType: string | undefined;
	/** NORMAL, or SKIP and the like for dry runs (ListInstances `TaskType`). */
	taskType: string | undefined;
	bizdate: number | undefined;
	cycTime: number | undefined;
	createTime: number | undefined;
	beginRunningTime: number | undefined;
	finishTime: number | undefined;
	errorMessage: string | undefined;
};

export type ProjectEnv = 'PROD' | 'DEV';

export type RunCycleDagNodesRequest = {
	projectEnv: ProjectEnv;
	name: string;
	rootNodeId: number;
	includeNodeIds: number[];
	/** `yyyy-MM-dd 00:00:00` */
	startBizDate: string;
	endBizDate: string;
	parallelism: boolean;
	/** By node id, e.g. `{"123": "bizdate=20240101"}`. */
	nodeParams?: Record<string, string>;
	excludeNodeIds?: number[];
	bizBeginTime?: string;
	bizEndTime?: string;
	concurrentRuns?: number;
	startFutureInstanceImmediately?: boolean;
	alertType?: string;
};

/**
 * A node's scheduling properties (UpdateFile, 2020-05-18; names from the SDK's UpdateFileRequest): the cron and cycle
 * type, the scheduling parameters (`ParaValue`, `a=$bizdate b=$[hh24]`), reruns, and instance generation.
 */
export type FileScheduling = {
	cronExpress?: string;
	cycleType?: 'DAY' | 'NOT_DAY';
	paraValue?: string;
	autoRerunTimes?: number;
	autoRerunIntervalMillis?: number;
	rerunMode?: 'ALL_ALLOWED' | 'FAILURE_ALLOWED' | 'ALL_DENIED';
	schedulerType?: 'NORMAL' | 'MANUAL' | 'PAUSE' | 'SKIP';
	stop?: boolean;
	/** Output names of the parents, e.g. `<workspace identifier>_root`; a batch sync node needs one (SDK note). */
	inputList?: string;
	outputList?: string;
	startEffectDate?: number;
	endEffectDate?: number;
	dependentType?: string;
	applyScheduleImmediately?: boolean;
	resourceGroupIdentifier?: string;
};

export type Page<T> = {total: number; pageNumber: number; pageSize: number; items: T[]};

type Json = Record<string, unknown>;

function parseEndpoint(endpoint: string): {protocol: 'http' | 'https'; host: string} {
	try {
		const url = new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
		return {protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host};
	} catch {
		throw new ConfigurationError(`The DataWorks endpoint "${endpoint}" is not a host name or URL.`, {hint: 'Use e.g. dataworks.ap-southeast-1.aliyuncs.com.'});
	}
}

function asObject(value: unknown): Json {
	return value && typeof value === 'object' && !Array.isArray(value) ? value as Json : {};
}

function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number') {
		return value;
	}

	return typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : undefined;
}

function asText(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value;
	}

	return typeof value === 'number' ? String(value) : undefined;
}

function readPage<T>(data: Json, listKey: string, read: (item: Json) => T): Page<T> {
	const list = Array.isArray(data[listKey]) ? data[listKey] as unknown[] : [];
	return {total: asNumber(data.TotalCount) ?? list.length, pageNumber: asNumber(data.PageNumber) ?? 1, pageSize: asNumber(data.PageSize) ?? list.length, items: list.map(item => read(asObject(item)))};
}

function readFile(file: Json): FileInfo {
	return {
		fileId: asNumber(file.FileId) ?? 0,
		fileName: asText(file.FileName) ?? '',
		folderId: asText(file.FileFolderId),
		fileType: asNumber(file.FileType),
		nodeId: asNumber(file.NodeId) || undefined,
		commitStatus: asNumber(file.CommitStatus),
		currentVersion: asNumber(file.CurrentVersion),
		content: asText(file.Content),
		useType: asText(file.UseType),
		businessId: asNumber(file.BusinessId) ?? asNumber(file.BizId),
	};
}

function readScheduling(node: Json): FileScheduling {
	const flag = (value: unknown) => (typeof value === 'boolean' ? value : (value === 'true' ? true : (value === 'false' ? false : undefined)));
	return {
		cronExpress: asText(node.CronExpress), cycleType: asText(node.CycleType) as FileScheduling['cycleType'], paraValue: asText(node.ParaValue),
		autoRerunTimes: asNumber(node.AutoRerunTimes), autoRerunIntervalMillis: asNumber(node.AutoRerunIntervalMillis), rerunMode: asText(node.RerunMode) as FileScheduling['rerunMode'],
		schedulerType: asText(node.SchedulerType) as FileScheduling['schedulerType'], stop: flag(node.Stop), startEffectDate: asNumber(node.StartEffectDate),
		endEffectDate: asNumber(node.EndEffectDate), dependentType: asText(node.DependentType), applyScheduleImmediately: flag(node.ApplyScheduleImmediately),
	};
}

function readBusiness(item: Json): Business {
	return {businessId: asNumber(item.BusinessId) ?? 0, name: asText(item.BusinessName) ?? '', useType: asText(item.UseType) ?? 'NORMAL', description: asText(item.Description) ?? ''};
}

function readInstance(item: Json): Instance {
	return {
		instanceId: asNumber(item.InstanceId) ?? 0,
		nodeId: asNumber(item.NodeId) ?? 0,
		nodeName: asText(item.NodeName) ?? '',
		dagId: asNumber(item.DagId) ?? 0,
		status: asText(item.Status) ?? 'UNKNOWN',
		dagType: asText(item.DagType),
		taskType: asText(item.TaskType)?.replace(/\(\d+\)$/, ''),
		// ListInstances spells it Bizdate, ListManualDagInstances BizDate.
		bizdate: asNumber(item.Bizdate) ?? asNumber(item.BizDate),
		cycTime: asNumber(item.CycTime),
		createTime: asNumber(item.CreateTime),
		beginRunningTime: asNumber(item.BeginRunningTime),
		finishTime: asNumber(item.FinishTime),
		errorMessage: asText(item.ErrorMessage) || undefined,
	};
}

function readDataSource(item: Json): DataSource {
	let content: Record<string, unknown> = {};
	try {
		content = asObject(typeof item.Content === 'string' ? JSON.parse(item.Content) : item.Content);
	} catch {
		// Content is informative; a malformed one reads as empty.
	}

	return {
		id: asNumber(item.Id) ?? 0,
		name: asText(item.Name) ?? '',
		type: asText(item.DataSourceType) ?? '',
		subType: asText(item.SubType) ?? '',
		envType: asNumber(item.EnvType) ?? 0,
		status: asText(item.Status) ?? '',
		content,
	};
}

const deploymentStatuses: Record<number, DeploymentStatus> = {0: 'ready', 1: 'success', 2: 'failed'};

function secretsIn(content: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(content)) {
		if (typeof value === 'string' && /key|secret|password|token/i.test(key) && !/^(accessId|accessKeyId)$/i.test(key)) {
			registerSecret(value);
		}
	}
}

export type DataWorksClient = ReturnType<typeof createDataWorksClient>;

const userAgent = 'ferry/0.1 (DataWorks RPC)';

export function createDataWorksClient(options: DataWorksClientOptions) {
	const endpoint = parseEndpoint(options.endpoint);
	const timeoutMs = options.timeoutMs ?? 30_000;

	/** `once`: a single attempt, for a start that must not happen twice. */
	type Call = {action: string; method?: 'GET' | 'POST'; once?: boolean; query?: Record<string, string | number | boolean | undefined>; body?: Record<string, string | number | boolean | undefined>};
	type SignedCall = HttpCall & {query: Record<string, string>; form: Record<string, string>};

	const strings = (values: Call['query']) => Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
	const json = (response: HttpResponse): Json => {
		try {
			return asObject(JSON.parse(response.text));
		} catch {
			return {};
		}
	};

	const pipeline = createHttpPipeline<SignedCall>({
		service: serviceName,
		...(options.logger ? {logger: options.logger} : {}),
		timeoutMs,
		...(options.retry ? {retry: options.retry} : {}),
		interruptedMessage: 'DataWorks call interrupted',
		async sign(request, call) {
			const signed = await signRpcRequest({method: call.method, host: endpoint.host, action: call.operation, version: apiVersion, query: call.query, form: call.form, userAgent}, options.credentials);
			return {...request, ...signed};
		},
		requestId: response => asText(json(response).RequestId),
		classify(response, call) {
			if (response.status >= 400) {
				return dataWorksAnswerError(call.operation, response.status, response.text);
			}

			const answer = json(response);
			if (answer.Success !== false) {
				return undefined;
			}

			const requestId = asText(answer.RequestId);
			return dataWorksError(call.operation, {code: asText(answer.ErrorCode) ?? asText(answer.Code) ?? 'Failed', message: asText(answer.ErrorMessage) ?? asText(answer.Message) ?? 'the call did not succeed', status: asNumber(answer.HttpStatusCode) ?? 200, ...(requestId ? {requestId} : {})});
		},
		unanswered: (failure, call) => dataWorksNetworkError(call.operation, failure),
	});

	async function call(request: Call, callOptions: CallOptions = {}): Promise<Json> {
		const query = strings(request.query);
		const search = formOf(query);
		const response = await pipeline.send({
			operation: request.action,
			method: request.method ?? 'POST',
			url: new URL(`${endpoint.protocol}://${endpoint.host}/${search ? `?${search}` : ''}`),
			query,
			form: strings(request.body),
			...(request.once ? {attempts: 1} : {}),
			...(callOptions.signal ? {signal: callOptions.signal} : {}),
		});
		return json(response);
	}

	const data = async (request: Call, callOptions?: CallOptions) => (await call(request, callOptions)).Data;

	const client = {
		endpoint: `${endpoint.protocol}://${endpoint.host}`,

		/** The workspace: a cheap "whoami" that also tells basic from standard mode. */
		async getProject(projectId: number, callOptions?: CallOptions): Promise<Workspace> {
			const project = asObject(await data({action: 'GetProject', query: {ProjectId: projectId}}, callOptions));
			const mode = asNumber(project.ProjectMode);
			return {
				projectId: asNumber(project.ProjectId) ?? projectId,
				name: asText(project.ProjectName) ?? '',
				identifier: asText(project.ProjectIdentifier) ?? '',
				mode: mode === 3 ? 'standard' : (mode === 2 ? 'basic' : 'unknown'),
				status: asNumber(project.Status),
				envTypes: Array.isArray(project.EnvTypes) ? project.EnvTypes.map(String) : [],
				defaultDiResourceGroup: asText(project.DefaultDiResourceGroupIdentifier) || undefined,
				ownerId: asText(project.ProjectOwnerBaseId),
			};
		},

		async listDataSources(request: {projectId: number; name?: string; dataSourceType?: string; envType?: 0 | 1; pageNumber?: number; pageSize?: number}, callOptions?: CallOptions): Promise<Page<DataSource>> {
			const answer = asObject(await data({action: 'ListDataSources', method: 'GET', query: {
				ProjectId: request.projectId, Name: request.name, DataSourceType: request.dataSourceType, EnvType: request.envType, PageNumber: request.pageNumber, PageSize: request.pageSize ?? 100,
			}}, callOptions));
			return readPage(answer, 'DataSources', readDataSource);
		},

		/** Idempotent: a data source with the same name, type and environment already there counts as done. */
		async createDataSource(definition: DataSourceDefinition, callOptions?: CallOptions): Promise<{created: boolean; id: number | undefined}> {
			secretsIn(definition.content);
			const find = async () => (await client.listDataSources({projectId: definition.projectId, name: definition.name, envType: definition.envType}, callOptions)).items
				.find(source => source.name === definition.name && source.envType === definition.envType);
			const existing = await find();
			if (existing) {
				if (existing.type !== definition.dataSourceType) {
					throw new ServiceError(serviceName, `a data source named "${definition.name}" already exists with type ${existing.type}, not ${definition.dataSourceType}`, {code: 'DataSourceTypeMismatch', hint: 'Choose another data source name, or remove the old one in the DataWorks console.'});
				}

				return {created: false, id: existing.id};
			}

			try {
				const id = await data({action: 'CreateDataSource', query: {
					ProjectId: definition.projectId, Name: definition.name, DataSourceType: definition.dataSourceType, Content: JSON.stringify(definition.content),
					EnvType: definition.envType, SubType: definition.subType, Description: definition.description,
				}}, callOptions);
				return {created: true, id: asNumber(id)};
			} catch (error) {
				// Someone created it between the list and the create.
				const raced = error instanceof ServiceError && /exist|duplicate/i.test(`${error.code ?? ''} ${error.message}`) ? await find() : undefined;
				if (raced) {
					return {created: false, id: raced.id};
				}

				throw error;
			}
		},

		/** Replaces an existing data source's connection (e.g. rotated keys); secrets in it are registered for redaction. */
		async updateDataSource(request: {dataSourceId: number; content: Record<string, unknown>; description?: string}, callOptions?: CallOptions): Promise<void> {
			secretsIn(request.content);
			await data({action: 'UpdateDataSource', query: {DataSourceId: request.dataSourceId, Content: JSON.stringify(request.content), Description: request.description}}, callOptions);
		},

		/** A DI_OFFLINE task in an existing workflow folder; the same clientToken gives back the same file. */
		async createDISyncTask(request: {projectId: number; taskName: string; taskContent: string | Record<string, unknown>; taskParam: TaskParam; clientToken: string}, callOptions?: CallOptions): Promise<{fileId: number}> {
			const taskContent = typeof request.taskContent === 'string' ? request.taskContent : JSON.stringify(request.taskContent);
			const answer = asObject(await data({
				action: 'CreateDISyncTask',
				query: {ProjectId: request.projectId, TaskType: 'DI_OFFLINE', TaskName: request.taskName, TaskParam: JSON.stringify(request.taskParam), ClientToken: request.clientToken},
				body: {TaskContent: taskContent},
			}, callOptions));
			const fileId = asNumber(answer.FileId);
			if (asText(answer.Status) !== 'success' || fileId === undefined) {
				throw dataWorksError('CreateDISyncTask', {code: 'CreateDISyncTaskFailed', message: asText(answer.Message) ?? 'the task was not created'});
			}

			return {fileId};
		},

		async getFile(request: {projectId: number; fileId: number}, callOptions?: CallOptions): Promise<FileDetails> {
			const answer = asObject(await data({action: 'GetFile', body: {ProjectId: request.projectId, FileId: request.fileId}}, callOptions));
			return {...readFile(asObject(answer.File)), scheduling: readScheduling(asObject(answer.NodeConfiguration))};
		},

		async listFiles(request: {projectId: number; fileFolderPath?: string; keyword?: string; fileTypes?: number[]; pageNumber?: number; pageSize?: number}, callOptions?: CallOptions): Promise<Page<FileInfo>> {
			const answer = asObject(await data({action: 'ListFiles', body: {
				ProjectId: request.projectId, FileFolderPath: request.fileFolderPath, Keyword: request.keyword, FileTypes: request.fileTypes?.join(','),
				PageNumber: request.pageNumber, PageSize: request.pageSize ?? 100,
			}}, callOptions));
			return readPage(answer, 'Files', readFile);
		},

		/** The file with exactly this name in the folder, e.g. to re-attach to a task created before a crash. */
		async findFile(request: {projectId: number; fileFolderPath: string; fileName: string}, callOptions?: CallOptions): Promise<FileInfo | undefined> {
			for (let pageNumber = 1; ; pageNumber++) {
				const page = await client.listFiles({projectId: request.projectId, fileFolderPath: request.fileFolderPath, keyword: request.fileName, pageNumber}, callOptions);
				const found = page.items.find(file => file.fileName === request.fileName);
				if (found || page.items.length === 0 || pageNumber * page.pageSize >= page.total) {
					return found;
				}
			}
		},

		async listFolders(request: {projectId: number; parentFolderPath: string; pageNumber?: number; pageSize?: number}, callOptions?: CallOptions): Promise<Page<{folderId: string; folderPath: string}>> {
			const answer = asObject(await data({action: 'ListFolders', body: {ProjectId: request.projectId, ParentFolderPath: request.parentFolderPath, PageNumber: request.pageNumber, PageSize: request.pageSize ?? 100}}, callOptions));
			return readPage(answer, 'Folders', item => ({folderId: asText(item.FolderId) ?? '', folderPath: asText(item.FolderPath) ?? ''}));
		},

		async listBusiness(request: {projectId: number; keyword?: string; pageNumber?: number; pageSize?: number}, callOptions?: CallOptions): Promise<Page<Business>> {
			const answer = asObject(await data({action: 'ListBusiness', body: {ProjectId: request.projectId, Keyword: request.keyword, PageNumber: request.pageNumber, PageSize: request.pageSize ?? 100}}, callOptions));
			return readPage(answer, 'Business', readBusiness);
		},

		/** The workflow of exactly this name (ListBusiness matches names by keyword). */
		async findBusiness(request: {projectId: number; name: string}, callOptions?: CallOptions): Promise<Business | undefined> {
			for (let pageNumber = 1; ; pageNumber++) {
				const found = await client.listBusiness({projectId: request.projectId, keyword: request.name, pageNumber}, callOptions);
				const match = found.items.find(business => business.name === request.name);
				if (match || found.items.length === 0 || pageNumber * found.pageSize >= found.total) {
					return match;
				}
			}
		},

		async createBusiness(request: {projectId: number; name: string; useType: 'NORMAL' | 'MANUAL_BIZ'; description?: string}, callOptions?: CallOptions): Promise<{businessId: number}> {
			const answer = await call({action: 'CreateBusiness', body: {ProjectId: request.projectId, BusinessName: request.name, UseType: request.useType, Description: request.description}}, callOptions);
			const businessId = asNumber(answer.BusinessId);
			if (businessId === undefined) {
				throw dataWorksError('CreateBusiness', {code: 'NoBusinessId', message: 'the answer carried no workflow id'});
			}

			return {businessId};
		},

		async listResourceGroups(request: {resourceGroupType?: number; keyword?: string} = {}, callOptions?: CallOptions): Promise<Array<{identifier: string; name: string; status: number | undefined; type: number | undefined; isDefault: boolean}>> {
			const list = await data({action: 'ListResourceGroups', query: {ResourceGroupType: request.resourceGroupType, Keyword: request.keyword}}, callOptions);
			return (Array.isArray(list) ? list : []).map(item => asObject(item)).map(item => ({
				identifier: asText(item.Identifier) ?? '', name: asText(item.Name) ?? '', status: asNumber(item.Status), type: asNumber(item.ResourceGroupType), isDefault: item.IsDefault === true,
			}));
		},

		/** Sets the working copy's content and/or scheduling; production changes at the next SubmitFile (and DeployFile). */
		async updateFile(request: {projectId: number; fileId: number; content?: string} & FileScheduling, callOptions?: CallOptions): Promise<void> {
			await data({action: 'UpdateFile', body: {
				ProjectId: request.projectId, FileId: request.fileId, Content: request.content, CronExpress: request.cronExpress, CycleType: request.cycleType,
				ParaValue: request.paraValue, AutoRerunTimes: request.autoRerunTimes, AutoRerunIntervalMillis: request.autoRerunIntervalMillis,
				RerunMode: request.rerunMode, SchedulerType: request.schedulerType, Stop: request.stop, InputList: request.inputList, OutputList: request.outputList,
				StartEffectDate: request.startEffectDate, EndEffectDate: request.endEffectDate, DependentType: request.dependentType,
				ApplyScheduleImmediately: request.applyScheduleImmediately, ResourceGroupIdentifier: request.resourceGroupIdentifier,
			}}, callOptions);
		},

		async submitFile(request: {projectId: number; fileId: number; comment?: string}, callOptions?: CallOptions): Promise<{deploymentId: number}> {
			const id = asNumber(await data({action: 'SubmitFile', body: {ProjectId: request.projectId, FileId: request.fileId, Comment: request.comment}}, callOptions));
			if (id === undefined) {
				throw dataWorksError('SubmitFile', {code: 'NoDeploymentId', message: 'the answer carried no deployment id'});
			}

			return {deploymentId: id};
		},

		/** Standard-mode workspaces only: releases the submitted file to production. */
		async deployFile(request: {projectId: number; fileId: number; comment?: string}, callOptions?: CallOptions): Promise<{deploymentId: number}> {
			const id = asNumber(await data({action: 'DeployFile', body: {ProjectId: request.projectId, FileId: request.fileId, Comment: request.comment}}, callOptions));
			if (id === undefined) {
				throw dataWorksError('DeployFile', {code: 'NoDeploymentId', message: 'the answer carried no deployment id'});
			}

			return {deploymentId: id};
		},

		async getDeployment(request: {projectId: number; deploymentId: number}, callOptions?: CallOptions): Promise<Deployment> {
			const deployment = asObject(asObject(await data({action: 'GetDeployment', body: {ProjectId: request.projectId, DeploymentId: request.deploymentId}}, callOptions)).Deployment);
			const statusCode = asNumber(deployment.Status);
			return {
				status: statusCode === undefined ? 'unknown' : (deploymentStatuses[statusCode] ?? 'unknown'),
				statusCode,
				name: asText(deployment.Name),
				errorMessage: asText(deployment.ErrorMessage) || undefined,
				fromEnvironment: asNumber(deployment.FromEnvironment),
				toEnvironment: asNumber(deployment.ToEnvironment),
			};
		},

		/** A backfill of the node(s); answers the DAG ids, one per business date. */
		async runCycleDagNodes(request: RunCycleDagNodesRequest, callOptions?: CallOptions): Promise<{dagIds: number[]}> {
			const list = await data({action: 'RunCycleDagNodes', body: {
				ProjectEnv: request.projectEnv, Name: request.name, RootNodeId: request.rootNodeId, IncludeNodeIds: request.includeNodeIds.join(','),
				StartBizDate: request.startBizDate, EndBizDate: request.endBizDate, Parallelism: request.parallelism,
				NodeParams: request.nodeParams ? JSON.stringify(request.nodeParams) : undefined, ExcludeNodeIds: request.excludeNodeIds?.join(','),
				BizBeginTime: request.bizBeginTime, BizEndTime: request.bizEndTime, ConcurrentRuns: request.concurrentRuns,
				StartFutureInstanceImmediately: request.startFutureInstanceImmediately, AlertType: request.alertType,
			}}, callOptions);
			return {dagIds: (Array.isArray(list) ? list : []).map(item => asNumber(item)).filter((item): item is number => item !== undefined)};
		},

		/**
		 * Runs a manually triggered workflow's nodes; answers the DAG id. Not retried: a start whose answer was lost may
		 * have run, and running it twice writes the data twice, so the caller decides (see the wizard's manual run).
		 */
		async runManualDagNodes(request: RunManualDagNodesRequest, callOptions?: CallOptions): Promise<{dagId: number}> {
			const answer = await call({action: 'RunManualDagNodes', once: true, body: {
				ProjectEnv: request.projectEnv, ProjectName: request.projectName, ProjectId: request.projectId, FlowName: request.flowName, BizDate: request.bizDate,
				IncludeNodeIds: request.includeNodeIds?.join(','), NodeParameters: request.nodeParameters ? JSON.stringify(request.nodeParameters) : undefined,
			}}, callOptions);
			const dagId = asNumber(answer.DagId);
			if (dagId === undefined) {
				throw dataWorksError('RunManualDagNodes', {code: 'NoDagId', message: 'the answer carried no DAG id'});
			}

			return {dagId};
		},

		/** The instances of a manually triggered workflow's run (RunManualDagNodes' DAG). */
		async listManualDagInstances(request: {projectEnv: ProjectEnv; projectName: string; dagId: number}, callOptions?: CallOptions): Promise<Instance[]> {
			const answer = await call({action: 'ListManualDagInstances', body: {ProjectEnv: request.projectEnv, ProjectName: request.projectName, DagId: request.dagId}}, callOptions);
			return (Array.isArray(answer.Instances) ? answer.Instances : []).map(item => readInstance(asObject(item)));
		},

		/** `bizdate`: `yyyy-MM-dd 00:00:00`, only that business date's instances. */
		async listInstances(request: {projectId: number; projectEnv: ProjectEnv; dagId?: number; nodeId?: number; nodeName?: string; bizdate?: string; pageNumber?: number; pageSize?: number}, callOptions?: CallOptions): Promise<Page<Instance>> {
			const answer = asObject(await data({action: 'ListInstances', body: {
				ProjectId: request.projectId, ProjectEnv: request.projectEnv, DagId: request.dagId, NodeId: request.nodeId, NodeName: request.nodeName, Bizdate: request.bizdate,
				PageNumber: request.pageNumber, PageSize: request.pageSize ?? 100,
			}}, callOptions));
			return readPage(answer, 'Instances', readInstance);
		},

		async getInstance(request: {instanceId: number; projectEnv: ProjectEnv}, callOptions?: CallOptions): Promise<Instance> {
			return readInstance(asObject(await data({action: 'GetInstance', body: {InstanceId: request.instanceId, ProjectEnv: request.projectEnv}}, callOptions)));
		},

		/** Runs a finished instance again (same id), as the node's rerun property allows. */
		async restartInstance(request: {instanceId: number; projectEnv: ProjectEnv}, callOptions?: CallOptions): Promise<void> {
			await data({action: 'RestartInstance', body: {InstanceId: request.instanceId, ProjectEnv: request.projectEnv}}, callOptions);
		},

		/** The instance's run log; for a DI node it holds the read/written/dirty record counts. */
		async getInstanceLog(request: {instanceId: number; projectEnv: ProjectEnv}, callOptions?: CallOptions): Promise<string> {
			return asText(await data({action: 'GetInstanceLog', body: {InstanceId: request.instanceId, ProjectEnv: request.projectEnv}}, callOptions)) ?? '';
		},
	};

	return client;
}
