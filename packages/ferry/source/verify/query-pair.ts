/**
 * A verification query pair: the same question asked of a procedure's source and target, with the columns that
 * align rows, the tolerance for approximate columns, the dialect each side's types come in and the likely causes
 * of a difference. Each procedure builds its own pairs (wizards/<id>/).
 */
import type {EngineDialect} from './normalise.js';

export type QueryPairKind = 'tables' | 'row-count' | 'query';

export type QueryPair = {
	id: string;
	title: string;
	/** Redshift SQL. */
	source: string;
	/** MaxCompute SQL. */
	target: string;
	/** Columns that identify a row on both sides; empty means rows are aligned by position. */
	keyColumns: string[];
	/** For approximate columns: accepted |difference| ≤ relative × max(|source|, |target|). */
	tolerance?: {relative: number};
	/** Columns compared with the tolerance even when their declared type is exact (AVG results). */
	approximateColumns?: string[];
	/** Lets the comparison name a likely cause specific to the question (a missing table, a duplicate load). */
	kind?: QueryPairKind;
	/** What a row-count difference most likely means in this procedure. */
	causes?: RowCountCauses;
	/** Which engine's type names each side's columns carry. @default {source: 'redshift', target: 'maxcompute'} */
	dialects?: {source: EngineDialect; target: EngineDialect};
};

/** The likely cause of each kind of row-count difference, completing "the target has N more rows: …"; `{times}` is filled in. */
export type RowCountCauses = {empty?: string; repeated?: string; more?: string; fewer?: string};

export const defaultDialects = {source: 'redshift', target: 'maxcompute'} as const satisfies QueryPair['dialects'];

export const defaultRelativeTolerance = 1e-9;
