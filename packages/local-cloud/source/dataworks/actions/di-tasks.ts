/** CreateDISyncTask: a batch sync (DI_OFFLINE) task's file in a workflow folder; a refused path, group or name answers `Status: fail`. */
import {invalid} from '../errors.js';
import {required} from '../rpc.js';
import {checkProject, type Action, type ActionContext} from './context.js';

export function diTaskActions(context: ActionContext): Record<string, Action> {
	return {
		async CreateDISyncTask(params) {
			checkProject(context, params);
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

			const created = await context.model.createDiTask({
				taskName, taskType, content,
				folderPath: typeof taskParam.FileFolderPath === 'string' ? taskParam.FileFolderPath.replace(/\/+$/, '') : '',
				resourceGroup: typeof taskParam.ResourceGroup === 'string' ? taskParam.ResourceGroup : '',
				...(params.ClientToken ? {clientToken: params.ClientToken} : {}),
			});
			return 'failure' in created ? {Status: 'fail', Message: created.failure} : {Status: 'success', FileId: created.fileId};
		},
	};
}
