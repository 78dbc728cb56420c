export {openMaxComputeEngine, type EngineMetadata, type MaxComputeEngine, type MaxComputeEngineOptions, type PartitionStatistics, type StatementAccess, type TableStatistics} from './engine.js';
export type {OssLocation, OssReader} from './load.js';
export type {EngineResult, ResultColumn} from './result.js';
export type {ColumnDefinition, TableDefinition} from './catalog.js';
export {OdpsError, odpsErrorCodes} from './odps-error.js';
export {renderResultCsv} from './render.js';
