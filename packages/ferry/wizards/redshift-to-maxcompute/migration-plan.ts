import {maxComputeColumnName, maxComputeTableName} from '../../source/clouds/maxcompute/names.js';
import {PreflightError, type ColumnDescription, type ReviewDocument, type ReviewTable} from '../../source/kit.js';
import type {AnswersFor, UnloadSecret} from './procedure.js';
import {createTableStatement, loadStatement, maxFileSizeForLoad, ossInternalEndpoint, unloadStatement, type UnloadAuthorization} from './sql.js';
import {mapTable, type MappedColumn} from './type-mapping.js';

/** Everything the later steps run, decided once at the review and saved, so a resumed run does exactly the same. */
export type TablePlan = {
	table: string;
	schema: string;
	columns: MappedColumn[];
	warnings: string[];
	/** Per-query flags MaxCompute needs for this table (odps2 types, native Parquet reader…). */
	settings: Record<string, string>;
	s3Prefix: string;
	ossPrefix: string;
	/** The UNLOAD as shown and stored: key material redacted. The statement that runs is rebuilt from the secrets. */
	unloadDisplay: string;
	createTable: string;
	load: string;
};

export type MigrationPlan = {tables: TablePlan[]; maxFileSizeMb: number; ossEndpointHost: string};

const baseSettings = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};

export function joinPrefix(prefix: string, ...segments: string[]): string {
	const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
	return `${base}${segments.join('/')}`;
}

/** A folder name that is safe in S3 and OSS keys for any table name. */
export function tableFolder(table: string): string {
	return table.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
}

type UnloadAnswers = AnswersFor<'s3Bucket' | 'unloadAuth' | 'unloadAccessKeyId' | 'unloadRoleArn'>;

export function unloadAuthorization(answers: UnloadAnswers, secret: (key: UnloadSecret) => string | undefined, display: boolean): UnloadAuthorization {
	if (answers.unloadAuth === 'keys') {
		const token = secret('unloadSessionToken');
		return {
			kind: 'keys',
			accessKeyId: answers.unloadAccessKeyId ?? '',
			secretAccessKey: display ? 'redacted' : secret('unloadSecretAccessKey') ?? '',
			...(token ? {sessionToken: display ? 'redacted' : token} : {}),
		};
	}

	return {kind: 'role', roleArn: answers.unloadRoleArn ?? ''};
}

export function unloadFor(plan: Pick<TablePlan, 'schema' | 'table' | 's3Prefix'>, answers: UnloadAnswers, maxFileSizeMb: number, secret: (key: UnloadSecret) => string | undefined) {
	const folder = tableFolder(plan.table);
	return unloadStatement({
		schema: plan.schema,
		table: plan.table,
		s3Uri: `s3://${answers.s3Bucket}/${plan.s3Prefix}${folder}_`,
		auth: unloadAuthorization(answers, secret, false),
		maxFileSizeMb,
		cleanPath: true,
	});
}

/** `secret` only tells which secret answers exist (an optional session token shows in the UNLOAD); values are never kept. */
export function planTable(schema: string, table: string, catalog: ColumnDescription[], answers: UnloadAnswers & AnswersFor<'s3Prefix' | 'ossPrefix' | 'ossRegion' | 'ossBucket' | 'loadRoleArn'>, maxFileSizeMb: number, secret: (key: UnloadSecret) => string | undefined = () => undefined): TablePlan {
	const mapped = mapTable({schema, name: table, columns: catalog.map(column => ({name: column.name, type: column.type, nullable: column.nullable, ...(column.precision === undefined || column.precision === null ? {} : {precision: column.precision}), ...(column.scale === undefined || column.scale === null ? {} : {scale: column.scale}), ...(column.length === undefined || column.length === null ? {} : {length: column.length})}))});
	checkMaxComputeNames(table, catalog);
	const folder = tableFolder(table);
	const s3Prefix = joinPrefix(answers.s3Prefix ?? '', folder, '');
	const ossPrefix = joinPrefix(answers.ossPrefix ?? '', folder, '');
	const ossEndpointHost = ossInternalEndpoint(answers.ossRegion);
	const unload = unloadFor({schema, table, s3Prefix}, answers, maxFileSizeMb, key => (secret(key) === undefined ? undefined : 'redacted'));
	return {
		table,
		schema,
		columns: mapped.columns,
		warnings: mapped.warnings,
		settings: {...baseSettings, ...mapped.settings},
		s3Prefix,
		ossPrefix,
		unloadDisplay: answers.unloadAuth === 'keys' ? unload.display : unload.statement,
		createTable: createTableStatement({table, columns: mapped.columns}),
		load: loadStatement({table, ossLocation: {endpointHost: ossEndpointHost, bucket: answers.ossBucket, prefix: ossPrefix}, roleArn: answers.loadRoleArn, overwrite: true}),
	};
}

/** LOAD creates the table and its columns under their Redshift names: names MaxCompute cannot take stop here. */
function checkMaxComputeNames(table: string, columns: readonly {name: string}[]): void {
	const problems = [maxComputeTableName(table), ...columns.map(column => {
		const problem = maxComputeColumnName(column.name);
		return problem && `column ${column.name}: ${problem}`;
	})].filter(Boolean);
	if (problems.length > 0) {
		throw new PreflightError(`Table ${table} cannot be created in MaxCompute under its Redshift names: ${problems.join('; ')}`, {hint: 'Leave the table out (--set tables=…), or rename it or its columns in Redshift; nothing has been created.'});
	}
}

export function defaultMaxFileSizeMb(): number {
	return maxFileSizeForLoad();
}

/** One table per Redshift table: each column with its Redshift and MaxCompute types; an inexact mapping carries its reason. */
export function typeMappingTables(plan: Pick<MigrationPlan, 'tables'>): ReviewTable[] {
	return plan.tables.map(table => ({
		title: `${table.table} (${table.columns.length} columns)`,
		columns: ['Column', 'Redshift type', 'MaxCompute type'],
		rows: table.columns.map(column => ({
			cells: [column.name, column.redshiftType, column.maxComputeType],
			...(column.exact && column.warning === undefined ? {} : {note: column.warning ?? 'not an exact mapping'}),
		})),
	}));
}

export function planReview(plan: MigrationPlan, answers: AnswersFor<'sourceSchema' | 'maxcomputeProject' | 's3Bucket' | 's3Prefix' | 'ossBucket' | 'ossPrefix' | 'transferMethod'>): ReviewDocument {
	const columns = plan.tables.flatMap(table => table.columns);
	const inexact = columns.filter(column => !column.exact).length;
	return {
		title: `Plan: ${plan.tables.length} tables from Redshift ${answers.sourceSchema} to MaxCompute ${answers.maxcomputeProject}`,
		sections: [
			{
				title: 'Type mapping',
				body: `${columns.length} columns in ${plan.tables.length} tables${inexact > 0 ? `; ${inexact} mapped inexactly, each marked with its reason` : ', every one mapped exactly'}.`,
				tables: typeMappingTables(plan),
			},
			{title: `1. UNLOAD to s3://${answers.s3Bucket}/${answers.s3Prefix} (Parquet, MAXFILESIZE ${plan.maxFileSizeMb} MB for LOAD's per-file limit)`, code: plan.tables.map(table => `${table.unloadDisplay};`).join('\n'), language: 'sql'},
			{title: `2. Copy S3 → oss://${answers.ossBucket}/${answers.ossPrefix} (${answers.transferMethod === 'stream' ? 'ferry streamed copy' : 'Data Online Migration'}), then check count, bytes and checksums`},
			{title: '3. Create tables in MaxCompute (an existing table with the same schema is kept)', code: plan.tables.map(table => `${table.createTable};`).join('\n\n'), language: 'sql'},
			{title: `4. LOAD OVERWRITE from ${plan.ossEndpointHost} (settings: ${Object.entries(plan.tables[0]?.settings ?? baseSettings).map(([key, value]) => `${key}=${value}`).join(', ')})`, code: plan.tables.map(table => `${table.load};`).join('\n\n'), language: 'sql'},
			{title: '5. Verify: number of tables, rows per table and TPC-H Q1 on both sides, side by side'},
		],
	};
}
