import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {precisionAndScale, typeNameOfOid} from 'ferry/clouds/redshift/postgres-types';

export type UnloadColumn = {name: string; dataTypeID: number; dataTypeModifier: number};

export type WrittenParquetFile = {path: string; rows: number; bytes: number};

export type ParquetWriteOptions = {
	/** PostgreSQL COPY CSV without a header, one file per slice (one for PARALLEL OFF), rows in slice order. */
	csvFiles: readonly string[];
	columns: UnloadColumn[];
	outputDir: string;
	maxFileBytes: number;
};

/**
 * The DuckDB type that yields the Parquet type Redshift writes for each Redshift type.
 * DuckDB writes SMALLINT as INT32 (INT_16), INTEGER as INT32, BIGINT as INT64, REAL as FLOAT, DOUBLE as DOUBLE,
 * VARCHAR as BYTE_ARRAY (UTF8), DATE as INT32 (DATE), TIMESTAMP as INT64 TIMESTAMP(MICROS, isAdjustedToUTC=false).
 * DECIMAL: DuckDB stores p ≤ 9 as INT32, p ≤ 18 as INT64 and larger as FIXED_LEN_BYTE_ARRAY(16), all with the
 * DECIMAL logical type. Redshift's own physical choice is undocumented; the one public hint found (a Redshift
 * Spectrum error quoted in G-Research/ParquetSharp#252, "Expecting: 8 len" for a NUMERIC(18,9) column) suggests
 * Redshift uses FIXED_LEN_BYTE_ARRAY of the minimal length. Readers that follow the Parquet spec accept both.
 */
export function duckdbTypeOf(column: UnloadColumn): string {
	const typeName = typeNameOfOid(column.dataTypeID);
	switch (typeName) {
		case 'int2': {
			return 'SMALLINT';
		}

		case 'int4': {
			return 'INTEGER';
		}

		case 'int8': {
			return 'BIGINT';
		}

		case 'float4': {
			return 'FLOAT';
		}

		case 'float8': {
			return 'DOUBLE';
		}

		case 'bool': {
			return 'BOOLEAN';
		}

		case 'date': {
			return 'DATE';
		}

		case 'timestamp':
		case 'timestamptz': {
			return 'TIMESTAMP';
		}

		case 'numeric': {
			const {precision, scale} = precisionAndScale('numeric', column.dataTypeModifier);
			// An unconstrained NUMERIC (e.g. a SUM in the query) gets Redshift's widest precision.
			return precision === 0 ? 'DECIMAL(38,18)' : `DECIMAL(${precision},${scale})`;
		}

		default: {
			return 'VARCHAR';
		}
	}
}

function duckdbIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

function duckdbLiteral(value: string): string {
	return `'${value.replaceAll('\'', '\'\'')}'`;
}

function castExpression(column: UnloadColumn, index: number): string {
	const source = `c${index}`;
	const type = duckdbTypeOf(column);
	if (typeNameOfOid(column.dataTypeID) === 'timestamptz') {
		// UNLOAD keeps only the UTC timestamp of a TIMESTAMPTZ and drops the zone.
		return `cast(timezone('UTC', cast(${source} as TIMESTAMPTZ)) as TIMESTAMP) as ${duckdbIdentifier(column.name)}`;
	}

	return type === 'VARCHAR' ? `${source} as ${duckdbIdentifier(column.name)}` : `cast(${source} as ${type}) as ${duckdbIdentifier(column.name)}`;
}

/**
 * Writes Parquet 1.0 files, SNAPPY-compressed row groups, one or more per slice (split at maxFileBytes), the
 * way UNLOAD … FORMAT PARQUET does. Each slice's CSV goes straight to Parquet (DuckDB keeps the rows' order), the
 * slices side by side. Returns the files per slice in order.
 */
export async function writeParquetSlices(options: ParquetWriteOptions): Promise<WrittenParquetFile[][]> {
	return Promise.all(options.csvFiles.map(async (csvFile, slice) => writeSlice(csvFile, path.join(options.outputDir, `slice-${slice}`), options)));
}

/**
 * One DuckDB of one thread per slice: a COPY that splits files by size writes in parallel without keeping the
 * rows' order, and a slice's rows must stay in the order the query gave them. The slices run side by side instead.
 */
async function writeSlice(csvFile: string, sliceDir: string, options: ParquetWriteOptions): Promise<WrittenParquetFile[]> {
	const instance = await DuckDBInstance.create(':memory:', {threads: '1'});
	const connection = await instance.connect();
	try {
		const csvColumns = options.columns.map((_column, index) => `'c${index}': 'VARCHAR'`).join(', ');
		// Unquoted empty fields are NULL in PostgreSQL's CSV and quoted empty fields are empty strings: keep them apart.
		await connection.run(`copy (select ${options.columns.map((column, index) => castExpression(column, index)).join(', ')}
			from read_csv(${duckdbLiteral(csvFile)}, columns = {${csvColumns}}, header = false, delim = ',', quote = '"',
				escape = '"', nullstr = '', allow_quoted_nulls = false, auto_detect = false, strict_mode = true))
			to ${duckdbLiteral(sliceDir)} (format parquet, compression snappy, parquet_version v1, file_size_bytes ${options.maxFileBytes},
			filename_pattern 'part_{i}', overwrite_or_ignore true)`);
		const names = (await readdir(sliceDir).catch(() => [] as string[]))
			.filter(name => name.endsWith('.parquet'))
			.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
		const files: WrittenParquetFile[] = [];
		for (const name of names) {
			const file = path.join(sliceDir, name);
			// The footer holds the row count; nothing else of the file is read.
			const counted = await connection.runAndReadAll(`select sum(num_rows) from parquet_file_metadata(${duckdbLiteral(file)})`);
			files.push({path: file, rows: Number(counted.getRows()[0]?.[0] ?? 0), bytes: (await stat(file)).size});
		}

		return files;
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}
