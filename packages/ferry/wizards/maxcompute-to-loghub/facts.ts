/**
 * What a saved plan of this procedure depends on: the MaxCompute table's columns and the partitions the `partition`
 * answer resolves to (one, a list, a range or a wildcard), each with its rows from the partition listing.
 */
import {parsePartitionSelection, resolvePartitions} from './partition-range.js';
import {procedure} from './procedure.js';

export const facts = procedure.facts({
	// The job is built from the columns (log-service, task) and reads the partitions when it runs.
	checkBefore: ['log-service', 'run'],
	async read({clients, answers, signal}) {
		const {maxcompute} = clients;
		const table = answers.maxcomputeTable;
		const object = `MaxCompute table ${maxcompute.project}.${table}`;
		if (!(await maxcompute.tableExists(table, {signal}))) {
			return [{object, exists: false}];
		}

		const [columns, listed] = await Promise.all([maxcompute.describeTable(table, {signal}), maxcompute.listPartitions(table, {signal})]);
		const selection = parsePartitionSelection(answers.partition);
		const rowsByValue = new Map<string, number>();
		if (!('problem' in selection)) {
			for (const partition of listed) {
				const value = partition.values.find(([name]) => name.toLowerCase() === selection.column.toLowerCase())?.[1];
				if (value !== undefined) {
					rowsByValue.set(value, (rowsByValue.get(value) ?? 0) + partition.recordCount);
				}
			}
		}

		const values = 'problem' in selection ? [] : resolvePartitions(selection, [...rowsByValue.keys()]);
		return [{
			object,
			exists: true,
			columns: columns.map(column => ({name: column.name, type: column.type, ...(column.partition ? {partition: true} : {})})),
			partitions: values.map(value => ({name: `${'problem' in selection ? '' : selection.column}=${value}`, rows: rowsByValue.get(value) ?? 0})),
		}];
	},
});
