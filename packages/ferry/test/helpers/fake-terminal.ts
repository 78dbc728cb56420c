import {EventEmitter} from 'node:events';
import {stripVTControlCharacters} from 'node:util';

/** A stdout that records what Ink writes, with a chosen size. */
export class FakeStdout extends EventEmitter {
	readonly columns: number;
	readonly rows: number;
	readonly isTTY = true;
	readonly writes: string[] = [];

	constructor(columns = 80, rows = 24) {
		super();
		this.columns = columns;
		this.rows = rows;
	}

	/** Calls back like a real stream: Ink 8 waits on an empty write's callback before `waitUntilExit` resolves. */
	write = (data: string, callback?: () => void): boolean => {
		this.writes.push(data);
		if (callback) {
			queueMicrotask(callback);
		}

		return true;
	};

	/** Everything written so far, without escape sequences. */
	text(): string {
		return stripVTControlCharacters(this.writes.join(''));
	}
}

/** A stdin in raw mode, the way ink-testing-library fakes it. */
export class FakeStdin extends EventEmitter {
	readonly isTTY = true;
	private data: string | null = null;

	write(data: string): void {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	}

	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}
