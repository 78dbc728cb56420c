/** ListBusiness, GetBusiness and CreateBusiness: workflows, auto-triggered (NORMAL) or manually triggered (MANUAL_BIZ). */
import {invalid} from '../errors.js';
import type {BusinessRecord} from '../state.js';
import {page, required, requiredId, TopLevelAnswer} from '../rpc.js';
import {checkProject, type Action, type ActionContext} from './context.js';

export function workflowActions(context: ActionContext): Record<string, Action> {
	const {model} = context;
	const businessJson = (business: BusinessRecord) => ({
		BusinessId: business.businessId, BusinessName: business.name, Description: business.description, Owner: context.accountId, ProjectId: model.workspace.id, UseType: business.useType,
	});
	return {
		async ListBusiness(params) {
			checkProject(context, params);
			const matching = model.state.businesses.filter(business => !params.Keyword || business.name.includes(params.Keyword));
			const {items, ...paging} = page(matching, params);
			return {...paging, Business: items.map(business => businessJson(business))};
		},

		async GetBusiness(params) {
			checkProject(context, params);
			return businessJson(model.business(requiredId(params, 'BusinessId')));
		},

		async CreateBusiness(params) {
			checkProject(context, params);
			const name = required(params, 'BusinessName');
			const useType = params.UseType || 'NORMAL';
			if (useType !== 'NORMAL' && useType !== 'MANUAL_BIZ') {
				throw invalid('UseType', 'NORMAL or MANUAL_BIZ');
			}

			const business = await model.createWorkflow(name, useType, params.Description ?? '');
			return new TopLevelAnswer({Success: true, HttpStatusCode: 200, BusinessId: business.businessId});
		},
	};
}
