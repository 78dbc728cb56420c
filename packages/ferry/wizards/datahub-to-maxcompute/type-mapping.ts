/**
 * MaxCompute column types and the DataHub TUPLE field types a DataConnector syncs them from (DataHub doc
 * "Create a MaxCompute synchronization": BIGINT↔BIGINT, STRING↔STRING, BOOLEAN↔BOOLEAN, DOUBLE↔DOUBLE,
 * DATETIME↔TIMESTAMP, DECIMAL↔DECIMAL, TINYINT↔TINYINT, SMALLINT↔SMALLINT, INT↔INTEGER, FLOAT↔FLOAT).
 * One table serves the topic schema, the consistency check and the verification.
 */
import {dataHubFieldName} from '../../source/clouds/datahub/names.js';
import type {FieldType} from '../../source/clouds/datahub/schema.js';

export type ColumnMapping = {column: string; maxComputeType: string; fieldType: FieldType};

const byMaxComputeBase: Record<string, FieldType> = {
	tinyint: 'TINYINT',
	smallint: 'SMALLINT',
	int: 'INTEGER',
	integer: 'INTEGER',
	bigint: 'BIGINT',
	float: 'FLOAT',
	double: 'DOUBLE',
	decimal: 'DECIMAL',
	string: 'STRING',
	boolean: 'BOOLEAN',
	datetime: 'TIMESTAMP',
};

/** The DataHub field type for a MaxCompute column type, or why there is none. */
export function fieldTypeFor(maxComputeType: string): {fieldType: FieldType} | {problem: string} {
	const base = maxComputeType.trim().toLowerCase().replace(/\s*\(.*$/s, '').replace(/<.*$/s, '');
	const fieldType = byMaxComputeBase[base];
	if (fieldType) {
		return {fieldType};
	}

	if (base === 'map' || base === 'array' || base === 'struct') {
		return {problem: `${maxComputeType.toUpperCase()} has no DataHub type (a DataConnector syncs only flat columns)`};
	}

	return {problem: `${maxComputeType.toUpperCase()} is not among the types a DataConnector syncs (TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, STRING, BOOLEAN, DATETIME)`};
}

export type TableColumn = {name: string; type: string};

/** The topic's fields for a table's non-partition columns, in the table's order; every column a topic cannot carry (its type or its name) is named. */
export function topicFieldsFor(columns: readonly TableColumn[]): {mappings: ColumnMapping[]; problems: string[]} {
	const mappings: ColumnMapping[] = [];
	const problems: string[] = [];
	for (const column of columns) {
		const mapped = fieldTypeFor(column.type);
		const nameProblem = dataHubFieldName(column.name);
		if (nameProblem) {
			problems.push(`column ${column.name}: ${nameProblem}`);
		} else if ('problem' in mapped) {
			problems.push(`column ${column.name}: ${mapped.problem}`);
		} else {
			mappings.push({column: column.name, maxComputeType: column.type, fieldType: mapped.fieldType});
		}
	}

	return {mappings, problems};
}

/** Differences between an existing topic's fields and the ones the table needs (names, types, order), as lines. */
export function compareTopicFields(existing: readonly {name: string; type: string}[], wanted: readonly ColumnMapping[]): string[] {
	const differences: string[] = [];
	const length = Math.max(existing.length, wanted.length);
	for (let index = 0; index < length; index++) {
		const have = existing[index];
		const want = wanted[index];
		if (!have) {
			differences.push(`field ${index + 1}: missing, the table needs ${want!.column} ${want!.fieldType}`);
		} else if (!want) {
			differences.push(`field ${index + 1}: ${have.name} ${have.type.toUpperCase()} has no column in the table`);
		} else if (have.name.toLowerCase() !== want.column.toLowerCase() || have.type.toUpperCase() !== want.fieldType) {
			differences.push(`field ${index + 1}: ${have.name} ${have.type.toUpperCase()}, the table needs ${want.column} ${want.fieldType}`);
		}
	}

	return differences;
}
