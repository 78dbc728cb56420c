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

export type Logger = {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
	/** One redacted line per call to a cloud service. */
	request(entry: RequestLogEntry): void;
	/** A logger whose lines carry a prefix, e.g. the step id. */
	child(prefix: string): Logger;
};

type Sink = (line: string) => void;

function createLogger(sink: Sink, prefix = ''): Logger {
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
		},
		child: childPrefix => createLogger(sink, prefix ? `${prefix}/${childPrefix}` : childPrefix),
	};
}

/**
 * Appends plain-text lines to a file; synchronous so a crash loses nothing already logged. `mirror` gets every line
 * too (`--verbose`: stderr).
 */
export function createFileLogger(file: string, mirror?: Sink): Logger {
	ensurePrivateDirectory(path.dirname(file));
	return createLogger(line => {
		appendFileSync(file, `${line}\n`, {mode: 0o600});
		mirror?.(line);
	});
}

export function createMemoryLogger(): Logger & {lines: string[]} {
	const lines: string[] = [];
	return Object.assign(createLogger(line => lines.push(line)), {lines});
}

export const silentLogger: Logger = createLogger(() => undefined);
