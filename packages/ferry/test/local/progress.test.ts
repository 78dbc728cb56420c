import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {progressFileWriter} from '@ferry/local-cloud/progress';
import {describeProgress, progressLogger, readProgressFile, type LocalCloudProgress} from '../../source/local/progress.js';
import {createProgressLine} from '../../source/ui/local-cloud-progress-line.js';
import {asciiSymbols} from '../../source/ui/theme.js';

function folder(t: {teardown(fn: () => void): void}): string {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'ferry-progress-'));
	t.teardown(() => rmSync(directory, {recursive: true, force: true}));
	return directory;
}

function progress(change: Partial<LocalCloudProgress>): LocalCloudProgress {
	return {phase: 'seeding', service: 'redshift', sequence: 1, pid: 1, updatedAt: '2026-01-01T00:00:00.000Z', ...change};
}

test('the progress file is rewritten whole, with a rising sequence and the writer\'s pid', t => {
	const file = path.join(folder(t), 'progress.json');
	const clock = 0;
	const write = progressFileWriter(file, {minIntervalMs: 100, now: () => clock});
	write({phase: 'starting', service: 's3'});
	t.like(readProgressFile(file), {phase: 'starting', service: 's3', sequence: 1, pid: process.pid});
	write({phase: 'seeding', service: 'redshift', table: 'orders', rowsDone: 0, rowsTotal: 1500});
	t.like(readProgressFile(file), {table: 'orders', rowsDone: 0, sequence: 2});
	t.deepEqual(readdirSync(path.dirname(file)), ['progress.json'], 'no temp file is left behind');
});

test('rows within one table are coalesced to one write per interval; a new table is written at once', t => {
	const file = path.join(folder(t), 'progress.json');
	let clock = 1000;
	const write = progressFileWriter(file, {minIntervalMs: 100, now: () => clock});
	write({phase: 'seeding', table: 'orders', rowsDone: 0, rowsTotal: 300});
	clock += 10;
	write({phase: 'seeding', table: 'orders', rowsDone: 100, rowsTotal: 300});
	t.is(readProgressFile(file)?.rowsDone, 0, 'a report 10 ms later waits');
	clock += 100;
	write({phase: 'seeding', table: 'orders', rowsDone: 200, rowsTotal: 300});
	t.like(readProgressFile(file), {rowsDone: 200, sequence: 2});
	clock += 1;
	write({phase: 'seeding', table: 'lineitem', rowsDone: 0, rowsTotal: 900});
	t.like(readProgressFile(file), {table: 'lineitem', sequence: 3});
	clock += 1;
	write({phase: 'seeding', table: 'lineitem', rowsDone: 100, rowsTotal: 900});
	write.flush();
	t.like(readProgressFile(file), {rowsDone: 100, sequence: 4}, 'flush writes what was held back');
});

test('a missing progress file reads as nothing', t => {
	const directory = folder(t);
	t.is(readProgressFile(path.join(directory, 'absent.json')), undefined);
	const file = path.join(directory, 'progress.json');
	const write = progressFileWriter(file);
	write({phase: 'starting'});
	rmSync(file);
	t.is(readProgressFile(file), undefined);
});

test('progress reads as one line a person understands', t => {
	t.is(describeProgress(progress({phase: 'starting'})), 'Starting the redshift stand-in');
	t.is(describeProgress(progress({phase: 'starting', service: undefined})), 'Starting the local cloud');
	t.is(describeProgress(progress({})), 'Preparing the Redshift stand-in\'s database');
	t.is(describeProgress(progress({table: 'lineitem', rowsDone: 1_200_000, rowsTotal: 6_001_215, allRowsDone: 2_500_000, allRowsTotal: 8_661_245})), 'Seeding TPC-H lineitem: 1,200,000 of 6,001,215 rows (28% of all)');
});

test('plain progress lines: one per table, then at most one per interval, none for ready', t => {
	const lines: string[] = [];
	let clock = 0;
	const log = progressLogger(line => lines.push(line), {intervalMs: 5000, now: () => clock});
	log(progress({table: 'orders', rowsDone: 0, rowsTotal: 10}));
	clock += 1000;
	log(progress({table: 'orders', rowsDone: 5, rowsTotal: 10}));
	clock += 5000;
	log(progress({table: 'orders', rowsDone: 8, rowsTotal: 10}));
	log(progress({table: 'lineitem', rowsDone: 0, rowsTotal: 40}));
	log(progress({phase: 'ready'}));
	t.deepEqual(lines, ['Seeding TPC-H orders: 0 of 10 rows', 'Seeding TPC-H orders: 8 of 10 rows', 'Seeding TPC-H lineitem: 0 of 40 rows']);
});

test('on a terminal the line is rewritten in place and cleared at the end', t => {
	let written = '';
	const line = createProgressLine({isTTY: true, columns: 40, write: text => (written += text)}, {symbols: asciiSymbols});
	line.update(progress({table: 'orders', rowsDone: 1, rowsTotal: 2}));
	line.update(progress({table: 'orders', rowsDone: 2, rowsTotal: 2}));
	line.done();
	t.false(written.includes('\n'), 'no new lines on a terminal');
	t.is(written.split('\r\u001B[2K').length - 1, 3, 'two frames and one clear');
	t.regex(written, /- Seeding TPC-H orders: 1 of 2 rows/);
	t.regex(written, /\\ Seeding TPC-H orders: 2 of 2 rows/);
});

test('off a terminal the same progress comes as plain lines', t => {
	let written = '';
	const line = createProgressLine({isTTY: false, write: text => (written += text)});
	line.update(progress({phase: 'starting', service: 's3'}));
	line.update(progress({phase: 'starting', service: 'oss'}));
	line.done();
	t.is(written, 'Starting the s3 stand-in\nStarting the oss stand-in\n');
});
