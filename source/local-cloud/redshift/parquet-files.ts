import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {precisionAndScale, typeNameOfOid} from '../../clouds/redshift/postgres-types.js';

export type UnloadColumn = {name: string; dataTypeID: number; dataTypeModifier: number};

export type WrittenParquetFile = {path: string; rows: number; bytes: number};

export type ParquetWriteOptions = {
	/** PostgreSQL COPY CSV of the rows, without a header. */
	csvFile: string;
	columns: UnloadColumn[];
	outputDir: string;
	/** Rows go round-robin to this many slices, like Redshift's EVEN distribution; 1 for PARALLEL OFF. */
	slices: number;
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
 * way UNLOAD … FORMAT PARQUET does. Returns the files per slice in order.
 */
export async function writeParquetSlices(options: ParquetWriteOptions): Promise<WrittenParquetFile[][]> {
	const instance = await DuckDBInstance.create(':memory:', {threads: '4'});
	const connection = await instance.connect();
	try {
		const csvColumns = options.columns.map((_column, index) => `'c${index}': 'VARCHAR'`).join(', ');
		// Unquoted empty fields are NULL in PostgreSQL's CSV and quoted empty fields are empty strings: keep them apart.
		await connection.run(`create table unload_rows as
			select row_number() over () - 1 as ferry_row_number, ${options.columns.map((column, index) => castExpression(column, index)).join(', ')}
			from read_csv(${duckdbLiteral(options.csvFile)}, columns = {${csvColumns}}, header = false, delim = ',', quote = '"',
				escape = '"', nullstr = '', allow_quoted_nulls = false, auto_detect = false, strict_mode = true)`);
		const columnList = options.columns.map(column => duckdbIdentifier(column.name)).join(', ');
		const slices: WrittenParquetFile[][] = [];
		for (let slice = 0; slice < options.slices; slice++) {
			const sliceDir = path.join(options.outputDir, `slice-${slice}`);
			await connection.run(`copy (select ${columnList} from unload_rows where ferry_row_number % ${options.slices} = ${slice} order by ferry_row_number)
				to ${duckdbLiteral(sliceDir)} (format parquet, compression snappy, parquet_version v1, file_size_bytes ${options.maxFileBytes},
				filename_pattern 'part_{i}', overwrite_or_ignore true)`);
			const names = (await readdir(sliceDir).catch(() => [] as string[]))
				.filter(name => name.endsWith('.parquet'))
				.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
			const files: WrittenParquetFile[] = [];
			for (const name of names) {
				const file = path.join(sliceDir, name);
				const counted = await connection.runAndReadAll(`select count(*) from read_parquet(${duckdbLiteral(file)})`);
				files.push({path: file, rows: Number(counted.getRows()[0]?.[0] ?? 0), bytes: (await stat(file)).size});
			}

			slices.push(files);
		}

		return slices;
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}
