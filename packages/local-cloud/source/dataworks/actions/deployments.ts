/** SubmitFile, DeployFile and GetDeployment: a file's way to production, which the scheduler completes a moment later. */
import type {DeploymentRecord} from '../state.js';
import {requiredId} from '../rpc.js';
import {checkProject, fileOf, type Action, type ActionContext} from './context.js';

export function deploymentActions(context: ActionContext): Record<string, Action> {
	const {model, scheduler} = context;
	const started = (deployment: DeploymentRecord) => {
		scheduler.complete(deployment);
		return deployment.id;
	};

	return {
		async SubmitFile(params) {
			checkProject(context, params);
			return started(await model.submit(fileOf(context, params)));
		},

		async DeployFile(params) {
			checkProject(context, params);
			return started(await model.deploy(fileOf(context, params)));
		},

		async GetDeployment(params) {
			checkProject(context, params);
			const deployment = model.deployment(requiredId(params, 'DeploymentId'));
			return {
				Deployment: {
					Name: deployment.name, CreatorId: context.accountId, HandlerId: context.accountId, CreateTime: deployment.createTime,
					ExecuteTime: deployment.executeTime ?? 0, Status: deployment.status, FromEnvironment: deployment.fromEnvironment,
					ToEnvironment: deployment.toEnvironment, ErrorMessage: deployment.errorMessage ?? '',
				},
			};
		},
	};
}
