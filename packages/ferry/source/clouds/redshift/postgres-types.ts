import type {ResultValue} from './connection.js';

/** Type names Redshift and PostgreSQL report for the OIDs ferry meets; Redshift keeps PostgreSQL's OIDs. */
const typeNamesByOid = new Map<number, string>([
	[16, 'bool'], [17, 'bytea'], [18, 'char'], [19, 'name'], [20, 'int8'], [21, 'int2'], [23, 'int4'], [25, 'text'],
	[26, 'oid'], [114, 'json'], [700, 'float4'], [701, 'float8'], [1042, 'bpchar'], [1043, 'varchar'], [1082, 'date'],
	[1083, 'time'], [1114, 'timestamp'], [1184, 'timestamptz'], [1266, 'timetz'], [1700, 'numeric'], [2950, 'uuid'],
]);

export function typeNameOfOid(oid: number): string {
	return typeNamesByOid.get(oid) ?? `oid_${oid}`;
}

/** Precision and scale from a type modifier, the way the JDBC driver reports them. */
export function precisionAndScale(typeName: string, typeModifier: number): {precision: number; scale: number} {
	if (typeName === 'numeric') {
		if (typeModifier < 4) {
			return {precision: 0, scale: 0};
		}

		const packed = typeModifier - 4;
		return {precision: (packed >> 16) & 0xffff, scale: packed & 0xffff};
	}

	if (typeName === 'varchar' || typeName === 'bpchar') {
		return {precision: typeModifier >= 4 ? typeModifier - 4 : 0, scale: 0};
	}

	const fixed: Record<string, number> = {int2: 5, int4: 10, int8: 19, float4: 8, float8: 17, bool: 1, date: 13, timestamp: 29, timestamptz: 35};
	return {precision: fixed[typeName] ?? 0, scale: typeName === 'timestamp' || typeName === 'timestamptz' ? 6 : 0};
}

/** Integers, floats and booleans become JS values; everything else (DECIMAL, dates, int8 past 2^53) stays exact text. */
export function valueFromText(typeName: string, text: string | null): ResultValue {
	if (text === null) {
		return null;
	}

	switch (typeName) {
		case 'int2':
		case 'int4': {
			return Number(text);
		}

		case 'int8': {
			const value = Number(text);
			return Number.isSafeInteger(value) ? value : text;
		}

		case 'float4':
		case 'float8': {
			return Number(text);
		}

		case 'bool': {
			return text === 't' || text === 'true';
		}

		default: {
			return text;
		}
	}
}
