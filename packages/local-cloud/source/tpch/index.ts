/** The TPC-H generator that seeds the local Redshift stand-in: schema, row counts, rows and COPY-ready CSV. */
export {
	createTableStatements,
	getTpchTable,
	isTpchTableName,
	qualifiedTableName,
	quoteIdentifier,
	tpchTableNames,
	tpchTables,
	type CreateTableOptions,
	type TpchColumn,
	type TpchForeignKey,
	type TpchTable,
	type TpchTableName,
} from './schema.js';
export {tpchRowCounts, tpchScale, type TpchScale} from './scale.js';
export {generateRows, requireTpchTableName, type TpchRow} from './generate.js';
export {encodeCsvField, encodeCsvRecord, generateCsv, type CsvOptions} from './csv.js';
export {generateCsvBatches, type CsvBatch} from './csv.js';
export {seedTpch, type SeedOptions, type SeedProgress, type SeedTarget} from './seed.js';
