import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {stringFieldLimitBytes} from '../../../source/clouds/datahub/limits.js';
import {PreflightError} from '../../../source/engine/errors.js';
import {createCsvReader, CsvError, parseCsv, type CsvRow} from '../../../wizards/datahub-to-maxcompute/csv-stream.js';
import {checkRecords, recordBatches, type RecordSource} from '../../../wizards/datahub-to-maxcompute/records.js';
import {topicFieldsFor} from '../../../wizards/datahub-to-maxcompute/type-mapping.js';

const fields = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'f2', type: 'string'}, {name: 'f3', type: 'double'}]).mappings;

function readInChunks(text: string, size: number): CsvRow[] {
	const reader = createCsvReader();
	const rows: CsvRow[] = [];
	for (let start = 0; start < text.length; start += size) {
		rows.push(...reader.push(text.slice(start, start + size)));
	}

	return [...rows, ...reader.end()];
}

test('CSV read in chunks of any size gives the same rows and line numbers as read whole', t => {
	const text = 'a,b,c\r\n"x, y","say ""hi""",\n"",plain,"two\r\nlines"\rlast,"q""",\n"one\rtwo\nthree",b,c';
	const whole = readInChunks(text, text.length);
	t.deepEqual(whole.map(row => row.fields), [['a', 'b', 'c'], ['x, y', 'say "hi"', null], ['', 'plain', 'two\r\nlines'], ['last', 'q"', null], ['one\rtwo\nthree', 'b', 'c']]);
	t.deepEqual(whole.map(row => row.line), [1, 2, 3, 5, 6]);
	for (let size = 1; size < text.length; size++) {
		t.deepEqual(readInChunks(text, size), whole, `chunks of ${size}`);
	}

	t.deepEqual(parseCsv(text), whole.map(row => row.fields));
});

test('CSV stops at a field or a row over its limit before holding it, and names the line of an unclosed quote', t => {
	const reader = createCsvReader({maxFieldChars: 10, maxRowChars: 15});
	t.deepEqual(reader.push('h1,h2\n0123456789,x\n').map(row => row.line), [1, 2]);
	const field = t.throws(() => reader.push('ok,"01234567890'), {instanceOf: CsvError});
	t.deepEqual(field?.problem, {kind: 'field-too-large', line: 3, field: 1, limit: 10});
	const row = t.throws(() => createCsvReader({maxRowChars: 15}).push('0123456789,0123456'), {instanceOf: CsvError});
	t.deepEqual(row?.problem, {kind: 'row-too-large', line: 1, limit: 15});
	const open = createCsvReader();
	open.push('a,b\n1,"2\n3\n');
	t.deepEqual(t.throws(() => open.end(), {instanceOf: CsvError})?.problem, {kind: 'unclosed-quote', line: 2});
});

let directory: string;
test.before(() => {
	directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-records-'));
});
test.after.always(() => rmSync(directory, {recursive: true, force: true}));

function file(name: string, text: string | Buffer): RecordSource {
	const where = path.join(directory, name);
	writeFileSync(where, text);
	return {kind: 'file', file: where, timeZone: 'UTC'};
}

async function refusal(t: import('ava').ExecutionContext, source: RecordSource, message: RegExp, hint: RegExp, mappings = fields): Promise<void> {
	const error = await t.throwsAsync(checkRecords(source, mappings), {instanceOf: PreflightError});
	t.is(error?.exitCode, 4);
	t.regex(error?.message ?? '', message);
	t.false(error?.message.includes('\n'), 'one line');
	t.regex(error?.hint ?? '', hint);
}

test('an empty file and a header without records are preflight errors that say what to write', async t => {
	await refusal(t, file('empty.csv', ''), /empty\.csv is empty$/, /header row naming the columns \(f1,f2,f3\).*--set input=FILE/);
	await refusal(t, file('header.csv', 'f1,f2,f3\n'), /header\.csv holds no records$/, /Add records below the header row \(f1,f2,f3\)/);
	await refusal(t, file('blank.csv', 'f1,f2,f3\n\n\n'), /holds no records/, /below the header row/);
	await refusal(t, file('empty.jsonl', '\n  \n'), /empty\.jsonl holds no records/, /--set input=FILE/);
	t.is(await checkRecords(file('bom.csv', '\uFEFFf1,f2,f3\na,b,1\n\n'), fields), 1, 'a byte order mark and a trailing blank line are no problem');
});

test('a wrong number of values and an unclosed quote name the line, what was expected and how to fix it', async t => {
	await refusal(t, file('count.csv', 'f1,f2,f3\na,b,1\n"multi\nline",b,2\nc,d\n'), /count\.csv line 5 has 2 values, the header 3 \(f1,f2,f3\)$/, /one value per header column.*quote a value that holds a comma/);
	await refusal(t, file('quote.csv', 'f1,f2,f3\na,b,1\n"open,b,2\nc,d,3\n'), /quote\.csv line 3: a quoted value is not closed before the end of the file$/, /ends with ".*closing quote on line 3/);
});

test('a value over DataHub\'s 2 MB string limit is found at once, by line, without reading the rest', async t => {
	const big = Buffer.alloc(stringFieldLimitBytes + 1, 'x');
	await refusal(t, file('big.csv', Buffer.concat([Buffer.from('f1,f2,f3\na,b,1\nc,'), big, Buffer.from(',2\n')])), /big\.csv line 3: the value of column f2 is larger than DataHub's limit of 2 MB for one string field$/, /shorten it or leave the line out/);
	await refusal(t, file('wide.csv', `f1,f2,f3\n${'é'.repeat((stringFieldLimitBytes / 2) + 1)},b,1\n`), /line 2: the value of column f1 is 2\.0 MiB, over DataHub's limit of 2 MB for one string field$/, /shorten/);
	const three = topicFieldsFor([{name: 'a', type: 'string'}, {name: 'b', type: 'string'}, {name: 'c', type: 'string'}]).mappings;
	const nearly = 'y'.repeat(stringFieldLimitBytes - 10);
	await refusal(t, file('record.csv', `a,b,c\n${nearly},${nearly},${nearly}\n`), /record\.csv line 2: the record is larger than DataHub's limit of 4 MB for one request$/, /split it/, three);
	await refusal(t, file('long.jsonl', `{"f1":"${'z'.repeat(9 * 1024 * 1024)}"}\n`), /long\.jsonl line 1 is longer than 8 MB: no record that long fits DataHub's limit of 4 MB for one request$/, /Shorten/);
});

test('a USER_DEFINE partition value MaxCompute cannot take is named with its line', async t => {
	const withPartition = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'ds', type: 'string'}]).mappings;
	const source = {...file('part.csv', 'f1,ds\na,20261101\nb,2026=11\n'), partitionField: 'ds'} as RecordSource;
	await refusal(t, source, /part\.csv line 3: column ds names the record's partition: MaxCompute partition values hold only .*"=" is not one of them$/, /partitionMode=SYSTEM_TIME/, withPartition);
	const missing = {...file('nopart.csv', 'f1,ds\na,\n'), partitionField: 'ds'} as RecordSource;
	await refusal(t, missing, /line 2: column ds names the record's partition: a record needs a partition value/, /Fix the value/, withPartition);
});

test('batches start where the write left off; generated records give USER_DEFINE a day', async t => {
	const source = file('five.csv', 'f1,f2,f3\na,b,1\nc,d,2\ne,f,3\ng,h,4\ni,j,5\n');
	const batches = [];
	for await (const batch of recordBatches(source, fields, 1, 2)) {
		batches.push(batch);
	}

	t.deepEqual(batches.map(batch => [batch.from, batch.records.map(record => record[0])]), [[1, ['c', 'e']], [3, ['g', 'i']]]);
	const withPartition = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'ds', type: 'string'}]).mappings;
	const generated: string[] = [];
	for await (const batch of recordBatches({kind: 'generated', count: 30, seed: 'ab12', partitionField: 'ds'}, withPartition, 0, 7)) {
		generated.push(...batch.records.map(record => record[1]!));
	}

	t.is(generated.length, 30);
	t.true(generated.every(value => /^2026110[1-3]$/.test(value)), generated.join(' '));
});

test('a file that cannot be read is a preflight error', async t => {
	await refusal(t, {kind: 'file', file: path.join(directory, 'missing.csv'), timeZone: 'UTC'}, /Cannot read the input file .*missing\.csv: ENOENT/, /--set input=FILE/);
});
