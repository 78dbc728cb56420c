import test from 'ava';
import {isSinglePartition, parsePartitionSelection, partitionSelectionProblem, resolvePartitions, type PartitionSelection} from '../../../wizards/maxcompute-to-loghub/partition-range.js';

const parsed = (answer: string): PartitionSelection => {
	const selection = parsePartitionSelection(answer);
	if ('problem' in selection) {
		throw new Error(selection.problem);
	}

	return selection;
};

const december = Array.from({length: 31}, (_, index) => `201612${String(index + 1).padStart(2, '0')}`);

test('one partition is one value, and the only form a schedule takes', t => {
	t.deepEqual(parsed('pt=20161226'), {column: 'pt', items: [{kind: 'value', value: '20161226'}]});
	t.true(isSinglePartition(parsed('pt=20161226')));
	t.false(isSinglePartition(parsed('pt=20161201,pt=20161202')));
	t.false(isSinglePartition(parsed('pt=20161201..20161202')));
	t.false(isSinglePartition(parsed('pt=201612*')));
	t.deepEqual(resolvePartitions(parsed('pt=20161226'), december), ['20161226']);
});

test('a list keeps its order and drops repeats; a named partition that does not exist is kept for preflight to refuse by name', t => {
	t.deepEqual(resolvePartitions(parsed('pt=20161202, pt=20161201,PT=20161202'), december), ['20161202', '20161201']);
	t.deepEqual(resolvePartitions(parsed('pt=20170101'), december), ['20170101']);
});

test('a range takes the existing partitions between its ends, both included, in order; it never invents missing days', t => {
	const withGap = december.filter(value => value !== '20161215');
	const resolved = resolvePartitions(parsed('pt=20161210..20161220'), withGap);
	t.deepEqual(resolved, ['20161210', '20161211', '20161212', '20161213', '20161214', '20161216', '20161217', '20161218', '20161219', '20161220']);
	t.deepEqual(resolvePartitions(parsed('pt=20161201..20161231'), december), december);
	t.deepEqual(resolvePartitions(parsed('pt=20170101..20170131'), december), []);
});

test('a range compares values of its own width only: 2016122 and 201612010 are not between 20161201 and 20161231', t => {
	t.deepEqual(resolvePartitions(parsed('pt=20161201..20161203'), ['2016122', '201612010', '20161202', 'x20161202', '2016-12-02']), ['20161202']);
});

test('the odps reader\'s wildcards: * any run of characters (none too), ? exactly one', t => {
	const existing = [...december, '20170101', '2016120', '201612'];
	t.deepEqual(resolvePartitions(parsed('pt=201612*'), existing), [...december, '201612', '2016120'].sort());
	t.deepEqual(resolvePartitions(parsed('pt=2016120?'), existing), december.slice(0, 9));
	t.deepEqual(resolvePartitions(parsed('pt=*'), ['b', 'a']), ['a', 'b']);
	// Other characters match only themselves (a dot is not a regular-expression wildcard).
	t.deepEqual(resolvePartitions(parsed('pt=1.5*'), ['1.50', '1x50']), ['1.50']);
});

test('a list may mix values, ranges and wildcards; the union has no repeats', t => {
	t.deepEqual(resolvePartitions(parsed('pt=20161230,pt=20161229..20161231,pt=2016123*'), december), ['20161230', '20161229', '20161231']);
});

test('malformed answers are refused with the reason, naming the item', t => {
	t.regex(partitionSelectionProblem('pt=20161201..2016123') ?? '', /same number of digits \(20161201 has 8, 2016123 has 7\)/);
	t.regex(partitionSelectionProblem('pt=20161231..20161201') ?? '', /starts after it ends/);
	t.regex(partitionSelectionProblem('pt=2016-12-01..2016-12-31') ?? '', /a range is digits\.\.digits/);
	t.regex(partitionSelectionProblem('pt=1..2..3') ?? '', /a range is digits\.\.digits/);
	t.regex(partitionSelectionProblem('pt=20161201,ds=20161202') ?? '', /every item of one column: "ds=20161202" names ds, the first item pt/);
	t.regex(partitionSelectionProblem('pt=20161201,') ?? '', /an empty item/);
	t.regex(partitionSelectionProblem('20161201') ?? '', /"20161201" is not column=value/);
	t.regex(partitionSelectionProblem('pt=') ?? '', /partition values are 1–128 bytes long; this one is 0/);
	t.regex(partitionSelectionProblem('pt=it\'s') ?? '', /"'" is not one of them/);
	t.regex(partitionSelectionProblem('pt=2016*=1') ?? '', /"=" is not one of them/);
	t.is(partitionSelectionProblem('pt=20161201..20161231'), undefined);
	t.is(partitionSelectionProblem('pt=201612*'), undefined);
});
