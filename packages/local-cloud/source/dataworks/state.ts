/**
 * The local DataWorks' records: one JSON document under the data dir, written atomically after every change, and
 * one DI log file per instance. Ids are numbers, like the service's longs.
 */
import {appendFile, mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';

export type DataSourceRecord = {
	id: number;
	name: string;
	type: string;
	subType: string;
	/** 0 development, 1 production. */
	envType: number;
	content: Record<string, unknown>;
	description: string;
	createTime: number;
	modifyTime: number;
};

/** A node's scheduling properties (UpdateFile/CreateFile), as GetFile's NodeConfiguration shows them. */
export type FileSchedule = {
	cronExpress: string;
	cycleType: 'DAY' | 'NOT_DAY';
	paraValue: string;
	autoRerunTimes: number;
	autoRerunIntervalMillis: number;
	rerunMode: 'ALL_ALLOWED' | 'FAILURE_ALLOWED' | 'ALL_DENIED';
	schedulerType: 'NORMAL' | 'MANUAL' | 'PAUSE' | 'SKIP';
	stop: boolean;
	inputList: string;
	outputList: string;
	startEffectDate: number;
	endEffectDate: number;
	dependentType: string;
	/** "Immediately after deployment" instance generation; otherwise the next day's (T+1). */
	applyScheduleImmediately: boolean;
};

export type FileRecord = {
	fileId: number;
	fileName: string;
	folderPath: string;
	taskType: string;
	content: string;
	resourceGroup: string;
	clientToken?: string;
	/** DataWorks' file type code for a batch synchronization node. */
	fileType: number;
	commitStatus: 0 | 1;
	nodeId?: number;
	currentVersion: number;
	/** The version deployed to production (standard mode) or submitted (basic mode, where submit is the release). */
	prodVersion?: number;
	/** Scheduling properties of the working copy; absent: the defaults. */
	schedule?: FileSchedule;
	/** What production runs: the content and schedule at the last release, and when it was released. */
	prodContent?: string;
	prodSchedule?: FileSchedule;
	releasedAt?: number;
	/** CST day starts (epoch ms) whose cycle instances were generated. */
	generatedDays?: number[];
	createTime: number;
	lastEditTime: number;
};

export type DeploymentRecord = {
	id: number;
	fileId: number;
	name: string;
	kind: 'submit' | 'deploy';
	/** 0 ready, 1 success, 2 failed. */
	status: 0 | 1 | 2;
	fromEnvironment: number;
	toEnvironment: number;
	createTime: number;
	executeTime?: number;
	errorMessage?: string;
};

/** A workflow (business process): auto-triggered (NORMAL) or manually triggered (MANUAL_BIZ). */
export type BusinessRecord = {
	businessId: number;
	name: string;
	useType: 'NORMAL' | 'MANUAL_BIZ';
	description: string;
	createTime: number;
};

export type InstanceStatus = 'NOT_RUN' | 'WAIT_TIME' | 'WAIT_RESOURCE' | 'RUNNING' | 'SUCCESS' | 'FAILURE';

export type InstanceRecord = {
	instanceId: number;
	/** SUPPLY_DATA for a backfill, DAILY for the scheduler's cycle instances, MANUAL for a manually triggered workflow's run (absent: SUPPLY_DATA). */
	dagType?: 'SUPPLY_DATA' | 'DAILY' | 'MANUAL';
	/** The node's scheduling type: NORMAL, MANUAL (a manually triggered workflow's node), or SKIP for a dry run. */
	taskType?: 'NORMAL' | 'MANUAL' | 'SKIP';
	/** Runs after the first: restarts and automatic reruns. */
	rerunCount?: number;
	dagId: number;
	dagName: string;
	nodeId: number;
	nodeName: string;
	fileId: number;
	status: InstanceStatus;
	bizdate: number;
	cycTime: number;
	paramValues: string;
	createTime: number;
	modifyTime: number;
	beginWaitResTime?: number;
	beginRunningTime?: number;
	finishTime?: number;
	errorMessage?: string;
};

export type DataWorksState = {
	nextId: number;
	businesses: BusinessRecord[];
	dataSources: DataSourceRecord[];
	files: FileRecord[];
	deployments: DeploymentRecord[];
	instances: InstanceRecord[];
};

export type StateStore = {
	readonly state: DataWorksState;
	newId(): number;
	save(): Promise<void>;
	appendLog(instanceId: number, text: string): Promise<void>;
	readLog(instanceId: number): Promise<string>;
};

export async function openStateStore(dataDir: string): Promise<StateStore> {
	const file = path.join(dataDir, 'state.json');
	const logDir = path.join(dataDir, 'logs');
	await mkdir(logDir, {recursive: true});
	let state: DataWorksState;
	try {
		// State written before workflows were kept has no businesses.
		const stored = JSON.parse(await readFile(file, 'utf8')) as Omit<DataWorksState, 'businesses'> & {businesses?: BusinessRecord[]};
		state = {...stored, businesses: stored.businesses ?? []};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}

		state = {nextId: 1000, businesses: [], dataSources: [], files: [], deployments: [], instances: []};
	}

	let writes = Promise.resolve();
	const logFile = (instanceId: number) => path.join(logDir, `${instanceId}.log`);
	return {
		state,
		newId: () => state.nextId++,
		async save() {
			const text = JSON.stringify(state);
			writes = writes.then(async () => {
				const temporary = `${file}.${process.pid}.tmp`;
				await writeFile(temporary, text, {mode: 0o600});
				await rename(temporary, file);
			});
			await writes;
		},
		async appendLog(instanceId, text) {
			await appendFile(logFile(instanceId), text, {mode: 0o600});
		},
		async readLog(instanceId) {
			try {
				return await readFile(logFile(instanceId), 'utf8');
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
					return '';
				}

				throw error;
			}
		},
	};
}
