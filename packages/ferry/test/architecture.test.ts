/**
 * The import rules of docs/architecture.md, checked on the source text of both packages: a rule broken here is a
 * layer leaking. Paths are the repository's; a package import (`ferry/…`, `@ferry/local-cloud/…`) is resolved to the
 * source file it names.
 */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const ferry = 'packages/ferry';
const localCloud = 'packages/local-cloud';

function files(directory: string): string[] {
	return readdirSync(path.join(root, directory), {withFileTypes: true}).flatMap(entry => {
		const relative = path.posix.join(directory, entry.name);
		return entry.isDirectory() ? files(relative) : /\.tsx?$/.test(entry.name) ? [relative] : [];
	});
}

type Edge = {file: string; target: string; specifier: string; dynamic: boolean; typeOnly: boolean};

function resolveSpecifier(file: string, specifier: string): string {
	if (specifier.startsWith('.')) {
		return path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '');
	}

	if (specifier === '@ferry/local-cloud') {
		return `${localCloud}/source/index`;
	}

	if (specifier.startsWith('@ferry/local-cloud/')) {
		return `${localCloud}/source/${specifier.slice('@ferry/local-cloud/'.length)}`;
	}

	return specifier.startsWith('ferry/') ? `${ferry}/source/${specifier.slice('ferry/'.length)}` : specifier;
}

/** Every module a file imports (static, dynamic and type-only). */
function importsOf(file: string): Edge[] {
	const text = readFileSync(path.join(root, file), 'utf8');
	return [...text.matchAll(/(import\s+type\b[^'";]*?from\s*|from\s*|import\s*\(\s*|import\s*)'((?:\.{1,2}\/|ferry\/|@ferry\/local-cloud)[^']*)'/g)].map(match => ({
		file,
		specifier: match[2]!,
		target: resolveSpecifier(file, match[2]!),
		dynamic: match[1]!.includes('('),
		typeOnly: match[1]!.startsWith('import type') || /typeof import\($/.test(text.slice(0, match.index + match[1]!.length)),
	}));
}

const ferrySources = [...files(`${ferry}/source`), ...files(`${ferry}/wizards`)];
const localCloudSources = files(`${localCloud}/source`);
const edges = [...ferrySources, ...localCloudSources].flatMap(file => importsOf(file));
const broken = (rule: (edge: Edge) => boolean) => edges.filter(rule).map(edge => `${edge.file} → ${edge.specifier}`);
const inFerry = (edge: Edge, folder: string) => edge.file.startsWith(`${ferry}/${folder}`);
const targets = (edge: Edge, pattern: RegExp) => pattern.test(edge.target.replace(`${ferry}/`, ''));

test('nothing in ferry\'s source/ imports a procedure\'s folder (only the catalog wizards/index.ts)', t => {
	t.deepEqual(broken(edge => inFerry(edge, 'source/') && targets(edge, /^wizards\/[^/]+\//)), []);
});

test('the engine imports no UI, no clients, no commands, no services and nothing of the local cloud', t => {
	t.deepEqual(broken(edge => inFerry(edge, 'source/engine/') && (targets(edge, /^source\/(ui|clouds|commands|services|local)\//) || edge.target.startsWith(localCloud))), []);
});

test('clients import no services, commands, UI or anything of the local cloud', t => {
	t.deepEqual(broken(edge => inFerry(edge, 'source/clouds/') && (targets(edge, /^source\/(services|commands|ui|local)\//) || edge.target.startsWith(localCloud))), []);
});

test('the kit\'s shared actions use clients and the engine only: no services, store, UI, commands or local cloud', t => {
	t.deepEqual(broken(edge => inFerry(edge, 'source/actions/') && (targets(edge, /^source\/(services|store|ui|cli|commands|local)\//) || targets(edge, /^wizards\//) || edge.target.startsWith(localCloud))), []);
	t.true(edges.some(edge => inFerry(edge, 'source/actions/')), 'the rule sees the actions');
});

test('the identity checks use clients and the engine only: no services, store, UI, commands, local cloud or procedure', t => {
	t.deepEqual(broken(edge => inFerry(edge, 'source/identity/') && (targets(edge, /^source\/(services|store|ui|cli|commands|local)\//) || targets(edge, /^wizards\//) || edge.target.startsWith(localCloud))), []);
	t.true(edges.some(edge => inFerry(edge, 'source/identity/')), 'the rule sees the identity modules');
});

test('ferry reaches the local cloud\'s package only through the one lazy import in source/local/local-cloud-package.ts', t => {
	const reaching = edges.filter(edge => edge.file.startsWith(`${ferry}/`) && edge.target.startsWith(localCloud));
	t.deepEqual(reaching.filter(edge => !(edge.file === `${ferry}/source/local/local-cloud-package.ts` && (edge.dynamic || edge.typeOnly))).map(edge => `${edge.file} → ${edge.specifier}`), []);
	t.true(reaching.some(edge => edge.dynamic), 'the lazy import is there');
});

test('the local cloud reaches ferry\'s code only by its package name, never by a path out of its own package', t => {
	t.deepEqual(broken(edge => edge.file.startsWith(`${localCloud}/`) && edge.specifier.startsWith('.') && !edge.target.startsWith(`${localCloud}/`)), []);
});

test('stand-ins check signatures with their own code, not the signing code of the clients they test', t => {
	t.deepEqual(broken(edge => edge.file.startsWith(`${localCloud}/`) && /^packages\/ferry\/source\/clouds\/.*signature/.test(edge.target)), []);
});

test('a procedure imports no other procedure, no UI, no commands and nothing of the local cloud', t => {
	t.deepEqual(broken(edge => {
		const own = /^packages\/ferry\/wizards\/([^/]+)\//.exec(edge.file)?.[1];
		if (!own) {
			return false;
		}

		const other = /^packages\/ferry\/wizards\/([^/]+)\//.exec(edge.target)?.[1];
		return (other !== undefined && other !== own) || targets(edge, /^source\/(ui|commands|local)\//) || edge.target.startsWith(localCloud);
	}), []);
});

/** The clients' pure helpers a procedure may import besides the kit: quoting, schema comparison and encoding, limits, naming rules, inventory parity. */
const pureClientHelpers = [
	'source/clouds/maxcompute/ddl',
	'source/clouds/maxcompute/names',
	'source/clouds/redshift/sql-text',
	'source/clouds/redshift/names',
	'source/clouds/datahub/schema',
	'source/clouds/datahub/limits',
	'source/clouds/datahub/names',
	'source/clouds/log-service/names',
	'source/clouds/dataworks/names',
	'source/clouds/object-store/names',
	'source/clouds/identity/names',
	'source/clouds/name-rule',
	'source/clouds/object-store/parity',
].map(module => `${ferry}/${module}`);

test('a procedure imports only the kit, its own modules and the clients\' pure helpers', t => {
	t.deepEqual(broken(edge => {
		const own = /^packages\/ferry\/wizards\/([^/]+)\//.exec(edge.file)?.[1];
		return own !== undefined && !edge.target.startsWith(`${ferry}/wizards/${own}/`) && edge.target !== `${ferry}/source/kit` && !pureClientHelpers.includes(edge.target);
	}), []);
	t.true(edges.filter(edge => /^packages\/ferry\/wizards\/[^/]+\//.test(edge.file) && edge.target === `${ferry}/source/kit`).length >= 20, 'the rule sees the wizards\' kit imports');
});

test('the clients\' pure helpers a procedure may import do no I/O: they import only typed errors, type declarations and each other', t => {
	const helperImports = pureClientHelpers.flatMap(helper => importsOf(`${helper}.ts`));
	t.deepEqual(helperImports.filter(edge => !edge.typeOnly && edge.target !== `${ferry}/source/engine/errors` && !pureClientHelpers.includes(edge.target)).map(edge => `${edge.file} → ${edge.specifier}`), []);
	for (const helper of pureClientHelpers) {
		t.notRegex(readFileSync(path.join(root, `${helper}.ts`), 'utf8'), /from '(node:)?(fs|net|http|https|child_process)/, helper);
	}
});

test('the root of ferry\'s source/ holds only the wizard kit; everything else lives in a folder named for its layer', t => {
	t.deepEqual(ferrySources.filter(file => /^packages\/ferry\/source\/[^/]+$/.test(file)), [`${ferry}/source/kit.ts`]);
});

test('commands never import main.ts, which loads them (no circle between the shell and its commands)', t => {
	t.deepEqual(broken(edge => inFerry(edge, 'source/commands/') && edge.target === `${ferry}/source/cli/main`), []);
});

test('no file in ferry\'s source/ names a procedure: they are reached through the catalog only', async t => {
	const {wizardCatalog} = await import('../wizards/index.js');
	const naming = files(`${ferry}/source`).filter(file => {
		const text = readFileSync(path.join(root, file), 'utf8');
		return wizardCatalog.some(wizard => text.includes(wizard.id));
	});
	t.deepEqual(naming, []);
	t.true(wizardCatalog.length >= 3);
});

test('the rules see the imports they check (the scan is not empty)', t => {
	t.true(edges.length > 300);
	t.true(edges.some(edge => edge.file === `${ferry}/source/commands/run.ts` && edge.target === `${ferry}/wizards/index`));
	t.true(edges.some(edge => edge.file.startsWith(`${localCloud}/`) && edge.specifier.startsWith('ferry/')));
});
