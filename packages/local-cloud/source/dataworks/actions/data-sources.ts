/** ListDataSources, CreateDataSource and UpdateDataSource: the connections DI jobs name; their secrets are masked in lists. */
import {invalid} from '../errors.js';
import {jsonObject, page, required, requiredId} from '../rpc.js';
import {checkProject, type Action, type ActionContext} from './context.js';

function maskContent(content: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(content).map(([key, value]) => [key, /key|secret|password|token/i.test(key) && key !== 'accessId' ? '******' : value]));
}

export function dataSourceActions(context: ActionContext): Record<string, Action> {
	const {model} = context;
	return {
		async ListDataSources(params) {
			checkProject(context, params);
			const matching = model.state.dataSources.filter(source => (!params.Name || source.name === params.Name)
				&& (!params.DataSourceType || source.type === params.DataSourceType)
				&& (params.EnvType === undefined || params.EnvType === '' || String(source.envType) === params.EnvType));
			const {items, ...paging} = page(matching, params);
			return {
				...paging,
				DataSources: items.map(source => ({
					Id: source.id, Name: source.name, DataSourceType: source.type, SubType: source.subType, EnvType: source.envType,
					Content: JSON.stringify(maskContent(source.content)), Description: source.description, Status: 'ENABLED', ConnectStatus: 1,
					ProjectId: model.workspace.id, Operator: context.accountId, GmtCreate: new Date(source.createTime).toUTCString(), GmtModified: new Date(source.modifyTime).toUTCString(),
				})),
			};
		},

		async CreateDataSource(params) {
			checkProject(context, params);
			const name = required(params, 'Name');
			const type = required(params, 'DataSourceType');
			const envType = Number(required(params, 'EnvType'));
			if (envType !== 0 && envType !== 1) {
				throw invalid('EnvType', '0 (development) or 1 (production)');
			}

			if (model.workspace.mode === 'basic' && envType === 0) {
				throw invalid('EnvType', 'a workspace in basic mode has the production environment only');
			}

			required(params, 'Content');
			const content = jsonObject(params, 'Content')!;
			const record = await model.createDataSource({name, type, subType: params.SubType ?? '', envType, content, description: params.Description ?? ''});
			return record.id;
		},

		/** DataSourceId (required), Content, Description: the connection of an existing data source. */
		async UpdateDataSource(params) {
			const record = model.dataSource(requiredId(params, 'DataSourceId'));
			const content = jsonObject(params, 'Content');
			await model.updateDataSource(record, {...(content ? {content} : {}), ...(params.Description === undefined ? {} : {description: params.Description})});
			return true;
		},
	};
}
