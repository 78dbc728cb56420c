import {compareResults} from '../../source/verify/compare.js';
import {rowCountPair, tpchQ1Pair} from '../../wizards/redshift-to-maxcompute/checks.js';
import {buildReport, type VerificationReport} from '../../source/verify/report.js';

const q1Columns = [
	{name: 'l_returnflag', type: 'CHAR(1)'},
	{name: 'l_linestatus', type: 'CHAR(1)'},
	{name: 'sum_qty', type: 'DECIMAL(38,2)'},
	{name: 'sum_base_price', type: 'DECIMAL(38,2)'},
	{name: 'avg_disc', type: 'DOUBLE'},
	{name: 'count_order', type: 'BIGINT'},
];

/** A report from the real comparison: Q1 with one differing sum, and a row count loaded twice. */
export function reportWithDifferences(): VerificationReport {
	const q1Source = {columns: q1Columns, rows: [
		['A', 'F', '37734107.00', '56586554400.73', 0.05000224, 1478493],
		['N', 'O', '74476040.00', '111701729697.74', 0.04999658, 2920374],
	]};
	const q1Target = {columns: q1Columns, rows: [
		['A', 'F', '37734107.00', '56586554400.73', 0.05000224, 1478493],
		['N', 'O', '74476041.00', '111701729697.74', 0.04999658, 2920374],
	]};
	const countColumns = [{name: 'row_count', type: 'BIGINT'}];
	return buildReport({
		sessionId: 'rtm-20261121-0807-ab12',
		startedAt: '2026-11-21T08:07:00.000Z',
		finishedAt: '2026-11-21T08:07:05.000Z',
		comparisons: [
			compareResults(tpchQ1Pair(), q1Source, q1Target),
			compareResults(rowCountPair({schema: 'public', table: 'nation'}), {columns: countColumns, rows: [[25]]}, {columns: countColumns, rows: [[50]]}),
			compareResults(rowCountPair({schema: 'public', table: 'region'}), {columns: countColumns, rows: [[5]]}, {columns: countColumns, rows: [[5]]}),
		],
	});
}
