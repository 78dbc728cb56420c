import type {TableDefinition} from './catalog.js';

export type ResultColumn = {name: string; /** MaxCompute type text, e.g. `decimal(38,2)`. */ type: string};

export type EngineResult =
	| {kind: 'rows'; columns: ResultColumn[]; rows: (string | null)[][]}
	| {
		kind: 'message';
		text: string;
		/** DESC: the table's definition, for a REST layer that renders schemas (e.g. `GET /tables/{t}`). */
		table?: TableDefinition;
	};
