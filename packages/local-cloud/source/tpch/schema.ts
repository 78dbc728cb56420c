/**
 * The TPC-H schema (specification v3, clause 1.4) as Redshift would declare it, and its DDL.
 * Order keys are `bigint` because they pass 2^31 from scale factor ~360 on; other keys fit `integer`.
 */

export type TpchColumn = {
	name: string;
	/** Redshift SQL type text, e.g. `decimal(15,2)`. */
	type: string;
	nullable: boolean;
};

export type TpchForeignKey = {
	columns: string[];
	references: {table: TpchTableName; columns: string[]};
};

export type TpchTable = {
	name: TpchTableName;
	columns: TpchColumn[];
	primaryKey: string[];
	/** Clause 1.4.2.3; the referenced table always comes earlier in `tpchTables`. */
	foreignKeys: TpchForeignKey[];
};

export const tpchTableNames = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'] as const;
export type TpchTableName = (typeof tpchTableNames)[number];

export function isTpchTableName(name: string): name is TpchTableName {
	return (tpchTableNames as readonly string[]).includes(name);
}

const money = 'decimal(15,2)';

function columns(...definitions: Array<[name: string, type: string]>): TpchColumn[] {
	return definitions.map(([name, type]) => ({name, type, nullable: false}));
}

function references(columnNames: string[], table: TpchTableName, referencedColumns: string[]): TpchForeignKey {
	return {columns: columnNames, references: {table, columns: referencedColumns}};
}

/** Parents before children, so creating and loading in this order satisfies every foreign key. */
export const tpchTables: TpchTable[] = [
	{
		name: 'region',
		columns: columns(['r_regionkey', 'integer'], ['r_name', 'char(25)'], ['r_comment', 'varchar(152)']),
		primaryKey: ['r_regionkey'],
		foreignKeys: [],
	},
	{
		name: 'nation',
		columns: columns(
			['n_nationkey', 'integer'],
			['n_name', 'char(25)'],
			['n_regionkey', 'integer'],
			['n_comment', 'varchar(152)'],
		),
		primaryKey: ['n_nationkey'],
		foreignKeys: [references(['n_regionkey'], 'region', ['r_regionkey'])],
	},
	{
		name: 'supplier',
		columns: columns(
			['s_suppkey', 'integer'],
			['s_name', 'char(25)'],
			['s_address', 'varchar(40)'],
			['s_nationkey', 'integer'],
			['s_phone', 'char(15)'],
			['s_acctbal', money],
			['s_comment', 'varchar(101)'],
		),
		primaryKey: ['s_suppkey'],
		foreignKeys: [references(['s_nationkey'], 'nation', ['n_nationkey'])],
	},
	{
		name: 'customer',
		columns: columns(
			['c_custkey', 'integer'],
			['c_name', 'varchar(25)'],
			['c_address', 'varchar(40)'],
			['c_nationkey', 'integer'],
			['c_phone', 'char(15)'],
			['c_acctbal', money],
			['c_mktsegment', 'char(10)'],
			['c_comment', 'varchar(117)'],
		),
		primaryKey: ['c_custkey'],
		foreignKeys: [references(['c_nationkey'], 'nation', ['n_nationkey'])],
	},
	{
		name: 'part',
		columns: columns(
			['p_partkey', 'integer'],
			['p_name', 'varchar(55)'],
			['p_mfgr', 'char(25)'],
			['p_brand', 'char(10)'],
			['p_type', 'varchar(25)'],
			['p_size', 'integer'],
			['p_container', 'char(10)'],
			['p_retailprice', money],
			['p_comment', 'varchar(23)'],
		),
		primaryKey: ['p_partkey'],
		foreignKeys: [],
	},
	{
		name: 'partsupp',
		columns: columns(
			['ps_partkey', 'integer'],
			['ps_suppkey', 'integer'],
			['ps_availqty', 'integer'],
			['ps_supplycost', money],
			['ps_comment', 'varchar(199)'],
		),
		primaryKey: ['ps_partkey', 'ps_suppkey'],
		foreignKeys: [
			references(['ps_partkey'], 'part', ['p_partkey']),
			references(['ps_suppkey'], 'supplier', ['s_suppkey']),
		],
	},
	{
		name: 'orders',
		columns: columns(
			['o_orderkey', 'bigint'],
			['o_custkey', 'integer'],
			['o_orderstatus', 'char(1)'],
			['o_totalprice', money],
			['o_orderdate', 'date'],
			['o_orderpriority', 'char(15)'],
			['o_clerk', 'char(15)'],
			['o_shippriority', 'integer'],
			['o_comment', 'varchar(79)'],
		),
		primaryKey: ['o_orderkey'],
		foreignKeys: [references(['o_custkey'], 'customer', ['c_custkey'])],
	},
	{
		name: 'lineitem',
		columns: columns(
			['l_orderkey', 'bigint'],
			['l_partkey', 'integer'],
			['l_suppkey', 'integer'],
			['l_linenumber', 'integer'],
			['l_quantity', money],
			['l_extendedprice', money],
			['l_discount', money],
			['l_tax', money],
			['l_returnflag', 'char(1)'],
			['l_linestatus', 'char(1)'],
			['l_shipdate', 'date'],
			['l_commitdate', 'date'],
			['l_receiptdate', 'date'],
			['l_shipinstruct', 'char(25)'],
			['l_shipmode', 'char(10)'],
			['l_comment', 'varchar(44)'],
		),
		primaryKey: ['l_orderkey', 'l_linenumber'],
		foreignKeys: [
			references(['l_orderkey'], 'orders', ['o_orderkey']),
			references(['l_partkey', 'l_suppkey'], 'partsupp', ['ps_partkey', 'ps_suppkey']),
		],
	},
];

export function getTpchTable(name: TpchTableName): TpchTable {
	const table = tpchTables.find(candidate => candidate.name === name);
	if (table === undefined) {
		throw new Error(`No TPC-H table ${name}`);
	}

	return table;
}

/** Words Redshift or PostgreSQL reserve; an identifier spelled like one must be quoted. */
const reservedWords = new Set([
	'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'authorization', 'between', 'both', 'case', 'cast',
	'check', 'collate', 'column', 'constraint', 'create', 'cross', 'current_date', 'current_time', 'current_timestamp',
	'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'for',
	'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'inner', 'intersect', 'into', 'is', 'join',
	'leading', 'left', 'like', 'limit', 'localtime', 'natural', 'new', 'not', 'null', 'off', 'offset', 'old', 'on',
	'only', 'or', 'order', 'outer', 'primary', 'references', 'right', 'select', 'session_user', 'some', 'table',
	'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'when', 'where', 'with',
]);

/** The identifier as written in SQL: bare when it is a plain lower-case word, double-quoted otherwise. */
export function quoteIdentifier(identifier: string): string {
	if (/^[a-z_][a-z\d_$]*$/.test(identifier) && !reservedWords.has(identifier)) {
		return identifier;
	}

	return `"${identifier.replaceAll('"', '""')}"`;
}

export function qualifiedTableName(table: string, schema = 'public'): string {
	return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

export type CreateTableOptions = {
	/**
	 * Declare the foreign keys (default true). Redshift keeps them as planner hints only; PostgreSQL and
	 * PGlite enforce them, so tables must then be created and loaded in `tpchTables` order.
	 */
	foreignKeys?: boolean;
	/** Declare the primary keys (default true); a loader may add them after the rows, which builds each index once. */
	primaryKeys?: boolean;
};

/** One `CREATE TABLE` per table, in `tpchTables` order. */
export function createTableStatements(schema = 'public', options: CreateTableOptions = {}): string[] {
	const withForeignKeys = options.foreignKeys ?? true;
	return tpchTables.map(table => {
		const list = (names: string[]) => names.map(name => quoteIdentifier(name)).join(', ');
		const lines = table.columns.map(column =>
			`\t${quoteIdentifier(column.name)} ${column.type}${column.nullable ? '' : ' NOT NULL'}`);
		if (options.primaryKeys ?? true) {
			lines.push(`\tPRIMARY KEY (${list(table.primaryKey)})`);
		}

		if (withForeignKeys) {
			for (const foreignKey of table.foreignKeys) {
				const target = qualifiedTableName(foreignKey.references.table, schema);
				lines.push(`\tFOREIGN KEY (${list(foreignKey.columns)}) REFERENCES ${target} (${list(foreignKey.references.columns)})`);
			}
		}

		return `CREATE TABLE ${qualifiedTableName(table.name, schema)} (\n${lines.join(',\n')}\n)`;
	});
}
