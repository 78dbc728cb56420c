import {positionOf, type TokenCursor} from './cursor.js';
import type {TableDefinition} from './catalog.js';
import {checkPartitionValue} from './names.js';
import {OdpsError} from './odps-error.js';
import type {Token} from './tokenizer.js';

/** `PARTITION (k='v', k2)`: a key without a value is dynamic. */
export type PartitionSpec = {entries: {key: string; value: string | undefined; token: Token}[]; token: Token};

export function parsePartitionSpec(cursor: TokenCursor): PartitionSpec | undefined {
	const token = cursor.current;
	if (token === undefined || cursor.acceptWord('partition') === undefined) return undefined;
	cursor.expectSymbol('(');
	const entries: PartitionSpec['entries'] = [];
	do {
		const key = cursor.expectIdentifier();
		let value: string | undefined;
		if (cursor.acceptSymbol('=')) {
			const literal = cursor.current;
			if (literal?.kind !== 'string' && literal?.kind !== 'number') throw cursor.unexpected('a partition value');
			cursor.index++;
			value = literal.value;
			checkPartitionValue(key.value, value, positionOf(literal), false);
		}

		entries.push({key: key.value, value, token: key});
	} while (cursor.acceptSymbol(','));

	cursor.expectSymbol(')');
	return {entries, token};
}

/** Checks the spec against the table; returns the static values by key (dynamic keys are absent). */
export function resolvePartitionSpec(
	spec: PartitionSpec | undefined,
	table: TableDefinition,
	project: string,
	tableToken: Token,
): Map<string, string> {
	const values = new Map<string, string>();
	if (spec === undefined) return values;
	if (table.partitionColumns.length === 0) {
		throw new OdpsError(
			'semanticAnalysis',
			`table ${project}.${table.name} is not partitioned but partition spec exists`,
			positionOf(spec.token),
		);
	}

	for (const entry of spec.entries) {
		if (!table.partitionColumns.some(column => column.name === entry.key)) {
			throw new OdpsError('semanticAnalysis', `${entry.key} is not a partition column of ${project}.${table.name}`, positionOf(entry.token));
		}

		if (entry.value !== undefined) values.set(entry.key, entry.value);
	}

	if (spec.entries.length !== table.partitionColumns.length) {
		// Wording from the ODPS-0130071 doc page (help.aliyun.com/document_detail/468607).
		throw new OdpsError(
			'semanticAnalysis',
			`the number of input partition columns (${spec.entries.length}) doesn't equal to table's partition columns (${table.partitionColumns.length})`,
			positionOf(tableToken),
		);
	}

	return values;
}
