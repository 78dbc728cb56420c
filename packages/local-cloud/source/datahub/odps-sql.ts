/**
 * The MaxCompute SQL the connector runs: `INSERT INTO t PARTITION (k='v') VALUES (…)` batches. Values are quoted as
 * MaxCompute string literals (backslash escapes, octal for other control characters) and cast to the column's type.
 */
import type {FieldType} from './schema.js';
import {datetimeText} from './partition.js';

/**
 * The DataHub ↔ MaxCompute type pairs of "Create a MaxCompute synchronization" (doc-detail/158808): BIGINT, STRING,
 * BOOLEAN, DOUBLE, DECIMAL, TINYINT, SMALLINT, FLOAT keep their names, INT ↔ INTEGER, DATETIME ↔ TIMESTAMP.
 */
export function maxComputeTypeMatches(fieldType: FieldType, columnType: string): boolean {
	const base = columnType.toLowerCase().replace(/\(.*$/, '').trim();
	const expected: Record<FieldType, string> = {
		TINYINT: 'tinyint',
		SMALLINT: 'smallint',
		INTEGER: 'int',
		BIGINT: 'bigint',
		FLOAT: 'float',
		DOUBLE: 'double',
		DECIMAL: 'decimal',
		STRING: 'string',
		BOOLEAN: 'boolean',
		TIMESTAMP: 'datetime',
	};
	return expected[fieldType] === base;
}

const simpleEscapes: Record<string, string> = {'\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t'};

// eslint-disable-next-line no-control-regex
const needsEscape = /[\\'\u0000-\u001F\u007F]/;

export function odpsString(text: string): string {
	if (!needsEscape.test(text)) return `'${text}'`;
	let body = '';
	for (const char of text) {
		const escaped = simpleEscapes[char];
		if (escaped !== undefined) body += escaped;
		else if (char < ' ' || char === '\u007F') body += `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`;
		else body += char;
	}

	return `'${body}'`;
}

export function quoteIdentifier(name: string): string {
	return `\`${name.replaceAll('`', '``')}\``;
}

export type TimestampUnit = 'MICROSECOND' | 'MILLISECOND' | 'SECOND';

export function timestampToMs(value: string, unit: TimestampUnit): number {
	const number = BigInt(value.trim());
	const ms = unit === 'SECOND' ? number * 1000n : unit === 'MILLISECOND' ? number : number / 1000n - (number % 1000n < 0n ? 1n : 0n);
	return Number(ms);
}

/** One value as SQL: NULL, a quoted string, or a quoted text cast to the column type. */
export function valueLiteral(fieldType: FieldType, value: string | null, context: {unit: TimestampUnit; timeZone: string}): string {
	if (value === null) return 'NULL';
	switch (fieldType) {
		case 'STRING':
			return odpsString(value);
		case 'BOOLEAN':
			return value.toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
		case 'TIMESTAMP':
			return `DATETIME ${odpsString(datetimeText(timestampToMs(value, context.unit), context.timeZone))}`;
		case 'INTEGER':
			return `CAST(${odpsString(value.trim())} AS INT)`;
		default:
			return `CAST(${odpsString(value.trim())} AS ${fieldType})`;
	}
}

export function partitionClause(partition: [string, string][]): string {
	return partition.length === 0 ? '' : ` PARTITION (${partition.map(([column, value]) => `${quoteIdentifier(column)}=${odpsString(value)}`).join(', ')})`;
}

/** `rows` hold SQL literals already, one per table data column in table order. */
export function insertStatement(table: string, partition: [string, string][], rows: string[][]): string {
	return `INSERT INTO ${quoteIdentifier(table)}${partitionClause(partition)} VALUES ${rows.map(row => `(${row.join(', ')})`).join(', ')};`;
}
