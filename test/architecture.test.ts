/**
 * The import rules of docs/architecture.md, checked on the source text: a rule broken here is a layer leaking.
 */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';

const root = fileURLToPath(new URL('..', import.meta.url));

function files(directory: string): string[] {
	return readdirSync(path.join(root, directory), {withFileTypes: true}).flatMap(entry => {
		const relative = path.posix.join(directory, entry.name);
		return entry.isDirectory() ? files(relative) : /\.tsx?$/.test(entry.name) ? [relative] : [];
	});
}

/** Every module a file imports (static, dynamic and type-only), as repository paths without extension. */
function importsOf(file: string): string[] {
	const text = readFileSync(path.join(root, file), 'utf8');
	return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(match => path.posix.join(path.posix.dirname(file), match[1]!).replace(/\.js$/, ''));
}

const sources = [...files('source'), ...files('wizards')];
const edges = sources.flatMap(file => importsOf(file).map(target => ({file, target})));
const broken = (rule: (edge: {file: string; target: string}) => boolean) => edges.filter(rule).map(edge => `${edge.file} → ${edge.target}`);

test('nothing in source/ imports a procedure\'s folder (only the catalog wizards/index.ts)', t => {
	t.deepEqual(broken(edge => edge.file.startsWith('source/') && /^wizards\/[^/]+\//.test(edge.target)), []);
});

test('the engine imports no UI, no clients, no stand-ins and no commands', t => {
	t.deepEqual(broken(edge => edge.file.startsWith('source/engine/') && /^source\/(ui|clouds|local-cloud|commands|services)\//.test(edge.target)), []);
});

test('clients import no stand-ins, services, commands or UI', t => {
	t.deepEqual(broken(edge => edge.file.startsWith('source/clouds/') && /^source\/(local-cloud|services|commands|ui)\//.test(edge.target)), []);
});

test('stand-ins check signatures with their own code, not the signing code of the clients they test', t => {
	const signing = broken(edge => edge.file.startsWith('source/local-cloud/') && /^source\/clouds\/.*signature/.test(edge.target));
	t.deepEqual(signing, []);
});

test('a procedure imports no other procedure, no UI, no commands and no stand-in', t => {
	t.deepEqual(broken(edge => {
		const own = /^wizards\/([^/]+)\//.exec(edge.file)?.[1];
		if (!own) {
			return false;
		}

		const other = /^wizards\/([^/]+)\//.exec(edge.target)?.[1];
		return (other !== undefined && other !== own) || /^source\/(ui|commands|local-cloud\/(?!contract))/.test(edge.target);
	}), []);
});

test('the root of source/ holds only the wizard kit; everything else lives in a folder named for its layer', t => {
	t.deepEqual(sources.filter(file => /^source\/[^/]+$/.test(file)), ['source/kit.ts']);
});

test('commands never import main.ts, which loads them (no circle between the shell and its commands)', t => {
	t.deepEqual(broken(edge => edge.file.startsWith('source/commands/') && edge.target === 'source/cli/main'), []);
});

test('no file in source/ names a procedure: they are reached through the catalog only', async t => {
	const {wizardCatalog} = await import('../wizards/index.js');
	const naming = files('source').filter(file => {
		const text = readFileSync(path.join(root, file), 'utf8');
		return wizardCatalog.some(wizard => text.includes(wizard.id));
	});
	t.deepEqual(naming, []);
	t.true(wizardCatalog.length >= 3);
});

test('the rules see the imports they check (the scan is not empty)', t => {
	t.true(edges.length > 300);
	t.true(edges.some(edge => edge.file === 'source/commands/run.ts' && edge.target === 'wizards/index'));
});
