/**
 * The SQL engine the MaxCompute stand-in runs instances on (`./engine/index.ts`), as the HTTP layer uses it.
 * The server takes the module as a parameter so tests can hand it a small engine of their own.
 */
import * as engine from './engine/index.js';

export type {EngineMetadata, EngineResult, MaxComputeEngine, OssLocation, OssReader, PartitionStatistics, StatementAccess, TableDefinition, TableStatistics} from './engine/index.js';

export type EngineModule = {
	openMaxComputeEngine: typeof engine.openMaxComputeEngine;
	renderResultCsv: typeof engine.renderResultCsv;
};

export const defaultEngineModule: EngineModule = engine;
