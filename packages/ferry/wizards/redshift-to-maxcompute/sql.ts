/**
 * SQL text for the redshift-to-maxcompute procedure: UNLOAD on Redshift, CREATE TABLE and LOAD on MaxCompute,
 * and the verification queries. Every identifier and literal goes through the quoting functions below, so a
 * quote, backtick, space or non-ASCII character in a name cannot change the statement.
 * Statements carry no trailing semicolon; the client that submits them adds what its protocol needs.
 */
import {registerSecret, UsageError} from '../../source/kit.js';
import {quoteMaxComputeIdentifier, quoteMaxComputeString, rejectControlCharacters, rejectEmpty} from '../../source/clouds/maxcompute/ddl.js';
import {quoteLiteral} from '../../source/clouds/redshift/sql-text.js';
import type {MappedColumn} from './type-mapping.js';

export type Dialect = 'redshift' | 'maxcompute';

export function quoteRedshiftIdentifier(name: string): string {
	rejectEmpty(name, 'Redshift identifier');
	rejectControlCharacters(name, 'Redshift identifier');
	return `"${name.replaceAll('"', '""')}"`;
}

/** Redshift string literals: the one quoting function of the dialect (source/clouds/redshift/sql-text.ts). */
export const quoteRedshiftString = quoteLiteral;

function redshiftTableName(schema: string | undefined, table: string): string {
	return schema === undefined ? quoteRedshiftIdentifier(table) : `${quoteRedshiftIdentifier(schema)}.${quoteRedshiftIdentifier(table)}`;
}

function maxComputeTableName(schema: string | undefined, table: string): string {
	return schema === undefined ? quoteMaxComputeIdentifier(table) : `${quoteMaxComputeIdentifier(schema)}.${quoteMaxComputeIdentifier(table)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// UNLOAD

/** The smallest documented per-file limit of MaxCompute LOAD (Parquet external tables doc, 2026: 2 GB; LOAD doc: 3 GB). */
export const loadFileLimitMb = 2048;
const parquetRowGroupMb = 32;
const unloadMaxFileSizeMb = {min: 5, max: 6348} as const;

/**
 * MAXFILESIZE for UNLOAD so that every Parquet file stays readable by LOAD: half the per-file limit, because
 * UNLOAD's size is a target, not a ceiling, rounded down to the 32 MB row-group multiple Redshift would use anyway.
 */
export function maxFileSizeForLoad(limitMb: number = loadFileLimitMb): number {
	if (!Number.isFinite(limitMb) || limitMb <= 0) {
		throw new UsageError(`The LOAD file-size limit must be a positive number of MB, got ${limitMb}`);
	}

	const half = Math.floor(limitMb / 2);
	const rounded = Math.floor(half / parquetRowGroupMb) * parquetRowGroupMb;
	return Math.min(unloadMaxFileSizeMb.max, Math.max(parquetRowGroupMb, rounded));
}

export type UnloadAuthorization =
	| {kind: 'role'; roleArn: string}
	| {kind: 'keys'; accessKeyId: string; secretAccessKey: string; sessionToken?: string};

export type UnloadRequest = {
	schema?: string;
	table: string;
	/** Columns in catalog order; all columns (`*`) when omitted. */
	columns?: readonly string[];
	/** `s3://bucket/prefix/table/table_`: UNLOAD appends slice and part numbers to the last segment. */
	s3Uri: string;
	auth: UnloadAuthorization;
	maxFileSizeMb?: number;
	cleanPath: boolean;
};

/** `statement` is what runs; `display` is safe to show, log and store (no key material). */
export type UnloadStatement = {statement: string; display: string};

const redactedLiteral = '\'[redacted]\'';

function validateS3Uri(uri: string): void {
	const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
	if (!match) {
		throw new UsageError(`The UNLOAD target ${JSON.stringify(uri)} is not of the form s3://bucket/prefix/name_`);
	}

	const lastSegment = match[2]!.split('/').at(-1) ?? '';
	if (lastSegment === '' || lastSegment.startsWith('_') || lastSegment.startsWith('.')) {
		throw new UsageError(`The UNLOAD target ${JSON.stringify(uri)} must end with a file name prefix that does not start with "_" or "."`, {
			hint: 'Readers treat files starting with "_" or "." as hidden; use s3://bucket/prefix/<table>/<table>_.',
		});
	}
}

function validateMaxFileSize(sizeMb: number): void {
	if (!Number.isInteger(sizeMb) || sizeMb < unloadMaxFileSizeMb.min || sizeMb > unloadMaxFileSizeMb.max) {
		throw new UsageError(`MAXFILESIZE must be a whole number of MB between ${unloadMaxFileSizeMb.min} and ${unloadMaxFileSizeMb.max}, got ${sizeMb}`);
	}
}

export function unloadStatement(request: UnloadRequest): UnloadStatement {
	validateS3Uri(request.s3Uri);
	const maxFileSizeMb = request.maxFileSizeMb ?? maxFileSizeForLoad();
	validateMaxFileSize(maxFileSizeMb);
	if (request.columns?.length === 0) {
		throw new UsageError(`UNLOAD of ${request.table} was given an empty column list`);
	}

	const projection = request.columns === undefined ? '*' : request.columns.map(quoteRedshiftIdentifier).join(', ');
	const query = `SELECT ${projection} FROM ${redshiftTableName(request.schema, request.table)}`;
	const head = `UNLOAD (${quoteRedshiftString(query)}) TO ${quoteRedshiftString(request.s3Uri)}`;
	const tail = `FORMAT AS PARQUET MAXFILESIZE ${maxFileSizeMb} MB${request.cleanPath ? ' CLEANPATH' : ''}`;

	if (request.auth.kind === 'role') {
		const statement = `${head} IAM_ROLE ${quoteRedshiftString(request.auth.roleArn)} ${tail}`;
		return {statement, display: statement};
	}

	const {accessKeyId, secretAccessKey, sessionToken} = request.auth;
	registerSecret(secretAccessKey);
	registerSecret(sessionToken);
	const keys = [`ACCESS_KEY_ID ${quoteRedshiftString(accessKeyId)}`, `SECRET_ACCESS_KEY ${quoteRedshiftString(secretAccessKey)}`];
	const shownKeys = [`ACCESS_KEY_ID ${redactedLiteral}`, `SECRET_ACCESS_KEY ${redactedLiteral}`];
	if (sessionToken !== undefined) {
		keys.push(`SESSION_TOKEN ${quoteRedshiftString(sessionToken)}`);
		shownKeys.push(`SESSION_TOKEN ${redactedLiteral}`);
	}

	return {
		statement: `${head} ${keys.join(' ')} ${tail}`,
		display: `${head} ${shownKeys.join(' ')} ${tail}`,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// MaxCompute DDL and LOAD

/** NOT NULL is left out on purpose: LOAD would fail the whole table on one bad row instead of letting verification show it. */
export type CreateTableRequest = {
	schema?: string;
	table: string;
	columns: readonly MappedColumn[];
	ifNotExists?: boolean;
};

export function createTableStatement(request: CreateTableRequest): string {
	if (request.columns.length === 0) {
		throw new UsageError(`Table ${request.table} has no columns to create`);
	}

	const columns = request.columns.map(column => {
		const comment = column.exact ? '' : ` COMMENT ${quoteMaxComputeString(`Redshift ${column.redshiftType}`)}`;
		return `\t${quoteMaxComputeIdentifier(column.name)} ${column.maxComputeType}${comment}`;
	});
	const ifNotExists = request.ifNotExists ? 'IF NOT EXISTS ' : '';
	return `CREATE TABLE ${ifNotExists}${maxComputeTableName(request.schema, request.table)} (\n${columns.join(',\n')}\n)`;
}

export type OssLocation = {endpointHost: string; bucket: string; prefix: string};

export type LoadRequest = {
	schema?: string;
	table: string;
	ossLocation: OssLocation;
	roleArn: string;
	/** OVERWRITE truncates first, so a rerun does not duplicate rows; INTO appends. */
	overwrite: boolean;
};

export const parquetSerde = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

export function ossLocationUri(location: OssLocation): string {
	if (!/^[a-z0-9.-]+(:\d+)?$/i.test(location.endpointHost)) {
		throw new UsageError(`The OSS endpoint ${JSON.stringify(location.endpointHost)} must be a host name without scheme or path`, {
			hint: 'For example oss-ap-southeast-1-internal.aliyuncs.com.',
		});
	}

	if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(location.bucket)) {
		throw new UsageError(`The OSS bucket name ${JSON.stringify(location.bucket)} is not valid`, {
			hint: 'Bucket names have 3–63 lower-case letters, digits and hyphens, and start and end with a letter or digit.',
		});
	}

	const prefix = location.prefix.replace(/^\/+/, '').replace(/\/+$/, '');
	return prefix === '' ? `oss://${location.endpointHost}/${location.bucket}/` : `oss://${location.endpointHost}/${location.bucket}/${prefix}/`;
}

export function loadStatement(request: LoadRequest): string {
	const mode = request.overwrite ? 'OVERWRITE' : 'INTO';
	return [
		`LOAD ${mode} TABLE ${maxComputeTableName(request.schema, request.table)}`,
		`FROM LOCATION ${quoteMaxComputeString(ossLocationUri(request.ossLocation))}`,
		`ROW FORMAT SERDE ${quoteMaxComputeString(parquetSerde)}`,
		`WITH SERDEPROPERTIES (${quoteMaxComputeString('odps.properties.rolearn')}=${quoteMaxComputeString(request.roleArn)})`,
		'STORED AS PARQUET',
	].join('\n');
}

/** The internal OSS endpoint of a region, which LOAD must use (same region as the project). */
export function ossInternalEndpoint(region: string): string {
	const bare = region.trim().toLowerCase().replace(/^oss-/, '');
	if (!/^[a-z]{2}(-[a-z0-9]+)+$/.test(bare)) {
		throw new UsageError(`${JSON.stringify(region)} is not an Alibaba Cloud region id`, {hint: 'For example ap-southeast-1 or cn-hangzhou.'});
	}

	return `oss-${bare}-internal.aliyuncs.com`;
}

// ---------------------------------------------------------------------------------------------------------------
// Verification queries

export function countQuery(dialect: Dialect, schema: string | undefined, table: string): string {
	const name = dialect === 'redshift' ? redshiftTableName(schema, table) : maxComputeTableName(schema, table);
	return `SELECT COUNT(*) AS row_count FROM ${name}`;
}

/** TPC-H Q1's cutoff, `DATE '1998-12-01' - INTERVAL '90' DAY`, computed once so both engines read the same literal. */
export const tpchQ1Cutoff = '1998-09-02';

/**
 * The procedure's Q1 with the standard cutoff. On MaxCompute l_shipdate may be DATE (mapped from Redshift) or
 * TIMESTAMP (the procedure's own DDL), so it is cast to DATE before the comparison; MaxCompute also refuses
 * ORDER BY without LIMIT.
 */
export function tpchQ1(dialect: Dialect, table = 'lineitem', schema?: string): string {
	const name = dialect === 'redshift' ? redshiftTableName(schema, table) : maxComputeTableName(schema, table);
	const shipDate = dialect === 'redshift' ? 'l_shipdate' : 'CAST(l_shipdate AS DATE)';
	const limit = dialect === 'maxcompute' ? '\nLIMIT 100' : '';
	return [
		'SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS sum_qty,',
		'SUM(l_extendedprice) AS sum_base_price, SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price,',
		'SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, AVG(l_quantity) AS avg_qty,',
		'AVG(l_extendedprice) AS avg_price, AVG(l_discount) AS avg_disc, COUNT(*) AS count_order',
		`FROM ${name}`,
		`WHERE ${shipDate} <= DATE '${tpchQ1Cutoff}'`,
		'GROUP BY l_returnflag, l_linestatus',
		`ORDER BY l_returnflag, l_linestatus${limit}`,
	].join('\n');
}
