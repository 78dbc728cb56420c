/**
 * Redshift → MaxCompute 2.0 column type mapping (cloud-apis.md §10.4), kept as one table of data so the plan
 * can print exactly what the code applies. A row is chosen by the catalog type name, optional bounds on the
 * type's length or scale, and optional mapping options; the first matching row wins.
 */
import {PreflightError} from '../../source/kit.js';

/** Per-query MaxCompute settings a mapped table needs (sent in the SQL instance's `settings`). */
export const maxComputeSettings = {
	typeSystem: {key: 'odps.sql.type.system.odps2', value: 'true', why: 'INT, SMALLINT, FLOAT, CHAR, VARCHAR, DATE and TIMESTAMP are 2.0 types; without it INT silently becomes BIGINT'},
	decimal: {key: 'odps.sql.decimal.odps2', value: 'true', why: 'DECIMAL(p,s) with an explicit precision and scale is the Decimal 2.0 type'},
	parquetNative: {key: 'odps.ext.parquet.native', value: 'true', why: 'only the native Parquet reader reads DECIMAL columns'},
	extendedScale: {key: 'odps.sql.decimal2.extended.scale.enable', value: 'true', why: 'DECIMAL scale above 18 needs the extended scale'},
} as const;

export type MaxComputeSettingName = keyof typeof maxComputeSettings;

export type WideDecimalOption = 'extended-scale' | 'string';
export type VarcharOption = 'string' | 'varchar';

/**
 * - `wideDecimal`: NUMERIC with scale > 18. `extended-scale` (default) keeps DECIMAL(p,s) and turns on
 *   `odps.sql.decimal2.extended.scale.enable`, so LOAD reads the Parquet DECIMAL as it is and no digit is lost.
 *   `string` declares STRING instead: every digit survives as text, but LOAD cannot read a Parquet DECIMAL into a
 *   STRING column (type mismatch, §10.2), so that column must be copied through an external table with a CAST.
 * - `varchar`: VARCHAR(n). `string` (default) avoids Redshift's byte lengths vs MaxCompute's character lengths;
 *   `varchar` keeps VARCHAR(n), which always fits because n bytes never hold more than n characters.
 */
export type MappingOptions = {
	wideDecimal: WideDecimalOption;
	varchar: VarcharOption;
};

export const defaultMappingOptions: MappingOptions = {wideDecimal: 'extended-scale', varchar: 'string'};

type Bound = {parameter: 'length' | 'scale'; atMost?: number; above?: number};
type OptionCondition = {[K in keyof MappingOptions]: {name: K; value: MappingOptions[K]}}[keyof MappingOptions];

export type TypeMapping = {
	/** Stable id, shown in plans and used by tests. */
	id: string;
	/** Catalog spellings (lower case, single spaces, without the parenthesised parameters). */
	redshift: readonly string[];
	when?: Bound;
	option?: OptionCondition;
	/** `{precision}`, `{scale}` and `{length}` are filled from the column; null means the column cannot take this path. */
	maxCompute: string | null;
	exact: boolean;
	warning?: string;
	/** What was chosen instead of the natural type, for inexact rows. */
	fallback?: string;
	/** For unsupported rows: what the operator can do instead. */
	hint?: string;
	settings: readonly MaxComputeSettingName[];
};

const decimalSettings = ['typeSystem', 'decimal', 'parquetNative'] as const;
const stringTypes = ['character varying', 'varchar', 'nvarchar', 'text'] as const;
const charTypes = ['character', 'char', 'bpchar', 'nchar'] as const;
const timeTypes = ['time', 'time without time zone', 'time with time zone', 'timetz'] as const;
const unloadOnlyAsText = 'Redshift UNLOAD writes this type only to text/CSV, not to Parquet';
const textPathHint = 'Exclude the column (answer `columns`), or cast it in Redshift (e.g. to VARCHAR) in a view and migrate the view.';

export const typeMappings: readonly TypeMapping[] = [
	{id: 'smallint', redshift: ['smallint', 'int2'], maxCompute: 'SMALLINT', exact: true, settings: ['typeSystem']},
	{id: 'integer', redshift: ['integer', 'int', 'int4'], maxCompute: 'INT', exact: true, settings: ['typeSystem']},
	{id: 'bigint', redshift: ['bigint', 'int8'], maxCompute: 'BIGINT', exact: true, settings: []},
	{
		id: 'numeric',
		redshift: ['numeric', 'decimal'],
		when: {parameter: 'scale', atMost: 18},
		maxCompute: 'DECIMAL({precision},{scale})',
		exact: true,
		settings: decimalSettings,
	},
	{
		id: 'numeric-wide-scale-extended',
		redshift: ['numeric', 'decimal'],
		when: {parameter: 'scale', above: 18},
		option: {name: 'wideDecimal', value: 'extended-scale'},
		maxCompute: 'DECIMAL({precision},{scale})',
		exact: false,
		warning: 'scale {scale} exceeds the default DECIMAL 2.0 maximum of 18; DECIMAL({precision},18) would drop digits',
		fallback: 'DECIMAL({precision},{scale}) with odps.sql.decimal2.extended.scale.enable=true',
		settings: [...decimalSettings, 'extendedScale'],
	},
	{
		id: 'numeric-wide-scale-string',
		redshift: ['numeric', 'decimal'],
		when: {parameter: 'scale', above: 18},
		option: {name: 'wideDecimal', value: 'string'},
		maxCompute: 'STRING',
		exact: false,
		warning: 'scale {scale} exceeds the default DECIMAL 2.0 maximum of 18; kept as text, and LOAD cannot read a Parquet DECIMAL into STRING, so copy it through an external table with a CAST',
		fallback: 'STRING',
		settings: ['typeSystem', 'parquetNative'],
	},
	{id: 'real', redshift: ['real', 'float4'], maxCompute: 'FLOAT', exact: true, settings: ['typeSystem']},
	{id: 'double', redshift: ['double precision', 'float8', 'float'], maxCompute: 'DOUBLE', exact: true, settings: []},
	{id: 'boolean', redshift: ['boolean', 'bool'], maxCompute: 'BOOLEAN', exact: true, settings: []},
	{id: 'char', redshift: charTypes, when: {parameter: 'length', atMost: 255}, maxCompute: 'CHAR({length})', exact: true, settings: ['typeSystem']},
	{
		id: 'char-long',
		redshift: charTypes,
		when: {parameter: 'length', above: 255},
		maxCompute: 'STRING',
		exact: false,
		warning: 'CHAR({length}) is longer than the MaxCompute CHAR maximum of 255; trailing blanks become significant in STRING',
		fallback: 'STRING',
		settings: [],
	},
	{
		id: 'varchar-string',
		redshift: stringTypes,
		option: {name: 'varchar', value: 'string'},
		maxCompute: 'STRING',
		exact: false,
		warning: 'the length limit ({length} bytes in Redshift) is not kept; MaxCompute VARCHAR counts characters, STRING has no limit to mismatch',
		fallback: 'STRING',
		settings: [],
	},
	{id: 'varchar', redshift: stringTypes, option: {name: 'varchar', value: 'varchar'}, maxCompute: 'VARCHAR({length})', exact: true, settings: ['typeSystem']},
	{id: 'date', redshift: ['date'], maxCompute: 'DATE', exact: true, settings: ['typeSystem']},
	{id: 'timestamp', redshift: ['timestamp', 'timestamp without time zone'], maxCompute: 'TIMESTAMP', exact: true, settings: ['typeSystem']},
	{
		id: 'timestamptz',
		redshift: ['timestamp with time zone', 'timestamptz'],
		maxCompute: 'TIMESTAMP',
		exact: false,
		warning: 'UNLOAD drops the time zone: values arrive as UTC timestamps without a zone',
		fallback: 'TIMESTAMP (UTC)',
		settings: ['typeSystem'],
	},
	{
		id: 'time',
		redshift: timeTypes,
		maxCompute: 'STRING',
		exact: false,
		warning: 'MaxCompute has no TIME type; the value is kept as text (check the Parquet footer of one unloaded file first)',
		fallback: 'STRING',
		settings: [],
	},
	{
		id: 'super',
		redshift: ['super'],
		maxCompute: 'STRING',
		exact: false,
		warning: 'SUPER is unloaded as JSON text; the MaxCompute Parquet reader cannot read JSON, so it stays a string',
		fallback: 'STRING (JSON text)',
		settings: [],
	},
	{
		id: 'interval',
		redshift: ['interval', 'interval year to month', 'interval day to second'],
		maxCompute: 'STRING',
		exact: false,
		warning: 'MaxCompute has no INTERVAL column type; the value is kept as text',
		fallback: 'STRING',
		settings: [],
	},
	{id: 'varbyte', redshift: ['varbyte', 'varbinary', 'binary varying'], maxCompute: null, exact: false, warning: unloadOnlyAsText, hint: textPathHint, settings: []},
	{id: 'geometry', redshift: ['geometry'], maxCompute: null, exact: false, warning: unloadOnlyAsText, hint: textPathHint, settings: []},
	{id: 'geography', redshift: ['geography'], maxCompute: null, exact: false, warning: unloadOnlyAsText, hint: textPathHint, settings: []},
	{id: 'hllsketch', redshift: ['hllsketch'], maxCompute: null, exact: false, warning: unloadOnlyAsText, hint: textPathHint, settings: []},
];

export type RedshiftColumn = {
	name: string;
	/** As the catalog reports it: `numeric(15,2)`, `character varying(25)`, `integer`, … */
	type: string;
	precision?: number;
	scale?: number;
	length?: number;
	nullable: boolean;
};

export type MappedColumn = {
	name: string;
	redshiftType: string;
	maxComputeType: string;
	exact: boolean;
	nullable: boolean;
	mappingId: string;
	warning?: string;
	fallback?: string;
	settings: readonly MaxComputeSettingName[];
};

export type MappedTable = {
	columns: MappedColumn[];
	/** Union of every column's settings, as the `settings` object of a MaxCompute SQL instance. */
	settings: Record<string, string>;
	warnings: string[];
};

/** Redshift defaults when the catalog leaves a parameter out: NUMERIC is (18,0), CHAR is 1, VARCHAR and TEXT are 256. */
const redshiftDefaults = {precision: 18, scale: 0, charLength: 1, varcharLength: 256, maxLength: 65_535} as const;

type ParsedType = {base: string; precision?: number; scale?: number; length?: number};

function parseType(type: string): ParsedType {
	const compact = type.trim().toLowerCase().replace(/\s+/g, ' ');
	const match = /^([a-z0-9_ ]+?)\s*(?:\(\s*([^)]*)\))?\s*((?:with|without) time zone)?$/.exec(compact);
	if (!match) {
		return {base: compact};
	}

	const base = [match[1]!, match[3]].filter(Boolean).join(' ');
	const parameters = match[2] === undefined ? [] : match[2].split(',').map(part => part.trim());
	if (parameters.length === 0) {
		return {base};
	}

	const first = parameters[0] === 'max' ? redshiftDefaults.maxLength : Number(parameters[0]);
	const second = parameters[1] === undefined ? undefined : Number(parameters[1]);
	if (base === 'numeric' || base === 'decimal') {
		return {base, precision: first, scale: second ?? 0};
	}

	return {base, length: first};
}

function defaultLength(base: string): number {
	return (charTypes as readonly string[]).includes(base) ? redshiftDefaults.charLength : redshiftDefaults.varcharLength;
}

function fill(template: string, values: {precision: number; scale: number; length: number}): string {
	return template
		.replaceAll('{precision}', String(values.precision))
		.replaceAll('{scale}', String(values.scale))
		.replaceAll('{length}', String(values.length));
}

function rowMatches(row: TypeMapping, base: string, values: {scale: number; length: number}, options: MappingOptions): boolean {
	if (!row.redshift.includes(base)) {
		return false;
	}

	if (row.option && options[row.option.name] !== row.option.value) {
		return false;
	}

	if (row.when) {
		const value = values[row.when.parameter];
		if (row.when.atMost !== undefined && value > row.when.atMost) {
			return false;
		}

		if (row.when.above !== undefined && value <= row.when.above) {
			return false;
		}
	}

	return true;
}

function describeRedshiftType(base: string, values: {precision: number; scale: number; length: number}, parsed: ParsedType, column: RedshiftColumn): string {
	if (base === 'numeric' || base === 'decimal') {
		return `${base}(${values.precision},${values.scale})`;
	}

	const textual = (charTypes as readonly string[]).includes(base) || (stringTypes as readonly string[]).includes(base);
	const hasLength = parsed.length !== undefined || column.length !== undefined;
	return textual && hasLength ? `${base}(${values.length})` : column.type.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function findTypeMapping(column: RedshiftColumn, options: Partial<MappingOptions> = {}): {row: TypeMapping | undefined; redshiftType: string; values: {precision: number; scale: number; length: number}} {
	const settled = {...defaultMappingOptions, ...options};
	const parsed = parseType(column.type);
	const values = {
		precision: column.precision ?? parsed.precision ?? redshiftDefaults.precision,
		scale: column.scale ?? parsed.scale ?? redshiftDefaults.scale,
		length: column.length ?? parsed.length ?? defaultLength(parsed.base),
	};
	const row = typeMappings.find(candidate => rowMatches(candidate, parsed.base, values, settled));
	return {row, redshiftType: describeRedshiftType(parsed.base, values, parsed, column), values};
}

/** Maps one column; a column that cannot take the Parquet path throws a PreflightError with a hint. */
export function mapColumn(column: RedshiftColumn, options: Partial<MappingOptions> = {}): MappedColumn {
	const {row, redshiftType, values} = findTypeMapping(column, options);
	if (!row) {
		throw new PreflightError(`Column ${column.name} has the Redshift type ${column.type}, which ferry cannot map to MaxCompute`, {
			hint: 'Cast the column to a supported type in a Redshift view, or leave it out of the migration.',
			code: 'UnsupportedColumnType',
		});
	}

	if (row.maxCompute === null) {
		throw new PreflightError(`Column ${column.name} (${redshiftType}) cannot be migrated through Parquet: ${row.warning ?? 'unsupported'}`, {
			hint: row.hint,
			code: 'UnsupportedColumnType',
		});
	}

	const mapped: MappedColumn = {
		name: column.name,
		redshiftType,
		maxComputeType: fill(row.maxCompute, values),
		exact: row.exact,
		nullable: column.nullable,
		mappingId: row.id,
		settings: row.settings,
	};
	if (row.warning !== undefined) {
		mapped.warning = fill(row.warning, values);
	}

	if (row.fallback !== undefined) {
		mapped.fallback = fill(row.fallback, values);
	}

	return mapped;
}

/** Maps every column; all unmappable columns are reported together in one PreflightError. */
export function mapTable(table: {schema?: string; name: string; columns: readonly RedshiftColumn[]}, options: Partial<MappingOptions> = {}): MappedTable {
	const columns: MappedColumn[] = [];
	const problems: PreflightError[] = [];
	for (const column of table.columns) {
		try {
			columns.push(mapColumn(column, options));
		} catch (error) {
			if (!(error instanceof PreflightError)) {
				throw error;
			}

			problems.push(error);
		}
	}

	const qualified = table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
	if (problems.length > 0) {
		const hints = [...new Set(problems.map(problem => problem.hint).filter(Boolean))];
		throw new PreflightError(`Table ${qualified}: ${problems.map(problem => problem.message).join('; ')}`, {
			hint: hints.join(' '),
			code: 'UnsupportedColumnType',
		});
	}

	const settings: Record<string, string> = {[maxComputeSettings.typeSystem.key]: maxComputeSettings.typeSystem.value};
	for (const column of columns) {
		for (const name of column.settings) {
			settings[maxComputeSettings[name].key] = maxComputeSettings[name].value;
		}
	}

	const warnings = columns
		.filter(column => column.warning !== undefined)
		.map(column => `${qualified}.${column.name} ${column.redshiftType} → ${column.maxComputeType}: ${column.warning}`);
	return {columns, settings, warnings};
}
