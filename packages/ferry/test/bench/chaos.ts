/**
 * `npm run bench:chaos`: N headless local runs of a procedure (redshift-to-maxcompute by default, `--procedure
 * datahub-to-maxcompute|maxcompute-to-loghub`; default 20 runs, `--runs N`), each stopped at a random moment by a
 * signal drawn from SIGKILL, SIGINT, SIGTERM and SIGHUP while every stand-in answers 5% of requests with 503
 * (`--rate 5%`), then resumed (again after a failure, at most 3 times). Reports how many reached a verified result,
 * duplicates found, sessions lost, catchable signals not obeyed within 2 s (or not with 128 + n), and verifications
 * recorded as different though no comparison differed. Target: N/N, 0, 0, 0, 0. Needs `npm run build` (the script
 * does it).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {chaosProcedures, chaosRun, faultsOnEveryService, killSignals, summarize, type ChaosProcedure, type ChaosRun} from '../helpers/chaos.js';
import {describeRun, runFerry} from '../helpers/cli.js';

const {values} = parseArgs({options: {runs: {type: 'string', default: '20'}, rate: {type: 'string', default: '5%'}, 'kill-within': {type: 'string', default: '8'}, keep: {type: 'boolean', default: false}, procedure: {type: 'string', default: 'redshift-to-maxcompute'}}});
const procedure = values.procedure as ChaosProcedure;
const runs = Number(values.runs);
const killWithinMs = Number(values['kill-within']) * 1000;
if (!Number.isInteger(runs) || runs < 1 || !(killWithinMs > 0) || !chaosProcedures.includes(procedure)) {
	console.error(`Usage: npm run bench:chaos -- [--procedure ${chaosProcedures.join('|')}] [--runs N] [--rate 5%] [--kill-within SECONDS] [--keep]`);
	process.exit(2);
}

const home = mkdtempSync(path.join(os.tmpdir(), 'ferry-chaos-'));
const faults = faultsOnEveryService(values.rate);
console.log(`FERRY_HOME=${home}\nlocal cloud with --faults ${faults}`);
const started = await runFerry(home, ['local-cloud', 'start', '--faults', faults], {timeoutMs: 10 * 60_000});
if (started.exitCode !== 0) {
	console.error(describeRun(started));
	process.exit(1);
}

const results: ChaosRun[] = [];
try {
	for (let index = 1; index <= runs; index++) {
		const run = await chaosRun(home, index, {killWindowMs: [300, killWithinMs], maxResumes: 3, procedure, signals: killSignals});
		results.push(run);
		const outcome = run.verified ? 'verified' : run.lost ? 'LOST' : run.sessionId ? 'NOT VERIFIED' : 'killed before a session';
		const exit = run.exitAfterMs === undefined ? '' : ` (exit ${run.exitCode ?? 'by signal'} after ${run.exitAfterMs} ms)`;
		console.log(`run ${index}/${runs}: ${run.killed ? `${run.signal} after ${run.killedAfterMs} ms in ${run.killedIn ?? '-'}${exit}` : `finished before the ${run.signal} at ${run.killedAfterMs} ms`}, ${run.resumes} resume(s), ${outcome}${run.duplicates.length > 0 ? `, DUPLICATES ${JSON.stringify(run.duplicates)}` : ''}${run.falseDifference ? ', FALSE DIFFERENCE' : ''}`);
		for (const failure of run.failures) {
			console.log(`    ${failure.replaceAll('\n', '\n    ')}`);
		}
	}
} finally {
	await runFerry(home, ['local-cloud', 'stop'], {timeoutMs: 60_000});
	if (!values.keep) {
		rmSync(home, {recursive: true, force: true});
	}
}

const summary = summarize(results);
const sessions = results.filter(run => run.sessionId).length;
const catchable = results.filter(run => run.exitAfterMs !== undefined);
const slowest = Math.max(0, ...catchable.map(run => run.exitAfterMs!));
console.log(`\n${summary.killed}/${runs} runs stopped (${killSignals.map(signal => `${signal} ${results.filter(run => run.killed && run.signal === signal).length}`).join(', ')}) · verified ${summary.verified}/${sessions} sessions (${runs - sessions} stopped before a session existed) · duplicates ${summary.duplicates} · sessions lost ${summary.lost} · catchable signals obeyed within 2 s ${catchable.length - summary.slowOrWrongExits}/${catchable.length} (slowest ${slowest} ms) · false differences ${summary.falseDifferences}`);
process.exit(summary.verified === sessions && summary.duplicates === 0 && summary.lost === 0 && summary.slowOrWrongExits === 0 && summary.falseDifferences === 0 ? 0 : 1);
