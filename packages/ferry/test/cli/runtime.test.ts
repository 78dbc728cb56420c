import {execFileSync, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {unsupportedRuntimeMessage} from '../../source/cli/runtime.js';

test('Node 22.13 and newer are supported; older lines get one line and a hint', t => {
	for (const version of ['22.13.0', '22.23.3', '24.21.0', '26.0.0']) {
		t.is(unsupportedRuntimeMessage(version), undefined, version);
	}

	for (const version of ['20.20.2', '22.12.0', '18.20.8']) {
		const message = unsupportedRuntimeMessage(version);
		t.truthy(message, version);
		t.regex(message!, new RegExp(`needs Node\\.js 22\\.13 or newer, and this is Node\\.js ${version.replaceAll('.', '\\.')}`));
		t.regex(message!, /Hint: install Node\.js 24 LTS/);
	}
});

test('the tests run on the Node line they were started for (24 by default: the one `npm test` and `npm start` use)', t => {
	t.is(process.versions.node.split('.')[0], process.env['FERRY_TEST_NODE_MAJOR'] ?? '24');
});

// The machines here keep an end-of-life Node in /usr/bin: the built entry must refuse it cleanly, not crash in a dependency.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find(candidate => {
	try {
		return Number(execFileSync(candidate, ['-p', 'process.versions.node.split(".")[0]'], {encoding: 'utf8'}).trim()) < 22;
	} catch {
		return false;
	}
});

(systemNode ? test : test.skip)('the built ferry refuses an old Node with exit 3 and no stack trace', t => {
	const cli = fileURLToPath(new URL('../../distribution/ferry.js', import.meta.url));
	const result = spawnSync(systemNode!, [cli, 'sessions'], {encoding: 'utf8', env: {...process.env, FERRY_HOME: '/nonexistent-ferry-home'}});
	t.is(result.status, 3);
	t.regex(result.stderr, /^ferry needs Node\.js 22\.13 or newer/);
	t.notRegex(result.stderr, /\n\s+at /);
	t.is(result.stdout, '');
});
