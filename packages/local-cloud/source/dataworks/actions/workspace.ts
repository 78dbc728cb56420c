/** GetProject and ListResourceGroups: the workspace and its DI resource groups. */
import {checkProject, type Action, type ActionContext} from './context.js';

export function workspaceActions(context: ActionContext): Record<string, Action> {
	const {workspace} = context.model;
	return {
		async GetProject(params) {
			checkProject(context, params);
			return {
				ProjectId: workspace.id, ProjectName: workspace.name, ProjectIdentifier: workspace.name, ProjectMode: workspace.mode === 'standard' ? 3 : 2,
				Status: 0, EnvTypes: workspace.mode === 'standard' ? ['DEV', 'PROD'] : ['PROD'], DefaultDiResourceGroupIdentifier: workspace.resourceGroups[0] ?? '',
				ProjectOwnerBaseId: context.accountId, ResidentArea: 'private', DevelopmentType: 4, IsDefault: 0, ProtectedMode: 0, TablePrivacyMode: 0,
				SchedulerMaxRetryTimes: 3, SchedulerRetryInterval: 120_000, DisableDevelopment: false, IsAllowDownload: 1, ProjectDescription: '',
			};
		},

		async ListResourceGroups() {
			return workspace.resourceGroups.map((identifier, index) => ({
				Id: 9000 + index, Identifier: identifier, Name: identifier, ResourceGroupType: 4, Status: 0, Mode: 'ISOLATE', IsDefault: index === 0,
				Cluster: context.region, BizExtKey: '', Specs: '', Sequence: index + 1, TenantId: 0, CreateTime: '', UpdateTime: '', EnableKp: false,
			}));
		},
	};
}
