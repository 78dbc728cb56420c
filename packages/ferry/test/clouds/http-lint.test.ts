/**
 * The lint rule that keeps every request of ferry's own code in the HTTP pipeline (root eslint.config.js): what it
 * refuses, where, and its two exempt modules. Run on code given here, with the paths it would have.
 */
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {ESLint} from 'eslint';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const eslint = new ESLint({cwd: root});

async function restrictions(code: string, file: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, {filePath: `${root}/${file}`});
	return (result?.messages ?? [])
		.filter(message => ['no-restricted-globals', 'no-restricted-properties', '@typescript-eslint/no-restricted-imports'].includes(message.ruleId ?? ''))
		.map(message => `${message.line}:${message.ruleId}`);
}

const sender = [
	'import http from \'node:http\';',
	'import https from \'https\';',
	'import {request} from \'undici\';',
	'import type {IncomingHttpHeaders} from \'node:http\';',
	'export async function send(headers: IncomingHttpHeaders) {',
	'\tawait fetch(\'https://example.com\');',
	'\tawait globalThis.fetch(\'https://example.com\');',
	'\treturn [http, https, request, headers];',
	'}',
	'',
].join('\n');

test('ferry\'s source and wizards may not send requests outside the pipeline; type imports are fine', async t => {
	const expected = ['1:@typescript-eslint/no-restricted-imports', '2:@typescript-eslint/no-restricted-imports', '3:@typescript-eslint/no-restricted-imports', '6:no-restricted-globals', '7:no-restricted-properties'];
	for (const file of ['packages/ferry/source/clouds/datahub/sender.ts', 'packages/ferry/source/commands/sender.ts', 'packages/ferry/wizards/datahub-to-maxcompute/sender.ts']) {
		t.deepEqual(await restrictions(sender, file), expected, file);
	}
});

test('the transport and the agents, the tests and the local cloud are outside the rule', async t => {
	for (const file of ['packages/ferry/source/clouds/http-transport.ts', 'packages/ferry/source/clouds/http-agent.ts', 'packages/ferry/test/clouds/sender.test.ts', 'packages/local-cloud/source/sender.ts']) {
		t.deepEqual(await restrictions(sender, file), [], file);
	}
});
