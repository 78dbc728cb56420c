/**
 * What a saved plan of this procedure depends on: the DataHub topic's schema if the topic exists, and the MaxCompute
 * table's columns (partition columns marked) if the table exists; the plan's DDL and field mapping follow from them.
 */
import {procedure} from './procedure.js';

export const facts = procedure.facts({
	// The table step is the first to create anything; the later steps create the project, topic and connector the plan names.
	checkBefore: ['table'],
	async read({clients, answers, signal}) {
		const {datahub, maxcompute} = clients;
		const project = answers.datahubProject;
		const topicName = answers.datahubTopic;
		const topics = (await datahub.listProjects({signal})).includes(project) ? await datahub.listTopics(project, {signal}) : [];
		const topic = topics.includes(topicName) ? await datahub.getTopic(project, topicName, {signal}) : undefined;
		const table = answers.maxcomputeTable;
		const tableExists = await maxcompute.tableExists(table, {signal});
		const columns = tableExists ? await maxcompute.describeTable(table, {signal}) : [];
		return [
			{
				object: `DataHub topic ${project}.${topicName}`,
				exists: topic !== undefined,
				...(topic ? {columns: (topic.schema?.fields ?? []).map(field => ({name: field.name, type: field.type}))} : {}),
			},
			{
				object: `MaxCompute table ${maxcompute.project}.${table}`,
				exists: tableExists,
				...(tableExists ? {columns: columns.map(column => ({name: column.name, type: column.type, ...(column.partition ? {partition: true} : {})}))} : {}),
			},
		];
	},
});
