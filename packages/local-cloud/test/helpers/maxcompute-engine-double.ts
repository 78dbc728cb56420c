/**
 * A small stand-in for the MaxCompute SQL engine, for tests of the stand-in's HTTP layer and of ferry's client while
 * keeping them fast and independent of DuckDB. It answers a handful of fixed statements; anything else is a parse error.
 * The CSV rendering is the engine's real one.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {renderResultCsv} from '../../source/maxcompute/engine/render.js';
import type {EngineModule, EngineResult, MaxComputeEngine} from '../../source/maxcompute/engine-contract.js';

class DoubleOdpsError extends Error {
	readonly code: string;
	constructor(code: string, message: string) {
		super(`${code}:${message}`);
		this.code = code;
	}
}

export type EngineDoubleLog = {statements: {sql: string; settings: Record<string, string>}[]; opened: {dataDir: string; owner: string}[]; closed?: number};

export const peopleRows: (string | null)[][] = [
	['1', 'Ada "the first", Lovelace', 'line one\nline two'],
	['2', null, 'Zoë Ørsted 東京'],
	['3', '\\N', 'C:\\temp\\new'],
];

export function createEngineDouble(log: EngineDoubleLog = {statements: [], opened: []}): EngineModule & {log: EngineDoubleLog} {
	return {
		log,
		renderResultCsv: result => renderResultCsv(result),
		async openMaxComputeEngine(options) {
			log.opened.push({dataDir: options.dataDir, owner: options.owner});
			const engine: MaxComputeEngine = {
				async close() {
					log.closed = (log.closed ?? 0) + 1;
				},
				async execute(sql, settings, signal): Promise<EngineResult> {
					log.statements.push({sql, settings});
					const statement = sql.trim().replace(/;$/, '').trim();
					if (/^select 1$/i.test(statement)) {
						return {kind: 'rows', columns: [{name: '_c0', type: 'int'}], rows: [['1']]};
					}

					if (/^select \* from people$/i.test(statement)) {
						return {kind: 'rows', columns: [{name: 'id', type: 'bigint'}, {name: 'name', type: 'string'}, {name: 'note', type: 'string'}], rows: peopleRows};
					}

					if (/^select \* from ascii_only$/i.test(statement)) {
						return {kind: 'rows', columns: [{name: 'a', type: 'string'}], rows: [['x,y'], [null]]};
					}

					if (/^select \* from big$/i.test(statement)) {
						return {kind: 'rows', columns: [{name: 'n', type: 'bigint'}], rows: Array.from({length: 10_005}, (_, index) => [String(index)])};
					}

					if (/^select \* from missing$/i.test(statement)) {
						throw new DoubleOdpsError('ODPS-0130131', '[1,15] Table not found - table ferry_local.missing cannot be resolved');
					}

					if (/^select (sleep|slow)/i.test(statement)) {
						const forever = /sleep/i.test(statement);
						await sleep(forever ? 60_000 : 300, undefined, {signal});
						return {kind: 'rows', columns: [{name: 'done', type: 'boolean'}], rows: [['true']]};
					}

					if (/^whoami$/i.test(statement)) {
						return {kind: 'message', text: `Name: ${options.owner}\nEnd_Point: local\nProject: ${options.project}`};
					}

					if (/^create table/i.test(statement)) {
						return {kind: 'message', text: 'OK'};
					}

					if (/^desc people$/i.test(statement)) {
						return {kind: 'rows', columns: [{name: 'col_name', type: 'string'}, {name: 'data_type', type: 'string'}, {name: 'comment', type: 'string'}], rows: [['id', 'bigint', ''], ['name', 'string', 'who']]};
					}

					if (/^desc /i.test(statement)) {
						throw new DoubleOdpsError('ODPS-0130131', `[1,6] Table not found - table ${statement.slice(5)} cannot be resolved`);
					}

					throw new DoubleOdpsError('ODPS-0130161', `[1,1] Parse exception - invalid token '${statement.split(/\s/)[0]}'`);
				},
			};
			return engine;
		},
	};
}
