import {readFileSync} from 'node:fs';
import process from 'node:process';

/** Whether a process with this id exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function statFields(pid: number): string[] | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may hold spaces, so fields are counted after its end.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/**
 * Whether the process has ended but not yet been reaped (state Z, zombie, or X, dead; field 3 of /proc/PID/stat):
 * it still answers `kill -0` and holds its pid, but runs nothing and holds no port. False where there is no /proc.
 */
export function isProcessEnded(pid: number): boolean {
	const state = statFields(pid)?.[0];
	return state === 'Z' || state === 'X';
}

/**
 * When a process started, as the kernel counts it (field 22 of /proc/PID/stat, in clock ticks since boot), so a
 * recorded pid can be told apart from a later process that got the same number. Undefined where there is no /proc.
 */
export function processStartTicks(pid: number): string | undefined {
	return statFields(pid)?.[19];
}

/** Whether the process that recorded (pid, startTicks) is still the one running under that pid. */
export function isSameProcessAlive(pid: number, startTicks: string | undefined): boolean {
	if (!isProcessAlive(pid) || isProcessEnded(pid)) {
		return false;
	}

	if (startTicks === undefined) {
		return true;
	}

	const now = processStartTicks(pid);
	return now === undefined || now === startTicks;
}
