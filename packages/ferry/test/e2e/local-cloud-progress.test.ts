/**
 * The first start of the local cloud, in a real terminal (tmux): what it is doing shows within a second, both from
 * `ferry local-cloud start` and when a procedure started from the home screen starts the local cloud itself.
 * Needs tmux and the built CLI (`npm test` builds first).
 */
import test from 'ava';
import {ferryInTmux} from '../helpers/ferry-in-tmux.js';
import {exitMarker, type TmuxTerminal} from '../helpers/tmux-terminal.js';

const ferry = ferryInTmux(test, 'local-cloud');
/** A live progress line: a spinner frame, then what the local cloud is doing. */
const progressLine = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏▶] (Starting the (local cloud|[\w-]+ stand-in)|Preparing the Redshift stand-in's database|Seeding TPC-H \w+)/m;

async function terminalIn(name: string, args: string[]): Promise<TmuxTerminal> {
	return ferry.start(name, {columns: 80, rows: 24, args});
}

test.serial('ferry local-cloud start shows what it is doing within a second, then the seeding rows, on one live line', async t => {
	t.timeout(180_000);
	const terminal = await terminalIn('start', ['local-cloud', 'start']);
	await terminal.waitForScreen(/Starting the local cloud…/, 20_000);
	const shown = Date.now();
	await terminal.waitForScreen(progressLine, 1000);
	t.pass(`progress shown ${Date.now() - shown} ms after the command's first line`);
	const {screen} = await terminal.waitForScreen(/Seeding TPC-H \w+: [\d,]+ of [\d,]+ rows/, 60_000);
	t.is(screen.split('\n').filter(row => progressLine.test(row)).length, 1, `one live line, rewritten in place:\n${screen}`);
	const done = await terminal.waitForScreen(/Local cloud running \(pid \d+\)[\s\S]*EXIT=(\d+)/, 120_000);
	t.is(done.match[1], '0');
	t.false(progressLine.test(done.screen), `the live line is cleared once the cloud runs:\n${done.screen}`);
});

test.serial('a procedure started from the home screen shows the local cloud starting as a live line', async t => {
	t.timeout(180_000);
	const terminal = await terminalIn('home', []);
	await terminal.waitForScreen(/❯ Start a procedure/, 20_000);
	await terminal.press('Enter');
	await terminal.waitForScreen(/Which procedure\?/, 10_000);
	await terminal.press('Enter');
	await terminal.waitForScreen(/Which profile\?[\s\S]*^❯ local/m, 10_000);
	await terminal.press('Enter');
	const chosen = Date.now();
	await terminal.waitForScreen(progressLine, 1000);
	t.pass(`progress shown ${Date.now() - chosen} ms after the profile was chosen`);
	// Once the cloud runs, the line gives way to the procedure's first step.
	const {screen} = await terminal.waitForScreen(/Step 1 of \d+/, 120_000);
	t.false(progressLine.test(screen), `no progress line once the local cloud is ready:\n${screen}`);
	await terminal.press('C-c');
	await terminal.waitForScreen(exitMarker, 20_000);
});
