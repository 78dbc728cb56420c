/** What every group of actions works with, and the checks they share: the workspace a request names, the file it names. */
import type {FileRecord} from '../state.js';
import {missing, noWorkspace} from '../errors.js';
import type {DataWorksModel} from '../model.js';
import {requiredId, type Params} from '../rpc.js';
import type {Scheduler} from '../scheduler.js';

export type ActionContext = {model: DataWorksModel; scheduler: Scheduler; region: string; accountId: string};

/** An action: the request's parameters in, what goes under Data (or a TopLevelAnswer) out. */
export type Action = (params: Params) => Promise<unknown>;

/** The workspace named by ProjectId or, failing that, ProjectIdentifier: this one, or one the caller cannot see. */
export function checkProject(context: ActionContext, params: Params): void {
	const {workspace} = context.model;
	const id = params.ProjectId;
	const identifier = params.ProjectIdentifier;
	if (!id && !identifier) {
		throw missing('ProjectId');
	}

	if ((id && id !== String(workspace.id)) || (!id && identifier !== workspace.name)) {
		throw noWorkspace(id ?? identifier ?? '', context.region);
	}
}

/** The file named by FileId or, failing that, NodeId. */
export function fileOf(context: ActionContext, params: Params): FileRecord {
	const fileId = params.FileId ? requiredId(params, 'FileId') : undefined;
	const nodeId = params.NodeId ? requiredId(params, 'NodeId') : undefined;
	if (fileId !== undefined) {
		return context.model.file({fileId});
	}

	if (nodeId !== undefined) {
		return context.model.file({nodeId});
	}

	throw missing('FileId');
}
