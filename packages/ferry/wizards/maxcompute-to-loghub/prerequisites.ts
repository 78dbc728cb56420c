/** The procedure's prerequisites: Log Service's project, logstore and index, and the DataWorks data sources the job names. */
import {count, ensureLogstoreAndIndex, stepSummary} from '../../source/kit.js';
import type {Context} from './procedure.js';

/** The project, the logstore and its index, each created once (rerun: safe). */
export async function ensureLogService(context: Context): Promise<void> {
	const project = context.answers.logProject;
	const logstore = context.answers.logstore;
	const keys = context.outputOf('preflight', 'shape').columns.map(column => column.name);
	const ensured = await ensureLogstoreAndIndex(context.clients.logService, {project, projectDescription: 'Created by ferry for the maxcompute-to-loghub procedure', logstore, ttlDays: context.answers.logTtlDays, shardCount: 2, keys, signal: context.signal});
	context.summary(stepSummary(`project ${project} ${ensured.projectCreated ? 'created' : 'kept'}`, `logstore ${logstore} ${ensured.logstoreCreated ? 'created' : 'kept'}`, `index ${ensured.indexCreated ? 'created' : 'kept'} (${count(new Set(keys).size, 'key')})`));
}

/** The two DataWorks data sources, created or kept (rerun: safe). */
export async function ensureDataSources(context: Context): Promise<void> {
	const {dataworks, maxcompute, profile} = context.clients;
	const keys = await profile.alibaba.credentials.getCredentials();
	const projectId = context.answers.workspaceId;
	const odps = await dataworks.createDataSource({projectId, name: context.answers.odpsDataSource, dataSourceType: 'odps', envType: 1, content: {endpoint: maxcompute.endpoint, project: context.answers.maxcomputeProject, accessId: keys.accessKeyId, accessKey: keys.accessKeySecret}}, {signal: context.signal});
	const loghub = await dataworks.createDataSource({projectId, name: context.answers.loghubDataSource, dataSourceType: 'loghub', envType: 1, content: {endpoint: profile.alibaba.endpoints['logService']!, project: context.answers.logProject, accessId: keys.accessKeyId, accessKey: keys.accessKeySecret}}, {signal: context.signal});
	context.summary(`${context.answers.odpsDataSource} ${odps.created ? 'created' : 'kept'} · ${context.answers.loghubDataSource} ${loghub.created ? 'created' : 'kept'}`);
}
