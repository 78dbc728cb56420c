import type {ColumnDefinition, TableDefinition} from './catalog.js';
import {positionOf, type TokenCursor} from './cursor.js';
import {checkColumnName, checkTableName} from './names.js';
import {OdpsError} from './odps-error.js';
import {checkDeclaredType, formatType, maxComputeTypeNames, type MaxComputeTypeName, type TypeSystemFlags} from './types.js';

export type CreateTableStatement = {
	definition: TableDefinition;
	ifNotExists: boolean;
	nameToken: {line: number; column: number};
};

function parseColumns(cursor: TokenCursor, flags: TypeSystemFlags, partition: boolean): ColumnDefinition[] {
	const columns: ColumnDefinition[] = [];
	cursor.expectSymbol('(');
	do {
		const nameToken = cursor.expectIdentifier();
		checkColumnName(nameToken.value, positionOf(nameToken));
		const typeToken = cursor.expectIdentifier();
		if (!(maxComputeTypeNames as readonly string[]).includes(typeToken.value)) {
			throw new OdpsError('parse', `invalid token '${typeToken.text}', expect a column type`, positionOf(typeToken));
		}

		const type: {name: MaxComputeTypeName; length?: number; scale?: number} = {name: typeToken.value as MaxComputeTypeName};
		if (cursor.acceptSymbol('(')) {
			type.length = cursor.expectNumber();
			if (cursor.acceptSymbol(',')) type.scale = cursor.expectNumber();
			cursor.expectSymbol(')');
		}

		const checked = checkDeclaredType(type, flags, positionOf(typeToken));
		if (partition && !flags.odps2 && checked.name !== 'string') {
			throw new OdpsError('semanticAnalysis', `partition column ${nameToken.value} must be STRING in current mode`, positionOf(typeToken));
		}

		const comment = cursor.acceptWord('comment') === undefined ? '' : cursor.expectString().value;
		if (columns.some(column => column.name === nameToken.value)) {
			throw new OdpsError('semanticAnalysis', `column repeated in creation: ${nameToken.value}`, positionOf(nameToken));
		}

		columns.push({name: nameToken.value, type: formatType(checked), comment});
	} while (cursor.acceptSymbol(','));

	cursor.expectSymbol(')');
	return columns;
}

/** `CREATE TABLE [IF NOT EXISTS] t (…) [COMMENT '…'] [PARTITIONED BY (…)] [LIFECYCLE n]`; the cursor is after TABLE. */
export function parseCreateTable(cursor: TokenCursor, flags: TypeSystemFlags): CreateTableStatement {
	let ifNotExists = false;
	if (cursor.acceptWord('if')) {
		cursor.expectWord('not');
		cursor.expectWord('exists');
		ifNotExists = true;
	}

	let nameToken = cursor.expectIdentifier();
	if (cursor.acceptSymbol('.')) nameToken = cursor.expectIdentifier();
	checkTableName(nameToken.value, positionOf(nameToken));
	const columns = parseColumns(cursor, flags, false);
	let comment = '';
	let partitionColumns: ColumnDefinition[] = [];
	let lifecycle: number | undefined;
	while (!cursor.done) {
		if (cursor.acceptWord('comment')) comment = cursor.expectString().value;
		else if (cursor.acceptWord('partitioned')) {
			cursor.expectWord('by');
			partitionColumns = parseColumns(cursor, flags, true);
		} else if (cursor.acceptWord('lifecycle')) lifecycle = cursor.expectNumber();
		else throw cursor.unexpected('COMMENT, PARTITIONED BY or LIFECYCLE');
	}

	const clash = partitionColumns.find(partition => columns.some(column => column.name === partition.name));
	if (clash) throw new OdpsError('semanticAnalysis', `column repeated in creation: ${clash.name}`, positionOf(nameToken));
	const now = new Date();
	return {
		definition: {name: nameToken.value, columns, partitionColumns, comment, lifecycle, createdAt: now, lastDdlAt: now, lastModifiedAt: now},
		ifNotExists,
		nameToken: positionOf(nameToken),
	};
}

const descWidth = 84;

function descLine(text: string): string {
	return `| ${text.padEnd(descWidth - 3)}|`;
}

function formatTime(date: Date): string {
	return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The text `DESC t;` prints: boxed sections for owner/project/comment, times, storage, native columns and partition
 * columns, as in the DESC examples of the MaxCompute table-operations doc (doc-detail/27829); widths are approximate.
 */
export function describeTable(definition: TableDefinition, owner: string, project: string, size: number): string {
	const rule = `+${'-'.repeat(descWidth - 2)}+`;
	const field = (name: string, type: string, label: string | undefined, comment: string) =>
		descLine(
			label === undefined
				? `${name.padEnd(16)}| ${type.padEnd(11)}| ${comment}`
				: `${name.padEnd(16)}| ${type.padEnd(11)}| ${label.padEnd(6)}| ${comment}`,
		);
	const lines = [
		rule,
		descLine(`Owner:                    ${owner}`),
		descLine(`Project:                  ${project}`),
		descLine(`TableComment:             ${definition.comment}`),
		rule,
		descLine(`CreateTime:               ${formatTime(definition.createdAt)}`),
		descLine(`LastDDLTime:              ${formatTime(definition.lastDdlAt)}`),
		descLine(`LastModifiedTime:         ${formatTime(definition.lastModifiedAt)}`),
		descLine(`Lifecycle:                ${definition.lifecycle ?? ''}`),
		rule,
		descLine(`InternalTable: YES      | Size: ${size}`),
		rule,
		descLine('Native Columns:'),
		rule,
		field('Field', 'Type', 'Label', 'Comment'),
		rule,
		...definition.columns.map(column => field(column.name, column.type, '', column.comment)),
		rule,
	];
	if (definition.partitionColumns.length > 0) {
		lines.push(
			descLine('Partition Columns:'),
			rule,
			...definition.partitionColumns.map(column => field(column.name, column.type, undefined, column.comment)),
			rule,
		);
	}

	return `${lines.join('\n')}\n`;
}
