import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {PGlite} from '@electric-sql/pglite';
import {precisionAndScale, typeNameOfOid} from 'ferry/clouds/redshift/postgres-types';
import type {AwsKeys} from '../contract.js';
import {writeParquetSlices, type UnloadColumn} from './parquet-files.js';
import {copyOutToSlices} from './copy-out.js';
import {runSql} from './sql-runner.js';
import type {UnloadCommand} from './unload-command.js';

/** What UNLOAD needs from S3; the stand-in backs it with ferry's S3 client pointed at the S3 stand-in. */
export type UnloadObjectStore = {
	listKeys(bucket: string, prefix: string): Promise<string[]>;
	putFile(bucket: string, key: string, file: string): Promise<void>;
	putText(bucket: string, key: string, text: string): Promise<void>;
	deleteKeys(bucket: string, keys: string[]): Promise<void>;
};

export type UnloadEnvironment = {
	db: PGlite;
	/**
	 * The credentials Redshift gets for `IAM_ROLE 'arn…'` (or `default`) when UNLOAD runs, or an UnloadError with
	 * Redshift's own text when the cluster may not use the role (role-credentials.ts).
	 */
	roleCredentials(roleArn: string): AwsKeys;
	openObjectStore(credentials: AwsKeys): UnloadObjectStore;
	/** Redshift writes one file per slice or more; the stand-in has this many slices. */
	slices: number;
};

export class UnloadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnloadError';
	}
}

type S3Failure = Error & {$metadata?: {httpStatusCode?: number; requestId?: string; extendedRequestId?: string}; Code?: string};

/**
 * An S3 error as Redshift reports it: "S3ServiceException:<S3's message>,Status 403,Error AccessDenied,Rid …,ExtRid
 * …,CanRetry 1" (the form quoted from Redshift in aws-samples/aws-redshift-spectrum-poc#3 and
 * embulk/embulk-output-jdbc#85; with S3's newer messages it reads "S3ServiceException:User: arn:aws:sts::…:
 * assumed-role/ROLE/RedshiftIamRoleSession is not authorized to perform: s3:PutObject on resource: …", as in
 * dbt-labs/redshift#62). `error` is what ferry's S3 client threw; the SDK's error is its cause.
 */
export function s3ServiceException(error: unknown): UnloadError {
	if (error instanceof UnloadError) {
		return error;
	}

	const sdk = ((error as {cause?: unknown})?.cause ?? error) as S3Failure;
	const status = sdk.$metadata?.httpStatusCode;
	if (status === undefined) {
		return new UnloadError(`S3ServiceException:${error instanceof Error ? error.message : String(error)}`);
	}

	const code = sdk.Code ?? sdk.name;
	const rid = sdk.$metadata?.requestId ?? '';
	const extRid = sdk.$metadata?.extendedRequestId ?? '';
	return new UnloadError(`S3ServiceException:${sdk.message},Status ${status},Error ${code},Rid ${rid},ExtRid ${extRid},CanRetry 1`);
}

/** Redshift's names for the manifest's "schema" element. */
function manifestType(column: UnloadColumn): Record<string, unknown> {
	const typeName = typeNameOfOid(column.dataTypeID);
	const {precision, scale} = precisionAndScale(typeName, column.dataTypeModifier);
	const names: Record<string, string> = {
		int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean',
		date: 'date', timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone', bpchar: 'character', varchar: 'character varying',
	};
	if (typeName === 'numeric') {
		return {base: 'numeric', precision: precision || 38, scale: precision ? scale : 18};
	}

	if (typeName === 'varchar' || typeName === 'bpchar') {
		return {base: names[typeName], max_length: precision || 256};
	}

	return {base: names[typeName] ?? 'character varying'};
}

const identifier = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const plainSelect = new RegExp(String.raw`^\s*select\s+(\*|${identifier}(?:\s*,\s*${identifier})*)\s+from\s+(${identifier}(?:\s*\.\s*${identifier})?)\s*;?\s*$`, 'i');

function sqlLiteral(text: string): string {
	return `'${text.replaceAll('\'', '\'\'')}'`;
}

/**
 * The COPY that produces the query's rows. A plain `SELECT columns FROM table` (what ferry's UNLOADs are) copies the
 * table itself, which skips the executor and runs about a fifth faster in PGlite; anything else copies the query.
 */
export async function copyStatement(db: PGlite, query: string): Promise<string> {
	const match = plainSelect.exec(query);
	if (match) {
		const [, columns = '*', table = ''] = match;
		const kind = await runSql(db, `select relkind from pg_catalog.pg_class where oid = pg_catalog.to_regclass(${sqlLiteral(table)})`);
		// Only an ordinary table: COPY cannot read a view or a partitioned table by name.
		if (kind.rows[0]?.[0] === 'r') {
			return `copy ${table}${columns === '*' ? '' : ` (${columns})`} to stdout with (format csv)`;
		}
	}

	return `copy (${query}) to stdout with (format csv)`;
}

/** Runs UNLOAD … FORMAT PARQUET: the inner query on PGlite, Parquet through DuckDB, files to S3. Returns rows unloaded. */
export async function runUnload(command: UnloadCommand, environment: UnloadEnvironment): Promise<number> {
	if (command.format !== 'parquet') {
		throw new UnloadError(`The local Redshift stand-in unloads FORMAT PARQUET only, not ${command.format.toUpperCase()}`);
	}

	// The role is checked when UNLOAD runs, as Redshift does: a role detached since the plan was made fails here.
	const credentials: AwsKeys = command.authorization.kind === 'role'
		? environment.roleCredentials(command.authorization.roleArn)
		: {accessKeyId: command.authorization.accessKeyId, secretAccessKey: command.authorization.secretAccessKey, sessionToken: command.authorization.sessionToken};

	const store = environment.openObjectStore(credentials);
	const s3 = async <T>(operation: () => Promise<T>): Promise<T> => {
		try {
			return await operation();
		} catch (error) {
			throw s3ServiceException(error);
		}
	};

	const existing = await s3(async () => store.listKeys(command.bucket, command.prefix));
	if (existing.length > 0) {
		if (command.cleanPath) {
			await s3(async () => store.deleteKeys(command.bucket, existing));
		} else if (!command.allowOverwrite) {
			throw new UnloadError('Specified unload destination on S3 is not empty. Consider using a different bucket / prefix, manually removing the target files in S3, or using the ALLOWOVERWRITE option.');
		}
	}

	const workDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-unload-'));
	try {
		const described = await runSql(environment.db, `select * from (${command.query}) as unload_query limit 0`);
		const columns: UnloadColumn[] = described.fields.map(field => ({name: field.name, dataTypeID: field.dataTypeID, dataTypeModifier: field.dataTypeModifier}));
		const sliceCount = command.parallel ? environment.slices : 1;
		const csvFiles = Array.from({length: sliceCount}, (_, slice) => path.join(workDir, `slice-${slice}.csv`));
		const copySql = await copyStatement(environment.db, command.query);
		await copyOutToSlices(environment.db, copySql, csvFiles);
		const slices = await writeParquetSlices({csvFiles, columns, outputDir: workDir, maxFileBytes: command.maxFileSizeBytes});

		const entries: Array<{url: string; meta: {content_length: number; record_count: number}}> = [];
		let total = 0;
		for (const [slice, files] of slices.entries()) {
			for (const [part, file] of files.entries()) {
				// PARALLEL ON: <prefix><slice>_part_<nn>; PARALLEL OFF: <prefix><nnn>.
				const name = command.parallel
					? `${command.prefix}${String(slice).padStart(4, '0')}_part_${String(part).padStart(2, '0')}.parquet`
					: `${command.prefix}${String(part).padStart(3, '0')}.parquet`;
				await s3(async () => store.putFile(command.bucket, name, file.path));
				entries.push({url: `s3://${command.bucket}/${name}`, meta: {content_length: file.bytes, record_count: file.rows}});
				total += file.rows;
			}
		}

		if (command.manifest !== 'none') {
			const manifest = command.manifest === 'verbose'
				? {
					entries,
					schema: {elements: columns.map(column => ({name: column.name, type: manifestType(column)}))},
					meta: {content_length: entries.reduce((sum, entry) => sum + entry.meta.content_length, 0), record_count: total},
				}
				: {entries: entries.map(entry => ({url: entry.url}))};
			await s3(async () => store.putText(command.bucket, `${command.prefix}manifest`, `${JSON.stringify(manifest, null, '\t')}\n`));
		}

		return total;
	} finally {
		await rm(workDir, {recursive: true, force: true});
	}
}
