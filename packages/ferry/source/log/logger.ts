import {appendFileSync} from 'node:fs';
import {ensurePrivateDirectory} from '../store/atomic-write.js';
import path from 'node:path';
import {redact} from './redact.js';

export type RequestLogEntry = {
	service: string;
	operation: string;
	method?: string;
	/** Without query strings that could carry credentials; it is redacted anyway. */
	url?: string;
	status?: number | string;
	durationMs: number;
	requestId?: string;
	attempt?: number;
	error?: string;
};

/** A statement sent to an engine: its text (redacted wherever it is written) and the engine's id for it. */
export type StatementLogEntry = {service: string; text: string; remoteId?: string};

/**
 * Gets every call and statement a logger and its children are told of, as structured entries (the session's audit
 * trail): the one hook between ferry's clients, which all log through a Logger, and what records their calls.
 */
export type LogObserver = {
	request?(entry: RequestLogEntry): void;
	statement?(entry: StatementLogEntry): void;
};

export type Logger = {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
	/** One redacted line per call to a cloud service. */
	request(entry: RequestLogEntry): void;
	/** A statement sent to an engine; for the observer only (the session log keeps the call, not the text). */
	statement(entry: StatementLogEntry): void;
	/** A logger whose lines carry a prefix, e.g. the step id. */
	child(prefix: string): Logger;
};

type Sink = (line: string) => void;

function createLogger(sink: Sink, prefix = '', observer: LogObserver = {}): Logger {
	const write = (level: string, message: string) => {
		const line = `${new Date().toISOString()} ${level.padEnd(5)} ${prefix ? `[${prefix}] ` : ''}${redact(message)}`;
		sink(line);
	};

	return {
		info: message => write('INFO', message),
		warn: message => write('WARN', message),
		error: message => write('ERROR', message),
		request(entry) {
			const parts = [
				`${entry.service}.${entry.operation}`,
				entry.method && entry.url ? `${entry.method} ${entry.url.replace(/\?.*$/, '')}` : undefined,
				entry.status === undefined ? undefined : `-> ${entry.status}`,
				`${Math.round(entry.durationMs)}ms`,
				entry.attempt && entry.attempt > 1 ? `attempt ${entry.attempt}` : undefined,
				entry.requestId ? `request-id ${entry.requestId}` : undefined,
				entry.error ? `error: ${entry.error}` : undefined,
			].filter(Boolean);
			write('CALL', parts.join(' '));
			observer.request?.(entry);
		},
		statement(entry) {
			observer.statement?.(entry);
		},
		child: childPrefix => createLogger(sink, prefix ? `${prefix}/${childPrefix}` : childPrefix, observer),
	};
}

/**
 * Appends plain-text lines to a file; synchronous so a crash loses nothing already logged. `mirror` gets every line
 * too (`--verbose`: stderr).
 */
export function createFileLogger(file: string, mirror?: Sink, observer?: LogObserver): Logger {
	ensurePrivateDirectory(path.dirname(file));
	return createLogger(line => {
		appendFileSync(file, `${line}\n`, {mode: 0o600});
		mirror?.(line);
	}, '', observer);
}

export function createMemoryLogger(observer?: LogObserver): Logger & {lines: string[]} {
	const lines: string[] = [];
	return Object.assign(createLogger(line => lines.push(line), '', observer), {lines});
}

export const silentLogger: Logger = createLogger(() => undefined);
