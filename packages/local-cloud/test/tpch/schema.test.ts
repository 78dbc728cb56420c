import test from 'ava';
import {createTableStatements, getTpchTable, quoteIdentifier, tpchTableNames, tpchTables} from '../../source/tpch/index.js';

test('the eight TPC-H tables in dependency order with the specification\'s column names', t => {
	t.deepEqual(tpchTables.map(table => table.name), ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem']);
	t.deepEqual([...tpchTableNames], tpchTables.map(table => table.name));
	t.deepEqual(getTpchTable('lineitem').columns.map(column => column.name), [
		'l_orderkey', 'l_partkey', 'l_suppkey', 'l_linenumber', 'l_quantity', 'l_extendedprice', 'l_discount', 'l_tax',
		'l_returnflag', 'l_linestatus', 'l_shipdate', 'l_commitdate', 'l_receiptdate', 'l_shipinstruct', 'l_shipmode', 'l_comment',
	]);
	t.deepEqual(getTpchTable('orders').columns.map(column => column.name), [
		'o_orderkey', 'o_custkey', 'o_orderstatus', 'o_totalprice', 'o_orderdate', 'o_orderpriority', 'o_clerk', 'o_shippriority', 'o_comment',
	]);
	t.deepEqual(getTpchTable('partsupp').primaryKey, ['ps_partkey', 'ps_suppkey']);
	t.deepEqual(getTpchTable('lineitem').primaryKey, ['l_orderkey', 'l_linenumber']);
});

test('types are the Redshift declarations: decimal(15,2) money, bigint order keys, fixed and variable text', t => {
	const typeOf = (table: string, column: string) =>
		tpchTables.find(candidate => candidate.name === table)?.columns.find(candidate => candidate.name === column)?.type;
	t.is(typeOf('lineitem', 'l_quantity'), 'decimal(15,2)');
	t.is(typeOf('lineitem', 'l_extendedprice'), 'decimal(15,2)');
	t.is(typeOf('orders', 'o_orderkey'), 'bigint');
	t.is(typeOf('lineitem', 'l_orderkey'), 'bigint');
	t.is(typeOf('part', 'p_partkey'), 'integer');
	t.is(typeOf('lineitem', 'l_returnflag'), 'char(1)');
	t.is(typeOf('lineitem', 'l_shipdate'), 'date');
	t.is(typeOf('customer', 'c_name'), 'varchar(25)');
	t.is(typeOf('supplier', 's_name'), 'char(25)');
	t.is(typeOf('partsupp', 'ps_comment'), 'varchar(199)');
	for (const table of tpchTables) {
		for (const column of table.columns) {
			t.regex(column.type, /^(integer|bigint|decimal\(15,2\)|date|char\(\d+\)|varchar\(\d+\))$/, `${table.name}.${column.name}`);
			t.false(column.nullable, `${table.name}.${column.name} is NOT NULL in TPC-H`);
		}
	}
});

test('every key column exists and every foreign key points at an earlier table\'s primary key', t => {
	for (const [position, table] of tpchTables.entries()) {
		const names = new Set(table.columns.map(column => column.name));
		for (const key of table.primaryKey) {
			t.true(names.has(key), `${table.name}.${key}`);
		}

		for (const foreignKey of table.foreignKeys) {
			const target = getTpchTable(foreignKey.references.table);
			t.true(tpchTables.indexOf(target) < position, `${table.name} → ${target.name}`);
			t.deepEqual(foreignKey.references.columns, target.primaryKey);
			t.true(foreignKey.columns.every(column => names.has(column)));
		}
	}

	t.deepEqual(getTpchTable('lineitem').foreignKeys.map(key => key.references.table), ['orders', 'partsupp']);
});

test('DDL creates every table in the schema, quoting identifiers only where needed', t => {
	const statements = createTableStatements();
	t.is(statements.length, 8);
	t.true(statements[0]?.startsWith('CREATE TABLE public.region (\n\tr_regionkey integer NOT NULL,'));
	const lineitem = statements[7] ?? '';
	t.true(lineitem.includes('\tl_quantity decimal(15,2) NOT NULL,'));
	t.true(lineitem.includes('PRIMARY KEY (l_orderkey, l_linenumber)'));
	t.true(lineitem.includes('FOREIGN KEY (l_partkey, l_suppkey) REFERENCES public.partsupp (ps_partkey, ps_suppkey)'));

	const quoted = createTableStatements('Sales "2024"');
	t.true(quoted[1]?.startsWith('CREATE TABLE "Sales ""2024""".nation ('));
	t.true(quoted[1]?.includes('REFERENCES "Sales ""2024""".region (r_regionkey)'));

	const withoutKeys = createTableStatements('tpch', {foreignKeys: false});
	t.false(withoutKeys.some(statement => statement.includes('FOREIGN KEY')));
	t.true(withoutKeys[7]?.includes('PRIMARY KEY'));
});

test('quoteIdentifier leaves plain names bare and quotes reserved words, capitals and punctuation', t => {
	t.is(quoteIdentifier('l_orderkey'), 'l_orderkey');
	t.is(quoteIdentifier('order'), '"order"');
	t.is(quoteIdentifier('user'), '"user"');
	t.is(quoteIdentifier('Public'), '"Public"');
	t.is(quoteIdentifier('my-schema'), '"my-schema"');
	t.is(quoteIdentifier('1st'), '"1st"');
});
