import {OdpsError, type SourcePosition} from './odps-error.js';

/** A MaxCompute column type as the service prints it, e.g. `decimal(13,2)`, `varchar(64)`, `int`. */
export type MaxComputeType = {
	name: MaxComputeTypeName;
	/** varchar/char length, decimal precision. */
	length?: number;
	scale?: number;
};

export const maxComputeTypeNames = [
	'tinyint',
	'smallint',
	'int',
	'bigint',
	'float',
	'double',
	'decimal',
	'varchar',
	'char',
	'string',
	'binary',
	'date',
	'datetime',
	'timestamp',
	'boolean',
] as const;
export type MaxComputeTypeName = (typeof maxComputeTypeNames)[number];

/** Types of the 1.0 type system; everything else needs `odps.sql.type.system.odps2` (doc-detail/159542). */
const version1Types = new Set<MaxComputeTypeName>(['bigint', 'double', 'decimal', 'string', 'datetime', 'boolean']);

export type TypeSystemFlags = {
	odps2: boolean;
	decimal2: boolean;
	decimalExtendedScale: boolean;
};

export function typeSystemFlags(flags: Record<string, string>): TypeSystemFlags {
	const on = (name: string) => flags[name]?.trim().toLowerCase() === 'true';
	const hive = on('odps.sql.hive.compatible');
	return {
		odps2: on('odps.sql.type.system.odps2') || hive,
		decimal2: on('odps.sql.decimal.odps2') || on('odps.sql.type.system.odps2') || hive,
		decimalExtendedScale: on('odps.sql.decimal2.extended.scale.enable'),
	};
}

export function formatType(type: MaxComputeType): string {
	if (type.name === 'decimal' && type.length !== undefined) return `decimal(${type.length},${type.scale ?? 0})`;
	if ((type.name === 'varchar' || type.name === 'char') && type.length !== undefined) return `${type.name}(${type.length})`;
	return type.name;
}

export function parseTypeText(text: string): MaxComputeType {
	const match = /^([a-z]+)(?:\((\d+)(?:,(\d+))?\))?$/.exec(text.replace(/\s+/g, '').toLowerCase());
	if (!match || !(maxComputeTypeNames as readonly string[]).includes(match[1]!)) throw new Error(`unknown type ${text}`);
	const type: MaxComputeType = {name: match[1] as MaxComputeTypeName};
	if (match[2] !== undefined) type.length = Number(match[2]);
	if (match[3] !== undefined) type.scale = Number(match[3]);
	return type;
}

/**
 * Applies the project's type system to a column type written in DDL. MaxCompute 1.0 silently widens INT to BIGINT
 * ("If INT type is involved and the set command is not added, the INT type is converted to BIGINT", doc-detail/27821);
 * the other 2.0 types fail with "<TYPE> type is not enabled in current mode" (doc 407680; e.g. "TINYINT type is not
 * enabled in current mode", "VARCHAR(4) type is not enabled in current mode" in Alibaba Cloud community threads).
 */
export function checkDeclaredType(type: MaxComputeType, flags: TypeSystemFlags, position: SourcePosition): MaxComputeType {
	if (type.name === 'decimal') {
		if (type.length === undefined) return flags.decimal2 ? {name: 'decimal', length: 38, scale: 18} : type;
		if (!flags.decimal2) throw notEnabled(type, position);
		const scale = type.scale ?? 0;
		const maxScale = flags.decimalExtendedScale ? 38 : 18;
		// Wording of the range errors is ours (verify against the service).
		if (type.length < 1 || type.length > 38) {
			throw new OdpsError('semanticAnalysis', `decimal precision ${type.length} is out of range [1, 38]`, position);
		}

		if (scale > maxScale || scale > type.length) {
			throw new OdpsError(
				'semanticAnalysis',
				`decimal scale ${scale} is out of range [0, ${Math.min(maxScale, type.length)}]`,
				position,
			);
		}

		return {name: 'decimal', length: type.length, scale};
	}

	if (flags.odps2 || version1Types.has(type.name)) {
		if (type.name === 'varchar' && (type.length === undefined || type.length < 1 || type.length > 65535)) {
			throw new OdpsError('semanticAnalysis', `invalid varchar length ${type.length ?? ''}, expect [1, 65535]`, position);
		}

		if (type.name === 'char' && (type.length === undefined || type.length < 1 || type.length > 255)) {
			throw new OdpsError('semanticAnalysis', `invalid char length ${type.length ?? ''}, expect [1, 255]`, position);
		}

		return type;
	}

	if (type.name === 'int') return {name: 'bigint'};
	throw notEnabled(type, position);
}

function notEnabled(type: MaxComputeType, position: SourcePosition): OdpsError {
	return new OdpsError('semanticAnalysis', `${formatType(type).toUpperCase()} type is not enabled in current mode`, position);
}

/** The DuckDB storage type for a MaxCompute column. DATETIME keeps milliseconds, TIMESTAMP nanoseconds. */
export function duckdbType(type: MaxComputeType): string {
	switch (type.name) {
		case 'tinyint':
			return 'TINYINT';
		case 'smallint':
			return 'SMALLINT';
		case 'int':
			return 'INTEGER';
		case 'bigint':
			return 'BIGINT';
		case 'float':
			return 'FLOAT';
		case 'double':
			return 'DOUBLE';
		case 'decimal':
			// DECIMAL 1.0 is a fixed (54,18); DuckDB stops at 38 digits, enough for every value a test can hold.
			return `DECIMAL(${type.length ?? 38},${type.scale ?? 18})`;
		case 'varchar':
		case 'char':
		case 'string':
			return 'VARCHAR';
		case 'binary':
			return 'BLOB';
		case 'date':
			return 'DATE';
		case 'datetime':
			return 'TIMESTAMP_MS';
		case 'timestamp':
			return 'TIMESTAMP_NS';
		case 'boolean':
			return 'BOOLEAN';
	}
}

/** The MaxCompute type text for a DuckDB result column type. */
export function maxComputeTypeOfDuckdb(duckdbTypeText: string): string {
	const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckdbTypeText);
	if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
	switch (duckdbTypeText) {
		case 'BOOLEAN':
			return 'boolean';
		case 'TINYINT':
			return 'tinyint';
		case 'SMALLINT':
			return 'smallint';
		case 'INTEGER':
			return 'int';
		case 'FLOAT':
			return 'float';
		case 'DOUBLE':
			return 'double';
		case 'DATE':
			return 'date';
		case 'TIMESTAMP_MS':
			return 'datetime';
		case 'TIMESTAMP':
		case 'TIMESTAMP_NS':
		case 'TIMESTAMP_S':
		case 'TIMESTAMP WITH TIME ZONE':
			return 'timestamp';
		case 'BLOB':
			return 'binary';
		case 'BIGINT':
		case 'HUGEINT':
		case 'UBIGINT':
		case 'UINTEGER':
		case 'USMALLINT':
		case 'UTINYINT':
			return 'bigint';
		default:
			return 'string';
	}
}
