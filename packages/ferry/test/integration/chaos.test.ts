import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {chaosRun, faultsOnEveryService} from '../helpers/chaos.js';
import {describeRun, runFerry} from '../helpers/cli.js';

// The small version of `npm run bench:chaos`: three runs, each SIGKILLed in a different part of the procedure,
// with 5% of every stand-in's requests answered 503, must each resume to a verified result without duplicates.
let home = '';

test.before(async () => {
	home = mkdtempSync(path.join(os.tmpdir(), 'ferry-chaos-'));
	const started = await runFerry(home, ['local-cloud', 'start', '--faults', faultsOnEveryService('5%')], {timeoutMs: 150_000});
	if (started.exitCode !== 0) {
		throw new Error(`ferry local-cloud start --faults failed:\n${describeRun(started)}`);
	}
});

test.after.always(async () => {
	if (home) {
		await runFerry(home, ['local-cloud', 'stop'], {timeoutMs: 30_000});
		rmSync(home, {recursive: true, force: true});
	}
});

// Early (connections to plan), middle (unload, transfer) and late (create tables, load): a random moment in each.
const windows: Array<[number, number]> = [[500, 2500], [2500, 5000], [5000, 8000]];

for (const [index, window] of windows.entries()) {
	test.serial(`SIGKILL ${index + 1} of 3 (between ${window[0]} and ${window[1]} ms) with 5% faults: resumed to a verified result, no duplicates`, async t => {
		const run = await chaosRun(home, index + 1, {killWindowMs: window, maxResumes: 3});
		t.log(run.killed ? `killed after ${run.killedAfterMs} ms in ${run.killedIn ?? '(no session yet)'}, ${run.resumes} resume(s)` : `finished before the kill at ${run.killedAfterMs} ms`);
		t.truthy(run.sessionId, run.failures.join('\n'));
		t.false(run.lost, run.failures.join('\n'));
		t.true(run.verified, run.failures.join('\n'));
		t.deepEqual(run.duplicates, []);
	});
}
