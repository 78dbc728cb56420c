/**
 * The local cloud's start-up progress on a stream (stderr): one line rewritten in place on a terminal, plain lines
 * otherwise (a new line when the stand-in or table changes, and at most every few seconds within a table).
 */
import {describeProgress, progressLogger, type LocalCloudProgress} from '../local/progress.js';
import {symbols as defaultSymbols, type Symbols} from './theme.js';
import {truncateText} from './wrap-text.js';

export type ProgressStream = {write(text: string): unknown; isTTY?: boolean; columns?: number};

export type ProgressLine = {
	update(progress: LocalCloudProgress): void;
	/** Clears the live line (a terminal) so what follows starts on a clean line. */
	done(): void;
};

export type ProgressLineOptions = {
	/** Rewrite one line (default: when the stream is a terminal). */
	live?: boolean;
	/** Least time between two plain lines of the same table. @default 5000 */
	plainIntervalMs?: number;
	now?: () => number;
	symbols?: Symbols;
};

export function createProgressLine(stream: ProgressStream, options: ProgressLineOptions = {}): ProgressLine {
	const live = options.live ?? stream.isTTY === true;
	const symbols = options.symbols ?? defaultSymbols;
	const plain = progressLogger(line => stream.write(`${line}\n`), {intervalMs: options.plainIntervalMs ?? 5000, ...(options.now ? {now: options.now} : {})});
	let last: LocalCloudProgress | undefined;
	let frame = 0;
	let timer: NodeJS.Timeout | undefined;
	const draw = () => {
		if (!last) {
			return;
		}

		const text = describeProgress(last);
		const width = Math.max(20, (stream.columns ?? 80) - 3);
		const marker = symbols.spinnerFrames[frame++ % symbols.spinnerFrames.length] ?? symbols.running;
		stream.write(`\r\u001B[2K${marker} ${truncateText(text, width)}`);
	};

	return {
		update(progress) {
			if (!live) {
				plain(progress);
				return;
			}

			if (progress.phase === 'ready') {
				return;
			}

			last = progress;
			draw();
			// The spinner keeps turning while the daemon is busy in one long step (the database's first start).
			timer ??= setInterval(draw, 120).unref();
		},
		done() {
			clearInterval(timer);
			timer = undefined;
			if (last) {
				stream.write('\r\u001B[2K');
				last = undefined;
			}
		},
	};
}
