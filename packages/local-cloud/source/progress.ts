/**
 * The daemon's side of the progress file (ferry/local/progress): code that starts stand-ins or seeds reports
 * through `reportProgress`, and the daemon writes each report to the file ferry polls.
 */
import {renameSync, writeFileSync} from 'node:fs';
import process from 'node:process';
import type {LocalCloudProgress} from 'ferry/local/progress';

export type ProgressReport = Omit<LocalCloudProgress, 'sequence' | 'pid' | 'updatedAt'>;

type Reporter = (report: ProgressReport) => void;

let reporter: Reporter | undefined;

/** Installed by the daemon; code that starts stand-ins or seeds reports through `reportProgress` without knowing where to. */
export function setProgressReporter(next: Reporter | undefined): void {
	reporter = next;
}

export function reportProgress(report: ProgressReport): void {
	reporter?.(report);
}

/**
 * A reporter that rewrites `file` (temp file, then rename, so a reader never sees half of it). Reports closer than
 * `minIntervalMs` are coalesced, except a change of phase, stand-in or table, which is written at once.
 */
export function progressFileWriter(file: string, options: {minIntervalMs?: number; now?: () => number} = {}): Reporter & {flush(): void} {
	const minIntervalMs = options.minIntervalMs ?? 100;
	const now = options.now ?? Date.now;
	let sequence = 0;
	let lastWritten: ProgressReport | undefined;
	let lastWriteAt = Number.NEGATIVE_INFINITY;
	let pending: ProgressReport | undefined;
	const write = (report: ProgressReport) => {
		sequence++;
		const document: LocalCloudProgress = {...report, sequence, pid: process.pid, updatedAt: new Date(now()).toISOString()};
		const temporary = `${file}.${process.pid}.tmp`;
		try {
			writeFileSync(temporary, `${JSON.stringify(document)}\n`, {mode: 0o600});
			renameSync(temporary, file);
		} catch {
			// Progress is a courtesy: a full disk must not stop the local cloud from starting.
		}

		lastWritten = report;
		lastWriteAt = now();
		pending = undefined;
	};

	const reporterFunction = (report: ProgressReport) => {
		const changed = !lastWritten || lastWritten.phase !== report.phase || lastWritten.service !== report.service || lastWritten.table !== report.table;
		if (changed || now() - lastWriteAt >= minIntervalMs) {
			write(report);
		} else {
			pending = report;
		}
	};

	return Object.assign(reporterFunction, {
		flush() {
			if (pending) {
				write(pending);
			}
		},
	});
}
