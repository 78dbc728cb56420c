/**
 * What the local-cloud daemon is doing while it starts: which stand-in, which TPC-H table, rows done of rows in all.
 * The daemon rewrites a small JSON file next to its state file (files.ts); ferry polls it, so a long first start is
 * never a blank wait and its timeout counts from the last sign of progress, not from the start.
 */
import {readFileSync} from 'node:fs';

export type LocalCloudPhase = 'starting' | 'seeding' | 'ready';

export type LocalCloudProgress = {
	phase: LocalCloudPhase;
	/** The stand-in starting (the service's name), when one is. */
	service?: string;
	/** The TPC-H table being seeded, with rows done of the table's rows. */
	table?: string;
	rowsDone?: number;
	rowsTotal?: number;
	/** Rows seeded in all tables so far, and in all tables at the end. */
	allRowsDone?: number;
	allRowsTotal?: number;
	/** Bumped on every report, so a reader sees progress even when the text stays the same. */
	sequence: number;
	pid: number;
	updatedAt: string;
};

export function readProgressFile(file: string): LocalCloudProgress | undefined {
	try {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as LocalCloudProgress;
		return typeof parsed.sequence === 'number' && typeof parsed.phase === 'string' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function count(value: number): string {
	return value.toLocaleString('en-US');
}

/** One line for people, e.g. `Seeding TPC-H lineitem: 1,200,000 of 6,001,215 rows (20%)`. */
export function describeProgress(progress: Pick<LocalCloudProgress, 'phase' | 'service' | 'table' | 'rowsDone' | 'rowsTotal' | 'allRowsDone' | 'allRowsTotal'>): string {
	if (progress.phase === 'ready') {
		return 'Local cloud ready';
	}

	if (progress.phase === 'seeding' && progress.table) {
		const rows = progress.rowsTotal === undefined ? '' : `: ${count(progress.rowsDone ?? 0)} of ${count(progress.rowsTotal)} rows`;
		const overall = progress.allRowsTotal ? ` (${Math.floor(((progress.allRowsDone ?? 0) / progress.allRowsTotal) * 100)}% of all)` : '';
		return `Seeding TPC-H ${progress.table}${rows}${overall}`;
	}

	if (progress.phase === 'seeding') {
		return 'Preparing the Redshift stand-in\'s database';
	}

	return progress.service ? `Starting the ${progress.service} stand-in` : 'Starting the local cloud';
}

/**
 * Progress as plain log lines: one when the phase, stand-in or table changes, and at most one every `intervalMs`
 * in between (so a log or a CI transcript shows a long table moving without a line per batch).
 */
export function progressLogger(log: (line: string) => void, options: {intervalMs?: number; now?: () => number} = {}): (progress: LocalCloudProgress) => void {
	const intervalMs = options.intervalMs ?? 5000;
	const now = options.now ?? Date.now;
	let lastKey: string | undefined;
	let lastAt = Number.NEGATIVE_INFINITY;
	return progress => {
		if (progress.phase === 'ready') {
			return;
		}

		const key = `${progress.phase}|${progress.service ?? ''}|${progress.table ?? ''}`;
		if (key !== lastKey || now() - lastAt >= intervalMs) {
			log(describeProgress(progress));
			lastKey = key;
			lastAt = now();
		}
	};
}
