/** What a saved plan of this procedure depends on: the MaxCompute table's columns and the partition it exports, with its rows. */
import {procedure} from './procedure.js';

export const facts = procedure.facts({
	// The job is built from the columns (log-service, task) and reads the partition when it runs.
	checkBefore: ['log-service', 'run'],
	async read({clients, answers, signal}) {
		const {maxcompute} = clients;
		const table = answers.maxcomputeTable;
		const exists = await maxcompute.tableExists(table, {signal});
		const columns = exists ? await maxcompute.describeTable(table, {signal}) : [];
		const [column = '', value = ''] = answers.partition.split('=');
		const rows = exists ? await maxcompute.partitionRecordCount(table, [[column, value]], {signal}) : 0;
		return [{
			object: `MaxCompute table ${maxcompute.project}.${table}`,
			exists,
			...(exists ? {
				columns: columns.map(column => ({name: column.name, type: column.type, ...(column.partition ? {partition: true} : {})})),
				partitions: rows > 0 ? [{name: answers.partition, rows}] : [],
			} : {}),
		}];
	},
});
