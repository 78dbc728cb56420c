/** GetFile, UpdateFile, ListFiles and ListFolders: DI files with their scheduling properties, and the folder tree. */
import {invalid} from '../errors.js';
import {defaultSchedule} from '../model.js';
import {page, required, type Params} from '../rpc.js';
import {parseCron} from '../scheduling.js';
import type {FileRecord, FileSchedule} from '../state.js';
import {checkProject, fileOf, type Action, type ActionContext} from './context.js';

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

/** UpdateFile's scheduling parameters over `base`: only those given change. */
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

export function fileActions(context: ActionContext): Record<string, Action> {
	const {model} = context;
	function fileJson(file: FileRecord) {
		const business = model.businessOf(file.folderPath);
		return {
			FileId: file.fileId, FileName: file.fileName, FileFolderId: String(model.folders.get(file.folderPath) ?? ''), FileType: file.fileType,
			Content: file.content, CommitStatus: file.commitStatus, CurrentVersion: file.currentVersion, Owner: context.accountId,
			CreateUser: context.accountId, LastEditUser: context.accountId, CreateTime: file.createTime, LastEditTime: file.lastEditTime,
			UseType: business?.useType ?? 'NORMAL', BusinessId: business?.businessId ?? 0, BizId: business?.businessId ?? 0,
			IsMaxCompute: false, ConnectionName: '', FileDescription: '', ParentId: 0,
			...(file.nodeId === undefined ? {} : {NodeId: file.nodeId}),
		};
	}

	return {
		async GetFile(params) {
			checkProject(context, params);
			const file = fileOf(context, params);
			return {File: fileJson(file), NodeConfiguration: nodeConfiguration(file.schedule ?? defaultSchedule)};
		},

		/** Content and scheduling properties of the working copy; production keeps the released ones until the next release. */
		async UpdateFile(params) {
			checkProject(context, params);
			const file = fileOf(context, params);
			await model.updateFile(file, scheduleOf(params, file.schedule ?? defaultSchedule), params.Content === '' ? undefined : params.Content);
			return true;
		},

		async ListFiles(params) {
			checkProject(context, params);
			const types = params.FileTypes ? params.FileTypes.split(',').map(Number) : undefined;
			const folderPath = params.FileFolderPath?.replace(/\/+$/, '');
			const matching = model.state.files.filter(file => (!folderPath || file.folderPath === folderPath)
				&& (!params.Keyword || file.fileName.includes(params.Keyword))
				&& (!types || types.includes(file.fileType)));
			const {items, ...paging} = page(matching, params);
			return {...paging, Files: items.map(file => fileJson(file))};
		},

		async ListFolders(params) {
			checkProject(context, params);
			const parent = required(params, 'ParentFolderPath').replace(/\/+$/, '');
			const children = [...model.folders.entries()].filter(([folder]) => folder.slice(0, folder.lastIndexOf('/')) === parent && folder.includes('/'));
			const {items, ...paging} = page(children, params);
			return {...paging, Folders: items.map(([folder, id]) => ({FolderId: String(id), FolderPath: folder}))};
		},
	};
}
