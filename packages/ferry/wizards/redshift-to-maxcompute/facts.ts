/** What a saved plan of this procedure depends on: each chosen table's columns, their types and its row count. */
import {qualifiedName} from '../../source/clouds/redshift/sql-text.js';
import {describeTable, mapConcurrent} from '../../source/kit.js';
import {procedure} from './procedure.js';

export const facts = procedure.facts({
	// The identities step is the first that may change anything (it creates missing roles on request); UNLOAD is the
	// only step that reads Redshift, the later ones read what it wrote.
	checkBefore: ['identities', 'unload'],
	async read({clients, answers, signal}) {
		const schema = answers.sourceSchema;
		const tables = (answers.tables as string[] | undefined) ?? [];
		return mapConcurrent(tables, 4, async table => {
			const columns = await describeTable(clients.redshift, schema, table, {signal});
			const counted = columns.length > 0 ? await clients.redshift.query(`select count(*) from ${qualifiedName(schema, table)}`, {signal}) : undefined;
			return {
				object: `Redshift table ${schema}.${table}`,
				exists: columns.length > 0,
				columns: columns.map(column => ({name: column.name, type: column.type})),
				...(counted ? {rows: Number(counted.rows[0]?.[0] ?? 0)} : {}),
			};
		});
	},
});
