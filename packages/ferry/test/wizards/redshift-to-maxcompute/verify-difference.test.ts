import test from 'ava';
import {describeRun, parseJsonOutput, useLocalCloud} from '../../helpers/cli.js';
import type {RunDocument} from '../../helpers/run-document.js';

const cloud = useLocalCloud(test);

type SqlDocument = {columns: string[]; rows: unknown[][]};

async function sql(side: 'source' | 'target', sessionId: string, statement: string): Promise<SqlDocument> {
	const result = await cloud.ferry(['sql', '--session', sessionId, '--side', side, '--json', statement]);
	if (result.exitCode !== 0) {
		throw new Error(`ferry sql --side ${side} failed:\n${describeRun(result)}`);
	}

	return parseJsonOutput<SqlDocument>(result);
}

/** Hundredths of a DECIMAL(15,2) value as text, so differences are checked exactly, without ferry's own arithmetic. */
function hundredths(text: string): bigint {
	const [whole = '', fraction = ''] = text.split('.');
	if (fraction.length > 2) {
		throw new Error(`${text} has more than two decimals`);
	}

	return BigInt(`${whole}${fraction.padEnd(2, '0')}`);
}

test.serial('a row duplicated on MaxCompute after the run makes `ferry verify` exit 5 and say which cells differ', async t => {
	const run = await cloud.ferry(['run', 'redshift-to-maxcompute', '--local', '--yes', '--json']);
	t.is(run.exitCode, 0, describeRun(run));
	const sessionId = parseJsonOutput<RunDocument>(run).session.id;

	// One known line item inside Q1's shipping window (l_shipdate <= 1998-12-01 - 90 days), so Q1 must see the copy.
	const chosen = await sql('source', sessionId, 'SELECT l_orderkey, l_linenumber, l_returnflag, l_linestatus, l_quantity, l_extendedprice FROM lineitem WHERE l_shipdate <= DATE \'1998-09-02\' ORDER BY l_orderkey, l_linenumber LIMIT 1');
	const [orderKey, lineNumber, returnFlag, lineStatus, quantity, extendedPrice] = chosen.rows[0]!.map(String) as [string, string, string, string, string, string];
	const [sourceCount] = (await sql('source', sessionId, 'SELECT COUNT(*) FROM lineitem')).rows[0]!.map(Number) as [number];
	await sql('target', sessionId, `INSERT INTO lineitem SELECT * FROM lineitem WHERE l_orderkey = ${orderKey} AND l_linenumber = ${lineNumber}`);

	const verified = await cloud.ferry(['verify', sessionId, '--json']);
	t.is(verified.exitCode, 5, describeRun(verified));
	const document = parseJsonOutput<RunDocument>(verified);
	t.false(document.ok);
	t.is(document.session.state, 'different');
	const report = document.verification!;
	t.false(report.equal);
	t.deepEqual(report.comparisons.filter(comparison => !comparison.equal).map(comparison => comparison.id), ['row-count:public.lineitem', 'tpch-q1']);

	const rowCount = report.comparisons.find(comparison => comparison.id === 'row-count:public.lineitem')!;
	const [countCell] = rowCount.rows[0]!.cells;
	t.like(countCell, {column: 'row_count', source: String(sourceCount), target: String(sourceCount + 1), equal: false});

	const q1 = report.comparisons.find(comparison => comparison.id === 'tpch-q1')!;
	t.deepEqual(q1.missingRows, []);
	t.deepEqual(q1.extraRows, []);
	const differing = q1.rows.filter(row => !row.equal);
	t.deepEqual(differing.map(row => row.key), [[returnFlag, lineStatus]]);
	t.true(q1.rows.length >= 4 && q1.rows.filter(row => row.equal).length === q1.rows.length - 1);
	const cells = Object.fromEntries(differing[0]!.cells.map(cell => [cell.column, cell]));
	t.false(cells['count_order']!.equal);
	t.is(BigInt(cells['count_order']!.target), BigInt(cells['count_order']!.source) + 1n);
	t.false(cells['sum_qty']!.equal);
	t.is(hundredths(cells['sum_qty']!.target) - hundredths(cells['sum_qty']!.source), hundredths(quantity));
	t.false(cells['sum_base_price']!.equal);
	t.is(hundredths(cells['sum_base_price']!.target) - hundredths(cells['sum_base_price']!.source), hundredths(extendedPrice));
	t.false(cells['sum_charge']!.equal);

	// Without --json the report goes to stderr and stdout stays empty: the summary table, then the differing checks' details.
	const plain = await cloud.ferry(['verify', sessionId]);
	t.is(plain.exitCode, 5, describeRun(plain));
	t.is(plain.stdout, '');
	t.regex(plain.stderr, new RegExp(`^Rows in public\\.lineitem\\s+${sourceCount.toLocaleString('en-US')}\\s+${(sourceCount + 1).toLocaleString('en-US')}\\s+✖ differs$`, 'm'));
	t.regex(plain.stderr, /^Rows in public\.nation\s+25\s+25\s+✔ equal$/m);
	t.regex(plain.stderr, /^✖ Rows in public\.lineitem$/m);
	t.regex(plain.stderr, new RegExp(`row #1 row_count: source ${sourceCount}, target ${sourceCount + 1}, difference \\+1`));
	t.regex(plain.stderr, new RegExp(`^${returnFlag}\\s+${lineStatus}\\s+│ .*≠`, 'm'));
	t.regex(plain.stderr, /^✖ Verification found differences\. Report: .+report\.md$/m);
});
