/**
 * The chaos campaign shared by `npm run bench:chaos` and its small version in `npm test`: headless local runs of a
 * procedure (redshift-to-maxcompute or maxcompute-to-loghub) on a local cloud with standing faults, each SIGKILLed at
 * a random moment, then resumed (again after a failure, at most `maxResumes` times) and checked: a verified result, no
 * duplicated rows or logs, no lost session.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {standInNames} from '@ferry/local-cloud';
import {signalExitCodes, type InterruptSignal} from '../../source/engine/errors.js';
import {verdictOfReport} from '../../source/verify/outcome.js';
import {describeRun, listSessionIds, parseJsonOutput, readSessionFile, runFerry, spawnFerry} from './cli.js';
import type {RunDocument} from './run-document.js';

export type ChaosRun = {
	index: number;
	sessionId: string | undefined;
	killedAfterMs: number;
	/** False when the run finished before the kill was due. */
	killed: boolean;
	/** The step running when the kill landed. */
	killedIn: string | undefined;
	/** The signal sent. */
	signal: NodeJS.Signals;
	/** For SIGINT, SIGTERM and SIGHUP: how long the process took to exit after the signal, and with which code. */
	exitAfterMs?: number;
	exitCode?: number;
	/** A catchable signal the process did not end on promptly (2 s), or not with 128 + its number. */
	slowOrWrongExit: boolean;
	/** A run or resume that recorded a verification as different (exit 5) though no comparison differed. */
	falseDifference: boolean;
	resumes: number;
	verified: boolean;
	lost: boolean;
	/** Tables (or the logstore) whose target count differs from the source's (more: duplicates). */
	duplicates: Array<{table: string; source: number; target: number}>;
	failures: string[];
};

export const chaosProcedures = ['redshift-to-maxcompute', 'datahub-to-maxcompute', 'maxcompute-to-loghub'] as const;
export type ChaosProcedure = typeof chaosProcedures[number];

/**
 * Each run's own answers, so that runs never meet: maxcompute-to-loghub gets its own logstore, topic and task (a
 * logstore that already holds a topic's window is refused at preflight), datahub-to-maxcompute its own topic and table.
 */
function runArguments(procedure: ChaosProcedure, index: number): string[] {
	const own = `chaos_${index}_${Date.now().toString(36)}`;
	switch (procedure) {
		case 'maxcompute-to-loghub': {
			return ['--set', `logstore=${own.replaceAll('_', '-')}`, '--set', `topic=${own}`, '--set', `taskName=${own}`];
		}

		case 'datahub-to-maxcompute': {
			return ['--set', `datahubTopic=${own}`, '--set', `maxcomputeTable=${own}`];
		}

		default: {
			return [];
		}
	}
}

export type ChaosSummary = {runs: ChaosRun[]; killed: number; verified: number; duplicates: number; lost: number; slowOrWrongExits: number; falseDifferences: number};

/** The kill modes of a campaign: SIGKILL (a crash) and the three signals ferry handles like Ctrl-C. */
export const killSignals: readonly NodeJS.Signals[] = ['SIGKILL', 'SIGINT', 'SIGTERM', 'SIGHUP'];

/** A document that says "different" must come from a comparison that differed (verify/outcome.ts). */
function falselyDifferent(document: RunDocument | undefined): boolean {
	return document?.exitCode === 5 && verdictOfReport(document.verification)?.outcome !== 'differs';
}

/** `--faults` putting `rate` (e.g. "5%") of 503s on every service with a stand-in. */
export function faultsOnEveryService(rate: string): string {
	return standInNames.map(name => `${name}:503:${rate}`).join(',');
}

async function count(home: string, sessionId: string, side: 'source' | 'target', table: string): Promise<number> {
	// The counting queries meet the same faults; a failed count is retried, it says nothing about the data.
	let last = '';
	for (let attempt = 0; attempt < 5; attempt++) {
		const result = await runFerry(home, ['sql', '--session', sessionId, '--side', side, '--json', `SELECT COUNT(*) FROM ${table}`], {timeoutMs: 120_000});
		if (result.exitCode === 0) {
			const {rows} = parseJsonOutput<{rows: unknown[][]}>(result);
			return Number(rows[0]?.[0]);
		}

		last = describeRun(result, 5);
	}

	throw new Error(`counting ${table} on the ${side} failed:\n${last}`);
}

export async function chaosRun(home: string, index: number, options: {killWindowMs: [number, number]; maxResumes: number; random?: () => number; procedure?: ChaosProcedure; signals?: readonly NodeJS.Signals[]}): Promise<ChaosRun> {
	const procedure = options.procedure ?? 'redshift-to-maxcompute';
	const random = options.random ?? Math.random;
	const before = new Set(listSessionIds(home));
	const [low, high] = options.killWindowMs;
	const killedAfterMs = Math.round(low + (random() * (high - low)));
	const signals = options.signals ?? ['SIGKILL'];
	const signal = signals[Math.floor(random() * signals.length)]!;
	const run: ChaosRun = {index, sessionId: undefined, killedAfterMs, killed: false, killedIn: undefined, signal, slowOrWrongExit: false, falseDifference: false, resumes: 0, verified: false, lost: false, duplicates: [], failures: []};
	const child = spawnFerry(home, ['run', procedure, '--local', '--yes', '--json', ...runArguments(procedure, index)], {timeoutMs: 15 * 60_000});
	let exited = false;
	void child.finally(() => {
		exited = true;
	});
	await Promise.race([sleep(killedAfterMs), child]);
	let sentAt: number | undefined;
	if (!exited) {
		sentAt = Date.now();
		child.kill(signal);
	}

	const first = await child;
	run.killed = sentAt !== undefined && (first.signal === signal || signal !== 'SIGKILL');
	if (sentAt !== undefined && signal !== 'SIGKILL') {
		run.exitAfterMs = Date.now() - sentAt;
		run.exitCode = first.exitCode ?? undefined;
		// A run that finished in the moment before the signal landed exits 0 or 5 on its own; one the signal ended exits
		// 128 + n (or, when it landed during Node's own start-up, before ferry's first line, dies of it).
		const expected = signalExitCodes[signal as InterruptSignal];
		const ended = first.exitCode === expected || first.signal === signal || first.exitCode === 0 || first.exitCode === 5;
		if (run.exitAfterMs >= 2000 || !ended) {
			run.slowOrWrongExit = true;
			run.failures.push(`${signal}: exited after ${run.exitAfterMs} ms with ${first.signal ?? first.exitCode}, expected ${expected} within 2 s`);
		}
	}

	const sessionId = listSessionIds(home).find(id => !before.has(id));
	run.sessionId = sessionId;
	if (!sessionId) {
		// Killed before the session existed: nothing was started, so there is nothing to resume or lose.
		run.failures.push(`killed after ${killedAfterMs} ms, before a session existed`);
		return run;
	}

	const crashed = readSessionFile(home, sessionId);
	run.killedIn = crashed?.currentStep;
	let document: RunDocument | undefined;
	try {
		document = first.stdout.trim() === '' ? undefined : parseJsonOutput<RunDocument>(first);
	} catch {
		document = undefined;
	}

	run.falseDifference ||= falselyDifferent(document);
	while (!document?.ok && run.resumes < options.maxResumes) {
		run.resumes++;
		const resumed = await runFerry(home, ['resume', sessionId, '--yes', '--json'], {timeoutMs: 15 * 60_000});
		try {
			document = parseJsonOutput<RunDocument>(resumed);
		} catch {
			document = undefined;
		}

		run.falseDifference ||= falselyDifferent(document);

		if (resumed.exitCode !== 0) {
			run.failures.push(`resume ${run.resumes}: ${describeRun(resumed, 6)}`);
			if (/not found|cannot be read|is broken|invalid session/i.test(resumed.stderr + resumed.stdout)) {
				run.lost = true;
				return run;
			}
		}
	}

	run.verified = Boolean(document?.ok && document.verification?.equal);
	if (readSessionFile(home, sessionId) === undefined) {
		run.lost = true;
	}

	if (run.verified && procedure !== 'redshift-to-maxcompute') {
		// Its first check counts both sides, row by row: the records written against the table's rows per partition,
		// the partition's rows against the logs.
		const counted = document?.verification?.comparisons[0];
		const total = (side: 'source' | 'target') => (counted?.rows ?? []).reduce((sum, row) => sum + Number(row.cells[0]?.[side]), 0);
		if (total('source') !== total('target')) {
			run.duplicates.push({table: counted?.id ?? 'count', source: total('source'), target: total('target')});
		}
	} else if (run.verified) {
		const session = readSessionFile(home, sessionId);
		const planned = (session?.steps['plan']?.outputs['plan'] as {tables?: Array<{table: string}>} | undefined)?.tables?.map(table => table.table);
		const tables = planned ?? (session?.answers['tables'] as string[] | undefined) ?? [];
		if (tables.length === 0) {
			run.failures.push('no tables in the session to count');
		}

		for (const table of tables) {
			const [source, target] = [await count(home, sessionId, 'source', table), await count(home, sessionId, 'target', table)];
			if (source !== target) {
				run.duplicates.push({table, source, target});
			}
		}
	}

	return run;
}

export function summarize(runs: ChaosRun[]): ChaosSummary {
	return {
		runs,
		killed: runs.filter(run => run.killed).length,
		verified: runs.filter(run => run.verified).length,
		duplicates: runs.reduce((sum, run) => sum + run.duplicates.length, 0),
		lost: runs.filter(run => run.lost).length,
		slowOrWrongExits: runs.filter(run => run.slowOrWrongExit).length,
		falseDifferences: runs.filter(run => run.falseDifference).length,
	};
}
