/**
 * datahub-to-maxcompute and maxcompute-to-loghub in the real terminal UI, driven in tmux as a person would, at 80
 * and 60 columns.
 * Needs tmux (`.ci/run` installs it) and the built CLI (`npm test` builds first).
 */
import test from 'ava';
import {acceptConnections, ferryInTmux} from '../helpers/ferry-in-tmux.js';
import {exitMarker, widestRow} from '../helpers/tmux-terminal.js';

const ferry = ferryInTmux(test, 'procedures');

const procedures = [
	{id: 'datahub-to-maxcompute', title: /❯ DataHub → MaxCompute/, downs: 1, watched: /✔ Step 10 of 11 · Watch the sync/, checks: /All 4 checks equal/},
	{id: 'maxcompute-to-loghub', title: /❯ MaxCompute → Log Service/, downs: 2, watched: /✔ Step 7 of 8 · Run and watch/, checks: /All 3 checks equal/},
];

for (const procedure of procedures) {
	for (const [columns, rows] of [[80, 24], [60, 20]] as const) {
		test.serial(`a person runs ${procedure.id} from the home screen to the verification report at ${columns} columns`, async t => {
			t.timeout(240_000);
			// A local cloud of its own: a second export into the same logstore is refused (it would duplicate logs).
			const terminal = await ferry.start(`${procedure.id}-${columns}`, {columns, rows});
			await terminal.waitForScreen(/❯ Start a procedure/, 20_000);
			await terminal.press('Enter');
			await terminal.waitForScreen(/Which procedure\?/, 10_000);
			for (let down = 0; down < procedure.downs; down++) {
				await terminal.press('Down');
			}

			await terminal.waitForScreen(procedure.title, 5000);
			await terminal.press('Enter');
			await terminal.waitForScreen(/Which profile\?[\s\S]*^❯ local/m, 10_000);
			await terminal.press('Enter');

			const {summaries, fields} = await acceptConnections(terminal, 90_000);
			const connections = summaries[0];
			t.true((connections?.count ?? 0) >= 10, `the Connections answers were shown on one screen (${connections?.count})`);
			t.is(summaries.length, 1, 'one Enter accepted them all');
			t.deepEqual(fields, [], 'on local no answer is asked one by one');
			t.regex(connections?.screen ?? '', /Step 1 of \d+ · Connections/);
			t.regex(connections?.screen ?? '', /more below/, `the list scrolls at ${columns}×${rows}`);
			t.regex(connections?.screen ?? '', /Enter accept all · ↑↓ move · e edit/);
			t.regex(connections?.screen ?? '', /^ {2}DataHub project|^ {2}MaxCompute project/m);
			t.true(widestRow(connections?.screen ?? '').width <= columns, `the summary fits: ${widestRow(connections?.screen ?? '').row}`);
			const review = await terminal.screen();
			t.regex(review, /Plan review/);
			t.true(widestRow(review).width <= columns, `the review fits: ${widestRow(review).row}`);
			await terminal.press('y');

			const outcome = await terminal.waitForScreen(/Session\s+(\S+)\.\s*\n\s*Press Enter to exit/, 150_000);
			const history = await terminal.history();
			t.regex(history, procedure.watched);
			t.regex(outcome.screen, procedure.checks);
			t.true(widestRow(outcome.screen).width <= columns, `no row wider than the terminal: ${widestRow(outcome.screen).row}`);
			await terminal.press('Enter');
			const exit = await terminal.waitForScreen(exitMarker, 15_000);
			t.is(exit.match[1], '0', `ferry exits 0:\n${exit.screen}`);
		});
	}
}
