/**
 * ferry installs without the local cloud's engines: its package has no dependency that brings DuckDB or PGlite (its
 * bundle holds everything else), and a packed ferry installed alone runs, telling a user who asks for the local cloud
 * how to install it.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {execa} from 'execa';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const repository = path.resolve(packageDirectory, '../..');
const engines = /^@duckdb\/|^@electric-sql\//;

type LockPackage = {dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, {optional?: boolean}>};

test('the packages ferry depends on at run time, with theirs, include neither DuckDB nor PGlite', t => {
	const lock = JSON.parse(readFileSync(path.join(repository, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockPackage>};
	const manifest = JSON.parse(readFileSync(path.join(packageDirectory, 'package.json'), 'utf8')) as LockPackage;
	const required = (entry: LockPackage) => [
		...Object.keys(entry.dependencies ?? {}),
		...Object.keys(entry.optionalDependencies ?? {}),
		...Object.keys(entry.peerDependencies ?? {}).filter(name => !entry.peerDependenciesMeta?.[name]?.optional),
	];
	const closure = new Set<string>();
	const visit = (name: string) => {
		if (closure.has(name)) {
			return;
		}

		closure.add(name);
		const entry = lock.packages[`node_modules/${name}`];
		t.truthy(entry, `${name} is in the lock file`);
		for (const next of required(entry ?? {})) {
			visit(next);
		}
	};

	for (const name of required(manifest)) {
		visit(name);
	}

	t.deepEqual([...closure].filter(name => engines.test(name)), []);
	t.true(manifest.peerDependenciesMeta?.['@ferry/local-cloud']?.optional, 'the local cloud is an optional peer');
});

test('a packed ferry installed alone runs, and says how to install the local cloud when asked for it', async t => {
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'ferry-install-'));
	t.teardown(() => rmSync(scratch, {recursive: true, force: true}));
	const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {cwd: packageDirectory});
	const [{filename}] = JSON.parse(packed.stdout) as [{filename: string}];
	const project = path.join(scratch, 'project');
	await execa('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', project, path.join(scratch, filename)], {cwd: scratch});
	t.deepEqual(readdirSync(path.join(project, 'node_modules')).filter(name => !name.startsWith('.')), ['ferry']);
	const cli = path.join(project, 'node_modules', 'ferry', 'distribution', 'ferry.js');
	const version = await execa(process.execPath, [cli, '--version'], {cwd: scratch});
	t.is(version.stdout.trim(), (JSON.parse(readFileSync(path.join(packageDirectory, 'package.json'), 'utf8')) as {version: string}).version);
	const home = path.join(scratch, 'home');
	const status = await execa(process.execPath, [cli, 'local-cloud', 'status'], {cwd: scratch, reject: false, env: {FERRY_HOME: home, CI: 'true'}});
	t.is(status.exitCode, 3, status.stderr);
	t.regex(status.stderr, /The local cloud is not installed/);
	t.regex(status.stderr, /npm install --global @ferry\/local-cloud/);
});
