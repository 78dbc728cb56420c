/**
 * TUPLE topic schemas and record values. RecordSchema travels as a JSON string `{"fields":[{"name","type",
 * "notnull"?,"comment"?}]}` (aliyun-datahub-sdk-go `datahub/api_test.go` TestCreateTupleTopic); the types and value
 * ranges are those of aliyun-datahub-sdk-python `datahub/models/types.py`; values travel as strings in schema order.
 */
import {invalidSchema} from './errors.js';

export const fieldTypes = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'STRING', 'BOOLEAN', 'TIMESTAMP'] as const;
export type FieldType = (typeof fieldTypes)[number];
export type Field = {name: string; type: FieldType; notnull: boolean; comment: string};

const integerBounds: Partial<Record<FieldType, [bigint, bigint]>> = {
	TINYINT: [-128n, 127n],
	SMALLINT: [-32_768n, 32_767n],
	INTEGER: [-2_147_483_648n, 2_147_483_647n],
	BIGINT: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
	TIMESTAMP: [-62_135_798_400_000_000n, 253_402_271_999_000_000n],
};

export function parseRecordSchema(text: unknown): Field[] {
	if (typeof text !== 'string' || text.trim() === '') throw invalidSchema('RecordSchema is required for a TUPLE topic and must be a JSON string');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw invalidSchema('RecordSchema is not valid JSON');
	}

	const list = (parsed as {fields?: unknown}).fields;
	if (!Array.isArray(list) || list.length === 0) throw invalidSchema('RecordSchema needs a non-empty "fields" list');
	const fields: Field[] = [];
	for (const item of list as unknown[]) {
		const {name, type, notnull, comment} = (item ?? {}) as Record<string, unknown>;
		// The Limits page: a field name is 1–128 letters, digits and _, a letter first; system_time is not one.
		if (typeof name !== 'string' || !/^[A-Za-z]\w{0,127}$/.test(name) || name.toLowerCase() === 'system_time') throw invalidSchema(`invalid field name ${JSON.stringify(name)}`);
		const upper = typeof type === 'string' ? type.toUpperCase() : '';
		if (!(fieldTypes as readonly string[]).includes(upper)) throw invalidSchema(`field ${name} has an unsupported type ${JSON.stringify(type)}`);
		if (fields.some(field => field.name.toLowerCase() === name.toLowerCase())) throw invalidSchema(`field ${name} is repeated`);
		fields.push({name: name.toLowerCase(), type: upper as FieldType, notnull: notnull === true, comment: typeof comment === 'string' ? comment : ''});
	}

	return fields;
}

export function renderRecordSchema(fields: Field[]): string {
	return JSON.stringify({fields: fields.map(field => ({name: field.name, type: field.type, ...(field.notnull ? {notnull: true} : {}), ...(field.comment ? {comment: field.comment} : {})}))});
}

const stringFieldLimit = 2 * 1024 * 1024;

/** Checks one value against its field; answers the reason it is refused, or undefined. */
export function valueProblem(field: Field, value: unknown): string | undefined {
	if (value === null || value === undefined) return field.notnull ? `field ${field.name} is not nullable` : undefined;
	if (typeof value !== 'string') return `field ${field.name}: values must be strings`;
	// The Limits page: "String length: the maximum length of a single string field, 2 MB".
	if (Buffer.byteLength(value) > stringFieldLimit) return `field ${field.name}: the value is longer than 2 MB`;
	const bounds = integerBounds[field.type];
	if (bounds) {
		if (!/^[+-]?\d+$/.test(value.trim())) return `field ${field.name}: ${JSON.stringify(value)} is not a valid ${field.type}`;
		const number = BigInt(value.trim());
		return number < bounds[0] || number > bounds[1] ? `field ${field.name}: ${field.type}(${value}) out of range` : undefined;
	}

	switch (field.type) {
		case 'FLOAT':
		case 'DOUBLE':
			return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value) || /^[+-]?(nan|inf|infinity)$/i.test(value.trim())
				? undefined
				: `field ${field.name}: ${JSON.stringify(value)} is not a valid ${field.type}`;
		case 'DECIMAL':
			return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value) ? undefined : `field ${field.name}: ${JSON.stringify(value)} is not a valid DECIMAL`;
		case 'BOOLEAN':
			return /^(true|false)$/i.test(value) ? undefined : `field ${field.name}: can not cast to [${value}] bool`;
		default:
			return undefined;
	}
}
