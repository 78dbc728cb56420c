import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {render} from 'ink-testing-library';
import type {ColumnDescription} from '../../source/clouds/redshift/catalog.js';
import {reviewMarkdown} from '../../source/engine/review-markdown.js';
import type {ReviewTable} from '../../source/engine/wizard.js';
import {reviewLines, ReviewScreen} from '../../source/ui/review-screen.js';
import {columnWidths, tableLines} from '../../source/ui/review-table.js';
import {planReview, planTable} from '../../wizards/redshift-to-maxcompute/migration-plan.js';
import {keys, press, waitForFrame} from '../helpers/ink-input.js';

const answers = {sourceSchema: 'public', maxcomputeProject: 'ferry_local', s3Bucket: 'ferry-unload', s3Prefix: 'unload/', ossBucket: 'ferry-landing', ossPrefix: 'unload/', ossRegion: 'ap-southeast-1', unloadAuth: 'role', unloadRoleArn: 'arn:aws:iam::000000000000:role/unload', loadRoleArn: 'acs:ram::1:role/load', transferMethod: 'online-migration'};

function column(ordinal: number, name: string, type: string, extra: Partial<ColumnDescription> = {}): ColumnDescription {
	return {name, type, precision: null, scale: null, length: null, nullable: false, ordinal, ...extra};
}

const orders = [
	column(1, 'o_orderkey', 'bigint'),
	column(2, 'o_totalprice', 'numeric(15,2)', {precision: 15, scale: 2}),
	column(3, 'o_orderstatus', 'character(1)', {length: 1}),
	column(4, 'o_comment', 'character varying(79)', {length: 79}),
	column(5, 'o_updated', 'timestamp with time zone'),
];

const plan = {tables: [planTable('public', 'orders', orders, answers, 100)], maxFileSizeMb: 100, ossEndpointHost: 'oss-ap-southeast-1-internal.aliyuncs.com'};

test('the Redshift plan shows its type mapping as a table: column, Redshift type, MaxCompute type, and a reason on each inexact row', t => {
	const document = planReview(plan, answers);
	const section = document.sections.find(candidate => candidate.title === 'Type mapping');
	t.regex(section?.body ?? '', /5 columns in 1 tables; 2 mapped inexactly/);
	const table = section?.tables?.[0];
	t.deepEqual(table?.columns, ['Column', 'Redshift type', 'MaxCompute type']);
	t.deepEqual(table?.rows.map(row => [...row.cells, Boolean(row.note)]), [
		['o_orderkey', 'bigint', 'BIGINT', false],
		['o_totalprice', 'numeric(15,2)', 'DECIMAL(15,2)', false],
		['o_orderstatus', 'character(1)', 'CHAR(1)', false],
		['o_comment', 'character varying(79)', 'STRING', true],
		['o_updated', 'timestamp with time zone', 'TIMESTAMP', true],
	]);
	t.regex(table?.rows[3]?.note ?? '', /length limit \(79 bytes in Redshift\) is not kept/);
});

test('at 60 columns every review line fits, the columns line up and the reason sits under its marked row', t => {
	const lines = reviewLines(planReview(plan, answers), 60);
	t.true(lines.every(line => line.text.length <= 60), lines.map(line => line.text).filter(text => text.length > 60).join('\n'));
	const texts = lines.map(line => line.text);
	const header = texts.findIndex(text => /^ {2}Column {2,}Redshift type {2,}MaxCompute type$/.test(text));
	t.true(header > 0, texts.join('\n'));
	t.is(texts[header - 1], 'orders (5 columns)');
	const valueColumn = texts[header]!.indexOf('MaxCompute type');
	const comment = texts.findIndex(text => text.startsWith('⚠ o_comment'));
	t.is(texts[comment]!.indexOf('STRING'), valueColumn, 'the MaxCompute type is in its column');
	t.true(lines[comment]!.marked);
	t.regex(texts[comment + 1] ?? '', /^ {4}the length limit \(79 bytes in Redshift\)/);
	t.is(lines[comment + 1]!.tone, 'note');
	t.regex(texts.find(text => text.startsWith('  o_orderkey')) ?? '', /^ {2}o_orderkey {2,}bigint {2,}BIGINT$/, 'an exact row has no mark');
});

test('a table wider than the screen narrows its widest columns and wraps their cells instead of cutting them', t => {
	t.deepEqual(columnWidths([10, 40, 30], 100), [10, 40, 30]);
	t.deepEqual(columnWidths([10, 40, 30], 50), [10, 20, 20]);
	const table: ReviewTable = {columns: ['Name', 'Type'], rows: [{cells: ['o_comment', 'timestamp with time zone'], note: 'UNLOAD drops the time zone'}]};
	const lines = tableLines(table, 24);
	t.true(lines.every(line => line.text.length <= 24), lines.map(line => line.text).join('\n'));
	t.true(lines.map(line => line.text).join(' ').includes('timestamp'));
	t.true(lines.map(line => line.text).join(' ').includes('zone'));
});

test('ferry plan\'s Markdown has the table with a Note column for the marked rows', t => {
	const markdown = reviewMarkdown(planReview(plan, answers));
	t.regex(markdown, /\*\*orders \(5 columns\)\*\*\n\n\| Column \| Redshift type \| MaxCompute type \| Note \|\n\|---\|---\|---\|---\|/);
	t.regex(markdown, /^\| o_orderkey \| bigint \| BIGINT \| {2}\|$/m);
	t.regex(markdown, /^\| o_comment \| character varying\(79\) \| STRING \| ⚠ the length limit/m);
	t.notRegex(markdown, /\(!\)/);
});

test.serial('the review screen draws the table at 60 columns with the mark in the warning colour', async t => {
	const instance = render(<ReviewScreen document={planReview(plan, answers)} height={30} columns={60} onAnswer={() => undefined} />);
	await delay(50);
	const frame = await waitForFrame(() => instance.lastFrame(), /o_comment/);
	t.regex(frame, /⚠ o_comment +character varying\(79\) +STRING/);
	t.regex(frame, /Proceed\? \(y\/N\)/);
	await press(instance.stdin, keys.down);
	instance.unmount();
});
