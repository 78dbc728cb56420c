import {writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {redact} from '../log/redact.js';
import {ensurePrivateDirectory, privateFileMode} from './atomic-write.js';
import {ferryPaths} from './paths.js';

/** The error, its stack and every cause below it, as text. */
function describeChain(error: unknown): string {
	const lines: string[] = [];
	const seen = new Set<unknown>();
	let link: unknown = error;
	while (link !== undefined && link !== null && !seen.has(link)) {
		seen.add(link);
		lines.push(lines.length === 0 ? '' : 'caused by:', link instanceof Error ? link.stack ?? `${link.name}: ${link.message}` : String(link));
		link = link instanceof Error ? link.cause : undefined;
	}

	return lines.filter(line => line !== '').join('\n');
}

/**
 * Writes what a bug report needs (version, runtime, arguments, the stack and its causes; redacted, mode 0600) to
 * `<data>/logs/crash-<time>-<pid>.log`, and returns the file, or undefined when it cannot be written: the report
 * of a bug must never fail with a second error.
 */
export function writeCrashLog(error: unknown, details: {version: string; argv: readonly string[]}): string | undefined {
	const directory = path.join(ferryPaths().data, 'logs');
	const file = path.join(directory, `crash-${new Date().toISOString().replaceAll(/[:.]/g, '-')}-${process.pid}.log`);
	const text = [
		`ferry ${details.version} on Node ${process.versions.node} (${process.platform}-${process.arch})`,
		`time: ${new Date().toISOString()}`,
		`arguments: ${JSON.stringify(details.argv)}`,
		'',
		describeChain(error),
		'',
	].join('\n');
	try {
		ensurePrivateDirectory(directory);
		writeFileSync(file, redact(text), {mode: privateFileMode});
		return file;
	} catch {
		return undefined;
	}
}
