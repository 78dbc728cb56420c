import test from 'ava';
import {formatBytes, formatDuration, formatProgress} from '../../source/engine/progress.js';

const mebibyte = 1024 ** 2;

test('formatBytes uses binary units with one decimal above bytes', t => {
	t.is(formatBytes(0), '0 B');
	t.is(formatBytes(1023), '1023 B');
	t.is(formatBytes(1024), '1.0 KiB');
	t.is(formatBytes(1536), '1.5 KiB');
	t.is(formatBytes(40 * mebibyte), '40.0 MiB');
	t.is(formatBytes(3.25 * 1024 ** 3), '3.3 GiB');
	t.is(formatBytes(2 * 1024 ** 4), '2.0 TiB');
	t.is(formatBytes(2048 * 1024 ** 4), '2048.0 TiB', 'TiB is the largest unit');
});

test('formatDuration picks seconds, minutes or hours', t => {
	t.is(formatDuration(0), '0s');
	t.is(formatDuration(-5000), '0s');
	t.is(formatDuration(1499), '1s');
	t.is(formatDuration(59_000), '59s');
	t.is(formatDuration(59_600), '1m00s');
	t.is(formatDuration(605_000), '10m05s');
	t.is(formatDuration(3_600_000), '1h00m');
	t.is(formatDuration(7_500_000), '2h05m');
});

test('formatProgress shows amount, percent, rate and ETA', t => {
	t.is(formatProgress({done: 12 * mebibyte, total: 40 * mebibyte, unit: 'bytes'}, 4000), '12.0 MiB / 40.0 MiB · 30% · 3.0 MiB/s · ETA 9s');
	t.is(formatProgress({done: 1234, total: 10_000, unit: 'rows'}, 2000), '1,234 rows / 10,000 rows · 12% · 617 rows/s · ETA 14s');
});

test('formatProgress shows no rate or ETA before one second has passed', t => {
	t.is(formatProgress({done: 5, total: 10, unit: 'objects'}, 999), '5 objects / 10 objects · 50%');
	t.is(formatProgress({done: 0, total: 10, unit: 'tables'}, 5000), '0 tables / 10 tables · 0%', 'no rate while nothing is done');
});

test('formatProgress without a total shows no percent and no ETA', t => {
	t.is(formatProgress({done: 3 * mebibyte, unit: 'bytes'}, 3000), '3.0 MiB · 1.0 MiB/s');
});

test('formatProgress drops the ETA once done', t => {
	t.is(formatProgress({done: 10, total: 10, unit: 'checks'}, 2000), '10 checks / 10 checks · 100% · 5 checks/s');
	t.is(formatProgress({done: 1, total: 0, unit: 'objects'}, 500), '1 objects / 0 objects', 'a zero total has no percent');
});
