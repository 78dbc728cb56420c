/**
 * MaxCompute SQL text every procedure writing to MaxCompute shares: quoting of identifiers and literals, and the
 * schema comparison behind idempotent CREATE TABLE steps (the same schema is kept, a different one is a diff).
 */
import {UsageError} from '../../engine/errors.js';

export function rejectControlCharacters(value: string, what: string): void {
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(value)) {
		throw new UsageError(`The ${what} ${JSON.stringify(value)} contains a control character`, {
			hint: 'Names and paths with control characters cannot be written safely into SQL; rename the object.',
		});
	}
}

export function rejectEmpty(value: string, what: string): void {
	if (value.length === 0) {
		throw new UsageError(`The ${what} is empty`);
	}
}

export function quoteMaxComputeIdentifier(name: string): string {
	rejectEmpty(name, 'MaxCompute identifier');
	rejectControlCharacters(name, 'MaxCompute identifier');
	return `\`${name.replaceAll('`', '``')}\``;
}

const maxComputeEscapes: Readonly<Record<string, string>> = {'\\': '\\\\', '\'': '\\\'', ';': '\\;', '\n': '\\n', '\r': '\\r', '\t': '\\t'};

/**
 * The one way a value enters MaxCompute SQL text as a string literal. MaxCompute string literals take backslash
 * escapes (doc "Escape characters"): a backslash and a quote are escaped (so a value ending in a backslash still
 * closes its literal), `\;` keeps clients from splitting a statement there, line breaks and tabs are `\n`, `\r`,
 * `\t`, other control characters three octal digits. NUL is refused: a STRING cannot be given one in SQL text.
 */
export function quoteMaxComputeString(value: string): string {
	if (value.includes('\u0000')) {
		throw new UsageError(`The value ${JSON.stringify(value)} contains a NUL character, which MaxCompute SQL cannot take in a string`, {hint: 'Remove the NUL character from the value.'});
	}

	let body = '';
	for (const character of value) {
		const escape = maxComputeEscapes[character];
		// eslint-disable-next-line no-control-regex
		body += escape ?? (/[\u0001-\u001f\u007f]/.test(character) ? `\\${character.codePointAt(0)!.toString(8).padStart(3, '0')}` : character);
	}

	return `'${body}'`;
}

export type SchemaColumn = {name: string; type: string};

export type SchemaComparison =
	| {equal: true}
	| {equal: false; differences: string[]; text: string};

/** MaxCompute reports `int`, `decimal(15,2)`; DDL may say `INTEGER`, `DECIMAL(15, 2)`: compare the canonical spelling. */
export function canonicalMaxComputeType(type: string): string {
	const compact = type.trim().toUpperCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1');
	return compact === 'INTEGER' ? 'INT' : compact;
}

export function compareSchemas(existing: readonly SchemaColumn[], wanted: readonly SchemaColumn[]): SchemaComparison {
	const differences: string[] = [];
	const existingByName = new Map(existing.map((column, index) => [column.name.toLowerCase(), {column, index}]));
	const wantedNames = new Set(wanted.map(column => column.name.toLowerCase()));

	wanted.forEach((column, index) => {
		const found = existingByName.get(column.name.toLowerCase());
		if (!found) {
			differences.push(`missing column ${column.name} ${canonicalMaxComputeType(column.type)}`);
			return;
		}

		const wantedType = canonicalMaxComputeType(column.type);
		const existingType = canonicalMaxComputeType(found.column.type);
		if (wantedType !== existingType) {
			differences.push(`column ${column.name} is ${existingType}, expected ${wantedType}`);
		}

		if (found.index !== index) {
			differences.push(`column ${column.name} is at position ${found.index + 1}, expected ${index + 1}`);
		}
	});

	for (const column of existing) {
		if (!wantedNames.has(column.name.toLowerCase())) {
			differences.push(`unexpected column ${column.name} ${canonicalMaxComputeType(column.type)}`);
		}
	}

	if (differences.length === 0) {
		return {equal: true};
	}

	return {equal: false, differences, text: differences.map(line => `- ${line}`).join('\n')};
}
