import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type {ExecutionContext} from 'ava';

/**
 * Points FERRY_HOME at a fresh temp directory for one test and restores the previous value afterwards.
 * process.env is shared by every test in a file, so tests that use this must be `test.serial`.
 */
export function useFerryHome(t: ExecutionContext): string {
	const home = mkdtempSync(path.join(os.tmpdir(), 'ferry-home-'));
	const previous = process.env['FERRY_HOME'];
	process.env['FERRY_HOME'] = home;
	t.teardown(() => {
		if (previous === undefined) {
			delete process.env['FERRY_HOME'];
		} else {
			process.env['FERRY_HOME'] = previous;
		}

		rmSync(home, {recursive: true, force: true});
	});
	return home;
}
