import test from 'ava';
import {normaliseValue, type ColumnKind, type NormalValue} from '../../../source/verify/normalise.js';
import {describeRun, parseJsonOutput, useLocalCloud} from '../../helpers/cli.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);

/** The columns of the odd table and how each is compared, the way ferry's verification reads them. */
const columns: Array<{name: string; type: string; kind: ColumnKind}> = [
	{name: 'id', type: 'INTEGER', kind: 'exact-number'},
	{name: 'amount', type: 'NUMERIC(38,10)', kind: 'exact-number'},
	{name: 'quoted', type: 'VARCHAR(100)', kind: 'string'},
	{name: 'unicode', type: 'VARCHAR(200)', kind: 'string'},
	{name: 'happened', type: 'TIMESTAMP', kind: 'timestamp'},
	{name: 'flag', type: 'BOOLEAN', kind: 'boolean'},
	{name: 'small', type: 'SMALLINT', kind: 'exact-number'},
	{name: 'ratio', type: 'REAL', kind: 'float32'},
	{name: 'wide', type: 'DOUBLE PRECISION', kind: 'float'},
	{name: 'day', type: 'DATE', kind: 'timestamp'},
	{name: 'code', type: 'CHAR(5)', kind: 'char'},
];

// Values as Redshift SQL literals; '' is the empty string, not NULL. CHAR holds single-byte characters only in Redshift.
const rows = [
	'(1, 1234567890123456789012345678.1234567890, \'It\'\'s "quoted"\', \'café 中文 🚀 Ünïcödé\', \'2024-02-29 23:59:59.123456\', true, -32768, 3.14159, 1.7976931348623157e308, \'0001-01-01\', \'ab\')',
	'(2, -0.0000000001, \'O\'\'Brien; DROP TABLE x; --\', \'naïve ß — “curly” ‘quotes’\', \'1970-01-01 00:00:00.000001\', false, 32767, -1.5e-10, 0.1, \'9999-12-31\', \'abcde\')',
	'(3, 0, \'\', \'\', \'2000-01-01 00:00:00\', false, 0, 0, -0.5, \'2000-02-29\', \'\')',
	'(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)',
];

/** One comparable text per value: decimals by value, timestamps as instants, CHAR without its padding. */
function comparable(value: unknown, kind: ColumnKind): string {
	const normal: NormalValue = normaliseValue(value, kind);
	switch (normal.kind) {
		case 'null': {
			return 'NULL';
		}

		case 'number': {
			let {coefficient, scale} = normal.value;
			while (scale > 0 && coefficient % 10n === 0n) {
				coefficient /= 10n;
				scale--;
			}

			return `number ${coefficient}e-${scale}`;
		}

		case 'timestamp': {
			return `instant ${normal.epochNanos}`;
		}

		case 'boolean': {
			return `boolean ${normal.value}`;
		}

		case 'string': {
			return `text ${JSON.stringify(kind === 'char' ? normal.value.trimEnd() : normal.value)}`;
		}

		default: {
			return `${normal.kind} ${normal.text}`;
		}
	}
}

type SqlDocument = {columns: string[]; rows: unknown[][]};

async function sql(args: string[], statement: string): Promise<SqlDocument> {
	const result = await cloud.ferry(['sql', ...args, '--json', statement]);
	if (result.exitCode !== 0) {
		throw new Error(`ferry sql ${args.join(' ')} failed:\n${describeRun(result)}`);
	}

	return parseJsonOutput<SqlDocument>(result);
}

function comparableRows(document: SqlDocument): string[][] {
	const names = document.columns.map(name => name.toLowerCase());
	const converted = document.rows.map(row => columns.map(column => comparable(row[names.indexOf(column.name)], column.kind)));
	// ORDER BY places NULL differently per engine; sort on the comparable id, NULL last.
	return converted.sort((a, b) => (a[0] === 'NULL' ? 1 : b[0] === 'NULL' ? -1 : a[0]!.localeCompare(b[0]!)));
}

test.serial('odd types, quotes, non-ASCII text, NULL and empty strings survive the migration value by value', async t => {
	await sql(['--local', '--wizard', 'redshift-to-maxcompute', '--side', 'source'], `CREATE TABLE public.oddities (${columns.map(column => `${column.name} ${column.type}`).join(', ')})`);
	await sql(['--local', '--wizard', 'redshift-to-maxcompute', '--side', 'source'], `INSERT INTO public.oddities VALUES ${rows.join(', ')}`);

	const run = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json', '--set', 'tables=oddities']);
	t.is(run.exitCode, 0, describeRun(run));
	const document = parseJsonOutput<RunDocument>(run);
	t.true(document.verification?.equal, document.verification?.summary.text);
	t.deepEqual(document.verification?.comparisons.map(comparison => comparison.id), ['tables', 'row-count:public.oddities']);

	const select = `SELECT ${columns.map(column => column.name).join(', ')} FROM oddities ORDER BY id LIMIT 100`;
	const source = comparableRows(await sql(['--session', document.session.id, '--side', 'source'], select));
	const target = comparableRows(await sql(['--session', document.session.id, '--side', 'target'], select));
	t.is(source.length, rows.length);
	t.deepEqual(target, source);

	// The checks above compare normalised values; these pin down what must not be lost or confused.
	const byId = new Map(target.map(row => [row[0], row]));
	t.is(byId.get('number 1e-0')?.[1], 'number 1234567890123456789012345678123456789e-9');
	t.is(byId.get('number 1e-0')?.[3], `text ${JSON.stringify('café 中文 🚀 Ünïcödé')}`);
	t.is(byId.get('number 2e-0')?.[2], `text ${JSON.stringify('O\'Brien; DROP TABLE x; --')}`);
	t.is(byId.get('number 2e-0')?.[4], 'instant 1000');
	t.deepEqual(byId.get('number 3e-0')?.slice(2, 4), ['text ""', 'text ""']);
	t.deepEqual(target.at(-1), columns.map(() => 'NULL'));
});
