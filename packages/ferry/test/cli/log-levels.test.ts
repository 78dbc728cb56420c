import {readFileSync} from 'node:fs';
import test from 'ava';
import {parseCliArgs} from '../../source/cli/cli-args.js';
import {executeSession} from '../../source/cli/session-run.js';
import {createSession} from '../../source/engine/session.js';
import {defineWizard, type Wizard} from '../../source/engine/wizard.js';
import {saveSession, sessionFiles} from '../../source/store/session-store.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const wizard = defineWizard<Record<string, never>>({
	id: 'levels',
	title: 'Levels',
	description: 'A step that reports, then a confirmation',
	version: 1,
	parameters: [],
	async createClients() {
		return {};
	},
	steps: [
		{id: 'copy', title: 'Copy the rows', explain: 'Reports a line.', kind: 'task', rerun: 'safe', async run(context) {
			context.report('copied 3 rows');
			context.summary('3 rows');
		}},
		{id: 'drop', title: 'Drop the staging table', explain: 'Asks first.', kind: 'task', rerun: 'safe', confirm: () => ({expected: 'drop', message: 'This drops the staging table'}), async run() {}},
	],
}) as Wizard<unknown>;

/** A headless run with these flags; what reached stderr. */
async function stderrOf(flags: string[]): Promise<{stderr: string; log: string}> {
	const session = createSession({wizard: wizard.id, wizardVersion: 1, profile: 'local', stepIds: wizard.steps.map(step => step.id), answers: {}});
	saveSession(session);
	const captured = captureIo();
	const exitCode = await executeSession({wizard, session, secrets: {get: () => undefined, set: () => undefined}, mode: 'plain', flags: parseCliArgs(['resume', '--yes', ...flags], {}).flags, io: captured.io});
	if (exitCode !== 0) {
		throw new Error(`exit ${exitCode}:\n${captured.stderr()}`);
	}

	return {stderr: captured.stderr(), log: readFileSync(sessionFiles(session.id).log, 'utf8')};
}

test.serial('the log level decides what reaches stderr; the session log keeps everything at every level', async t => {
	useFerryHome(t);
	const info = await stderrOf([]);
	t.regex(info.stderr, /Step 1\/2 · Copy the rows/);
	t.regex(info.stderr, /copied 3 rows|3 rows/);
	t.regex(info.stderr, /This drops the staging table: confirmed by --yes/);
	t.regex(info.stderr, /✔ Session \S+ finished\./);
	t.notRegex(info.stderr, /on profile local, mode plain/, 'info does not mirror the session log');

	const warn = await stderrOf(['--log-level', 'warn']);
	t.notRegex(warn.stderr, /Step 1\/2/, 'no progress at warn');
	t.regex(warn.stderr, /This drops the staging table: confirmed by --yes/, 'warnings still');
	t.regex(warn.stderr, /Session \S+ finished/, 'and the outcome');

	for (const quiet of [['--quiet'], ['--log-level', 'error']]) {
		const error = await stderrOf(quiet);
		t.notRegex(error.stderr, /Step 1\/2|confirmed by --yes/, quiet.join(' '));
		t.regex(error.stderr, /Session \S+ finished/, 'the outcome at every level');
	}

	const debug = await stderrOf(['--verbose']);
	t.regex(debug.stderr, /Step 1\/2 · Copy the rows/);
	t.regex(debug.stderr, /session \S+ \(levels v1\) on profile local, mode plain/, 'every session log line on stderr too');
	for (const run of [info, warn, debug]) {
		t.regex(run.log, /on profile local, mode plain/);
		t.regex(run.log, /copied 3 rows/);
	}
});
